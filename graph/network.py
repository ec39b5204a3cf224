"""The network view: any of our RDF graphs as a NetworkX MultiDiGraph, derived afresh each time.

Nodes are the typed things of the debate (claims, argument relations, documents,
organizations, people, bills, versions, sections, events, topics), keyed by IRI, with plain
attributes. Edges are the links between them, keyed by the predicate's local name. Quote
anchors and membership records are folded into attributes and ``memberOf`` edges.
"""

from __future__ import annotations

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from .kinds import NODE_KINDS
from .vocab import BG, ELI, SCHEMA

#: Edge predicates kept in the view, with the name each edge carries.
EDGE_PREDICATES: dict[URIRef, str] = {
    BG.premise: "premise",
    BG.conclusion: "conclusion",
    BG.assertedIn: "assertedIn",
    BG.assertedBy: "assertedBy",
    BG.concerns: "concerns",
    DCTERMS.subject: "topic",
    DCTERMS.creator: "author",
    BG.onBill: "onBill",
    ELI.is_part_of: "partOf",
    ELI.realizes: "versionOf",
    BG.concernsBill: "concernsBill",
    BG.concernsVersion: "concernsVersion",
    URIRef("http://www.w3.org/ns/org#memberOf"): "memberOf",
    BG.billAuthor: "billAuthor",
    BG.billCoauthor: "billCoauthor",
    SKOS.broader: "broader",
}


def _local(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _kind(graph: Graph, node: URIRef, types: set[URIRef]) -> str | None:
    for kind in NODE_KINDS:
        if kind.rdf_class in types:
            return kind.name
    return None


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The debate as a MultiDiGraph: typed nodes with plain attributes, typed edges.

    Node attributes: ``kind``, ``label``, and where they apply ``stance``, ``date``,
    ``quote``, ``paraphrase``, ``source`` (the document's IRI), ``url``, ``citation``.
    Edge attributes: ``kind`` (also the edge key).
    """
    g = nx.MultiDiGraph()
    types: dict[URIRef, set[URIRef]] = {}
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            types.setdefault(s, set()).add(o)
    for node, node_types in types.items():
        kind = _kind(graph, node, node_types)
        if kind is None:
            continue
        label = graph.value(node, RDFS.label) or graph.value(node, SKOS.prefLabel)
        attrs: dict[str, object] = {"kind": kind, "label": str(label) if label else _local(node)}
        g.add_node(str(node), **attrs)
    for node, data in g.nodes(data=True):
        iri = URIRef(node)
        for prop, name in (
            (BG.stance, "stance"),
            (DCTERMS.date, "date"),
            (BG.eventDate, "date"),
            (BG.quote, "quote"),
            (BG.isParaphrase, "paraphrase"),
            (BG.assertedIn, "source"),
            (SCHEMA.url, "url"),
            (BG.citation, "citation"),
            (DCTERMS.description, "description"),
            (BG.locationInSource, "where"),
        ):
            value = graph.value(iri, prop)
            if value is None:
                continue
            if isinstance(value, Literal):
                data[name] = value.toPython() if name == "paraphrase" else str(value)
            elif name == "stance":
                data[name] = _stance_name(value)
            else:
                data[name] = str(value)
    for prop, name in EDGE_PREDICATES.items():
        for s, o in graph.subject_objects(prop):
            s, o = str(s), str(o)
            if s in g and o in g:
                g.add_edge(s, o, key=name, kind=name)
    return g


def _stance_name(iri: URIRef) -> str:
    """``bg:SupportIfAmendedStance`` -> ``support-if-amended``."""
    name = _local(iri).removesuffix("Stance")
    out = []
    for ch in name:
        if ch.isupper() and out:
            out.append("-")
        out.append(ch.lower())
    return "".join(out)
