"""Every export read back by an independent reader, with the same counts of nodes and relations."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import igraph
import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph import build
from graph.cli import main
from graph.export import FORMATS, export, jsonld_context
from graph.network import to_networkx

from .conftest import FIXTURES

CONTESTED = FIXTURES / "corpora" / "contested-bill"

COUNT_QUERY = """
PREFIX bg: <https://w3id.org/billgraph/ontology#>
SELECT (COUNT(DISTINCT ?c) AS ?claims) (COUNT(DISTINCT ?s) AS ?supports)
       (COUNT(DISTINCT ?a) AS ?attacks)
WHERE { { ?c a bg:Claim } UNION { ?s a bg:Support } UNION { ?a a bg:Attack } }
"""


@pytest.fixture(scope="module")
def built():
    return build(CONTESTED, None)


@pytest.fixture(scope="module")
def files(built):
    return export(built.dataset, "contested-bill", FORMATS)


def expected_counts(corpus) -> tuple[int, int, int]:
    supports = sum(r.kind == "supports" for r in corpus.relations)
    return len(corpus.claims), supports, len(corpus.relations) - supports


def oxigraph_counts(text: str, fmt: ox.RdfFormat) -> tuple[int, tuple[int, int, int]]:
    store = ox.Store()
    store.load(text.encode("utf-8"), format=fmt)
    (row,) = store.query(COUNT_QUERY, use_default_graph_as_union=True)
    return len(store), tuple(int(row[k].value) for k in ("claims", "supports", "attacks"))


@pytest.mark.parametrize(
    ("file", "fmt"),
    [
        ("contested-bill.ttl", ox.RdfFormat.TURTLE),
        ("contested-bill.nt", ox.RdfFormat.N_TRIPLES),
        ("contested-bill.trig", ox.RdfFormat.TRIG),
        ("contested-bill.jsonld", ox.RdfFormat.JSON_LD),
        ("contested-bill.rdf", ox.RdfFormat.RDF_XML),
    ],
)
def test_rdf_exports_read_back_in_pyoxigraph_with_every_triple(built, files, file, fmt):
    triples, counts = oxigraph_counts(files[file], fmt)
    assert triples == len(built.graph)
    assert counts == expected_counts(built.corpus)


def test_trig_keeps_a_named_graph_per_source_document(built, files):
    store = ox.Store()
    store.load(files["contested-bill.trig"].encode(), format=ox.RdfFormat.TRIG)
    graphs = {g.value for g in store.named_graphs()}
    for source in built.corpus.sources:
        assert f"https://example.org/corpus/contested-bill/graph/source/{source.id}" in graphs


def test_jsonld_is_compact_and_its_context_file_is_reusable(built, files):
    data = json.loads(files["contested-bill.jsonld"])
    context = json.loads(files["contested-bill.context.jsonld"])["@context"]
    assert data["@context"] == context == jsonld_context()
    claim = next(n for n in data["@graph"] if n.get("@type") == "bg:Claim")
    assert "label" in claim and "assertedIn" in claim  # short names from the context
    # A user's own document that uses the context file reads the same terms.
    mine = {
        "@context": context,
        "@id": "https://example.org/x",
        "label": "mine",
        "premise": "https://example.org/y",
    }
    quads = list(ox.parse(json.dumps(mine).encode(), format=ox.RdfFormat.JSON_LD))
    assert {q.predicate.value for q in quads} == {
        "http://www.w3.org/2000/01/rdf-schema#label",
        "https://w3id.org/billgraph/ontology#premise",
    }


def test_ntriples_are_sorted_and_stable(built, files):
    lines = files["contested-bill.nt"].splitlines()
    assert lines == sorted(lines)
    assert (
        export(built.dataset, "contested-bill", ["ntriples"])["contested-bill.nt"]
        == files["contested-bill.nt"]
    )


def view_counts(view) -> tuple[int, int, int]:
    kinds = [d["kind"] for _, d in view.nodes(data=True)]
    return len(view), view.number_of_edges(), kinds.count("claim")


def test_graphml_reads_in_networkx_with_typed_attributes(built, files, tmp_path: Path):
    view = to_networkx(built.graph)
    path = tmp_path / "g.graphml"
    path.write_text(files["contested-bill.graphml"], encoding="utf-8")
    back = nx.read_graphml(path)
    assert view_counts(back) == view_counts(view)
    claim = next(d for _, d in back.nodes(data=True) if d["kind"] == "claim")
    assert claim["paraphrase"] is True


def test_graphml_reads_in_igraph(built, files, tmp_path: Path):
    view = to_networkx(built.graph)
    path = tmp_path / "g.graphml"
    path.write_text(files["contested-bill.graphml"], encoding="utf-8")
    g = igraph.Graph.Read_GraphML(str(path))
    assert g.vcount() == len(view)
    assert g.ecount() == view.number_of_edges()
    assert g.vs["kind"].count("claim") == len(built.corpus.claims)
    assert sorted(set(g.es["kind"])) == sorted({k for _, _, k in view.edges(keys=True)})


def test_graphml_of_the_sb1047_corpus_reads_in_igraph(sb1047_graph, tmp_path: Path):
    view = to_networkx(sb1047_graph)
    path = tmp_path / "sb1047.graphml"
    from graph.export import to_graphml

    path.write_text(to_graphml(view), encoding="utf-8")
    g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (len(view), view.number_of_edges())


def test_gexf_reads_in_networkx(built, files, tmp_path: Path):
    view = to_networkx(built.graph)
    path = tmp_path / "g.gexf"
    path.write_text(files["contested-bill.gexf"], encoding="utf-8")
    assert view_counts(nx.read_gexf(path)) == view_counts(view)


def test_csv_has_a_row_per_node_and_edge(built, files):
    view = to_networkx(built.graph)
    nodes = list(csv.DictReader(io.StringIO(files["contested-bill-nodes.csv"])))
    edges = list(csv.DictReader(io.StringIO(files["contested-bill-edges.csv"])))
    assert len(nodes) == len(view) and len(edges) == view.number_of_edges()
    assert sum(n["kind"] == "claim" for n in nodes) == len(built.corpus.claims)
    assert {e["kind"] for e in edges} >= {"premise", "conclusion", "assertedBy"}


def test_aif_json_has_a_node_per_claim_and_relation(built, files):
    aif = json.loads(files["contested-bill.aif.json"])
    claims, supports, attacks = expected_counts(built.corpus)
    types = [n["type"] for n in aif["nodes"]]
    assert (types.count("I"), types.count("RA"), types.count("CA")) == (claims, supports, attacks)
    schemes = {n.get("scheme") for n in aif["nodes"] if n["type"] == "CA"}
    assert schemes == {"Rebuttal", "Undermining"}


def test_export_command_writes_every_format(tmp_path: Path):
    result = CliRunner().invoke(main, ["export", str(CONTESTED), "-f", "all", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(export(build(CONTESTED, None).dataset, "contested-bill", FORMATS))


def test_export_command_reads_turtle_and_writes_trig_and_aif(built, files, tmp_path: Path):
    turtle = tmp_path / "contested-bill.ttl"
    turtle.write_text(files["contested-bill.ttl"], encoding="utf-8")
    result = CliRunner().invoke(
        main, ["export", str(turtle), "-f", "trig", "-f", "aif", "-o", str(tmp_path / "x")]
    )
    assert result.exit_code == 0, result.output
    trig = (tmp_path / "x" / "contested-bill.trig").read_text()
    triples, counts = oxigraph_counts(trig, ox.RdfFormat.TRIG)
    assert triples == len(built.graph)
    aif = json.loads((tmp_path / "x" / "contested-bill.aif.json").read_text())
    assert aif == json.loads(files["contested-bill.aif.json"])


def test_export_command_names_a_file_it_cannot_read(tmp_path: Path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("this is not turtle .\n")
    result = CliRunner().invoke(main, ["export", str(bad), "-o", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert f"error: {bad}:1: cannot be read as Turtle: column 1: " in result.output
    assert not (tmp_path / "x").exists()
