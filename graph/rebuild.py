"""Incremental rebuilds: a few changed source documents rebuilt from what the last build left.

A build into an output folder leaves, beside its cache (:mod:`graph.cache`), an *index*
(``.cache/<corpus folder>-<digest>.index``): the size and modification time of every corpus
file it read; where each named graph's block lies in the Turtle and the TriG it wrote; each
source document's id, claims, relations and the claims of other documents it answers; what
the rest of the corpus defines (organizations, people, topics, bills); the summary's counts;
and what its map was drawn from (:class:`~graph.visualize.MapState`), with the statements the
map read (``.map.nq``).

When only source documents (or the texts they quote) changed, :func:`attempt` rebuilds from
that index and the outputs themselves, without reading the rest of the corpus:

1. the changed documents are loaded and checked alone (:func:`~graph.load.load_documents`),
   against what the rest of the corpus defines, their quotes found in their texts;
2. their graphs are emitted and checked against the shapes (:mod:`graph.shacl`) together
   with the graphs they refer to (their bill's, the organizations', the topics', those of
   the documents they answer), read from the TriG;
3. the Turtle and the TriG are the old files with those blocks replaced (the bytes around
   them are copied by the system, not read into Python);
4. if the map's nodes and links are the same and none of what it showed changed, the page
   stays; if only what it showed changed, it is drawn again from the statements it read.

Anything else (a document added or removed, a bill, the organizations, a claim removed that
another document answers, a new link on the map, a problem in the corpus, an output edited
or missing, another version of the tool) is left to the whole build, which reads its cache;
the answer says why (:class:`Declined`). Both give the same bytes (tested).
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .emit import PREFIX_LINES, each_graph, trig_block, turtle_of_trig_block
from .errors import InputError
from .flatmap import FlatSkeleton
from .kinds import NODE_KINDS
from .load import load_documents
from .model import ATTACK_KINDS, Corpus, Known, SourceDocument
from .network import EDGE_PREDICATES
from .ontology import SHAPES_FILE
from .shacl import Check
from .staging import Staged
from .validate import shape_checks, validate_build
from .visualize import CAP_TIER, MapState, cut_notes, redraw
from .vocab import Minter

#: The first bytes of every Turtle and TriG file we write: a block alone parses after them.
HEADER = (PREFIX_LINES + "\n").encode("utf-8")

#: More changed documents than this, and the whole build (with its cache) is as quick.
MOST_CHANGED = 64

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


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
    return h.hexdigest()


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
            except OSError:
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


_COUNTED = ("claims", "quoted claims", "paraphrased claims", "supports", "attacks")

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

    def put(self, i: int | None, doc: SourceDocument, graph: int, stat: tuple[int, int]) -> None:
        """Set document ``i`` (None: a new one, at the end) to ``doc``."""
        refs = {
            ref
            for r in doc.relations
            for ref in [*r.premises, r.conclusion]
            if not ref.startswith(f"{doc.id}/")
        }
        row: dict[str, Any] = {
            "file": str(doc.origin.file),
            "id": doc.id,
            "text": str(doc.text_path) if doc.text_path else "",
            "claims": "\t".join(c.key for c in doc.claims),
            "relations": "\t".join(r.key for r in doc.relations),
            "refs": "\t".join(sorted(refs)),
            "graph": (graph,),
            "stat": stat,
            "text_stat": doc.text_stat or _NONE,
            "counts": doc_counts(doc),
        }
        for k, value in row.items():
            if k in self.text:
                if i is None:
                    self.text[k].append(value)
                else:
                    self.text[k][i] = value
            else:
                width = self.NUMBERS[k]
                if i is None:
                    self.numbers[k].extend(value)
                else:
                    self.numbers[k][i * width : (i + 1) * width] = array("q", value)

    def keys(self, k: str, i: int) -> list[str]:
        """The keys of column ``k`` (claims, relations, refs) of document ``i``."""
        found = self.text[k][i]
        return found.split("\t") if found else []


def index_of(
    corpus: Corpus,
    stats: dict[str, tuple[int, int]],
    graphs: list[tuple[str, int, int, int, int]],
    counts: dict[str, int],
    map_state: tuple,
) -> dict[str, Any] | None:
    """The index of a build: ``stats`` are the corpus files' sizes and mtimes as the build
    read them, ``graphs`` each named graph with the start and length of its block in the
    TriG and in the Turtle, in the order written. None if the corpus cannot have one (a
    file name with a line break in it)."""
    root = corpus.root
    position = {name: i for i, (name, *_) in enumerate(graphs)}
    m = Minter(corpus.base)
    docs = _Docs()
    for d in corpus.sources:
        if "\n" in str(d.origin.file) or "\n" in str(d.text_path or ""):
            return None
        docs.put(None, d, position[str(m.source_graph(d.id))], stats.get(str(d.origin.file), _NONE))
    fixed = {
        str(root / name): stats.get(str(root / name), _stat(root / name))
        for name in ("corpus.yaml", "organizations.yaml", "topics.yaml")
    }
    fixed.update({str(b.origin.file): stats.get(str(b.origin.file)) for b in corpus.bills})
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
        "graph_names": "\n".join(name for name, *_ in graphs),
        "spans": spans.tobytes(),
        "checks": [dataclasses.astuple(c) for c in shape_checks()],
        "counts": counts,
        "map": map_state,
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
        kept = os.pread(fd, n, end - n).rstrip(b"\n")
        end -= n - len(kept)
        if kept:
            break
    os.ftruncate(fd, end)
    os.lseek(fd, end, os.SEEK_SET)
    _write_all(fd, b"\n")


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
            done = os.write(dst, os.pread(src, min(end - start, 1 << 20), start))
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


def _splice(
    old: Path, new: str, starts: Sequence[int], lengths: Sequence[int], replaced: dict[int, bytes]
) -> tuple[array, array]:
    """Write at ``new`` the file ``old`` (its blocks at ``starts`` with ``lengths``) with the
    blocks at the positions of ``replaced`` replaced, copying the bytes between them; the
    new starts and lengths of every block."""
    new_starts, new_lengths = array("q", starts), array("q", lengths)
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

            for i in range(len(starts)):
                start, length = starts[i], lengths[i]
                if i in replaced:
                    flush()
                    data = replaced[i]
                    _write_all(fd, data)
                    new_starts[i], new_lengths[i] = at, len(data)
                    at += len(data)
                    continue
                if run is not None and run[0] + run[1] == start:
                    run = (run[0], run[1] + length)
                else:
                    flush()
                    run = (start, length)
                new_starts[i] = at
                at += length
            flush()
            _finish(fd)
        finally:
            os.close(fd)
    return new_starts, new_lengths


def _block(f: Any, size: int, start: int, length: int) -> bytes:
    """A block of an old file (whose last line breaks were trimmed to one)."""
    inside = max(0, min(length, size - start))
    return os.pread(f.fileno(), inside, start) + b"\n" * (length - inside)


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
    counts: dict[str, int]
    files: dict[str, Path]
    changed: list[str]  # the source documents rebuilt, by id
    redrawn: bool  # whether the map was drawn again


def _changes(
    index: dict[str, Any], docs: _Docs, root: Path
) -> tuple[list[int], dict[str, tuple[int, int]]] | Declined:
    """The positions of the documents that changed, with the sizes and mtimes of the source
    files as they are, or why the change is not one a rebuild makes."""
    for path, was in index["fixed"].items():
        if _stat(path) != (tuple(was) if was else None):
            return Declined(f"{path} changed")
    if set(_yaml_files(root / "bills")) != {
        p for p in index["fixed"] if os.path.dirname(p) == str(root / "bills")
    }:
        return Declined("a bill was added or removed")
    now = _yaml_files(root / "sources")
    files = docs.text["file"]
    if len(now) != len(files) or not now.keys() >= set(files):
        return Declined("a source document was added or removed")
    stat, text_stat = docs.numbers["stat"], docs.numbers["text_stat"]
    texts: dict[str, bool] = {}
    changed = []
    for i, (path, text) in enumerate(zip(files, docs.text["text"], strict=True)):
        moved = now[path] != (stat[2 * i], stat[2 * i + 1])
        if not moved and text:
            if text not in texts:
                texts[text] = (_stat(text) or _NONE) != (text_stat[2 * i], text_stat[2 * i + 1])
            moved = texts[text]
        if moved:
            changed.append(i)
    return changed, now


def attempt(corpus_dir: Path, out_dir: Path, cache_file: Path) -> Rebuilt | Declined:
    """Rebuild ``corpus_dir`` into ``out_dir`` from the index of the last build there, if
    only source documents changed (see the module's notes); else say why not, having
    written nothing."""
    index = read_index(index_file(cache_file))
    if index is None:
        return Declined("no index of a build by this version of the tool")
    if index["corpus"] != str(corpus_dir):
        return Declined("the index is of another corpus folder")
    for kind, (path, was) in index["outputs"].items():
        if was is None or _stat(path) != tuple(was):
            return Declined(f"the {kind} output was changed or removed")
    docs = _Docs(index["docs"])
    found = _changes(index, docs, corpus_dir)
    if isinstance(found, Declined):
        return found
    changes, stats = found
    name, title, base, description = index["meta"]
    files = {k: Path(p) for k, (p, _) in index["outputs"].items() if k in ("ttl", "trig", "html")}
    if not changes:
        return Rebuilt(corpus_dir, out_dir, name, title, dict(index["counts"]), files, [], False)
    if len(changes) > MOST_CHANGED:
        return Declined(f"{len(changes)} documents changed")
    corpus = Corpus(name=name, title=title, base=base, root=corpus_dir, description=description)
    return _Rebuild(index, docs, cache_file, changes, stats).run(corpus, files)


class _Rebuild:
    def __init__(
        self,
        index: dict[str, Any],
        docs: _Docs,
        cache_file: Path,
        changes: list[int],
        stats: dict[str, tuple[int, int]],
    ) -> None:
        self.index = index
        self.docs = docs
        self.cache_file = cache_file
        self.changes = changes
        self.stats = stats
        self.names = index["graph_names"].split("\n")
        spans = array("q")
        spans.frombytes(index["spans"])
        self.spans = spans  # 4 a graph: TriG start and length, Turtle start and length

    def span(self, i: int, turtle: bool = False) -> tuple[int, int]:
        at = 4 * i + (2 if turtle else 0)
        return self.spans[at], self.spans[at + 1]

    def known(self) -> Known:
        organizations, people, topics = self.index["known"]
        claims, relations = set(), set()
        for k, into in (("claims", claims), ("relations", relations)):
            column = list(self.docs.text[k])
            for i in self.changes:
                column[i] = ""
            into.update("\t".join(column).split("\t"))
            into.discard("")
        return Known(set(organizations), set(people), set(topics), claims, relations)

    def run(self, corpus: Corpus, files: dict[str, Path]) -> Rebuilt | Declined:
        docs = self.docs
        known = self.known()
        try:
            load_documents(
                corpus,
                [Path(docs.get("file", i)) for i in self.changes],
                {b: Path(p) for b, p in self.index["bills"].items()},
                known,
            )
        except InputError:
            return Declined("the changed documents have problems (the whole build reports them)")
        if [d.id for d in corpus.sources] != [docs.get("id", i) for i in self.changes]:
            return Declined("a document's id changed")
        answered = self._answered()
        for i, doc in zip(self.changes, corpus.sources, strict=True):
            gone = set(docs.keys("claims", i)) | set(docs.keys("relations", i))
            gone -= {c.key for c in doc.claims} | {r.key for r in doc.relations}
            if gone & answered:
                return Declined("a claim or relation another document answers was removed")

        names = {self.names[docs.get("graph", i)]: docs.get("graph", i) for i in self.changes}
        made = {names[g.name]: g for g in each_graph(corpus, names, known)}
        trig = {i: trig_block(g).encode("utf-8") for i, g in made.items()}

        # The changed graphs, and those they refer to, as the TriG has them: what the
        # shapes look at beside a changed graph's own statements.
        with open(files["trig"], "rb") as f:
            size = os.fstat(f.fileno()).st_size
            old = {i: _block(f, size, *self.span(i)) for i in trig}
            around = [
                _block(f, size, *self.span(i)) for i in self._neighbours(corpus) if i not in trig
            ]
        store = ox.Store()
        store.load(b"".join([HEADER, *trig.values(), *around]), format=ox.RdfFormat.TRIG)
        checks = [Check(*c) for c in self.index["checks"]]
        try:
            validate_build(corpus, store, graphs=names, checks=checks)
        except InputError:
            return Declined(
                "the changed graphs do not meet the shapes (the whole build says where)"
            )
        before = ox.Store()
        before.load(b"".join([HEADER, *old.values()]), format=ox.RdfFormat.TRIG)
        ours = [ox.NamedNode(n) for n in names]
        was = {q for g in ours for q in before.quads_for_pattern(None, None, None, g)}
        now = {q for g in ours for q in store.quads_for_pattern(None, None, None, g)}
        drawn = self._map(corpus, was, now, files["trig"])
        if isinstance(drawn, Declined):
            return drawn
        page, shown, flat = drawn

        staged = Staged()
        try:
            trig_spans = _splice(
                files["trig"],
                staged.reserve(files["trig"]),
                self.spans[0::4],
                self.spans[1::4],
                trig,
            )
            turtle = {
                i: turtle_of_trig_block(t.decode("utf-8")).encode("utf-8") for i, t in trig.items()
            }
            ttl_spans = _splice(
                files["ttl"],
                staged.reserve(files["ttl"]),
                self.spans[2::4],
                self.spans[3::4],
                turtle,
            )
            if page is not None:
                staged.add(files["html"], page)
                staged.add(map_file(self.cache_file), shown)
            if flat is not None:
                staged.add(skeleton_file(self.cache_file), marshal.dumps(flat.to_data()))
        except BaseException:
            staged.discard()
            raise
        staged.commit()

        index = self.index
        spans = array("q", [0]) * len(self.spans)
        spans[0::4], spans[1::4] = trig_spans
        spans[2::4], spans[3::4] = ttl_spans
        index["spans"] = spans.tobytes()
        counts = index["counts"]
        for i, doc in zip(self.changes, corpus.sources, strict=True):
            for key, was_n, now_n in zip(
                _COUNTED, docs.get("counts", i), doc_counts(doc), strict=True
            ):
                counts[key] += now_n - was_n
            docs.put(i, doc, docs.get("graph", i), self.stats[docs.get("file", i)])
        counts["triples"] += len(now) - len(was)
        index["docs"] = docs.data()
        outputs = {k: Path(p) for k, (p, _) in index["outputs"].items()}
        write_index(index_file(self.cache_file), index, outputs)
        return Rebuilt(
            corpus.root,
            self.cache_file.parent.parent,
            corpus.name,
            corpus.title,
            dict(counts),
            files,
            [d.id for d in corpus.sources],
            page is not None,
        )

    def _map(
        self, corpus: Corpus, was: set[ox.Quad], now: set[ox.Quad], trig: Path
    ) -> tuple[str | None, bytes, FlatSkeleton | None] | Declined:
        """The map after the changed graphs went from ``was`` to ``now``: the page and the
        statements it read (None, b"" if it stays as it is), and the skeleton it was cut
        from (None if the same)."""
        state = MapState.from_data(self.index["map"])
        read = set(state.read)
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
            same = (drawn, notes, set(edges_now)) == (state.kinds, state.notes, set(state.edges))
            state = MapState(
                dict(sorted(drawn.items())),
                edges_now,
                state.bills,
                notes,
                state.read,
                state.max_nodes,
            )
        else:
            same = True
        if same and not any(q.subject.value in read for q in was ^ now):
            return None, b"", flat

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
            with open(trig, "rb") as f:
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

    def _answered(self) -> set[str]:
        """The keys of the changed documents' claims and relations other documents answer."""
        ours = {self.docs.get("id", i) for i in self.changes}
        column = list(self.docs.text["refs"])
        for i in self.changes:
            column[i] = ""
        return {ref for ref in "\t".join(column).split("\t") if ref.split("/", 1)[0] in ours}
