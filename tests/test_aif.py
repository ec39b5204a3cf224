"""AIF JSON in and out: the real AraucariaDB maps survive a round trip; broken maps are named."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF

from graph.aif import count_nodes, import_aif_file, read_aif, to_aif
from graph.cli import main
from graph.emit import union
from graph.errors import InputError
from graph.network import argument_relations, to_networkx
from graph.vocab import BG

from .conftest import FIXTURES, SHARED_DATA

ARAUCARIA = sorted((SHARED_DATA / "aif").glob("araucaria-nodeset*.json"))
AIF_FIXTURES = FIXTURES / "aif"


def test_the_shared_araucaria_maps_are_there():
    assert len(ARAUCARIA) == 4


def structure(aif: dict) -> tuple[dict, set]:
    """Node id -> (type, text), and the set of edges as (from, to)."""
    nodes = {n["nodeID"]: (n["type"], n["text"]) for n in aif["nodes"]}
    edges = {(e["fromID"], e["toID"]) for e in aif["edges"]}
    return nodes, edges


@pytest.mark.parametrize("path", ARAUCARIA, ids=lambda p: p.stem)
def test_round_trip_keeps_every_node_text_and_every_edge(path):
    original = read_aif(path)
    again = to_aif(union(import_aif_file(path)))
    assert structure(again) == structure(original)
    # and as JSON text, for an independent reader
    assert structure(json.loads(json.dumps(again))) == structure(original)


def test_nodeset664_becomes_26_claims_22_supports_and_3_attacks():
    graph = union(import_aif_file(SHARED_DATA / "aif" / "araucaria-nodeset664.json"))
    relations = argument_relations(graph)
    assert len(set(graph.subjects(RDF.type, BG.Claim))) == 26
    assert sum(r.kind == "supports" for r in relations) == 22
    assert sum(r.is_attack for r in relations) == 3
    assert count_nodes(to_aif(graph)) == {"I": 26, "RA": 22, "CA": 3}


def test_each_i_node_text_becomes_a_claims_label():
    path = SHARED_DATA / "aif" / "araucaria-nodeset10.json"
    texts = {n["text"] for n in read_aif(path)["nodes"] if n["type"] == "I"}
    view = to_networkx(union(import_aif_file(path)))
    labels = {d["label"] for _, d in view.nodes(data=True) if d["kind"] == "claim"}
    assert labels == texts


def test_dialogue_nodes_survive_a_round_trip():
    path = AIF_FIXTURES / "dialogue-with-locutions.json"
    original = read_aif(path)
    again = to_aif(union(import_aif_file(path)))
    assert structure(again) == structure(original)
    assert count_nodes(again) == {"I": 3, "L": 2, "YA": 3, "TA": 1, "CA": 1, "PA": 1, "MA": 1}


def test_ova_xaif_is_read_from_under_its_aif_key():
    graph = union(import_aif_file(AIF_FIXTURES / "ova-xaif.json"))
    assert [r.kind for r in argument_relations(graph)] == ["supports"]


def test_a_ca_node_pointing_at_an_inference_is_an_undercut():
    graph = union(import_aif_file(AIF_FIXTURES / "linked-attack-and-undercut.json"))
    kinds = sorted(r.kind for r in argument_relations(graph))
    assert kinds == ["rebuts", "rebuts", "rebuts", "supports", "undercuts"]


def test_a_corpus_exports_as_aif_with_a_node_per_claim_and_relation(sb1047_build):
    corpus = sb1047_build.corpus
    aif = to_aif(sb1047_build.graph)
    attacks = sum(r.kind != "supports" for r in corpus.relations)
    assert count_nodes(aif).get("I") == len(corpus.claims)
    assert count_nodes(aif).get("RA", 0) == len(corpus.relations) - attacks
    assert count_nodes(aif).get("CA", 0) == attacks
    premises = sum(len(r.premises) for r in corpus.relations)
    assert len(aif["edges"]) == premises + len(corpus.relations)


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("i-node-linked-to-i-node", "edge 1 joins I-node 1 to I-node 2 directly"),
        ("unknown-node-type", "node 2: type 'XX' is not one we read"),
        ("edge-to-missing-node", "edge 2 joins node 99, which is not in 'nodes'"),
        ("ra-with-two-conclusions", "RA-node 4 has 2 conclusions; AIF allows one"),
        ("not-json", "is not valid JSON"),
    ],
)
def test_broken_maps_are_reported_in_the_files_own_terms(fixture, message):
    with pytest.raises(InputError) as err:
        import_aif_file(AIF_FIXTURES / f"{fixture}.json")
    assert message in str(err.value)
    assert f"{fixture}.json" in str(err.value)


def test_import_aif_command_writes_turtle_that_any_reader_loads(tmp_path):
    out = tmp_path / "664.ttl"
    result = CliRunner().invoke(
        main, ["import-aif", str(SHARED_DATA / "aif" / "araucaria-nodeset664.json"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "26 claims, 22 supports, 3 attacks" in result.output
    graph = Graph().parse(out)
    assert len(set(graph.subjects(RDF.type, BG.Claim))) == 26


def test_import_aif_command_reports_a_broken_map_without_a_traceback(tmp_path):
    result = CliRunner().invoke(
        main,
        ["import-aif", str(AIF_FIXTURES / "unknown-node-type.json"), "-o", str(tmp_path / "x.ttl")],
    )
    assert result.exit_code == 1
    assert "error:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.ttl").exists()
