"""A draft of one document: its metadata, claims, citations and relations, from its text.

:func:`draft_text` is the whole of drafting for a text already read; it touches no file.
What it gives (:class:`Draft`) becomes a corpus source file with
:func:`graph.drafting.write.to_yaml`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Bill, BillVersion, Corpus
from ..quotes import NormalizedText
from ..vocab import id_of, slug
from .citations import Citation, Quoted, find_citations, nearest, quoted_sections, resolve
from .claims import Candidate, find_claims
from .metadata import (
    Known,
    Mention,
    Proposed,
    date_of,
    kind_of,
    known_of,
    mentions,
    signers,
    stance_of,
    title_of,
)
from .relations import Counterclaim, counterclaims, supports
from .sentences import split_sentences
from .text import DocumentText
from .versions import find_in_versions, reading_order, said_version, version_read


@dataclass
class DraftClaim:
    """A claim of the draft, with what the reviewer needs to judge it."""

    id: str
    statement: str
    quote: str
    start: int
    end: int
    kind: str
    #: Whether the statement is in our words (else the quote's, to be rewritten).
    rephrased: bool
    sections: list[str] = field(default_factory=list)
    #: Citations in its words that the bill's tree does not hold, with the code of each that
    #: the text says is existing law (None: not found in the bill, to check).
    unresolved: list[tuple[str, str | None]] = field(default_factory=list)
    #: The version whose text its sections cite, where it is not the one the loader reads
    #: by default (the one in print on the document's date): written as ``version:``.
    version: str | None = None
    #: Why ``version`` (its citations are in that version, not in the one in print).
    version_why: str | None = None
    whole_bill: bool = False
    topics: list[str] = field(default_factory=list)
    counterclaims: list[Counterclaim] = field(default_factory=list)
    #: Where the quote starts in the original file (HTML), if not where it does in the text.
    origin: int | None = None
    #: Who asserts it, where not the document's authors (a letter an analysis quotes).
    by: list[str] = field(default_factory=list)
    #: What the draft could not place, for the reviewer.
    unplaced: str | None = None


@dataclass
class DraftRelation:
    id: str
    kind: str
    premises: list[str]
    conclusion: str
    marker: str


@dataclass
class FoundCitation:
    """A citation of the text, and the part of the bill it names (None: not in the tree)."""

    start: int
    end: int
    words: str
    citation: str
    resolved: str | None
    nearest: str | None
    code: str | None
    #: The version whose tree holds ``resolved`` (None for a bill without version trees).
    version: str | None = None
    #: What says ``code`` when the citation's words do not (the bill section quoted).
    code_said: str | None = None
    #: Where the version numbers the part otherwise than the document, the words that found it.
    by_words: bool = False

    @property
    def other_law(self) -> bool:
        """Whether it cites existing law, not the bill: no version of the bill has it, and
        the text names the code it is in."""
        return self.resolved is None and self.code is not None


@dataclass
class Draft:
    """A first map of a document, for its author to review; see :func:`draft_text`."""

    id: str
    title: str
    kind: str
    text: str
    format: str
    authors: list[str]
    proposed: list[Proposed]
    bill: str | None
    stance: str | None
    stance_words: str | None
    date: str | None
    begins_after: str | None
    named: list[Mention]
    claims: list[DraftClaim]
    relations: list[DraftRelation]
    citations: list[FoundCitation]
    #: Whether the bill's tree was there to resolve citations against.
    has_tree: bool
    source_name: str = "the document"
    #: The version citations were read in first (the one the document says it reads, or the
    #: one in print on its date), and the words that say which.
    version: str | None = None
    version_words: str | None = None
    #: The version the loader reads the claims in (in print on ``date``), if it has a tree.
    in_print: str | None = None
    #: Each version's label, by id, for the comments.
    version_labels: dict[str, str] = field(default_factory=dict)
    #: The command that made the draft, for its header.
    made_by: str = "draft"
    #: The version the document says it reads, written as the document's ``version:``.
    reads: str | None = None
    #: The positions of others the document records (an analysis's registered lists):
    #: each as (id, stance, role, where, the name as written, the registry's name matched).
    positions: list[tuple[str, str, str | None, str, str, str | None]] = field(default_factory=list)


def draft_text(
    found: DocumentText,
    doc_id: str,
    *,
    corpus: Corpus | None = None,
    bill: str | None = None,
    citations: list[str] | None = None,
    begins_after: str | None = None,
    source_name: str = "the document",
) -> Draft:
    """Draft the document whose text is ``found``, as source ``doc_id`` of ``corpus``.

    The corpus gives the registry of organizations (matched by name, alias and acronym),
    the topic scheme (labels and alternative labels), the bill (``bill``, or the corpus's
    only one) and its tree, against which citations are resolved, and the other documents
    whose claims may be counterclaims. ``citations``: the citations of a bill tree to
    resolve against instead (a version's, say); ``begins_after``: words that end a header
    which is not the document's own (a copy's summary), after which claims are looked for.
    """
    text = found.text
    start = 0
    if begins_after:
        anchor = NormalizedText(text).find(begins_after)
        if anchor is None:
            raise InputError.single(
                source_name, 0, f"--begins-after {begins_after!r} does not occur in the text"
            )
        start = anchor.end
    sentences = split_sentences(text, start)
    if not sentences:
        raise InputError.single(source_name, 0, "holds no sentences to draft claims from")
    the_bill = _bill_of(corpus, bill)
    date = date_of(text, sentences)
    said = said_version(text, source_name)
    read = version_read(the_bill, date, said) if the_bill and citations is None else None
    order = reading_order(the_bill, read) if read is not None else []
    printed = the_bill.in_print(date) if the_bill else None
    in_print = printed.id if printed is not None and printed.parts else None
    known_citations = (
        citations
        if citations is not None
        else [p.citation for v in order for p in v.parts]
        if order
        else [s.citation for s in the_bill.sections]
        if the_bill
        else []
    )
    registry = _registry(corpus)
    kind = kind_of(text[start:], sentences) if start else kind_of(text, sentences)
    title = title_of(text, sentences, kind, found.title, the_bill.identifier if the_bill else None)
    stance, stance_words = stance_of(text, start, kind)
    named = mentions(text, registry, start)
    names = {k.id: k for k in registry}

    candidates = find_claims(
        text,
        sentences,
        bill_name=the_bill.identifier if the_bill else None,
        author_names=(),
        other_names=(),
    )
    position_at = next((c.start for c in candidates if c.kind == "position"), None)
    authors, proposed = signers(text, sentences, registry, start, position_at, kind)
    placeholder = id_of(f"author-of-{doc_id}")  # one per draft: several may wait review
    if not authors and not proposed:
        proposed = [
            Proposed(
                placeholder,
                "Author not found in the text",
                "organization",
                "no signer was found: name the author and delete this one",
            )
        ]
    author_ids = authors + [p.id for p in proposed]
    author_names = tuple(
        n for a in authors for n in (*names[a].names, *_short_names(names[a].name))
    ) + tuple(p.name for p in proposed)
    other_names = tuple(
        n for k in registry if k.id not in authors for n in k.names if _named(named, k.id)
    )
    # The kinds depend on who the author is, found only now: cut again with the names.
    candidates = find_claims(
        text,
        sentences,
        bill_name=the_bill.identifier if the_bill else None,
        author_names=author_names,
        other_names=other_names,
    )
    who = _author_words(authors, proposed, names, placeholder)
    found_citations = _citations(text, start, known_citations, order)
    topics = _topic_terms(corpus)
    claims = _claims(text, candidates, found_citations, topics, who, found)
    labels = {v.id: v.label for v in the_bill.versions} if the_bill else {}
    if order:
        _claim_versions(claims, found_citations, order, in_print, date, labels)
    claims = [c for c in claims if _verbatim(text, c)]
    ids = {c.start: c.id for c in claims}
    index_to_id = {cand.index: ids.get(cand.start) for cand in candidates}
    relations = _relations(candidates, index_to_id)
    for c in claims:
        c.counterclaims = counterclaims(
            corpus,
            the_bill.id if the_bill else None,
            stance,
            doc_id,
            _without_bill(f"{c.statement} {c.quote}", the_bill),
            c.sections,
            c.whole_bill,
            bill_name=the_bill.identifier if the_bill else None,
        )
    return Draft(
        id=doc_id,
        title=title,
        kind=kind,
        text=text,
        format=found.format,
        authors=author_ids,
        proposed=proposed,
        bill=the_bill.id if the_bill else bill,
        stance=stance,
        stance_words=stance_words,
        date=date,
        begins_after=begins_after,
        named=named,
        claims=claims,
        relations=relations,
        citations=found_citations,
        has_tree=bool(known_citations),
        source_name=source_name,
        version=read.id if read is not None else None,
        version_words=(said[1] if said else None) if read is not None else None,
        in_print=in_print,
        version_labels=labels,
    )


def _without_bill(words: str, bill: Bill | None) -> str:
    """The words without the bill's name, which every claim on it shares."""
    if bill is not None:
        words = re.sub(re.escape(bill.identifier), " ", words, flags=re.I)
    return re.sub(r"\b(?:the|this) bill(?:’s|'s)?\b", " ", words, flags=re.I)


def _bill_of(corpus: Corpus | None, bill: str | None) -> Bill | None:
    if corpus is None:
        return None
    if bill:
        found = next((b for b in corpus.bills if b.id == bill), None)
        if found is None:
            known = ", ".join(b.id for b in corpus.bills) or "none"
            raise InputError.single(
                str(corpus.root), 0, f"no bill {bill!r} in this corpus (its bills: {known})"
            )
        return found
    return corpus.bills[0] if len(corpus.bills) == 1 else None


def _registry(corpus: Corpus | None) -> list[Known]:
    if corpus is None:
        return []
    entries = [(o.id, o.name, o.aliases) for o in corpus.organizations]
    entries += [(p.id, p.name, []) for p in corpus.people]
    return known_of(entries)


def _short_names(name: str) -> tuple[str, ...]:
    """What a text calls an organization once named: "The AI Alliance" -> "The Alliance"."""
    words = name.split()
    if len(words) >= 2 and words[-1][:1].isupper() and len(words[-1]) > 4:
        return (f"The {words[-1]}", f"the {words[-1]}")
    return ()


def _named(named: list[Mention], id_: str) -> bool:
    return any(m.id == id_ for m in named)


def _author_words(
    authors: list[str], proposed: list[Proposed], names: dict[str, Known], placeholder: str
) -> str:
    shown = [names[a].name for a in authors] + [p.name for p in proposed if p.kind != ""]
    if not shown or proposed and proposed[0].id == placeholder:
        return "The author"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _citations(
    text: str, start: int, known: list[str], order: list[BillVersion]
) -> list[FoundCitation]:
    """The citations of the text, each resolved in the version the document reads or an
    earlier one; else, where the document quotes the part, in the version whose words are
    the quote's (a committee's amendment, numbered otherwise once a version took it up);
    else in a later version. For a bill without version trees, among ``known``."""
    found: list[Citation] = find_citations(text, start)
    names = [c.citation for c in found]
    if order:
        first = order[0]
        read = [first, *(v for v in order[1:] if v.date <= first.date)]
        later = [v for v in order if v not in read]
        before = find_in_versions(names, read)
        after = find_in_versions(names, later)
        quoted = quoted_sections(text)
    else:
        where = {c: (None, r) if r else None for c, r in resolve(names, known).items()}
    out = []
    for c in found:
        by_words = False
        if not order:
            at = where[c.citation]
        elif (at := before[c.citation]) is None:
            words = _quoted_words(c, quoted)
            at = _by_words(c.citation, words, order) if words else None
            by_words = at is not None
            at = at or after[c.citation]
        resolved = at[1] if at else None
        out.append(
            FoundCitation(
                c.start,
                c.end,
                c.words,
                c.citation,
                resolved,
                None if resolved else nearest(c.citation, known),
                c.code,
                version=at[0] if at else None,
                code_said=c.code_said,
                by_words=by_words,
            )
        )
    return out


def _quoted_words(c: Citation, quoted: list[Quoted]) -> str | None:
    """The words the document quotes of the part ``c`` cites: of the section it names, the
    subdivision it names or else the first; the quote it stands in first. None if the
    document does not quote it."""
    m = re.fullmatch(r"(?P<section>[^()]+)(?:\((?P<sub>[a-z]{1,2})\))?", c.citation)
    if m is None:
        return None
    runs = [q for q in quoted if q.section == m.group("section") and q.words]
    runs.sort(key=lambda q: not (q.start <= c.start))  # the quote before it first
    for q in runs:
        if m.group("sub") is None or q.words[0] == m.group("sub"):
            return q.words[1]
    return None


def _by_words(citation: str, words: str, order: list[BillVersion]) -> tuple[str, str] | None:
    """The part of the first version of ``order`` whose words are ``words`` (near enough:
    "January 1st" is "January 1"), as ``citation`` names it: the subdivision itself, or
    the section it is part of."""
    want = " ".join(words.split())[:150]
    if len(want) < 40:
        return None
    subdivision = citation.endswith(")")
    for v in order:
        for p in v.parts:
            own = " ".join(re.sub(r"^\s*(?:\([a-zA-Z0-9]{1,4}\)\s*)+", "", p.text or "").split())[
                : len(want)
            ]
            if not own or own[:10] != want[:10]:
                continue
            if difflib.SequenceMatcher(None, want, own).ratio() >= 0.9:
                if subdivision:
                    return v.id, p.citation
                return (v.id, p.parent) if p.parent else None
    return None


def _claim_versions(
    claims: list[DraftClaim],
    citations: list[FoundCitation],
    order: list[BillVersion],
    in_print: str | None,
    date: str | None,
    labels: dict[str, str],
) -> None:
    """Give each claim whose citations are not all in the version the loader reads it in
    (``in_print``) the version that has them, as ``version:``, and say why."""
    rank = {v.id: n for n, v in enumerate(order)}
    label = {v.id: v.label for v in order}
    trees = {v.id: {p.citation for p in v.parts} for v in order}
    for c in claims:
        cited = [x for x in citations if c.start <= x.start < c.end and x.version]
        if not cited:
            continue

        def holds(vid: str, cited: list[FoundCitation] = cited) -> tuple[int, int, int]:
            # A part found by its words is that version's; one found by its number, any
            # version's that numbers a part so.
            own = sum(1 for x in cited if x.version == vid)
            held = sum(
                1 for x in cited if x.version == vid or not x.by_words and x.resolved in trees[vid]
            )
            return (-held, -own, rank[vid])

        vid = min(dict.fromkeys(x.version for x in cited), key=holds)
        if vid == in_print:
            continue
        theirs = ", ".join(dict.fromkeys(x.resolved or "" for x in cited if x.version == vid))
        default = (
            f"the version in print on {date} ({labels.get(in_print, in_print)})"
            if in_print
            else "a version in print on the document's date (it gives none)"
        )
        c.version = vid
        c.version_why = f"{theirs}: in {label[vid]}, not in {default}"


def _topic_terms(corpus: Corpus | None) -> list[tuple[str, re.Pattern[str]]]:
    """Each topic with a pattern of its label and alternative labels (a label "A and B" of
    two words also by each: "Safety and security")."""
    if corpus is None:
        return []
    out = []
    for t in corpus.topics:
        terms = [t.label, *t.alt_labels]
        parts = re.fullmatch(r"(\w+) and (\w+)", t.label)
        if parts:
            terms += [parts.group(1), parts.group(2)]
        alternatives = "|".join(
            re.escape(term.lower()).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]*")
            for term in sorted(set(terms), key=lambda x: (-len(x), x))
        )
        out.append((t.id, re.compile(rf"(?<!\w)(?:{alternatives})s?(?!\w)", re.IGNORECASE)))
    return out


_ID_STOP = frozenset(
    ["a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "its", "it",
     "that", "this", "with", "by", "as", "at", "from", "be", "which", "has", "have"]
)  # fmt: skip


def _claim_id(statement: str, taken: set[str]) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", statement.lower()) if w not in _ID_STOP]
    base = slug(" ".join(words[:6])) or "claim"
    made, n = base, 2
    while made in taken:
        made, n = f"{base}-{n}", n + 1
    taken.add(made)
    return made


def _claims(
    text: str,
    candidates: list[Candidate],
    citations: list[FoundCitation],
    topics: list[tuple[str, re.Pattern[str]]],
    who: str,
    found: DocumentText,
) -> list[DraftClaim]:
    taken: set[str] = set()
    out = []
    for c in candidates:
        quote = text[c.start : c.end]
        statement = c.statement
        if c.kind == "position" and statement.startswith("The author "):
            statement = who + statement[len("The author") :]
            if " and " in who:  # several sign: "X and Y oppose"
                statement = re.sub(r" (oppose|support)s ", r" \1 ", statement, count=1)
        # A claim is about the parts its own words cite.
        cited = [x for x in citations if c.start <= x.start < c.end]
        sections = list(dict.fromkeys(x.resolved for x in cited if x.resolved))
        unresolved = list(dict.fromkeys((x.citation, x.code) for x in cited if not x.resolved))
        words = f"{quote} {statement}"
        topic_ids = [t for t, pattern in topics if pattern.search(words)]
        out.append(
            DraftClaim(
                id=_claim_id(statement, taken),
                statement=statement,
                quote=quote,
                start=c.start,
                end=c.end,
                kind=c.kind,
                rephrased=c.rephrased,
                sections=sections,
                unresolved=unresolved,
                whole_bill=not sections and (c.about_bill or c.kind == "position"),
                topics=topic_ids,
                origin=found.origin_of(c.start) if found.format == "html" else None,
            )
        )
    return out


def _verbatim(text: str, claim: DraftClaim) -> bool:
    """Whether the claim's quote is the text between its offsets, and holds no character a
    corpus text may not: the one test every quote of a draft passes, or it is dropped."""
    return text[claim.start : claim.end] == claim.quote and bool(claim.quote.strip())


def _relations(candidates: list[Candidate], ids: dict[int, str | None]) -> list[DraftRelation]:
    out = []
    taken: set[str] = set()
    for s in supports(candidates):
        premises = [ids[p] for p in s.premises if ids.get(p)]
        conclusion = ids.get(s.conclusion)
        if not premises or not conclusion or conclusion in premises:
            continue
        base = slug(
            " ".join(premises[0].split("-")[:4])
            + " supports "
            + " ".join(conclusion.split("-")[:4])
        )
        made, n = base, 2
        while made in taken:
            made, n = f"{base}-{n}", n + 1
        taken.add(made)
        out.append(DraftRelation(made, "supports", premises, conclusion, s.marker))
    return out
