"""The network view: typed nodes and edges with plain attributes, read from any RDF graph."""

from __future__ import annotations

import pytest
from rdflib import Graph

from graph import build
from graph.export import to_turtle
from graph.network import argument_relations, to_networkx

from .conftest import FIXTURES

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
