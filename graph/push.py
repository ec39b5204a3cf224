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
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from .query import to_store
from .vocab import PREFIXES, Minter

#: The URL parameter that names a graph in the Graph Store Protocol.
DEFAULT_GRAPH_PARAM = "graph"


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
        self.opener = urllib.request.build_opener(*handlers)

    def url(self, graph: str) -> str:
        joiner = "&" if "?" in self.endpoint else "?"
        return self.endpoint + joiner + urllib.parse.urlencode({self.graph_param: graph})

    def send(
        self, method: str, graph: str, body: bytes | None = None, accept: str | None = None
    ) -> tuple[int, bytes, str]:
        headers = {"User-Agent": "bill-argument-graph"}
        if body is not None:
            headers["Content-Type"] = "text/turtle; charset=utf-8"
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(self.url(graph), data=body, headers=headers, method=method)  # noqa: S310
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                content_type = response.headers.get("Content-Type", "")
                return response.status, response.read(), content_type
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return 404, b"", ""
            detail = exc.read().decode("utf-8", "replace").strip()[:300]
            raise PushError(
                f"{method} <{graph}> at {self.endpoint}: {exc.code} {exc.reason}"
                + (f": {detail}" if detail else "")
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PushError(f"could not reach {self.endpoint}: {reason}") from None


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
        client.send("PUT", name, _turtle(triples))
        report.written[name] = len(triples)
    for name in previous:
        if name not in report.written:
            client.send("DELETE", name)
            report.removed.append(name)
    client.send("PUT", manifest, _manifest(manifest, names))
    return report
