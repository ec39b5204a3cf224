"""The write stage: the Turtle and the TriG, a block a named graph, and the build cache.

A whole build writes every block (:func:`write_all`); a rebuild splices its new blocks into
the files the last build wrote, copying the rest (:func:`write_changed`, in the order
:func:`new_order` gives). Both write into temporary files (:mod:`~graph.plumbing.staging`) that take
their places only once the graphs are checked; both give where each block now lies, for the
index.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..emit import turtle_of_trig_block
from ..plumbing.splice import Spans, splice, write_blocks
from ..vocab import Minter

if TYPE_CHECKING:
    from ..model import Corpus
    from ..plumbing.cache import BuildCache
    from .index import Changes, LastBuild


def output_paths(out: Path, name: str, cache: BuildCache) -> list[Path]:
    """The files a whole build of the corpus ``name`` writes here, in :func:`write_all`'s order."""
    assert cache.path is not None
    return [out / f"{name}.ttl", out / f"{name}.trig", cache.path]


def write_all(
    names: list[str], blocks: list[str], cache: BuildCache, files: list[str]
) -> list[tuple[str, int, int, int, int]]:
    """Write the Turtle and the TriG of ``blocks`` (the graphs ``names``, in order) and the
    cache, into ``files`` (:func:`output_paths`' temporary files); each graph's name with the start
    and length of its block in the TriG and in the Turtle."""
    turtle, trig, cache_file = files
    ttl_spans = write_blocks(turtle, map(turtle_of_trig_block, blocks))
    trig_spans = write_blocks(trig, blocks)
    with open(cache_file, "wb") as f:
        f.write(cache.dumps())
    return [(name, *a, *b) for name, a, b in zip(names, trig_spans, ttl_spans, strict=True)]


@dataclass
class Order:
    """The graphs after a rebuild, in the order of the files: each one's block in the last
    build's files (by position) or its new bytes."""

    #: The source documents' files, in the order the loader sorts them.
    files: list[str]
    #: Every graph's name.
    names: list[str]
    #: Every graph's block: a position in the last build, or new TriG bytes.
    blocks: list[int | bytes]


def new_order(corpus: Corpus, last: LastBuild, changes: Changes, made: dict[str, bytes]) -> Order:
    """The graphs in their new order: the last build's, but for the source documents
    loaded into ``corpus`` (their new blocks ``made``, by name) and those removed."""
    docs, first = last.docs, last.first
    minter = Minter(corpus.base)
    by_file = {str(d.origin.file): d for d in corpus.sources}
    gone = {docs.get("file", i) for i in changes.removed}
    files = sorted([*(f for f in docs.text["file"] if f not in gone), *changes.added], key=Path)
    at = {f: i for i, f in enumerate(docs.text["file"])}
    names = last.names[:first]
    blocks: list[int | bytes] = list(range(first))
    for f in files:
        doc = by_file.get(f)
        if doc is None:
            names.append(last.names[at[f] + first])
            blocks.append(at[f] + first)
        else:
            names.append(str(minter.source_graph(doc.id)))
            blocks.append(made[names[-1]])
    return Order(files, names, blocks)


def write_changed(last: LastBuild, new: Order, trig: str, ttl: str) -> tuple[Spans, Spans]:
    """The TriG and the Turtle of ``new`` spliced from the last build's into ``trig`` and
    ``ttl``; the blocks' new starts and lengths in each."""
    spans, files = last.spans, last.files
    trig_spans = splice(files["trig"], trig, spans[0::4], spans[1::4], new.blocks)
    turtle = [item if isinstance(item, int) else _turtle(item) for item in new.blocks]
    return trig_spans, splice(files["ttl"], ttl, spans[2::4], spans[3::4], turtle)


def _turtle(trig: bytes) -> bytes:
    return turtle_of_trig_block(trig.decode("utf-8")).encode("utf-8")
