"""The served explorer: `serve` as a user starts it, its neighbourhoods asked over HTTP, and
its page in Chromium growing as nodes are clicked."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.network import to_networkx
from graph.store import corpus_store
from graph.visualize import map_graph

from .conftest import FIXTURES, ROOT
from .endpoint import running_endpoint

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # noqa: E402  (bench/ is scripts, not a package)


@pytest.fixture(scope="module")
def legislature(tmp_path_factory) -> Path:
    """A small synthetic legislature's corpus folder (bench/generate.py)."""
    folder = tmp_path_factory.mktemp("legislature") / "corpus"
    generate.generate(folder, scale=0.005)
    return folder


@pytest.fixture(scope="module")
def server(legislature):
    """The root URL of ``serve --corpus`` over the legislature, while the tests run."""
    with running_endpoint(legislature) as url:
        yield url.removesuffix("/sparql")


@pytest.fixture(scope="module")
def drawn(legislature, server):
    """The links the map draws between the legislature's nodes, from its whole view."""
    view = to_networkx(corpus_store(legislature).store)
    return map_graph(view, simplify=False).to_undirected()


def ask(server: str, **params: str) -> tuple[int, dict]:
    url = f"{server}/explore/neighbourhood?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            assert response.headers["Content-Type"] == "application/json; charset=utf-8"
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_neighbourhood_is_the_node_and_what_it_links_to(server, drawn):
    claim = "https://example.org/synthetic/legislature/claim/doc-1/claim-1"
    status, answer = ask(server, node=claim, depth="1")
    assert status == 200
    ids = {n["id"] for n in answer["nodes"]}
    assert ids == {claim, *drawn[claim]}
    by_id = {n["id"]: n for n in answer["nodes"]}
    assert by_id[claim]["kind"] == "claim" and by_id[claim]["links"] > 0
    for e in answer["edges"]:
        assert e["from"] in ids and e["to"] in ids
    # A name, as map --focus takes it, gives the same answer.
    assert ask(server, focus="doc-1/claim-1", depth="1")[1] == answer


@pytest.mark.parametrize(
    "params, message",
    [
        ({"node": "not an iri"}, "node must be an IRI"),
        ({"node": "https://example.org/nothing"}, "no node of the graph has the IRI"),
        ({"focus": "nothing-at-all"}, "nothing in the graph is called 'nothing-at-all'"),
        ({"focus": "doc-1/claim-1", "depth": "9"}, "depth must be a whole number from 0 to 2"),
        ({"focus": "doc-1/claim-1", "depth": "-1"}, "depth must be a whole number"),
        ({"focus": "doc-1/claim-1", "depth": "\u00b2"}, "depth must be a whole number"),
        ({"focus": "doc-1/claim-1", "depth": "\u0661"}, "depth must be a whole number"),
        ({"focus": "doc-1/claim-1", "depth": "\uff11"}, "depth must be a whole number"),
        ({"focus": "doc-1/claim-1", "depth": " 1"}, "depth must be a whole number"),
        ({"focus": "doc-1/claim-1", "depth": "1" * 5000}, "longer than 2,000 characters"),
        ({"focus": "doc-1/claim-1", "node": "urn:x"}, "give node=IRI"),
        ({"depth": "1"}, "give node=IRI"),
        ({"focus": "doc-1/claim-1", "limit": "5"}, "unknown parameter 'limit'"),
        ({"focus": "x" * 3000}, "longer than 2,000 characters"),
    ],
)
def test_a_bad_request_gets_400_and_says_what_to_send(server, params, message):
    status, answer = ask(server, **params)
    assert status == 400
    assert message in answer["error"]


@contextlib.contextmanager
def chromium_page(server: str) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A Chromium page that may load nothing but from ``server``; with the requests it was
    refused and the errors its scripts raised."""
    from .browser import CHROMIUM, FLAGS

    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium: run scripts/setup-tests.sh")
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})

            def route(route) -> None:  # noqa: ANN001 - playwright's Route
                if route.request.url.startswith(server + "/"):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", route)
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            yield page, outside, errors
        finally:
            browser.close()


def click_node(page: Any, node: str) -> None:
    """Click ``node`` where the page drew it."""
    x, y = page.evaluate(
        """(id) => { const net = window.explorer.network;
           const p = net.canvasToDOM(net.getPositions([id])[id]);
           const box = document.getElementById('graph').getBoundingClientRect();
           return [box.left + p.x, box.top + p.y]; }""",
        node,
    )
    page.mouse.click(x, y)


def test_the_page_draws_a_focus_and_adds_a_clicked_nodes_neighbours(server, drawn):
    claim = "https://example.org/synthetic/legislature/claim/doc-1/claim-1"
    with chromium_page(server) as (page, outside, errors):
        page.goto(f"{server}/explore?focus=doc-1/claim-1")
        page.wait_for_selector("body[data-settled=true]", timeout=30_000)
        first = set(page.evaluate("() => window.explorer.nodes.getIds()"))
        assert first == {claim, *drawn[claim]}
        # Click a neighbour whose own neighbours are not all drawn yet.
        other = next(n for n in sorted(drawn[claim]) if set(drawn[n]) - first)
        click_node(page, other)
        page.wait_for_function(
            "(n) => Number(document.body.dataset.drawn) > n", arg=len(first), timeout=10_000
        )
        now = set(page.evaluate("() => window.explorer.nodes.getIds()"))
        assert now == first | {other, *drawn[other]}
        assert page.inner_text("#panel h2")  # the clicked node's details
    assert outside == [] and errors == []


def test_markup_in_the_graph_is_shown_as_text(tmp_path):
    hostile = FIXTURES / "visualize" / "hostile-markup"
    with running_endpoint(hostile) as url:
        server = url.removesuffix("/sparql")
        status, answer = ask(server, focus="script-guild", depth="1")
        assert status == 200
        guild = next(n for n in answer["nodes"] if n["id"].endswith("/org/script-guild"))
        assert guild["label"] == "<img src=x onerror=\"window.__pwned = 'org'\">Script Guild"
        with chromium_page(server) as (page, outside, errors):
            page.goto(f"{server}/explore?focus=script-guild")
            page.wait_for_selector("body[data-settled=true]", timeout=30_000)
            assert "Markup </script>" in page.title()
            click_node(page, guild["id"])
            page.wait_for_function("() => document.querySelector('#panel dl')", timeout=10_000)
            assert page.inner_text("#panel h2") == guild["label"]
            assert page.evaluate("() => window.__pwned === undefined")
            assert page.evaluate("() => document.querySelectorAll('img, b').length") == 0
        assert outside == [] and errors == []


# --- bounded work -----------------------------------------------------------------------

WIDE = "https://example.org/wide/"


def wide_trig(path: Path, documents: int = 150, claims: int = 99) -> Path:
    """One organization that wrote ``documents`` documents of ``claims`` claims each: the
    shape that made the last hop of a walk fetch fifteen thousand nodes to keep 500."""
    lines = [
        "@prefix bg: <https://w3id.org/billgraph/ontology#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix org: <http://www.w3.org/ns/org#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        f"<{WIDE}graph/all> {{",
        f'<{WIDE}org/wide> a org:Organization ; rdfs:label "Wide Org" .',
    ]
    for d in range(documents):
        doc = f"<{WIDE}doc/{d}>"
        lines.append(f"{doc} a bg:SourceDocument ; dcterms:creator <{WIDE}org/wide> .")
        for c in range(claims):
            lines.append(f"<{WIDE}claim/{d}/{c}> a bg:Claim ; bg:assertedIn {doc} .")
    lines.append("}")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def wide(tmp_path_factory) -> Path:
    return wide_trig(tmp_path_factory.mktemp("wide") / "wide.trig")


def test_a_walk_stops_adding_nodes_when_the_answer_is_full(wide):
    from graph.explore import MAX_ANSWER_NODES
    from graph.neighbourhood import IndexedSource, walk
    from graph.query import load_store

    indexed = IndexedSource.of(load_store(wide))
    part = walk(indexed, [f"{WIDE}org/wide"], 2, max_nodes=MAX_ANSWER_NODES)
    assert len(part.hops) == MAX_ANSWER_NODES  # not the 15,001 of the whole last hop
    assert not part.whole
    # The nearest first: the organization, its 150 documents, then claims.
    assert sum(1 for h in part.hops.values() if h <= 1) == 151


def test_a_wide_neighbourhood_is_answered_within_the_time_limit(wide):
    with running_served(wide, "--timeout", "5") as server:
        status, answer = ask(server, node=f"{WIDE}org/wide", depth="2")
        assert status in (200, 503), answer
        if status == 200:
            assert len(answer["nodes"]) <= 500
        else:
            assert "took longer than 5 s" in answer["error"]


def test_an_explorer_past_its_time_limit_answers_503(wide):
    from graph.explore import Explorer
    from graph.query import load_store

    explorer = Explorer(load_store(wide))
    answer = explorer.answer({"node": [f"{WIDE}org/wide"], "depth": ["2"]}, seconds=0)
    assert answer.status == 503
    assert answer.body == {
        "error": "the neighbourhood took longer than 0 s to find; ask for depth=1, or for a "
        "node with fewer links"
    }


def test_explorer_requests_past_the_limit_at_once_get_503(wide):
    import threading

    from graph.query import load_store
    from graph.serve import EXPLORE_AT_ONCE, SparqlServer

    server = SparqlServer(load_store(wide), port=0, workers=1, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    root = server.url.removesuffix("/sparql")
    node = f"{WIDE}org/wide"
    try:
        # Every slot taken, as by requests still being answered: the next one is turned away.
        for _ in range(EXPLORE_AT_ONCE):
            server.explore_slots.acquire()
        status, answer = ask(root, node=node, depth="1")
        assert status == 503
        assert "the explorer is busy" in answer["error"]
        # A slot freed, the same request is answered.
        server.explore_slots.release()
        status, answer = ask(root, node=node, depth="1")
        assert status == 200, answer
        assert node in {n["id"] for n in answer["nodes"]}
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def running_served(data: Path, *options: str) -> Iterator[str]:
    """The root URL of ``serve --data DATA`` (as a user starts it) while the block runs."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build_graph.py"), "serve", "--data", str(data)]
        + ["--port", "0", "--quiet", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        match = re.search(r"at (http://\S+)/sparql", process.stdout.readline())
        assert match, process.stderr.read() if process.poll() is not None else "no URL"
        yield match[1]
    finally:
        process.terminate()
        process.wait(30)
        stderr = process.stderr.read()
    assert "Traceback" not in stderr, stderr


def test_the_page_runs_its_own_scripts_alone_and_cannot_be_framed(server):
    with urllib.request.urlopen(f"{server}/explore", timeout=60) as response:
        policy = response.headers["Content-Security-Policy"]
        page = response.read().decode("utf-8")
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in directives["script-src"]
    assert len(directives["script-src"].split()) == 2  # those two, and nothing else


def test_the_query_page_cannot_be_framed_either(server):
    with urllib.request.urlopen(f"{server}/", timeout=60) as response:
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
