"""Serving: a read-only SPARQL 1.1 Protocol endpoint over the built graph, on loopback.

Any SPARQL client (a notebook's SPARQLWrapper, YASGUI, Protégé, ``curl``) can ask questions
of the graph at ``http://127.0.0.1:8765/sparql``; a browser gets a small query page that
works offline. The endpoint:

- answers GET and POST queries (query string, HTML form, ``application/sparql-query``) in
  the format the client asks for (SPARQL results as JSON, XML, CSV or TSV; graphs as Turtle,
  N-Triples, JSON-LD or RDF/XML), and describes itself (SPARQL Service Description) when
  asked without a query;
- is read-only: SPARQL Update is refused (403), and so is a query that would reach outside
  the graph (``SERVICE``, ``FROM``/``FROM NAMED``/``GRAPH`` naming a graph it does not hold;
  see :func:`graph.query.check_confined`), which is decided on the parsed query;
- stops a query at its time limit: queries run in worker processes, and a worker still busy
  at the limit is killed and replaced (a thread cannot be stopped, a process can);
- refuses results larger than its row limit, and requests larger than 1 MB;
- bounds what one client can hold: a request must arrive whole within 10 seconds, at most 64
  connections are open at once (the next is answered 503 and closed), and a query may take
  at most 2 GB of memory beyond the graph (the worker that runs it is stopped past that);
- answers malformed input (a bad ``Content-Length``, a body that is not UTF-8, a query
  nested too deeply to read, an empty query) with 400, never a traceback;
- allows browser clients from any origin (``Access-Control-Allow-Origin: *``, without
  credentials: the endpoint has nothing private to protect and takes no cookies);
- listens on 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import multiprocessing
import os
import queue
import re
import resource
import signal
import socket
import sys
import tempfile
import threading
import traceback
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, VOID, XSD

from .defaults import DEFAULT_HOST, DEFAULT_PORT, Limits
from .errors import InputError
from .query import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    QueryRefused,
    ResultTooLarge,
    canned_queries,
    check_confined,
    execute,
    graph_names,
    holds_graph,
    parse_query,
    to_store,
)
from .vocab import PREFIXES, SD

#: The path of the SPARQL endpoint on the server.
ENDPOINT_PATH = "/sparql"
#: The path of the explorer's page (graph.explore); its neighbourhoods are below it.
EXPLORE_PATH = "/explore"
#: The most explorer neighbourhoods found at once: each runs in a request's thread, on the
#: cores the query workers share, so a few clicks at once do not starve the queries.
EXPLORE_AT_ONCE = 2


# --- content negotiation --------------------------------------------------------------------

#: Media types a client may ask for, and the format each gives, in our order of preference.
RESULT_MEDIA_TYPES = [
    ("application/sparql-results+json", "json"),
    ("application/json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
]
GRAPH_MEDIA_TYPES = [
    ("text/turtle", "turtle"),
    ("application/x-turtle", "turtle"),
    ("application/turtle", "turtle"),
    ("application/n-triples", "ntriples"),
    ("text/plain", "ntriples"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/xml", "rdfxml"),
]
#: Values of the ``format`` (or ``output``) parameter many clients send, SPARQLWrapper too.
_FORMAT_PARAM = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "turtle"),
    "ttl": (None, "turtle"),
    "n3": (None, "turtle"),
    "nt": (None, "ntriples"),
    "ntriples": (None, "ntriples"),
    "n-triples": (None, "ntriples"),
    "json-ld": (None, "jsonld"),
    "jsonld": (None, "jsonld"),
    "rdf+xml": (None, "rdfxml"),
    "rdfxml": (None, "rdfxml"),
}


def negotiate(accept: str | None, offered: list[tuple[str, str]]) -> str | None:
    """The format to answer in: the one the ``Accept`` header rates highest among
    ``offered`` (media type, format) pairs, ours first on a tie; ``None`` if it takes none.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_MEDIA_TYPES)
    'xml'
    >>> negotiate(None, GRAPH_MEDIA_TYPES)
    'turtle'
    >>> negotiate("image/png", RESULT_MEDIA_TYPES) is None
    True
    """
    if not accept or not accept.strip():
        return offered[0][1]
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((media, q))
    best: tuple[float, int] | None = None
    chosen = None
    for order, (media, fmt) in enumerate(offered):
        major = media.split("/")[0]
        quality, specificity = -1.0, -1
        for r, q in ranges:
            s = 2 if r == media else 1 if r == f"{major}/*" else 0 if r == "*/*" else -1
            if s > specificity:
                quality, specificity = q, s
        if quality > 0 and (best is None or quality > best[0]):
            best, chosen = (quality, order), fmt
    return chosen


def _media_type(fmt: str) -> str:
    return {**RESULT_FORMATS, **GRAPH_FORMATS}[fmt]


# --- what a worker does ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProtocolRequest:
    """A query as the SPARQL protocol delivers it, ready to be sent to a worker."""

    query: str
    accept: str | None = None
    format: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


def _text(status: int, message: str) -> Response:
    return Response(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode())


def answer(
    store: ox.Store,
    graphs: set[str] | Callable[[str], bool],
    request: ProtocolRequest,
    max_rows: int,
    max_bytes: int = Limits.max_response_bytes,
) -> Response:
    """The HTTP response to one query: checked, run on ``store`` and serialized.

    Runs in a worker process; everything a query may cost happens here, inside the time
    limit the server enforces by killing the worker. ``graphs`` are the names of the graphs
    the data holds, or a function that tells whether it holds one.
    """
    holds = graphs if callable(graphs) else graphs.__contains__
    try:
        parsed = parse_query(request.query, "query")
    except QueryRefused as exc:
        return _text(403, f"Forbidden: this endpoint is read-only.\n{exc}")
    except InputError as exc:
        return _text(400, f"Bad request: {exc}")
    for name in request.default_graphs + request.named_graphs:
        if not holds(name):
            return _text(
                403, f"Forbidden: <{name}> names no graph of this dataset; nothing is fetched."
            )
    try:
        check_confined(parsed, holds)
    except QueryRefused as exc:
        return _text(403, f"Forbidden: {exc}")
    graph_result = parsed.form in ("CONSTRUCT", "DESCRIBE")
    fmt = None
    if request.format and request.format.lower() in _FORMAT_PARAM:
        fmt = _FORMAT_PARAM[request.format.lower()][1 if graph_result else 0]
    if fmt is None:
        offered = GRAPH_MEDIA_TYPES if graph_result else RESULT_MEDIA_TYPES
        fmt = negotiate(request.accept, offered)
    if fmt is None:
        kinds = GRAPH_MEDIA_TYPES if graph_result else RESULT_MEDIA_TYPES
        return _text(
            406,
            f"Not acceptable: a {parsed.form} result comes as "
            + ", ".join(sorted({m for m, _ in kinds})),
        )
    try:
        result = execute(
            store,
            parsed,
            {},
            max_rows,
            default_graphs=request.default_graphs or None,
            named_graphs=request.named_graphs or None,
        )
    except ResultTooLarge as exc:
        return _text(422, f"Result too large: {exc}")
    except InputError as exc:
        return _text(400, f"Bad request: {exc}")
    media = _media_type(fmt)
    charset = "" if fmt == "jsonld" else "; charset=utf-8"
    body = result.serialize(fmt).encode("utf-8")
    if len(body) > max_bytes:
        # The server holds a response whole while it sends it: a few long strings within
        # the row limit must not make it hold gigabytes.
        return _text(422, f"Result too large: more than {max_bytes / 1e6:g} MB; narrow the query")
    return Response(200, media + charset, body)


def _address_space() -> int:
    """The bytes of address space this process holds now (Linux), or 0 if unknown."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _worker_main(conn: Any, data_path: str, limits: Limits) -> None:
    """A worker process: load the data, then answer requests until the pipe closes."""
    # The server handles Ctrl-C; a worker just ends when its pipe does.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if os.path.isdir(data_path):  # a store on disk (graph.store): opened, not loaded
        store = ox.Store.read_only(data_path)
    else:
        store = ox.Store()
        store.bulk_load(path=data_path, format=ox.RdfFormat.N_QUADS)
    # Asked of the store one name at a time: a store on disk lists thousands of graphs
    # slowly, and a query names few.
    graphs = holds_graph(store)
    held = _address_space()
    max_memory = limits.max_query_memory
    if max_memory is not None and held:
        # A query that grows past this fails to allocate and ends the process (Oxigraph
        # aborts); the pool answers 503 and starts a fresh worker.
        limit = held + max_memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    conn.send(("ready",))
    # From here on a worker reports through its pipe; what Oxigraph prints when a query
    # fails to allocate (and a backtrace, where RUST_BACKTRACE is set) is not for the
    # server's terminal: the client is told in the response.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            response = answer(store, graphs, request, limits.max_rows, limits.max_response_bytes)
        except MemoryError:
            response = _text(503, _MEMORY_MESSAGE.format(limit=(max_memory or 0) / 1e6))
        except Exception as exc:  # a bug must not take the endpoint down
            response = _text(500, f"Internal error: {type(exc).__name__}: {exc}")
        conn.send(response)


_MEMORY_MESSAGE = (
    "Query stopped: it needed more memory than the limit of {limit:.0f} MB. "
    "Narrow it, or add a LIMIT."
)


class _Worker:
    def __init__(self, ctx: Any, data_path: str, limits: Limits) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main,
            args=(child, data_path, limits),
            daemon=True,
        )
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> bool:
        try:
            if self.conn.poll(timeout):
                self.conn.recv()
                return True
        except (EOFError, OSError):  # stopped while it started (the server is closing)
            pass
        return False

    def ask(self, request: ProtocolRequest, timeout: float) -> Response | None:
        """The worker's response, or ``None`` if it did not answer within ``timeout``."""
        self.conn.send(request)
        if self.conn.poll(timeout):
            return self.conn.recv()
        return None

    def stop(self) -> None:
        # Stopped twice when the server closes while a replacement starts: the second time
        # finds nothing left to stop.
        with contextlib.suppress(OSError, ValueError, AssertionError):
            self.process.kill()
            self.process.join(5)
        with contextlib.suppress(OSError):
            self.conn.close()


class WorkerPool:
    """Worker processes that each hold the graph and answer one query at a time.

    A query still running at the time limit has its worker killed; a fresh worker loads the
    graph and takes its place, so the endpoint keeps answering. The pool is ready once its
    first worker is: the others join it as they start, so the first answer does not wait for
    every worker to start.
    """

    #: How long a worker may take to load the graph before the pool gives up on it.
    STARTUP = 600.0

    def __init__(self, data_path: str, workers: int, limits: Limits) -> None:
        self.data_path = data_path
        self.limits = limits
        self.ctx = multiprocessing.get_context("spawn")
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.all: set[_Worker] = set()
        self.lock = threading.Lock()
        self.closed = False
        first, *others = [self._start() for _ in range(max(1, workers))]
        if not first.wait_ready(self.STARTUP):
            self.close()
            raise RuntimeError("a query worker did not start")
        self.idle.put(first)
        for w in others:
            threading.Thread(target=self._join, args=(w,), daemon=True).start()

    def _start(self) -> _Worker:
        w = _Worker(self.ctx, self.data_path, self.limits)
        with self.lock:
            self.all.add(w)
        return w

    def _join(self, w: _Worker) -> None:
        """Put a worker that is starting among the idle ones once it is ready."""
        if w.wait_ready(self.STARTUP) and not self.closed:
            self.idle.put(w)
        else:
            w.stop()

    def _replace(self, dead: _Worker) -> None:
        dead.stop()
        with self.lock:
            self.all.discard(dead)
            if self.closed:
                return

        def start() -> None:
            try:
                w = self._start()
            except (OSError, ValueError, AssertionError):
                if self.closed:  # the server closed while the worker started: nothing lost
                    return
                raise
            self._join(w)

        threading.Thread(target=start, daemon=True).start()

    def run(self, request: ProtocolRequest) -> Response:
        try:
            worker = self.idle.get(timeout=self.limits.timeout + 30)
        except queue.Empty:
            return _text(503, "Service unavailable: every query worker is busy; try again.")
        try:
            response = worker.ask(request, self.limits.timeout)
        except (EOFError, OSError):
            worker.process.join(1)
            code = worker.process.exitcode
            self._replace(worker)
            if self.limits.max_query_memory is not None and code == -signal.SIGABRT:
                # Oxigraph aborts when an allocation fails: past the memory limit.
                return _text(503, _MEMORY_MESSAGE.format(limit=self.limits.max_query_memory / 1e6))
            return _text(500, "Internal error: the query worker stopped; try again.")
        if response is None:
            self._replace(worker)
            return _text(
                503,
                f"Query stopped: it ran longer than the time limit of {self.limits.timeout:g} s. "
                "Narrow it, or add a LIMIT.",
            )
        self.idle.put(worker)
        return response

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers = list(self.all)
        for w in workers:
            w.stop()


# --- the service description and the query page ---------------------------------------------


def service_description(endpoint_url: str, graphs: list[str], triples: int) -> Graph:
    """The endpoint described in the SPARQL 1.1 Service Description vocabulary."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    service = BNode("service")
    dataset = BNode("dataset")
    default = BNode("defaultGraph")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint_url)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add(
        (
            service,
            RDFS.comment,
            Literal(
                "Read-only: SPARQL Update, SERVICE, and FROM or GRAPH naming a graph not held "
                "here are refused. The default graph is the union of the named graphs, one "
                "per source document."
            ),
        )
    )
    for fmt in (
        ox.QueryResultsFormat.JSON,
        ox.QueryResultsFormat.XML,
        ox.QueryResultsFormat.CSV,
        ox.QueryResultsFormat.TSV,
        ox.RdfFormat.TURTLE,
        ox.RdfFormat.N_TRIPLES,
        ox.RdfFormat.JSON_LD,
        ox.RdfFormat.RDF_XML,
    ):
        g.add((service, SD.resultFormat, URIRef(fmt.iri)))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(triples, datatype=XSD.integer)))
    for i, name in enumerate(graphs):
        node = BNode(f"namedGraph{i}")
        g.add((dataset, SD.namedGraph, node))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, URIRef(name)))
    return g


def _script_json(value: object) -> str:
    """JSON safe to put inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_PAGE_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 72em; padding: 0 1em; }
textarea { width: 100%; font: 13px/1.4 ui-monospace, monospace; box-sizing: border-box; }
select, button { font: inherit; margin: .4em .4em .4em 0; }
table { border-collapse: collapse; margin-top: .8em; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
#status { color: #555; }
#status.error { color: #a00; white-space: pre-wrap; }
pre { background: #f7f7f7; padding: .6em; overflow-x: auto; }
"""

_PAGE_SCRIPT = """
const questions = JSON.parse(document.getElementById("questions").textContent);
const form = document.getElementById("form");
const text = document.getElementById("query");
const pick = document.getElementById("canned");
const about = document.getElementById("about");
const status = document.getElementById("status");
const results = document.getElementById("results");
for (const q of questions) {
  const option = document.createElement("option");
  option.value = q.name;
  option.textContent = q.name + ": " + q.question;
  pick.appendChild(option);
}
pick.addEventListener("change", () => {
  const q = questions.find((q) => q.name === pick.value);
  if (q) { text.value = q.text; about.textContent = q.question; }
});
function cell(term) {
  const td = document.createElement("td");
  if (term) td.textContent = term.value;
  if (term && term.type === "uri") td.title = "IRI";
  return td;
}
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  status.className = ""; status.textContent = "Running..."; results.replaceChildren();
  const started = performance.now();
  try {
    const response = await fetch(form.action, {
      method: "POST",
      headers: {"Accept": "application/sparql-results+json, text/turtle;q=0.9"},
      body: new URLSearchParams({query: text.value}),
    });
    const body = await response.text();
    if (!response.ok) { status.className = "error"; status.textContent = body; return; }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const type = response.headers.get("Content-Type") || "";
    if (type.startsWith("application/sparql-results+json")) {
      const data = JSON.parse(body);
      if ("boolean" in data) {
        status.textContent = "Answer: " + (data.boolean ? "yes" : "no");
        return;
      }
      const table = document.createElement("table");
      const head = table.createTHead().insertRow();
      for (const v of data.head.vars) {
        const th = document.createElement("th"); th.textContent = v; head.appendChild(th);
      }
      const tbody = table.createTBody();
      for (const b of data.results.bindings) {
        const row = tbody.insertRow();
        for (const v of data.head.vars) row.appendChild(cell(b[v]));
      }
      results.appendChild(table);
      status.textContent = data.results.bindings.length + " rows in " + seconds + " s";
    } else {
      const pre = document.createElement("pre"); pre.textContent = body;
      results.appendChild(pre);
      status.textContent = "Graph in " + seconds + " s";
    }
  } catch (error) {
    status.className = "error"; status.textContent = String(error);
  }
});
"""


def query_page(title: str, endpoint_url: str) -> str:
    """The HTML page to type a query on: self-contained, so it works with no network."""
    questions = [
        {"name": q.name, "question": q.question, "text": q.text} for q in canned_queries().values()
    ]
    first = questions[0]["text"] if questions else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    prefixes = " ".join(f"{p}:" for p in PREFIXES)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SPARQL: {html.escape(title)}</title>
<style>{_PAGE_STYLE}</style>
</head>
<body>
<h1>Ask the graph: {html.escape(title)}</h1>
<p>A read-only SPARQL 1.1 endpoint at <code>{html.escape(endpoint_url)}</code>.
These prefixes are declared for every query: <code>{html.escape(prefixes)}</code>.</p>
<label>Canned question:
<select id="canned"><option value="">(your own query)</option></select></label>
<p id="about"></p>
<form id="form" method="post" action="{html.escape(ENDPOINT_PATH.lstrip("/"))}">
<textarea id="query" name="query" rows="18" spellcheck="false">{html.escape(first)}</textarea>
<button type="submit">Run query</button>
</form>
<p id="status" role="status"></p>
<div id="results"></div>
<script type="application/json" id="questions">{_script_json(questions)}</script>
<script>{_PAGE_SCRIPT}</script>
</body>
</html>
"""


# --- the HTTP server ------------------------------------------------------------------------

_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Max-Age": "86400",
}
#: The query page may run its own inline script and talk to this server, and nothing else.
_PAGE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_HOST_HEADER = re.compile(r"^[A-Za-z0-9.\-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$")


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "bill-argument-graph"

    def setup(self) -> None:
        # A client has request_seconds to send its whole request: each read waits that
        # long at most (the socket's timeout), and a watchdog closes a connection that is
        # still sending when the time is up (one byte every few seconds would pass the
        # first alone).
        self.timeout = self.server.limits.request_seconds
        super().setup()
        self._expired = False
        self._watchdog = threading.Timer(self.timeout, self._expire)
        self._watchdog.daemon = True
        self._watchdog.start()

    def _expire(self) -> None:
        self._expired = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _received(self) -> None:
        """The request has arrived whole: the watchdog stands down while it is answered."""
        self._watchdog.cancel()

    def finish(self) -> None:
        self._watchdog.cancel()
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if not self.server.quiet:
            super().log_message(format, *args)

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self._expired:
            # The time to send the request ran out while it was read: what arrived is cut
            # short, so it is not answered.
            self.close_connection = True
            return False
        return True

    def _send(self, response: Response, extra: dict[str, str] | None = None) -> None:
        try:
            self._write(response, extra)
        except OSError:  # the client has gone
            self.close_connection = True

    def _write(self, response: Response, extra: dict[str, str] | None = None) -> None:
        self.send_response(response.status)
        headers = {
            "Content-Type": response.content_type,
            "Content-Length": str(len(response.body)),
            "Vary": "Accept",
            "X-Content-Type-Options": "nosniff",
            **_CORS,
            **(extra or {}),
        }
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _endpoint_url(self) -> str:
        host = self.headers.get("Host", "")
        if not _HOST_HEADER.match(host):
            host = self.server.authority
        return f"http://{host}{ENDPOINT_PATH}"

    def do_OPTIONS(self) -> None:  # noqa: N802
        self._send(Response(204, "text/plain", b""))

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        self._received()
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/", "/index.html"):
            return self._page()
        if url.path == EXPLORE_PATH:
            return self._explore_page()
        if url.path == EXPLORE_PATH + "/neighbourhood":
            return self._explore(params)
        if url.path != ENDPOINT_PATH:
            return self._send(_text(404, f"Not found: the endpoint is {ENDPOINT_PATH}"))
        if "update" in params:
            return self._refuse_update()
        if "query" not in params:
            accept = self.headers.get("Accept", "")
            # A browser names text/html; a SPARQL client asking for */* or RDF gets the
            # service description, as the protocol says.
            if "text/html" in accept.lower():
                return self._page()
            return self._describe(accept)
        self._query(params["query"][0], params)

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path != ENDPOINT_PATH:
            return self._send(_text(404, f"Not found: the endpoint is {ENDPOINT_PATH}"))
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return self._send(
                _text(411, "Length required: send the body with a Content-Length, not chunked")
            )
        declared = self.headers.get_all("Content-Length") or ["0"]
        if len(set(declared)) != 1 or not re.fullmatch(r"[0-9]{1,12}", declared[0].strip()):
            self.close_connection = True
            return self._send(
                _text(400, "Bad request: Content-Length must be one number of bytes, 0 or more")
            )
        length = int(declared[0])
        if length > self.server.limits.max_request_bytes:
            self.close_connection = True
            return self._send(
                _text(
                    413, f"Request too large: at most {self.server.limits.max_request_bytes} bytes"
                )
            )
        raw = self.rfile.read(length)
        if len(raw) < length:  # the client stopped sending, or its time ran out
            self.close_connection = True
            return
        self._received()
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return self._send(_text(400, "Bad request: the body is not UTF-8 text"))
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            return self._refuse_update()
        if content_type == "application/sparql-query":
            return self._query(body, params)
        if content_type in ("application/x-www-form-urlencoded", ""):
            form = urllib.parse.parse_qs(body, keep_blank_values=True)
            if "update" in form or "update" in params:
                return self._refuse_update()
            if "query" not in form:
                return self._send(_text(400, "Bad request: the form has no 'query' field"))
            return self._query(form["query"][0], {**params, **form})
        self._send(
            _text(
                415,
                "Unsupported media type: POST a query as application/sparql-query or as the "
                "'query' field of application/x-www-form-urlencoded",
            )
        )

    def _refuse_update(self) -> None:
        self._send(
            _text(403, "Forbidden: this endpoint is read-only; SPARQL Update is refused."),
            {"Allow": "GET, POST, OPTIONS"},
        )

    def _query(self, text: str, params: dict[str, list[str]]) -> None:
        fmt = (params.get("format") or params.get("output") or [None])[0]
        request = ProtocolRequest(
            query=text,
            accept=self.headers.get("Accept"),
            format=fmt,
            default_graphs=tuple(params.get("default-graph-uri", [])),
            named_graphs=tuple(params.get("named-graph-uri", [])),
        )
        self._send(self.server.pool.run(request))

    def _page(self) -> None:
        page = query_page(self.server.title, self._endpoint_url())
        self._send(
            Response(200, "text/html; charset=utf-8", page.encode("utf-8")),
            {"Content-Security-Policy": _PAGE_CSP},
        )

    def _explore_page(self) -> None:
        from .explore import explore_page, explore_policy

        page = explore_page(self.server.title)
        self._send(
            Response(200, "text/html; charset=utf-8", page.encode("utf-8")),
            {"Content-Security-Policy": explore_policy()},
        )

    def _explore(self, params: dict[str, list[str]]) -> None:
        """A neighbourhood for the explorer, as JSON (graph.explore): at most
        :data:`EXPLORE_AT_ONCE` are found at once (past it, 503), each within the server's
        time limit for a query (past it, 503)."""
        slots = self.server.explore_slots
        if not slots.acquire(blocking=False):
            return self._send_json(
                503,
                {"error": "the explorer is busy with other requests; try again in a moment"},
                {"Retry-After": "1"},
            )
        try:
            answer = self.server.explorer.answer(params, self.server.limits.timeout)
            status, body = answer.status, answer.body
        except Exception:  # a bug must not take the server down, nor show its insides
            self.log_error("explorer request failed:\n%s", traceback.format_exc())
            status, body = 500, {"error": "Internal error: the explorer could not answer"}
        finally:
            slots.release()
        self._send_json(status, body)

    def _send_json(
        self, status: int, body: dict[str, Any], extra: dict[str, str] | None = None
    ) -> None:
        text = json.dumps(body, ensure_ascii=False)
        self._send(Response(status, "application/json; charset=utf-8", text.encode("utf-8")), extra)

    def _describe(self, accept: str) -> None:
        fmt = negotiate(accept, GRAPH_MEDIA_TYPES) or "turtle"
        g = service_description(self._endpoint_url(), *self.server.facts())
        text = g.serialize(
            format={
                "turtle": "turtle",
                "ntriples": "nt",
                "jsonld": "json-ld",
                "rdfxml": "pretty-xml",
            }[fmt]
        )
        self._send(Response(200, _media_type(fmt), text.encode("utf-8")))


class SparqlServer(ThreadingHTTPServer):
    """The endpoint: an HTTP server in front of a :class:`WorkerPool`."""

    daemon_threads = True
    request_queue_size = 128

    _BUSY = (
        b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Connection: close\r\nRetry-After: 1\r\n\r\n"
        b"Service unavailable: too many open connections; try again.\n"
    )

    def process_request(self, request: Any, client_address: Any) -> None:
        # One thread a connection, and no more connections than the limit: past it, a
        # client is told to come back, and its connection is closed at once.
        if not self._slots.acquire(blocking=False):
            try:
                request.settimeout(1.0)
                request.sendall(self._BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that goes away mid-request is no error of the server's.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def __init__(
        self,
        data: ox.Store | Graph | Dataset,
        *,
        title: str = "bill argument graph",
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        limits: Limits = Limits(),  # noqa: B008
        workers: int = 2,
        quiet: bool = False,
        folder: str | os.PathLike[str] | None = None,
    ) -> None:
        self.title = title
        self.limits = limits
        self.quiet = quiet
        self._slots = threading.BoundedSemaphore(max(1, limits.max_connections))
        self.explore_slots = threading.BoundedSemaphore(EXPLORE_AT_ONCE)
        # Each worker opens the store on disk that holds ``data`` (``folder``, from
        # graph.store) in a moment; without one, it loads a dump of ``data``.
        self._dump: str | None = None
        self._store = to_store(data)
        self._facts: tuple[list[str], int] | None = None
        self._facts_lock = threading.Lock()
        if folder is None:
            fd, self._dump = tempfile.mkstemp(prefix="bill-graph-", suffix=".nq")
            os.close(fd)
        try:
            if self._dump is not None:
                self._store.dump(self._dump, format=ox.RdfFormat.N_QUADS)
            self.pool = WorkerPool(self._dump or os.fspath(folder), workers, limits)
            super().__init__((host, port), _Handler)
        except BaseException:
            if hasattr(self, "pool"):
                self.pool.close()
            self._remove_dump()
            raise
        self._data, self._folder = data, folder  # for the explorer, made when first asked
        bound_host, bound_port = self.server_address[:2]
        shown = f"[{bound_host}]" if ":" in str(bound_host) else str(bound_host)
        self.authority = f"{shown}:{bound_port}"

    @functools.cached_property
    def explorer(self) -> Any:
        """The explorer's neighbourhoods of the graph (:class:`graph.explore.Explorer`),
        imported and made on the first request for one: serving SPARQL needs neither."""
        from .explore import Explorer

        return Explorer(self._data, self._folder)

    def facts(self) -> tuple[list[str], int]:
        """The names of the graphs served and the count of their statements, for the service
        description: counted when first asked for, since on a large store on disk that takes
        seconds, and no query waits for it."""
        with self._facts_lock:
            if self._facts is None:
                self._facts = (sorted(graph_names(self._store)), len(self._store))
            return self._facts

    @property
    def url(self) -> str:
        """The endpoint's URL, e.g. ``http://127.0.0.1:8765/sparql``."""
        return f"http://{self.authority}{ENDPOINT_PATH}"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()
        self._remove_dump()

    def _remove_dump(self) -> None:
        if self._dump is not None and os.path.exists(self._dump):
            os.unlink(self._dump)


def serve(
    data: ox.Store | Graph | Dataset,
    *,
    title: str = "bill argument graph",
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    limits: Limits = Limits(),  # noqa: B008
    workers: int = 2,
    ready: Callable[[SparqlServer], None] | None = None,
    quiet: bool = False,
    folder: str | os.PathLike[str] | None = None,
) -> None:
    """Serve ``data`` as a read-only SPARQL endpoint until interrupted (Ctrl-C or SIGTERM).

    ``ready`` is called with the server once it listens, e.g. to print its URL. ``folder``,
    the store on disk that holds ``data`` (graph.store), lets each worker open it rather
    than load a copy.
    """
    server = SparqlServer(
        data,
        title=title,
        host=host,
        port=port,
        limits=limits,
        workers=workers,
        quiet=quiet,
        folder=folder,
    )

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if ready is not None:
            ready(server)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
