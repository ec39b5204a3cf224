"""AIF JSON in and out: the real AraucariaDB maps and OVA's and AIFdb's dialogues survive a round
trip with their ids, speakers and scheme ids; what a file holds beyond that is named, with counts;
broken maps are named."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from graph.aif import aif_core, count_nodes, import_aif, import_aif_file, read_aif, to_aif
from graph.cli import main
from graph.emit import union
from graph.errors import InputError
from graph.network import argument_relations, to_networkx
from graph.validate import validate
from graph.vocab import BG

from .conftest import FIXTURES, SHARED_DATA
from .test_ontology import undefined, vocabulary_used

ARAUCARIA = sorted((SHARED_DATA / "aif").glob("araucaria-nodeset*.json"))
AIF_FIXTURES = FIXTURES / "aif"
#: Fixtures that import: maps in each of the forms AIF tools write, and extended ones.
READABLE = [
    AIF_FIXTURES / f"{name}.json"
    for name in (
        "aifdb-dialogue-with-speakers",
        "dialogue-with-locutions",
        "hevy-extension-nodes",
        "integer-node-ids",
        "linked-attack-and-undercut",
        "ova-dialogue-with-layout",
        "ova-xaif",
        "unknown-node-type",
    )
]

PREFIXES = """
PREFIX aif: <http://www.arg.dundee.ac.uk/aif#>
PREFIX bg: <https://w3id.org/billgraph/ontology#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def test_the_shared_araucaria_maps_are_there():
    assert len(ARAUCARIA) == 4


def structure(aif: dict) -> tuple[dict, set]:
    """Node id -> (type, text), and the set of edges as (from, to)."""
    nodes = {n["nodeID"]: (n["type"], n["text"]) for n in aif["nodes"]}
    edges = {(e["fromID"], e["toID"]) for e in aif["edges"]}
    return nodes, edges


def present(record: dict) -> dict:
    """A record's fields that say something: null and an absent field mean the same in AIF."""
    return {k: v for k, v in record.items() if v is not None}


def kept(aif: dict) -> dict:
    """What of an AIF map's JSON we keep, as comparable values, JSON types and all.

    A scheme id is one fact however the file gives it (on the node, or as a scheme
    fulfilment); a locution's personID names the participant, whose own id is its id.
    """
    core = aif_core(aif)
    nodes = sorted(
        (present({k: v for k, v in n.items() if k != "schemeID"}) for n in core["nodes"]),
        key=lambda n: str(n["nodeID"]),
    )
    scheme_ids = {(str(n["nodeID"]), str(n["schemeID"])) for n in core["nodes"] if "schemeID" in n}
    scheme_ids |= {
        (str(f["nodeID"]), str(f["schemeID"])) for f in core.get("schemefulfillments") or []
    }
    people = {str(p["participantID"]): p["participantID"] for p in core.get("participants") or []}
    locutions = sorted(
        (
            present({**loc, "personID": people.get(str(loc.get("personID")), loc.get("personID"))})
            for loc in core.get("locutions") or []
        ),
        key=lambda loc: str(loc["nodeID"]),
    )
    return {
        "nodes": nodes,
        "edges": sorted((present(e) for e in core["edges"]), key=lambda e: str(e["edgeID"])),
        "locutions": locutions,
        "participants": sorted(
            (present(p) for p in core.get("participants") or []),
            key=lambda p: str(p["participantID"]),
        ),
        "scheme ids": scheme_ids,
    }


def round_trip(path) -> dict:
    """The AIF JSON an import then an export writes, as a reader of the file gets it."""
    return json.loads(json.dumps(to_aif(union(import_aif_file(path).dataset))))


# --- the real maps ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ARAUCARIA, ids=lambda p: p.stem)
def test_round_trip_keeps_every_node_text_and_every_edge(path):
    original = read_aif(path)
    assert structure(round_trip(path)) == structure(original)


@pytest.mark.parametrize("path", ARAUCARIA, ids=lambda p: p.stem)
def test_round_trip_writes_each_node_and_edge_back_with_its_ids_and_times(path):
    """Edge ids were renumbered and every formEdgeID nulled; the nodes' timestamps and ids are
    written back as AIFdb wrote them."""
    original, again = read_aif(path), round_trip(path)
    assert sorted(again["nodes"], key=lambda n: n["nodeID"]) == sorted(
        original["nodes"], key=lambda n: n["nodeID"]
    )
    assert sorted(again["edges"], key=lambda e: e["edgeID"]) == sorted(
        original["edges"], key=lambda e: e["edgeID"]
    )


def test_every_real_map_imports_exports_and_imports_again_to_the_same_graph():
    """The count over all the shared maps: import, export, import gives the same graph, and
    the second export the same JSON, for every one."""
    lossless = 0
    for path in ARAUCARIA:
        first = union(import_aif_file(path).dataset)
        written = to_aif(first)
        again = union(import_aif(json.loads(json.dumps(written)), path.stem).dataset)
        lossless += isomorphic(first, again) and to_aif(again) == written
    assert lossless == len(ARAUCARIA) == 4


def test_nodeset664_becomes_26_claims_22_supports_and_3_attacks():
    imported = import_aif_file(SHARED_DATA / "aif" / "araucaria-nodeset664.json")
    graph = union(imported.dataset)
    relations = argument_relations(graph)
    assert len(set(graph.subjects(RDF.type, BG.Claim))) == 26
    assert sum(r.kind == "supports" for r in relations) == 22
    assert sum(r.is_attack for r in relations) == 3
    assert count_nodes(to_aif(graph)) == {"I": 26, "RA": 22, "CA": 3}
    assert imported.summary() == "kept 51 nodes and 50 edges; nothing left out"


def test_each_i_node_text_becomes_a_claims_label():
    path = SHARED_DATA / "aif" / "araucaria-nodeset10.json"
    texts = {n["text"] for n in read_aif(path)["nodes"] if n["type"] == "I"}
    view = to_networkx(union(import_aif_file(path).dataset))
    labels = {d["label"] for _, d in view.nodes(data=True) if d["kind"] == "claim"}
    assert labels == texts


# --- locutions, participants, scheme ids ------------------------------------------------------


def test_the_participants_name_is_on_the_locution_that_introduces_each_claim():
    """Who said what: through the YA-node from the locution to the claim, as AIF has it."""
    graph = union(import_aif_file(AIF_FIXTURES / "ova-dialogue-with-layout.json").dataset)
    rows = graph.query(
        PREFIXES
        + """
        SELECT ?name ?claim ?start ?end WHERE {
          ?ya aif:Locution ?locution ; aif:IllocutionaryContent ?i .
          ?i a bg:Claim ; rdfs:label ?claim .
          ?locution bg:spokenBy ?who ; bg:locutionStart ?start .
          ?who a foaf:Person ; foaf:name ?name .
          OPTIONAL { ?locution bg:locutionEnd ?end }
        } ORDER BY ?start"""
    )
    assert [(str(n), str(c), str(s), e and str(e)) for n, c, s, e in rows] == [
        (
            "Priya Shah",
            "Registration fees will push small makers out of the market.",
            "2024-03-05T10:15:00",
            None,
        ),
        (
            "Tom Okafor",
            "Makers can pass the fee on to their buyers.",
            "2024-03-05T10:15:20",
            "2024-03-05T10:15:31",
        ),
    ]


@pytest.mark.parametrize(
    "fixture",
    ["ova-dialogue-with-layout", "aifdb-dialogue-with-speakers", "integer-node-ids"],
)
def test_round_trip_writes_locutions_participants_and_scheme_ids_back(fixture):
    """Export wrote "locutions": [] and no participants or scheme ids, whatever the map held."""
    path = AIF_FIXTURES / f"{fixture}.json"
    again = round_trip(path)
    assert again["locutions"] and again["participants"]
    assert kept(again) == kept(read_aif(path))


def test_an_aifdb_map_keeps_its_edge_ids_form_edges_and_scheme_ids():
    again = round_trip(AIF_FIXTURES / "aifdb-dialogue-with-speakers.json")
    edges = {e["edgeID"]: e for e in again["edges"]}
    assert edges["609"] == {"edgeID": "609", "fromID": "501", "toID": "508", "formEdgeID": "33"}
    assert edges["601"]["formEdgeID"] is None
    ra = next(n for n in again["nodes"] if n["type"] == "RA")
    assert ra["scheme"] == "Argument From Negative Consequences" and ra["schemeID"] == "17"
    assert {"nodeID": "508", "schemeID": "17"} in again["schemefulfillments"]
    (dana,) = again["participants"]
    assert dana == {"participantID": "3", "firstname": "Dana", "surname": "Reyes"}
    assert again["locutions"][1] == {
        "nodeID": "504",
        "personID": "3",
        "timestamp": "2024-03-05 11:02:12",
        "start": "2024-03-05 10:59:52",
        "end": "2024-03-05 11:00:00",
        "source": "https://example.org/hearings/2024-03-05",
    }


def test_integer_node_ids_come_back_as_integers():
    path = AIF_FIXTURES / "integer-node-ids.json"
    text = json.dumps(to_aif(union(import_aif_file(path).dataset)))
    again = json.loads(text)
    assert {n["nodeID"] for n in again["nodes"]} == set(range(7))
    assert [e["edgeID"] for e in again["edges"]] == list(range(6))
    assert {(e["fromID"], e["toID"]) for e in again["edges"]} == {
        (0, 3), (3, 2), (1, 5), (5, 4), (2, 6), (6, 4)
    }  # fmt: skip
    assert [(loc["nodeID"], loc["personID"]) for loc in again["locutions"]] == [(0, 0), (1, 1)]
    assert '"nodeID": 0,' in text and '"nodeID": "0"' not in text


def test_a_locutions_personid_names_the_participant_whatever_its_json_type():
    """OVA writes one locution's personID as 1 and another's as "2": both name a participant,
    and the export writes the participant's own id."""
    again = round_trip(AIF_FIXTURES / "ova-dialogue-with-layout.json")
    assert [loc["personID"] for loc in again["locutions"]] == [1, 2]


def test_speakers_not_in_participants_are_kept_by_their_id():
    imported = import_aif_file(AIF_FIXTURES / "dialogue-with-locutions.json")
    assert imported.summary() == (
        "kept 12 nodes and 14 edges, 2 locutions of 2 participants (2 known only by id); "
        "nothing left out"
    )
    again = to_aif(union(imported.dataset))
    assert [(loc["nodeID"], loc["personID"]) for loc in again["locutions"]] == [
        ("20", "1"),
        ("21", "2"),
    ]
    assert again["participants"] == []


# --- what is not kept, said with counts -------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "summary"),
    [
        (
            "ova-dialogue-with-layout",
            "kept 9 nodes and 10 edges, 2 locutions of 2 participants, the scheme ids of "
            "5 nodes; not kept: xAIF text (1 document), OVA layout of 9 nodes and 10 edges, "
            "1 descriptor fulfilment",
        ),
        (
            "aifdb-dialogue-with-speakers",
            "kept 9 nodes and 10 edges, 2 locutions of 1 participant, the scheme ids of 5 nodes; "
            "nothing left out",
        ),
        (
            "integer-node-ids",
            "kept 7 nodes and 6 edges, 2 locutions of 2 participants; "
            "not kept: xAIF 'dialog' (true), xAIF text (1 document)",
        ),
        (
            "hevy-extension-nodes",
            "kept 3 nodes and 2 edges; "
            "not kept: 3 HEVY nodes (2 'Event', 1 'EventDescription'), 3 edges of those nodes",
        ),
        (
            "unknown-node-type",
            "kept 1 node and 0 edges; not kept: 1 node of a type outside AIF's core (1 'XX')",
        ),
        ("ova-xaif", "kept 3 nodes and 2 edges; nothing left out"),
    ],
)
def test_the_summary_says_what_was_kept_and_what_was_not_with_counts(fixture, summary):
    assert import_aif_file(AIF_FIXTURES / f"{fixture}.json").summary() == summary


def test_a_map_with_hevy_extension_nodes_is_read_for_its_aif_core():
    """It was refused whole ("type 'Event' is not one we read")."""
    imported = import_aif_file(AIF_FIXTURES / "hevy-extension-nodes.json")
    graph = union(imported.dataset)
    assert [r.kind for r in argument_relations(graph)] == ["supports"]
    again = to_aif(graph)
    assert structure(again) == (
        {
            "1": ("I", "The maker shipped untested widgets in May."),
            "2": ("I", "The maker broke the testing rule."),
            "3": ("RA", "Default Inference"),
        },
        {("1", "3"), ("3", "2")},
    )
    assert imported.left_out == (
        "3 HEVY nodes (2 'Event', 1 'EventDescription')",
        "3 edges of those nodes",
    )


def test_fields_we_do_not_read_are_named_with_their_counts():
    data = read_aif(AIF_FIXTURES / "aifdb-dialogue-with-speakers.json")
    for node in data["nodes"][:2]:
        node["visible"] = True
    data["edges"][0]["text"] = "describes"
    imported = import_aif(data, "extra-fields")
    assert imported.left_out == ("field 'visible' of 2 nodes", "field 'text' of 1 edge")


# --- the forms AIF is written in ----------------------------------------------------------------


def test_dialogue_nodes_survive_a_round_trip():
    path = AIF_FIXTURES / "dialogue-with-locutions.json"
    original = read_aif(path)
    again = round_trip(path)
    assert structure(again) == structure(original)
    assert count_nodes(again) == {"I": 3, "L": 2, "YA": 3, "TA": 1, "CA": 1, "PA": 1, "MA": 1}


def test_ova_xaif_is_read_from_under_its_aif_key():
    graph = union(import_aif_file(AIF_FIXTURES / "ova-xaif.json").dataset)
    assert [r.kind for r in argument_relations(graph)] == ["supports"]


def test_a_ca_node_pointing_at_an_inference_is_an_undercut():
    graph = union(import_aif_file(AIF_FIXTURES / "linked-attack-and-undercut.json").dataset)
    kinds = sorted(r.kind for r in argument_relations(graph))
    assert kinds == ["rebuts", "rebuts", "rebuts", "supports", "undercuts"]


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.stem)
def test_import_export_import_gives_the_same_graph(path):
    first = union(import_aif_file(path).dataset)
    written = to_aif(first)
    again = union(import_aif(json.loads(json.dumps(written)), path.stem).dataset)
    assert isomorphic(first, again)
    assert to_aif(again) == written


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.stem)
def test_imported_maps_meet_the_shapes_and_use_only_defined_terms(path):
    dataset = import_aif_file(path).dataset
    report = validate(dataset)
    assert report.conforms, report.text()
    assert undefined(vocabulary_used(union(dataset))) == set()


def test_a_corpus_exports_as_aif_with_a_node_per_claim_and_relation(sb1047_build):
    corpus = sb1047_build.corpus
    aif = to_aif(sb1047_build.graph)
    attacks = sum(r.kind != "supports" for r in corpus.relations)
    assert count_nodes(aif).get("I") == len(corpus.claims)
    assert count_nodes(aif).get("RA", 0) == len(corpus.relations) - attacks
    assert count_nodes(aif).get("CA", 0) == attacks
    premises = sum(len(r.premises) for r in corpus.relations)
    assert len(aif["edges"]) == premises + len(corpus.relations)
    assert len({e["edgeID"] for e in aif["edges"]}) == len(aif["edges"])
    assert aif["locutions"] == aif["participants"] == aif["schemefulfillments"] == []


# --- broken maps ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("i-node-linked-to-i-node", "edge 1 joins I-node 1 to I-node 2 directly"),
        ("edge-to-missing-node", "edge 2 joins node 99, which is not in 'nodes'"),
        ("ra-with-two-conclusions", "RA-node 4 has 2 conclusions; AIF allows one"),
        ("locution-of-missing-node", "locution 1 names node 99, which is not in 'nodes'"),
        ("not-json", "is not valid JSON"),
    ],
)
def test_broken_maps_are_reported_in_the_files_own_terms(fixture, message):
    with pytest.raises(InputError) as err:
        import_aif_file(AIF_FIXTURES / f"{fixture}.json")
    assert message in str(err.value)
    assert f"{fixture}.json" in str(err.value)


# --- the command --------------------------------------------------------------------------------


def test_import_aif_command_writes_turtle_that_any_reader_loads(tmp_path):
    out = tmp_path / "664.ttl"
    result = CliRunner().invoke(
        main, ["import-aif", str(SHARED_DATA / "aif" / "araucaria-nodeset664.json"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "26 claims, 22 supports, 3 attacks" in result.output
    assert "Kept 51 nodes and 50 edges; nothing left out" in result.output
    graph = Graph().parse(out)
    assert len(set(graph.subjects(RDF.type, BG.Claim))) == 26


def test_import_aif_command_says_what_it_did_not_keep(tmp_path):
    out = tmp_path / "ova.ttl"
    result = CliRunner().invoke(
        main, ["import-aif", str(AIF_FIXTURES / "ova-dialogue-with-layout.json"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (
        "Kept 9 nodes and 10 edges, 2 locutions of 2 participants, the scheme ids of 5 nodes; "
        "not kept: xAIF text (1 document), OVA layout of 9 nodes and 10 edges, "
        "1 descriptor fulfilment\n"
    ) in result.output
    names = {str(o) for o in Graph().parse(out).objects(None, BG.spokenBy)}
    assert len(names) == 2


def test_import_aif_command_reports_a_broken_map_without_a_traceback(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "import-aif",
            str(AIF_FIXTURES / "edge-to-missing-node.json"),
            "-o",
            str(tmp_path / "x.ttl"),
        ],
    )
    assert result.exit_code == 1
    assert "error:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.ttl").exists()
