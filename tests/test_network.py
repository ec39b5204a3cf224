"""The network view: typed nodes and edges with plain attributes, read from any RDF graph."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from graph import build
from graph.export import to_turtle
from graph.network import argument_relations, skeleton, to_networkx
from graph.push import manifest_iri, push
from graph.query import SparqlEndpoint

from .conftest import FIXTURES
from .sparql_servers import start_oxigraph

CONTESTED = FIXTURES / "corpora" / "contested-bill"
BASE = "https://example.org/corpus/contested-bill/"


@pytest.fixture(scope="module")
def built():
    return build(CONTESTED, None)


@pytest.fixture(scope="module")
def view(built):
    return to_networkx(built.graph)


def test_every_claim_relation_and_organization_is_a_typed_node(built, view):
    kinds = [d["kind"] for _, d in view.nodes(data=True)]
    assert kinds.count("claim") == len(built.corpus.claims)
    assert kinds.count("organization") == len(built.corpus.organizations)
    relation_kinds = ("support", "rebuttal", "undercut", "undermining")
    assert sum(kinds.count(k) for k in relation_kinds) == len(built.corpus.relations)


def test_a_claim_carries_its_documents_title_stance_date_and_authors(view):
    data = view.nodes[BASE + "claim/league-letter/fee-is-small"]
    assert data["label"] == "The fee is small next to a maker's revenue."
    assert data["source_title"] == "The League supports AB 1"
    assert data["source_stance"] == "support"
    assert data["date"] == "2025-02-10"
    assert data["asserted_by"] == "Safety League"
    assert data["sections"] == "SEC. 1(a)"
    assert data["topics"] == "Cost"
    assert data["paraphrase"] is True
    assert data["where"] == "paragraph 1"


def test_documents_organizations_and_relations_carry_their_kinds(view):
    assert view.nodes[BASE + "source/joint-letter"]["subkind"] == "open-letter"
    assert view.nodes[BASE + "source/joint-letter"]["stance"] == "support-if-amended"
    assert view.nodes[BASE + "org/widget-guild"]["subkind"] == "trade-association"
    rebuttal = view.nodes[BASE + "relation/league-letter/fee-rebuts-cost"]
    assert (rebuttal["kind"], rebuttal["polarity"]) == ("rebuttal", "attack")


def test_every_attribute_is_a_plain_value(view):
    for _, data in view.nodes(data=True):
        for value in data.values():
            assert isinstance(value, str | int | bool)


def test_edges_are_keyed_by_the_predicates_local_name(view):
    rel = BASE + "relation/league-letter/fee-rebuts-cost"
    assert view.has_edge(rel, BASE + "claim/league-letter/fee-is-small", key="premise")
    assert view.has_edge(rel, BASE + "claim/guild-letter/registration-is-costly", key="conclusion")
    assert view.has_edge(BASE + "org/acme", BASE + "org/safe-widgets-coalition", key="memberOf")


def test_a_graph_read_from_turtle_gives_the_same_view(built, view):
    again = to_networkx(Graph().parse(data=to_turtle(built.graph), format="turtle"))
    assert dict(again.nodes(data=True)) == dict(view.nodes(data=True))
    assert sorted(again.edges(keys=True)) == sorted(view.edges(keys=True))


def test_argument_relations_say_what_each_attack_answers(built):
    relations = {r.iri.rsplit("/", 1)[-1]: r for r in argument_relations(built.graph)}
    assert len(relations) == len(built.corpus.relations)
    rebut = relations["fee-rebuts-cost"]
    assert rebut.kind == "rebuts" and rebut.is_attack
    assert rebut.answers == (BASE + "claim/guild-letter/registration-is-costly",)
    assert relations["cost-grounds-opposition"].answers == ()


def test_sb1047_view_has_a_node_per_claim_and_relation(sb1047_corpus, sb1047_graph):
    view = to_networkx(sb1047_graph)
    kinds = [d["kind"] for _, d in view.nodes(data=True)]
    assert kinds.count("claim") == len(sb1047_corpus.claims)
    assert len(argument_relations(sb1047_graph)) == len(sb1047_corpus.relations)


# The same view from a pyoxigraph Store: what the build holds its RDF in.


@pytest.fixture(scope="module")
def sb1047_store(sb1047_build) -> ox.Store:
    """The TriG the SB 1047 build wrote, loaded into Oxigraph: one named graph per document."""
    store = ox.Store()
    store.load(path=str(sb1047_build.files["trig"]), format=ox.RdfFormat.TRIG)
    return store


def nodes_in_order(view: nx.MultiDiGraph) -> dict[str, list]:
    """Each node's attributes in the order they were set (GraphML writes them in that order)."""
    return {n: list(d.items()) for n, d in view.nodes(data=True)}


def test_a_store_gives_the_same_view_as_an_rdflib_graph(sb1047_corpus, sb1047_graph, sb1047_store):
    from_rdflib = to_networkx(sb1047_graph)
    from_store = to_networkx(sb1047_store)
    assert nodes_in_order(from_store) == nodes_in_order(from_rdflib)
    assert sorted(from_store.edges(keys=True, data=True)) == sorted(
        from_rdflib.edges(keys=True, data=True)
    )
    # and the view is the corpus's, not an empty one
    kinds = Counter(d["kind"] for _, d in from_store.nodes(data=True))
    assert kinds["claim"] == len(sb1047_corpus.claims)


def test_a_store_gives_the_same_argument_relations(sb1047_graph, sb1047_store):
    assert argument_relations(sb1047_store) == argument_relations(sb1047_graph)


@pytest.fixture(scope="module")
def sb1047_endpoint(tmp_path_factory, sb1047_build):
    """Oxigraph's server holding SB 1047's build, pushed as `push` pushes it."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-sb1047"))
    manifest = str(manifest_iri("https://w3id.org/billgraph/corpus/sb1047/"))
    push(sb1047_build.dataset, server.store_url, manifest=manifest)
    yield SparqlEndpoint(server.query_url)
    server.stop()


def test_an_endpoint_gives_the_same_view_as_a_store(sb1047_endpoint, sb1047_store):
    from_server, from_store = to_networkx(sb1047_endpoint), to_networkx(sb1047_store)
    assert nodes_in_order(from_server) == nodes_in_order(from_store)
    assert sorted(from_server.edges(keys=True)) == sorted(from_store.edges(keys=True))
    assert argument_relations(sb1047_endpoint) == argument_relations(sb1047_store)
    # and the view of a few nodes, as a focused map reads it
    few = sorted(n for n, d in from_store.nodes(data=True) if d["kind"] == "source")[:5]
    part = to_networkx(sb1047_endpoint, nodes=few)
    assert nodes_in_order(part) == nodes_in_order(to_networkx(sb1047_store, nodes=few))


def test_a_dataset_is_read_as_the_union_of_its_graphs(built, view):
    again = to_networkx(built.dataset)
    assert nodes_in_order(again) == nodes_in_order(view)
    assert sorted(again.edges(keys=True)) == sorted(view.edges(keys=True))


def test_the_view_of_some_nodes_is_the_whole_views_subgraph(sb1047_store, sb1047_graph):
    whole = to_networkx(sb1047_graph)
    claim = next(n for n, d in whole.nodes(data=True) if d["kind"] == "claim")
    document = whole.nodes[claim]["source"]
    some = {claim, document, "https://example.org/not-in-the-graph"}
    part = to_networkx(sb1047_store, nodes=some)
    assert nodes_in_order(part) == {n: list(whole.nodes[n].items()) for n in (claim, document)}
    assert sorted(part.edges(keys=True)) == sorted(whole.subgraph(some).edges(keys=True))
    # what the claim says of its document is there though the rest of the graph is not
    assert part.nodes[claim]["source_title"] == whole.nodes[document]["label"]


def test_skeleton_has_every_node_kind_and_edge_of_the_view(sb1047_store, sb1047_graph):
    whole = to_networkx(sb1047_graph)
    sk = skeleton(sb1047_store)
    assert sk.kinds == {n: d["kind"] for n, d in whole.nodes(data=True)}
    assert sorted(sk.edges) == sorted(whole.edges(keys=True))
    assert dict(sk.degree()) == {n: d for n, d in whole.degree() if d}


def _in_both_libraries(name: str) -> tuple[Dataset, ox.Store]:
    """The TriG fixture ``name`` read by rdflib and by pyoxigraph."""
    path = FIXTURES / "network" / name
    dataset = Dataset()
    dataset.parse(path, format="trig")
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TRIG)
    return dataset, store


def test_a_resource_with_two_labels_gets_the_same_one_from_either_library():
    dataset, store = _in_both_libraries("claim-with-two-labels.trig")
    claim = "https://example.org/two-labels/claim-1"
    labels = {to_networkx(g).nodes[claim]["label"] for g in (dataset, store)}
    assert labels == {"A registration costs too much."}  # the least, in code point order
    assert to_networkx(store).nodes[claim]["quote"] == "Registration is costly."


def test_links_to_literals_blank_nodes_and_repeats_read_the_same_from_either_library():
    dataset, store = _in_both_libraries("links-to-literals-blank-nodes-and-repeats.trig")
    from_store, from_rdflib = to_networkx(store), to_networkx(dataset)
    assert nodes_in_order(from_store) == nodes_in_order(from_rdflib)
    assert sorted(from_store.edges(keys=True)) == sorted(from_rdflib.edges(keys=True))
    ex = "https://example.org/imported/"
    # a literal or a blank node is no node, and a link held in two graphs is one edge
    assert sorted(from_store) == [ex + "claim", ex + "cost", ex + "guild", ex + "letter"]
    assert sorted(from_store.edges(keys=True)) == [
        (ex + "claim", ex + "cost", "topic"),
        (ex + "claim", ex + "letter", "assertedIn"),
        (ex + "letter", ex + "guild", "author"),
    ]
    assert skeleton(store).degree() == Counter(
        {ex + "claim": 2, ex + "letter": 2, ex + "cost": 1, ex + "guild": 1}
    )
    assert from_store.nodes[ex + "letter"]["subkind"] == "letter"  # of open-letter and letter
    assert from_store.nodes[ex + "guild"]["subkind"] == "trade-association"
