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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
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


def _place_in_subject(predicate: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> tuple:
    """Where a statement goes among its subject's: rdf:type first, then by predicate, then
    by object (IRIs before literals; a literal by its text, datatype and language). Two
    statements of a subject have the same place only when they are the same statement."""
    if type(o) is ox.Literal:
        datatype = o.datatype.value
        if datatype in _UNNAMED_DATATYPES:
            datatype = ""
        return (predicate != _RDF_TYPE, predicate, True, o.value, datatype, o.language or "")
    return (predicate != _RDF_TYPE, predicate, False, o.value, "", "")


def _in_order(
    statements: Iterable[Statement], block_of: Callable[[Statement], str | tuple[str, str]]
) -> list[Statement]:
    """``statements`` each once, in our order: block by block (a subject's statements, or a
    graph's subject's), blocks sorted, each block's statements by :func:`_place_in_subject`.

    Sorting the blocks apart compares far fewer keys than sorting every statement by its
    subject and place, which on a million statements takes twice as long.
    """
    blocks: dict[str | tuple[str, str], dict[tuple, Statement]] = {}
    for st in statements:
        block = blocks.get(key := block_of(st))
        if block is None:
            block = blocks[key] = {}
        block[_place_in_subject(st.predicate.value, st.object)] = st
    ordered: list[Statement] = []
    for key in sorted(blocks):
        block = blocks[key]
        ordered += [block[place] for place in sorted(block)]
    return ordered


def _subject_of(statement: Statement) -> str:
    return statement.subject.value


def _graph_and_subject_of(quad: Statement) -> tuple[str, str]:
    return (quad.graph_name.value, quad.subject.value)


def union_triples(statements: Iterable[Statement]) -> list[ox.Triple]:
    """Every triple of ``statements`` once (the graph a quad names left out), in our order:
    subjects by IRI, each subject's statements by :func:`_place_in_subject`."""
    return [st.triple if type(st) is ox.Quad else st for st in _in_order(statements, _subject_of)]


def named_graph_quads(statements: Iterable[Statement]) -> list[ox.Quad]:
    """The quads of ``statements`` in named graphs, each once, in our order: graphs by IRI,
    then as :func:`union_triples` orders a graph's triples."""
    named = (
        st
        for st in statements
        if type(st) is ox.Quad and type(st.graph_name) is not ox.DefaultGraph
    )
    return _in_order(named, _graph_and_subject_of)


def _write(statements: list[Statement], fmt: ox.RdfFormat) -> str:
    """Turtle or TriG of ``statements`` in the order given, with our prefix block."""
    text = ox.serialize(statements, format=fmt, prefixes=_OX_PREFIXES).decode("utf-8")
    # Our own prefix block, in PREFIXES order (the writer's order is its own), in place of
    # the writer's, which comes first.
    body = _WRITERS_PREFIXES.sub("", text, count=1)
    return _PREFIX_LINES + "\n" + _blank_line_between_blocks(body)


_WRITERS_PREFIXES = re.compile(r"\A(?:@prefix [^\n]*\n)*")


def _blank_line_between_blocks(body: str) -> str:
    """``body`` with a blank line after each subject's statement and each graph that more
    follows, so that a reader (and a diff) sees one thing at a time.

    Literals are written with their line breaks escaped, so a line ending " ." always ends
    a statement and a line "}" a graph; a statement that ends a graph is followed by "}".
    """
    spaced = body.replace(" .\n", " .\n\n").replace(" .\n\n}\n", " .\n}\n")
    spaced = spaced.replace("\n}\n", "\n}\n\n")
    return spaced[:-1] if spaced.endswith("\n\n") else spaced


def turtle_of(statements: Iterable[Statement]) -> str:
    """Turtle of the union of ``statements``: each triple once, subjects, predicates and
    objects sorted, so the same graph always gives the same bytes."""
    return _write(union_triples(statements), ox.RdfFormat.TURTLE)


def trig_of(statements: Iterable[Statement]) -> str:
    """TriG of the quads of ``statements`` in named graphs: a block per graph, graphs sorted
    by IRI and each one's triples in the order :func:`turtle_of` writes them. The default
    graph is left out (see :func:`export_statements`)."""
    return _write(named_graph_quads(statements), ox.RdfFormat.TRIG)


def ntriples_of(statements: Iterable[Statement]) -> str:
    """N-Triples of the union of ``statements``, one triple a line, lines sorted: the
    easiest format to diff."""
    return _sorted_lines(union_triples(statements))


def _sorted_lines(triples: list[ox.Triple]) -> str:
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
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
    return export_statements(Statements(statements_of(dataset), prefixes), name, formats)


@dataclass
class Statements:
    """A dataset as pyoxigraph's statements (quads, or triples of the default graph) and
    the prefixes its file declared, which only a default graph written as TriG uses. What
    the writers derive from the statements is worked out once for all the formats."""

    quads: list[Statement]
    prefixes: dict[str, str] = field(default_factory=dict)

    @cached_property
    def union(self) -> list[ox.Triple]:
        """Every triple once, in our order (:func:`union_triples`)."""
        return union_triples(self.quads)

    def default_graph(self) -> list[ox.Triple]:
        """The triples of the default graph (a corpus has none: it names every graph)."""
        return [st.triple if type(st) is ox.Quad else st for st in self.quads if _in_default(st)]


def export_statements(
    statements: Statements | Iterable[Statement], name: str, formats: Iterable[str]
) -> dict[str, str]:
    """What :func:`export` gives, from pyoxigraph's statements: Turtle, TriG and N-Triples
    written by pyoxigraph, at the speed of its parser and writer; the formats in
    :data:`RDFLIB_FORMATS` from an rdflib graph of them.

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
    if not isinstance(statements, Statements):
        statements = Statements(list(statements))
    graph = _rdflib_graph(statements.union) if RDFLIB_FORMATS & set(wanted) else Graph()
    view = to_networkx(graph) if {"graphml", "gexf", "csv"} & set(wanted) else None
    files: dict[str, str] = {}
    for fmt in wanted:
        if fmt == "turtle":
            files[f"{name}.ttl"] = _write(statements.union, ox.RdfFormat.TURTLE)
        elif fmt == "ntriples":
            files[f"{name}.nt"] = _sorted_lines(statements.union)
        elif fmt == "trig":
            default = _default_graph_block(statements.default_graph(), statements.prefixes)
            files[f"{name}.trig"] = trig_of(statements.quads) + default
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
