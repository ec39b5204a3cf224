"""The read-only SPARQL endpoint, started as a user starts it and asked over real HTTP.

The endpoint runs as `build_graph.py serve` in a subprocess; the tests talk to it with
SPARQLWrapper, an independent SPARQL client, and with urllib for what SPARQLWrapper hides
(headers, the query page, the service description).
"""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from graph.query import canned_queries
from graph.vocab import SD

from .conftest import FIXTURES
from .endpoint import running_endpoint

DEBATE = FIXTURES / "query" / "debate"
TIMEOUT = 3  # seconds a query may run on the test endpoint
MAX_ROWS = 200  # the fixture graph has more triples than this


@pytest.fixture(scope="module")
def endpoint():
    """The URL of a running endpoint over the fixture corpus; stopped after the tests."""
    options = ["--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS)]
    with running_endpoint(DEBATE, *options) as url:
        yield url


def _sparql(url: str, text: str, fmt=JSON) -> SPARQLWrapper:
    sw = SPARQLWrapper(url)
    sw.setQuery(text)
    sw.setReturnFormat(fmt)
    sw.setTimeout(60)
    return sw


def _get(url: str, params: dict[str, str] | None = None, headers: dict[str, str] | None = None):
    if params:
        url += "?" + urllib.parse.urlencode(params)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8")


def test_binds_to_loopback(endpoint):
    assert urllib.parse.urlsplit(endpoint).hostname == "127.0.0.1"


def test_a_canned_question_as_json(endpoint):
    text = canned_queries()["contested-sections"].text
    data = _sparql(endpoint, text).query().convert()
    rows = [
        (b["citation"]["value"], int(b["attackingClaims"]["value"]))
        for b in data["results"]["bindings"]
    ]
    assert rows == [("SEC. 1(a)", 2), ("SEC. 1(a)(1)", 1)]


def test_construct_as_turtle(endpoint):
    sw = _sparql(
        endpoint,
        "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a bg:Claim ; rdfs:label ?l ; "
        "bg:assertedIn <https://example.org/corpus/debate/source/skyco-letter> }",
        TURTLE,
    )
    g = Graph().parse(data=sw.query().convert(), format="turtle")
    assert {str(o) for o in g.objects()} == {
        "Small makers should be exempt from registration.",
        "The size of the fee is beside the point for a small maker.",
    }


@pytest.mark.parametrize("request_method", ["urlencoded", "postdirectly"])
def test_post_queries(endpoint, request_method):
    sw = _sparql(endpoint, "SELECT (COUNT(?c) AS ?n) WHERE { ?c a bg:Claim }")
    sw.setMethod(POST)
    if request_method == "postdirectly":
        sw.setRequestMethod(POSTDIRECTLY)
    data = sw.query().convert()
    assert data["results"]["bindings"][0]["n"]["value"] == "11"


def test_results_as_xml_csv_and_tsv(endpoint):
    text = "SELECT ?name WHERE { ?o a bg:Coalition ; foaf:name ?name }"
    xml = _sparql(endpoint, text, XML).query().convert()
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == [
        "Drone Makers Coalition"
    ]
    rows = list(csv.reader(io.StringIO(_sparql(endpoint, text, CSV).query().convert().decode())))
    assert rows == [["name"], ["Drone Makers Coalition"]]
    tsv = _sparql(endpoint, text, TSV).query().convert().decode()
    assert tsv.splitlines() == ["?name", '"Drone Makers Coalition"']


def test_graphs_as_ntriples_and_json_ld(endpoint):
    text = "CONSTRUCT WHERE { ?c a bg:Coalition }"
    status, headers, body = _get(endpoint, {"query": text}, {"Accept": "application/n-triples"})
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert body.strip().endswith("<https://w3id.org/billgraph/ontology#Coalition> .")
    status, headers, body = _get(endpoint, {"query": text}, {"Accept": "application/ld+json"})
    assert status == 200 and headers["Content-Type"] == "application/ld+json"
    g = Graph().parse(data=body, format="json-ld")
    assert len(g) == 1


def test_update_is_refused(endpoint):
    sw = SPARQLWrapper(endpoint)
    sw.setQuery("INSERT DATA { <urn:x> <urn:y> <urn:z> }")
    sw.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as err:
        sw.query()
    assert err.value.code == 403
    assert "read-only" in err.value.read().decode()
    count = _sparql(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { <urn:x> ?p ?o }").query()
    assert count.convert()["results"]["bindings"][0]["n"]["value"] == "0"


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <urn:x> <urn:y> <urn:z> }",
        "LOAD <file:///etc/passwd>",
        "DELETE WHERE { ?s ?p ?o }",
    ],
)
def test_update_sent_as_a_query_is_refused(endpoint, text):
    status, _, body = _get(endpoint, {"query": text})
    assert status == 403 and "read-only" in body


def test_service_makes_no_outbound_connection(endpoint):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    try:
        sw = _sparql(
            endpoint,
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        )
        with pytest.raises(urllib.error.HTTPError) as err:
            sw.query()
        assert err.value.code == 403
        assert "SERVICE" in err.value.read().decode()
        with pytest.raises(TimeoutError):
            listener.accept()  # nothing ever connected
    finally:
        listener.close()


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * WHERE { GRAPH <file:///etc/passwd> { ?s ?p ?o } }",
    ],
)
def test_from_a_file_is_refused(endpoint, text):
    status, _, body = _get(endpoint, {"query": text})
    assert status == 403
    assert "root:" not in body and "names no graph of this dataset" in body


def test_default_graph_uri_outside_the_dataset_is_refused(endpoint):
    status, _, _ = _get(
        endpoint,
        {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "file:///etc/passwd"},
    )
    assert status == 403


def test_default_graph_uri_of_the_dataset_is_used(endpoint):
    graph = "https://example.org/corpus/debate/graph/source/skyco-letter"
    status, _, body = _get(
        endpoint,
        {"query": "SELECT (COUNT(?c) AS ?n) WHERE { ?c a bg:Claim }", "default-graph-uri": graph},
    )
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "2"


def test_a_runaway_query_is_stopped_and_the_endpoint_goes_on(endpoint):
    runaway = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        _sparql(endpoint, runaway).query()
    assert err.value.code == 503
    assert f"time limit of {TIMEOUT} s" in err.value.read().decode()
    for _ in range(3):  # both workers, and the one that replaced the stopped one
        data = _sparql(endpoint, "ASK { ?c a bg:Claim }").query().convert()
        assert data["boolean"] is True


def test_a_result_over_the_row_limit_is_refused(endpoint):
    with pytest.raises(urllib.error.HTTPError) as err:
        _sparql(endpoint, "SELECT * WHERE { ?s ?p ?o }").query()
    assert err.value.code == 422
    assert f"more than {MAX_ROWS} rows" in err.value.read().decode()


def test_a_syntax_error_names_line_and_column(endpoint):
    status, _, body = _get(endpoint, {"query": "SELECT ?c WHERE {\n ?c a bg:Claim\n ?d }"})
    assert status == 400
    assert "query:3: column 2: SPARQL syntax error" in body


def test_service_description(endpoint):
    status, headers, body = _get(endpoint, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    assert URIRef(endpoint) in set(g.objects(None, SD.endpoint))
    assert len(set(g.objects(None, SD.name))) == 7  # 4 sources, bill, organizations, topics


def test_cors_for_browser_clients(endpoint):
    status, headers, _ = _get(endpoint, {"query": "ASK {}"}, {"Origin": "https://example.org"})
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in headers
    request = urllib.request.Request(
        endpoint,
        method="OPTIONS",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 204
        assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_the_query_page_works_offline(endpoint):
    root = endpoint.rsplit("/", 1)[0] + "/"
    status, headers, page = _get(root, headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<textarea" in page and "contested-sections" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "loads nothing remote"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    # A browser opening the endpoint's own URL gets the page too.
    status, _, page = _get(endpoint, headers={"Accept": "text/html,*/*;q=0.8"})
    assert status == 200 and "<textarea" in page


def test_the_query_page_runs_a_canned_question_in_chromium(endpoint):
    from .browser import CHROMIUM, FLAGS

    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium: run scripts/setup-tests.sh")
    from playwright.sync_api import sync_playwright

    root = endpoint.rsplit("/", 1)[0] + "/"
    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            page = browser.new_page()

            def route(route) -> None:  # noqa: ANN001 - playwright's Route
                if route.request.url.startswith(root):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", route)
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(root)
            page.select_option("#canned", "contested-sections")
            assert "Which sections are most contested" in page.inner_text("#about")
            page.click("button[type=submit]")
            page.wait_for_selector("#results table", timeout=30_000)
            first_row = page.inner_text("#results tbody tr")
            assert first_row.split("\t")[:3] == ["SEC. 1(a)", "2", "2"]
            assert page.inner_text("#status").startswith("2 rows")
        finally:
            browser.close()
    assert outside == [] and errors == []
