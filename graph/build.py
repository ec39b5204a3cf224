"""Building: corpus folder in, Turtle, TriG and an HTML map out, all or nothing.

:func:`build` runs the stages in order (load and check, emit, serialize, render) entirely in
memory, and only then writes the files, each atomically; a broken corpus leaves the output
folder as it was.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph

from . import parallel
from .cache import BuildCache, digest
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
from .model import ATTACK_KINDS, Bill, Corpus, SourceDocument
from .parallel import Child, can_fork
from .validate import validate_build
from .visualize import build_map

#: The corpus that ships with the tool: the SB 1047 debate.
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "sb1047"


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
        self.corpus = corpus
        self.store = store
        self.files: dict[str, Path] = files or {}
        self._dataset: Dataset | None = None
        self._graph: Graph | None = None

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
        relations = Counter(r.kind for r in c.relations)
        return {
            "source documents": len(c.sources),
            "claims": len(c.claims),
            "quoted claims": sum(1 for cl in c.claims if cl.quote),
            "paraphrased claims": sum(1 for cl in c.claims if cl.paraphrase),
            "supports": relations["supports"],
            "attacks": sum(relations[k] for k in ATTACK_KINDS),
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

    def summary(self) -> str:
        """A short, human-readable report of the build."""
        lines = [f"Built {self.corpus.title!r} ({self.corpus.name})"]
        width = max(len(k) for k in self.counts())
        lines += [f"  {k:<{width}}  {v:>6}" for k, v in self.counts().items()]
        if self.files:
            lines.append("Wrote:")
            lines += [f"  {kind:<7} {path}" for kind, path in self.files.items()]
        return "\n".join(lines)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class Staged:
    """Files written beside their final paths under temporary names, not yet in place:
    :meth:`commit` moves them all there, :meth:`discard` removes them.

    A build stages its outputs while it still checks them, and commits only if the checks
    pass: the writing overlaps the checking, and a failed build leaves nothing behind.
    """

    def __init__(self, files: dict[Path, str | bytes] | None = None) -> None:
        self.files: list[tuple[str, Path]] = []
        self.folders: list[Path] = []  # made for the files, removed with them on discard
        for path, content in (files or {}).items():
            self.add(path, content)

    @property
    def paths(self) -> list[Path]:
        return [path for _, path in self.files]

    @property
    def temporary(self) -> list[str]:
        """The temporary files, in the order their paths were staged."""
        return [tmp for tmp, _ in self.files]

    def reserve(self, path: Path) -> str:
        """A new, empty temporary file that :meth:`commit` will move to ``path``."""
        try:
            missing = [f for f in [path.parent, *path.parent.parents] if not f.exists()]
            for folder in reversed(missing):
                folder.mkdir(exist_ok=True)
                self.folders.append(folder)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            os.close(fd)
            self.files.append((tmp, path))
            os.chmod(tmp, 0o666 & ~_umask())
        except BaseException:
            self.discard()
            raise
        return tmp

    def add(self, path: Path, content: str | bytes) -> None:
        tmp = self.reserve(path)
        try:
            if isinstance(content, bytes):
                with open(tmp, "wb") as f:
                    f.write(content)
            else:
                _write_text(tmp, content)
        except BaseException:
            self.discard()
            raise

    def commit(self) -> None:
        try:
            for tmp, path in self.files:
                os.replace(tmp, path)
            self.folders = []
        finally:
            self.discard()

    def discard(self) -> None:
        for tmp, _ in self.files:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self.files = []
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):  # not empty: something else is in it now
                folder.rmdir()
        self.folders = []


def _write_text(path: str | Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_atomically(files: dict[Path, str | bytes]) -> None:
    """Write each file through a temporary file in its folder, so none is ever half-written."""
    Staged(files).commit()


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
) -> BuildResult:
    """Build a corpus: check it, emit RDF, and (with ``out_dir``) write Turtle, TriG and HTML.

    Returns the corpus and its RDF (a pyoxigraph store, and rdflib's dataset and union graph
    when asked for), so a notebook can go on from there. Raises
    :class:`~graph.errors.InputError` before writing anything if the corpus has problems.

    With ``out_dir`` the build keeps a cache there (:mod:`graph.cache`); building the same
    corpus again redoes only what changed, and gives the same bytes. ``use_cache=False``
    builds everything afresh (and writes a new cache).
    """
    # No garbage to collect while the records, statements and map are made (see gc_paused).
    with gc_paused():
        out = Path(out_dir) if out_dir is not None else None
        return _build(Path(corpus_dir).resolve(), out, use_cache)


def _build(corpus_path: Path, out: Path | None, use_cache: bool) -> BuildResult:
    cache = BuildCache() if out is None or not use_cache else BuildCache.open(out, corpus_path)
    if out is not None:
        cache.path = BuildCache.file_for(out, corpus_path)
    corpus = load_corpus(corpus_path, cache)

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
            texts.write(trig)
            store.bulk_load(trig.value, format=ox.RdfFormat.TRIG)
            del trig
        result = BuildResult(corpus, store)
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
            page = build_map(store, title=corpus.title)
            if writer is not None:
                writer.result()
            validation.result()
        staged.add(out / f"{name}.html", page)
    except BaseException:
        if writer is not None:
            writer.stop()
        staged.discard()
        raise
    result.files = {p.suffix.lstrip("."): p for p in staged.paths if p != cache.path}
    staged.commit()
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

    def write(self, stream: BinaryIO) -> None:
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
            return
        # After the TriG, so that the store has it sooner.
        turtle, trig, cache = self.files
        _write_text(turtle, document(turtle_of_trig_block(b) for b in trig_blocks))
        _write_text(trig, document(trig_blocks))
        with open(cache, "wb") as f:
            f.write(self.cache.dumps())
