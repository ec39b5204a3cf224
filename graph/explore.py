"""The served explorer: a page that starts from one node and grows as the user expands it.

A map file holds at most a couple of thousand nodes; a legislature has a hundred thousand.
When ``serve`` runs, ``GET /explore`` gives a page that draws a focus and its neighbours, and
each click on a node asks the server for that node's neighbourhood
(``GET /explore/neighbourhood?node=IRI&depth=1``, or ``?focus=NAME`` for a name as
``map --focus`` takes it) and adds what it did not draw yet, so any part of the graph can be
reached. The answers come from :mod:`graph.neighbourhood`, the walk ``map --focus`` makes:
a hub is drawn and its links counted, not walked through, and a node with more links than
one answer may hold is drawn alone, with the advice to focus a map on it.

Every request parameter is checked (a bad one is answered 400 with a JSON message that says
what to send), and the work of one answer is bounded: a depth of at most
:data:`MAX_DEPTH`, at most :data:`MAX_ANSWER_NODES` nodes (the walk asks the store for no
more than it can keep), the server's time limit for a query (``serve --timeout``), and
:data:`graph.serve.EXPLORE_AT_ONCE` answers at a time; past either of the last two, 503
with a JSON message.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pyoxigraph as ox
from markupsafe import Markup
from rdflib import Graph

from .defaults import HUB_LINKS
from .errors import InputError
from .kinds import EDGE_KIND_BY_NAME, KIND_BY_NAME
from .neighbourhood import Asker, IndexedSource, NodeIndex, Overtime, cached_index, walk
from .query import to_store
from .visualize import _csp_hash, _vis_js, cap, map_graph

#: The deepest neighbourhood one answer walks: a click adds what is one link away.
MAX_DEPTH = 2
#: The most nodes one answer holds; a node linked to more is drawn alone.
MAX_ANSWER_NODES = 500
#: The longest IRI or name a request may give.
MAX_PARAMETER = 2_000

_TEMPLATES = Path(__file__).resolve().parent / "templates"

#: vis-network shapes for the kinds the map draws as icons: the explorer draws no images.
_PLAIN_SHAPES = {"image": "dot"}


class BadRequest(Exception):
    """A request the explorer cannot answer as sent: said in a sentence, answered 400."""


@dataclass(frozen=True)
class Answer:
    """What an explorer request gets: an HTTP status and a JSON-able body."""

    status: int
    body: dict[str, Any]


class Explorer:
    """The neighbourhoods of one graph, for the served page; made once, asked by many threads.

    ``data`` is the graph (a store, read-only, or an rdflib graph); ``folder``, the store's
    folder on disk, if it has one (:func:`graph.store.store_of`), lets the index of its
    nodes be kept in the user's cache.
    """

    def __init__(self, data: ox.Store | Graph, folder: str | Path | None = None) -> None:
        self.data = data
        self.folder = folder
        self._indexed: IndexedSource | None = None
        self._lock = threading.Lock()

    def indexed(self) -> IndexedSource:
        """The graph and its node index, read on the first request (once per file)."""
        with self._lock:
            if self._indexed is None:
                asker = Asker(to_store(self.data))
                index = (
                    cached_index(asker, self.folder)
                    if self.folder is not None
                    else NodeIndex.read(asker)
                )
                self._indexed = IndexedSource(asker, index)
            return self._indexed

    def answer(self, params: dict[str, list[str]], seconds: float | None = None) -> Answer:
        """The answer to ``GET /explore/neighbourhood`` with the query parameters ``params``:
        400 for a bad request, 503 if the work takes longer than ``seconds`` (None: no
        limit), which it stops between two of its questions to the store."""
        deadline = None if seconds is None else time.monotonic() + seconds
        try:
            return Answer(200, self.neighbourhood(*self._checked(params), deadline=deadline))
        except BadRequest as exc:
            return Answer(400, {"error": str(exc)})
        except Overtime:
            return Answer(
                503,
                {
                    "error": f"the neighbourhood took longer than {seconds:g} s to find; "
                    "ask for depth=1, or for a node with fewer links"
                },
            )

    def _checked(self, params: dict[str, list[str]]) -> tuple[str, int]:
        """The node asked for and the depth, or :class:`BadRequest` saying what is wrong."""
        unknown = sorted(set(params) - {"node", "focus", "depth"})
        if unknown:
            raise BadRequest(
                f"unknown parameter {unknown[0]!r}; give node=IRI (or focus=NAME) and depth=N"
            )
        for name, values in params.items():
            if len(values) != 1:
                raise BadRequest(f"give {name} once, not {len(values)} times")
            if len(values[0]) > MAX_PARAMETER:
                raise BadRequest(f"{name} is longer than {MAX_PARAMETER:,} characters")
        depth_text = params.get("depth", ["1"])[0]
        # ASCII digits only: str.isdigit() takes '²' (which int() refuses) and Arabic-Indic
        # digits (which int() reads), neither of which a page sends.
        if not re.fullmatch(r"[0-9]{1,3}", depth_text) or not 0 <= int(depth_text) <= MAX_DEPTH:
            raise BadRequest(
                f"depth must be a whole number from 0 to {MAX_DEPTH}, not {depth_text!r}"
            )
        indexed = self.indexed()
        if ("node" in params) == ("focus" in params):
            raise BadRequest(
                "give node=IRI (a node's IRI) or focus=NAME (as map --focus takes), one of them"
            )
        if "focus" in params:
            try:
                seeds = indexed.resolve(params["focus"][0])
            except InputError as exc:
                raise BadRequest(exc.problems[0].message) from None
            return seeds[0], int(depth_text)
        node = params["node"][0]
        try:
            ox.NamedNode(node)
        except ValueError:
            raise BadRequest(
                f"node must be an IRI, such as a node's id on the page, not {node!r}"
            ) from None
        if node not in indexed.kinds:
            raise BadRequest(f"no node of the graph has the IRI {node!r}")
        return node, int(depth_text)

    def neighbourhood(self, node: str, depth: int, deadline: float | None = None) -> dict[str, Any]:
        """The nodes and arrows within ``depth`` links of ``node``, as the page draws them;
        past ``deadline`` (a :func:`time.monotonic`), :class:`Overtime` is raised."""
        shared = self.indexed()
        indexed = IndexedSource(Asker(shared.asker.source, deadline), shared.index)
        links = indexed.link_counts([node]).get(node, 0)
        crowded = links > MAX_ANSWER_NODES
        part = walk(
            indexed,
            [node],
            0 if crowded else depth,
            hub_links=HUB_LINKS,
            max_nodes=MAX_ANSWER_NODES,
        )
        view = indexed.view(part.kinds, part.edges)
        view, _ = cap(view, MAX_ANSWER_NODES, part.hops)
        drawn = map_graph(view)
        counts = indexed.link_counts(drawn)
        nodes = [_node(n, data, counts.get(n, 0)) for n, data in sorted(drawn.nodes(data=True))]
        edges = sorted(
            {(u, v, data["kind"]) for u, v, data in drawn.edges(data=True)},
        )
        return {
            "node": node,
            "depth": depth,
            "links": links,
            "crowded": crowded,
            "nodes": nodes,
            "edges": [_edge(u, v, kind) for u, v, kind in edges],
        }


def _node(iri: str, data: dict, links: int) -> dict[str, Any]:
    """A node as the page draws it; a hub (of more than HUB_LINKS links) says so."""
    kind = KIND_BY_NAME.get(data.get("kind", ""))
    return {
        "id": iri,
        "label": str(data.get("label", iri)),
        "kind": data.get("kind"),
        "kindLabel": kind.label if kind else "",
        "color": kind.color if kind else "#cccccc",
        "shape": _PLAIN_SHAPES.get(kind.shape, kind.shape) if kind else "dot",
        "links": links,
        "hub": links > HUB_LINKS,
    }


def _edge(u: str, v: str, kind: str) -> dict[str, Any]:
    """An arrow as the page draws it, in the map's colour for its kind."""
    style = EDGE_KIND_BY_NAME.get(kind, EDGE_KIND_BY_NAME["other"])
    return {"from": u, "to": v, "kind": kind, "label": style.label, "color": style.color}


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("explore.html")


def _scripts() -> tuple[str, str]:
    """The page's two scripts, as inlined: vis-network as shipped (checked for "</script"
    when read) and the explorer's own."""
    script = (_TEMPLATES / "explore.js").read_text(encoding="utf-8")
    assert "</script" not in script.lower()
    return _vis_js(), script


def explore_page(title: str) -> str:
    """The explorer's page: one file of HTML with vis-network and its own script inlined
    (nothing loaded from the network); it asks the server it came from for the rest."""
    vis_js, script = _scripts()
    limits = {"maxDepth": MAX_DEPTH, "maxNodes": MAX_ANSWER_NODES, "hubLinks": HUB_LINKS}
    return _template().render(
        title=title,
        # Markup: inserted as they are (see _scripts); the JSON is numbers.
        vis_js=Markup(vis_js),  # noqa: S704
        explore_js=Markup(script),  # noqa: S704
        limits_json=Markup(json.dumps(limits)),  # noqa: S704
    )


def explore_policy() -> str:
    """The page's Content-Security-Policy: its two scripts run, by their hashes (as the map
    does, graph.visualize), and no other; it talks to the server it came from alone, and no
    other site may frame it (to trick a click)."""
    hashes = " ".join(_csp_hash(s) for s in _scripts())
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )
