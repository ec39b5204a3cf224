"""Typed records of a corpus: what the loader gives and the emitter turns into RDF.

Each record keeps the file and place it came from (:class:`Origin`), so every later stage can
say where a problem lies in words a corpus author can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .lines import line_at

#: Stances a source document can take on a bill.
STANCES = (
    "support",
    "oppose",
    "support-if-amended",
    "oppose-unless-amended",
    "neutral",
    "concerns",
    "veto",
)

#: Kinds of source document.
DOCUMENT_KINDS = (
    "statement",
    "letter",
    "open-letter",
    "testimony",
    "committee-analysis",
    "floor-analysis",
    "veto-message",
    "op-ed",
    "press-release",
    "bill-text",
    "podcast",
    "interview",
    "blog-post",
    "web-page",
    "news-report",
)

#: Argument relations: support, and the three kinds of attack.
RELATION_KINDS = ("supports", "rebuts", "undercuts", "undermines")
ATTACK_KINDS = ("rebuts", "undercuts", "undermines")

#: Kinds of legislative event.
EVENT_KINDS = (
    "introduction",
    "referral",
    "amendment",
    "committee-vote",
    "floor-vote",
    "concurrence-vote",
    "enrollment",
    "presentation",
    "veto",
    "approval",
    "chaptered",
    "other",
)

#: Characters no text of a corpus may hold: the control characters but tab, line feed and
#: carriage return; DEL; and what no RDF or XML text can carry (a lone surrogate, U+FFFE,
#: U+FFFF). The YAML parser refuses them as they stand in a file; these are the ones that
#: escapes in double quotes make ("\x01", "\u0007"), and the ones a version's text or a bill
#: file (an HTML page's ESC as it stands, XML's DEL) could hold.
FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

#: The longest citation of a part, in characters. A part's citation is its parent's and its
#: own label ("22757.11(g)(1)(A)(i)(II)", 24 characters; the longest in SB 53, SB 1047 and the
#: USLM bills is 65), so a long one is copied into every part below it: without a bound, a
#: number of 100,000 digits over 2,000 parts is 200 MB of citations from 0.3 MB of input.
MAX_CITATION = 300


def citation_problem(citation: str) -> str | None:
    """What is wrong with a citation too long to be one (:data:`MAX_CITATION`), else None."""
    if len(citation) <= MAX_CITATION:
        return None
    return (
        f"part {citation[:40] + '...'!r} has a citation of {len(citation):,} characters; a "
        f"citation is at most {MAX_CITATION}: its label, or a label above it, is no label"
    )


#: Kinds of node in a bill's structure, outermost first: California's (a bill section, the
#: code sections it adds, their subdivisions (a), paragraphs (1), subparagraphs (A) and
#: clauses (i)) and the US Code's levels that USLM names (division to subitem).
SECTION_KINDS = (
    "bill-section",
    "code-section",
    "division",
    "title",
    "subtitle",
    "part",
    "subpart",
    "chapter",
    "subchapter",
    "section",
    "subsection",
    "subdivision",
    "paragraph",
    "subparagraph",
    "clause",
    "subclause",
    "item",
    "subitem",
)

#: The kind a bill part has when the corpus does not say, by the kind of its parent.
CHILD_KIND: dict[str | None, str] = {
    None: "bill-section",
    "bill-section": "subdivision",
    "code-section": "subdivision",
    "subdivision": "paragraph",
    "paragraph": "subparagraph",
    "subparagraph": "clause",
    "clause": "clause",
    "section": "subsection",
    "subsection": "paragraph",
    "subclause": "item",
    "item": "subitem",
    "subitem": "subitem",
    "division": "title",
    "title": "subtitle",
    "subtitle": "part",
    "part": "subpart",
    "subpart": "chapter",
    "chapter": "subchapter",
    "subchapter": "section",
}

ORGANIZATION_KINDS = (
    "organization",
    "company",
    "coalition",
    "nonprofit",
    "trade-association",
    "government-body",
    "legislative-committee",
    "university",
    "community",
)


@dataclass(frozen=True)
class Origin:
    """Where a record stands in the corpus: a file, and the record's place in its data.

    ``at`` is the path of keys and list indexes to the record, ``("claims", 3)``; its line
    is found in the file only when a message asks for it (:mod:`graph.lines`).
    """

    file: Path
    at: tuple[str | int, ...] = ()

    @property
    def line(self) -> int:
        """The 1-based line where the record starts in its file."""
        return line_at(self.file, self.at)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Provenance:
    """Where a fact comes from: a source document of the corpus, or a URL with a date."""

    source: str | None = None  # id of a source document in the corpus
    url: str | None = None
    date: str | None = None
    where: str | None = None  # where in the document, in words: "paragraph 3", "p. 1"


@dataclass
class QuoteAnchor:
    """Where a claim's verbatim quote stands in its source's text (Web Annotation selectors)."""

    exact: str  # the text as it stands in the source, between start and end
    start: int
    end: int
    prefix: str
    suffix: str


@dataclass
class Claim:
    id: str
    source_id: str
    statement: str
    origin: Origin
    quote: str | None = None
    paraphrase: bool = False
    where: str | None = None
    sections: list[str] = field(default_factory=list)  # citations, e.g. "22603(a)(2)"
    whole_bill: bool = False
    version: str | None = None  # the bill version whose text it is about, where it names one
    #: The parts of versions the claim cites, as (version id, citation), where the bill has
    #: versions with parts (``sections`` then holds the provisions they realise).
    parts: list[tuple[str, str]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    by: list[str] = field(default_factory=list)  # organization/person ids asserting it
    anchor: QuoteAnchor | None = None

    @property
    def key(self) -> str:
        return f"{self.source_id}/{self.id}"


@dataclass
class Relation:
    """A support or attack: premises lead to (or attack) one conclusion.

    The conclusion is a claim key or, for an undercut, the key of another relation.
    """

    id: str
    source_id: str
    kind: str
    premises: list[str]
    conclusion: str
    origin: Origin
    note: str | None = None

    @property
    def key(self) -> str:
        return f"{self.source_id}/{self.id}"


@dataclass
class Position:
    """An organization's or person's stance on a bill at a stage, as a document records it:
    a committee analysis's registered support and opposition, say. (A document's own stance
    is its authors' position, and needs no record of this kind.)"""

    agent: str  # organization or person id
    stance: str
    source_id: str  # the document that records it
    origin: Origin
    role: str | None = None  # sponsor, co-sponsor
    version: str | None = None  # the bill version it is on; the document's version in print
    where: str | None = None  # where in the document: "registered support"
    note: str | None = None


@dataclass
class SourceDocument:
    id: str
    title: str
    kind: str
    authors: list[str]
    bill: str
    origin: Origin
    stance: str | None = None
    date: str | None = None
    url: str | None = None
    publisher: str | None = None
    text_path: Path | None = None
    text_sha256: str | None = None  # of the text file's bytes
    text_stat: tuple[int, int] | None = None  # its size and mtime_ns when it was read
    text: str | None = None
    text_begins_after: str | None = None  # a marker ending a header that is not the document's
    official_text: str | None = None  # URL of an official text the tests check quotes against
    note: str | None = None
    draft: bool = False  # written by `draft`, not yet reviewed (built only with --drafts)
    in_print: str | None = None  # the id of the bill's version in print on the document's date
    version: str | None = None  # the version it reads, where it says (an analysis's)
    claims: list[Claim] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)  # of others, that it records


@dataclass
class Organization:
    id: str
    name: str
    kind: str
    origin: Origin
    provenance: Provenance
    url: str | None = None
    description: str | None = None
    same_as: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # other names, acronyms (for `draft`)


@dataclass
class Person:
    id: str
    name: str
    origin: Origin
    provenance: Provenance
    role: str | None = None
    url: str | None = None
    same_as: list[str] = field(default_factory=list)


@dataclass
class Membership:
    member: str
    organization: str
    origin: Origin
    provenance: Provenance
    role: str | None = None


@dataclass
class BillSection:
    citation: str  # e.g. "SEC. 2", "22603", "22603(a)(2)"
    kind: str
    label: str  # as it stands in the text: "SEC. 2.", "22603.", "(a)"
    origin: Origin
    parent: str | None = None  # citation of the parent; None for a top-level bill section
    heading: str | None = None
    summary: str | None = None
    text: str | None = None  # a version's part: its own words, as the version's text holds them
    provision: str | None = None  # a version's part: the citation of the provision it realises


@dataclass
class Warning_:
    """Something in a corpus worth telling its author that does not stop a build."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: warning: {self.message}"


@dataclass
class BillVersion:
    id: str
    label: str
    date: str
    origin: Origin
    provenance: Provenance
    url: str | None = None
    chamber: str | None = None
    number: str | None = None  # the legislature's own number for the version
    text_path: Path | None = None  # the version's text: one line per part, in the parts' order
    #: The version's own tree of parts (citation as of this version), in document order; empty
    #: when the bill file gives the version no tree.
    parts: list[BillSection] = field(default_factory=list)


@dataclass
class LegislativeEvent:
    id: str
    kind: str
    date: str
    label: str
    origin: Origin
    provenance: Provenance
    version: str | None = None
    body: str | None = None
    ayes: int | None = None
    noes: int | None = None
    not_voting: int | None = None
    result: str | None = None
    note: str | None = None


@dataclass
class Counterpart:
    """A part of one of the bill's versions that does the job a provision of another bill
    did (SB 53's CalCompute section and SB 1047's), as a source says."""

    version: str
    part: str  # the part's citation in that version
    of: str  # the IRI of the other bill's provision
    origin: Origin
    provenance: Provenance
    note: str | None = None


@dataclass
class Bill:
    id: str
    identifier: str
    title: str
    jurisdiction: str
    session: str
    origin: Origin
    provenance: Provenance
    local_id: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    coauthors: list[str] = field(default_factory=list)
    versions: list[BillVersion] = field(default_factory=list)
    sections: list[BillSection] = field(default_factory=list)
    events: list[LegislativeEvent] = field(default_factory=list)
    counterparts: list[Counterpart] = field(default_factory=list)

    def section(self, citation: str) -> BillSection | None:
        for s in self.sections:
            if s.citation == citation:
                return s
        return None

    def in_print(self, when: str | None) -> BillVersion | None:
        """The version in print on a date (the last one dated on or before it), if any.

        Dates known only to the month or year ("2024-06") count from their start.
        """
        if not when:
            return None
        printed = [v for v in self.versions if v.date <= when]
        return printed[-1] if printed else None


@dataclass
class Topic:
    id: str
    label: str
    definition: str
    origin: Origin
    broader: str | None = None
    alt_labels: list[str] = field(default_factory=list)
    exact_match: list[str] = field(default_factory=list)  # the same topic in other schemes


@dataclass
class Corpus:
    """Everything a corpus folder holds, checked and cross-referenced."""

    name: str
    title: str
    base: str
    root: Path
    description: str | None = None
    bills: list[Bill] = field(default_factory=list)
    sources: list[SourceDocument] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    #: What the author is told but the build does not refuse (a claim about a part that the
    #: version in print on its document's date does not have).
    warnings: list[Warning_] = field(default_factory=list)

    @property
    def claims(self) -> list[Claim]:
        return [c for s in self.sources for c in s.claims]

    @property
    def relations(self) -> list[Relation]:
        return [r for s in self.sources for r in s.relations]


@dataclass
class Known:
    """What the rest of a corpus defines, for checking and emitting some of its source
    documents alone (an incremental rebuild, :mod:`graph.pipeline.run`): the ids of its
    organizations and people, its topics, and the keys of the claims and relations of its
    other documents."""

    organizations: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    claims: set[str] = field(default_factory=set)
    relations: set[str] = field(default_factory=set)
