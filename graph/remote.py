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

import contextlib
import http.client
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from .defaults import MAX_ENDPOINT_BYTES, MAX_ENDPOINT_ERROR_BYTES
from .diff import visible
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


def shown(text: str, limit: int = 500) -> str:
    r"""Text from a server (its error message, a URL it gives) as it may be printed: each
    character a terminal would obey written as its name, so no server can move the cursor,
    retitle the window or clear the screen; cut at ``limit`` characters.

    >>> shown("boom]0;title[2J")
    'boom[U+001B]]0;title[U+0007][U+001B][2J'
    """
    return visible(text.strip()[:limit])


def endpoint_url(url: str) -> str:
    """``url``, checked as the address of an endpoint: an http(s) URL with a host, and no
    white space or control character (which would split the request's lines). The scheme
    is written in lower case (``HTTP://`` is http). :class:`EndpointError` says what is
    wrong with any other.

    >>> endpoint_url("HTTP://localhost:7878/query")
    'http://localhost:7878/query'
    """
    if visible(url) != url or re.search(r"\s", url):
        raise EndpointError(
            f"{shown(url)} is not a URL an endpoint can have: it holds white space or a "
            "control character"
        )
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is no number)
    except ValueError as exc:
        raise EndpointError(f"{shown(url)} is not a valid URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise EndpointError(
            f"{shown(url)} is not an http(s) URL of a server, such as http://localhost:7878/query"
        )
    return urllib.parse.urlunsplit(parts._replace(scheme=parts.scheme.lower()))


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is refused, not followed: it may lead to another host, or to ftp://,
    with the query the user meant for the endpoint they named."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
        raise EndpointError(
            f"{req.full_url} answered {code} {shown(str(msg))}, a redirect to "
            f"{shown(str(newurl))}; redirects are not followed: give the URL you mean as "
            "--endpoint"
        )


class Watch:
    """The sockets of one request, shut at its deadline: a server that sends a byte every
    few seconds (each read waits the socket's timeout afresh) stops there all the same."""

    def __init__(self, seconds: float) -> None:
        self.sockets: list[socket.socket] = []
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def _expire(self) -> None:
        self.expired = True
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def connection(self, base: type[http.client.HTTPConnection]) -> type:
        """``base``, with each socket it opens watched."""
        watch = self

        class Watched(base):  # type: ignore[misc, valid-type]
            def connect(self) -> None:
                super().connect()
                watch.sockets.append(self.sock)

        return Watched

    def __enter__(self) -> Watch:
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()


def watched_opener(
    watch: Watch,
    *handlers: urllib.request.BaseHandler,
    redirects: type[urllib.request.HTTPRedirectHandler] | None = None,
) -> urllib.request.OpenerDirector:
    """An opener for http(s), its sockets watched (:class:`Watch`), with ``handlers``
    (a password's, for ``push``), that follows no redirect: ``redirects`` (by default
    :class:`_RefuseRedirects`) refuses each."""

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req):  # noqa: ANN001, ANN201
            return self.do_open(watch.connection(http.client.HTTPConnection), req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req):  # noqa: ANN001, ANN201
            return self.do_open(
                watch.connection(http.client.HTTPSConnection), req, context=self._context
            )

    return urllib.request.build_opener(Http, Https, *handlers, redirects or _RefuseRedirects)


def _read(stream: object, limit: int, url: str, *, cut: bool = False) -> bytes:
    """At most ``limit`` bytes of ``stream``, read a part at a time; more is
    :class:`EndpointError` (or, with ``cut``, the first ``limit`` bytes)."""
    parts, size = [], 0
    while True:
        part = stream.read(min(1 << 16, limit + 1 - size))  # type: ignore[attr-defined]
        if not part:
            return b"".join(parts)
        parts.append(part)
        size += len(part)
        if size > limit:
            if cut:
                return b"".join(parts)[:limit]
            raise EndpointError(
                f"{url} answered with more than {limit:,} bytes; ask for less (add a LIMIT)"
            )


@dataclass(frozen=True)
class Reply:
    """An endpoint's answer: its body and media type (without parameters, lower case)."""

    body: bytes
    content_type: str


def post_form(
    endpoint: SparqlEndpoint,
    form: list[tuple[str, str]],
    accept: str,
    *,
    max_bytes: int = MAX_ENDPOINT_BYTES,
) -> Reply:
    """POST ``form`` (a SPARQL 1.1 Protocol query) to ``endpoint``, and its answer: the one
    way every command asks an endpoint, so its checks live here. The URL is checked
    (:func:`endpoint_url`); a redirect is refused; the answer must come whole within the
    endpoint's timeout and ``max_bytes``; of an error, a few KB are read and its text made
    safe to print. Anything else is :class:`EndpointError` saying what went wrong."""
    url = endpoint_url(endpoint.url)
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url,
        data=urllib.parse.urlencode(form).encode("utf-8"),
        headers={
            "Accept": accept,
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "bill-argument-graph",
        },
        method="POST",
    )
    with Watch(endpoint.timeout) as watch:
        try:
            with watched_opener(watch).open(request, timeout=endpoint.timeout) as response:
                body = _read(response, max_bytes, url)
                content_type = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            detail = b""
            with contextlib.suppress(OSError, http.client.HTTPException):
                detail = _read(exc, MAX_ENDPOINT_ERROR_BYTES, url, cut=True) if exc.fp else b""
            text = shown(detail.decode("utf-8", "replace"))
            raise EndpointError(
                f"{url} answered {exc.code} {shown(str(exc.reason))}: {text}"
            ) from None
        except EndpointError:
            raise
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            if watch.expired:
                raise EndpointError(_overtime(url, endpoint.timeout)) from None
            reason = getattr(exc, "reason", exc)
            raise EndpointError(f"could not reach {url}: {shown(str(reason))}") from None
    if watch.expired:
        # The watch shut the socket mid-answer: what came is cut short.
        raise EndpointError(_overtime(url, endpoint.timeout))
    return Reply(body, content_type.split(";")[0].strip().lower())


def _overtime(url: str, seconds: float) -> str:
    return (
        f"{url} did not answer whole within {seconds:g} s; ask for less, or give the "
        "server more time"
    )


def _post(endpoint: SparqlEndpoint, text: str) -> bytes:
    """The server's SPARQL results JSON for the query ``text`` (:func:`post_form`)."""
    return post_form(endpoint, [("query", text)], "application/sparql-results+json").body


def select(
    endpoint: SparqlEndpoint, text: str, columns: Iterable[str] = ()
) -> list[ox.QuerySolution]:
    """The rows a SELECT query gets from the server, as pyoxigraph solutions, each with the
    ``columns`` asked for; :class:`EndpointError` for an answer that is not such rows."""
    body = _post(endpoint, text)
    try:
        results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if not isinstance(results, ox.QuerySolutions):
            raise ValueError("a yes or no, not rows")
        given = [v.value for v in results.variables]
        rows = list(results)
    except (SyntaxError, ValueError, TypeError) as exc:
        raise EndpointError(
            f"{endpoint.url} did not answer with SPARQL results: {shown(str(exc), 200)}"
        ) from None
    missing = [c for c in columns if c not in given]
    if missing:
        raise EndpointError(
            f"{endpoint.url} did not answer with SPARQL results as asked: without the column "
            f"?{missing[0]} (it gave {shown(' '.join('?' + v for v in given), 200) or 'none'}); "
            "is it a SPARQL endpoint?"
        )
    return rows


def _count(endpoint: SparqlEndpoint, text: str) -> int:
    """The number a ``SELECT (COUNT(*) AS ?n)`` query gets: one row, one whole number."""
    rows = select(endpoint, text, ("n",))
    value = rows[0]["n"] if len(rows) == 1 else None
    if not isinstance(value, ox.Literal) or not value.value.isascii() or not value.value.isdigit():
        raise EndpointError(
            f"{endpoint.url} did not answer with SPARQL results: a count with "
            f"{len(rows)} rows, not one row with a whole number"
        )
    return int(value.value)


def _pages(
    endpoint: SparqlEndpoint,
    ordered: str,
    page_rows: int = PAGE_ROWS,
    columns: Iterable[str] = (),
) -> Iterator[ox.QuerySolution]:
    """Every row of the SELECT query ``ordered`` (which orders its rows totally), a page at
    a time. The order is a subquery's, which Virtuoso's documentation gives as the way to
    page past its cap on sorted rows."""
    offset = 0
    while True:
        page = select(
            endpoint,
            f"SELECT * WHERE {{ {{ {ordered} }} }} LIMIT {page_rows} OFFSET {offset}",
            columns,
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
    pushed = f"{PUSHED_GRAPHS} ORDER BY ?graph"
    graphs = [row["graph"] for row in _pages(endpoint, pushed, columns=("graph",))]
    if not graphs:
        every = f"{NAMED_GRAPHS} ORDER BY ?graph"
        graphs = [row["graph"] for row in _pages(endpoint, every, columns=("graph",))]
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
    ordered = f"SELECT ?g ?s ?p ?o WHERE {{ {where} }} ORDER BY ?g ?s ?p ?o"
    try:
        quads = [
            ox.Quad(row["s"], row["p"], _as_written(row["o"]), row["g"])
            for row in _pages(endpoint, ordered, page_rows, ("g", "s", "p", "o"))
        ]
    except TypeError:  # a literal as subject, a graph unbound: no statement
        raise EndpointError(
            f"{endpoint.url} did not answer with SPARQL results as asked: a row is no statement "
            "(each needs ?g ?s ?p ?o, with an IRI for ?g and ?p)"
        ) from None
    expected = _count(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    if len(set(quads)) != expected:
        raise EndpointError(
            f"{endpoint.url} gave {len(set(quads))} distinct statements of the {expected} "
            f"it counts in {len(names)} graphs; it may have changed while being read"
        )
    return quads
