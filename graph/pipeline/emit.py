"""The emit stage: the corpus's named graphs as TriG blocks, and those read into a store.

A whole build makes the graphs whose inputs changed and keeps the others' blocks from the
build cache (:func:`emit_all`); the TriG goes into a pyoxigraph store, which the later stages
check and draw from, as it is made (:class:`Emission`). A rebuild makes the graphs of the
documents that changed, and reads into a store beside them the graphs they refer to, from
the TriG the last build wrote (:func:`emit_changed`).
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

import pyoxigraph as ox

from ..emit import document, each_graph, graph_plan, trig_block
from ..model import Bill, Corpus, Known, SourceDocument
from ..plumbing import parallel
from ..plumbing.cache import BuildCache, digest
from ..plumbing.parallel import Child, can_fork
from ..plumbing.splice import HEADER, block
from ..vocab import Minter

if TYPE_CHECKING:
    from .index import Changes, LastBuild


def graph_key(corpus: Corpus, made_from: Bill | SourceDocument | str, cache: BuildCache) -> str:
    """What one named graph is made from, as a digest: the same key, the same statements.

    A graph's statements depend on its own file (and a source's text), the base IRI, and
    the IRIs of the agents it names (an id is an organization's or a person's IRI).
    """
    people = {p.id for p in corpus.people}

    def agent(a: str) -> str:
        return f"person:{a}" if a in people else f"org:{a}"

    parts = [corpus.base]
    if isinstance(made_from, Bill):
        parts += [cache.digests.get(str(made_from.origin.file), "")]
        parts += [agent(a) for a in [*made_from.authors, "|", *made_from.coauthors]]
    elif isinstance(made_from, SourceDocument):
        d = made_from
        parts += [cache.digests.get(str(d.origin.file), ""), d.text_sha256 or "", d.bill]
        parts += [agent(a) for a in d.authors]
        parts += [agent(a) for c in d.claims for a in ["|", *c.by]]
    elif made_from == "organizations":
        parts += [cache.digests.get(str(corpus.root / "organizations.yaml"), "")]
    else:
        parts += [corpus.title, cache.digests.get(str(corpus.root / "topics.yaml"), "")]
    return digest("\x00".join(parts).encode("utf-8"))


class Emitted:
    """A corpus's named graphs, in the order of its files: each one's block kept from the
    cache (``kept``, by graph name) or None, to be made when the TriG is written."""

    def __init__(self, corpus: Corpus, cache: BuildCache) -> None:
        plan = graph_plan(corpus)
        self.corpus = corpus
        self.cache = cache
        self.keys = {name: graph_key(corpus, made_from, cache) for name, made_from in plan}
        self.kept = {name: cache.graph(name, self.keys[name]) for name, _ in plan}

    @property
    def fresh(self) -> set[str]:
        """The graphs made anew, which the shapes have not seen yet."""
        return {name for name, block in self.kept.items() if block is None}

    def into(self, stream: BinaryIO) -> list[str]:
        """Write the TriG document of every graph into ``stream``, close it, and give its
        blocks; the blocks made are kept in the cache for the next build."""
        made = each_graph(self.corpus, self.fresh)
        blocks = []
        stream.write(document([]).encode("utf-8"))
        for name, text in self.kept.items():
            if text is None:
                g = next(made)
                assert g.name == name, (g.name, name)
                text = trig_block(g)
                self.cache.keep_graph(name, self.keys[name], text)
            stream.write(text.encode("utf-8"))
            blocks.append(text)
        stream.close()  # the end of the TriG for its reader, who need not wait for the rest
        return blocks


def emit_all(corpus: Corpus, cache: BuildCache) -> Emitted:
    """The graphs of the whole corpus, those unchanged since the build ``cache`` holds kept."""
    return Emitted(corpus, cache)


class Emission:
    """``work(stream)`` (which writes the TriG into its stream, then goes on with the files)
    done while ``store`` reads the TriG; :meth:`result` is what ``work`` returned.

    Writing statements as text is pure Python, and Oxigraph's reading of them into its
    store holds Python's lock: with ``items`` enough to pay for it, a forked worker writes
    the TriG into a pipe while this process reads it into the store, and goes on with the
    Turtle and the cache while this one checks the graph and draws the map. A rebuild, with
    most of the text cached, gains the writing of the files.
    """

    def __init__(self, work: Callable[[BinaryIO], Any], store: ox.Store, items: int) -> None:
        self.worker: Child | None = None
        self.value: Any = None
        if items >= parallel.MIN_ITEMS and can_fork():
            with contextlib.suppress(OSError):  # no process to be had: all of it here
                self.worker = Child(work)
        if self.worker is None:
            trig = _Kept()
            self.value = work(trig)
            store.bulk_load(trig.value, format=ox.RdfFormat.TRIG)
        else:
            self._read(store, self.worker)

    @staticmethod
    def _read(store: ox.Store, worker: Child) -> None:
        """The worker's TriG read as it comes (bulk_load would wait for the whole of it), by
        Oxigraph itself where the system names the pipe as a file."""
        try:
            if os.path.exists(f"/dev/fd/{worker.stream}"):
                store.load(path=f"/dev/fd/{worker.stream}", format=ox.RdfFormat.TRIG)
            else:
                with os.fdopen(worker.stream, "rb", closefd=False) as stream:
                    store.load(stream, format=ox.RdfFormat.TRIG)
        except (SyntaxError, ValueError, OSError) as exc:
            try:
                worker.result()
            except RuntimeError as failure:  # the worker's, the cause of this one
                if "BrokenPipeError" not in str(failure):
                    raise failure from exc
            raise

    def result(self) -> Any:
        """What ``work`` returned; reaps the worker, and raises what failed in it (a stream
        cut short between two graphs loads without complaint)."""
        if self.worker is not None:
            self.value = self.worker.result()
            self.worker = None
        return self.value

    def stop(self) -> None:
        """End the worker if it is still at work (when the build gives up)."""
        if self.worker is not None:
            self.worker.stop()


class _Kept(io.BytesIO):
    """Bytes written, kept when closed (as :attr:`value`)."""

    value = b""

    def close(self) -> None:
        if not self.closed:
            self.value = self.getvalue()
        super().close()


@dataclass
class Change:
    """The graphs of the documents a rebuild loaded, as they were and as they are now."""

    #: The changed and added documents' graphs, by name.
    names: dict[str, SourceDocument]
    #: Their TriG blocks now, by name.
    made: dict[str, bytes]
    #: Their statements now, with those of the graphs they refer to (for the shapes).
    store: ox.Store
    #: The statements of the changed and removed documents' graphs, in the last build.
    was: set[ox.Quad]
    #: The statements of the changed and added documents' graphs, now.
    now: set[ox.Quad]


def emit_changed(corpus: Corpus, known: Known, last: LastBuild, changes: Changes) -> Change:
    """The graphs of the documents loaded into ``corpus`` (those that changed), and, from the
    TriG the last build wrote, those graphs as they were and the graphs they refer to."""
    minter = Minter(corpus.base)
    names = {str(minter.source_graph(d.id)): d for d in corpus.sources}
    made = {g.name: trig_block(g).encode("utf-8") for g in each_graph(corpus, names, known)}
    with open(last.files["trig"], "rb") as f:
        size = os.fstat(f.fileno()).st_size
        old = [
            block(f, size, *last.span(last.first + i)) for i in [*changes.changed, *changes.removed]
        ]
        around = [block(f, size, *last.span(i)) for i in _neighbours(corpus, last, changes)]
    store = ox.Store()
    store.load(b"".join([HEADER, *made.values(), *around]), format=ox.RdfFormat.TRIG)
    before = ox.Store()
    before.load(b"".join([HEADER, *old]), format=ox.RdfFormat.TRIG)
    was = set(before.quads_for_pattern(None, None, None, None))
    now = {q for n in names for q in store.quads_for_pattern(None, None, None, ox.NamedNode(n))}
    return Change(names, made, store, was, now)


def _neighbours(corpus: Corpus, last: LastBuild, changes: Changes) -> list[int]:
    """The graphs the changed documents refer to, by position: their bills', the
    organizations' and the topics', and those of the documents they answer. The shapes look
    at these beside a changed graph's own statements."""
    index, docs = last.index, last.docs
    graph_of = dict(zip(docs.text["id"], docs.numbers["graph"], strict=True))
    ours = {d.id for d in corpus.sources}
    for i in changes.removed:
        ours.add(docs.get("id", i))
    graph_of = {d: g for d, g in graph_of.items() if d not in ours}
    found = set(index["reference_graphs"])
    for doc in corpus.sources:
        if doc.bill in index["bill_graphs"]:
            found.add(index["bill_graphs"][doc.bill])
        for r in doc.relations:
            for ref in [*r.premises, r.conclusion]:
                other = graph_of.get(ref.split("/", 1)[0])
                if other is not None:
                    found.add(other)
    return sorted(found)
