"""Pushing to a real SPARQL server (Oxigraph's, from PyPI) and asking it the canned questions.

The server is started on a free loopback port for these tests and stopped after them.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal
from rdflib.namespace import XSD
from SPARQLWrapper import JSON, SPARQLWrapper

from graph import build
from graph.cli import main
from graph.push import PushError, manifest_iri, push
from graph.query import canned_queries, query

from .conftest import FIXTURES

DEBATE = FIXTURES / "query" / "debate"
BASE = "https://example.org/corpus/debate/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """An Oxigraph server on loopback, its default graph the union of its named graphs."""
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists() and shutil.which("oxigraph"):
        binary = Path(shutil.which("oxigraph"))
    if not binary.exists():
        pytest.fail("the oxigraph server is missing: run scripts/setup-tests.sh")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [
            str(binary),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1):
                break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("the oxigraph server did not start")
    yield url
    process.terminate()
    process.wait(30)


def _graphs(url: str) -> dict[str, int]:
    sw = SPARQLWrapper(url + "/query")
    sw.setQuery("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def _put(url: str, graph: str, turtle: str) -> None:
    request = urllib.request.Request(
        f"{url}/store?graph={graph}",
        data=turtle.encode(),
        headers={"Content-Type": "text/turtle"},
        method="PUT",
    )
    urllib.request.urlopen(request, timeout=30).close()


def _corpus_without_skyco_letter(tmp_path: Path) -> Path:
    """The fixture corpus after SkyCo withdrew its letter (the rest unchanged)."""
    copy = tmp_path / "debate"
    shutil.copytree(DEBATE, copy)
    (copy / "sources" / "skyco-letter.yaml").unlink()
    orgs = copy / "organizations.yaml"
    orgs.write_text(orgs.read_text().replace("source: skyco-letter", "source: coalition-letter"))
    return copy


def test_push_writes_one_graph_per_source_and_replaces_the_last_push(oxigraph, tmp_path):
    store = f"{oxigraph}/store"
    # A graph someone else keeps on the same server: a push never touches it.
    _put(oxigraph, "https://example.org/not-ours", "<urn:a> <urn:b> <urn:c> .")

    result = CliRunner().invoke(main, ["push", "--endpoint", store, "--corpus", str(DEBATE)])
    assert result.exit_code == 0, result.output
    first = build(DEBATE, None).dataset
    expected = {
        str(g.identifier): len(g)
        for g in first.graphs()
        if len(g) and "graph/" in str(g.identifier)
    }
    on_server = _graphs(oxigraph)
    manifest = str(manifest_iri(BASE))
    assert {g: n for g, n in on_server.items() if g in expected} == expected
    assert manifest in on_server and "https://example.org/not-ours" in on_server
    assert f"Pushed {len(expected)} graphs" in result.output

    # SkyCo withdraws its letter: the next push removes its graph, and only that.
    smaller = _corpus_without_skyco_letter(tmp_path)
    result = CliRunner().invoke(main, ["push", "--endpoint", store, "--corpus", str(smaller)])
    assert result.exit_code == 0, result.output
    on_server = _graphs(oxigraph)
    gone = BASE + "graph/source/skyco-letter"
    assert gone not in on_server
    assert gone in result.output
    assert "https://example.org/not-ours" in on_server
    assert BASE + "graph/source/safety-reply" in on_server

    # The manifest lists exactly what the last push wrote.
    sw = SPARQLWrapper(oxigraph + "/query")
    sw.setQuery(
        f"SELECT ?g WHERE {{ GRAPH <{manifest}> {{ <{manifest}> "
        "<http://purl.org/dc/terms/hasPart> ?g } }"
    )
    sw.setReturnFormat(JSON)
    listed = {b["g"]["value"] for b in sw.query().convert()["results"]["bindings"]}
    assert listed == {g for g in expected if g != gone}

    # Push the full corpus back, for the query tests below.
    push(first, store, manifest=manifest)
    assert gone in _graphs(oxigraph)


def _normal(term):
    if isinstance(term, Literal) and term.datatype in (XSD.integer, XSD.nonNegativeInteger):
        return ("integer", int(term))
    return term


@pytest.mark.parametrize("name", sorted(canned_queries()))
def test_query_endpoint_gives_the_local_answers(oxigraph, name):
    local = build(DEBATE, None).dataset
    push(local, f"{oxigraph}/store", manifest=str(manifest_iri(BASE)))
    remote = query(f"{oxigraph}/query", name)
    here = query(local, name)
    assert remote.vars == here.vars
    assert [tuple(map(_normal, r)) for r in remote] == [tuple(map(_normal, r)) for r in here]


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("claims-about-section", {"section": "SEC. 1(a)"}),
        ("organization-claims", {"organization": "SkyCo"}),
        ("positions", {"stance": "bg:SupportStance"}),
        ("claims-by-topic", {"topic": "Safety"}),
        ("claim-provenance", {"claim": BASE + "claim/coalition-letter/opposes-ab7"}),
    ],
)
def test_parameters_on_an_endpoint_give_the_local_answers(oxigraph, name, params):
    local = build(DEBATE, None).dataset
    remote = query(f"{oxigraph}/query", name, params)
    assert len(remote) > 0
    assert [tuple(map(_normal, r)) for r in remote] == [
        tuple(map(_normal, r)) for r in query(local, name, params)
    ]


def test_query_command_on_an_endpoint(oxigraph):
    result = CliRunner().invoke(
        main, ["query", "contested-sections", "--endpoint", f"{oxigraph}/query", "-f", "csv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("citation,attackingClaims,organizations")
    assert lines[1].startswith("SEC. 1(a),2,2")


def test_an_unreachable_endpoint_is_reported_plainly(tmp_path):
    url = f"http://127.0.0.1:{_free_port()}"
    result = CliRunner().invoke(main, ["query", "positions", "--endpoint", url + "/query"])
    assert result.exit_code == 1
    assert "could not reach" in result.output and "Traceback" not in result.output
    with pytest.raises(PushError, match="could not reach"):
        push(build(DEBATE, None).dataset, url + "/store", manifest=str(manifest_iri(BASE)))
