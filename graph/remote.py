"""Reading a dataset a SPARQL server holds: the statements of its named graphs, page by page.

``export --endpoint`` (and any command that reads a whole graph from a server) asks for the
statements with SPARQL 1.1 Protocol queries only, so any server does: the Oxigraph server,
Virtuoso, Fuseki. Two things a server may do are handled here:

- it may cap the rows of an answer without saying so (Virtuoso's ``ResultSetMaxRows``), so
  statements are asked for in pages of a fixed order, each page starting where the rows
  received so far end, until a page comes back empty; the total is then checked against
  the server's own count, so a dataset is read whole or not at all;
- it may hold graphs of its own (Virtuoso keeps its settings in graphs), so the dataset is
  the graphs ``push`` recorded in its manifests there, when there are any;
- it may write a value in another form than it was given (Virtuoso writes the booleans
  ``true`` and ``false`` as ``1`` and ``0``), so such a value is given back in the form our
  data writes it, and the dataset exports to the same bytes as the one pushed.

Answers are parsed by pyoxigraph (SPARQL results JSON), into pyoxigraph's terms.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from .query import EndpointError, SparqlEndpoint

#: Rows asked for in one page; a server that caps answers lower gives fewer, and the next
#: page starts after them.
PAGE_ROWS = 10_000

#: The graphs ``push`` wrote, from the manifests it keeps on the server (graph.push).
#: (IRIs written out: the query goes inside another, where no PREFIX may stand.)
PUSHED_GRAPHS = """SELECT DISTINCT ?graph WHERE { GRAPH ?manifest {
  ?manifest a <http://www.w3.org/ns/prov#Collection> ;
    <http://purl.org/dc/terms/hasPart> ?graph } }"""

#: Every named graph that holds a statement.
NAMED_GRAPHS = "SELECT DISTINCT ?graph WHERE { GRAPH ?graph { ?s ?p ?o } }"


def _post(endpoint: SparqlEndpoint, text: str) -> bytes:
    """The server's SPARQL results JSON for the query ``text``, or :class:`EndpointError`
    saying what went wrong (the same checks and words as ``query --endpoint``)."""
    if not re.match(r"^https?://", endpoint.url):
        raise EndpointError(f"{endpoint.url} is not an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        endpoint.url,
        data=urllib.parse.urlencode({"query": text}).encode("utf-8"),
        headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "bill-argument-graph",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=endpoint.timeout) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()[:500]
        raise EndpointError(f"{endpoint.url} answered {exc.code} {exc.reason}: {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EndpointError(f"could not reach {endpoint.url}: {reason}") from None


def select(endpoint: SparqlEndpoint, text: str) -> list[ox.QuerySolution]:
    """The rows a SELECT query gets from the server, as pyoxigraph solutions."""
    body = _post(endpoint, text)
    try:
        return list(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
    except (SyntaxError, ValueError):
        raise EndpointError(
            f"{endpoint.url} did not answer with SPARQL results JSON: {body[:200]!r}"
        ) from None


def _pages(
    endpoint: SparqlEndpoint, ordered: str, page_rows: int = PAGE_ROWS
) -> Iterator[ox.QuerySolution]:
    """Every row of the SELECT query ``ordered`` (which orders its rows totally), a page at
    a time. The order is a subquery's, which Virtuoso's documentation gives as the way to
    page past its cap on sorted rows."""
    offset = 0
    while True:
        page = select(
            endpoint, f"SELECT * WHERE {{ {{ {ordered} }} }} LIMIT {page_rows} OFFSET {offset}"
        )
        if not page:
            return
        yield from page
        offset += len(page)


_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
#: The booleans as Virtuoso writes them, and as every other writer does.
_BOOLEANS = {"1": "true", "0": "false"}


def _as_written(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.Term:
    """``term`` in the form our data writes it: a boolean as true or false, not 1 or 0."""
    if type(term) is ox.Literal and term.datatype == _BOOLEAN and term.value in _BOOLEANS:
        return ox.Literal(_BOOLEANS[term.value], datatype=_BOOLEAN)
    return term


def _values(graphs: Iterable[str]) -> str:
    return "VALUES ?g { " + " ".join(f"<{ox.NamedNode(g).value}>" for g in graphs) + " }"


def dataset_graphs(endpoint: SparqlEndpoint) -> list[str]:
    """The named graphs that make up the dataset on the server, sorted: the graphs ``push``
    recorded there, when it holds any of its manifests; otherwise every named graph."""
    graphs = [row["graph"] for row in _pages(endpoint, f"{PUSHED_GRAPHS} ORDER BY ?graph")]
    if not graphs:
        graphs = [row["graph"] for row in _pages(endpoint, f"{NAMED_GRAPHS} ORDER BY ?graph")]
    return sorted({g.value for g in graphs if isinstance(g, ox.NamedNode)})


def read_dataset(
    endpoint: SparqlEndpoint | str,
    graphs: Iterable[str] | None = None,
    *,
    page_rows: int = PAGE_ROWS,
) -> list[ox.Quad]:
    """Every statement of the named ``graphs`` on the server (by default
    :func:`dataset_graphs`) as pyoxigraph quads, each in its graph.

    Raises :class:`EndpointError` when the server cannot be reached, refuses a query, or
    gives fewer statements than it counts (a page lost on the way).
    """
    if isinstance(endpoint, str):
        endpoint = SparqlEndpoint(endpoint)
    names = sorted(set(graphs)) if graphs is not None else dataset_graphs(endpoint)
    if not names:
        return []
    values = _values(names)
    where = f"{values} GRAPH ?g {{ ?s ?p ?o }}"
    quads = [
        ox.Quad(row["s"], row["p"], _as_written(row["o"]), row["g"])
        for row in _pages(
            endpoint, f"SELECT ?g ?s ?p ?o WHERE {{ {where} }} ORDER BY ?g ?s ?p ?o", page_rows
        )
    ]
    (counted,) = select(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    expected = int(counted["n"].value)
    if len(set(quads)) != expected:
        raise EndpointError(
            f"{endpoint.url} gave {len(set(quads))} distinct statements of the {expected} "
            f"it counts in {len(names)} graphs; it may have changed while being read"
        )
    return quads
