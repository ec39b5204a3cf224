"""Visualizing: the network view as one self-contained, offline HTML page drawn by pyvis.

Positions are computed in Python (a seeded NetworkX layout), so the map is readable at first
paint, identical from build to build, and the browser never runs a long physics simulation.
"""

from __future__ import annotations

import html
import re

import networkx as nx
from pyvis.network import Network

from .kinds import KIND_BY_NAME, STANCE_COLORS

#: pyvis 0.3.2 links bootstrap from a CDN even with in-line resources; we drop those tags.
_CDN_TAGS = re.compile(
    r"<link[^>]*cdn\.jsdelivr\.net[^>]*>|<script[^>]*cdn\.jsdelivr\.net[^>]*>\s*</script>", re.S
)

SCALE = 1000.0  # layout units to vis pixels


def layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Stable positions for every node: the same graph always gives the same picture."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in g.edges() if u != v))
    if simple.number_of_nodes() == 0:
        return {}
    pos = nx.spring_layout(simple, seed=1047, iterations=200)
    return {n: (float(x) * SCALE, float(y) * SCALE) for n, (x, y) in pos.items()}


def _tooltip(data: dict) -> str:
    lines = [data.get("label", "")]
    for key in ("quote", "date", "stance", "url"):
        if data.get(key):
            lines.append(f"{key}: {data[key]}")
    return "\n".join(lines)


def render_html(g: nx.MultiDiGraph, title: str = "Debate map") -> str:
    """The network view as a standalone HTML page that works offline.

    Every script and style it needs is inlined; labels and quotes reach the page as JSON data
    and are drawn as text, never run as markup.
    """
    net = Network(
        height="900px",
        width="100%",
        directed=True,
        cdn_resources="in_line",
        heading="",
    )
    pos = layout(g)
    nodes = []
    for node_id in sorted(g.nodes):
        data = g.nodes[node_id]
        kind = KIND_BY_NAME[data["kind"]]
        color = STANCE_COLORS.get(data.get("stance", ""), kind.color)
        x, y = pos[node_id]
        label = data.get("label", "")
        nodes.append(
            {
                "id": node_id,
                "label": label if len(label) <= 60 else label[:57] + "...",
                "title": _tooltip(data),
                "shape": kind.shape,
                "color": color,
                "x": x,
                "y": y,
                "group": data["kind"],
            }
        )
    edges = [
        {"from": u, "to": v, "title": key, "arrows": "to"}
        for u, v, key in sorted(g.edges(keys=True))
    ]
    # Set in bulk: pyvis's add_node/add_edge are quadratic in the graph's size.
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.toggle_physics(False)
    net.set_options(
        '{"physics": {"enabled": false}, "layout": {"improvedLayout": false},'
        ' "edges": {"smooth": false}, "interaction": {"hover": true}}'
    )
    page = net.generate_html(name="map.html", notebook=False)
    page = _CDN_TAGS.sub("", page)
    return page.replace("<head>", f"<head>\n<title>{html.escape(title)}</title>", 1)
