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
from rdflib import URIRef

from graph import DEFAULT_CORPUS, build
from graph.cli import main
from graph.export import FORMATS, export, jsonld_context, statements_of
from graph.network import to_networkx
from graph.push import manifest_iri, push
from graph.query import SparqlEndpoint
from graph.remote import read_dataset, select

from . import sparql_servers
from .conftest import FIXTURES
from .sparql_servers import SparqlServer, free_port, start_oxigraph, start_virtuoso

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


# --- the fast path: pyoxigraph's parse of a file, the same bytes as the dataset in memory ---

RDF_FORMATS = ["turtle", "trig", "ntriples"]


def export_command(*args: str) -> str:
    result = CliRunner().invoke(main, ["export", *args])
    assert result.exit_code == 0, result.output
    return result.output


def exported(folder: Path) -> dict[str, bytes]:
    return {
        p.suffix: p.read_bytes() for p in folder.iterdir() if p.suffix in (".ttl", ".trig", ".nt")
    }


def test_export_of_a_built_trig_file_is_byte_for_byte_the_export_of_the_corpus(
    sb1047_build, tmp_path: Path
):
    from_file, from_corpus = tmp_path / "file", tmp_path / "corpus"
    formats = [a for f in RDF_FORMATS for a in ("-f", f)]
    output = export_command(str(sb1047_build.files["trig"]), *formats, "-o", str(from_file))
    assert f"({len(sb1047_build.graph)} triples)" in output
    export_command(str(DEFAULT_CORPUS), *formats, "-o", str(from_corpus))
    in_memory = export(sb1047_build.dataset, "sb1047", RDF_FORMATS)
    assert exported(from_file) == exported(from_corpus)
    assert exported(from_file) == {Path(k).suffix: v.encode() for k, v in in_memory.items()}


#: Literals a writer may get wrong: escapes, a tab, a language tag, a datatype, non-ASCII,
#: and one statement made twice in two graphs.
TRICKY_TRIG = r"""
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:g1 { ex:a ex:says "line one\nline \"two\"\tand a tab \\ done" ;
             ex:says "bonjour"@fr , "1"^^xsd:integer , "Zoë 🙂" ;
             a ex:Claim . }
ex:g2 { ex:a a ex:Claim . ex:b ex:cites ex:a . }
"""


def test_tricky_literals_survive_every_rdf_export_and_rdflib_reads_them_back(tmp_path: Path):
    from rdflib import Dataset as RdflibDataset
    from rdflib.compare import isomorphic

    source = tmp_path / "tricky.trig"
    source.write_text(TRICKY_TRIG, encoding="utf-8")
    export_command(str(source), *[a for f in RDF_FORMATS for a in ("-f", f)], "-o", str(tmp_path))
    original = RdflibDataset()
    original.parse(data=TRICKY_TRIG, format="trig")
    union = original.graph()
    for ctx in original.graphs():
        union += ctx
    for suffix, fmt in ((".ttl", "turtle"), (".nt", "nt")):
        back = RdflibDataset().graph().parse(tmp_path / f"tricky{suffix}", format=fmt)
        assert isomorphic(back, union), suffix
        assert len(back) == 6  # the statement in both graphs is written once
    trig = RdflibDataset()
    trig.parse(tmp_path / "tricky.trig", format="trig")
    assert {str(g.identifier): len(g) for g in trig.graphs() if len(g)} == {
        "https://example.org/g1": 5,
        "https://example.org/g2": 2,
    }


def test_a_turtle_file_exported_as_trig_keeps_its_default_graph(files, tmp_path: Path):
    turtle = tmp_path / "contested-bill.ttl"
    turtle.write_text(files["contested-bill.ttl"], encoding="utf-8")
    export_command(str(turtle), "-f", "trig", "-o", str(tmp_path / "out"))
    trig = (tmp_path / "out" / "contested-bill.trig").read_text(encoding="utf-8")
    store = ox.Store()
    store.load(trig.encode(), format=ox.RdfFormat.TRIG)
    in_default = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert (
        len(in_default)
        == len(store)
        == oxigraph_counts(files["contested-bill.ttl"], ox.RdfFormat.TURTLE)[0]
    )


# --- export --endpoint: the graph a SPARQL server holds, the same bytes as the local export ---

#: The most rows the test's Virtuoso gives in one answer: far fewer than SB 1047's 5,262
#: statements, so that the export has to page past the cap, as on a server that holds more.
VIRTUOSO_ROWS = 1000


def _start_capped_virtuoso(folder: Path) -> SparqlServer:
    """Virtuoso as tests/sparql_servers.py starts it, answering at most VIRTUOSO_ROWS rows."""
    capped = sparql_servers._VIRTUOSO_INI.replace(
        "ResultSetMaxRows = 100000", f"ResultSetMaxRows = {VIRTUOSO_ROWS}"
    )
    assert capped != sparql_servers._VIRTUOSO_INI
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sparql_servers, "_VIRTUOSO_INI", capped)
        return start_virtuoso(folder)


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def sb1047_server(request, tmp_path_factory, sb1047_build):
    """Each server in turn, holding the SB 1047 graph as `push` sends it."""
    start = start_oxigraph if request.param == "oxigraph" else _start_capped_virtuoso
    server = start(tmp_path_factory.mktemp(f"{request.param}-sb1047"))
    try:
        push(
            sb1047_build.dataset,
            server.store_url,
            manifest=str(manifest_iri(sb1047_build.corpus.base)),
            **server.push_options,
        )
        yield server
    finally:
        server.stop()


def test_export_from_an_endpoint_is_the_local_export_byte_for_byte(
    sb1047_server, sb1047_build, tmp_path: Path
):
    formats = [a for f in RDF_FORMATS for a in ("-f", f)]
    export_command(str(sb1047_build.files["trig"]), *formats, "-o", str(tmp_path / "here"))
    output = export_command(
        "--endpoint", sb1047_server.query_url, "--name", "sb1047", *formats,
        "-o", str(tmp_path / "there"),
    )  # fmt: skip
    assert f"Exported sb1047 ({len(sb1047_build.graph)} triples)" in output
    assert exported(tmp_path / "there") == exported(tmp_path / "here")


def test_a_capped_server_is_read_page_by_page(sb1047_server, sb1047_build):
    endpoint = SparqlEndpoint(sb1047_server.query_url)
    if sb1047_server.kind == "virtuoso":  # it gives no more than its cap, and says nothing
        everything = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert len(select(endpoint, everything)) == VIRTUOSO_ROWS
    quads = read_dataset(endpoint, page_rows=700)
    local = {q for q in statements_of(sb1047_build.dataset) if q.graph_name != ox.DefaultGraph()}
    assert set(quads) == local


def test_export_from_an_endpoint_names_the_graphs_asked_for(
    sb1047_server, sb1047_build, tmp_path: Path
):
    graph = sb1047_build.corpus.base + "graph/organizations"
    assert len(sb1047_build.dataset.graph(URIRef(graph))) > 0
    export_command(
        "--endpoint", sb1047_server.query_url, "--graph", graph, "-f", "trig",
        "-o", str(tmp_path),
    )  # fmt: skip
    store = ox.Store()
    store.load((tmp_path / "graph.trig").read_bytes(), format=ox.RdfFormat.TRIG)
    assert {g.value for g in store.named_graphs()} == {graph}


def test_an_endpoint_that_fails_is_named_and_nothing_is_written(tmp_path: Path):
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(main, ["export", "--endpoint", url, "-o", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert f"Error: could not reach {url}: " in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists()


def test_a_json_ld_file_whose_context_is_on_the_web_is_refused_without_fetching_it(
    tmp_path: Path,
):
    source = tmp_path / "remote-context.jsonld"
    source.write_text('{"@context": "https://schema.org/", "@id": "https://example.org/a"}')
    result = CliRunner().invoke(main, ["export", str(source), "-o", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert "its @context is a document on the web, which is not fetched" in result.output
    assert not (tmp_path / "x").exists()


def test_a_server_that_refuses_is_named_with_its_answer(sb1047_server, tmp_path: Path):
    url = sb1047_server.base_url + "/no-such-endpoint"
    result = CliRunner().invoke(main, ["export", "--endpoint", url, "-o", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert f"Error: {url} answered 404" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists()
