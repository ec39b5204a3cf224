"""Namespaces and IRI minting: the one home for every IRI the tool writes.

Every other module takes its terms from here (``BG.Claim``, ``ELI.is_part_of``) and asks
:class:`Minter` for the IRI of a corpus thing, so an IRI is spelled once and the same corpus
always gives the same IRIs.

>>> m = Minter("https://example.org/corpus/demo/")
>>> str(m.claim("ai-alliance-opposition", "open-source-is-more-secure"))
'https://example.org/corpus/demo/claim/ai-alliance-opposition/open-source-is-more-secure'
>>> str(m.section("sb1047", "22603(a)(2)"))
'https://example.org/corpus/demo/bill/sb1047/section/22603-a-2'
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

#: Our own ontology (see ``ontology/billgraph.ttl``).
BG = Namespace("https://w3id.org/billgraph/ontology#")
#: The Argument Interchange Format, in its AIF-RDF/OWL namespace (see ``ontology/README.md``).
AIF = Namespace("http://www.arg.dundee.ac.uk/aif#")
#: European Legislation Identifier ontology.
ELI = Namespace("http://data.europa.eu/eli/ontology#")
#: schema.org, in its https form.
SCHEMA = Namespace("https://schema.org/")
#: W3C Web Annotation vocabulary.
OA = Namespace("http://www.w3.org/ns/oa#")
#: SHACL.
SH = Namespace("http://www.w3.org/ns/shacl#")
#: SPARQL 1.1 Service Description (the endpoint describes itself with it; see graph/serve.py).
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

#: The base of the SB 1047 corpus and the default for new corpora that name none.
DEFAULT_BASE = "https://w3id.org/billgraph/corpus/"

#: Prefixes bound in every graph we write, in the order they appear in Turtle.
PREFIXES: dict[str, Namespace] = {
    "bg": BG,
    "aif": AIF,
    "eli": ELI,
    "schema": SCHEMA,
    "oa": OA,
    "org": ORG,
    "foaf": FOAF,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
}

#: Words, and numbers with their inner dots kept ("11547.6.1" is not "11547.6(1)").
_SLUG_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)*|[a-z]+|[0-9]+")


def slug(text: str) -> str:
    """Turn an identifier or a citation into the lowercase, hyphenated form used in IRIs.

    >>> slug("SEC. 2(d)")
    'sec-2-d'
    >>> slug("22603(a)(2)")
    '22603-a-2'
    >>> slug("11547.6.1"), slug("11547.6(1)")
    ('11547.6.1', '11547.6-1')
    """
    return "-".join(_SLUG_TOKEN.findall(text.lower()))


def id_of(text: str) -> str:
    """An id a corpus file may use (``^[a-z0-9]+(-[a-z0-9]+)*$``) made of any words: their
    letters and digits, lowercase, hyphen-joined, as :func:`slug` but with no dots.

    >>> id_of("2025-09-10-assembly-pcp-cmte-rule-77.2-on-09-05-text")
    '2025-09-10-assembly-pcp-cmte-rule-77-2-on-09-05-text'
    """
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


#: The kinds of IRI minted under a source document, whose statements are in its graph.
_IN_SOURCE_GRAPH = ("source", "claim", "relation", "position", "locution", "participant", "edge")


class Minter:
    """Mints the IRI of every corpus thing from its identifiers under one base IRI."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def _iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(parts))

    def source(self, source_id: str) -> URIRef:
        return self._iri("source", source_id)

    def source_graph(self, source_id: str) -> URIRef:
        """The named graph that holds what one source document says."""
        return self._iri("graph", "source", source_id)

    def reference_graph(self, name: str) -> URIRef:
        """A named graph for corpus-wide facts: ``bill-<id>``, ``organizations``, ``topics``."""
        return self._iri("graph", name)

    def claim(self, source_id: str, claim_id: str) -> URIRef:
        return self._iri("claim", source_id, claim_id)

    def anchor(self, source_id: str, claim_id: str) -> URIRef:
        return self._iri("claim", source_id, claim_id, "anchor")

    def selector(self, source_id: str, claim_id: str, kind: str) -> URIRef:
        return self._iri("claim", source_id, claim_id, "anchor", kind)

    def relation(self, source_id: str, relation_id: str) -> URIRef:
        return self._iri("relation", source_id, relation_id)

    def locution(self, source_id: str, locution_id: str) -> URIRef:
        """A locution (an AIF L-node): who said what, in words as spoken, in a dialogue."""
        return self._iri("locution", source_id, locution_id)

    def participant(self, source_id: str, participant_id: str) -> URIRef:
        """A participant of the dialogue an AIF map records: a person who said something in it.

        Minted under the map (not as a corpus ``person``), since AIF numbers a map's
        participants afresh: participant 1 of one map is nobody in particular in another.
        """
        return self._iri("participant", source_id, participant_id)

    def edge(self, source_id: str, edge_id: str) -> URIRef:
        """An edge of an AIF map, as the statement it makes, so the map's edge id is kept."""
        return self._iri("edge", source_id, edge_id)

    def position(self, source_id: str, agent_id: str) -> URIRef:
        """The position of an organization or person that a source document records."""
        return self._iri("position", source_id, agent_id)

    def organization(self, org_id: str) -> URIRef:
        return self._iri("org", org_id)

    def person(self, person_id: str) -> URIRef:
        return self._iri("person", person_id)

    def membership(self, member_id: str, org_id: str) -> URIRef:
        return self._iri("membership", member_id, org_id)

    def bill(self, bill_id: str) -> URIRef:
        return self._iri("bill", bill_id)

    def version(self, bill_id: str, version_id: str) -> URIRef:
        return self._iri("bill", bill_id, "version", version_id)

    def section(self, bill_id: str, citation: str) -> URIRef:
        return self._iri("bill", bill_id, "section", slug(citation))

    def version_part(self, bill_id: str, version_id: str, citation: str) -> URIRef:
        """A part of one version's text: ``22757.12(a)`` as the July 2025 version words it."""
        return self._iri("bill", bill_id, "version", version_id, "part", slug(citation))

    def change(self, bill_id: str, before: str, after: str, provision: str) -> URIRef:
        """What became of one provision between two versions."""
        return self._iri("bill", bill_id, "change", f"{before}--{after}", slug(provision))

    def counterpart(self, bill_id: str, version_id: str, citation: str, n: int) -> URIRef:
        """That a part of a version does the job of another bill's provision (its ``n``-th
        such record, from 1)."""
        return self._iri("bill", bill_id, "counterpart", version_id, slug(citation), str(n))

    def event(self, bill_id: str, event_id: str) -> URIRef:
        return self._iri("bill", bill_id, "event", event_id)

    def topic_scheme(self) -> URIRef:
        return self._iri("topics")

    def topic(self, topic_id: str) -> URIRef:
        return self._iri("topic", topic_id)

    def home_graph(self, iri: str) -> str | None:
        """The named graph a build states what it says of ``iri`` in (each subject's
        statements are in one graph), or None for an IRI this minter did not mint.

        >>> m = Minter("https://example.org/c/")
        >>> m.home_graph("https://example.org/c/claim/letter/costly/anchor")
        'https://example.org/c/graph/source/letter'
        >>> m.home_graph("https://example.org/c/bill/ab1/section/sec-1")
        'https://example.org/c/graph/bill-ab1'
        """
        if not iri.startswith(self.base):
            return None
        kind, _, rest = iri[len(self.base) :].partition("/")
        first = rest.split("/", 1)[0]
        if kind in _IN_SOURCE_GRAPH and first:
            return str(self.source_graph(first))
        if kind == "bill" and first:
            return str(self.reference_graph(f"bill-{first}"))
        if kind in ("org", "person", "membership"):
            return str(self.reference_graph("organizations"))
        if kind in ("topic", "topics"):
            return str(self.reference_graph("topics"))
        return None
