"""Incremental rebuilds: source documents edited, added or removed, rebuilt alone.

A build into an output folder leaves, beside its cache (:mod:`graph.cache`), an *index*
(``.cache/<corpus folder>-<digest>.index``): the size and modification time of every corpus
file it read; where each named graph's block lies in the Turtle and the TriG it wrote; each
source document's id, claims, relations and the claims of other documents it answers; what
the rest of the corpus defines (organizations, people, topics, bills); the summary's counts;
the shapes' queries; and what its map was drawn from (:class:`~graph.visualize.MapState`),
with the statements the map read (``.map.nq``) and the whole skeleton it was cut from
(``.skeleton``, :mod:`graph.flatmap`).

When only source documents changed, were added or were removed (or the texts they quote
changed), :func:`attempt` rebuilds from that index and the outputs themselves, without
reading the rest of the corpus:

1. the documents are loaded and checked alone (:func:`~graph.load.load_documents`),
   against what the rest of the corpus defines, their quotes found in their texts; a
   claim or relation gone that another document answers sends the build to the whole
   build, which reports it;
2. their graphs are emitted and checked against the shapes (:mod:`graph.shacl`) together
   with the graphs they refer to (their bill's, the organizations', the topics', those of
   the documents they answer), read from the TriG;
3. the Turtle and the TriG are the old files with those blocks replaced, inserted or left
   out (the bytes between them are copied by the system, not read into Python);
4. the map: if the graphs' nodes and links are the same, the page stays, or is drawn
   again from the statements it read if one of those changed; if not, the skeleton's
   part of those graphs is replaced, the map cut again as a build cuts it, and drawn from
   the statements it read and the graphs of the nodes it now shows.

Anything else (a bill, the organizations, the topics, a problem to report, an output edited
or missing, many documents at once, another version of the tool or of a library that shapes
the outputs) is left to the whole build, which reads its cache; the answer says why
(:class:`Declined`). Both give the same bytes (tested).
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import sys
from array import array
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import RDF

from .emit import PREFIX_LINES, each_graph, trig_block, turtle_of_trig_block
from .errors import InputError
from .flatmap import FlatSkeleton
from .kinds import NODE_KINDS
from .load import load_documents
from .model import ATTACK_KINDS, Corpus, Known, SourceDocument
from .network import EDGE_PREDICATES
from .ontology import SHAPES_FILE
from .reading import Allowed, Refused
from .shacl import Check
from .staging import Staged
from .store import step_of
from .validate import shape_checks, validate_build
from .visualize import CAP_TIER, MapState, cut_notes, redraw, repage
from .vocab import Minter

#: The first bytes of every Turtle and TriG file we write: a block alone parses after them.
HEADER = (PREFIX_LINES + "\n").encode("utf-8")

#: More changed documents than this, and the whole build (with its cache) is as quick.
MOST_CHANGED = 64

_RDF_TYPE = str(RDF.type)


def fingerprint() -> str:
    """What makes an index stale whatever the corpus: every file of the package (the code,
    the schemas, the page's template and scripts, the queries), the shapes, the Python."""
    h = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(package)).encode())
            h.update(path.read_bytes())
    h.update(Path(SHAPES_FILE).read_bytes())
    for name in _SHAPING:
        h.update(f"{name} {metadata.version(name)}".encode())
    return h.hexdigest()


#: The libraries whose versions shape the outputs too (the page bundles pyvis's vis-network).
_SHAPING = ("pyvis", "pyoxigraph", "rdflib", "networkx", "jinja2", "markupsafe", "ryaml")


def index_file(cache_file: Path) -> Path:
    """Where the index of the build whose cache is ``cache_file`` lives."""
    return cache_file.with_suffix(".index")


def map_file(cache_file: Path) -> Path:
    """Where the statements the build's map read are kept (N-Quads)."""
    return cache_file.with_suffix(".map.nq")


def skeleton_file(cache_file: Path) -> Path:
    """Where the skeleton the build's map was cut from is kept (:mod:`graph.flatmap`)."""
    return cache_file.with_suffix(".skeleton")


def _stat(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def _yaml_files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every ``*.yaml`` in a folder (what the loader's glob finds), with its size and mtime."""
    found: dict[str, tuple[int, int]] = {}
    try:
        entries = list(os.scandir(str(folder)))
    except OSError:
        return found
    for entry in entries:
        if entry.name.endswith(".yaml"):
            try:
                st = entry.stat()
            except OSError:  # a broken link, say: changed, and the loader says how
                found[entry.path] = _NONE
                continue
            found[entry.path] = (st.st_size, st.st_mtime_ns)
    return found


# --- what a build leaves -----------------------------------------------------------------


def doc_counts(doc: SourceDocument) -> tuple[int, int, int, int, int]:
    """A document's share of the summary: claims, quoted, paraphrased, supports, attacks."""
    return (
        len(doc.claims),
        sum(1 for c in doc.claims if c.quote),
        sum(1 for c in doc.claims if c.paraphrase),
        sum(1 for r in doc.relations if r.kind == "supports"),
        sum(1 for r in doc.relations if r.kind in ATTACK_KINDS),
    )


#: The summary's counts that are sums of :func:`doc_counts`, in its order.
COUNTED = ("claims", "quoted claims", "paraphrased claims", "supports", "attacks")

_NONE = (-1, -1)  # no file: its size and mtime


class _Docs:
    """The index's source documents, in the order of the corpus, a column each: a few large
    strings and arrays, which read in a few milliseconds where a tuple per document, ten
    thousand of them, took a fifth of a second.

    Text columns: ``file``, ``id``, ``text`` (the text's path, or ""), ``claims`` and
    ``relations`` (their keys, tab-separated), ``refs`` (the keys of other documents'
    claims and relations it answers); number columns: ``graph`` (its position among the
    graphs), ``stat`` and ``text_stat`` (size and mtime_ns), ``counts`` (:func:`doc_counts`).
    """

    TEXT = ("file", "id", "text", "claims", "relations", "refs")
    NUMBERS = {"graph": 1, "stat": 2, "text_stat": 2, "counts": 5}

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.text: dict[str, list[str]] = {k: [] for k in self.TEXT}
        self.numbers = {k: array("q") for k in self.NUMBERS}
        if data is None:
            return
        for k in self.NUMBERS:
            self.numbers[k].frombytes(data[k])
        n = len(self.numbers["graph"])
        for k in self.TEXT:
            self.text[k] = data[k].split("\n") if n else []

    def __len__(self) -> int:
        return len(self.numbers["graph"])

    def data(self) -> dict[str, Any]:
        return {
            **{k: "\n".join(v) for k, v in self.text.items()},
            **{k: v.tobytes() for k, v in self.numbers.items()},
        }

    def get(self, k: str, i: int) -> Any:
        if k in self.text:
            return self.text[k][i]
        width = self.NUMBERS[k]
        found = self.numbers[k][i * width : (i + 1) * width]
        return found[0] if width == 1 else tuple(found)

    def reordered(
        self, old: list[int], files: list[str], rows: dict[str, dict[str, Any]], first: int
    ) -> dict[str, Any]:
        """The columns (:meth:`data`) of the documents ``files`` in that order: the one of
        a file in ``rows`` from its row, any other's as document ``old[j]`` here; the
        graphs numbered from ``first`` in that order."""
        text = {
            k: [rows[f][k] if f in rows else column[i] for f, i in zip(files, old, strict=True)]
            for k, column in self.text.items()
        }
        numbers = {"graph": array("q", range(first, first + len(files)))}
        for k, width in self.NUMBERS.items():
            if k == "graph":
                continue
            column, out = self.numbers[k], array("q")
            for f, i in zip(files, old, strict=True):
                out.extend(rows[f][k] if f in rows else column[i * width : (i + 1) * width])
            numbers[k] = out
        return {
            **{k: "\n".join(v) for k, v in text.items()},
            **{k: v.tobytes() for k, v in numbers.items()},
        }

    def append(self, row: dict[str, Any]) -> None:
        for k in self.TEXT:
            self.text[k].append(row[k])
        for k in self.NUMBERS:
            self.numbers[k].extend(row[k])

    @staticmethod
    def row_of(doc: SourceDocument, graph: int, stat: tuple[int, int]) -> dict[str, Any]:
        """The values of a document as loaded, its graph's position and its file's stat."""
        ours = f"{doc.id}/"
        refs = set()
        for r in doc.relations:
            refs.update(r.premises)
            refs.add(r.conclusion)
        claims = doc.claims
        return {
            "file": str(doc.origin.file),
            "id": doc.id,
            "text": str(doc.text_path) if doc.text_path else "",
            "claims": "\t".join([ours + c.id for c in claims]),
            "relations": "\t".join([ours + r.id for r in doc.relations]),
            "refs": "\t".join(sorted(ref for ref in refs if not ref.startswith(ours))),
            "graph": (graph,),
            "stat": stat,
            "text_stat": doc.text_stat or _NONE,
            "counts": doc_counts(doc),
        }

    def keys(self, k: str, i: int) -> list[str]:
        """The keys of column ``k`` (claims, relations, refs) of document ``i``."""
        found = self.text[k][i]
        return found.split("\t") if found else []


def index_of(
    corpus: Corpus,
    stats: dict[str, tuple[int, int]],
    graphs: list[tuple[str, int, int, int, int]],
) -> dict[str, Any] | None:
    """The index of a build, but for its ``counts`` and its ``map`` (:class:`MapState` as
    data), which the caller adds: ``stats`` are the corpus files' sizes and mtimes as the
    build read them, ``graphs`` each named graph with the start and length of its block in
    the TriG and in the Turtle, in the order written. None if the corpus cannot have one (a
    file name with a line break in it)."""
    root = corpus.root
    position = {name: i for i, (name, *_) in enumerate(graphs)}
    m = Minter(corpus.base)
    docs = _Docs()
    for d in corpus.sources:
        if "\n" in str(d.origin.file) or "\n" in str(d.text_path or ""):
            return None
        docs.append(
            _Docs.row_of(
                d, position[str(m.source_graph(d.id))], stats.get(str(d.origin.file), _NONE)
            )
        )
    fixed = {
        str(root / name): stats.get(str(root / name), _stat(root / name))
        for name in ("corpus.yaml", "organizations.yaml", "topics.yaml")
    }
    fixed.update({str(b.origin.file): stats.get(str(b.origin.file)) for b in corpus.bills})
    # A version's text is a bill's: when it changes, the bill's graph does (a whole build).
    fixed.update(
        {
            str(v.text_path): _stat(v.text_path)
            for b in corpus.bills
            for v in b.versions
            if v.text_path
        }
    )
    spans = array("q", [n for g in graphs for n in g[1:]])
    return {
        "fingerprint": fingerprint(),
        "corpus": str(root),
        "meta": (corpus.name, corpus.title, corpus.base, corpus.description),
        "fixed": fixed,
        "bills": {b.id: str(b.origin.file) for b in corpus.bills},
        "bill_graphs": {
            b.id: position[str(m.reference_graph(f"bill-{b.id}"))] for b in corpus.bills
        },
        "reference_graphs": [
            position[name]
            for name in (str(m.reference_graph("organizations")), str(m.reference_graph("topics")))
            if name in position
        ],
        "known": (
            sorted(o.id for o in corpus.organizations),
            sorted(p.id for p in corpus.people),
            sorted(t.id for t in corpus.topics),
        ),
        "docs": docs.data(),
        # Source documents the provenance of organizations, people and bills names.
        "provenance": sorted(
            {
                t.provenance.source
                for t in [
                    *corpus.organizations,
                    *corpus.people,
                    *corpus.memberships,
                    *corpus.bills,
                    *(s for b in corpus.bills for s in [*b.versions, *b.events]),
                ]
                if t.provenance.source
            }
        ),
        "graph_names": "\n".join(name for name, *_ in graphs),
        "spans": spans.tobytes(),
        "checks": [dataclasses.astuple(c) for c in shape_checks()],
        "counts": {},
        "map": None,
        "outputs": {},
    }


def write_index(path: Path, index: dict[str, Any], outputs: dict[str, Path]) -> None:
    """Write ``index`` with the sizes and mtimes of ``outputs`` as they are now (written)."""
    index["outputs"] = {kind: (str(p), _stat(p)) for kind, p in outputs.items()}
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        marshal.dump(index, f)
    os.replace(tmp, path)


def read_index(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as f:
            # Our own file in the user's output folder, written by this version of the tool
            # (a crafted one could crash the interpreter, not run code).
            index = marshal.load(f)  # noqa: S302
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(index, dict) or index.get("fingerprint") != fingerprint():
        return None
    return index


# --- writing Turtle and TriG a block at a time --------------------------------------------


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


def _turtle(trig: bytes) -> bytes:
    return turtle_of_trig_block(trig.decode("utf-8")).encode("utf-8")


def _splice(
    old: Path, new: str, starts: Sequence[int], lengths: Sequence[int], plan: list[int | bytes]
) -> tuple[array, array]:
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


def _block(f: Any, size: int, start: int, length: int) -> bytes:
    """A block of an old file (whose last line breaks were trimmed to one)."""
    inside = max(0, min(length, size - start))
    return _pread(f.fileno(), inside, start) + b"\n" * (length - inside)


def _links(quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    """The statements among ``quads`` a map's skeleton is made of: types and links."""
    return {q for q in quads if q.predicate.value == _RDF_TYPE or q.predicate.value in _EDGES}


def _part(quads: Iterable[ox.Quad]) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """A graph's part of the map's skeleton: its nodes and kinds, and its edges (both ends
    IRIs), as :func:`graph.network.skeleton` reads them from a store."""
    classes: dict[str, set[str]] = {}
    edges = []
    for q in quads:
        s, p, o = q.subject, q.predicate.value, q.object
        if not isinstance(s, ox.NamedNode) or not isinstance(o, ox.NamedNode):
            continue
        if p == _RDF_TYPE:
            classes.setdefault(s.value, set()).add(o.value)
        elif p in _EDGES:
            edges.append((s.value, o.value, _EDGES[p]))
    kinds = {}
    for s, found in classes.items():
        kind = next((k.name for k in NODE_KINDS if str(k.rdf_class) in found), None)
        if kind is not None:
            kinds[s] = kind
    return kinds, edges


def _load(path: Path) -> Any:
    with open(path, "rb") as f:
        return marshal.load(f)  # noqa: S302 (our own file, checked against the index)


class _Unplaced(Exception):
    """A subject whose graph the rebuild cannot tell."""


_EDGES = {str(p): name for p, name in EDGE_PREDICATES.items()}


# --- the rebuild -------------------------------------------------------------------------


@dataclass
class Declined:
    """Why a rebuild was left to the whole build."""

    reason: str

    def __str__(self) -> str:
        return self.reason


@dataclass
class Rebuilt:
    """What an incremental rebuild did: the documents it rebuilt, the files it wrote."""

    corpus_dir: Path
    out_dir: Path
    name: str
    title: str
    base: str
    counts: dict[str, int]
    files: dict[str, Path]
    changed: list[str]  # the source documents rebuilt, by id
    added: list[str]  # the source documents new since the last build
    removed: list[str]  # those gone since
    redrawn: bool  # whether the map was drawn again


@dataclass
class _Changes:
    changed: list[int]  # documents whose file or text changed, by position
    added: list[str]  # new source files
    removed: list[int]  # documents whose file is gone, by position
    stats: dict[str, tuple[int, int]]  # every source file's size and mtime, as they are

    def __len__(self) -> int:
        return len(self.changed) + len(self.added) + len(self.removed)


def _changes(index: dict[str, Any], docs: _Docs, root: Path) -> _Changes | Declined:
    """What changed in the source documents since the index was written, or why the change
    is not one a rebuild makes."""
    for path, was in index["fixed"].items():
        if _stat(path) != (tuple(was) if was else None):
            return Declined(f"{path} changed")
    if set(_yaml_files(root / "bills")) != {
        p for p in index["fixed"] if os.path.dirname(p) == str(root / "bills")
    }:
        return Declined("a bill was added or removed")
    now = _yaml_files(root / "sources")
    files = docs.text["file"]
    stat, text_stat = docs.numbers["stat"], docs.numbers["text_stat"]
    texts: dict[str, tuple[int, int]] = {}  # each text's size and mtime now
    changed, removed = [], []
    for i, (path, text) in enumerate(zip(files, docs.text["text"], strict=True)):
        if path not in now:
            removed.append(i)
            continue
        moved = now[path] != (stat[2 * i], stat[2 * i + 1])
        if not moved and text:
            if text not in texts:
                texts[text] = _stat(text) or _NONE
            moved = texts[text] != (text_stat[2 * i], text_stat[2 * i + 1])
        if moved:
            changed.append(i)
    added = sorted(now.keys() - set(files), key=Path)
    return _Changes(changed, added, removed, now)


def attempt(
    corpus_dir: Path, out_dir: Path, cache_file: Path, allowed: Allowed | None = None
) -> Rebuilt | Declined:
    """Rebuild ``corpus_dir`` into ``out_dir`` from the index of the last build there, if
    only source documents changed (see the module's notes); else say why not, having
    written nothing. ``allowed``: what the corpus may have read (its folder alone unless
    given); the documents that did not change were read with what the index records."""
    allowed = allowed or Allowed.of(corpus_dir)
    index = read_index(index_file(cache_file))
    if index is None:
        return Declined("no index of a build by this version of the tool")
    if index["corpus"] != str(corpus_dir):
        return Declined("the index is of another corpus folder")
    if index.get("allowed") != allowed.key():
        return Declined("the folders or the size of file the corpus may read changed")
    try:
        for folder in ("bills", "sources"):
            allowed.folder(corpus_dir / folder)
    except Refused:
        return Declined("a folder of the corpus links outside it (the whole build reports it)")
    for kind, (path, was) in index["outputs"].items():
        if was is None or _stat(path) != tuple(was):
            return Declined(f"the {kind} output was changed or removed")
    try:
        docs = _Docs(index["docs"])
        if (
            len(index["graph_names"].split("\n")) * 4 * 8 != len(index["spans"])
            or not all(len(column) == len(docs) for column in docs.text.values())
            or not all(len(docs.numbers[k]) == w * len(docs) for k, w in docs.NUMBERS.items())
        ):
            raise ValueError("columns of different lengths")
    except (KeyError, TypeError, ValueError):
        return Declined("the index is damaged")
    changes = _changes(index, docs, corpus_dir)
    if isinstance(changes, Declined):
        return changes
    name, title, base, description = index["meta"]
    files = {k: Path(p) for k, (p, _) in index["outputs"].items() if k in ("ttl", "trig", "html")}
    if not changes:
        counts = dict(index["counts"])
        return Rebuilt(corpus_dir, out_dir, name, title, base, counts, files, [], [], [], False)
    if len(changes) > MOST_CHANGED:
        return Declined(f"{len(changes)} documents changed")
    if len(changes.removed) == len(docs) and not changes.added:
        return Declined("no source documents are left")
    corpus = Corpus(name=name, title=title, base=base, root=corpus_dir, description=description)
    return _Rebuild(index, docs, cache_file, changes, allowed).run(corpus, files)


class _Rebuild:
    def __init__(
        self,
        index: dict[str, Any],
        docs: _Docs,
        cache_file: Path,
        changes: _Changes,
        allowed: Allowed,
    ) -> None:
        self.index = index
        self.docs = docs
        self.cache_file = cache_file
        self.changes = changes
        self.allowed = allowed
        self.names = index["graph_names"].split("\n")
        spans = array("q")
        spans.frombytes(index["spans"])
        self.spans = spans  # 4 a graph: TriG start and length, Turtle start and length
        #: The source documents' graphs come last, in the documents' order, from here.
        self.first = len(self.names) - len(docs)

    def span(self, i: int, turtle: bool = False) -> tuple[int, int]:
        at = 4 * i + (2 if turtle else 0)
        return self.spans[at], self.spans[at + 1]

    def others(self, column: str) -> set[str]:
        """The keys of a column (claims, relations, refs) of the documents that did not change."""
        values = list(self.docs.text[column])
        for i in [*self.changes.changed, *self.changes.removed]:
            values[i] = ""
        found = set("\t".join(values).split("\t"))
        found.discard("")
        return found

    def known(self) -> Known:
        organizations, people, topics = self.index["known"]
        return Known(
            set(organizations),
            set(people),
            set(topics),
            self.others("claims"),
            self.others("relations"),
        )

    def run(self, corpus: Corpus, files: dict[str, Path]) -> Rebuilt | Declined:
        docs, changes = self.docs, self.changes
        known = self.known()
        try:
            load_documents(
                corpus,
                [Path(docs.get("file", i)) for i in changes.changed]
                + [Path(p) for p in changes.added],
                {b: Path(p) for b, p in self.index["bills"].items()},
                known,
                self.allowed,
            )
        except InputError:
            return Declined("the changed documents have problems (the whole build reports them)")
        edited = corpus.sources[: len(changes.changed)]
        if [d.id for d in edited] != [docs.get("id", i) for i in changes.changed]:
            return Declined("a document's id changed")
        if any("\n" in f"{d.origin.file}{d.text_path or ''}" for d in corpus.sources):
            # The index keeps names a line each (index_of has none for such a corpus).
            return Declined("a file name has a line break in it")
        removed = {docs.get("id", i) for i in changes.removed}
        if removed & set(self.index["provenance"]):
            return Declined(
                "a removed document is the source of a record of an organization or a bill"
            )
        gone = {
            k for i in changes.removed for c in ("claims", "relations") for k in docs.keys(c, i)
        }
        for i, doc in zip(changes.changed, edited, strict=True):
            # A claim that became a relation of the same id is gone as a claim too.
            gone |= set(docs.keys("claims", i)) - {c.key for c in doc.claims}
            gone |= set(docs.keys("relations", i)) - {r.key for r in doc.relations}
        if gone & self.others("refs"):
            return Declined("a claim or relation another document answers was removed")

        # The graphs of the documents edited (at their places) and added, as they are now.
        minter = Minter(corpus.base)
        names = {str(minter.source_graph(d.id)): d for d in corpus.sources}
        made = {g.name: trig_block(g).encode("utf-8") for g in each_graph(corpus, names, known)}

        # The changed graphs, and those they refer to, as the TriG has them: what the
        # shapes look at beside a changed graph's own statements.
        with open(files["trig"], "rb") as f:
            size = os.fstat(f.fileno()).st_size
            old = [
                _block(f, size, *self.span(self.first + i))
                for i in [*changes.changed, *changes.removed]
            ]
            around = [_block(f, size, *self.span(i)) for i in self._neighbours(corpus)]
        store = ox.Store()
        store.load(b"".join([HEADER, *made.values(), *around]), format=ox.RdfFormat.TRIG)
        before = ox.Store()
        before.load(b"".join([HEADER, *old]), format=ox.RdfFormat.TRIG)
        was = set(before.quads_for_pattern(None, None, None, None))
        now = {q for n in names for q in store.quads_for_pattern(None, None, None, ox.NamedNode(n))}

        # The documents in their new order (as the loader sorts their files), and what each
        # graph's block is: the old one (by position) or a new one.
        by_file = {str(d.origin.file): d for d in corpus.sources}
        gone_files = {docs.get("file", i) for i in changes.removed}
        order = sorted(
            [*(f for f in docs.text["file"] if f not in gone_files), *changes.added], key=Path
        )
        at = {f: i for i, f in enumerate(docs.text["file"])}
        plan: list[int | bytes] = list(range(self.first))
        for f in order:
            doc = by_file.get(f)
            plan.append(
                at[f] + self.first if doc is None else made[str(minter.source_graph(doc.id))]
            )

        # Three things at once: the shapes checked (in Rust), the Turtle and the TriG
        # spliced (by the system), the map drawn (here); the files take their places only
        # if the shapes are met.
        checks = [Check(*c) for c in self.index["checks"]]
        staged = Staged()
        try:
            trig_tmp, ttl_tmp = staged.reserve(files["trig"]), staged.reserve(files["ttl"])
            with ThreadPoolExecutor(2, thread_name_prefix="rebuild") as pool:
                validation = pool.submit(validate_build, corpus, store, names, checks)
                splices = pool.submit(self._splice_both, files, plan, trig_tmp, ttl_tmp)
                drawn = self._map(corpus, was, now, files)
                try:
                    validation.result()
                except InputError:
                    drawn = Declined(
                        "the changed graphs do not meet the shapes (the whole build says where)"
                    )
                trig_spans, ttl_spans = splices.result()
            if isinstance(drawn, Declined):
                staged.discard()
                return drawn
            page, shown, flat = drawn
            if page is not None:
                staged.add(files["html"], page)
            if shown is not None:
                staged.add(map_file(self.cache_file), shown)
            if flat is not None:
                staged.add(skeleton_file(self.cache_file), marshal.dumps(flat.to_data()))
        except BaseException:
            staged.discard()
            raise
        step = step_of(files["trig"])
        staged.commit()
        if step is not None:
            step.apply(was - now, now - was)

        index = self.index
        spans = array("q", [0]) * (4 * len(plan))
        spans[0::4], spans[1::4] = trig_spans
        spans[2::4], spans[3::4] = ttl_spans
        index["spans"] = spans.tobytes()
        index["graph_names"] = "\n".join(
            [
                *self.names[: self.first],
                *(
                    self.names[at[f] + self.first]
                    if f not in by_file
                    else str(minter.source_graph(by_file[f].id))
                    for f in order
                ),
            ]
        )
        counts = index["counts"]
        counts["source documents"] += len(changes.added) - len(changes.removed)
        for i in [*changes.changed, *changes.removed]:
            for key, n in zip(COUNTED, docs.get("counts", i), strict=True):
                counts[key] -= n
        rows = {
            f: _Docs.row_of(doc, 0, changes.stats[f]) for f, doc in by_file.items()
        }  # their graphs' positions are set below, with every other's
        for row in rows.values():
            for key, n in zip(COUNTED, row["counts"], strict=True):
                counts[key] += n
        counts["triples"] += len(now) - len(was)
        index["docs"] = docs.reordered([at.get(f, -1) for f in order], order, rows, self.first)
        outputs = {k: Path(p) for k, (p, _) in index["outputs"].items()}
        write_index(index_file(self.cache_file), index, outputs)
        return Rebuilt(
            corpus.root,
            self.cache_file.parent.parent,
            corpus.name,
            corpus.title,
            corpus.base,
            dict(counts),
            files,
            [d.id for d in edited],
            [d.id for d in corpus.sources[len(edited) :]],
            sorted(removed),
            page is not None,
        )

    def _splice_both(
        self, files: dict[str, Path], plan: list[int | bytes], trig: str, ttl: str
    ) -> tuple[tuple[array, array], tuple[array, array]]:
        """The TriG and the Turtle of ``plan`` (:func:`_splice`) written at ``trig`` and
        ``ttl``; the blocks' new starts and lengths in each."""
        spans = self.spans
        trig_spans = _splice(files["trig"], trig, spans[0::4], spans[1::4], plan)
        turtle = [item if isinstance(item, int) else _turtle(item) for item in plan]
        return trig_spans, _splice(files["ttl"], ttl, spans[2::4], spans[3::4], turtle)

    def _map(
        self, corpus: Corpus, was: set[ox.Quad], now: set[ox.Quad], files: dict[str, Path]
    ) -> tuple[str | None, bytes | None, FlatSkeleton | None] | Declined:
        """The map after the changed graphs went from ``was`` to ``now``: the page (None if
        it stays as it is), the statements it read (None if the same), and the skeleton it
        was cut from (None if the same)."""
        state = MapState.from_data(self.index["map"])
        read = set(state.read)
        shows_a_change = any(q.subject.value in read for q in was ^ now)
        flat = None
        if _links(was) != _links(now):
            # New nodes or links: the skeleton changes, and the map is cut from it again.
            flat = FlatSkeleton.from_data(_load(skeleton_file(self.cache_file)))
            before, _ = _part(was)
            kinds, edges = _part(now)
            if not flat.replace(before, kinds, edges):
                return Declined("a node another document links to was removed")
            keep = flat.cut(state.max_nodes, CAP_TIER)
            drawn = flat.all_kinds() if keep is None else flat.kinds_of(keep)
            notes = (
                None if keep is None else cut_notes(flat.counts(), drawn.values(), state.max_nodes)
            )
            edges_now = flat.edges_among(drawn)
            same_view = (drawn, set(edges_now)) == (state.kinds, set(state.edges))
            same = same_view and notes == state.notes
            if same_view and not shows_a_change and notes is not None:
                # Only the counts of what was left out changed: so do the page's notes.
                page = repage(files["html"].read_text("utf-8"), state.notes or [], notes)
                if page is not None:
                    state.notes = notes
                    self.index["map"] = state.to_data()
                    return page, None, flat
            state = MapState(
                dict(sorted(drawn.items())),
                edges_now,
                state.bills,
                notes,
                state.read,
                state.max_nodes,
                state.bill_text,
            )
        else:
            same = True
        if same and not shows_a_change:
            return None, None, flat

        # What the map read, with the changed graphs as they are now; then the graphs of
        # whatever else the drawing reads.
        shown = ox.Store()
        shown.bulk_load(path=str(map_file(self.cache_file)), format=ox.RdfFormat.N_QUADS)
        for g in {q.graph_name for q in was | now}:
            shown.remove_graph(g)
        shown.extend(now)
        minter = Minter(corpus.base)
        position = {name: i for i, name in enumerate(self.names)}
        loaded = {q.graph_name.value for q in now}

        def more(subjects: set[str]) -> bool:
            homes = {minter.home_graph(s) for s in subjects - read}
            homes -= loaded
            if not homes:
                return False
            if None in homes or not homes <= position.keys():
                raise _Unplaced
            with open(files["trig"], "rb") as f:
                size = os.fstat(f.fileno()).st_size
                blocks = [_block(f, size, *self.span(position[h])) for h in sorted(homes)]
            shown.load(b"".join([HEADER, *blocks]), format=ox.RdfFormat.TRIG)
            loaded.update(homes)
            return True

        try:
            page, state.read = redraw(state, shown, corpus.title, more)
        except _Unplaced:
            return Declined("the map now shows something whose graph is not known")
        self.index["map"] = state.to_data()
        kept = set(state.read)
        nquads = ox.serialize(
            (q for q in shown.quads_for_pattern(None, None, None, None) if q.subject.value in kept),
            format=ox.RdfFormat.N_QUADS,
        )
        return page, nquads, flat

    def _neighbours(self, corpus: Corpus) -> list[int]:
        """The graphs the changed documents refer to: their bills', the organizations' and
        the topics', and those of the documents they answer."""
        graph_of = dict(zip(self.docs.text["id"], self.docs.numbers["graph"], strict=True))
        ours = {d.id for d in corpus.sources}
        for i in self.changes.removed:
            ours.add(self.docs.get("id", i))
        graph_of = {d: g for d, g in graph_of.items() if d not in ours}
        found = set(self.index["reference_graphs"])
        for doc in corpus.sources:
            if doc.bill in self.index["bill_graphs"]:
                found.add(self.index["bill_graphs"][doc.bill])
            for r in doc.relations:
                for ref in [*r.premises, r.conclusion]:
                    other = graph_of.get(ref.split("/", 1)[0])
                    if other is not None:
                        found.add(other)
        return sorted(found)
