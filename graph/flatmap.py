"""A map's skeleton kept flat, in arrays, so that a rebuild can change it and cut it again.

A build's map (:func:`graph.visualize.drawn_map`) is cut from the whole skeleton of the graph:
every node's kind and every edge. A rebuild after one document changed needs that skeleton
with the document's part replaced, and the cut made again, in a fraction of a second: as
a dict and a list of tuples it takes longer to read from disk than to rebuild the document.
Here it is a list of IRIs and four arrays (node kinds; edge ends and keys), which read in
milliseconds, and the cut (:meth:`FlatSkeleton.cut`) is :func:`graph.visualize._cap_keep`'s
rule on arrays: the same nodes (tested).
"""

from __future__ import annotations

import heapq
import operator
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np

from .kinds import NODE_KINDS, RELATION_EDGE_KIND
from .network import EDGE_PREDICATES, Skeleton

KIND_NAMES = [k.name for k in NODE_KINDS]
KEY_NAMES = list(EDGE_PREDICATES.values())
_KIND_CODE = {name: i for i, name in enumerate(KIND_NAMES)}
_KEY_CODE = {name: i for i, name in enumerate(KEY_NAMES)}
_GONE = -1  # the kind of a node no graph has any more
_FIRST, _SECOND, _THIRD = (operator.itemgetter(i) for i in range(3))
_RELATIONS = np.array([_KIND_CODE[k] for k in RELATION_EDGE_KIND if k in _KIND_CODE])


class FlatSkeleton:
    """Every node of a map's skeleton (``names``, its IRIs, with ``kinds`` codes into
    :data:`KIND_NAMES`) and every edge (``u`` to ``v``, positions in ``names``, with ``keys``
    codes into :data:`KEY_NAMES`)."""

    def __init__(
        self, names: list[str], kinds: np.ndarray, u: np.ndarray, v: np.ndarray, keys: np.ndarray
    ) -> None:
        self.names = names
        self.kinds = kinds
        self.u, self.v, self.keys = u, v, keys
        self._index: dict[str, int] | None = None

    @classmethod
    def of(cls, sk: Skeleton) -> FlatSkeleton:
        names = list(sk.kinds)
        index = dict(zip(names, range(len(names)), strict=True))
        n = len(sk.edges)
        kinds = np.fromiter(map(_KIND_CODE.__getitem__, sk.kinds.values()), np.int8, len(names))
        u = np.fromiter(map(index.__getitem__, map(_FIRST, sk.edges)), np.int32, n)
        v = np.fromiter(map(index.__getitem__, map(_SECOND, sk.edges)), np.int32, n)
        keys = np.fromiter(map(_KEY_CODE.__getitem__, map(_THIRD, sk.edges)), np.int8, n)
        return cls(names, kinds, u, v, keys)

    def to_data(self) -> tuple[str, bytes, bytes, bytes, bytes]:
        """As plain data (:mod:`marshal` writes it), a few large objects."""
        keep = np.flatnonzero(self.kinds != _GONE)
        if len(keep) == len(self.names):
            names, u, v = self.names, self.u, self.v
        else:  # the nodes gone are left out, and the edges' ends renumbered
            moved = np.full(len(self.names), -1, np.int32)
            moved[keep] = np.arange(len(keep), dtype=np.int32)
            names = [self.names[i] for i in keep.tolist()]
            u, v = moved[self.u], moved[self.v]
        return (
            "\n".join(names),
            self.kinds[keep].tobytes(),
            u.tobytes(),
            v.tobytes(),
            self.keys.tobytes(),
        )

    @classmethod
    def from_data(cls, data: tuple[str, bytes, bytes, bytes, bytes]) -> FlatSkeleton:
        names, kinds, u, v, keys = data
        return cls(
            names.split("\n") if names else [],
            np.frombuffer(kinds, np.int8).copy(),
            np.frombuffer(u, np.int32).copy(),
            np.frombuffer(v, np.int32).copy(),
            np.frombuffer(keys, np.int8).copy(),
        )

    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = dict(zip(self.names, range(len(self.names)), strict=True))
        return self._index

    def replace(
        self,
        before: Iterable[str],
        kinds: Mapping[str, str],
        edges: Iterable[tuple[str, str, str]],
    ) -> bool:
        """Replace the nodes ``before`` (what a graph typed) and every edge from them by the
        nodes ``kinds`` and the ``edges`` the graph gives now (each subject's statements are
        in one graph, so a graph's edges are those from its nodes). An edge whose end is no
        node is left out, as :func:`~graph.network.skeleton` leaves it. False, and nothing
        changed, if an edge of another graph ends at a node that is gone."""
        index = self.index()
        old = np.array([index[n] for n in before if n in index], np.int64)
        gone = np.setdiff1d(old, [index[n] for n in kinds if n in index])
        if len(gone) and np.isin(self.v[~np.isin(self.u, old)], gone).any():
            return False
        for n in kinds:
            if n not in index:
                index[n] = len(self.names)
                self.names.append(n)
        grown = len(self.names) - len(self.kinds)
        if grown:
            self.kinds = np.concatenate([self.kinds, np.full(grown, _GONE, np.int8)])
        self.kinds[old] = _GONE
        for n, kind in kinds.items():
            self.kinds[index[n]] = _KIND_CODE[kind]
        stay = ~np.isin(self.u, old)
        new = [
            (index[s], index[o], _KEY_CODE[key])
            for s, o, key in dict.fromkeys(edges)
            if s in index and o in index and self.kinds[index[o]] != _GONE
        ]
        added = np.array(new, np.int64).reshape(-1, 3)
        self.u = np.concatenate([self.u[stay], added[:, 0].astype(np.int32)])
        self.v = np.concatenate([self.v[stay], added[:, 1].astype(np.int32)])
        self.keys = np.concatenate([self.keys[stay], added[:, 2].astype(np.int8)])
        return True

    def counts(self) -> Counter:
        """How many nodes of each kind."""
        found = np.bincount(self.kinds[self.kinds != _GONE], minlength=len(KIND_NAMES))
        return Counter({KIND_NAMES[c]: int(n) for c, n in enumerate(found) if n})

    def cut(self, max_nodes: int, tiers: Mapping[str, int]) -> set[str] | None:
        """The nodes a map of at most ``max_nodes`` drawn nodes keeps (None when every node
        fits): :func:`graph.visualize._cap_keep` of the whole skeleton, with the kinds'
        ``tiers`` (default 1)."""
        drawn = [c for c, name in enumerate(KIND_NAMES) if name not in RELATION_EDGE_KIND]
        counts = np.bincount(self.kinds[self.kinds != _GONE], minlength=len(KIND_NAMES))
        if counts[drawn].sum() <= max_nodes:
            return None
        by_tier: dict[int, list[int]] = {}
        for c in drawn:
            if counts[c]:
                by_tier.setdefault(tiers.get(KIND_NAMES[c], 1), []).append(c)
        kept: list[int] = []
        for tier in sorted(by_tier):
            room = max_nodes - len(kept)
            group = np.flatnonzero(np.isin(self.kinds, by_tier[tier])).tolist()
            if len(group) > room:
                n = len(self.names)
                degree = np.bincount(self.u, minlength=n) + np.bincount(self.v, minlength=n)
                names = self.names
                kept += heapq.nsmallest(room, group, key=lambda i: (-degree[i], names[i]))
                break
            kept += group
        return self._with_relations(kept)

    def _with_relations(self, kept: list[int]) -> set[str]:
        """The names of ``kept`` and of the relations among them, as
        :func:`graph.visualize._with_relations` adds them."""
        is_relation = np.isin(self.kinds, _RELATIONS)
        premise = (self.keys == _KEY_CODE["premise"]) & is_relation[self.u]
        # A relation joins the cut only if a premise is kept: those are the few to look at.
        candidates = np.unique(self.u[premise & np.isin(self.v, kept)])
        names = self.names
        premises: dict[int, list[str]] = {}
        ours = premise & np.isin(self.u, candidates)
        for r, p in zip(self.u[ours].tolist(), self.v[ours].tolist(), strict=True):
            premises.setdefault(r, []).append(names[p])
        conclusion = (self.keys == _KEY_CODE["conclusion"]) & np.isin(self.u, candidates)
        conclusions: dict[int, str] = {}
        for r, c in zip(self.u[conclusion].tolist(), self.v[conclusion].tolist(), strict=True):
            held = conclusions.get(r)
            if held is None or names[c] < held:
                conclusions[r] = names[c]
        nodes = {names[i] for i in kept}
        pending = [
            (names[r], found, conclusions[r]) for r, found in premises.items() if r in conclusions
        ]
        changed = True
        while changed:  # an undercut is kept once the relation it attacks is
            changed = False
            waiting = []
            for r, found, to in pending:
                if to in nodes and any(p in nodes for p in found):
                    nodes.add(r)
                    changed = True
                else:
                    waiting.append((r, found, to))
            pending = waiting
        return nodes

    def kinds_of(self, nodes: Iterable[str]) -> dict[str, str]:
        index = self.index()
        return {n: KIND_NAMES[self.kinds[index[n]]] for n in nodes}

    def all_kinds(self) -> dict[str, str]:
        return {
            n: KIND_NAMES[c]
            for n, c in zip(self.names, self.kinds.tolist(), strict=True)
            if c != _GONE
        }

    def edges_among(self, nodes: Iterable[str]) -> list[tuple[str, str, str]]:
        """The edges between two of ``nodes``, a key at a time in :data:`KEY_NAMES` order."""
        index = self.index()
        inside = np.zeros(len(self.names), bool)
        inside[[index[n] for n in nodes]] = True
        mask = inside[self.u] & inside[self.v]
        names = self.names
        found = [
            (names[a], names[b], KEY_NAMES[k])
            for a, b, k in zip(
                self.u[mask].tolist(), self.v[mask].tolist(), self.keys[mask].tolist(), strict=True
            )
        ]
        return sorted(found, key=lambda e: (_KEY_CODE[e[2]], e[0], e[1]))
