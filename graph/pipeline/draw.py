"""The draw stage: the map of the debate (:mod:`graph.visualize`), drawn or brought up to date.

A whole build draws the map from its store and keeps, for a rebuild, the statements the map
read and the whole skeleton it was cut from (:func:`draw_all`). A rebuild draws it again only
if what changed shows on it (:func:`draw_changed`): if the changed graphs' nodes and links are
the same, the page stays, or is drawn again from the statements it read if one of those
changed; if not, the skeleton's part of those graphs is replaced, the map cut again as a
build cuts it, and drawn from the statements it read and the graphs of the nodes it now
shows.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib.namespace import RDF

from ..flatmap import FlatSkeleton
from ..kinds import NODE_KINDS
from ..model import Corpus
from ..network import EDGE_PREDICATES, skeleton
from ..plumbing.splice import HEADER, block
from ..plumbing.staging import Staged
from ..reader import bill_text
from ..visualize import CAP_TIER, MapState, cut_notes, draw, redraw, repage
from ..vocab import Minter
from .index import Declined, map_file, skeleton_file

if TYPE_CHECKING:
    from .emit import Change
    from .index import LastBuild

_RDF_TYPE = str(RDF.type)


def draw_all(
    corpus: Corpus, store: ox.Store, staged: Staged, page: Path, cache_file: Path
) -> MapState:
    """Draw the map of ``store`` and stage it at ``page``, with what a rebuild needs of it
    beside the cache: the statements it read, the skeleton it was cut from. On a large
    corpus it reads only what it will draw."""
    sk = skeleton(store)
    html, drawn = draw(sk, title=corpus.title, bill_text=bill_text(store))
    staged.add(page, html)
    shown = (q for s in drawn.read for q in store.quads_for_pattern(ox.NamedNode(s), None, None))
    staged.add(map_file(cache_file), ox.serialize(shown, format=ox.RdfFormat.N_QUADS))
    staged.add(skeleton_file(cache_file), marshal.dumps(FlatSkeleton.of(sk).to_data()))
    return drawn


@dataclass
class Redrawn:
    """The map after a rebuild: each part None where it stays as it was."""

    page: str | None = None
    #: The statements the map read (N-Quads).
    shown: bytes | None = None
    #: The skeleton it was cut from.
    flat: FlatSkeleton | None = None
    #: What it was drawn from, for the index.
    state: MapState | None = None

    def stage(self, staged: Staged, page: Path, cache_file: Path) -> None:
        """Stage what changed: the page at ``page``, the rest beside the cache."""
        if self.page is not None:
            staged.add(page, self.page)
        if self.shown is not None:
            staged.add(map_file(cache_file), self.shown)
        if self.flat is not None:
            staged.add(skeleton_file(cache_file), marshal.dumps(self.flat.to_data()))


def draw_changed(corpus: Corpus, change: Change, last: LastBuild) -> Redrawn | Declined:
    """The map after the changed graphs went from ``change.was`` to ``change.now``, or why
    the rebuild cannot tell it."""
    state = MapState.from_data(last.index["map"])
    was, now = change.was, change.now
    read = set(state.read)
    shows_a_change = any(q.subject.value in read for q in was ^ now)
    flat = None
    same = True
    if _links(was) != _links(now):
        # New nodes or links: the skeleton changes, and the map is cut from it again.
        flat = FlatSkeleton.from_data(_load(skeleton_file(last.cache_file)))
        before, _ = _part(was)
        kinds, edges = _part(now)
        if not flat.replace(before, kinds, edges):
            return Declined("a node another document links to was removed")
        keep = flat.cut(state.max_nodes, CAP_TIER)
        drawn = flat.all_kinds() if keep is None else flat.kinds_of(keep)
        notes = None if keep is None else cut_notes(flat.counts(), drawn.values(), state.max_nodes)
        edges_now = flat.edges_among(drawn)
        same_view = (drawn, set(edges_now)) == (state.kinds, set(state.edges))
        same = same_view and notes == state.notes
        if same_view and not shows_a_change and notes is not None:
            # Only the counts of what was left out changed: so do the page's notes.
            page = repage(last.files["html"].read_text("utf-8"), state.notes or [], notes)
            if page is not None:
                state.notes = notes
                return Redrawn(page, None, flat, state)
        state = MapState(
            dict(sorted(drawn.items())),
            edges_now,
            state.bills,
            notes,
            state.read,
            state.max_nodes,
            state.bill_text,
        )
    if same and not shows_a_change:
        return Redrawn(flat=flat)
    return _redrawn(corpus, change, last, state, flat)


def _redrawn(
    corpus: Corpus, change: Change, last: LastBuild, state: MapState, flat: FlatSkeleton | None
) -> Redrawn | Declined:
    """The map drawn again from ``state``: from what it read, with the changed graphs as
    they are now, and then the graphs of whatever else the drawing reads, from the TriG."""
    read = set(state.read)
    shown = ox.Store()
    shown.bulk_load(path=str(map_file(last.cache_file)), format=ox.RdfFormat.N_QUADS)
    for g in {q.graph_name for q in change.was | change.now}:
        shown.remove_graph(g)
    shown.extend(change.now)
    minter = Minter(corpus.base)
    position = {name: i for i, name in enumerate(last.names)}
    loaded = {q.graph_name.value for q in change.now}

    def more(subjects: set[str]) -> bool:
        homes = {minter.home_graph(s) for s in subjects - read}
        homes -= loaded
        if not homes:
            return False
        if None in homes or not homes <= position.keys():
            raise _Unplaced
        with open(last.files["trig"], "rb") as f:
            size = os.fstat(f.fileno()).st_size
            blocks = [block(f, size, *last.span(position[h])) for h in sorted(homes)]
        shown.load(b"".join([HEADER, *blocks]), format=ox.RdfFormat.TRIG)
        loaded.update(homes)
        return True

    try:
        page, state.read = redraw(state, shown, corpus.title, more)
    except _Unplaced:
        return Declined("the map now shows something whose graph is not known")
    kept = set(state.read)
    nquads = ox.serialize(
        (q for q in shown.quads_for_pattern(None, None, None, None) if q.subject.value in kept),
        format=ox.RdfFormat.N_QUADS,
    )
    return Redrawn(page, nquads, flat, state)


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


def _load(path: Path) -> Any:
    with open(path, "rb") as f:
        return marshal.load(f)  # noqa: S302 (our own file, checked against the index)


class _Unplaced(Exception):
    """A subject whose graph the rebuild cannot tell."""


_EDGES = {str(p): name for p, name in EDGE_PREDICATES.items()}
