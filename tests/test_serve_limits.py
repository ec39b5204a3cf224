"""What one client can hold of the endpoint, tried as an attacker would, over raw sockets.

The endpoint runs as `build_graph.py serve` with small limits (a request must arrive within
2 seconds, 6 connections at once, 50 MB of memory per query), so that each limit is reached
quickly; the tests check that each is enforced, that malformed requests get 400, and that
the endpoint answers as before once the client is gone.
"""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.parse
from collections.abc import Iterator

import pytest

from .conftest import FIXTURES
from .endpoint import running_endpoint

DEBATE = FIXTURES / "query" / "debate"
REQUEST_SECONDS = 2
MAX_CONNECTIONS = 6
MAX_QUERY_MB = 50


@pytest.fixture(scope="module")
def address() -> Iterator[tuple[str, int]]:
    options = ["--request-timeout", str(REQUEST_SECONDS), "--max-connections"]
    options += [str(MAX_CONNECTIONS), "--max-query-memory", str(MAX_QUERY_MB)]
    with running_endpoint(DEBATE, *options) as url:
        host, port = re.match(r"http://([\d.]+):(\d+)/", url).groups()
        yield host, int(port)


def _exchange(address, data: bytes, wait: float = 10.0) -> bytes:
    """Send raw bytes and read until the server closes the connection."""
    with socket.create_connection(address) as s:
        s.settimeout(wait)
        s.sendall(data)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out


def _post(body: bytes, headers: str) -> bytes:
    return b"POST /sparql HTTP/1.1\r\nHost: localhost\r\n" + headers.encode() + b"\r\n\r\n" + body


def _status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def _ask(address) -> bool:
    query = urllib.parse.quote("ASK { ?s ?p ?o }")
    accept = "Accept: application/sparql-results+json"
    response = _exchange(
        address, f"GET /sparql?query={query} HTTP/1.0\r\n{accept}\r\n\r\n".encode()
    )
    assert _status(response) == 200, response
    return json.loads(response.split(b"\r\n\r\n", 1)[1])["boolean"]


@pytest.mark.parametrize(
    "length",
    ["-1", "-1000000000", "abc", "1e3", "0x10", " ", "99999999999999999999"],
)
def test_a_content_length_that_is_not_a_size_is_a_bad_request(address, length):
    response = _exchange(
        address,
        _post(b"ASK {}", f"Content-Type: application/sparql-query\r\nContent-Length: {length}"),
    )
    assert _status(response) in (400, 413), response
    assert b"Content-Length" in response or b"too large" in response


def test_two_content_lengths_that_disagree_are_a_bad_request(address):
    headers = "Content-Type: application/sparql-query\r\nContent-Length: 6\r\nContent-Length: 600"
    response = _exchange(address, _post(b"ASK {}", headers))
    assert _status(response) == 400


def test_a_body_past_the_cap_is_refused_before_it_is_read(address):
    headers = "Content-Type: application/sparql-query\r\nContent-Length: 1000000000"
    started = time.monotonic()
    response = _exchange(address, _post(b"ASK {", headers))
    assert _status(response) == 413
    assert time.monotonic() - started < REQUEST_SECONDS


def test_a_chunked_body_needs_a_length(address):
    headers = "Content-Type: application/sparql-query\r\nTransfer-Encoding: chunked"
    response = _exchange(address, _post(b"6\r\nASK {}\r\n0\r\n\r\n", headers))
    assert _status(response) == 411


def test_a_body_that_is_not_utf8_is_a_bad_request(address):
    body = "ASK { ?s ?p 'caf\xe9' }".encode("latin-1")
    headers = f"Content-Type: application/sparql-query\r\nContent-Length: {len(body)}"
    response = _exchange(address, _post(body, headers))
    assert _status(response) == 400 and b"not UTF-8" in response


def test_an_idle_connection_is_closed(address):
    started = time.monotonic()
    with socket.create_connection(address) as s:
        s.settimeout(30)
        assert s.recv(100) == b""
    assert time.monotonic() - started < REQUEST_SECONDS + 2


def test_a_request_sent_a_byte_at_a_time_is_cut_off(address):
    """Each byte comes before the read timeout, yet the whole request takes too long."""
    request = b"GET /sparql?query=ASK%7B%7D HTTP/1.0\r\nAccept: */*\r\nX-Padding: " + b"x" * 100
    started = time.monotonic()
    with socket.create_connection(address) as s, pytest.raises(OSError):
        for byte in request:
            s.send(bytes([byte]))
            time.sleep(0.2)
    assert time.monotonic() - started < REQUEST_SECONDS + 2


def test_a_body_that_never_arrives_is_cut_off(address):
    headers = "Content-Type: application/sparql-query\r\nContent-Length: 100"
    started = time.monotonic()
    assert _exchange(address, _post(b"ASK", headers)) == b""
    assert time.monotonic() - started < REQUEST_SECONDS + 2


def test_connections_past_the_limit_are_turned_away(address):
    held = [socket.create_connection(address) for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.3)
        with socket.create_connection(address) as extra:
            extra.settimeout(5)
            answer = extra.recv(1000)
        assert _status(answer) == 503 and b"too many open connections" in answer
    finally:
        for s in held:
            s.close()
    time.sleep(0.3)
    assert _ask(address) is True


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("SELECT * WHERE { " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000 + " }", b"nest more than"),
        ("SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }", b"nest more than"),
        ("# nothing but a comment\n# and another", b"the query is empty"),
        ("   ", b"the query is empty"),
    ],
    ids=["5000-nested-groups", "3000-nested-parentheses", "only-comments", "only-spaces"],
)
def test_a_query_that_cannot_be_read_is_a_bad_request(address, query, says):
    body = urllib.parse.urlencode({"query": query}).encode()
    headers = f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}"
    response = _exchange(address, _post(body, headers))
    assert _status(response) == 400, response
    assert says in response
    assert b"update" not in response.lower()


def test_a_query_past_its_memory_is_stopped_and_the_endpoint_goes_on(address):
    greedy = (
        "SELECT (STRLEN(GROUP_CONCAT(?s)) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
        "BIND(CONCAT(STR(?a), STR(?d), STR(?g)) AS ?s) }"
    )
    body = urllib.parse.urlencode({"query": greedy}).encode()
    headers = f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}"
    response = _exchange(address, _post(body, headers), wait=30)
    assert _status(response) == 503
    assert f"more memory than the limit of {MAX_QUERY_MB} MB".encode() in response
    for _ in range(3):  # both workers, and the one that replaced the stopped one
        assert _ask(address) is True


def test_a_response_past_its_size_is_refused():
    """The server holds a response whole: a few long strings within the row limit must not
    make it hold gigabytes (here a cap of 1 kB on a 5 kB answer)."""
    import pyoxigraph as ox

    from graph.serve import ProtocolRequest, answer

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("x" * 5000)))
    response = answer(store, set(), ProtocolRequest("SELECT ?o WHERE { ?s ?p ?o }"), 10, 1000)
    assert response.status == 422 and b"more than 0.001 MB" in response.body
    response = answer(store, set(), ProtocolRequest("SELECT ?o WHERE { ?s ?p ?o }"), 10, 10_000)
    assert response.status == 200
