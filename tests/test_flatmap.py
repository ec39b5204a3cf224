"""The map's skeleton kept flat (graph/flatmap.py): it cuts as the map cuts, and a graph's
part replaced in it gives the skeleton of the graph as it is now."""

from __future__ import annotations

import marshal

import pyoxigraph as ox
import pytest

from graph import DEFAULT_CORPUS, build
from graph.flatmap import FlatSkeleton
from graph.network import skeleton
from graph.pipeline.draw import _part
from graph.visualize import CAP_TIER, _cap_keep


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return build(DEFAULT_CORPUS, None).store


def _cut(store: ox.Store, max_nodes: int) -> set[str] | None:
    sk = skeleton(store)
    return _cap_keep(
        sk.kinds, sk.edges, max_nodes, relation_edges=sk.edges_of("premise", "conclusion")
    )


@pytest.mark.parametrize("max_nodes", [1, 10, 40, 100, 200, 300, 450, 10_000])
def test_the_flat_cut_keeps_what_the_map_keeps(store: ox.Store, max_nodes: int):
    flat = FlatSkeleton.of(skeleton(store))
    assert flat.cut(max_nodes, CAP_TIER) == _cut(store, max_nodes)


def test_the_flat_skeleton_reads_back_as_written(store: ox.Store):
    sk = skeleton(store)
    flat = FlatSkeleton.from_data(marshal.loads(marshal.dumps(FlatSkeleton.of(sk).to_data())))
    assert flat.all_kinds() == sk.kinds
    assert set(flat.edges_among(sk.kinds)) == set(sk.edges)


def _graph_of(store: ox.Store, name: str) -> list[ox.Quad]:
    return list(store.quads_for_pattern(None, None, None, ox.NamedNode(name)))


def test_a_graph_replaced_gives_the_skeleton_of_the_graph_as_it_is_now(store: ox.Store):
    # One document's graph: a claim dropped (with what links to it from its own graph), a
    # relation added between two claims of another graph.
    # Chosen in a fixed order (Oxigraph lists graphs in no set order), and a claim no other
    # graph links to, so that it can go.
    def unanswered(name: str) -> list[str]:
        graph = _graph_of(store, name)
        claims = sorted({q.subject.value for q in graph if q.object.value.endswith("#Claim")})
        return [
            c
            for c in claims
            if not any(
                q.graph_name.value != name
                for q in store.quads_for_pattern(None, None, ox.NamedNode(c), None)
            )
        ]

    names = sorted(g.value for g in store.named_graphs() if "/graph/source/" in g.value)
    name = next(n for n in names if unanswered(n))
    before = _graph_of(store, name)
    dropped = unanswered(name)[0]
    after = [q for q in before if dropped not in (q.subject.value, q.object.value)]
    other = sorted(
        q.subject.value
        for q in store.quads_for_pattern(
            None, ox.NamedNode(_TYPE), ox.NamedNode(BG + "Claim"), None
        )
        if q.graph_name.value != name
    )
    relation = ox.NamedNode(name.replace("/graph/source/", "/relation/") + "/added")
    g = ox.NamedNode(name)
    bg = BG
    after += [
        ox.Quad(relation, ox.NamedNode(_TYPE), ox.NamedNode(bg + "Support"), g),
        ox.Quad(relation, ox.NamedNode(bg + "premise"), ox.NamedNode(other[0]), g),
        ox.Quad(relation, ox.NamedNode(bg + "conclusion"), ox.NamedNode(other[1]), g),
    ]
    changed = ox.Store()
    changed.extend(
        q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name.value != name
    )
    changed.extend(after)

    flat = FlatSkeleton.of(skeleton(store))
    gone, _ = _part(before)
    kinds, edges = _part(after)
    assert flat.replace(gone, kinds, edges)
    expected = skeleton(changed)
    assert flat.all_kinds() == expected.kinds
    assert set(flat.edges_among(expected.kinds)) == set(expected.edges)
    for max_nodes in (40, 200, 10_000):
        assert flat.cut(max_nodes, CAP_TIER) == _cut(changed, max_nodes)


def test_a_node_another_graph_links_to_cannot_be_removed(store: ox.Store):
    # A claim another document answers: its graph without it is refused, nothing changed.
    answered = next(
        q.object.value
        for q in store.quads_for_pattern(None, ox.NamedNode(BG + "conclusion"), None, None)
        if "/claim/" in q.object.value
        and q.object.value.split("/claim/")[1].split("/")[0] != q.graph_name.value.rsplit("/", 1)[1]
    )
    home = next(
        q.graph_name.value
        for q in store.quads_for_pattern(ox.NamedNode(answered), None, None, None)
    )
    before = _graph_of(store, home)
    after = [q for q in before if answered not in (q.subject.value, q.object.value)]
    flat = FlatSkeleton.of(skeleton(store))
    kinds_before = flat.all_kinds()
    gone, _ = _part(before)
    kinds, edges = _part(after)
    assert not flat.replace(gone, kinds, edges)
    assert flat.all_kinds() == kinds_before


_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
BG = "https://w3id.org/billgraph/ontology#"
