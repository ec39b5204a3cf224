"""Visualizing: the network view as one self-contained, offline HTML map of the debate.

The page is our own template (``graph/templates/map.html``) around vis-network 9.1.2, the
library pyvis bundles; pyvis holds the nodes, edges and options, set in bulk. Nothing is
loaded from the network: the library, the script and the styles are inlined, and the data
travel as one JSON block that the page draws as text (``textContent``), never as markup.

Argument relation nodes (supports, rebuttals, undercuts, underminings) are drawn as edges
from each premise to the conclusion: a reader sees "this claim supports that one" as an arrow,
and the map has only the things a journalist names (claims, documents, organizations, bill
sections, topics). Clicking an arrow names the relation.

Positions are computed in Python (:func:`layout`: a lane per document, its claims as
argument trees, without randomness) so the map is readable at first paint, identical from
build to build, and the browser never runs a physics simulation. A graph bigger than
:data:`MAX_NODES` is cut to its documents and most linked claims (:func:`cap`); :func:`focus`
gives the neighbourhood of one claim, organization, section or topic instead. The build draws
its map with :func:`build_map`, straight from its RDF store: the same page, without the
network view of the nodes the cut leaves out.
"""

from __future__ import annotations

import base64
import difflib
import functools
import hashlib
import heapq
import json
import math
import re
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import networkx as nx
import pyvis
from markupsafe import Markup, escape
from pyvis.network import Network

from .argumentation import DebateFramework, framework_from_view
from .defaults import MAX_NODES
from .errors import InputError
from .kinds import (
    EDGE_KIND_BY_NAME,
    EDGE_KIND_OF,
    EDGE_KINDS,
    KIND_BY_NAME,
    NODE_KINDS,
    RELATION_EDGE_KIND,
    STANCE_COLORS,
)
from .network import EDGE_PREDICATES, RDFSource, Skeleton, degree_of, skeleton
from .overview import bill_order, date_order, date_words, overview
from .reader import bill_text as read_bill_text
from .reader import reader_data

#: vis-network's own seed: it places nothing (every node has a position) but is fixed anyway.
SEED = 1047

#: Canvas labels of nodes other than claims and documents (whose words are drawn whole) longer
#: than this are cut at a word; the full text is in the tooltip and the panel.
LABEL_CHARS = 60

#: When a graph must be cut: documents and the bill first, the legislative history last, and
#: in between (claims, organizations, sections, topics) the most linked first.
CAP_TIER = {"source": 0, "bill": 0, "version": 2, "event": 2}

_TEMPLATES = Path(__file__).resolve().parent / "templates"
_VIS_DIR = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"
_SOURCE_MAP = re.compile(r"//# sourceMappingURL=\S*")
_HTTP = re.compile(r"^https?://", re.I)


def _is_relation(data: dict) -> bool:
    return data.get("kind") in RELATION_EDGE_KIND


def _relation_parts(g: nx.MultiDiGraph, r: str) -> tuple[list[str], str | None]:
    """A relation node's premises and conclusion, as the network view links them."""
    premises = sorted(v for _, v, k in g.out_edges(r, keys=True) if k == "premise")
    conclusions = sorted(v for _, v, k in g.out_edges(r, keys=True) if k == "conclusion")
    return premises, (conclusions[0] if conclusions else None)


def _argument_target(g: nx.MultiDiGraph, node: str) -> str | None:
    """The claim an argument edge points at: an undercut aims at a relation, so follow it."""
    seen = set()
    while node is not None and _is_relation(g.nodes[node]) and node not in seen:
        seen.add(node)
        node = _relation_parts(g, node)[1]
    return None if node is None or _is_relation(g.nodes[node]) else node


def map_graph(g: nx.MultiDiGraph, *, simplify: bool = True) -> nx.MultiDiGraph:
    """The graph the map draws: relation nodes folded into premise-to-conclusion edges.

    Every edge carries ``kind``, a name from :data:`graph.kinds.EDGE_KINDS`; an argument edge
    also carries ``relation`` (the relation node's id) and, for an undercut, ``inference``
    (the relation whose inference it attacks). A claim's "authored" edge to an organization
    is left out when the claim's document already links them, and an event's link to the
    bill when its version already leads there: they would only double a line (unless
    ``simplify`` is false, as it is when counting hops).

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("a", {"kind": "claim"}), ("b", {"kind": "claim"})])
    >>> g.add_node("r", kind="support")
    >>> g.add_edge("r", "a", key="premise"); g.add_edge("r", "b", key="conclusion")
    'premise'
    'conclusion'
    >>> [(u, v, d["kind"]) for u, v, d in map_graph(g).edges(data=True)]
    [('a', 'b', 'supports')]
    """
    out = nx.MultiDiGraph()
    out.add_nodes_from((n, d) for n, d in g.nodes(data=True) if not _is_relation(d))
    for r in sorted(n for n, d in g.nodes(data=True) if _is_relation(d)):
        premises, conclusion = _relation_parts(g, r)
        target = _argument_target(g, conclusion) if conclusion is not None else None
        if target is None:
            continue
        kind = RELATION_EDGE_KIND[g.nodes[r]["kind"]]
        extra = {"inference": conclusion} if conclusion != target else {}
        for p in premises:
            if p in out and p != target:
                out.add_edge(p, target, key=f"{kind} {r}", kind=kind, relation=r, **extra)
    versions = {(u, v) for u, v, k in g.edges(keys=True) if k == "versionOf"}
    events = {(u, v) for u, v, k in g.edges(keys=True) if k == "concernsVersion"}
    authors = {(u, v) for u, v, k in g.edges(keys=True) if k == "author"}
    documents = {u: v for u, v, k in g.edges(keys=True) if k == "assertedIn"}
    for u, v, key in sorted(g.edges(keys=True)):
        if u not in out or v not in out or key in ("premise", "conclusion"):
            continue
        if simplify and key == "assertedBy" and (documents.get(u), v) in authors:
            continue
        if (
            simplify
            and key == "concernsBill"
            and any((w, v) in versions for e, w in events if e == u)
        ):
            continue  # the event's version already leads to the bill
        kind = EDGE_KIND_OF.get(key, "other")
        if kind == "about" and out.nodes[v].get("kind") == "bill":
            kind = "about-bill"
        out.add_edge(u, v, key=key, kind=kind)
    return out


def _undirected(mg: nx.MultiDiGraph) -> dict[str, list[str]]:
    adjacency: dict[str, set[str]] = {n: set() for n in mg}
    for u, v in mg.edges():
        adjacency[u].add(v)
        adjacency[v].add(u)
    return {n: sorted(vs) for n, vs in adjacency.items()}


def _search_keys(node: str, data: dict) -> Iterable[tuple[int, str]]:
    """What a user may type to name a node, with a rank: the lower, the surer the match."""
    yield 0, node
    for key in ("citation", "identifier"):
        if data.get(key):
            yield 1, str(data[key])
    if data.get("label"):
        yield 2, str(data["label"])


def _short_id(node: str) -> str:
    """The last two segments of an IRI: how a user names a node (``statement/opposes-ab1``).

    >>> _short_id("https://example.org/corpus/x/claim/statement/opposes-ab1")
    'statement/opposes-ab1'
    """
    return "/".join(node.rstrip("/").rsplit("/", 2)[-2:])


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def resolve(g: nx.MultiDiGraph, target: str) -> list[str]:
    """The nodes a user means by ``target``: an IRI, its last path segments, a citation or a name.

    ``ai-alliance``, ``org/ai-alliance``, ``ai-alliance-opposition-2024/opposes-sb-1047``,
    ``22603``, ``SEC. 2(d)`` and ``The AI Alliance`` all name a node of the SB 1047 graph.
    Raises :class:`InputError` when nothing matches (with the closest names) or when a name
    is ambiguous (with the candidates, to pick one by a longer id).
    """
    wanted = _norm(target)
    best: dict[int, set[str]] = {}
    for node, data in g.nodes(data=True):
        if node == target.strip():
            return [node]
        path = node.rstrip("/")
        if path.endswith("/" + target.strip().strip("/")):
            best.setdefault(0, set()).add(node)
        for rank, key in _search_keys(node, data):
            if rank and _norm(key) == wanted:
                best.setdefault(rank, set()).add(node)
    for rank in sorted(best):
        found = sorted(best[rank])
        if len(found) == 1:
            return found
        shown = ", ".join(found[:6]) + (" ..." if len(found) > 6 else "")
        raise InputError.single(
            "--focus", 0, f"{target!r} names {len(found)} things: {shown}; give a longer id"
        )
    names = sorted(
        {_short_id(n) for n in g}
        | {str(d["citation"]) for _, d in g.nodes(data=True) if d.get("citation")}
    )
    close = difflib.get_close_matches(target.strip(), names, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise InputError.single(
        "--focus",
        0,
        f"nothing in the graph is called {target!r}; give a claim (document/claim id), an "
        f"organization, a section citation such as 22603, a topic, or an IRI{hint}",
    )


def _distances(g: nx.MultiDiGraph, seeds: list[str], depth: int) -> dict[str, int]:
    """Hops from the seeds over the drawn links (a supports arrow is one hop), up to depth."""
    adjacency = _undirected(map_graph(g, simplify=False))
    start = []
    for s in seeds:
        if _is_relation(g.nodes[s]):
            premises, conclusion = _relation_parts(g, s)
            start += [n for n in [*premises, _argument_target(g, conclusion or s)] if n]
        else:
            start.append(s)
    dist = {s: 0 for s in start if s in adjacency}
    queue = deque(sorted(dist))
    while queue:
        n = queue.popleft()
        if dist[n] >= depth:
            continue
        for m in adjacency[n]:
            if m not in dist:
                dist[m] = dist[n] + 1
                queue.append(m)
    return dist


def _relation_ends(
    kinds: Mapping[str, str], edges: Iterable[tuple[str, str, str]]
) -> dict[str, tuple[list[str], str]]:
    """Each relation node's premises and conclusion (the least, as :func:`_relation_parts`
    picks it), from the view's edges ``(u, v, key)``: what :func:`_with_relations` asks of
    every relation at once. A relation without a premise or a conclusion is not in it: it
    joins no cut."""
    premises: dict[str, list[str]] = {}
    conclusions: dict[str, str] = {}
    for u, v, key in edges:
        if key == "premise":
            if kinds.get(u) in RELATION_EDGE_KIND:
                premises.setdefault(u, []).append(v)
        elif key == "conclusion" and kinds.get(u) in RELATION_EDGE_KIND:
            held = conclusions.get(u)
            if held is None or v < held:
                conclusions[u] = v
    return {r: (found, conclusions[r]) for r, found in premises.items() if r in conclusions}


def _with_relations(keep: Iterable[str], ends: Mapping[str, tuple[list[str], str]]) -> set[str]:
    """``keep`` and the relations among its nodes (``ends``: see :func:`_relation_ends`)."""
    nodes = set(keep)
    pending = [r for r in ends if r not in nodes]
    changed = True
    while changed:  # an undercut is kept once the relation it attacks is
        changed = False
        waiting = []
        for r in pending:
            premises, conclusion = ends[r]
            if conclusion in nodes and any(p in nodes for p in premises):
                nodes.add(r)
                changed = True
            else:
                waiting.append(r)
        pending = waiting
    return nodes


def _kinds(g: nx.MultiDiGraph) -> dict[str, str]:
    return {n: d.get("kind") for n, d in g.nodes(data=True)}


def _subgraph(g: nx.MultiDiGraph, keep: Iterable[str]) -> tuple[nx.MultiDiGraph, Counter]:
    """``g`` cut to ``keep`` plus the relations among them, and what was left out, by kind."""
    kinds = _kinds(g)
    nodes = _with_relations(keep, _relation_ends(kinds, g.edges(keys=True)))
    left_out = Counter(kind for n, kind in kinds.items() if n not in nodes)
    return g.subgraph(nodes).copy(), left_out


def focus(g: nx.MultiDiGraph, target: str, depth: int = 2) -> tuple[nx.MultiDiGraph, Counter]:
    """The neighbourhood of one node to ``depth`` hops, and what was left out, by node kind.

    ``target`` is anything :func:`resolve` understands: a claim, an organization, a section
    citation, a topic. The subgraph keeps the argument relations among the kept claims, so
    it renders and exports like the whole graph. Hops follow the links the map draws, so a
    claim's supporters are one hop away.
    """
    if depth < 0:
        raise InputError.single("--depth", 0, f"depth must be 0 or more, not {depth}")
    return _subgraph(g, _distances(g, resolve(g, target), depth))


def cap(
    g: nx.MultiDiGraph, max_nodes: int = MAX_NODES, order: dict[str, int] | None = None
) -> tuple[nx.MultiDiGraph, Counter]:
    """``g`` cut to at most ``max_nodes`` drawn nodes, and what was left out, by node kind.

    Keeps the nodes nearest the focus first (``order``: hops from it), then the documents
    and the bill, then the most linked claims, organizations, sections and topics, and the
    legislative history last; relation nodes come along with the claims they link and are
    not counted.
    """
    kinds = _kinds(g)
    keep = _cap_keep(kinds, g.edges(keys=True), max_nodes, order)
    if keep is None:
        return g, Counter()
    return g.subgraph(keep).copy(), Counter(k for n, k in kinds.items() if n not in keep)


def _cap_keep(
    kinds: Mapping[str, str],
    edges: Collection[tuple[str, str, str]],
    max_nodes: int,
    order: Mapping[str, int] | None = None,
    relation_edges: Iterable[tuple[str, str, str]] | None = None,
) -> set[str] | None:
    """The nodes :func:`cap` keeps, from the view's node kinds and edges ``(u, v, key)``
    alone (None when every node fits), so a caller can decide before building the view.

    ``relation_edges``, if given, are the ``premise`` and ``conclusion`` edges among
    ``edges``: a caller that holds them apart spares a pass over every edge."""
    by_kind: dict[str, list[str]] = {}
    for n, kind in kinds.items():
        by_kind.setdefault(kind, []).append(n)
    drawn = {kind: found for kind, found in by_kind.items() if kind not in RELATION_EDGE_KIND}
    if sum(map(len, drawn.values())) <= max_nodes:
        return None
    # A node's place is (hops from the focus, its kind's tier, most linked first, IRI). Whole
    # groups of the first two are kept while they fit; only the group the cut falls in is
    # ranked by degree. The same nodes as sorted(drawn, key=place)[:max_nodes], in less time.
    groups: dict[tuple[int, int], list[str]] = {}
    for kind, found in drawn.items():
        tier = CAP_TIER.get(kind, 1)
        if order:
            for n in found:
                groups.setdefault((order.get(n, 0), tier), []).append(n)
        else:
            groups.setdefault((0, tier), []).extend(found)
    kept: list[str] = []
    for place in sorted(groups):
        room, group = max_nodes - len(kept), groups[place]
        if len(group) > room:
            degree = degree_of(edges, among=set(group))  # as NetworkX's degree in the view
            kept += heapq.nsmallest(room, group, key=lambda n: (-degree[n], n))
            break
        kept += group
    ends = _relation_ends(kinds, edges if relation_edges is None else relation_edges)
    return _with_relations(kept, ends)


def describe_left_out(left_out: Counter) -> str:
    """What a cut left out, in words: ``"12 claims, 1 organization, 3 argument relations"``.

    >>> describe_left_out(Counter({"claim": 12, "organization": 1, "support": 2, "rebuttal": 1}))
    '12 claims, 1 organization, 3 argument relations'
    """
    relations = sum(n for k, n in left_out.items() if k in RELATION_EDGE_KIND)
    parts = []
    for kind in NODE_KINDS:
        n = left_out.get(kind.name, 0)
        if n and kind.name not in RELATION_EDGE_KIND:
            parts.append(f"{n:,} {_plural(kind.label.lower(), n)}")
    if relations:
        parts.append(f"{relations:,} argument {_plural('relation', relations)}")
    return ", ".join(parts) if parts else "nothing"


def _plural(noun: str, n: int) -> str:
    if n == 1:
        return noun
    return "people" if noun == "person" else noun + "s"


#: Argument edges: the links a claim's place in its argument tree follows.
_ARGUMENT_KINDS = ("supports", "rebuts", "undercuts", "undermines")

#: Layout measures in vis pixels, matched to how the nodes are drawn (see _node_style).
_CLAIM_WIDTH = 220  # a claim box's widest label
_CLAIM_COLUMN = 280  # from one argument depth to the next
_SIDE_COLUMN = 220  # authors, members, sections, topics
_LINE = 17  # a line of 14px text
_CHARS_PER_LINE = 29  # of a 14px label in a 220px box
_SIDE_CHARS = 21  # of a 14px label under a side node (170px wide)
_DOC_CHARS = 30  # of a document's bold 17px title (320px wide)
_DOC_LINE = 21
_GAP = 12  # between two claims above each other
_HEADER = 100  # from a document (its lane's header) down to its first claim, at least
_LANE_GAP = 110  # between two documents' lanes
_LANE_TOP = 50  # a lane's band above its document: room for the lane's date
_CELL = (200.0, 80.0)  # a cell of the grids under the debate: outline, history, unlinked
_TOPIC_ROW = 44.0  # one topic under another in the topics' block

#: The kinds that stand in the bill's column when a claim or document links to them.
_BILL_SIDE = ("bill", "version", "section", "event")

#: The half height of each kind's shape, as _node_style draws it (a label stands under it).
_HALF = {"bill": 28, "source": 18, "organization": 16, "person": 16, "version": 15}


@dataclass
class Layout:
    """Where every node stands, which nodes make the debate (the first view), the
    captions of the blocks under it, and the bands of the lanes (each with its date)."""

    pos: dict[str, tuple[float, float]]
    home: list[str]
    captions: list[dict]
    lanes: list[dict]
    lane_of: dict[str, str] = field(default_factory=dict)  # a node's lane: its document


def _lines(text: str, per_line: int) -> int:
    """How many lines a label wraps to, at about ``per_line`` characters a line."""
    lines, width = 1, 0
    for word in text.split():
        if width and width + 1 + len(word) > per_line:
            lines, width = lines + 1, len(word)
        else:
            width += (1 if width else 0) + len(word)
    return lines


def _claim_height(data: dict) -> float:
    return _lines(str(data.get("label", "")), _CHARS_PER_LINE) * _LINE + 18


def _side_height(data: dict) -> float:
    """The height of a node drawn with its label under its shape (all but claims, topics)."""
    kind = data.get("kind")
    label = _node_label(data)
    if kind in ("bill", "source"):
        return 2 * _HALF[kind] + _lines(label, _DOC_CHARS) * _DOC_LINE + 6
    return 2 * _HALF.get(kind, 11) + _lines(label, _SIDE_CHARS) * _LINE + 6


def layout(mg: nx.MultiDiGraph) -> Layout:
    """Stable positions in vis pixels for every node of a drawn graph: the map's picture.

    Each source document heads a lane, in date order (:func:`graph.overview.date_order`: a
    date known to the month after that month's days, one known to the year after the
    year's dated ones), with its date over the lane and its authors to its left, coalition
    members under them. In the lane the document's claims form argument trees that read
    left to right: each claim's supporters and attackers stand to its left, and the claims
    the document concludes stand in one column on the right. The bill and the sections the
    claims discuss stand right of the claims, level with the claims they link to; the
    topics in a block of their own beyond them, the most used first. Under the debate: the
    rest of the bill's outline, its legislative history in date order, and whatever links
    to nothing shown. No randomness: the same graph gives the same picture.
    """
    kind = {n: d["kind"] for n, d in mg.nodes(data=True)}
    label = {n: str(d.get("label", "")) for n, d in mg.nodes(data=True)}
    near = {n: sorted(set(mg.predecessors(n)) | set(mg.successors(n))) for n in mg}
    claims = sorted(n for n in mg if kind[n] == "claim")
    docs = sorted(
        (n for n in mg if kind[n] == "source"),
        key=lambda n: (date_order(mg.nodes[n].get("date")), label[n], n),
    )
    lane_of: dict[str, str | None] = dict.fromkeys(claims)
    for u, v, k in mg.edges(data="kind"):
        if k == "in-document" and kind[u] == "claim" and kind[v] == "source" and not lane_of[u]:
            lane_of[u] = v

    # Each claim hangs under the first claim of its own lane that it supports or attacks.
    parent: dict[str, str] = {}
    children: dict[str, list[str]] = {c: [] for c in claims}
    for u, v, k in sorted(mg.edges(data="kind")):
        if (
            k in _ARGUMENT_KINDS
            and kind[v] == "claim"
            and u not in parent
            and lane_of[u] == lane_of[v]
            and not _is_ancestor(u, v, parent)
        ):
            parent[u] = v
            children[v].append(u)
    depth = {c: _depth(c, parent) for c in claims}
    size = dict.fromkeys(claims, 1)
    for c in sorted(claims, key=lambda c: -depth[c]):  # leaves first
        if c in parent:
            size[parent[c]] += size[c]
    for c in claims:
        children[c].sort(key=lambda m: (-size[m], label[m], m))
    deepest = max(depth.values(), default=0)

    pos: dict[str, tuple[float, float]] = {}
    x_claim = {d: (deepest - d) * _CLAIM_COLUMN for d in range(deepest + 1)}
    x_left = x_claim[deepest] - _CLAIM_WIDTH / 2
    x_doc = x_left + 120
    x_bill = x_claim[0] + _CLAIM_WIDTH / 2 + _SIDE_COLUMN * 0.8
    x_topic = x_bill + _SIDE_COLUMN + 40
    # An author's label (170px) clears its document's title (320px) beside it.
    x_author = x_doc - (320 + 170) / 2 - 24
    side_bottom = -math.inf  # the lowest author or member placed beside a lane yet
    lanes: list[dict] = []
    roots_of: dict[str | None, list[str]] = {}
    for c in claims:
        if c not in parent:
            roots_of.setdefault(lane_of[c], []).append(c)
    y = 0.0
    for doc in [*docs, None]:
        roots = roots_of.get(doc, [])
        roots.sort(key=lambda m: (-size[m], label[m], m))
        if doc is None and not roots:
            continue
        top = y
        if doc is not None:
            pos[doc] = (x_doc, top)
            y += max(_HEADER, _side_height(mg.nodes[doc]) + 24)
            lane_of[doc] = doc
            authors = [m for m in near[doc] if kind[m] in ("organization", "person")]
            # Two columns of authors left of the document, each author above its members.
            cursor = [top, top]
            for a in (a for a in authors if a not in pos):
                c = 0 if cursor[0] <= cursor[1] else 1
                ax = x_author - _SIDE_COLUMN * c
                pos[a] = (ax, cursor[c])
                lane_of[a] = doc
                side_bottom = max(side_bottom, cursor[c])
                members = [
                    m
                    for m in sorted(mg.predecessors(a), key=lambda m: (label[m], m))
                    if mg.has_edge(m, a, "memberOf") and m not in pos
                ]
                below = cursor[c] + _side_height(mg.nodes[a]) + 20
                for m in members:
                    pos[m] = (ax, below + _HALF["organization"])
                    lane_of[m] = doc
                    side_bottom = max(side_bottom, pos[m][1])
                    below += _side_height(mg.nodes[m]) + 12
                cursor[c] = below + 16
        for root in roots:
            y = _place_tree(mg, root, children, depth, x_claim, y, pos)
        lane_bottom = max(y - _GAP, side_bottom + 40)
        date = mg.nodes[doc].get("date") if doc is not None else None
        authors_here = near[doc] if doc is not None else []
        elsewhere = [
            label[m]
            for m in authors_here
            if kind[m] in ("organization", "person") and lane_of.get(m) != doc
        ]
        lanes.append(
            {
                "top": top,
                "bottom": lane_bottom,
                "date": date_words(date) if doc is not None else "Claims of documents not shown",
                "doc": doc,
                # Authors drawn beside an earlier lane are named here.
                "by": "by " + ", ".join(sorted(elsewhere)) if elsewhere else None,
            }
        )
        y = lane_bottom + _LANE_GAP
    _remove_overlaps(pos, claims, lambda n: _claim_height(mg.nodes[n]), _GAP)

    # Beside the claims: the bill and the sections they discuss, level with them.
    debate = set(pos)
    beside = {
        n: ys
        for n in mg
        if n not in pos
        and kind[n] in _BILL_SIDE
        and (ys := [pos[m][1] for m in near[n] if kind[m] in ("claim", "source") and m in pos])
    }
    for n, ys in beside.items():
        pos[n] = (x_bill, sum(ys) / len(ys))
    column = [n for n in pos if n not in debate and pos[n][0] == x_bill]
    _remove_overlaps(pos, column, lambda n: _side_height(mg.nodes[n]), 8.0)
    # The topics, in a block of their own: the most used first.
    used = Counter(v for u, v, k in mg.edges(data="kind") if k == "topic" and kind[v] == "topic")
    topics = sorted((n for n in mg if kind[n] == "topic"), key=lambda n: (-used[n], label[n], n))
    captions = []
    if topics:
        captions.append(
            {"text": "Topics: click one to light up its claims", "x": x_topic - 90.0, "y": -40.0}
        )
        for i, n in enumerate(topics):
            pos[n] = (x_topic, 20.0 + i * _TOPIC_ROW)
    home = sorted(pos)

    # Under the debate, in grids as wide as it: the outline, the history, the unlinked.
    left = min((p[0] for p in pos.values()), default=0.0)
    right = max((p[0] for p in pos.values()), default=0.0)
    columns = max(5, int((right - left) // _CELL[0]) + 1)
    y = max((p[1] for p in pos.values()), default=-_LANE_GAP) + 2 * _LANE_GAP
    outline = _outline(mg, [n for n in mg if n not in pos and kind[n] in ("bill", "section")])
    bill_people = sorted(
        (
            n
            for n in mg
            if n not in pos
            and kind[n] == "person"
            and near[n]
            and all(kind[m] == "bill" for m in near[n])
        ),
        key=lambda n: (label[n], n),
    )
    history = bill_people + sorted(
        (n for n in mg if n not in pos and kind[n] in ("version", "event")),
        key=lambda n: (date_order(mg.nodes[n].get("date")), kind[n] != "version", label[n], n),
    )
    unlinked = sorted(
        (n for n in mg if n not in pos and n not in outline and n not in history),
        key=lambda n: (kind[n], label[n], n),
    )
    for title, block in (
        ("The bill's outline: sections no claim here discusses", outline),
        ("The bill's authors and history, in date order: versions and events", history),
        ("Linked to no claim or document shown here", unlinked),
    ):
        if not block:
            continue
        captions.append({"text": title, "x": left - 60.0, "y": y})
        y += 50.0
        for i, n in enumerate(block):
            row, col = divmod(i, columns)
            pos[n] = (left + col * _CELL[0], y + row * _CELL[1])
        y += math.ceil(len(block) / columns) * _CELL[1] + _LANE_GAP
    out = {n: (round(x, 1), round(y, 1)) for n, (x, y) in sorted(pos.items())}
    lane_left = min((out[n][0] for n in home if kind[n] != "topic"), default=0.0) - 60
    lane_right = x_claim[0] + _CLAIM_WIDTH / 2 + 30
    bands = [
        {
            "x": lane_left,
            "y": b["top"] - _LANE_TOP,
            "w": lane_right - lane_left,
            "h": b["bottom"] - b["top"] + _LANE_TOP + 30,
            "date": b["date"],
            "doc": b["doc"],
            # The date stands over the document's title, where a reader looks.
            "dateAt": [x_doc - 150.0, b["top"] - 34.0],
            "by": b["by"],
        }
        for b in lanes
    ]
    if topics:
        bands.append(
            {
                "x": x_topic - 100.0,
                "y": -70.0,
                "w": 200.0,
                "h": (len(topics) - 1) * _TOPIC_ROW + 130.0,
                "date": None,
                "doc": None,
            }
        )
    lanes_of = {n: lane for n, lane in lane_of.items() if lane is not None}
    return Layout(out, home, captions, bands, lanes_of)


def _outline(mg: nx.MultiDiGraph, nodes: list[str]) -> list[str]:
    """Sections in the bill's own order: each section followed by its parts."""
    return bill_order(mg, nodes)


def _depth(claim: str, parent: dict[str, str]) -> int:
    n = 0
    while claim in parent:
        claim, n = parent[claim], n + 1
    return n


def _is_ancestor(a: str, b: str, parent: dict[str, str]) -> bool:
    """Whether ``a`` is ``b`` or above it in the trees built so far (so no cycle is made)."""
    while True:
        if a == b:
            return True
        if b not in parent:
            return False
        b = parent[b]


def _place_tree(
    mg: nx.MultiDiGraph,
    root: str,
    children: dict[str, list[str]],
    depth: dict[str, int],
    x_claim: dict[int, float],
    y: float,
    pos: dict[str, tuple[float, float]],
) -> float:
    """Lay out one argument tree from ``y`` down: leaves one under another, each claim level
    with the middle of its supporters and attackers. Returns the next free ``y``."""
    stack: list[tuple[str, bool]] = [(root, False)]
    while stack:
        n, done = stack.pop()
        if done:
            ys = [pos[c][1] for c in children[n]]
            pos[n] = (x_claim[depth[n]], (min(ys) + max(ys)) / 2)
            continue
        if not children[n]:
            h = _claim_height(mg.nodes[n])
            pos[n] = (x_claim[depth[n]], y + h / 2)
            y += h + _GAP
            continue
        stack.append((n, True))
        stack.extend((c, False) for c in reversed(children[n]))
    return y


def _remove_overlaps(
    pos: dict[str, tuple[float, float]],
    nodes: list[str],
    height,  # noqa: ANN001 - node -> its height in pixels
    gap: float,
) -> None:
    """Push nodes of one column apart, top to bottom, so no two overlap; order is kept."""
    by_x: dict[float, list[str]] = {}
    for n in nodes:
        by_x.setdefault(pos[n][0], []).append(n)
    for x, column in by_x.items():
        column.sort(key=lambda n: (pos[n][1], n))
        last_bottom = -math.inf
        for n in column:
            h = height(n)
            top = max(pos[n][1] - h / 2, last_bottom + gap)
            pos[n] = (x, top + h / 2)
            last_bottom = top + h


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    """A canvas label: the text, cut at a word with an ellipsis when it is long.

    >>> _short("one two three four", 10)
    'one two…'
    """
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _tint(color: str, amount: float = 0.82) -> str:
    """A light tint of a ``#rrggbb`` colour, for the fill of a box whose border has the colour.

    >>> _tint("#000000", 0.5)
    '#808080'
    """
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def _stance_label(stance: str) -> str:
    return stance.replace("-", " ").capitalize()


def _kind_label(data: dict) -> str:
    kind = KIND_BY_NAME[data["kind"]].label
    sub = data.get("subkind")
    return f"{kind} ({sub.replace('-', ' ')})" if sub else kind


def _http(url: object) -> str | None:
    """A link the page may open: http(s) only, so a ``javascript:`` IRI never becomes a link."""
    return str(url) if url and _HTTP.match(str(url)) else None


def _node_label(data: dict) -> str:
    """A node's label on the canvas: a claim's or a document's words whole (the reader must
    read them there), a shorter name otherwise (whole in the tooltip and the panel)."""
    label = str(data.get("label", ""))
    return label if data.get("kind") in ("claim", "source") else _short(label)


@functools.cache
def _icon_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _node_style(data: dict) -> dict:
    """How vis-network draws a node: shape (or icon) by kind, colour by stance where there
    is one."""
    kind = KIND_BY_NAME[data["kind"]]
    stance = data.get("stance") or data.get("source_stance")
    base = STANCE_COLORS.get(stance or "", kind.color)
    style: dict = {"shape": kind.shape, "borderWidth": 1}
    if kind.name == "claim":
        border = STANCE_COLORS.get(stance or "", "#616161")
        fill = {"background": _tint(border, 0.88), "border": border}
        style.update(
            # Selected or hovered, a claim keeps its stance's colour, its border thickened.
            color={**fill, "highlight": dict(fill), "hover": dict(fill)},
            borderWidth=2,
            borderWidthSelected=4,
            margin=8,
            widthConstraint={"maximum": _CLAIM_WIDTH},
            font={"size": 14, "color": "#212121"},
            shapeProperties={"borderRadius": 4},
        )
    elif kind.name == "topic":
        style.update(
            color={"background": kind.color, "border": "#8d6e63"},
            font={"size": 14, "color": "#3e2723"},
            margin=6,
        )
    else:
        size = {"bill": 28, "source": 18}.get(kind.name, _HALF.get(kind.name, 11))
        style.update(color={"background": base, "border": "#424242"}, size=size)
        if kind.icon:
            style["image"] = _icon_uri(kind.icon)
        if kind.name in ("bill", "source"):
            style["font"] = {"size": 17, "color": "#212121", "bold": True}
            style["widthConstraint"] = {"maximum": 320}
        else:
            small = kind.name in ("version", "event")
            style["font"] = {"size": 12 if small else 14, "color": "#212121"}
            style["widthConstraint"] = {"maximum": 170}
    return style


@dataclass
class _Page:
    """What the template needs, gathered from a drawn graph."""

    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    info: dict[str, dict] = field(default_factory=dict)
    relations: dict[str, dict] = field(default_factory=dict)


def _section_ancestors(mg: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Each section with the sections it is part of, so a filter on 22603 finds 22603(a)."""
    parent = {
        u: v
        for u, v, k in mg.edges(keys=True)
        if k == "partOf" and mg.nodes[v]["kind"] == "section"
    }
    out = {}
    for n, d in mg.nodes(data=True):
        if d["kind"] == "section":
            chain, cur = [n], n
            while cur in parent and parent[cur] not in chain:
                cur = parent[cur]
                chain.append(cur)
            out[n] = chain
    return out


_DETAIL_KEYS = (
    "stance",
    "date",
    "quote",
    "paraphrase",
    "where",
    "description",
    "citation",
    "identifier",
    "role",
    "body",
    "ayes",
    "noes",
    "not_voting",
    "result",
)


def _page_data(
    mg: nx.MultiDiGraph,
    pos: dict[str, tuple[float, float]],
    lane_of: Mapping[str, str] | None = None,
) -> _Page:
    page = _Page()
    ancestors = _section_ancestors(mg)
    kind_of = {n: d["kind"] for n, d in mg.nodes(data=True)}
    neighbours: dict[str, dict[str, list[str]]] = {n: {} for n in mg}
    args: dict[str, dict[str, list]] = {
        n: {"supportedBy": [], "attackedBy": [], "supports": [], "attacks": []} for n in mg
    }
    claims_of_doc: dict[str, list[str]] = {}
    for u, v, key, d in sorted(mg.edges(keys=True, data=True)):
        kind = d["kind"]
        if "relation" in d:
            attack = kind != "supports"
            args[v]["attackedBy" if attack else "supportedBy"].append([u, kind, d["relation"]])
            args[u]["attacks" if attack else "supports"].append([v, kind, d["relation"]])
            continue
        neighbours[u].setdefault(kind_of[v], []).append(v)
        neighbours[v].setdefault(kind_of[u], []).append(u)
        if key == "assertedIn":
            claims_of_doc.setdefault(v, []).append(u)

    for n in sorted(mg):
        d = mg.nodes[n]
        kind = d["kind"]
        x, y = pos[n]
        label = str(d.get("label", ""))
        near = neighbours[n]
        orgs = sorted(set(near.get("organization", []) + near.get("person", [])))
        sections = sorted(set(near.get("section", []) + near.get("bill", [])))
        topics = sorted(set(near.get("topic", [])))
        docs = near.get("source", [])
        info: dict = {
            "kind": kind,
            "kindLabel": _kind_label(d),
            "label": label,
            "url": _http(d.get("url") or d.get("source_url")),
            "iri": d.get("iri", n),
        }
        for key in _DETAIL_KEYS:
            if d.get(key) not in (None, ""):
                info[key] = d[key]
        if "stance" in info:
            info["stanceLabel"] = _stance_label(str(info["stance"]))
        stance = d.get("stance")
        draft = d.get("status") == "draft"
        facets: dict[str, list[str]] = {}
        if kind == "claim":
            doc = docs[0] if docs else None
            if doc is not None:
                dd = mg.nodes[doc]
                info["source"] = doc
                orgs = sorted(set(orgs) | set(neighbours[doc].get("organization", [])))
                orgs = sorted(set(orgs) | set(neighbours[doc].get("person", [])))
                # A letter an analysis quotes takes its writer's position there, as recorded.
                stance = d.get("position_stance") or dd.get("stance")
                draft = dd.get("status") == "draft"
            else:  # the document is outside this view: its title, stance and date still travel
                info["sourceTitle"] = d.get("source_title")
                stance = d.get("position_stance") or d.get("source_stance")
            info["date"] = d.get("date")
            info.update(orgs=orgs, sections=sections, topics=topics, **args[n])
            facets = {"org": orgs, "topic": topics, "section": _with_ancestors(sections, ancestors)}
        elif kind == "source":
            claims = claims_of_doc.get(n, [])
            info.update(orgs=orgs, claims=claims)
            facets = {
                "org": orgs,
                "topic": sorted({t for c in claims for t in neighbours[c].get("topic", [])}),
                "section": _with_ancestors(
                    sorted(
                        {
                            s
                            for c in claims
                            for k in ("section", "bill")
                            for s in neighbours[c].get(k, [])
                        }
                    ),
                    ancestors,
                ),
            }
        else:
            info["links"] = [
                [_plural(KIND_BY_NAME[k].label, 2), sorted(set(ids))]
                for k, ids in sorted(near.items(), key=lambda kv: _kind_order(kv[0]))
            ]
        if stance and kind in ("claim", "source"):
            info["stanceFacet"] = stance
            info["stanceLabel"] = _stance_label(str(stance))
        info["facets"] = facets
        info["search"] = _norm(
            " ".join(str(d.get(k, "")) for k in ("label", "quote", "citation", "identifier"))
            + " "
            + _short_id(n)
        )
        shown = label
        if kind == "topic":
            n_claims = len(set(near.get("claim", [])))
            shown = f"{label} · {n_claims} {_plural('claim', n_claims)}"
        style = _node_style({**d, "source_stance": stance})
        if draft and kind in ("claim", "source"):
            # An unreviewed draft (built with --drafts): marked in words and by a dashed edge.
            info["draft"] = True
            label = f"[draft] {label}"
            style["shapeProperties"] = {**style.get("shapeProperties", {}), "borderDashes": [6, 4]}
            style["borderWidth"] = 3
        page.info[n] = info
        page.nodes.append(
            {
                "id": n,
                "label": _node_label({**d, "label": shown if kind == "topic" else label}),
                "title": label,
                "x": x,
                "y": y,
                "kind": kind,
                **style,
            }
        )
    for i, (u, v, d) in enumerate(
        sorted(mg.edges(data=True), key=lambda e: (e[0], e[1], e[2]["kind"]))
    ):
        ek = EDGE_KIND_BY_NAME[d["kind"]]
        edge = {
            "id": f"e{i}",
            "from": u,
            "to": v,
            "kind": ek.name,
            "color": {"color": ek.color, "highlight": ek.color, "hover": ek.color},
            "width": ek.width,
            "dashes": list(ek.dashes) if ek.dashes else False,
            "arrows": {"to": {"enabled": ek.arrow, "scaleFactor": 0.6}},
            "title": f"{page.info[u]['label']} — {ek.label} — {page.info[v]['label']}",
        }
        if (
            ek.name in ("authored", "member-of")
            and lane_of
            and lane_of.get(u) != lane_of.get(v)
            and (u in lane_of or v in lane_of)
        ):
            # An author drawn by another lane's document: the line appears with a click, as
            # one across the lanes would bury them.
            edge["far"] = True
        if "relation" in d:
            edge["relation"] = d["relation"]
            if d.get("inference"):
                # Drawn by the page from its premise to the middle of the arrow of the
                # inference it attacks (vis-network joins nodes only): see map.js.
                edge["inference"] = d["inference"]
            page.relations[d["relation"]] = {
                "kind": d["kind"],
                "label": str(d.get("relation")),
                "inference": d.get("inference"),
            }
        page.edges.append(edge)
    return page


def _kind_order(kind: str) -> int:
    return [k.name for k in NODE_KINDS].index(kind)


def _with_ancestors(sections: list[str], ancestors: dict[str, list[str]]) -> list[str]:
    return sorted({a for s in sections for a in ancestors.get(s, [s])})


def _relation_info(g: nx.MultiDiGraph, page: _Page) -> None:
    """Names and documents of the relations the map draws as edges, for their panel."""
    for r, info in page.relations.items():
        d = g.nodes[r]
        info["label"] = str(d.get("label", r))
        info["source"] = d.get("source") if d.get("source") in page.info else None
        if info.get("inference"):
            premises, conclusion = _relation_parts(g, info["inference"])
            info["inferenceFrom"] = [p for p in premises if p in page.info]
            info["inferenceTo"] = conclusion if conclusion in page.info else None


#: The characters that set the direction of the text after them (U+202E shows the words
#: after it backwards, so a label could read as another): shown by name, as the diff does.
_DIRECTION = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _json_for_script(data: object) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>`` and ``&`` as escapes, so a label
    holding ``</script>`` or ``<!--`` stays data; a character that would turn the text after
    it around is written as its name.

    >>> _json_for_script({"label": "</script><b>&"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    >>> _json_for_script({"label": "Acme \u202eevil"})
    '{"label":"Acme [U+202E]evil"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = _DIRECTION.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@functools.cache
def _vis_js() -> str:
    """vis-network as pyvis ships it, minus its source-map comment (a request a debugger makes)."""
    text = (_VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    text = _SOURCE_MAP.sub("", text)
    if "</script" in text.lower():  # pragma: no cover - a guard for a future pyvis
        raise RuntimeError("vis-network.min.js cannot be inlined: it contains </script")
    return text


#: The page's own scripts, in the order they run: the map (panel, filters, search), then the
#: overview and the bill's text, which use what the map's script gives them.
_SCRIPTS = ("map.js", "overview.js", "reader.js")


@functools.cache
def _map_js() -> str:
    """The page's own script, kept beside the template in parts (:data:`_SCRIPTS`)."""
    text = "\n".join(
        (_TEMPLATES / name).read_text(encoding="utf-8")
        for name in _SCRIPTS
        if (_TEMPLATES / name).is_file()
    )
    assert "</script" not in text.lower()
    return text


def _csp_hash(script: str) -> str:
    """The Content-Security-Policy source that lets exactly this inline script run."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("map.html")


def _legend_counts(
    mg: nx.MultiDiGraph, info: Mapping[str, dict]
) -> tuple[list[dict], list[dict], list[dict]]:
    """The legend's rows, counting what the map draws: a claim is counted under the stance
    whose colour it is drawn in (its document's), and only then."""
    kinds = Counter(d["kind"] for _, d in mg.nodes(data=True))
    stances = Counter(
        i["stanceFacet"]
        for i in info.values()
        if i["kind"] in ("claim", "source") and i.get("stanceFacet")
    )
    edges = Counter(k for _, _, k in mg.edges(data="kind"))
    node_rows = [
        {
            "name": k.name,
            "label": k.label,
            "shape": k.shape,
            "icon": Markup(k.icon.replace("<svg ", '<svg class="swatch" aria-hidden="true" ', 1))  # noqa: S704
            if k.icon
            else None,
            "color": k.color,
            "count": kinds[k.name],
        }
        for k in NODE_KINDS
        if kinds[k.name]
    ]
    stance_rows = [
        {
            "name": s,
            "label": _stance_label(s),
            "color": c,
            "fill": _tint(c, 0.88),
            "count": stances[s],
        }
        for s, c in STANCE_COLORS.items()
        if stances[s]
    ]
    edge_rows = [
        {
            "name": k.name,
            "label": k.label,
            "color": k.color,
            "width": k.width,
            "dashes": " ".join(str(x) for x in k.dashes),
            "arrow": k.arrow,
            "shown": k.shown,
            "count": edges[k.name],
        }
        for k in EDGE_KINDS
        if edges[k.name]
    ]
    return node_rows, stance_rows, edge_rows


def _facet_options(mg: nx.MultiDiGraph, info: dict[str, dict]) -> dict[str, list[dict]]:
    """The choices of the organization, topic and section filters, with how many claims each."""
    counts: dict[str, Counter] = {"org": Counter(), "topic": Counter(), "section": Counter()}
    for data in info.values():
        if data["kind"] == "claim":
            for facet, ids in data["facets"].items():
                counts[facet].update(ids)
    out = {}
    for facet, c in counts.items():
        rows = [
            {
                "id": n,
                "label": (
                    "Whole bill: " + info[n]["label"]
                    if info[n]["kind"] == "bill"
                    else info[n]["label"]
                ),
                "count": c[n],
            }
            for n in c
        ]
        out[facet] = sorted(rows, key=lambda r: (r["label"].casefold(), r["id"]))
    return out


def render_html(
    g: nx.MultiDiGraph,
    title: str = "Debate map",
    *,
    max_nodes: int = MAX_NODES,
    note: str = "",
    evaluation: DebateFramework | None = None,
    bill_text: Mapping | None = None,
) -> str:
    """The network view as one standalone HTML page that works offline: the debate map.

    Draws every node kind in its own shape, stances as colours, argument relations as
    coloured arrows; a click opens a details panel; filters, search, neighbourhood
    highlighting and a reset sit beside the map. A graph with more than ``max_nodes`` drawn
    nodes is cut (see :func:`cap`) and the page says what it left out; ``note`` adds a line of
    your own (what a focused view left out, say). The first screen is the overview (who is for
    and against, about which parts: :mod:`graph.overview`); the evaluation toggle colours the
    claims by ``evaluation`` (by default, the grounded semantics of ``g``'s own attacks: give
    the whole graph's when ``g`` is a part of it). The bill's text view shows the bill's
    outline and the claims about each part; with ``bill_text``
    (:func:`graph.reader.bill_text` of the RDF graph, which the view does not hold) it shows
    each version's words too, and what each amendment changed. The same graph always gives
    the same bytes.
    """
    total = sum(1 for _, d in g.nodes(data=True) if not _is_relation(d))
    g, left_out = cap(g, max_nodes)
    notes = ([note] if note else []) + _cut_note(left_out, max_nodes, total)
    return _render(g, title, notes, evaluation, bill_text)


def build_map(graph: RDFSource, title: str = "Debate map", *, max_nodes: int = MAX_NODES) -> str:
    """The map of a whole RDF graph, as the build writes it: the page
    ``render_html(to_networkx(graph), title=title, max_nodes=max_nodes,
    bill_text=bill_text(graph))`` gives, byte for byte (:func:`graph.reader.bill_text`).

    ``graph`` is a pyoxigraph Store (the build's) or an rdflib Graph or Dataset. On a graph
    with more than ``max_nodes`` drawn nodes it reads only the node kinds and links first,
    chooses what :func:`cap` would keep, and builds the network view of those nodes alone:
    a whole legislature's map without its whole network view in memory. The page says what
    it left out.
    """
    return drawn_map(graph, title, max_nodes=max_nodes)[0]


@dataclass
class MapState:
    """What a map was drawn from besides the statements it read, so that it can be drawn
    again from those statements alone (:func:`redraw`): how a rebuild redraws a whole
    legislature's map after one letter changed without the rest of the graph.

    ``kinds``: the nodes drawn and their kinds; ``edges``: the edges among them, a key at a
    time in the order of ``EDGE_PREDICATES``; ``bills``: every bill of the graph; ``notes``:
    the page's notes, or None when the whole graph fit; ``read``: the subjects whose
    statements the drawing read (the nodes drawn and what a claim's details name).
    """

    kinds: dict[str, str]
    edges: list[tuple[str, str, str]]
    bills: list[str]
    notes: list[str] | None
    read: list[str]
    max_nodes: int
    bill_text: dict | None = None  # the versions' texts the page shows (graph.reader)

    def to_data(self) -> tuple:
        """The state as plain data (:mod:`marshal` writes it)."""
        return (
            self.kinds,
            self.edges,
            self.bills,
            self.notes,
            self.read,
            self.max_nodes,
            self.bill_text,
        )

    @classmethod
    def from_data(cls, data: tuple) -> MapState:
        kinds, edges, bills, notes, read, max_nodes, *text = data
        return cls(
            kinds, [tuple(e) for e in edges], bills, notes, read, max_nodes, *(text or [None])
        )


def drawn_map(
    graph: RDFSource, title: str = "Debate map", *, max_nodes: int = MAX_NODES
) -> tuple[str, MapState]:
    """:func:`build_map`'s page, and what :func:`redraw` needs to draw it again."""
    return draw(skeleton(graph), title, max_nodes=max_nodes, bill_text=read_bill_text(graph))


def draw(
    sk: Skeleton, title: str, *, max_nodes: int = MAX_NODES, bill_text: dict | None = None
) -> tuple[str, MapState]:
    """:func:`drawn_map` of a graph's skeleton (:func:`~graph.network.skeleton`) and its
    bill's text (:func:`graph.reader.bill_text`)."""
    sk, read = sk.recording()
    relation_edges = sk.edges_of("premise", "conclusion")
    keep = _cap_keep(sk.kinds, sk.edges, max_nodes, relation_edges=relation_edges)
    if keep is None:
        page = render_html(sk.view(), title=title, max_nodes=max_nodes, bill_text=bill_text)
        notes = None
        drawn = sk.kinds
    else:
        drawn = {n: sk.kinds[n] for n in keep}
        notes = cut_notes(Counter(sk.kinds.values()), drawn.values(), max_nodes)
        page = _render(sk.view(keep), title, notes, bill_text=bill_text)
    edges = [
        e
        for key in EDGE_PREDICATES.values()
        for e in sk.edges_of(key)
        if e[0] in drawn and e[1] in drawn
    ]
    state = MapState(
        dict(sorted(drawn.items())),
        edges,
        sorted(sk.bills),
        notes,
        sorted(read),
        max_nodes,
        bill_text,
    )
    return page, state


def redraw(
    state: MapState,
    graph: RDFSource,
    title: str,
    more: Callable[[set[str]], bool] | None = None,
) -> tuple[str, list[str]]:
    """The page :func:`drawn_map` gives for ``state``, drawn from ``graph``, which need hold
    only the statements of the subjects the drawing reads (``state.read``, when the map's
    nodes are those it was drawn with); and those subjects. ``more``, if given, is shown
    the subjects the drawing read: if it then adds statements to ``graph`` (their
    subjects' first), it says so, and the drawing reads again."""
    sk = Skeleton.of(dict(state.kinds), state.edges, state.bills, graph)
    keep = None if state.notes is None else state.kinds
    while True:
        recording, read = sk.recording()
        view = recording.view(keep)
        if more is None or not more(read):
            break
    if state.notes is None:
        page = render_html(view, title=title, max_nodes=state.max_nodes, bill_text=state.bill_text)
        return page, sorted(read)
    return _render(view, title, state.notes, bill_text=state.bill_text), sorted(read)


def repage(page: str, notes: list[str], new_notes: list[str]) -> str | None:
    """The page ``page`` (as :func:`_render` made it, with ``notes``) with ``new_notes``
    instead: all that changes in a map when only the counts of what it left out do. None
    if the page does not hold the notes where the template puts them (only once)."""
    old, new = _notes_html(notes), _notes_html(new_notes)
    at = page.find(f"</header>{old}\n<main>")
    if at < 0 or page.count("</header>") != 1:
        return None
    at += len("</header>")
    return page[:at] + new + page[at + len(old) :]


def _notes_html(notes: list[str]) -> str:
    """The notes as the page's template writes them, between its header and its main part."""
    return "".join(f'\n<p class="note">{escape(note)}</p>' for note in notes)


def cut_notes(counts: Counter, kept: Iterable[str], max_nodes: int) -> list[str]:
    """The notes of a map cut to ``max_nodes``: ``counts`` are the graph's nodes by kind,
    ``kept`` the kinds of those the map keeps, one each."""
    total = sum(n for kind, n in counts.items() if kind not in RELATION_EDGE_KIND)
    counts = Counter(counts)
    counts.subtract(kept)
    return _cut_note(+counts, max_nodes, total)  # +: the kinds of which some were left out


def _cut_note(left_out: Counter, max_nodes: int, total: int) -> list[str]:
    """The line a capped page shows: how much of the graph it draws and what it left out."""
    if not left_out:
        return []
    return [
        f"This map shows the {max_nodes:,} most connected of {total:,} nodes; left out: "
        f"{describe_left_out(left_out)}. Draw a part with: map --focus ID --depth N."
    ]


def _evaluation(g: nx.MultiDiGraph, framework: DebateFramework | None) -> dict:
    """Each claim's grounded label (in, out, undec), the claims that defeat each claim that
    is out, and why, in words: what the evaluation toggle shows. ``framework`` is the
    evaluation of a whole graph of which ``g`` is part; by default, ``g``'s own."""
    framework = framework or framework_from_view(g)
    labels = framework.labelling()
    shown = {n for n, d in g.nodes(data=True) if d.get("kind") == "claim"}
    return {
        "labels": {c: lab for c, lab in labels.items() if c in shown},
        "defeaters": {c: framework.defeaters(c) for c in sorted(shown) if labels.get(c) == "out"},
        "why": {c: framework.explain(c, depth=3) for c in sorted(shown) if c in labels},
    }


def _render(
    g: nx.MultiDiGraph,
    title: str,
    notes: list[str],
    evaluation: DebateFramework | None = None,
    bill_text: Mapping | None = None,
) -> str:
    """The page of a graph already cut to size, with its notes: render_html's second half."""
    mg = map_graph(g)
    placed = layout(mg)
    page = _page_data(mg, placed.pos, placed.lane_of)
    _relation_info(g, page)

    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    # Set in bulk: pyvis's add_node/add_edge are quadratic in the graph's size.
    net.nodes = page.nodes
    net.edges = page.edges
    net.node_ids = [n["id"] for n in page.nodes]
    net.node_map = {n["id"]: n for n in page.nodes}
    net.options = _VIS_OPTIONS
    nodes, edges, _, _, _, options = net.get_network_data()

    node_rows, stance_rows, edge_rows = _legend_counts(mg, page.info)
    data = {
        "nodes": nodes,
        "edges": edges,
        "info": page.info,
        "relations": page.relations,
        "facets": _facet_options(mg, page.info),
        "edgeLabels": {k.name: k.label for k in EDGE_KINDS},
        "stanceColors": STANCE_COLORS,
        "home": placed.home,
        "captions": placed.captions,
        "lanes": placed.lanes,
        "overview": overview(g),
        "evaluation": _evaluation(g, evaluation),
        "reader": reader_data(g, bill_text),
    }
    scripts = (_vis_js(), _map_js())
    return _template().render(
        title=title,
        notes=notes,
        node_count=len(nodes),
        edge_count=len(edges),
        node_rows=node_rows,
        stance_rows=stance_rows,
        edge_rows=edge_rows,
        # Markup: inserted as they are. The JSON is escaped by _json_for_script; vis-network
        # is the library as shipped (checked for "</script" when read).
        vis_js=Markup(scripts[0]),  # noqa: S704
        map_js=Markup(scripts[1]),  # noqa: S704
        script_hashes=" ".join(_csp_hash(s) for s in scripts),
        data_json=Markup(_json_for_script(data)),  # noqa: S704
        options_json=Markup(_json_for_script(json.loads(options))),  # noqa: S704
    )


_VIS_OPTIONS = {
    "autoResize": True,
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False, "randomSeed": SEED},
    "edges": {"smooth": False, "selectionWidth": 1.5, "hoverWidth": 0.5},
    "nodes": {"font": {"face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"}},
    "interaction": {
        "hover": True,
        "tooltipDelay": 250,
        "multiselect": False,
        "navigationButtons": False,
        "keyboard": {"enabled": True, "bindToWindow": False},
        "hideEdgesOnDrag": False,
    },
}


@dataclass(frozen=True)
class MapPage:
    """A rendered map and what it shows: the page, its node count and what was left out."""

    html: str
    shown: int
    total: int
    left_out: Counter

    def summary(self) -> str:
        """One line for the command line: how much the map shows and what it left out."""
        if not self.left_out:
            return f"The map shows all {self.shown:,} nodes."
        return (
            f"The map shows {self.shown:,} of {self.total:,} nodes; left out: "
            f"{describe_left_out(self.left_out)}."
        )


def render_map(
    g: nx.MultiDiGraph,
    focus_on: str | None = None,
    depth: int = 2,
    max_nodes: int = MAX_NODES,
    title: str = "Debate map",
    bill_text: Mapping | None = None,
) -> MapPage:
    """The map of a whole graph, or of the neighbourhood of one node, with what it left out.

    With ``focus_on`` (a claim, organization, section citation, topic, or IRI) the map shows
    the nodes within ``depth`` links of it; either way it shows at most ``max_nodes`` nodes,
    nearest the focus first; ``bill_text`` gives the bill's text view each version's words
    (see :func:`render_html`). This is what ``build_graph.py map`` runs.
    """
    total = sum(1 for _, d in g.nodes(data=True) if not _is_relation(d))
    order = None
    view = g
    if focus_on is not None:
        if depth < 0:
            raise InputError.single("--depth", 0, f"depth must be 0 or more, not {depth}")
        seeds = resolve(g, focus_on)
        order = _distances(g, seeds, depth)
        view, _ = _subgraph(g, order)
        labels = ", ".join(str(g.nodes[s].get("label", s)) for s in seeds)
        title = f"{title}: around {labels} ({depth} link{'s' if depth != 1 else ''})"
    view, _ = cap(view, max_nodes, order)
    left_out = Counter(d["kind"] for n, d in g.nodes(data=True) if n not in view)
    shown = sum(1 for _, d in view.nodes(data=True) if not _is_relation(d))
    note = ""
    if left_out:
        note = (
            f"This map shows {shown:,} of {total:,} nodes; left out: {describe_left_out(left_out)}."
        )
    # Claims stand or fall by the whole debate, not only the part drawn.
    whole = framework_from_view(g) if view is not g else None
    html = render_html(
        view, title=title, max_nodes=max_nodes, note=note, evaluation=whole, bill_text=bill_text
    )
    return MapPage(html, shown, total, left_out)
