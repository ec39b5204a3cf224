"""The load stage: the corpus read and checked (:mod:`graph.load`), or only what changed.

A whole build reads every file, through the build cache (:func:`load_all`); a rebuild reads
the source documents that changed, checked against what the rest of the corpus defines as
the last build's index records it (:func:`load_changed`), and leaves to the whole build any
change whose consequences reach beyond them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..load import load_corpus, load_documents
from ..model import Corpus, Known
from ..plumbing.cache import BuildCache
from ..reading import Allowed
from .index import Declined

if TYPE_CHECKING:
    from .index import Changes, LastBuild


def load_all(
    corpus_dir: Path, out: Path | None, use_cache: bool, allowed: Allowed, drafts: bool
) -> tuple[Corpus, BuildCache]:
    """The checked corpus, and the build cache it was read through: the last build's into
    ``out`` if ``use_cache`` (a fresh one, to be written there, if not), none without ``out``.
    Raises :class:`~graph.errors.InputError` if the corpus has problems."""
    cache = BuildCache() if out is None or not use_cache else BuildCache.open(out, corpus_dir)
    if out is not None:
        cache.path = BuildCache.file_for(out, corpus_dir)
    corpus = load_corpus(
        corpus_dir,
        cache,
        allow_dirs=allowed.dirs,
        max_file_mb=allowed.max_file_mb,
        drafts=drafts,
    )
    return corpus, cache


def load_changed(
    corpus: Corpus, last: LastBuild, changes: Changes, allowed: Allowed
) -> Known | Declined:
    """The documents changed and added since the last build, loaded and checked into
    ``corpus`` (changed ones first, in the index's order), and what the rest of the corpus
    defines, which they were checked against; or why the change is left to the whole build.
    """
    docs = last.docs
    known = _known(last, changes)
    try:
        load_documents(
            corpus,
            [Path(docs.get("file", i)) for i in changes.changed] + [Path(p) for p in changes.added],
            {b: Path(p) for b, p in last.index["bills"].items()},
            known,
            allowed,
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
    if removed & set(last.index["provenance"]):
        return Declined("a removed document is the source of a record of an organization or a bill")
    gone = {k for i in changes.removed for c in ("claims", "relations") for k in docs.keys(c, i)}
    for i, doc in zip(changes.changed, edited, strict=True):
        # A claim that became a relation of the same id is gone as a claim too.
        gone |= set(docs.keys("claims", i)) - {c.key for c in doc.claims}
        gone |= set(docs.keys("relations", i)) - {r.key for r in doc.relations}
    if gone & _others(last, changes, "refs"):
        return Declined("a claim or relation another document answers was removed")
    return known


def _others(last: LastBuild, changes: Changes, column: str) -> set[str]:
    """The keys of a column (claims, relations, refs) of the documents that did not change."""
    values = list(last.docs.text[column])
    for i in [*changes.changed, *changes.removed]:
        values[i] = ""
    found = set("\t".join(values).split("\t"))
    found.discard("")
    return found


def _known(last: LastBuild, changes: Changes) -> Known:
    """What the rest of the corpus defines: the changed documents are checked against it."""
    organizations, people, topics = last.index["known"]
    return Known(
        set(organizations),
        set(people),
        set(topics),
        _others(last, changes, "claims"),
        _others(last, changes, "relations"),
    )
