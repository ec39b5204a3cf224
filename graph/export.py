"""Exporting: the RDF dataset as text in the formats other tools read.

RDF formats (Turtle, TriG, N-Triples, JSON-LD, RDF/XML) take the RDF graph; graph formats
(GraphML, GEXF, CSV) take the NetworkX view of it; AIF JSON lives in :mod:`graph.aif`.
Functions here take graphs (or pyoxigraph's statements) and return strings; writing files
is the build's job. Turtle and TriG are written so that the same graph always gives the same
bytes, which makes a changed corpus show as a readable diff.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .defaults import EXPORT_FORMATS
from .terms import to_oxigraph, to_rdflib
from .vocab import PREFIXES

if TYPE_CHECKING:
    import networkx as nx
    from rdflib.term import Node

# --- Turtle, TriG and N-Triples: pyoxigraph's writers, fed in a sorted order ------------
#
# rdflib's Turtle writer takes about 70 s per million triples (bench/README.md); pyoxigraph's
# takes about one. It writes triples in the order given, grouping a subject's predicates with
# ";", so sorting them first (subjects by IRI, rdf:type first, then predicates and objects)
# makes the text depend only on the set of triples: the same graph gives the same bytes.
# These writers take pyoxigraph's statements, which ``export`` reads straight from the file
# (pyoxigraph parses a million triples in seconds, rdflib in a minute); an rdflib graph is
# converted to them first.

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: The datatypes a literal's place leaves out: a plain string's and a language-tagged
#: string's, which rdflib's terms do not name.
_UNNAMED_DATATYPES = frozenset(
    {
        "http://www.w3.org/2001/XMLSchema#string",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
    }
)
_OX_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
_PREFIX_LINES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in _OX_PREFIXES.items())

#: A statement as pyoxigraph gives it: a triple, or a quad (the triple and its graph).
Statement = ox.Triple | ox.Quad


def statement_key(statement: Statement) -> tuple:
    """Where a statement goes in our output: by subject, rdf:type first, then predicate,
    then object (IRIs before literals; a literal by its text, datatype and language).

    Called once per statement of the graph, so it reads each term once.
    """
    p = statement.predicate.value
    o = statement.object
    if type(o) is ox.Literal:
        datatype = o.datatype.value
        if datatype in _UNNAMED_DATATYPES:
            datatype = ""
        return (
            statement.subject.value,
            p != _RDF_TYPE,
            p,
            True,
            o.value,
            datatype,
            o.language or "",
        )
    return (statement.subject.value, p != _RDF_TYPE, p, False, o.value, "", "")


def _graph_statement_key(quad: ox.Quad) -> tuple:
    """Where a quad goes in TriG: by graph, then as :func:`statement_key` places it."""
    return (quad.graph_name.value, *statement_key(quad))


def union_triples(statements: Iterable[Statement]) -> list[ox.Triple]:
    """Every triple of ``statements`` once (the graph a quad names left out), in our order."""
    unique = {s.triple if type(s) is ox.Quad else s for s in statements}
    return sorted(unique, key=statement_key)


def _write(statements: list[Statement], fmt: ox.RdfFormat) -> str:
    """Turtle or TriG of ``statements`` in the order given, with our prefix block."""
    text = ox.serialize(statements, format=fmt, prefixes=_OX_PREFIXES).decode("utf-8")
    # Our own prefix block, in PREFIXES order (the writer's order is its own), then a blank
    # line before each subject so that a reader (and a diff) sees one thing at a time.
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("@"))
    return _PREFIX_LINES + "\n" + _BLOCK_END.sub(r"\1\n", body)


#: The end of a subject's statement or of a graph, followed by more: literals are written
#: with their line breaks escaped, so a line ending " ." always ends a statement.
_BLOCK_END = re.compile(r"( \.\n|^\}\n)(?=[^}\n])", re.M)


def turtle_of(statements: Iterable[Statement]) -> str:
    """Turtle of the union of ``statements``: each triple once, subjects, predicates and
    objects sorted, so the same graph always gives the same bytes."""
    return _write(union_triples(statements), ox.RdfFormat.TURTLE)


def trig_of(statements: Iterable[Statement]) -> str:
    """TriG of the quads of ``statements`` in named graphs: a block per graph, graphs sorted
    by IRI and each one's triples in the order :func:`turtle_of` writes them. The default
    graph is left out (see :func:`export_statements`)."""
    named = {
        s for s in statements if type(s) is ox.Quad and type(s.graph_name) is not ox.DefaultGraph
    }
    return _write(sorted(named, key=_graph_statement_key), ox.RdfFormat.TRIG)


def ntriples_of(statements: Iterable[Statement]) -> str:
    """N-Triples of the union of ``statements``, one triple a line, lines sorted: the
    easiest format to diff."""
    unique = {s.triple if type(s) is ox.Quad else s for s in statements}
    text = ox.serialize(unique, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return "".join(sorted(text.splitlines(keepends=True)))


def statements_of(dataset: Dataset | Graph) -> list[ox.Quad]:
    """An rdflib graph or dataset as pyoxigraph quads (a Graph's in the default graph)."""
    terms: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def term(t: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = terms.get(t)
        if found is None:
            found = terms[t] = to_oxigraph(t)
        return found

    if not isinstance(dataset, Dataset):
        return [ox.Quad(term(s), term(p), term(o)) for s, p, o in dataset]
    quads = []
    for ctx in dataset.graphs():
        default = ctx.identifier == DATASET_DEFAULT_GRAPH_ID
        name = ox.DefaultGraph() if default else term(ctx.identifier)
        quads += [ox.Quad(term(s), term(p), term(o), name) for s, p, o in ctx]
    return quads


def to_turtle(graph: Graph) -> str:
    """The graph as Turtle, in the order :func:`turtle_of` writes."""
    return turtle_of(statements_of(graph))


def to_trig(dataset: Dataset) -> str:
    """The dataset's named graphs as TriG, as :func:`trig_of` writes them."""
    return trig_of(statements_of(dataset))


# --- more RDF formats ---------------------------------------------------------------------


def to_ntriples(graph: Graph) -> str:
    """The graph as N-Triples, as :func:`ntriples_of` writes them."""
    return ntriples_of(statements_of(graph))


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
    import networkx as nx

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
    import networkx as nx

    return "\n".join(nx.generate_graphml(_flat(view), named_key_ids=True)) + "\n"


def to_gexf(view: nx.MultiDiGraph) -> str:
    """The network view as GEXF 1.2, Gephi's own format, with the same attributes."""
    import networkx as nx

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


def _default_graph_block(triples: list[ox.Triple], prefixes: Mapping[str, str]) -> str:
    """The default graph as a TriG ``{ ... }`` block, or "" when it is empty.

    A corpus puts everything in named graphs, but a graph read from Turtle has only the
    default graph, which :func:`trig_of` leaves out. The block is rdflib's Turtle, with the
    prefixes rdflib binds and those the file declared (``prefixes``), as it always was.
    """
    if not triples:
        return ""
    sub = Graph()
    for prefix, ns in [*Dataset().namespaces(), *prefixes.items()]:
        sub.bind(prefix, ns, override=True, replace=True)
    for triple in triples:
        sub.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    lines = sub.serialize(format="turtle").splitlines()
    prefix_lines = [line for line in lines if line.startswith("@prefix")]
    body = "\n".join(line for line in lines if not line.startswith("@prefix")).strip("\n")
    return "\n".join(prefix_lines) + "\n\n{\n" + body + "\n}\n"


def _rdflib_graph(statements: Iterable[Statement]) -> Graph:
    """The union of ``statements`` as one rdflib graph with our prefixes bound: what the
    formats only rdflib writes (JSON-LD, RDF/XML), the network view and AIF take."""
    from .emit import union

    graph = union(Dataset())  # an empty graph with our prefixes bound
    terms: dict[ox.NamedNode | ox.BlankNode | ox.Literal, Node] = {}

    def term(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        found = terms.get(t)
        if found is None:
            found = terms[t] = to_rdflib(t)
        return found

    for s in statements:
        graph.add((term(s.subject), term(s.predicate), term(s.object)))
    return graph


# --- every format at once -------------------------------------------------------------------

#: Formats ``export`` writes, with what each is for (shown in ``export --help``).
FORMATS = EXPORT_FORMATS


#: Formats written from an rdflib graph of the statements (or the network view of it).
RDFLIB_FORMATS = frozenset({"jsonld", "rdfxml", "graphml", "gexf", "csv", "aif"})


def export(dataset: Dataset, name: str, formats: Iterable[str]) -> dict[str, str]:
    """The dataset in each of ``formats``, as ``{file name: text}``, ready to be written.

    File names start with ``name``; see :data:`FORMATS` for the formats and their files.
    RDF formats other than TriG hold the union of all named graphs; graph formats hold the
    network view of it (:func:`graph.network.to_networkx`).

    >>> from rdflib import Dataset
    >>> sorted(export(Dataset(), "empty", ["csv", "jsonld"]))
    ['empty-edges.csv', 'empty-nodes.csv', 'empty.context.jsonld', 'empty.jsonld']
    """
    prefixes = {prefix: str(ns) for prefix, ns in dataset.namespaces()}
    return export_statements(statements_of(dataset), name, formats, prefixes)


def export_statements(
    statements: Iterable[Statement],
    name: str,
    formats: Iterable[str],
    prefixes: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """What :func:`export` gives, from pyoxigraph's statements (quads, or triples of the
    default graph): Turtle, TriG and N-Triples written by pyoxigraph, at the speed of its
    parser and writer; the formats in :data:`RDFLIB_FORMATS` from an rdflib graph of them.

    ``prefixes`` are those the input declared; only a default graph in TriG uses them.

    >>> import pyoxigraph as ox
    >>> claim = ox.NamedNode("https://example.org/claim/1")
    >>> label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    >>> files = export_statements([ox.Triple(claim, label, ox.Literal("One"))], "g", ["turtle"])
    >>> print(files["g.ttl"].splitlines()[-1])
    <https://example.org/claim/1> rdfs:label "One" .
    """
    from .aif import to_aif_json
    from .network import to_networkx

    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown export format(s): {', '.join(unknown)}")
    statements = list(statements)
    graph = _rdflib_graph(statements) if RDFLIB_FORMATS & set(wanted) else Graph()
    view = to_networkx(graph) if {"graphml", "gexf", "csv"} & set(wanted) else None
    files: dict[str, str] = {}
    for fmt in wanted:
        if fmt == "turtle":
            files[f"{name}.ttl"] = turtle_of(statements)
        elif fmt == "ntriples":
            files[f"{name}.nt"] = ntriples_of(statements)
        elif fmt == "trig":
            default = [s.triple if type(s) is ox.Quad else s for s in statements if _in_default(s)]
            files[f"{name}.trig"] = trig_of(statements) + _default_graph_block(
                default, prefixes or {}
            )
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


def _in_default(statement: Statement) -> bool:
    """Whether a statement is in the default graph (a triple always is)."""
    return type(statement) is not ox.Quad or type(statement.graph_name) is ox.DefaultGraph
