"""The build, run: the stages in order over a corpus, or over the documents that changed.

:func:`build` runs load, emit, validate, write, draw and index (the modules beside this
one) in memory and in temporary files, and only then puts the files in their places, all
at once; a broken corpus leaves the output folder as it was.

A build into a folder where the same corpus was built before is first tried as a rebuild
(:func:`rebuild`): when only source documents changed, were added or were removed (or the
texts they quote changed), the same stages run on those documents alone, from the index
the last build left (:mod:`.index`) and its files, without reading the rest of the corpus.
Anything else (a bill, the organizations, the topics, a problem to report, an output edited
or missing, many documents at once, another version of the tool or of a library that
shapes the outputs) is left to the whole build, which reads its cache; the result says why
(``declined``). Both give the same bytes (tested).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyoxigraph as ox

from ..defaults import DEFAULT_CORPUS
from ..errors import InputError
from ..model import Corpus
from ..plumbing.cache import BuildCache
from ..plumbing.collector import gc_paused
from ..plumbing.splice import Spans
from ..plumbing.staging import Staged
from ..reading import MAX_FILE_MB, Allowed
from .index import (
    Declined,
    LastBuild,
    forget,
    index_all,
    index_changed,
    index_of,
    last_build,
    store_in_step,
)
from .result import BuildResult, Rebuilt, RebuiltResult

if TYPE_CHECKING:
    from .draw import Redrawn
    from .emit import Change, Emitted
    from .write import Order

# The stages are imported where they run: a build with nothing to do (as every ``--corpus``
# command starts with) reads the index and stops, and pays for none of them.


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

    With ``out_dir`` the build keeps a cache there (:mod:`~graph.plumbing.cache`); building the
    same corpus again redoes only what changed, and gives the same bytes. ``use_cache=False``
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
        declined = None
        if out is not None and use_cache and not drafts:
            rebuilt = rebuild(corpus_path, out, allowed)
            if isinstance(rebuilt, Rebuilt):
                return RebuiltResult(rebuilt, allowed)
            declined = rebuilt.reason
        result = _whole(corpus_path, out, use_cache and not drafts, allowed, drafts)
        result.declined = declined
        return result


def _whole(
    corpus_path: Path, out: Path | None, use_cache: bool, allowed: Allowed, drafts: bool
) -> BuildResult:
    """The stages over the whole corpus (see :func:`build`)."""
    from .draw import draw_all
    from .emit import Emission, emit_all
    from .load import load_all
    from .validate import validate_all
    from .write import output_paths

    corpus, cache = load_all(corpus_path, out, use_cache, allowed, drafts)
    emitted = emit_all(corpus, cache)
    # The Turtle, the TriG and the cache are made before the graph is checked, as temporary
    # files: they take their places only if it conforms (Staged).
    staged = Staged()
    store = ox.Store()
    emission = None
    try:
        files = [staged.reserve(p) for p in output_paths(out, corpus.name, cache)] if out else []
        emission = Emission(_WriteAll(emitted, files), store, len(emitted.kept))
        result = BuildResult(corpus, store)
        if out is None:
            emission.result()
            validate_all(corpus, store, emitted)
            return result
        # Validation's queries run in Rust on other threads while this one draws the map
        # (from the store: on a large corpus it reads only what it will draw).
        with ThreadPoolExecutor(1, thread_name_prefix="validate") as pool:
            validation = pool.submit(validate_all, corpus, store, emitted)
            drawn = draw_all(corpus, store, staged, out / f"{corpus.name}.html", cache.path)
            counts = result.counts()
            built = emission.result()
            validation.result()
    except BaseException:
        if emission is not None:
            emission.stop()
        staged.discard()
        raise
    result.files = {p.suffix.lstrip("."): p for p in staged.paths if p.parent == out}
    staged.commit()
    if drafts:  # a build of drafts is no start for the next one (see build)
        forget(cache.path)
    else:
        index_all(
            cache.path, built, counts=counts, allowed=allowed, drawn=drawn, files=result.files
        )
    return result


class _WriteAll:
    """The work of a whole build's worker: the TriG into a stream (for the store), then the
    Turtle and the TriG files and the build cache into ``files``, and the build's index but
    for what the checked store and the map add (None without files)."""

    def __init__(self, emitted: Emitted, files: list[str]) -> None:
        self.emitted = emitted
        self.files = files

    def __call__(self, stream: BinaryIO) -> dict[str, Any] | None:
        from .write import write_all

        blocks = self.emitted.into(stream)
        if not self.files:
            return None
        cache = self.emitted.cache
        graphs = write_all(list(self.emitted.kept), blocks, cache, self.files)
        stats = {path: record[:2] for path, record in cache.used_files.items()}
        return index_of(self.emitted.corpus, stats, graphs)


def rebuild(corpus_dir: Path, out_dir: Path, allowed: Allowed) -> Rebuilt | Declined:
    """Rebuild ``corpus_dir`` into ``out_dir`` from the index of the last build there, if
    only source documents changed (see the module's notes); else say why not, having
    written nothing. ``allowed``: what the corpus may read (the documents that did not
    change were read with what the index records)."""
    cache_file = BuildCache.file_for(out_dir, corpus_dir)
    last = last_build(corpus_dir, cache_file, allowed)
    if isinstance(last, Declined):
        return last
    changes = last.changes(corpus_dir)
    if isinstance(changes, Declined):
        return changes
    name, title, base, _ = last.index["meta"]
    if not changes:
        counts = dict(last.index["counts"])
        return Rebuilt(
            corpus_dir, out_dir, name, title, base, counts, last.files, [], [], [], False
        )
    from .emit import emit_changed
    from .load import load_changed
    from .write import new_order

    corpus = last.empty_corpus(corpus_dir)
    known = load_changed(corpus, last, changes, allowed)
    if isinstance(known, Declined):
        return known
    change = emit_changed(corpus, known, last, changes)
    order = new_order(corpus, last, changes, change.made)
    drawn = _stage_changed(corpus, last, change, order)
    if isinstance(drawn, Declined):
        return drawn
    redrawn, staged, spans = drawn
    with store_in_step(last.files["trig"], change.was, change.now):
        staged.commit()
    triples = len(change.now) - len(change.was)
    counts = index_changed(
        last, changes, corpus, order.files, order.names, spans, triples, redrawn.state
    )
    edited = len(changes.changed)
    return Rebuilt(
        corpus_dir,
        out_dir,
        name,
        title,
        base,
        counts,
        last.files,
        [d.id for d in corpus.sources[:edited]],
        [d.id for d in corpus.sources[edited:]],
        sorted(last.docs.get("id", i) for i in changes.removed),
        redrawn.page is not None,
    )


def _stage_changed(
    corpus: Corpus, last: LastBuild, change: Change, order: Order
) -> tuple[Redrawn, Staged, tuple[Spans, Spans]] | Declined:
    """Validate, write and draw a rebuild's change at once: the shapes checked (in Rust),
    the Turtle and the TriG spliced (by the system), the map drawn (here). The files are
    staged, to take their places only if the shapes are met."""
    from .draw import draw_changed
    from .validate import validate_changed
    from .write import write_changed

    files = last.files
    staged = Staged()
    try:
        trig_tmp, ttl_tmp = staged.reserve(files["trig"]), staged.reserve(files["ttl"])
        with ThreadPoolExecutor(2, thread_name_prefix="rebuild") as pool:
            validation = pool.submit(validate_changed, corpus, change, last)
            splices = pool.submit(write_changed, last, order, trig_tmp, ttl_tmp)
            drawn = draw_changed(corpus, change, last)
            try:
                validation.result()
            except InputError:
                drawn = Declined(
                    "the changed graphs do not meet the shapes (the whole build says where)"
                )
            spans = splices.result()
        if isinstance(drawn, Declined):
            staged.discard()
            return drawn
        drawn.stage(staged, files["html"], last.cache_file)
    except BaseException:
        staged.discard()
        raise
    return drawn, staged, spans
