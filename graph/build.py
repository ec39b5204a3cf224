"""Building: corpus folder in, Turtle, TriG and an HTML map out, all or nothing.

:func:`build` runs the stages in order (load and check, emit, serialize, render) entirely in
memory, and only then writes the files, each atomically; a broken corpus leaves the output
folder as it was.
"""

from __future__ import annotations

import contextlib
import io
import marshal
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph

from . import parallel, rebuild
from .cache import BuildCache, digest
from .defaults import DEFAULT_CORPUS
from .emit import (
    dataset_of,
    document,
    each_graph,
    graph_plan,
    trig_block,
    turtle_of_trig_block,
    union,
)
from .load import gc_paused, load_corpus
from .model import Bill, Corpus, SourceDocument
from .parallel import Child, can_fork
from .reading import MAX_FILE_MB, Allowed
from .rebuild import Rebuilt, map_file, skeleton_file, write_blocks
from .staging import (
    Staged,
    write_atomically,  # noqa: F401  (notebooks import it from here)
)


class BuildResult:
    """What a build gives: the checked corpus, its RDF, the files written.

    The RDF is held in a pyoxigraph store (one named graph per source document), which the
    build validates and queries; rdflib's dataset and union graph, for a notebook, are made
    when first asked for: on a large corpus they are the slowest and largest part of a build
    (bench/README.md), and the build itself does not need them.
    """

    def __init__(
        self,
        corpus: Corpus,
        store: ox.Store,
        files: dict[str, Path] | None = None,
    ) -> None:
        self._corpus: Corpus | None = corpus
        self._store: ox.Store | None = store
        self.files: dict[str, Path] = files or {}
        #: Why the build was not an incremental one (graph.rebuild), if it was asked to be.
        self.declined: str | None = None
        self._dataset: Dataset | None = None
        self._graph: Graph | None = None

    @property
    def warnings(self) -> list[str]:
        """What the build tells the author without refusing (graph.model.Warning_), for the
        corpus it loaded; an incremental rebuild loads only what changed and says none."""
        return [str(w) for w in self._corpus.warnings] if self._corpus is not None else []

    @property
    def corpus(self) -> Corpus:
        """The checked corpus: every record, every reference resolved, quotes anchored."""
        assert self._corpus is not None
        return self._corpus

    @property
    def store(self) -> ox.Store:
        """The RDF, in a pyoxigraph store: one named graph per source document."""
        assert self._store is not None
        return self._store

    @property
    def dataset(self) -> Dataset:
        """The RDF dataset, as rdflib's: one named graph per source document."""
        if self._dataset is None:
            self._dataset = dataset_of(self.store.quads_for_pattern(None, None, None, None))
        return self._dataset

    @property
    def graph(self) -> Graph:
        """All statements in one rdflib graph (see :func:`~graph.emit.union`)."""
        if self._graph is None:
            self._graph = union(self.dataset)
        return self._graph

    def counts(self) -> dict[str, int]:
        """What the graph holds, by kind, for the summary a user reads after a build."""
        c = self.corpus
        # Each document's share, as a rebuild adds and takes them (graph.rebuild).
        shares = [rebuild.doc_counts(d) for d in c.sources]
        return {
            "source documents": len(c.sources),
            **{key: sum(s[i] for s in shares) for i, key in enumerate(rebuild.COUNTED)},
            "organizations": len(c.organizations),
            "people": len(c.people),
            "memberships": len(c.memberships),
            "bills": len(c.bills),
            "bill sections": sum(len(b.sections) for b in c.bills),
            "bill versions": sum(len(b.versions) for b in c.bills),
            "legislative events": sum(len(b.events) for b in c.bills),
            "topics": len(c.topics),
            # Each subject's statements live in one named graph, so no triple is in two:
            # the store's size is the number of distinct triples.
            "triples": len(self.store),
        }

    def _heading(self) -> str:
        return f"Built {self.corpus.title!r} ({self.corpus.name})"

    def _wrote(self) -> bool:
        return True

    def summary(self) -> str:
        """A short, human-readable report of the build."""
        counts = self.counts()
        lines = [self._heading()]
        width = max(len(k) for k in counts)
        lines += [f"  {k:<{width}}  {v:>6}" for k, v in counts.items()]
        if self.files:
            lines.append("Wrote:" if self._wrote() else "Up to date:")
            lines += [f"  {kind:<7} {path}" for kind, path in self.files.items()]
        return "\n".join(lines)


class RebuiltResult(BuildResult):
    """What an incremental rebuild gives (:mod:`graph.rebuild`): the files and the counts at
    once; the corpus and the store are read from the corpus and the TriG when first asked
    for, since the rebuild did not need them."""

    def __init__(self, rebuilt: Rebuilt, allowed: Allowed) -> None:
        super().__init__(None, None, dict(rebuilt.files))  # type: ignore[arg-type]
        self.rebuilt = rebuilt
        self.allowed = allowed

    @property
    def corpus(self) -> Corpus:
        if self._corpus is None:
            r, allowed = self.rebuilt, self.allowed
            self._corpus = load_corpus(
                r.corpus_dir,
                BuildCache.open(r.out_dir, r.corpus_dir),
                allow_dirs=allowed.dirs,
                max_file_mb=allowed.max_file_mb,
            )
        return self._corpus

    @property
    def store(self) -> ox.Store:
        if self._store is None:
            self._store = ox.Store()
            self._store.bulk_load(path=str(self.files["trig"]), format=ox.RdfFormat.TRIG)
        return self._store

    def counts(self) -> dict[str, int]:
        return dict(self.rebuilt.counts)

    def _wrote(self) -> bool:
        r = self.rebuilt
        return bool(r.changed or r.added or r.removed)

    def _heading(self) -> str:
        r = self.rebuilt
        done = [
            f"{what} {len(ids)} {which}source document{'s' if len(ids) > 1 else ''} "
            f"({', '.join(ids[:3])}{', ...' if len(ids) > 3 else ''})"
            for what, which, ids in (
                ("rebuilt", "changed ", r.changed),
                ("added", "new ", r.added),
                ("removed", "", r.removed),
            )
            if ids
        ]
        return f"Built {r.title!r} ({r.name}): " + (
            "; ".join(done) or "nothing changed since the last build"
        )


def _graph_key(corpus: Corpus, made_from: Bill | SourceDocument | str, cache: BuildCache) -> str:
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


def build(
    corpus_dir: str | Path = DEFAULT_CORPUS,
    out_dir: str | Path | None = "out",
    *,
    use_cache: bool = True,
    allow_dirs: Iterable[str | Path] = (),
    max_file_mb: float = MAX_FILE_MB,
    drafts: bool = False,
) -> BuildResult:
    """Build a corpus: check it, emit RDF, and (with ``out_dir``) write Turtle, TriG and HTML.

    Returns the corpus and its RDF (a pyoxigraph store, and rdflib's dataset and union graph
    when asked for), so a notebook can go on from there. Raises
    :class:`~graph.errors.InputError` before writing anything if the corpus has problems.

    With ``out_dir`` the build keeps a cache there (:mod:`graph.cache`); building the same
    corpus again redoes only what changed, and gives the same bytes. ``use_cache=False``
    builds everything afresh (and writes a new cache).

    The build reads only regular files inside the corpus folder, or inside the folders
    ``allow_dirs``, of ``max_file_mb`` MB at most, as :func:`~graph.load.load_corpus` does.

    A draft that ``draft`` wrote (``draft: true``) is refused, with one line saying to
    review it, unless ``drafts``: then it is built, marked as a draft on the map, from
    scratch, and the build leaves no cache, so that the next build without drafts does not
    start from one that holds them.
    """
    # No garbage to collect while the records, statements and map are made (see gc_paused).
    with gc_paused():
        out = Path(out_dir) if out_dir is not None else None
        corpus_path = Path(corpus_dir).resolve()
        allowed = Allowed.of(corpus_path, allow_dirs, max_file_mb)
        return _build(corpus_path, out, use_cache and not drafts, allowed, drafts)


def _build(
    corpus_path: Path, out: Path | None, use_cache: bool, allowed: Allowed, drafts: bool = False
) -> BuildResult:
    declined = None
    if out is not None and use_cache:
        # Only some source documents changed since the last build here? Then only they are
        # read, checked and written again (graph.rebuild).
        cache_file = BuildCache.file_for(out, corpus_path)
        rebuilt = rebuild.attempt(corpus_path, out, cache_file, allowed)
        if isinstance(rebuilt, rebuild.Rebuilt):
            return RebuiltResult(rebuilt, allowed)
        declined = rebuilt.reason
    # What only a full build runs (checking, drawing the map) is imported here, so that a
    # build with nothing to do, as every ``--corpus`` command starts with, does not pay it.
    from .flatmap import FlatSkeleton
    from .network import skeleton
    from .reader import bill_text
    from .validate import validate_build
    from .visualize import draw

    cache = BuildCache() if out is None or not use_cache else BuildCache.open(out, corpus_path)
    if out is not None:
        cache.path = BuildCache.file_for(out, corpus_path)
    corpus = load_corpus(
        corpus_path,
        cache,
        allow_dirs=allowed.dirs,
        max_file_mb=allowed.max_file_mb,
        drafts=drafts,
    )

    plan = graph_plan(corpus)
    keys = {name: _graph_key(corpus, made_from, cache) for name, made_from in plan}
    kept = {name: cache.graph(name, keys[name]) for name, _ in plan}
    name = corpus.name
    # The Turtle, the TriG and the cache are made before the graph is checked, as temporary
    # files: they take their places only if it conforms (Staged).
    staged = Staged()
    store = ox.Store()
    writer = None
    try:
        for path in [out / f"{name}.ttl", out / f"{name}.trig", cache.path] if out else []:
            staged.reserve(path)  # type: ignore[arg-type]
        texts = _Texts(corpus, kept, keys, cache, staged.temporary)
        if len(kept) >= parallel.MIN_ITEMS and can_fork():
            # Writing statements as text is pure Python, and Oxigraph's reading of them into
            # its store holds Python's lock: a child process writes the TriG into a pipe
            # while this one reads it into the store, and goes on with the Turtle and the
            # cache while this one checks the graph and draws the map. A rebuild, with
            # most of the text cached, gains the writing of the files.
            with contextlib.suppress(OSError):  # no process to be had: all of it here
                writer = Child(texts.write)
        if writer is not None:
            try:
                # Read as it comes (bulk_load would wait for the whole of it), by Oxigraph
                # itself where the system names the pipe as a file.
                if os.path.exists(f"/dev/fd/{writer.stream}"):
                    store.load(path=f"/dev/fd/{writer.stream}", format=ox.RdfFormat.TRIG)
                else:
                    with os.fdopen(writer.stream, "rb", closefd=False) as stream:
                        store.load(stream, format=ox.RdfFormat.TRIG)
            except (SyntaxError, ValueError, OSError) as exc:
                try:
                    writer.result()
                except RuntimeError as failure:  # the child's, the cause of this one
                    if "BrokenPipeError" not in str(failure):
                        raise failure from exc
                raise
        else:
            trig = _Kept()
            index = texts.write(trig)
            store.bulk_load(trig.value, format=ox.RdfFormat.TRIG)
            del trig
        result = BuildResult(corpus, store)
        result.declined = declined
        # The emitted graphs must meet the shapes (ontology/shapes.ttl) before anything is
        # written; a violation is reported at the corpus line of the record that made the
        # node. Graphs the cache gave unchanged were checked when they were made.
        fresh = {name for name, t in kept.items() if t is None}
        checked = None if len(fresh) == len(kept) else fresh
        if out is None:
            if writer is not None:
                # Reaps the worker, and raises what failed in it: a stream cut short between
                # two graphs loads without complaint.
                writer.result()
            validate_build(corpus, store, graphs=checked)
            return result
        # Validation's queries run in Rust on other threads while this one draws the map
        # (from the store: on a large corpus it reads only what it will draw).
        with ThreadPoolExecutor(1, thread_name_prefix="validate") as pool:
            validation = pool.submit(validate_build, corpus, store, checked)
            sk = skeleton(store)
            page, drawn = draw(sk, title=corpus.title, bill_text=bill_text(store))
            # While the shapes are still checked: the page, and what a rebuild needs of the
            # map (graph.rebuild): the statements it read, the skeleton it was cut from.
            staged.add(out / f"{name}.html", page)
            shown = (
                q for s in drawn.read for q in store.quads_for_pattern(ox.NamedNode(s), None, None)
            )
            staged.add(map_file(cache.path), ox.serialize(shown, format=ox.RdfFormat.N_QUADS))
            staged.add(skeleton_file(cache.path), marshal.dumps(FlatSkeleton.of(sk).to_data()))
            counts = result.counts()
            if writer is not None:
                index = writer.result()
            validation.result()
    except BaseException:
        if writer is not None:
            writer.stop()
        staged.discard()
        raise
    result.files = {p.suffix.lstrip("."): p for p in staged.paths if p.parent == out}
    staged.commit()
    index_path = rebuild.index_file(cache.path)
    if drafts:  # a build of drafts is no start for the next one (see build)
        for path in (cache.path, index_path, map_file(cache.path), skeleton_file(cache.path)):
            path.unlink(missing_ok=True)
        return result
    if index is None:  # a corpus the index cannot describe: no rebuild from an old one
        index_path.unlink(missing_ok=True)
        return result
    index["counts"] = counts
    index["allowed"] = allowed.key()
    index["map"] = drawn.to_data()
    outputs = {**result.files, "map": map_file(cache.path), "skeleton": skeleton_file(cache.path)}
    rebuild.write_index(index_path, index, outputs)
    return result


class _Kept(io.BytesIO):
    """Bytes written, kept when closed (as :attr:`value`)."""

    value = b""

    def close(self) -> None:
        if not self.closed:
            self.value = self.getvalue()
        super().close()


class _Texts:
    """The build's RDF as text: the TriG document (into a stream, for the store), then the
    Turtle and the TriG files and the build cache, into the files named in ``files``."""

    def __init__(
        self,
        corpus: Corpus,
        kept: dict[str, str | None],
        keys: dict[str, str],
        cache: BuildCache,
        files: list[str],
    ) -> None:
        self.corpus = corpus
        self.kept = kept
        self.keys = keys
        self.cache = cache
        self.files = files

    def write(self, stream: BinaryIO) -> dict[str, Any] | None:
        """Write; with files, give the index of the build (graph.rebuild), but for what the
        checked store and the map add to it."""
        made = each_graph(self.corpus, {n for n, t in self.kept.items() if t is None})
        trig_blocks = []
        stream.write(document([]).encode("utf-8"))
        for name, block in self.kept.items():
            if block is None:
                g = next(made)
                assert g.name == name, (g.name, name)
                block = trig_block(g)
                self.cache.keep_graph(name, self.keys[name], block)
            stream.write(block.encode("utf-8"))
            trig_blocks.append(block)
        stream.close()  # the end of the TriG for its reader, who need not wait for the rest
        if not self.files:
            return None
        # After the TriG, so that the store has it sooner.
        turtle, trig, cache = self.files
        ttl_spans = write_blocks(turtle, map(turtle_of_trig_block, trig_blocks))
        trig_spans = write_blocks(trig, trig_blocks)
        with open(cache, "wb") as f:
            f.write(self.cache.dumps())
        # The index a rebuild starts from (graph.rebuild), but for what the checked store
        # and the map add.
        graphs = [
            (name, *a, *b) for name, a, b in zip(self.kept, trig_spans, ttl_spans, strict=True)
        ]
        stats = {path: record[:2] for path, record in self.cache.used_files.items()}
        return rebuild.index_of(self.corpus, stats, graphs)
