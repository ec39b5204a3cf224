"""No query reaches the network: SERVICE in every disguise, through every way a query runs.

Each file of tests/fixtures/query/service-tricks/ is a query that tries to make the engine
send a request to ``LISTENER``, a socket of the test's that records every connection: by
escapes that two parsers read differently (``\\u0022`` closing a string for one and not the
other), by comments, long strings, prefixed names, variables, BASE, or a SERVICE nested in
EXISTS, OPTIONAL, MINUS or a subquery. They go through the endpoint (``serve``, over HTTP),
``query --data`` and ``query --corpus``, as a user runs them; every one is refused, and the
listener sees nothing.
"""

from __future__ import annotations

import select
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import InputError
from graph.query import QueryRefused, parse_query, query

from .conftest import FIXTURES
from .endpoint import running_endpoint

TRICKS = sorted((FIXTURES / "query" / "service-tricks").glob("*.rq"))
DEBATE = FIXTURES / "query" / "debate"


class Listener:
    """A TCP socket on loopback that counts the connections made to it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"

    def connections(self, wait: float = 0.2) -> int:
        """Connections accepted since the last call (each closed at once)."""
        count = 0
        while select.select([self.socket], [], [], wait)[0]:
            connection, _ = self.socket.accept()
            connection.close()
            count += 1
            wait = 0
        return count

    def close(self) -> None:
        self.socket.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def _text(path: Path, listener: Listener) -> str:
    # Bytes, not read_text: its universal newlines would turn a lone CR into LF.
    return (
        path.read_bytes()
        .decode("utf-8")
        .replace("LISTENER", listener.url)
        .replace("PORT", str(listener.port))
    )


def test_the_tricks_are_there():
    assert len(TRICKS) >= 24


def test_the_listener_sees_a_connection_when_one_is_made(listener):
    """The oracle works: without the check, Oxigraph would connect (here by hand)."""
    socket.create_connection(("127.0.0.1", listener.port)).close()
    assert listener.connections() == 1


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with running_endpoint(DEBATE) as url:
        yield url


@pytest.mark.parametrize("trick", TRICKS, ids=lambda p: p.stem)
def test_the_endpoint_refuses_it_and_connects_nowhere(trick, endpoint, listener):
    body = urllib.parse.urlencode({"query": _text(trick, listener)}).encode()
    request = urllib.request.Request(endpoint, data=body, method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=30)
    assert err.value.code in (400, 403), err.value.read()
    assert listener.connections() == 0


@pytest.mark.parametrize("trick", TRICKS, ids=lambda p: p.stem)
def test_query_data_refuses_it_and_connects_nowhere(trick, listener, tmp_path_factory):
    data = tmp_path_factory.getbasetemp() / "service-tricks.ttl"
    if not data.exists():
        data.write_text("<urn:a> <urn:b> <urn:c> .\n", "utf-8")
    result = CliRunner().invoke(main, ["query", _text(trick, listener), "--data", str(data)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: ") and "Traceback" not in result.output
    assert listener.connections() == 0


@pytest.mark.parametrize(
    "trick", [TRICKS[0], TRICKS[len(TRICKS) // 2], TRICKS[-1]], ids=lambda p: p.stem
)
def test_query_corpus_refuses_it_and_connects_nowhere(trick, listener):
    result = CliRunner().invoke(main, ["query", _text(trick, listener), "--corpus", str(DEBATE)])
    assert result.exit_code == 1, result.output
    assert listener.connections() == 0


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_the_api_refuses_every_trick_on_both_engines(engine, listener):
    from rdflib import Graph

    g = Graph().parse(data="<urn:a> <urn:b> <urn:c> .", format="nt")
    for trick in TRICKS:
        with pytest.raises(InputError):
            query(g, _text(trick, listener), engine=engine)
    assert listener.connections() == 0


def test_the_text_that_runs_is_the_text_that_was_checked():
    """Escapes are read once, before anything else, and what runs holds none."""
    parsed = parse_query('SELECT ?x WHERE { BIND("caf\\u00E9" AS ?x) }')
    assert parsed.text == 'SELECT ?x WHERE { BIND("café" AS ?x) }'


def test_escapes_still_mean_what_sparql_says():
    """A query that uses escapes honestly gets its answer, on both engines alike."""
    from rdflib import Graph, Literal

    g = Graph().parse(data='<urn:a> <urn:b> "café" .', format="nt")
    for engine in ("oxigraph", "rdflib"):
        result = query(g, 'SELECT ?s WHERE { ?s ?p "caf\\u00E9" }', engine=engine)
        assert [str(r.s) for r in result] == ["urn:a"]
        result = query(g, 'SELECT ?o WHERE { ?s ?p ?o FILTER(?o = "caf\\U000000E9") }')
        assert list(result.column("o")) == [Literal("café")]


def test_a_string_about_services_is_not_a_service():
    from rdflib import Graph

    g = Graph().parse(data='<urn:a> <urn:b> "the public service" .', format="nt")
    result = query(g, 'SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(?o, "service")) }')
    assert len(result) == 1


def test_an_escape_that_spells_an_escape_says_why():
    with pytest.raises(QueryRefused, match=r"spells another escape .*write the character itself"):
        parse_query('SELECT * WHERE { BIND("\\u005Cu0041" AS ?x) }')


def test_a_code_point_past_unicode_is_a_bad_query():
    with pytest.raises(InputError, match="a \\\\U escape names a Unicode code point up to"):
        parse_query('SELECT * WHERE { BIND("\\U00110000" AS ?x) }')
    with pytest.raises(InputError, match="U\\+D800, which no query may hold"):
        parse_query('SELECT * WHERE { BIND("\\uD800" AS ?x) }')


def test_a_long_run_of_comment_marks_is_read_in_linear_time():
    """The SERVICE backstop's search must not backtrack: 2^2500 ways to split 5,000 '#'."""
    parsed = parse_query("SELECT * WHERE { } # SERVICE " + "#" * 5000)
    assert parsed.services == ()


def test_a_from_naming_an_empty_graph_fetches_nothing(listener):
    """rdflib loads a FROM graph it finds empty from the web: an empty graph is not held."""
    import pyoxigraph as ox

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c")))
    store.add_graph(ox.NamedNode(listener.url + "g"))
    for engine in ("oxigraph", "rdflib"):
        with pytest.raises(QueryRefused, match="names no graph of this dataset"):
            query(store, f"SELECT * FROM <{listener.url}g> WHERE {{ ?s ?p ?o }}", engine=engine)
    assert listener.connections() == 0
