"""What a build gives: the corpus, its RDF and the files written, for a notebook to go on from.

:class:`BuildResult` for a whole build; :class:`RebuiltResult` for a rebuild, which reads
the corpus and its RDF again only when asked for them, since the rebuild itself did not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..plumbing.cache import BuildCache
from ..reading import Allowed
from .index import COUNTED, doc_counts

if TYPE_CHECKING:
    from rdflib import Dataset, Graph

    from ..model import Corpus

# rdflib, the loader and the emitter are imported when a result is asked for what needs them:
# a build with nothing to do hands back its files alone (see graph.pipeline.run).


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
        #: Why the build was not an incremental one (a rebuild), if it was asked to be.
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
            from ..emit import dataset_of

            self._dataset = dataset_of(self.store.quads_for_pattern(None, None, None, None))
        return self._dataset

    @property
    def graph(self) -> Graph:
        """All statements in one rdflib graph (see :func:`~graph.emit.union`)."""
        if self._graph is None:
            from ..emit import union

            self._graph = union(self.dataset)
        return self._graph

    def counts(self) -> dict[str, int]:
        """What the graph holds, by kind, for the summary a user reads after a build."""
        c = self.corpus
        # Each document's share, as a rebuild adds and takes them (graph.pipeline.index).
        shares = [doc_counts(d) for d in c.sources]
        return {
            "source documents": len(c.sources),
            **{key: sum(s[i] for s in shares) for i, key in enumerate(COUNTED)},
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
    """What an incremental rebuild gives (:class:`Rebuilt`): the files and the counts at
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
            from ..load import load_corpus

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
