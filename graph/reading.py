"""Reading a corpus's files: the one place a file of a corpus folder is opened.

A corpus folder is untrusted input (people share them), and what the build reads from it
ends up in what it publishes: about thirty characters around each quote go into the Turtle
as ``oa:prefix`` and ``oa:suffix``. So every file the loader, the build cache, its worker
process and the incremental rebuild read (the YAML files, and the texts that quotes are
checked against) is read by :func:`read_corpus_file`, which reads a file only if

- it resolves, links followed, inside the corpus folder or a folder the user named
  (``--allow-dir``): a ``text: /etc/passwd``, a ``../`` too many, a link out of the
  folder (or a ``texts/`` or ``sources/`` folder that is one) is refused before it is
  opened; links that stay inside are followed;
- it is a regular file: a named pipe would block the build for ever and ``/dev/zero``
  fill its memory. It is looked at before it is opened, opened without blocking and
  checked again as opened, so what is read is what was checked;
- it is no larger than the limit (``--max-file-mb``, 50 MB unless raised), of which it
  reads at most one byte more, whatever the file said its size was.

A refusal is a :class:`Refused` (an :class:`OSError`, so that whatever handles a file that
cannot be read handles it too), whose message says what the file is and what to do, in a
corpus author's words, and never what the file holds.

>>> import tempfile
>>> corpus = Path(tempfile.mkdtemp())
>>> _ = (corpus / "note.txt").write_text("inside")
>>> read_corpus_file(corpus / "note.txt", Allowed.of(corpus)).data
b'inside'
>>> read_corpus_file(corpus / ".." / "x.txt", Allowed.of(corpus))  # doctest: +ELLIPSIS
Traceback (most recent call last):
graph.reading.Refused: resolves outside the corpus folder (to ...); copy the file into ...
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: The largest corpus file read unless the user raises it (``--max-file-mb``), in MB.
MAX_FILE_MB = 50.0

#: Bytes in a megabyte, as the endpoint counts them too.
MB = 1_000_000

_OPEN = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
#: The resolved name is opened without following a link: one put there since is refused.
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a link that leads round in a circle"),
)


class Refused(OSError):
    """A corpus file the build will not read; the message says why, and what to do."""


@dataclass
class Allowed:
    """What a corpus may have read: files inside its folder ``root`` or one of the folders
    ``dirs`` the user named, regular ones, of ``max_file_mb`` MB at most (None: any size).
    Not ``confined``: regular files anywhere (files the loader has let in, read again).

    Make it with :meth:`of`, which resolves the folders once (a corpus folder that is
    itself a link is fine); :func:`read_corpus_file` reads by it.
    """

    root: Path
    dirs: tuple[Path, ...] = ()
    max_file_mb: float | None = MAX_FILE_MB
    confined: bool = True
    #: Folders resolved so far: a corpus's ten thousand files are in a few of them.
    _folders: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(
        cls,
        root: str | Path,
        dirs: Iterable[str | Path] = (),
        max_file_mb: float | None = MAX_FILE_MB,
    ) -> Allowed:
        """The files the corpus folder ``root`` may have read, with the folders ``dirs``."""
        real = [Path(os.path.realpath(d)) for d in dirs]
        return cls(Path(os.path.realpath(root)), tuple(real), max_file_mb)

    @property
    def max_bytes(self) -> int | None:
        return None if self.max_file_mb is None else int(self.max_file_mb * MB)

    def key(self) -> list:
        """What a build's index keeps of this: a build that may read other folders, or
        larger files, is not the build the index describes (:mod:`graph.pipeline.index`)."""
        return [str(self.root), *map(str, self.dirs), self.max_file_mb]

    def within(self, real: str) -> bool:
        """Whether the resolved path ``real`` is inside the corpus folder or a named one."""
        if not self.confined:
            return True
        for top in (self.root, *self.dirs):
            top_text = str(top)
            if real == top_text or real.startswith(top_text.rstrip(os.sep) + os.sep):
                return True
        return False

    def folder(self, path: Path) -> Path:
        """The folder ``path`` of the corpus (``sources/``, ``bills/``), to list: raises
        :class:`Refused` if it resolves outside, before anything in it is looked at."""
        real = os.path.realpath(path)
        if not self.within(real):
            raise _outside(
                real, "copy its files into the corpus folder, or name it with --allow-dir"
            )
        return path

    def _resolved(self, path: Path) -> tuple[str, os.stat_result]:
        """Where ``path`` leads, links followed, and what is there (not followed): refused
        if outside. Resolving each file's own folder once is what keeps this cheap."""
        name = path.name
        real = ""
        if name not in ("", ".", ".."):
            parent = str(path.parent)
            folder = self._folders.get(parent)
            if folder is None:
                folder = self._folders[parent] = os.path.realpath(parent)
            real = os.path.join(folder, name)
        if real and self.within(real):
            st = os.lstat(real)
            if not stat.S_ISLNK(st.st_mode):
                return real, st
        # A link (or a folder outside that may link back in): resolved in full.
        real = os.path.realpath(path)
        if not self.within(real):
            raise _outside(
                real, "copy the file into the corpus folder, or name its folder with --allow-dir"
            )
        return real, os.lstat(real)


@dataclass(frozen=True)
class CorpusFile:
    """A corpus file as read: where it resolved to, its bytes (None if the caller had them
    already), and its status as read (size, modification time)."""

    path: Path
    data: bytes | None
    stat: os.stat_result


def _outside(real: str, fix: str) -> Refused:
    return Refused(f"resolves outside the corpus folder (to {real}); {fix}")


def _too_large(size: int, allowed: Allowed) -> Refused:
    return Refused(
        f"is {size / MB:.3g} MB, more than the {allowed.max_file_mb:g} MB a corpus file may "
        "be; raise the limit with --max-file-mb"
    )


def read_corpus_file(
    path: Path,
    allowed: Allowed,
    *,
    unchanged: Callable[[os.stat_result], bool] | None = None,
) -> CorpusFile:
    """Read the corpus file at ``path`` if ``allowed`` lets it be read (see the module's
    notes); raise :class:`Refused` if not, and :class:`OSError` as reading a file does
    (no such file, no permission; :class:`IsADirectoryError` for a folder).

    With ``unchanged``, a test of the file's status: if it holds, the file is checked but
    not read (the caller has its bytes from before; ``data`` is None).
    """
    if "\x00" in str(path):
        raise Refused("has a null character in its name; name the file without it")
    real, st = allowed._resolved(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(st.st_mode):
        kind = next((what for test, what in _KINDS if test(st.st_mode)), "not a file")
        raise Refused(
            f"is {kind}, not a regular file, and only regular files are read; put the "
            "file itself in its place"
        )
    limit = allowed.max_bytes
    if limit is not None and st.st_size > limit:
        raise _too_large(st.st_size, allowed)
    if unchanged is not None and unchanged(st):
        return CorpusFile(Path(real), None, st)
    fd = os.open(real, _OPEN | _NO_FOLLOW)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (
            st.st_dev,
            st.st_ino,
        ):
            raise Refused("was replaced while the build read it; build again")
        most = limit + 1 if limit is not None else None
        chunks, size = [], 0
        want = opened.st_size + 1
        while most is None or size < most:
            chunk = os.read(fd, want if most is None else min(want, most - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            want = 1 << 20  # it was larger than it said: the rest a megabyte at a time
    finally:
        os.close(fd)
    if limit is not None and size > limit:
        raise _too_large(size, allowed)
    return CorpusFile(Path(real), b"".join(chunks), opened)
