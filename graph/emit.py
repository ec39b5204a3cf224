"""Emitting RDF: a checked corpus becomes one RDF dataset, a named graph per source document.

:func:`emit_graph` is the only place that decides which triples a corpus record becomes; the
terms come from :mod:`graph.vocab` and are defined in ``ontology/billgraph.ttl``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Container, Iterable, Iterator
from functools import cache

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from .diff import compare
from .model import (
    ATTACK_KINDS,
    Bill,
    BillVersion,
    Corpus,
    Known,
    Provenance,
    QuoteAnchor,
    SourceDocument,
)
from .terms import to_rdflib
from .vocab import BG, ELI, OA, PREFIXES, SCHEMA, Minter

#: The individual of each kind of change a part undergoes between versions (graph.diff).
_CHANGE_KIND = {
    "added": "PartAdded",
    "removed": "PartRemoved",
    "changed": "PartChanged",
    "renumbered": "PartRenumbered",
    "unchanged": "PartUnchanged",
}

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


# --- terms: written as Turtle, once -------------------------------------------------------
#
# The emitter writes each term as the Turtle text that stands for it (``<https://...>``,
# ``bg:premise``, ``"a \\"quoted\\" claim"``, ``2024``-style numbers) and statements as pairs of
# such texts. The build's Turtle and TriG are then joins of these strings, and Oxigraph parses
# the TriG into its store in Rust: on a whole legislature (bench/README.md) making an rdflib or
# pyoxigraph object for every term cost more than the rest of the build.

#: Local names that can follow a prefix as they are (a subset of Turtle's PN_LOCAL).
_PLAIN_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

#: Namespaces written as prefixed names, longest first so the most specific prefix wins.
_BY_NAMESPACE = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


@cache
def _iri(value: str) -> str:
    """The Turtle text of an IRI: a prefixed name for our vocabularies' terms, else <...>."""
    for ns, prefix in _BY_NAMESPACE:
        if value.startswith(ns) and _PLAIN_LOCAL.fullmatch(value[len(ns) :]):
            return f"{prefix}:{value[len(ns) :]}"
    return f"<{value}>"


def _ref(value: str) -> str:
    """The Turtle text of an instance IRI (checked by the loader's schema: no <>"{}|^`\\)."""
    return f"<{value}>"


#: In a "..." literal only the quote, the backslash and line ends must be escaped. The other
#: control characters but tab, which only a source's text brings (the loader refuses them
#: elsewhere; a form feed between a text's pages is common), are escaped too, as N-Triples
#: writes them, for the tools that refuse them raw.
_ESCAPES = str.maketrans(
    {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r"}
    | {chr(c): f"\\u{c:04X}" for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]}
)


def _text(value: str) -> str:
    return f'"{value.translate(_ESCAPES)}"'


def _en(value: str) -> str:
    return f'"{value.translate(_ESCAPES)}"@en'


_DATE_TYPE = {10: "xsd:date", 7: "xsd:gYearMonth", 4: "xsd:gYear"}


def _date(value: str) -> str:
    return f'"{value}"^^{_DATE_TYPE[len(value)]}'


def _count(value: int) -> str:
    """A count or an offset: a Turtle integer, so xsd:integer, zero or more by the shapes.

    xsd:integer is the type Oxigraph and Virtuoso keep (both store an xsd:nonNegativeInteger
    as xsd:integer), so our data comes back from any store as we wrote it.
    """
    return str(int(value))


_TRUE = "true"


class _Terms:
    """Our vocabularies' terms as Turtle text: ``T.BG.premise`` is ``"bg:premise"``.

    Each is made on first use and kept as an attribute, so the emitter's loops read a term
    as fast as a local name.
    """

    def __init__(self, **namespaces: object) -> None:
        for name, ns in namespaces.items():
            setattr(self, name, _NamespaceTerms(ns))


class _NamespaceTerms:
    def __init__(self, ns: object) -> None:
        self._ns = ns

    def __getattr__(self, local: str) -> str:
        if local.startswith("__"):
            raise AttributeError(local)
        term = _iri(str(self._ns[local]))  # type: ignore[index]
        setattr(self, local, term)
        return term

    def __getitem__(self, local: str) -> str:
        return getattr(self, local)


T = _Terms(
    BG=BG, ELI=ELI, OA=OA, SCHEMA=SCHEMA, RDF=RDF, RDFS=RDFS, OWL=OWL, DCTERMS=DCTERMS,
    FOAF=FOAF, ORG=ORG, PROV=PROV, SKOS=SKOS,
)  # fmt: skip
T.RDF.type = "a"  # type: ignore[attr-defined]


class NamedGraph:
    """One named graph's statements, as Turtle text: each subject's together, in the order
    first made, as (predicate, object) pairs.

    Grouping by subject lets the writer put a subject's statements in one block whatever
    order the emitter made them in (a bill's parts are linked from the bill as they come).
    """

    def __init__(self, name: str) -> None:
        self.name = name  # the graph's IRI
        self.subjects: dict[str, list[tuple[str, str]]] = {}

    def add(self, s: str, p: str, o: str) -> None:
        statements = self.subjects.get(s)
        if statements is None:
            statements = self.subjects[s] = []
        statements.append((p, o))

    def __len__(self) -> int:
        return sum(len(set(st)) for st in self.subjects.values())


class _Emitter:
    def __init__(self, corpus: Corpus, known: Known | None = None) -> None:
        self.corpus = corpus
        self.m = Minter(corpus.base)
        self.graphs: list[NamedGraph] = []
        organizations = {o.id for o in corpus.organizations} | (
            known.organizations if known else set()
        )
        people = {p.id for p in corpus.people} | (known.people if known else set())
        self.agents = {a: self.iri(self.m.organization(a)) for a in sorted(organizations)}
        self.agents.update({p: self.iri(self.m.person(p)) for p in sorted(people)})

    iri = staticmethod(_ref)

    def graph(self, iri: str) -> NamedGraph:
        g = NamedGraph(str(iri))
        self.graphs.append(g)
        return g

    def provenance(self, g: NamedGraph, subject: str, prov: Provenance) -> None:
        if prov.source:
            g.add(subject, T.PROV.wasDerivedFrom, self.iri(self.m.source(prov.source)))
        if prov.url:
            g.add(subject, T.DCTERMS.source, self.iri(prov.url))
        if prov.date:
            g.add(subject, T.BG.sourceDate, _date(prov.date))
        if prov.where:
            g.add(subject, T.BG.locationInSource, _text(prov.where))

    def plan(self) -> list[tuple[str, Bill | SourceDocument | str]]:
        """Every named graph to emit, in order: its IRI and what it is made from."""
        m = self.m
        plan: list[tuple[str, Bill | SourceDocument | str]] = [
            (str(m.reference_graph(f"bill-{b.id}")), b) for b in self.corpus.bills
        ]
        plan.append((str(m.reference_graph("organizations")), "organizations"))
        if self.corpus.topics:
            plan.append((str(m.reference_graph("topics")), "topics"))
        plan += [(str(m.source_graph(d.id)), d) for d in self.corpus.sources]
        return plan

    def emit(self, only: Container[str] | None = None) -> Iterator[NamedGraph]:
        """The graphs, each as soon as it is made (and then forgotten here)."""
        for name, made_from in self.plan():
            if only is not None and name not in only:
                continue
            self.graphs.clear()
            if isinstance(made_from, Bill):
                self.bill(made_from)
            elif isinstance(made_from, SourceDocument):
                self.source(made_from)
            elif made_from == "organizations":
                self.agents_graph()
            else:
                self.topics_graph()
            yield from self.graphs

    def bill(self, bill: Bill) -> None:
        m = self.m
        g = self.graph(m.reference_graph(f"bill-{bill.id}"))
        b = self.iri(m.bill(bill.id))
        g.add(b, T.RDF.type, T.ELI.LegalResource)
        g.add(b, T.RDF.type, T.BG.Bill)
        g.add(b, T.RDFS.label, _text(f"{bill.identifier}: {bill.title}"))
        g.add(b, T.ELI.title, _text(bill.title))
        g.add(b, T.DCTERMS.identifier, _text(bill.identifier))
        g.add(b, T.BG.jurisdiction, _text(bill.jurisdiction))
        g.add(b, T.BG.legislativeSession, _text(bill.session))
        if bill.local_id:
            g.add(b, T.ELI.id_local, _text(bill.local_id))
        if bill.url:
            g.add(b, T.SCHEMA.url, self.iri(bill.url))
        for a in bill.authors:
            g.add(b, T.BG.billAuthor, self.agents[a])
        for a in bill.coauthors:
            g.add(b, T.BG.billCoauthor, self.agents[a])
        self.provenance(g, b, bill.provenance)
        for v in bill.versions:
            vi = self.iri(m.version(bill.id, v.id))
            g.add(vi, T.RDF.type, T.ELI.LegalExpression)
            g.add(vi, T.RDF.type, T.BG.BillVersion)
            g.add(vi, T.RDFS.label, _text(f"{bill.identifier}, {v.label}"))
            g.add(vi, T.ELI.realizes, b)
            g.add(b, T.ELI.is_realized_by, vi)
            g.add(vi, T.ELI.version_date, _date(v.date))
            if v.url:
                g.add(vi, T.SCHEMA.url, self.iri(v.url))
            if v.chamber:
                g.add(vi, T.BG.chamber, _text(v.chamber))
            if v.number:
                g.add(vi, T.BG.versionNumber, _text(v.number))
            self.provenance(g, vi, v.provenance)
            self.version_parts(g, bill, v, vi)
        for s in bill.sections:
            si = self.iri(m.section(bill.id, s.citation))
            parent = self.iri(m.section(bill.id, s.parent)) if s.parent else b
            g.add(si, T.RDF.type, T.ELI.LegalResourceSubdivision)
            g.add(si, T.RDF.type, T.BG[camel(s.kind)])
            label = s.citation if not s.heading else f"{s.citation} {s.heading}"
            g.add(si, T.RDFS.label, _text(f"{bill.identifier} {label}"))
            g.add(si, T.BG.citation, _text(s.citation))
            g.add(si, T.ELI.number, _text(s.label))
            g.add(si, T.ELI.is_part_of, parent)
            g.add(parent, T.ELI.has_part, si)
            g.add(si, T.BG.inBill, b)
            if s.heading:
                g.add(si, T.ELI.title, _text(s.heading))
            if s.summary:
                g.add(si, T.DCTERMS.description, _text(s.summary))
        self.changes(g, bill)
        seen: dict[tuple[str, str], int] = {}
        for c in bill.counterparts:
            n = seen[(c.version, c.part)] = seen.get((c.version, c.part), 0) + 1
            ci = self.iri(m.counterpart(bill.id, c.version, c.part, n))
            g.add(ci, T.RDF.type, T.BG.Counterpart)
            g.add(ci, T.RDFS.label, _text(f"{bill.identifier} {c.part} does the job of {c.of}"))
            g.add(ci, T.BG.counterpartPart, self.iri(m.version_part(bill.id, c.version, c.part)))
            g.add(ci, T.BG.counterpartOf, self.iri(c.of))
            if c.note:
                g.add(ci, T.RDFS.comment, _text(c.note))
            self.provenance(g, ci, c.provenance)
        for e in bill.events:
            ei = self.iri(m.event(bill.id, e.id))
            g.add(ei, T.RDF.type, T.BG.LegislativeEvent)
            g.add(ei, T.RDF.type, T.BG[camel(e.kind)])
            g.add(ei, T.RDFS.label, _text(e.label))
            g.add(ei, T.BG.eventDate, _date(e.date))
            g.add(ei, T.BG.concernsBill, b)
            if e.version:
                g.add(ei, T.BG.concernsVersion, self.iri(m.version(bill.id, e.version)))
            if e.body:
                g.add(ei, T.BG.legislativeBody, _text(e.body))
            for prop, value in (
                (T.BG.ayes, e.ayes),
                (T.BG.noes, e.noes),
                (T.BG.notVoting, e.not_voting),
            ):
                if value is not None:
                    g.add(ei, prop, _count(value))
            if e.result:
                g.add(ei, T.BG.result, _text(e.result))
            if e.note:
                g.add(ei, T.RDFS.comment, _text(e.note))
            self.provenance(g, ei, e.provenance)

    def version_parts(self, g: NamedGraph, bill: Bill, v: BillVersion, vi: str) -> None:
        """A version's own tree of parts, each realising a provision of the bill."""
        m = self.m
        for p in v.parts:
            pi = self.iri(m.version_part(bill.id, v.id, p.citation))
            parent = self.iri(m.version_part(bill.id, v.id, p.parent)) if p.parent else vi
            provision = self.iri(m.section(bill.id, p.provision or p.citation))
            g.add(pi, T.RDF.type, T.BG.VersionPart)
            g.add(pi, T.RDFS.label, _text(f"{bill.identifier} {p.citation}, {v.label}"))
            g.add(pi, T.BG.citation, _text(p.citation))
            g.add(pi, T.ELI.number, _text(p.label))
            g.add(pi, T.ELI.is_part_of, parent)
            g.add(parent, T.ELI.has_part, pi)
            g.add(pi, T.BG.inVersion, vi)
            g.add(pi, T.ELI.realizes, provision)
            g.add(provision, T.ELI.is_realized_by, pi)
            if p.heading:
                g.add(pi, T.ELI.title, _text(p.heading))
            g.add(pi, T.BG.partText, _text(p.text or ""))

    def changes(self, g: NamedGraph, bill: Bill) -> None:
        """One change record per provision per amendment: what became of each part between
        each two successive versions that have parts (graph.diff)."""
        m = self.m
        trees = [v for v in bill.versions if v.parts]
        for a, b in zip(trees, trees[1:], strict=False):
            before = {p.citation: p for p in a.parts}
            after = {p.citation: p for p in b.parts}
            pairs = compare(
                [(p.citation, p.text or "") for p in a.parts],
                [(p.citation, p.text or "") for p in b.parts],
            )
            for c in pairs:
                part = after[c.after] if c.after else before[c.before]  # type: ignore[index]
                provision = part.provision or part.citation
                ci = self.iri(m.change(bill.id, a.id, b.id, provision))
                g.add(ci, T.RDF.type, T.BG.PartChange)
                g.add(
                    ci,
                    T.RDFS.label,
                    _text(f"{bill.identifier} {provision}: {c.kind}, {a.label} to {b.label}"),
                )
                g.add(ci, T.BG.changeKind, T.BG[_CHANGE_KIND[c.kind]])
                g.add(ci, T.BG.changedProvision, self.iri(m.section(bill.id, provision)))
                g.add(ci, T.BG.fromVersion, self.iri(m.version(bill.id, a.id)))
                g.add(ci, T.BG.toVersion, self.iri(m.version(bill.id, b.id)))
                if c.before:
                    g.add(ci, T.BG.partBefore, self.iri(m.version_part(bill.id, a.id, c.before)))
                if c.after:
                    g.add(ci, T.BG.partAfter, self.iri(m.version_part(bill.id, b.id, c.after)))
                g.add(ci, T.BG.wordsStruck, _count(c.struck))
                g.add(ci, T.BG.wordsInserted, _count(c.inserted))
                if c.kind in ("changed", "renumbered"):
                    g.add(ci, T.BG.wordDiff, _text(c.diff.marked()))

    def agents_graph(self) -> None:
        g = self.graph(self.m.reference_graph("organizations"))
        for o in self.corpus.organizations:
            oi = self.iri(self.m.organization(o.id))
            g.add(oi, T.RDF.type, T.ORG.Organization)
            if o.kind != "organization":
                g.add(oi, T.RDF.type, T.BG[camel(o.kind)])
            g.add(oi, T.RDFS.label, _text(o.name))
            g.add(oi, T.FOAF.name, _text(o.name))
            if o.url:
                g.add(oi, T.FOAF.homepage, self.iri(o.url))
            if o.description:
                g.add(oi, T.DCTERMS.description, _text(o.description))
            for same in o.same_as:
                g.add(oi, T.OWL.sameAs, self.iri(same))
            self.provenance(g, oi, o.provenance)
        for p in self.corpus.people:
            pi = self.iri(self.m.person(p.id))
            g.add(pi, T.RDF.type, T.FOAF.Person)
            g.add(pi, T.RDFS.label, _text(p.name))
            g.add(pi, T.FOAF.name, _text(p.name))
            if p.role:
                g.add(pi, T.BG.role, _text(p.role))
            if p.url:
                g.add(pi, T.FOAF.homepage, self.iri(p.url))
            for same in p.same_as:
                g.add(pi, T.OWL.sameAs, self.iri(same))
            self.provenance(g, pi, p.provenance)
        for ms in self.corpus.memberships:
            mi = self.iri(self.m.membership(ms.member, ms.organization))
            member, org = self.agents[ms.member], self.agents[ms.organization]
            g.add(mi, T.RDF.type, T.ORG.Membership)
            g.add(mi, T.ORG.member, member)
            g.add(mi, T.ORG.organization, org)
            g.add(member, T.ORG.memberOf, org)
            if ms.role:
                g.add(mi, T.BG.role, _text(ms.role))
            self.provenance(g, mi, ms.provenance)

    def topics_graph(self) -> None:
        if not self.corpus.topics:
            return
        g = self.graph(self.m.reference_graph("topics"))
        scheme = self.iri(self.m.topic_scheme())
        g.add(scheme, T.RDF.type, T.SKOS.ConceptScheme)
        g.add(scheme, T.SKOS.prefLabel, _en(f"Topics of {self.corpus.title}"))
        for t in self.corpus.topics:
            ti = self.iri(self.m.topic(t.id))
            g.add(ti, T.RDF.type, T.SKOS.Concept)
            g.add(ti, T.SKOS.inScheme, scheme)
            g.add(ti, T.SKOS.prefLabel, _en(t.label))
            g.add(ti, T.RDFS.label, _text(t.label))
            g.add(ti, T.SKOS.definition, _en(t.definition))
            for same in t.exact_match:
                g.add(ti, T.SKOS.exactMatch, self.iri(same))
            if t.broader:
                g.add(ti, T.SKOS.broader, self.iri(self.m.topic(t.broader)))
            else:
                g.add(scheme, T.SKOS.hasTopConcept, ti)
                g.add(ti, T.SKOS.topConceptOf, scheme)

    def source(self, doc: SourceDocument) -> None:
        m = self.m
        g = self.graph(m.source_graph(doc.id))
        d = self.iri(m.source(doc.id))
        g.add(d, T.RDF.type, T.BG.SourceDocument)
        g.add(d, T.RDF.type, T.BG[camel(doc.kind)])
        g.add(d, T.RDFS.label, _text(doc.title))
        g.add(d, T.DCTERMS.title, _text(doc.title))
        for a in doc.authors:
            g.add(d, T.DCTERMS.creator, self.agents[a])
        if doc.bill:
            g.add(d, T.BG.onBill, self.iri(m.bill(doc.bill)))
        if doc.stance:
            g.add(d, T.BG.stance, _iri(stance_iri(doc.stance)))
        if doc.draft:  # built with --drafts: not reviewed, and the map says so
            g.add(d, T.SCHEMA.creativeWorkStatus, _text("draft"))
        if doc.date:
            g.add(d, T.DCTERMS.date, _date(doc.date))
        if doc.url:
            g.add(d, T.SCHEMA.url, self.iri(doc.url))
        if doc.publisher:
            g.add(d, T.DCTERMS.publisher, _text(doc.publisher))
        if doc.note:
            g.add(d, T.RDFS.comment, _text(doc.note))
        if doc.text is not None:
            digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
            g.add(d, T.BG.textSha256, _text(digest))
            g.add(d, T.BG.textLength, _count(len(doc.text)))
        if doc.official_text:
            g.add(d, T.BG.officialText, self.iri(doc.official_text))
        if doc.in_print:
            g.add(d, T.BG.versionInPrint, self.iri(m.version(doc.bill, doc.in_print)))
        for cl in doc.claims:
            ci = self.iri(m.claim(doc.id, cl.id))
            g.add(ci, T.RDF.type, T.BG.Claim)
            g.add(ci, T.RDFS.label, _text(cl.statement))
            g.add(ci, T.BG.assertedIn, d)
            for a in cl.by or doc.authors:
                g.add(ci, T.BG.assertedBy, self.agents[a])
            if cl.quote is not None:
                g.add(ci, T.BG.quote, _text(cl.quote))
            if cl.paraphrase:
                g.add(ci, T.BG.isParaphrase, _TRUE)
            if cl.where:
                g.add(ci, T.BG.locationInSource, _text(cl.where))
            for citation in cl.sections:
                g.add(ci, T.BG.concerns, self.iri(m.section(doc.bill, citation)))
            if cl.whole_bill or not cl.sections:
                g.add(ci, T.BG.concerns, self.iri(m.bill(doc.bill)))
            if cl.version:
                g.add(ci, T.BG.readsVersion, self.iri(m.version(doc.bill, cl.version)))
            for version, citation in cl.parts:
                g.add(ci, T.BG.concernsPart, self.iri(m.version_part(doc.bill, version, citation)))
            for t in cl.topics:
                g.add(ci, T.DCTERMS.subject, self.iri(m.topic(t)))
            if cl.anchor is not None:
                self.anchor(g, doc.id, cl.id, cl.anchor, ci, d)
        for p in doc.positions:
            pi = self.iri(m.position(doc.id, p.agent))
            g.add(pi, T.RDF.type, T.BG.Position)
            g.add(pi, T.RDFS.label, _text(f"{p.stance.replace('-', ' ')}, as {doc.title} records"))
            g.add(pi, T.BG.positionOf, self.agents[p.agent])
            g.add(pi, T.BG.stance, _iri(stance_iri(p.stance)))
            g.add(pi, T.BG.recordedIn, d)
            if doc.bill:
                g.add(pi, T.BG.onBill, self.iri(m.bill(doc.bill)))
            if p.version:
                g.add(pi, T.BG.onVersion, self.iri(m.version(doc.bill, p.version)))
            if doc.date:
                g.add(pi, T.DCTERMS.date, _date(doc.date))
            if p.role:
                g.add(pi, T.BG.role, _text(p.role))
            if p.where:
                g.add(pi, T.BG.locationInSource, _text(p.where))
            if p.note:
                g.add(pi, T.RDFS.comment, _text(p.note))
        for r in doc.relations:
            ri = self.iri(m.relation(doc.id, r.id))
            g.add(ri, T.RDF.type, _iri(RELATION_CLASS[r.kind]))
            if r.kind in ATTACK_KINDS:
                g.add(ri, T.RDF.type, T.BG.Attack)
            g.add(ri, T.BG.assertedIn, d)
            for p in r.premises:
                src, cid = p.split("/", 1)
                g.add(ri, T.BG.premise, self.iri(m.claim(src, cid)))
            src, target = r.conclusion.split("/", 1)
            target_iri = (
                self.iri(m.relation(src, target))
                if r.kind == "undercuts"
                else self.iri(m.claim(src, target))
            )
            g.add(ri, T.BG.conclusion, target_iri)
            if r.note:
                g.add(ri, T.RDFS.comment, _text(r.note))

    def anchor(
        self,
        g: NamedGraph,
        doc_id: str,
        cid: str,
        a: QuoteAnchor,
        ci: str,
        d: str,
    ) -> None:
        """The claim's quote as a Web Annotation specific resource with two selectors."""
        m = self.m
        ai = self.iri(m.anchor(doc_id, cid))
        quote_sel = self.iri(m.selector(doc_id, cid, "quote"))
        pos_sel = self.iri(m.selector(doc_id, cid, "position"))
        g.add(ci, T.BG.hasAnchor, ai)
        g.add(ai, T.RDF.type, T.OA.SpecificResource)
        g.add(ai, T.OA.hasSource, d)
        g.add(ai, T.OA.hasSelector, quote_sel)
        g.add(ai, T.OA.hasSelector, pos_sel)
        g.add(quote_sel, T.RDF.type, T.OA.TextQuoteSelector)
        g.add(quote_sel, T.OA.exact, _text(a.exact))
        g.add(quote_sel, T.OA.prefix, _text(a.prefix))
        g.add(quote_sel, T.OA.suffix, _text(a.suffix))
        g.add(pos_sel, T.RDF.type, T.OA.TextPositionSelector)
        g.add(pos_sel, T.OA.start, _count(a.start))
        g.add(pos_sel, T.OA.end, _count(a.end))


def graph_plan(corpus: Corpus) -> list[tuple[str, Bill | SourceDocument | str]]:
    """The named graphs a corpus makes, in the order :func:`emit_graphs` gives them: each
    graph's IRI and the record it is made from (a bill, a source document, or the word
    "organizations" or "topics" for those graphs)."""
    return _Emitter(corpus).plan()


def emit_graphs(corpus: Corpus, only: Container[str] | None = None) -> list[NamedGraph]:
    """Every statement of a checked corpus, as Turtle text, one :class:`NamedGraph` each for
    the bills, the organizations, the topics and every source document.

    Graphs come in corpus order (bills, organizations, topics, then the source documents as
    their files sort); within a graph, each subject's statements are together, in the order
    the records make them. :func:`trig_of` and :func:`turtle_of` write them in that order.
    With ``only`` (graph IRIs), just those graphs: what a rebuild needs for what changed.
    """
    return list(each_graph(corpus, only))


def each_graph(
    corpus: Corpus, only: Container[str] | None = None, known: Known | None = None
) -> Iterator[NamedGraph]:
    """The graphs of :func:`emit_graphs` one at a time, each made when asked for: a large
    corpus's statements need not all be held at once. With ``known``, of documents loaded
    alone (:func:`graph.load.load_documents`): the agents the rest of the corpus defines."""
    return _Emitter(corpus, known).emit(only)


#: Our prefixes, declared at the top of every Turtle and TriG file we write.
PREFIX_LINES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())


def _blocks(graph: NamedGraph, indent: str) -> Iterable[str]:
    """One graph's statements, a block per subject, a blank line between blocks; a run of
    objects of one predicate is written once, with "," (``a eli:LegalResource, bg:Bill``)."""
    more = f" ;\n{indent}\t"
    again = f" ,\n{indent}\t\t"
    for s, statements in graph.subjects.items():
        parts = [indent, s, " "]
        last = None
        for p, o in dict.fromkeys(statements):
            if p == last:
                parts += [again, o]
            else:
                parts += [more, p, " ", o] if last is not None else [p, " ", o]
                last = p
        parts.append(" .\n\n")
        yield "".join(parts)


def trig_block(graph: NamedGraph) -> str:
    """One graph's part of a TriG file: ``<graph> { ... }``."""
    return "".join([f"<{graph.name}> {{\n", *_blocks(graph, "\t"), "}\n\n"])


def turtle_block(graph: NamedGraph) -> str:
    """One graph's part of a Turtle file: its statements, a block per subject."""
    return "".join(_blocks(graph, ""))


def turtle_of_trig_block(block: str) -> str:
    r"""The :func:`turtle_block` of a graph, from its :func:`trig_block`: the same statements
    one tab further left. No literal we write holds a line break (``\n`` stands for one),
    so every line break followed by a tab is our indentation.

    >>> g = NamedGraph("https://example.org/g")
    >>> g.add("<https://example.org/a>", "rdfs:label", '"A\\n\tB"')  # backslash-n, a tab
    >>> g.add("<https://example.org/a>", "rdfs:comment", '"C"')
    >>> turtle_of_trig_block(trig_block(g)) == turtle_block(g)
    True
    """
    body = block[block.index("{\n") + 2 : -3]  # from after "<graph> {\n" to before "}\n\n"
    return body[1:].replace("\n\t", "\n") if body else ""


def document(blocks: Iterable[str]) -> str:
    """A Turtle or TriG file of blocks (:func:`trig_block`, :func:`turtle_block`): our
    prefixes, then the blocks in the order given."""
    return "".join([PREFIX_LINES, "\n", *blocks]).rstrip("\n") + "\n"


def trig_of(graphs: Iterable[NamedGraph]) -> str:
    """TriG of emitted graphs: each a ``<graph> { ... }`` block, in the order given."""
    return document(trig_block(g) for g in graphs)


def turtle_of(graphs: Iterable[NamedGraph]) -> str:
    """Turtle of emitted graphs: all their statements, graph after graph, in the order given
    (no triple is in two graphs: each subject's statements are made in one)."""
    return document(turtle_block(g) for g in graphs)


def emit_quads(corpus: Corpus) -> list[ox.Quad]:
    """Every statement of a checked corpus as pyoxigraph quads, graph by graph."""
    trig = trig_of(emit_graphs(corpus)).encode("utf-8")
    return list(ox.parse(trig, format=ox.RdfFormat.TRIG))


def dataset_of(quads: Iterable[ox.Quad]) -> Dataset:
    """An rdflib dataset holding pyoxigraph ``quads``, with our prefixes bound."""
    ds = Dataset()
    _bind(ds)
    graphs: dict[ox.NamedNode, Graph] = {}
    terms: dict[ox.Term, Node] = {}

    def term(t: ox.Term) -> Node:
        found = terms.get(t)
        if found is None:
            found = terms[t] = to_rdflib(t)
        return found

    for q in quads:
        ctx = graphs.get(q.graph_name)
        if ctx is None:
            ctx = graphs[q.graph_name] = ds.graph(URIRef(q.graph_name.value))
        ctx.add((term(q.subject), term(q.predicate), term(q.object)))
    return ds


def emit_graph(corpus: Corpus) -> Dataset:
    """The RDF dataset of a checked corpus as rdflib's: one named graph per source document.

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
