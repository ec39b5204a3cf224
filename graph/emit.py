"""Emitting RDF: a checked corpus becomes one RDF dataset, a named graph per source document.

:func:`emit_graph` is the only place that decides which triples a corpus record becomes; the
terms come from :mod:`graph.vocab` and are defined in ``ontology/billgraph.ttl``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from .model import ATTACK_KINDS, Bill, Corpus, Provenance, QuoteAnchor, SourceDocument
from .vocab import BG, ELI, OA, PREFIXES, SCHEMA, Minter

#: RDF class of each relation kind.
RELATION_CLASS = {
    "supports": BG.Support,
    "rebuts": BG.Rebuttal,
    "undercuts": BG.Undercut,
    "undermines": BG.Undermining,
}

_WORD = re.compile(r"(^|-)([a-z0-9])")


def camel(kind: str) -> str:
    """``committee-vote`` -> ``CommitteeVote``: the local name of a kind's class or individual.

    >>> camel("support-if-amended")
    'SupportIfAmended'
    """
    return _WORD.sub(lambda m: m.group(2).upper(), kind)


def stance_iri(stance: str) -> URIRef:
    """The individual for a stance: ``support-if-amended`` -> ``bg:SupportIfAmendedStance``."""
    return BG[camel(stance) + "Stance"]


def date_literal(value: str) -> Literal:
    """A date as precise as it is known: xsd:date, xsd:gYearMonth or xsd:gYear.

    >>> date_literal("2024-05").datatype.endswith("gYearMonth")
    True
    """
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return Literal(value, datatype=datatype)


def _bind(g: Graph | Dataset) -> None:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)


#: One RDF statement in a named graph: subject, predicate, object, graph.
Quad = tuple[URIRef, URIRef, Node, URIRef]


class _NamedGraph:
    """Where the emitter adds one named graph's triples: appended to a shared list of quads.

    A list, not an rdflib store: adding to rdflib's Memory store costs about 20 us a triple,
    most of an emit on a large corpus, and the build writes Turtle without it (bench/).
    """

    def __init__(self, identifier: URIRef, quads: list[Quad]) -> None:
        self.identifier = identifier
        self._append = quads.append

    def add(self, triple: tuple[URIRef, URIRef, Node]) -> None:
        self._append((*triple, self.identifier))


class _Emitter:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.m = Minter(corpus.base)
        self.quads: list[Quad] = []
        self.agents = {o.id: self.m.organization(o.id) for o in corpus.organizations}
        self.agents.update({p.id: self.m.person(p.id) for p in corpus.people})
        self.sources = {s.id: s for s in corpus.sources}

    def graph(self, iri: URIRef) -> _NamedGraph:
        return _NamedGraph(iri, self.quads)

    def provenance(self, g: _NamedGraph, subject: URIRef, prov: Provenance) -> None:
        if prov.source:
            g.add((subject, PROV.wasDerivedFrom, self.m.source(prov.source)))
        if prov.url:
            g.add((subject, DCTERMS.source, URIRef(prov.url)))
        if prov.date:
            g.add((subject, BG.sourceDate, date_literal(prov.date)))
        if prov.where:
            g.add((subject, BG.locationInSource, Literal(prov.where)))

    def emit(self) -> list[Quad]:
        for bill in self.corpus.bills:
            self.bill(bill)
        self.agents_graph()
        self.topics_graph()
        for doc in self.corpus.sources:
            self.source(doc)
        return self.quads

    def bill(self, bill: Bill) -> None:
        m = self.m
        g = self.graph(m.reference_graph(f"bill-{bill.id}"))
        b = m.bill(bill.id)
        g.add((b, RDF.type, ELI.LegalResource))
        g.add((b, RDF.type, BG.Bill))
        g.add((b, RDFS.label, Literal(f"{bill.identifier}: {bill.title}")))
        g.add((b, ELI.title, Literal(bill.title)))
        g.add((b, DCTERMS.identifier, Literal(bill.identifier)))
        g.add((b, BG.jurisdiction, Literal(bill.jurisdiction)))
        g.add((b, BG.legislativeSession, Literal(bill.session)))
        if bill.local_id:
            g.add((b, ELI.id_local, Literal(bill.local_id)))
        if bill.url:
            g.add((b, SCHEMA.url, URIRef(bill.url)))
        for a in bill.authors:
            g.add((b, BG.billAuthor, self.agents[a]))
        for a in bill.coauthors:
            g.add((b, BG.billCoauthor, self.agents[a]))
        self.provenance(g, b, bill.provenance)
        for v in bill.versions:
            vi = m.version(bill.id, v.id)
            g.add((vi, RDF.type, ELI.LegalExpression))
            g.add((vi, RDF.type, BG.BillVersion))
            g.add((vi, RDFS.label, Literal(f"{bill.identifier}, {v.label}")))
            g.add((vi, ELI.realizes, b))
            g.add((b, ELI.is_realized_by, vi))
            g.add((vi, ELI.version_date, date_literal(v.date)))
            if v.url:
                g.add((vi, SCHEMA.url, URIRef(v.url)))
            self.provenance(g, vi, v.provenance)
        for s in bill.sections:
            si = m.section(bill.id, s.citation)
            parent = m.section(bill.id, s.parent) if s.parent else b
            g.add((si, RDF.type, ELI.LegalResourceSubdivision))
            g.add((si, RDF.type, BG[camel(s.kind)]))
            label = s.citation if not s.heading else f"{s.citation} {s.heading}"
            g.add((si, RDFS.label, Literal(f"{bill.identifier} {label}")))
            g.add((si, BG.citation, Literal(s.citation)))
            g.add((si, ELI.number, Literal(s.label)))
            g.add((si, ELI.is_part_of, parent))
            g.add((parent, ELI.has_part, si))
            g.add((si, BG.inBill, b))
            if s.heading:
                g.add((si, ELI.title, Literal(s.heading)))
            if s.summary:
                g.add((si, DCTERMS.description, Literal(s.summary)))
        for e in bill.events:
            ei = m.event(bill.id, e.id)
            g.add((ei, RDF.type, BG.LegislativeEvent))
            g.add((ei, RDF.type, BG[camel(e.kind)]))
            g.add((ei, RDFS.label, Literal(e.label)))
            g.add((ei, BG.eventDate, date_literal(e.date)))
            g.add((ei, BG.concernsBill, b))
            if e.version:
                g.add((ei, BG.concernsVersion, m.version(bill.id, e.version)))
            if e.body:
                g.add((ei, BG.legislativeBody, Literal(e.body)))
            for prop, value in ((BG.ayes, e.ayes), (BG.noes, e.noes), (BG.notVoting, e.not_voting)):
                if value is not None:
                    g.add((ei, prop, Literal(value, datatype=XSD.nonNegativeInteger)))
            if e.result:
                g.add((ei, BG.result, Literal(e.result)))
            if e.note:
                g.add((ei, RDFS.comment, Literal(e.note)))
            self.provenance(g, ei, e.provenance)

    def agents_graph(self) -> None:
        g = self.graph(self.m.reference_graph("organizations"))
        for o in self.corpus.organizations:
            oi = self.m.organization(o.id)
            g.add((oi, RDF.type, ORG.Organization))
            if o.kind != "organization":
                g.add((oi, RDF.type, BG[camel(o.kind)]))
            g.add((oi, RDFS.label, Literal(o.name)))
            g.add((oi, FOAF.name, Literal(o.name)))
            if o.url:
                g.add((oi, FOAF.homepage, URIRef(o.url)))
            if o.description:
                g.add((oi, DCTERMS.description, Literal(o.description)))
            for same in o.same_as:
                g.add((oi, OWL.sameAs, URIRef(same)))
            self.provenance(g, oi, o.provenance)
        for p in self.corpus.people:
            pi = self.m.person(p.id)
            g.add((pi, RDF.type, FOAF.Person))
            g.add((pi, RDFS.label, Literal(p.name)))
            g.add((pi, FOAF.name, Literal(p.name)))
            if p.role:
                g.add((pi, BG.role, Literal(p.role)))
            if p.url:
                g.add((pi, FOAF.homepage, URIRef(p.url)))
            for same in p.same_as:
                g.add((pi, OWL.sameAs, URIRef(same)))
            self.provenance(g, pi, p.provenance)
        for ms in self.corpus.memberships:
            mi = self.m.membership(ms.member, ms.organization)
            member, org = self.agents[ms.member], self.agents[ms.organization]
            g.add((mi, RDF.type, ORG.Membership))
            g.add((mi, ORG.member, member))
            g.add((mi, ORG.organization, org))
            g.add((member, ORG.memberOf, org))
            if ms.role:
                g.add((mi, BG.role, Literal(ms.role)))
            self.provenance(g, mi, ms.provenance)

    def topics_graph(self) -> None:
        if not self.corpus.topics:
            return
        g = self.graph(self.m.reference_graph("topics"))
        scheme = self.m.topic_scheme()
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, Literal(f"Topics of {self.corpus.title}", lang="en")))
        for t in self.corpus.topics:
            ti = self.m.topic(t.id)
            g.add((ti, RDF.type, SKOS.Concept))
            g.add((ti, SKOS.inScheme, scheme))
            g.add((ti, SKOS.prefLabel, Literal(t.label, lang="en")))
            g.add((ti, RDFS.label, Literal(t.label)))
            g.add((ti, SKOS.definition, Literal(t.definition, lang="en")))
            if t.broader:
                g.add((ti, SKOS.broader, self.m.topic(t.broader)))
            else:
                g.add((scheme, SKOS.hasTopConcept, ti))
                g.add((ti, SKOS.topConceptOf, scheme))

    def source(self, doc: SourceDocument) -> None:
        m = self.m
        g = self.graph(m.source_graph(doc.id))
        d = m.source(doc.id)
        g.add((d, RDF.type, BG.SourceDocument))
        g.add((d, RDF.type, BG[camel(doc.kind)]))
        g.add((d, RDFS.label, Literal(doc.title)))
        g.add((d, DCTERMS.title, Literal(doc.title)))
        for a in doc.authors:
            g.add((d, DCTERMS.creator, self.agents[a]))
        if doc.bill:
            g.add((d, BG.onBill, m.bill(doc.bill)))
        if doc.stance:
            g.add((d, BG.stance, stance_iri(doc.stance)))
        if doc.date:
            g.add((d, DCTERMS.date, date_literal(doc.date)))
        if doc.url:
            g.add((d, SCHEMA.url, URIRef(doc.url)))
        if doc.publisher:
            g.add((d, DCTERMS.publisher, Literal(doc.publisher)))
        if doc.note:
            g.add((d, RDFS.comment, Literal(doc.note)))
        if doc.text is not None:
            digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
            g.add((d, BG.textSha256, Literal(digest)))
            g.add((d, BG.textLength, Literal(len(doc.text), datatype=XSD.nonNegativeInteger)))
        if doc.official_text:
            g.add((d, BG.officialText, URIRef(doc.official_text)))
        for cl in doc.claims:
            ci = m.claim(doc.id, cl.id)
            g.add((ci, RDF.type, BG.Claim))
            g.add((ci, RDFS.label, Literal(cl.statement)))
            g.add((ci, BG.assertedIn, d))
            for a in cl.by or doc.authors:
                g.add((ci, BG.assertedBy, self.agents[a]))
            if cl.quote is not None:
                g.add((ci, BG.quote, Literal(cl.quote)))
            if cl.paraphrase:
                g.add((ci, BG.isParaphrase, Literal(True)))
            if cl.where:
                g.add((ci, BG.locationInSource, Literal(cl.where)))
            for citation in cl.sections:
                g.add((ci, BG.concerns, m.section(doc.bill, citation)))
            if cl.whole_bill or not cl.sections:
                g.add((ci, BG.concerns, m.bill(doc.bill)))
            for t in cl.topics:
                g.add((ci, DCTERMS.subject, m.topic(t)))
            if cl.anchor is not None:
                self.anchor(g, doc.id, cl.id, cl.anchor, ci, d)
        for r in doc.relations:
            ri = m.relation(doc.id, r.id)
            g.add((ri, RDF.type, RELATION_CLASS[r.kind]))
            if r.kind in ATTACK_KINDS:
                g.add((ri, RDF.type, BG.Attack))
            g.add((ri, BG.assertedIn, d))
            for p in r.premises:
                src, cid = p.split("/", 1)
                g.add((ri, BG.premise, m.claim(src, cid)))
            src, target = r.conclusion.split("/", 1)
            target_iri = m.relation(src, target) if r.kind == "undercuts" else m.claim(src, target)
            g.add((ri, BG.conclusion, target_iri))
            if r.note:
                g.add((ri, RDFS.comment, Literal(r.note)))

    def anchor(
        self, g: _NamedGraph, doc_id: str, cid: str, a: QuoteAnchor, ci: URIRef, d: URIRef
    ) -> None:
        """The claim's quote as a Web Annotation specific resource with two selectors."""
        m = self.m
        ai = m.anchor(doc_id, cid)
        quote_sel = m.selector(doc_id, cid, "quote")
        pos_sel = m.selector(doc_id, cid, "position")
        g.add((ci, BG.hasAnchor, ai))
        g.add((ai, RDF.type, OA.SpecificResource))
        g.add((ai, OA.hasSource, d))
        g.add((ai, OA.hasSelector, quote_sel))
        g.add((ai, OA.hasSelector, pos_sel))
        g.add((quote_sel, RDF.type, OA.TextQuoteSelector))
        g.add((quote_sel, OA.exact, Literal(a.exact)))
        g.add((quote_sel, OA.prefix, Literal(a.prefix)))
        g.add((quote_sel, OA.suffix, Literal(a.suffix)))
        g.add((pos_sel, RDF.type, OA.TextPositionSelector))
        g.add((pos_sel, OA.start, Literal(a.start, datatype=XSD.nonNegativeInteger)))
        g.add((pos_sel, OA.end, Literal(a.end, datatype=XSD.nonNegativeInteger)))


def emit_quads(corpus: Corpus) -> list[Quad]:
    """Every statement of a checked corpus as (subject, predicate, object, graph) tuples.

    The same statements :func:`emit_graph` puts in a dataset, without the cost of an rdflib
    store: the build writes Turtle and TriG from these directly. May repeat a statement.
    """
    return _Emitter(corpus).emit()


def dataset_of(quads: Iterable[Quad]) -> Dataset:
    """An rdflib dataset holding ``quads``, with our prefixes bound."""
    ds = Dataset()
    _bind(ds)
    graphs: dict[URIRef, Graph] = {}
    for s, p, o, g in quads:
        ctx = graphs.get(g)
        if ctx is None:
            ctx = graphs[g] = ds.graph(g)
        ctx.add((s, p, o))
    return ds


def graph_of(quads: Iterable[Quad]) -> Graph:
    """All of ``quads`` in one rdflib graph, with our prefixes bound: what :func:`union` gives
    for their dataset, without making the dataset first."""
    g = Graph()
    _bind(g)
    add = g.add
    for s, p, o, _ in quads:
        add((s, p, o))
    return g


def emit_graph(corpus: Corpus) -> Dataset:
    """The RDF dataset of a checked corpus: one named graph per source document.

    Bills, organizations and topics go to named graphs of their own (``graph/bill-<id>``,
    ``graph/organizations``, ``graph/topics``); :func:`union` merges everything into one graph.
    """
    return dataset_of(emit_quads(corpus))


def union(ds: Dataset) -> Graph:
    """All triples of a dataset in one graph, with our prefixes bound."""
    g = Graph()
    _bind(g)
    for ctx in ds.graphs():
        for triple in ctx:
            g.add(triple)
    return g
