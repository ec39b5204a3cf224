"""Pushing: the built graph sent to a SPARQL 1.1 Graph Store Protocol server.

When a corpus outgrows one process, it goes to a SPARQL server that already exists
(Oxigraph's server, Apache Jena Fuseki, Virtuoso). :func:`push` writes each named graph of
the dataset (one per source document, plus the bill, organizations and topics) with an HTTP
``PUT``, which replaces the graph whole, and then removes the graphs an earlier push wrote
that the corpus no longer has. What was pushed is recorded in a manifest graph on the server
(``<base>graph/push-manifest`` by default), so only graphs this tool wrote are ever removed.
"""

from __future__ import annotations

import datetime
import html
import http.client
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from .defaults import DEFAULT_GRAPH_PARAM, MAX_ENDPOINT_BYTES, MAX_ENDPOINT_ERROR_BYTES
from .diff import visible
from .query import to_store
from .remote import Watch, watched_opener
from .vocab import PREFIXES, Minter


class PushError(Exception):
    """The server could not be reached, or refused a request."""


def manifest_iri(base: str) -> URIRef:
    """The graph that records a corpus's last push: ``<base>graph/push-manifest``.

    >>> str(manifest_iri("https://example.org/corpus/demo/"))
    'https://example.org/corpus/demo/graph/push-manifest'
    """
    return Minter(base).reference_graph("push-manifest")


@dataclass
class PushReport:
    """What a push did: graphs written (with their triples) and graphs removed."""

    endpoint: str
    manifest: str
    written: dict[str, int] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        triples = sum(self.written.values())
        lines = [
            f"Pushed {len(self.written)} graphs ({triples} triples) to {self.endpoint}",
            f"  manifest: <{self.manifest}>",
        ]
        if self.removed:
            lines.append(f"Removed {len(self.removed)} graphs the corpus no longer has:")
            lines += [f"  <{g}>" for g in self.removed]
        return "\n".join(lines)


#: How much of a server's message a refusal quotes.
MESSAGE_LENGTH = 300


def server_message(body: bytes, content_type: str = "", status: str = "") -> str:
    r"""A server's answer to a refused request as one line of text: what a person reads.

    Servers answer a refusal with plain text (Oxigraph), or with an HTML page (Virtuoso,
    whose message sits in an ``<xmp>`` element under a heading that repeats the status).
    The page's head, its markup and a heading that repeats ``status`` (``"403 Forbidden"``)
    are dropped and white space is folded, so the message fits on the line that reports the
    refusal; a long one is cut at :data:`MESSAGE_LENGTH` characters.

    >>> page = b'''<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
    ... <html><head><title>SPARQL Graph Protocol request failed</title></head>
    ... <body><h1>HTTP/1.1 403 Forbidden</h1><h3>Error 42000</h3>
    ... <xmp>SQ110:SECURITY: Permission denied for <urn:x> (user ID = 107)</xmp></body></html>'''
    >>> server_message(page, "text/html; charset=UTF-8", "403 Forbidden")
    'Error 42000 SQ110:SECURITY: Permission denied for <urn:x> (user ID = 107)'
    >>> server_message(b"PUT /nothing is not supported by this server\n", "text/plain")
    'PUT /nothing is not supported by this server'
    """
    text = body.decode("utf-8", "replace")
    if "html" in content_type.lower() or re.match(r"\s*<(!doctype|html)\b", text, re.I):
        text = re.sub(r"(?is)<(head|script|style)\b.*?</\1\s*>", " ", text)
        # Text in <xmp> (and <pre>) is the message itself, and may hold <iri>s: keep it
        # through the removal of tags below.
        text = re.sub(
            r"(?is)<(xmp|pre)\b[^>]*>(.*?)</\1\s*>", lambda m: " " + html.escape(m[2]) + " ", text
        )
        text = html.unescape(re.sub(r"(?s)<[^>]*>", " ", text))
    text = visible(" ".join(text.split()))  # no server's control character reaches a terminal
    if status:
        text = re.sub(rf"^(HTTP/[\d.]+\s+)?{re.escape(status)}\b\s*", "", text, flags=re.I)
    if len(text) > MESSAGE_LENGTH:
        text = text[:MESSAGE_LENGTH].rsplit(" ", 1)[0] + " ..."
    return text


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is refused, not followed: it may lead to another host (with the
    credentials of --user), or to ftp://, with the graphs meant for the server named."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
        raise PushError(
            f"{req.get_method()} {visible(req.full_url)} answered {code}, a redirect to "
            f"{visible(str(newurl))[:300]}; redirects are not followed: give the URL you "
            "mean as the endpoint"
        )


class _Client:
    def __init__(
        self,
        endpoint: str,
        graph_param: str,
        user: str | None,
        password: str | None,
        timeout: float,
    ) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise PushError(f"{endpoint} is not an http(s) URL")
        self.endpoint = endpoint
        self.graph_param = graph_param
        self.user = user
        self.timeout = timeout
        handlers: list[urllib.request.BaseHandler] = []
        if user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, endpoint, user, password or "")
            # Virtuoso asks for Digest, Fuseki usually Basic: offer both.
            handlers += [
                urllib.request.HTTPBasicAuthHandler(passwords),
                urllib.request.HTTPDigestAuthHandler(passwords),
            ]
        self.handlers = handlers

    def url(self, graph: str) -> str:
        joiner = "&" if "?" in self.endpoint else "?"
        return self.endpoint + joiner + urllib.parse.urlencode({self.graph_param: graph})

    def _hint(self, code: int) -> str:
        """What to do about a refusal, in the words of the push command's options."""
        if code == 401:
            if self.user is None:
                return "the server asks who you are: give --user and --password"
            return f"the server did not accept the password of --user {self.user}"
        if code == 403:
            who = "anyone without --user" if self.user is None else f"--user {self.user}"
            return (
                f"the server does not let {who} write graphs; Virtuoso writes through "
                "/sparql-graph-crud-auth as a user with the SPARQL_UPDATE role"
            )
        if code in (404, 405, 501):
            return (
                f"is {self.endpoint} the server's Graph Store endpoint? Oxigraph's is /store, "
                "Fuseki's /DATASET/data, Virtuoso's /sparql-graph-crud-auth"
            )
        return ""

    def send(
        self, method: str, graph: str, body: bytes | None = None, accept: str | None = None
    ) -> tuple[int, bytes, str]:
        headers = {"User-Agent": "bill-argument-graph"}
        if body is not None:
            headers["Content-Type"] = "text/turtle; charset=utf-8"
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(self.url(graph), data=body, headers=headers, method=method)  # noqa: S310
        with Watch(self.timeout) as watch:
            return self._open(watch, request, method, graph)

    def _overtime(self, method: str, graph: str) -> PushError:
        return PushError(
            f"{method} <{graph}> at {self.endpoint}: no whole answer within {self.timeout:g} s"
        )

    def _open(
        self, watch: Watch, request: urllib.request.Request, method: str, graph: str
    ) -> tuple[int, bytes, str]:
        """The answer to ``request``, read whole before ``watch``'s deadline (a server that
        sends a byte every few seconds is stopped there), or :class:`PushError`."""
        opener = watched_opener(watch, *self.handlers, redirects=_RefuseRedirects)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                content_type = response.headers.get("Content-Type", "")
                body = response.read(MAX_ENDPOINT_BYTES + 1)
                if len(body) > MAX_ENDPOINT_BYTES:
                    raise PushError(
                        f"{method} <{graph}> at {self.endpoint}: the answer is larger than "
                        f"{MAX_ENDPOINT_BYTES:,} bytes"
                    )
                if watch.expired:  # the socket was shut mid-answer: what came is cut short
                    raise self._overtime(method, graph)
                return response.status, body, content_type
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and method in ("GET", "DELETE"):
                # No such graph: no manifest yet, or a graph already gone.
                return 404, b"", ""
            content_type = exc.headers.get("Content-Type", "") if exc.headers else ""
            status = f"{exc.code} {exc.reason}"
            try:
                body = exc.read(MAX_ENDPOINT_ERROR_BYTES) if exc.fp else b""
            except (OSError, http.client.HTTPException):
                body = b""
            detail = server_message(body, content_type, status)
            hint = self._hint(exc.code)
            raise PushError(
                f"{method} <{graph}> at {self.endpoint}: {status}"
                + (f": {detail}" if detail else "")
                + (f" ({hint})" if hint else "")
            ) from None
        except PushError:
            raise
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            if watch.expired:
                raise self._overtime(method, graph) from None
            reason = getattr(exc, "reason", exc)
            raise PushError(f"could not reach {self.endpoint}: {visible(str(reason))}") from None


#: The most Turtle sent in one request. A server that asks who you are (Virtuoso's Digest)
#: answers the first request, sent without credentials, before reading its body, and closes
#: the connection: a body larger than the socket's buffers is then cut off ("broken pipe").
CHUNK_BYTES = 256 * 1024


def _chunks(triples: list[ox.Triple]) -> list[bytes]:
    """A graph's Turtle in parts of about :data:`CHUNK_BYTES` each; one part if the graph
    has blank nodes (they cannot be split between requests) or is small."""
    whole = _turtle(triples)
    if len(whole) <= CHUNK_BYTES or any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples
    ):
        return [whole]
    parts = max(2, -(-len(whole) // CHUNK_BYTES))
    size = -(-len(triples) // parts)
    return [_turtle(triples[i : i + size]) for i in range(0, len(triples), size)]


def _turtle(triples: list[ox.Triple]) -> bytes:
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def _previous(client: _Client, manifest: str) -> list[str]:
    """The graphs the last push recorded, from the manifest on the server (none if absent)."""
    status, body, content_type = client.send(
        "GET", manifest, accept="application/n-triples, text/turtle;q=0.9"
    )
    if status == 404 or not body.strip():
        return []
    g = Graph()
    rdf_format = "nt" if "n-triples" in content_type else "turtle"
    try:
        g.parse(data=body.decode("utf-8"), format=rdf_format)
    except Exception as exc:
        raise PushError(f"the manifest <{manifest}> on the server cannot be read: {exc}") from None
    return sorted(str(o) for o in g.objects(URIRef(manifest), DCTERMS.hasPart))


def _manifest(manifest: str, graphs: list[str]) -> bytes:
    g = Graph()
    m = URIRef(manifest)
    g.add((m, RDF.type, PROV.Collection))
    g.add(
        (
            m,
            RDFS.comment,
            Literal(
                "The graphs bill-argument-graph's push wrote here. The next push of the same "
                "corpus replaces them and removes those it no longer has."
            ),
        )
    )
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    g.add((m, DCTERMS.modified, Literal(now.isoformat(), datatype=XSD.dateTime)))
    for name in graphs:
        g.add((m, DCTERMS.hasPart, URIRef(name)))
    return g.serialize(format="turtle").encode("utf-8")


def push(
    data: Dataset | ox.Store,
    endpoint: str,
    *,
    manifest: str,
    graph_param: str = DEFAULT_GRAPH_PARAM,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 120.0,
) -> PushReport:
    """Send every named graph of ``data`` to the Graph Store Protocol ``endpoint``.

    Each graph is replaced whole (``PUT``); graphs that the previous push recorded in the
    ``manifest`` graph and ``data`` no longer has are deleted; then the manifest is
    rewritten. Raises :class:`PushError` when the server cannot be reached or refuses.
    """
    store = to_store(data)
    if any(True for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        raise PushError(
            "the data has triples outside named graphs; push sends named graphs only "
            "(give a corpus, or a TriG or N-Quads file)"
        )
    client = _Client(endpoint, graph_param, user, password, timeout)
    report = PushReport(endpoint, manifest)
    previous = _previous(client, manifest)
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    names = [n for n in names if n != manifest]
    for name in names:
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name))]
        for i, chunk in enumerate(_chunks(triples)):
            # The first part replaces the graph, the rest add to it (Graph Store POST).
            client.send("PUT" if i == 0 else "POST", name, chunk)
        report.written[name] = len(triples)
    for name in previous:
        if name not in report.written:
            client.send("DELETE", name)
            report.removed.append(name)
    client.send("PUT", manifest, _manifest(manifest, names))
    return report
