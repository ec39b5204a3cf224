"""The kinds of node and edge in the debate graph, with how each is drawn: one home for them.

The NetworkX view classifies RDF resources with :data:`NODE_KINDS`; the HTML map and the
legend take colours and shapes from here, so a kind is named and coloured in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import FOAF, ORG, SKOS

from .vocab import BG, ELI

#: Icons of the kinds a shape alone does not tell apart (a person from an organization, a
#: version of the bill from one of its sections): SVG drawn on the map's canvas (as a data:
#: image) and in its legend (inline), the same picture in both.
PERSON_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
    '<circle cx="20" cy="20" r="18.5" fill="#f3e5f5" stroke="#8e24aa" stroke-width="2.5"/>'
    '<circle cx="20" cy="15" r="6.5" fill="#8e24aa"/>'
    '<path d="M8.5 32.5c1.6-7 6.2-10.2 11.5-10.2s9.9 3.2 11.5 10.2z" fill="#8e24aa"/></svg>'
)
ORGANIZATION_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
    '<rect x="1.5" y="1.5" width="37" height="37" rx="5" fill="#e8eaf6" stroke="#3949ab"'
    ' stroke-width="2.5"/>'
    '<path d="M11 32V9h12v23M23 16h7v16M7.5 32h25" fill="none" stroke="#3949ab"'
    ' stroke-width="2.5"/>'
    '<path d="M14.5 14h2.5m2 0h1.5M14.5 19h2.5m2 0h1.5M14.5 24h2.5m2 0h1.5M26 21h1.5M26 26h1.5"'
    ' stroke="#3949ab" stroke-width="2.2"/></svg>'
)
VERSION_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
    '<path d="M8 2h16l9 9v27H8z" fill="#fff8e1" stroke="#e65100" stroke-width="2.5"'
    ' stroke-linejoin="round"/>'
    '<path d="M24 2v9h9" fill="none" stroke="#e65100" stroke-width="2.5"'
    ' stroke-linejoin="round"/>'
    '<path d="M13 18h15M13 23.5h15M13 29h10" stroke="#e65100" stroke-width="2.5"/></svg>'
)


@dataclass(frozen=True)
class NodeKind:
    name: str  # as used in the NetworkX view and the HTML filters
    rdf_class: URIRef
    label: str  # for legends
    color: str
    shape: str  # a vis-network shape ("image": drawn as ``icon``)
    icon: str | None = None  # SVG, for the kinds drawn as an icon


#: Checked in order: the first class a resource has decides its kind.
NODE_KINDS: tuple[NodeKind, ...] = (
    NodeKind("claim", BG.Claim, "Claim", "#f5f5f5", "box"),
    NodeKind("support", BG.Support, "Support (relation)", "#2e7d32", "triangle"),
    NodeKind("rebuttal", BG.Rebuttal, "Rebuttal (attack)", "#c62828", "triangleDown"),
    NodeKind("undercut", BG.Undercut, "Undercut (attack)", "#ad1457", "triangleDown"),
    NodeKind("undermining", BG.Undermining, "Undermining (attack)", "#e65100", "triangleDown"),
    NodeKind("source", BG.SourceDocument, "Source document", "#90caf9", "square"),
    NodeKind("person", FOAF.Person, "Person", "#ce93d8", "image", PERSON_ICON),
    NodeKind(
        "organization", ORG.Organization, "Organization", "#9fa8da", "image", ORGANIZATION_ICON
    ),
    NodeKind("version", BG.BillVersion, "Bill version", "#ffe082", "image", VERSION_ICON),
    NodeKind("section", ELI.LegalResourceSubdivision, "Bill section", "#fff59d", "hexagon"),
    NodeKind("bill", BG.Bill, "Bill", "#fbc02d", "star"),
    NodeKind("event", BG.LegislativeEvent, "Legislative event", "#80cbc4", "diamond"),
    NodeKind("topic", SKOS.Concept, "Topic", "#bcaaa4", "ellipse"),
)

KIND_BY_NAME = {k.name: k for k in NODE_KINDS}

#: Relation kinds (argument relation nodes in the AIF style).
RELATION_NODE_KINDS = ("support", "rebuttal", "undercut", "undermining")

#: Colours of stances, for documents and organizations.
STANCE_COLORS = {
    "support": "#2e7d32",
    "support-if-amended": "#9e9d24",
    "concerns": "#f9a825",
    "neutral": "#757575",
    "oppose-unless-amended": "#ef6c00",
    "oppose": "#c62828",
    "veto": "#6a1b9a",
}

FOR, AGAINST, MIXED = "for", "against", "mixed"

#: The side a document's stance puts it and its claims on: ``support`` is for; ``oppose``,
#: ``oppose-unless-amended`` and ``veto`` are against; the conditional and neutral stances are
#: mixed, since they argue neither simply for nor against. A document without a stance (a
#: report, the bill's own text) is on no side.
STANCE_SIDE = {
    "support": FOR,
    "oppose": AGAINST,
    "oppose-unless-amended": AGAINST,
    "veto": AGAINST,
    "support-if-amended": MIXED,
    "concerns": MIXED,
    "neutral": MIXED,
}

#: Argument relation node kinds as the relation a map draws from premise to conclusion.
RELATION_EDGE_KIND = {
    "support": "supports",
    "rebuttal": "rebuts",
    "undercut": "undercuts",
    "undermining": "undermines",
}


@dataclass(frozen=True)
class EdgeKind:
    name: str  # as used in the HTML map's data and filters
    label: str  # for legends
    color: str
    width: float
    dashes: tuple[int, ...] = ()  # a vis-network dash pattern; () draws a solid line
    arrow: bool = True
    shown: bool = True  # drawn when the map opens; the others appear with a click or a filter


#: How the map draws each kind of link: the argument relations bold and coloured, the links
#: that only place a claim (its author, its section) thin. Links that every claim has (its
#: document, its topics, the whole bill) would bury the arguments under lines, so they are
#: drawn when a node is selected or their filter is ticked.
EDGE_KINDS: tuple[EdgeKind, ...] = (
    EdgeKind("supports", "supports", "#2e7d32", 3.0),
    EdgeKind("rebuts", "rebuts (attacks the conclusion)", "#c62828", 3.0),
    EdgeKind("undercuts", "undercuts (attacks the inference)", "#ad1457", 3.0, (8, 5)),
    EdgeKind("undermines", "undermines (attacks a premise)", "#e65100", 3.0, (2, 4)),
    EdgeKind("about", "about a bill section", "#8d6e00", 1.2, (6, 4), arrow=False),
    EdgeKind("authored", "authored", "#5c6bc0", 1.2, (), arrow=False),
    EdgeKind("member-of", "member of", "#7e57c2", 1.2, (), arrow=True),
    EdgeKind("about-bill", "about the whole bill", "#bdbdbd", 1.0, (6, 4), False, False),
    EdgeKind("topic", "filed under topic", "#a1887f", 1.0, (2, 3), False, False),
    EdgeKind("in-document", "made in document", "#bdbdbd", 1.0, (), False, False),
    EdgeKind("part-of", "part of the bill, its history", "#d4b106", 1.0, (), False, False),
    EdgeKind("other", "other link", "#bdbdbd", 1.0, (), False, False),
)

EDGE_KIND_BY_NAME = {k.name: k for k in EDGE_KINDS}

#: Which edge of the NetworkX view is drawn as which edge kind (premise and conclusion edges
#: are folded into the argument relations above; ``concerns`` the whole bill is "about-bill").
EDGE_KIND_OF = {
    "concerns": "about",
    "topic": "topic",
    "concernsBill": "part-of",
    "concernsVersion": "part-of",
    "memberOf": "member-of",
    "assertedBy": "authored",
    "author": "authored",
    "billAuthor": "authored",
    "billCoauthor": "authored",
    "assertedIn": "in-document",
    "partOf": "part-of",
    "versionOf": "part-of",
    "onBill": "part-of",
    "broader": "topic",
}
