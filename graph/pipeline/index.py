"""The index stage: what a build leaves for the next build and for the commands.

A build into an output folder leaves, beside its cache (:mod:`~graph.plumbing.cache`),
an *index* (``.cache/<corpus folder>-<digest>.index``): the size and modification time of
every corpus file it read; where each named graph's block lies in the Turtle and the TriG it
wrote; each source document's id, claims, relations and the claims of other documents it
answers; what the rest of the corpus defines (organizations, people, topics, bills); the
summary's counts; the shapes' queries; and what its map was drawn from
(:class:`~graph.visualize.MapState`), with the statements the map read (``.map.nq``) and the
whole skeleton it was cut from (``.skeleton``, :mod:`graph.flatmap`).

The next build starts here: :func:`last_build` reads the index, and
:meth:`LastBuild.changes` says which source documents changed since; a rebuild runs the
stages on those alone (:mod:`graph.pipeline.run`). Anything the index cannot speak for is
left to the whole build, which says why (:class:`Declined`).

A rebuild also keeps the build's store on disk (:mod:`graph.store`, which the commands open)
in step: its change is applied to the store in place (:func:`store_in_step`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..model import ATTACK_KINDS, Corpus, SourceDocument
from ..ontology import SHAPES_FILE
from ..reading import Allowed, Refused
from ..store import step_of
from ..vocab import Minter

if TYPE_CHECKING:
    from ..plumbing.splice import Spans
    from ..visualize import MapState

#: More changed documents than this, and the whole build (with its cache) is as quick.
MOST_CHANGED = 64


@dataclass
class Declined:
    """Why a rebuild was left to the whole build."""

    reason: str

    def __str__(self) -> str:
        return self.reason


def fingerprint() -> str:
    """What makes an index stale whatever the corpus: every file of the package (the code,
    the schemas, the page's template and scripts, the queries), the shapes, the Python."""
    h = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent.parent
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


class Docs:
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
    from ..validate import shape_checks  # a whole build's; a rebuild keeps the last

    root = corpus.root
    position = {name: i for i, (name, *_) in enumerate(graphs)}
    m = Minter(corpus.base)
    docs = Docs()
    for d in corpus.sources:
        if "\n" in str(d.origin.file) or "\n" in str(d.text_path or ""):
            return None
        docs.append(
            Docs.row_of(
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


# --- what changed since ---------------------------------------------------------------


@dataclass
class Changes:
    """The source documents that changed since the last build: what a rebuild runs on."""

    changed: list[int]  # documents whose file or text changed, by position
    added: list[str]  # new source files
    removed: list[int]  # documents whose file is gone, by position
    stats: dict[str, tuple[int, int]]  # every source file's size and mtime, as they are

    def __len__(self) -> int:
        return len(self.changed) + len(self.added) + len(self.removed)


def _changes(index: dict[str, Any], docs: Docs, root: Path) -> Changes | Declined:
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
    return Changes(changed, added, removed, now)


# --- the last build, read ---------------------------------------------------------------


class LastBuild:
    """The index of the last build into a folder, as the rebuild's stages read it: the named
    graphs in the order of the files (the source documents' last, in the documents' order),
    where each one's block lies in the TriG and the Turtle, and the source documents."""

    def __init__(self, index: dict[str, Any], docs: Docs, cache_file: Path) -> None:
        self.index = index
        self.docs = docs
        self.cache_file = cache_file
        self.names = index["graph_names"].split("\n")
        spans = array("q")
        spans.frombytes(index["spans"])
        self.spans = spans  # 4 a graph: TriG start and length, Turtle start and length
        #: The source documents' graphs come last, in the documents' order, from here.
        self.first = len(self.names) - len(docs)

    @property
    def files(self) -> dict[str, Path]:
        """The Turtle, the TriG and the page the last build wrote."""
        outputs = self.index["outputs"]
        return {k: Path(p) for k, (p, _) in outputs.items() if k in ("ttl", "trig", "html")}

    def empty_corpus(self, root: Path) -> Corpus:
        """The corpus as the last build named it, with no records yet: the rebuild loads
        into it the documents that changed."""
        name, title, base, description = self.index["meta"]
        return Corpus(name=name, title=title, base=base, root=root, description=description)

    def span(self, i: int, turtle: bool = False) -> tuple[int, int]:
        """Where graph ``i``'s block lies in the TriG (or the Turtle): start and length."""
        at = 4 * i + (2 if turtle else 0)
        return self.spans[at], self.spans[at + 1]

    def changes(self, root: Path) -> Changes | Declined:
        """The source documents changed, added or removed since (none, if nothing changed),
        or why the change is not one for a rebuild."""
        changes = _changes(self.index, self.docs, root)
        if isinstance(changes, Declined) or not changes:
            return changes
        if len(changes) > MOST_CHANGED:
            return Declined(f"{len(changes)} documents changed")
        if len(changes.removed) == len(self.docs) and not changes.added:
            return Declined("no source documents are left")
        return changes


def last_build(corpus_dir: Path, cache_file: Path, allowed: Allowed) -> LastBuild | Declined:
    """The index the last build of ``corpus_dir`` left beside ``cache_file``, if a rebuild can
    start from it (same tool, same corpus folder and limits, outputs as written); else why
    not. ``allowed``: what the corpus may read now."""
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
        docs = Docs(index["docs"])
        if (
            len(index["graph_names"].split("\n")) * 4 * 8 != len(index["spans"])
            or not all(len(column) == len(docs) for column in docs.text.values())
            or not all(len(docs.numbers[k]) == w * len(docs) for k, w in docs.NUMBERS.items())
        ):
            raise ValueError("columns of different lengths")
    except (KeyError, TypeError, ValueError):
        return Declined("the index is damaged")
    return LastBuild(index, docs, cache_file)


# --- the stage ----------------------------------------------------------------------------


def index_all(
    cache_file: Path,
    index: dict[str, Any] | None,
    *,
    counts: dict[str, int],
    allowed: Allowed,
    drawn: MapState,
    files: dict[str, Path],
) -> None:
    """After a whole build: its index (:func:`index_of`, from the worker) completed with the
    summary's ``counts``, the limits the corpus was read with, the map's state, and the
    written ``files`` and the map's own as they are now. A corpus the index cannot describe
    leaves none (no rebuild from an old one)."""
    path = index_file(cache_file)
    if index is None:
        path.unlink(missing_ok=True)
        return
    index["counts"] = counts
    index["allowed"] = allowed.key()
    index["map"] = drawn.to_data()
    outputs = {**files, "map": map_file(cache_file), "skeleton": skeleton_file(cache_file)}
    write_index(path, index, outputs)


def forget(cache_file: Path) -> None:
    """Leave nothing for a next build to start from: a build of drafts is no start for one
    without them (see :func:`graph.pipeline.run.build`)."""
    derived = (index_file(cache_file), map_file(cache_file), skeleton_file(cache_file))
    for path in (cache_file, *derived):
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def store_in_step(trig: Path, was: set[ox.Quad], now: set[ox.Quad]) -> Iterator[None]:
    """Around the putting in place of a rebuild's TriG: its store on disk, if it was current
    with the TriG, takes the change (``was`` out, ``now`` in) rather than being made again
    by the next command."""
    step = step_of(trig)
    yield
    if step is not None:
        step.apply(was - now, now - was)


def index_changed(
    last: LastBuild,
    changes: Changes,
    corpus: Corpus,
    order: list[str],
    names: list[str],
    spans: tuple[Spans, Spans],
    triples: int,
    drawn: MapState | None,
) -> dict[str, int]:
    """After a rebuild: the index of the last build brought up to date and written, and the
    summary's counts. ``order``: the source documents' files in their new order; ``names``:
    every graph's name in the new order; ``spans``: the blocks' starts and lengths in the
    TriG and the Turtle; ``triples``: how many the change added (fewer than none if it took
    some away); ``drawn``: the map's state, if the map changed."""
    index, docs = last.index, last.docs
    (trig_starts, trig_lengths), (ttl_starts, ttl_lengths) = spans
    at = array("q", [0]) * (4 * len(names))
    at[0::4], at[1::4], at[2::4], at[3::4] = trig_starts, trig_lengths, ttl_starts, ttl_lengths
    index["spans"] = at.tobytes()
    index["graph_names"] = "\n".join(names)
    if drawn is not None:
        index["map"] = drawn.to_data()
    counts = index["counts"]
    counts["source documents"] += len(changes.added) - len(changes.removed)
    for i in [*changes.changed, *changes.removed]:
        for key, n in zip(COUNTED, docs.get("counts", i), strict=True):
            counts[key] -= n
    rows = {  # their graphs' positions are set below, with every other's
        str(d.origin.file): Docs.row_of(d, 0, changes.stats[str(d.origin.file)])
        for d in corpus.sources
    }
    for row in rows.values():
        for key, n in zip(COUNTED, row["counts"], strict=True):
            counts[key] += n
    counts["triples"] += triples
    position = {f: i for i, f in enumerate(docs.text["file"])}
    old = [position.get(f, -1) for f in order]
    index["docs"] = docs.reordered(old, order, rows, last.first)
    outputs = {k: Path(p) for k, (p, _) in index["outputs"].items()}
    write_index(index_file(last.cache_file), index, outputs)
    return dict(counts)
