"""The endpoint client against a hostile server: every command that reads a SPARQL endpoint
(query, analyze, map, export) refuses redirects, bounds the size and time of an answer,
says what is wrong with a malformed one, and prints no server's control characters, each
as one message and exit status 1, never a traceback.

The hostile endpoint is a few lines of http.server in a thread on 127.0.0.1: each path is
one case, answered as an attacker (or a broken server) would answer it.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.query import EndpointError, SparqlEndpoint, query
from graph.remote import endpoint_url, post_form, read_dataset

SELECT = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"

GOOD = {
    "head": {"vars": ["s"]},
    "results": {"bindings": [{"s": {"type": "uri", "value": "urn:x"}}]},
}

#: What the hostile endpoint answers at each path: (status, headers, body), or a function
#: that writes the answer itself.
Case = tuple[int, dict[str, str], bytes] | Callable[[BaseHTTPRequestHandler], None]


def _json(value: object) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "application/sparql-results+json"}, json.dumps(value).encode()


def _drip(handler: BaseHTTPRequestHandler) -> None:
    """An answer that never ends: a byte every half second (each read's timeout restarts)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.send_header("Content-Length", "1000000")
    handler.end_headers()
    for _ in range(120):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.5)


def _endless(status: int) -> Callable[[BaseHTTPRequestHandler], None]:
    """An answer (or an error) of as many bytes as the client reads: 64 KB at a time."""

    def write(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(10**12))
        handler.end_headers()
        block = b"x" * 65536
        for _ in range(200_000):
            handler.wfile.write(block)
            handler.server.sent += len(block)  # type: ignore[attr-defined]

    return write


def _selects(case: str) -> Callable[[BaseHTTPRequestHandler], None]:
    """No statements for a CONSTRUCT (the bill's text), and for every SELECT (the nodes of
    the graph, for its index, first) the answer of ``case``."""

    def write(handler: BaseHTTPRequestHandler) -> None:
        if "CONSTRUCT" in handler.form["query"][0]:  # type: ignore[attr-defined]
            status, headers, body = 200, {"Content-Type": "application/n-triples"}, b""
        else:
            status, headers, body = CASES[case]  # type: ignore[misc]
        handler.send_response(status)
        for k, v in {**headers, "Content-Length": str(len(body))}.items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(body)

    return write


def _uri(value: str) -> dict[str, str]:
    return {"type": "uri", "value": value}


CASES: dict[str, Case] = {
    "/bad-iri-nodes": _selects("/bad-iri"),
    "/nodes-without-node": _selects("/good"),
    "/nodes-of-a-class-not-asked": _selects("/class-not-asked"),
    "/class-not-asked": _json(
        {
            "head": {"vars": ["node", "class"]},
            "results": {"bindings": [{"node": _uri("urn:x"), "class": _uri("urn:odd")}]},
        }
    ),
    "/good": _json(GOOD),
    "/redirect-host": (302, {"Location": "http://example.org/elsewhere"}, b""),
    "/list": _json([1, 2, 3]),
    "/no-head": _json({"results": {"bindings": []}}),
    "/no-type": _json({"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"value": "x"}}]}}),
    "/bad-iri": _json(
        {
            "head": {"vars": ["s"]},
            "results": {"bindings": [{"s": {"type": "uri", "value": "http://x/> } ; <evil"}}]},
        }
    ),
    "/not-utf8": (
        200,
        {"Content-Type": "application/sparql-results+json"},
        b'{"head": "\xff\xfe"}',
    ),
    "/not-json": (200, {"Content-Type": "text/html"}, b"<html>hello</html>"),
    "/bad-turtle": (200, {"Content-Type": "text/turtle"}, b"<urn:a> <urn:b> ."),
    "/escapes": (500, {"Content-Type": "text/plain"}, b"boom\x1b]0;pwned\x07\x1b[2J"),
    "/no-graph-column": _json({"head": {"vars": ["x"]}, "results": {"bindings": []}}),
    "/no-count-row": _json({"head": {"vars": ["n"]}, "results": {"bindings": []}}),
    "/one-column": _selects("/good"),
    "/drip": _drip,
    "/huge": _endless(200),
    "/huge-error": _endless(500),
}


class _Hostile(BaseHTTPRequestHandler):
    def log_message(self, *_: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.do_POST()

    def do_PUT(self) -> None:  # noqa: N802
        self.do_POST()

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        self.server.asked.append(self.path)  # type: ignore[attr-defined]
        case = CASES[self.path.split("?")[0]]
        if callable(case):
            with contextlib.suppress(OSError):
                case(self)
            return
        status, headers, body = case
        self.send_response(status)
        for k, v in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def hostile() -> Iterator[ThreadingHTTPServer]:
    """The hostile endpoint, its root URL as ``.url``; ``.asked`` lists the paths asked."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    server.url = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    server.asked, server.sent = [], 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def cli(*args: str):  # noqa: ANN201
    """The command as a user runs it; an exception (a traceback) fails the test."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_a_good_answer_is_read(hostile):
    assert query(SparqlEndpoint(f"{hostile.url}/good"), SELECT).records() == [{"s": "urn:x"}]


def test_http_in_capitals_is_http(hostile):
    url = f"{hostile.url}/good".replace("http://", "HTTP://")
    assert endpoint_url(url) == f"{hostile.url}/good"
    assert query(SparqlEndpoint(url), SELECT).records() == [{"s": "urn:x"}]


@pytest.fixture
def ftp_listener() -> Iterator[tuple[int, list[bytes]]]:
    """A port that listens as an FTP server would, and what connected to it."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.sendall(b"220 ready\r\n")
                conn.settimeout(1)
                with contextlib.suppress(OSError):
                    seen.append(conn.recv(1000))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1], seen
    stop.set()
    thread.join(2)
    listener.close()


def test_a_redirect_to_another_host_is_refused_and_named(hostile):
    with pytest.raises(EndpointError, match=r"a redirect to http://example.org/elsewhere"):
        query(SparqlEndpoint(f"{hostile.url}/redirect-host"), SELECT)


@pytest.mark.parametrize("command", ["query", "analyze", "map", "export"])
def test_a_redirect_to_ftp_is_not_followed(hostile, ftp_listener, command, tmp_path):
    port, seen = ftp_listener
    CASES["/redirect-ftp"] = (301, {"Location": f"ftp://127.0.0.1:{port}/x"}, b"")
    url = f"{hostile.url}/redirect-ftp"
    args = {
        "query": ["query", SELECT, "--endpoint", url],
        "analyze": ["analyze", "--endpoint", url],
        "map": ["map", "--endpoint", url, "--focus", "x", "-o", str(tmp_path / "m.html")],
        "export": ["export", "--endpoint", url, "-o", str(tmp_path)],
    }[command]
    result = cli(*args)
    assert result.exit_code == 1
    assert f"a redirect to ftp://127.0.0.1:{port}/x; redirects are not followed" in result.output
    time.sleep(0.3)
    assert seen == []  # nothing connected to the FTP port: no USER anonymous


@pytest.mark.parametrize(
    "path, form, message",
    [
        ("/list", SELECT, "did not answer with SPARQL results: a JSON list, not an object"),
        ("/no-head", SELECT, "did not answer with SPARQL results: no head"),
        ("/no-type", SELECT, "a term has the type None"),
        ("/bad-iri", SELECT, "'http://x/> } ; <evil' is not an IRI"),
        ("/not-utf8", SELECT, "did not answer with SPARQL results: not JSON"),
        ("/not-json", SELECT, "did not answer with SPARQL results: not JSON"),
        ("/not-json", CONSTRUCT, "did not answer with RDF: not turtle"),
        ("/bad-turtle", CONSTRUCT, "did not answer with RDF: not turtle"),
    ],
)
def test_a_malformed_answer_is_one_message_and_exit_1(hostile, path, form, message):
    with pytest.raises(EndpointError, match="did not answer with"):
        query(SparqlEndpoint(f"{hostile.url}{path}"), form)
    result = cli("query", form, "--endpoint", f"{hostile.url}{path}")
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert result.output.startswith("Error: ")


def test_a_count_with_no_row_is_one_message(hostile):
    result = cli("analyze", "--endpoint", f"{hostile.url}/no-count-row")
    assert result.exit_code == 1
    assert "did not answer with SPARQL results: a count with 0 rows, not one row" in result.output


def test_an_analysis_of_rows_with_other_columns_is_one_message(hostile):
    result = cli("analyze", "--endpoint", f"{hostile.url}/one-column")
    assert result.exit_code == 1
    assert "did not answer with SPARQL results as asked: rows without the 2 columns" in (
        result.output
    )


def test_an_endpoints_node_iri_that_is_no_iri_is_one_message(hostile, tmp_path):
    out = tmp_path / "m.html"
    result = cli(
        "map", "--endpoint", f"{hostile.url}/bad-iri-nodes", "--focus", "x", "-o", str(out)
    )
    assert result.exit_code == 1
    assert "'http://x/> } ; <evil' is not an IRI" in result.output


@pytest.mark.parametrize(
    "path, message",
    [
        ("/nodes-without-node", "did not answer with SPARQL results as asked: a row without ?node"),
        ("/nodes-of-a-class-not-asked", "a row without ?key (for names.rq)"),
    ],
)
def test_a_map_of_rows_not_asked_for_is_one_message(hostile, tmp_path, path, message):
    out = tmp_path / "m.html"
    result = cli("map", "--endpoint", f"{hostile.url}{path}", "--focus", "x", "-o", str(out))
    assert result.exit_code == 1
    assert message in result.output


def test_an_answer_past_the_byte_cap_is_refused_without_reading_it(hostile):
    hostile.sent = 0
    with pytest.raises(EndpointError, match=r"answered with more than 1,000,000 bytes"):
        post_form(SparqlEndpoint(f"{hostile.url}/huge"), [], "*/*", max_bytes=1_000_000)
    time.sleep(0.5)
    assert hostile.sent < 20_000_000  # not the terabyte it offered


def test_an_error_answer_is_read_a_few_kb_at_most(hostile):
    hostile.sent = 0
    started = time.monotonic()
    result = cli("query", SELECT, "--endpoint", f"{hostile.url}/huge-error")
    assert result.exit_code == 1
    assert "answered 500" in result.output
    assert len(result.output) < 1000
    assert time.monotonic() - started < 10
    time.sleep(0.5)
    assert hostile.sent < 20_000_000


def test_a_server_that_drips_is_stopped_at_the_timeout(hostile):
    started = time.monotonic()
    with pytest.raises(EndpointError, match=r"did not answer whole within 2 s"):
        query(SparqlEndpoint(f"{hostile.url}/drip", timeout=2), SELECT)
    assert time.monotonic() - started < 4


def test_a_servers_control_characters_are_not_printed(hostile):
    result = cli("query", SELECT, "--endpoint", f"{hostile.url}/escapes")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "boom[U+001B]]0;pwned[U+0007][U+001B][2J" in result.output


def test_export_of_an_answer_without_a_graph_column_fails(hostile, tmp_path):
    with pytest.raises(EndpointError, match=r"without the column \?graph"):
        read_dataset(SparqlEndpoint(f"{hostile.url}/no-graph-column"))
    result = cli("export", "--endpoint", f"{hostile.url}/no-graph-column", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "Exported" not in result.output


BAD_URLS = ["http://[::1", "http://127.0.0.1/sparql\r\nX-Evil: 1", "ftp://127.0.0.1/", "http://"]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("command", ["query", "analyze", "map", "export"])
def test_a_bad_endpoint_url_is_one_message(url, command, tmp_path):
    args = {
        "query": ["query", SELECT, "--endpoint", url],
        "analyze": ["analyze", "--endpoint", url],
        "map": ["map", "--endpoint", url, "--focus", "x", "-o", str(tmp_path / "m.html")],
        "export": ["export", "--endpoint", url, "-o", str(tmp_path)],
    }[command]
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: "), result.output
    assert "--graph" not in result.output
    assert "\r" not in result.output and "\n" not in result.output.rstrip("\n")


def test_a_bad_graph_name_is_still_named_as_graph(hostile, tmp_path):
    result = cli(
        "export", "--endpoint", f"{hostile.url}/good", "--graph", "not an iri", "-o", str(tmp_path)
    )
    assert result.exit_code == 2
    assert "--graph" in result.output


def test_push_follows_no_redirect_and_prints_no_control_character(hostile, ftp_listener):
    from graph.build import build
    from graph.push import PushError, push

    from .conftest import FIXTURES

    port, seen = ftp_listener
    CASES["/redirect-ftp"] = (301, {"Location": f"ftp://127.0.0.1:{port}/x"}, b"")
    dataset = build(FIXTURES / "corpora" / "attack-cycles", None).dataset
    with pytest.raises(PushError, match=rf"a redirect to ftp://127.0.0.1:{port}/x; redirects"):
        push(dataset, f"{hostile.url}/redirect-ftp", manifest="urn:manifest")
    time.sleep(0.3)
    assert seen == []
    with pytest.raises(PushError) as refused:
        push(dataset, f"{hostile.url}/escapes", manifest="urn:manifest")
    assert "\x1b" not in str(refused.value)
    assert "boom[U+001B]]0;pwned[U+0007][U+001B][2J" in str(refused.value)


def test_push_to_a_server_that_drips_stops_at_the_timeout(hostile):
    from graph.build import build
    from graph.push import PushError, push

    from .conftest import FIXTURES

    dataset = build(FIXTURES / "corpora" / "attack-cycles", None).dataset
    started = time.monotonic()
    with pytest.raises(PushError, match=r"no whole answer within 2 s"):
        push(dataset, f"{hostile.url}/drip", manifest="urn:manifest", timeout=2)
    assert time.monotonic() - started < 4
