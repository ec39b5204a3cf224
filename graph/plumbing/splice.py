"""Turtle and TriG files as runs of blocks: written a block at a time, spliced, joined.

Every Turtle and TriG file the build writes is :data:`HEADER` (our prefixes) and then one
block a named graph (:func:`graph.emit.document`), so a file can be made again from the old
one with some blocks replaced, inserted or left out: the bytes between them are copied by
the system, not read into Python (:func:`splice`); the index of a build
(:mod:`graph.pipeline.index`) records where each block lies.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..emit import PREFIX_LINES

#: The first bytes of every Turtle and TriG file we write: a block alone parses after them.
HEADER = (PREFIX_LINES + "\n").encode("utf-8")

#: Where the blocks of a file lie: their starts, and their lengths, in bytes.
Spans = tuple[array, array]


def _finish(fd: int) -> None:
    """End a file as :func:`graph.emit.document` does: its trailing line breaks made one."""
    end = os.lseek(fd, 0, os.SEEK_END)
    while end > 0:
        n = min(1 << 12, end)
        kept = _pread(fd, n, end - n).rstrip(b"\n")
        end -= n - len(kept)
        if kept:
            break
    os.ftruncate(fd, end)
    os.lseek(fd, end, os.SEEK_SET)
    _write_all(fd, b"\n")


def _pread(fd: int, n: int, offset: int) -> bytes:
    """``n`` bytes of a file from ``offset`` (where there is no pread, as on Windows, by a
    seek: every file here is read by one thread, and written only at its end)."""
    if hasattr(os, "pread"):
        return os.pread(fd, n, offset)
    at = os.lseek(fd, 0, os.SEEK_CUR)
    try:
        os.lseek(fd, offset, os.SEEK_SET)
        return os.read(fd, n)
    finally:
        os.lseek(fd, at, os.SEEK_SET)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _copy(src: int, dst: int, start: int, length: int) -> None:
    """Copy ``length`` bytes of ``src`` from ``start`` to the end of ``dst``, by the system
    where it can (no bytes through Python)."""
    end = start + length
    while start < end:
        try:
            done = os.copy_file_range(src, dst, end - start, start)
        except (AttributeError, OSError):
            done = os.write(dst, _pread(src, min(end - start, 1 << 20), start))
        if done == 0:
            raise OSError(f"{end - start} bytes short of what the index says the file holds")
        start += done


def write_blocks(path: str | Path, blocks: Iterable[str]) -> list[tuple[int, int]]:
    """Write a Turtle or TriG file of ``blocks`` (the bytes :func:`graph.emit.document`
    gives) and say where each block lies in it: (start, length) in bytes."""
    spans = []
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        _write_all(fd, HEADER)
        at = len(HEADER)
        for block in blocks:
            data = block.encode("utf-8")
            _write_all(fd, data)
            spans.append((at, len(data)))
            at += len(data)
        _finish(fd)
    finally:
        os.close(fd)
    return spans


def splice(
    old: Path, new: str, starts: Sequence[int], lengths: Sequence[int], plan: list[int | bytes]
) -> Spans:
    """Write at ``new`` a file of blocks, each in ``plan`` either the position of a block of
    the file ``old`` (its blocks at ``starts`` with ``lengths``) or new bytes: old blocks
    next to each other are copied at once, by the system. The start and length of each
    block in the new file."""
    new_starts, new_lengths = array("q"), array("q")
    with open(old, "rb") as f:
        src = f.fileno()
        size = os.fstat(src).st_size
        fd = os.open(new, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            _write_all(fd, HEADER)
            at = len(HEADER)
            run: tuple[int, int] | None = None  # old bytes to copy, not yet copied

            def flush() -> None:
                nonlocal run
                if run is not None:
                    start, length = run
                    inside = max(0, min(length, size - start))  # the end was trimmed
                    _copy(src, fd, start, inside)
                    _write_all(fd, b"\n" * (length - inside))
                    run = None

            for item in plan:
                if isinstance(item, bytes):
                    flush()
                    _write_all(fd, item)
                    length = len(item)
                else:
                    start, length = starts[item], lengths[item]
                    if run is not None and run[0] + run[1] == start:
                        run = (run[0], run[1] + length)
                    else:
                        flush()
                        run = (start, length)
                new_starts.append(at)
                new_lengths.append(length)
                at += length
            flush()
            _finish(fd)
        finally:
            os.close(fd)
    return new_starts, new_lengths


def block(f: Any, size: int, start: int, length: int) -> bytes:
    """A block of an old file (whose last line breaks were trimmed to one)."""
    inside = max(0, min(length, size - start))
    return _pread(f.fileno(), inside, start) + b"\n" * (length - inside)


def joined(paths: Iterable[Path]) -> str:
    """One Turtle or TriG document of the statements of several, in the order given: our
    prefixes once, then each document's blocks (no subject is in two corpora, since each
    mints its IRIs under its own base)."""
    header = HEADER.decode("utf-8")
    bodies = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert text.startswith(header), path  # written by graph.emit.document
        bodies.append(text[len(header) :])
    return header + "\n".join(b for b in bodies if b.strip())
