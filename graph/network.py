"""The network view: any of our RDF graphs as a NetworkX MultiDiGraph, derived afresh each time.

Nodes are the typed things of the debate (claims, argument relations, documents,
organizations, people, bills, versions, sections, events, topics), keyed by IRI, with plain
attributes. Edges are the links between them, keyed by the predicate's local name. Quote
anchors and membership records are folded into attributes and ``memberOf`` edges.

:func:`argument_relations` reads the supports and attacks alone, as typed records, for the
analyses and the argument semantics; it too reads RDF, so an imported graph works the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS

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
    ORG.memberOf: "memberOf",
    BG.billAuthor: "billAuthor",
    BG.billCoauthor: "billCoauthor",
    SKOS.broader: "broader",
}

#: Literal or IRI properties copied onto nodes as plain attributes: (predicate, attribute).
NODE_PROPERTIES: tuple[tuple[URIRef, str], ...] = (
    (BG.stance, "stance"),
    (DCTERMS.date, "date"),
    (BG.eventDate, "date"),
    (ELI.version_date, "date"),
    (BG.quote, "quote"),
    (BG.isParaphrase, "paraphrase"),
    (BG.assertedIn, "source"),
    (SCHEMA.url, "url"),
    (BG.citation, "citation"),
    (DCTERMS.description, "description"),
    (BG.locationInSource, "where"),
    (DCTERMS.identifier, "identifier"),
    (DCTERMS.created, "created"),
    (BG.legislativeBody, "body"),
    (BG.ayes, "ayes"),
    (BG.noes, "noes"),
    (BG.notVoting, "not_voting"),
    (BG.result, "result"),
    (BG.role, "role"),
    (DCTERMS.source, "source_url"),
)

#: Attributes whose values stay numbers or booleans; every other attribute is text.
_TYPED = {"paraphrase", "ayes", "noes", "not_voting"}

#: The argument relation of each relation class, as the corpus names it.
RELATION_KIND: dict[URIRef, str] = {
    BG.Support: "supports",
    BG.Rebuttal: "rebuts",
    BG.Undercut: "undercuts",
    BG.Undermining: "undermines",
}

#: Classes that only say what family a node belongs to, never its subkind.
_FAMILY_CLASSES = {k.rdf_class for k in NODE_KINDS} | {BG.Attack}

#: How lists are joined into one plain text attribute (GraphML and CSV take no lists).
JOIN = "; "


def _local(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _kebab(name: str) -> str:
    """``SupportIfAmended`` -> ``support-if-amended``: a class's local name as a corpus kind.

    >>> _kebab("TradeAssociation")
    'trade-association'
    """
    out: list[str] = []
    for ch in name:
        if ch.isupper() and out:
            out.append("-")
        out.append(ch.lower())
    return "".join(out)


def _kind(node_types: set[URIRef]) -> str | None:
    for kind in NODE_KINDS:
        if kind.rdf_class in node_types:
            return kind.name
    return None


def _subkind(node_types: set[URIRef]) -> str | None:
    """The finer kind a corpus gives: ``statement``, ``trade-association``, ``committee-vote``."""
    names = sorted(_kebab(_local(t)) for t in node_types if t in BG and t not in _FAMILY_CLASSES)
    return names[0] if names else None


def _label(graph: Graph, node: URIRef) -> str:
    label = graph.value(node, RDFS.label) or graph.value(node, SKOS.prefLabel)
    return str(label) if label is not None else _local(node)


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The debate as a MultiDiGraph: typed nodes with plain attributes, typed edges.

    Node attributes: ``kind``, ``label``, ``iri``, and where they apply ``subkind`` (the
    document, organization, section or event kind), ``stance``, ``date``, ``quote``,
    ``paraphrase``, ``source`` (the document's IRI), ``url``, ``citation``, ``description``,
    ``where``, ``identifier``, vote tallies (``ayes``, ``noes``, ``not_voting``, ints). A claim
    also carries what a reader asks of it first: ``source_title``, ``source_stance``, its
    document's ``date``, ``asserted_by``, ``sections`` and ``topics`` (labels joined by "; ").
    Relation nodes carry ``polarity`` ("support" or "attack"). Every value is a str, int or
    bool, so the view exports to GraphML, GEXF and CSV as it is.

    Edge attributes: ``kind`` (also the edge key), the predicate's local name.
    """
    g = nx.MultiDiGraph()
    types: dict[URIRef, set[URIRef]] = {}
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            types.setdefault(s, set()).add(o)
    for node in sorted(types):
        node_types = types[node]
        kind = _kind(node_types)
        if kind is None:
            continue
        attrs: dict[str, object] = {"kind": kind, "label": _label(graph, node), "iri": str(node)}
        subkind = _subkind(node_types)
        if subkind:
            attrs["subkind"] = subkind
        if kind in ("support", "rebuttal", "undercut", "undermining"):
            attrs["polarity"] = "support" if kind == "support" else "attack"
        g.add_node(str(node), **attrs)
    for node, data in g.nodes(data=True):
        iri = URIRef(node)
        for prop, name in NODE_PROPERTIES:
            if name in data:
                continue
            value = graph.value(iri, prop)
            if value is None:
                continue
            if isinstance(value, Literal):
                data[name] = value.toPython() if name in _TYPED else str(value)
            elif name == "stance":
                data[name] = _stance_name(value)
            else:
                data[name] = str(value)
        if data["kind"] == "claim":
            _claim_context(graph, iri, data)
    for prop, name in EDGE_PREDICATES.items():
        for s, o in graph.subject_objects(prop):
            s, o = str(s), str(o)
            if s in g and o in g:
                g.add_edge(s, o, key=name, kind=name)
    return g


def _claim_context(graph: Graph, claim: URIRef, data: dict[str, object]) -> None:
    """What a claim's document, authors, sections and topics say about it, as plain text."""
    doc = graph.value(claim, BG.assertedIn)
    if isinstance(doc, URIRef):
        data["source_title"] = _label(graph, doc)
        stance = graph.value(doc, BG.stance)
        if isinstance(stance, URIRef):
            data["source_stance"] = _stance_name(stance)
        date = graph.value(doc, DCTERMS.date)
        if date is not None and "date" not in data:
            data["date"] = str(date)
    for prop, name in (
        (BG.assertedBy, "asserted_by"),
        (BG.concerns, "sections"),
        (DCTERMS.subject, "topics"),
    ):
        labels = []
        for o in graph.objects(claim, prop):
            if not isinstance(o, URIRef):
                continue
            citation = graph.value(o, BG.citation) if prop == BG.concerns else None
            if citation is None and prop == BG.concerns and (o, RDF.type, BG.Bill) in graph:
                labels.append("whole bill")
            else:
                labels.append(str(citation) if citation is not None else _label(graph, o))
        if labels:
            data[name] = JOIN.join(sorted(labels))


def _stance_name(iri: URIRef) -> str:
    """``bg:SupportIfAmendedStance`` -> ``support-if-amended``."""
    return _kebab(_local(iri).removesuffix("Stance"))


@dataclass(frozen=True)
class ArgumentRelation:
    """One support or attack, read from RDF: premises lead to (or attack) one conclusion.

    ``conclusion`` is a claim's IRI, or for an undercut the IRI of the relation it attacks.
    ``answers`` are the claims an attack responds to: its conclusion for a rebuttal or an
    undermining; for an undercut of a support, the claim that support argues for; for an
    undercut of an attack, that attack's premises (whose use against a claim it denies).
    """

    iri: str
    kind: str  # supports, rebuts, undercuts, undermines, or attacks (an attack of no subkind)
    premises: tuple[str, ...]
    conclusion: str
    answers: tuple[str, ...]

    @property
    def is_attack(self) -> bool:
        return self.kind != "supports"


def argument_relations(graph: Graph) -> list[ArgumentRelation]:
    """Every support and attack in the graph, sorted by IRI: the argument structure alone.

    A relation whose class is only ``bg:Attack`` (as an imported graph may have) is of kind
    ``attacks``. Relations with no premise or no conclusion are left out: they argue nothing.
    """
    kinds: dict[URIRef, str] = {}
    for cls, name in RELATION_KIND.items():
        for r in graph.subjects(RDF.type, cls):
            if isinstance(r, URIRef):
                kinds.setdefault(r, name)
    for r in graph.subjects(RDF.type, BG.Attack):
        if isinstance(r, URIRef):
            kinds.setdefault(r, "attacks")
    found: dict[URIRef, tuple[tuple[str, ...], URIRef]] = {}
    for r in sorted(kinds):
        conclusion = graph.value(r, BG.conclusion)
        premises = tuple(sorted(str(p) for p in graph.objects(r, BG.premise)))
        if isinstance(conclusion, URIRef) and premises:
            found[r] = (premises, conclusion)
    out = []
    for r, (premises, conclusion) in found.items():
        kind = kinds[r]
        if kind == "supports":
            answers: tuple[str, ...] = ()
        elif conclusion not in found:
            answers = (str(conclusion),)
        elif kinds[conclusion] == "supports":
            answers = (str(found[conclusion][1]),)
        else:
            answers = found[conclusion][0]
        out.append(ArgumentRelation(str(r), kind, premises, str(conclusion), answers))
    return out
