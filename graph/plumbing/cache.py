"""The build cache: what each unchanged file gave last time, so a rebuild redoes only what changed.

A build writes, beside its outputs, ``.cache/<corpus folder>-<digest>.marshal``: for every
corpus file its size, modification time, SHA-256 and parsed data; for every quote, its anchor
in its text; and for every named graph, the key of the inputs it was made from and its TriG
text (its Turtle is the same statements, one tab to the left).
The next build of the same corpus into the same folder parses only files whose bytes changed,
looks up only new quotes, and emits only graphs whose inputs changed (bench/README.md
measures it).

The cache is only ever a shortcut: everything is checked again (schema, ids, references,
SHACL on what changed) and the outputs are the bytes a build without it gives (tested). A
cache written by another version of the tool, or unreadable, is ignored. It is marshal data,
not pickle: reading it runs no code.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..reading import Allowed, read_corpus_file
from .parallel import halves

#: What makes a cache stale whatever the corpus: the code that reads, parses, checks, emits.
_CODE = (
    "plumbing/cache.py",
    "lines.py",
    "load.py",
    "model.py",
    "quotes.py",
    "emit.py",
    "vocab.py",
    "reading.py",
)


def _fingerprint() -> str:
    h = hashlib.sha256(sys.version.encode())
    package = resources.files("graph")
    for name in _CODE:
        h.update(package.joinpath(*name.split("/")).read_bytes())
    for schema in sorted(package.joinpath("schema").iterdir(), key=lambda p: p.name):
        h.update(schema.read_bytes())
    return h.hexdigest()


def _unchanged(record: tuple | None, st: os.stat_result) -> bool:
    """Whether a file's cached ``record`` (size, mtime_ns, ...) is of the file as it is now."""
    return record is not None and record[0] == st.st_size and record[1] == st.st_mtime_ns


def digest(data: bytes) -> str:
    """The SHA-256 of some bytes, as hex: how the cache knows a file's content."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class BuildCache:
    """What a previous build of a corpus left, and what this build adds for the next one.

    ``files``: path -> (size, mtime_ns, sha256, parsed data); ``anchors``: (text sha256,
    start, quote) -> anchor fields or None; ``graphs``: graph IRI -> (input key, TriG text;
    the Turtle is made from it). Each build keeps only what it used, so the cache does not
    grow with edits.
    """

    path: Path | None = None
    files: dict[str, tuple[int, int, str, Any]] = field(default_factory=dict)
    anchors: dict[tuple[str, int, str], tuple | None] = field(default_factory=dict)
    graphs: dict[str, tuple[str, str]] = field(default_factory=dict)
    used_files: dict[str, tuple[int, int, str, Any]] = field(default_factory=dict)
    used_anchors: dict[tuple[str, int, str], tuple | None] = field(default_factory=dict)
    used_graphs: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: File digests seen by this build, by path: what a graph's input key is made of.
    digests: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def file_for(out_dir: Path, corpus_dir: Path) -> Path:
        """Where the cache of the corpus folder ``corpus_dir`` built into ``out_dir`` lives."""
        folder = corpus_dir.resolve()
        tag = digest(str(folder).encode("utf-8"))[:12]
        return out_dir / ".cache" / f"{folder.name}-{tag}.marshal"

    @classmethod
    def open(cls, out_dir: Path, corpus_dir: Path) -> BuildCache:
        """The cache of ``corpus_dir`` built into ``out_dir`` (empty if there is none)."""
        path = cls.file_for(out_dir, corpus_dir)
        cache = cls(path=path)
        try:
            with open(path, "rb") as f:
                # Our own file in the user's output folder (a crafted one could crash the
                # interpreter, not run code); a file of another version fails the fingerprint.
                saved = marshal.load(f)  # noqa: S302
            if saved.get("fingerprint") != _fingerprint():
                return cache
            cache.files = saved["files"]
            cache.anchors = saved["anchors"]
            cache.graphs = saved["graphs"]
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            pass  # no cache, or not one we can read: build everything
        return cache

    # -- files

    def read(self, path: Path, parse: Any, allowed: Allowed) -> Any:
        """The parsed data of ``path``: last build's if its bytes are the same, else
        ``parse(text)``. Raises what ``parse`` raises (syntax errors are never cached), and
        what :func:`~graph.reading.read_corpus_file` raises: a file ``allowed`` refuses is
        refused whatever the cache holds."""
        key = str(path)
        old = self.files.get(key)
        found = read_corpus_file(path, allowed, unchanged=lambda st: _unchanged(old, st))
        if found.data is None:
            assert old is not None
            self.used_files[key] = old
            self.digests[key] = old[2]
            return old[3]
        raw, st = found.data, found.stat
        sha = digest(raw)
        self.digests[key] = sha
        data = old[3] if old is not None and old[2] == sha else parse(raw)
        self.used_files[key] = (st.st_size, st.st_mtime_ns, sha, data)
        return data

    def prefetch(
        self,
        paths: Sequence[Path],
        parse: Callable[[bytes, Path], Any],
        anchors: Callable[[Path, Any], list[tuple[tuple[str, int, str], tuple | None]]],
        allowed: Allowed,
    ) -> None:
        """Parse the files of ``paths`` that :meth:`read` would parse, and look up their
        quotes (``anchors`` of a file's path and data: keys and fields as :meth:`anchor`
        gives them), on two cores where there are (:func:`.parallel.halves`), so that
        :meth:`read` and :meth:`anchor` then find them.

        A file that does not parse, or that ``allowed`` refuses, is left for :meth:`read`,
        which reports it.
        """
        stale = [p for p in paths if not self._same(p)]

        def work(part: Sequence[Path]) -> tuple[list, list]:
            files, found = [], []
            for path in part:
                try:
                    read = read_corpus_file(path, allowed)
                    raw, st = read.data or b"", read.stat
                    data = parse(raw, path)
                except (OSError, InputError):
                    continue
                files.append((str(path), (st.st_size, st.st_mtime_ns, digest(raw), data)))
                found += [a for a in anchors(path, data) if a[0] not in self.anchors]
            return files, found

        for files, found in halves(work, stale):
            self.files.update(files)
            self.anchors.update(found)

    def _same(self, path: Path) -> bool:
        """Whether the cache has ``path`` as it is now (False if it cannot be looked at)."""
        try:
            return _unchanged(self.files.get(str(path)), os.stat(path))
        except OSError:
            return False

    # -- quotes

    def anchor(self, key: tuple[str, int, str]) -> tuple | None | bool:
        """Last build's anchor of a quote (fields, or None if not found), or False if new."""
        if key in self.anchors:
            found = self.anchors[key]
            self.used_anchors[key] = found
            return found
        return False

    def keep_anchor(self, key: tuple[str, int, str], fields: tuple | None) -> None:
        self.used_anchors[key] = fields

    # -- graphs

    def graph(self, name: str, key: str) -> str | None:
        """Last build's TriG text of a graph (:func:`~graph.emit.trig_block`), if made from
        the same inputs. Its Turtle is :func:`~graph.emit.turtle_of_trig_block` of it."""
        old = self.graphs.get(name)
        if old is not None and old[0] == key:
            self.used_graphs[name] = old
            return old[1]
        return None

    def keep_graph(self, name: str, key: str, trig: str) -> None:
        self.used_graphs[name] = (key, trig)

    def dumps(self) -> bytes:
        """What the next build will read: only what this one used."""
        return marshal.dumps(
            {
                "fingerprint": _fingerprint(),
                "files": self.used_files,
                "anchors": self.used_anchors,
                "graphs": self.used_graphs,
            }
        )
