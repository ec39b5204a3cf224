"""Exporting: the RDF dataset as text in the formats other tools read.

RDF formats (Turtle, TriG, N-Triples, JSON-LD, RDF/XML) take the RDF graph; graph formats
(GraphML, GEXF, CSV) take the NetworkX view of it; AIF JSON lives in :mod:`graph.aif`.
Functions here take graphs and return strings; writing files is the build's job. Turtle and
TriG are written so that the same graph always gives the same bytes, which makes a changed
corpus show as a readable diff.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from .aif import to_aif_json
from .defaults import EXPORT_FORMATS
from .emit import union
from .network import to_networkx
from .vocab import PREFIXES

# --- Turtle and TriG: pyoxigraph's writer, fed in a sorted order -------------------------
#
# rdflib's Turtle writer takes about 70 s per million triples (bench/README.md); pyoxigraph's
# takes about one. It writes triples in the order given, grouping a subject's predicates with
# ";", so sorting them first (subjects by IRI, rdf:type first, then predicates and objects)
# makes the text depend only on the set of triples: the same graph gives the same bytes.

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_OX_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
_PREFIX_LINES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in _OX_PREFIXES.items())


class OxTerms:
    """Converts rdflib terms to pyoxigraph's, remembering IRIs: most recur many times."""

    def __init__(self) -> None:
        self._iris: dict[str, ox.NamedNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self._iris.get(value)
        if node is None:
            node = self._iris[value] = ox.NamedNode(value)
        return node

    def term(self, t: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
        if isinstance(t, URIRef):
            return self.iri(t)
        if isinstance(t, Literal):
            if t.language:
                return ox.Literal(str(t), language=t.language)
            if t.datatype:
                return ox.Literal(str(t), datatype=self.iri(t.datatype))
            return ox.Literal(str(t))
        return ox.BlankNode(str(t))


def _key(s: Node, p: Node, o: Node) -> tuple:
    """Where a triple goes in our output: by subject, rdf:type first, predicate, object."""
    ps = str(p)
    if isinstance(o, Literal):
        return (str(s), ps != _RDF_TYPE, ps, True, str(o), str(o.datatype or ""), o.language or "")
    return (str(s), ps != _RDF_TYPE, ps, False, str(o), "", "")


def _write(keyed: list[tuple[tuple, ox.Triple | ox.Quad]], fmt: ox.RdfFormat) -> str:
    keyed.sort(key=lambda kt: kt[0])
    items: list[ox.Triple | ox.Quad] = []
    last = None
    for key, item in keyed:
        if key != last:  # a statement made twice is written once
            items.append(item)
            last = key
    text = ox.serialize(items, format=fmt, prefixes=_OX_PREFIXES).decode("utf-8")
    # Our own prefix block, in PREFIXES order (the writer's order is its own), then a blank
    # line before each subject so that a reader (and a diff) sees one thing at a time.
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("@"))
    return _PREFIX_LINES + "\n" + _BLOCK_END.sub(r"\1\n", body)


#: The end of a subject's statement or of a graph, followed by more: literals are written
#: with their line breaks escaped, so a line ending " ." always ends a statement.
_BLOCK_END = re.compile(r"( \.\n|^\}\n)(?=[^}\n])", re.M)


def turtle_of_triples(triples: Iterable[tuple[Node, Node, Node]]) -> str:
    """Turtle of rdflib triples, in the canonical order :func:`to_turtle` writes."""
    t = OxTerms()
    keyed = [(_key(s, p, o), ox.Triple(t.term(s), t.term(p), t.term(o))) for s, p, o in triples]
    return _write(keyed, ox.RdfFormat.TURTLE)


def trig_of_quads(quads: Iterable[tuple[Node, Node, Node, Node]]) -> str:
    """TriG of rdflib quads (the fourth term names the graph), graphs and triples in order."""
    t = OxTerms()
    keyed = [
        ((str(g), *_key(s, p, o)), ox.Quad(t.term(s), t.term(p), t.term(o), t.term(g)))
        for s, p, o, g in quads
    ]
    return _write(keyed, ox.RdfFormat.TRIG)


def to_turtle(graph: Graph) -> str:
    """The graph as Turtle: subjects, predicates and objects sorted, so the same graph always
    gives the same bytes and a changed corpus gives a readable diff."""
    return turtle_of_triples(graph)


def to_trig(dataset: Dataset) -> str:
    """The dataset as TriG: one block per named graph, graphs sorted by IRI and each one's
    triples in the order :func:`to_turtle` writes them; the default graph is left out."""
    return trig_of_quads(
        (s, p, o, ctx.identifier)
        for ctx in dataset.graphs()
        if ctx.identifier != DATASET_DEFAULT_GRAPH_ID
        for s, p, o in ctx
    )


# --- more RDF formats ---------------------------------------------------------------------


def to_ntriples(graph: Graph) -> str:
    """The graph as N-Triples, one triple a line, lines sorted: the easiest format to diff."""
    text = graph.serialize(format="nt")
    return "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))


def to_rdfxml(graph: Graph) -> str:
    """The graph as RDF/XML, for tools that read nothing else (Protégé's oldest importers)."""
    return graph.serialize(format="pretty-xml")


#: Short names for the terms a reader of our JSON-LD meets most; prefixes for the rest.
_JSONLD_TERMS: dict[str, object] = {
    "label": "rdfs:label",
    "comment": "rdfs:comment",
    "title": "dcterms:title",
    "date": "dcterms:date",
    "quote": "bg:quote",
    "premise": {"@id": "bg:premise", "@type": "@id"},
    "conclusion": {"@id": "bg:conclusion", "@type": "@id"},
    "assertedIn": {"@id": "bg:assertedIn", "@type": "@id"},
    "assertedBy": {"@id": "bg:assertedBy", "@type": "@id"},
    "concerns": {"@id": "bg:concerns", "@type": "@id"},
    "stance": {"@id": "bg:stance", "@type": "@id"},
    "creator": {"@id": "dcterms:creator", "@type": "@id"},
    "subject": {"@id": "dcterms:subject", "@type": "@id"},
    "memberOf": {"@id": "org:memberOf", "@type": "@id"},
}


def jsonld_context() -> dict[str, object]:
    """The JSON-LD context of our exports: every prefix we bind, and short names for the
    commonest terms. Written beside each export so users can reuse it for their own data.
    """
    context: dict[str, object] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    context.update(_JSONLD_TERMS)
    return context


def to_jsonld(graph: Graph) -> str:
    """The graph as compact JSON-LD with our context inlined, nodes sorted by ``@id``.

    The context is inlined rather than linked so the file reads offline with any JSON-LD
    processor; :func:`jsonld_context` gives the same context as a file of its own.
    """
    text = graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    data = json.loads(text)
    if isinstance(data.get("@graph"), list):
        data["@graph"].sort(key=lambda node: str(node.get("@id", "")))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- the network view in graph formats ----------------------------------------------------


def _flat(view: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the view whose every edge has a unique key and id, for GraphML and GEXF.

    The view keys edges by predicate (``premise``), which repeats across node pairs; graph
    formats want each edge's id unique in the file.
    """
    flat = nx.MultiDiGraph()
    flat.add_nodes_from(sorted(view.nodes(data=True)))
    for i, (u, v, key) in enumerate(sorted(view.edges(keys=True))):
        data = dict(view.edges[u, v, key])
        flat.add_edge(u, v, key=f"e{i}", **data)
    return flat


def to_graphml(view: nx.MultiDiGraph) -> str:
    """The network view as GraphML, for Gephi, igraph, Cytoscape and yEd.

    Attributes are typed (``kind`` and ``label`` strings, vote tallies ints, ``paraphrase``
    a boolean) and never nested; a node without an attribute simply lacks it.
    """
    return "\n".join(nx.generate_graphml(_flat(view), named_key_ids=True)) + "\n"


def to_gexf(view: nx.MultiDiGraph) -> str:
    """The network view as GEXF 1.2, Gephi's own format, with the same attributes."""
    return "\n".join(nx.generate_gexf(_flat(view), version="1.2draft")) + "\n"


#: Node attributes written as CSV columns first, in this order; the rest follow sorted.
_CSV_NODE_FIRST = ("id", "kind", "label")


def to_csv(view: nx.MultiDiGraph) -> tuple[str, str]:
    """The network view as two CSV tables, nodes and edges, for spreadsheets and pandas.

    Nodes: ``id`` (the IRI), ``kind``, ``label`` and every other attribute as a column.
    Edges: ``source``, ``target``, ``kind``.
    """
    columns = sorted({k for _, d in view.nodes(data=True) for k in d} - set(_CSV_NODE_FIRST))
    nodes = io.StringIO()
    w = csv.writer(nodes, lineterminator="\n")
    w.writerow([*_CSV_NODE_FIRST, *columns])
    for n, d in sorted(view.nodes(data=True)):
        row = [n, d.get("kind", ""), d.get("label", "")]
        row += ["" if d.get(c) is None else d[c] for c in columns]
        w.writerow(row)
    edges = io.StringIO()
    w = csv.writer(edges, lineterminator="\n")
    w.writerow(["source", "target", "kind"])
    for u, v, key in sorted(view.edges(keys=True)):
        w.writerow([u, v, view.edges[u, v, key].get("kind", key)])
    return nodes.getvalue(), edges.getvalue()


def _default_graph_block(dataset: Dataset) -> str:
    """The dataset's default graph as a TriG ``{ ... }`` block, or "" when it is empty.

    A corpus puts everything in named graphs, but a graph read from Turtle has only the
    default graph, which :func:`to_trig` leaves out.
    """
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    if not len(default):
        return ""
    sub = Graph()
    for prefix, ns in dataset.namespaces():
        sub.bind(prefix, ns, override=True, replace=True)
    for triple in default:
        sub.add(triple)
    lines = sub.serialize(format="turtle").splitlines()
    prefixes = [line for line in lines if line.startswith("@prefix")]
    body = "\n".join(line for line in lines if not line.startswith("@prefix")).strip("\n")
    return "\n".join(prefixes) + "\n\n{\n" + body + "\n}\n"


# --- every format at once -------------------------------------------------------------------

#: Formats ``export`` writes, with what each is for (shown in ``export --help``).
FORMATS = EXPORT_FORMATS


def export(dataset: Dataset, name: str, formats: Iterable[str]) -> dict[str, str]:
    """The dataset in each of ``formats``, as ``{file name: text}``, ready to be written.

    File names start with ``name``; see :data:`FORMATS` for the formats and their files.
    RDF formats other than TriG hold the union of all named graphs; graph formats hold the
    network view of it (:func:`graph.network.to_networkx`).

    >>> from rdflib import Dataset
    >>> sorted(export(Dataset(), "empty", ["csv", "jsonld"]))
    ['empty-edges.csv', 'empty-nodes.csv', 'empty.context.jsonld', 'empty.jsonld']
    """
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown export format(s): {', '.join(unknown)}")
    graph = union(dataset)
    view = to_networkx(graph) if {"graphml", "gexf", "csv"} & set(wanted) else None
    files: dict[str, str] = {}
    for fmt in wanted:
        if fmt == "turtle":
            files[f"{name}.ttl"] = to_turtle(graph)
        elif fmt == "ntriples":
            files[f"{name}.nt"] = to_ntriples(graph)
        elif fmt == "trig":
            files[f"{name}.trig"] = to_trig(dataset) + _default_graph_block(dataset)
        elif fmt == "jsonld":
            files[f"{name}.jsonld"] = to_jsonld(graph)
            context = {"@context": jsonld_context()}
            files[f"{name}.context.jsonld"] = json.dumps(context, indent=2) + "\n"
        elif fmt == "rdfxml":
            files[f"{name}.rdf"] = to_rdfxml(graph)
        elif fmt == "graphml":
            files[f"{name}.graphml"] = to_graphml(view)
        elif fmt == "gexf":
            files[f"{name}.gexf"] = to_gexf(view)
        elif fmt == "csv":
            files[f"{name}-nodes.csv"], files[f"{name}-edges.csv"] = to_csv(view)
        elif fmt == "aif":
            files[f"{name}.aif.json"] = to_aif_json(graph)
    return files
