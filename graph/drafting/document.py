"""A draft of one document: its metadata, claims, citations and relations, from its text.

:func:`draft_text` is the whole of drafting for a text already read; it touches no file.
What it gives (:class:`Draft`) becomes a corpus source file with
:func:`graph.drafting.write.to_yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Bill, Corpus
from ..quotes import NormalizedText
from ..vocab import slug
from .citations import Citation, find_citations, nearest, resolve
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
    #: Citations in its words that the bill's tree does not hold.
    unresolved: list[str] = field(default_factory=list)
    whole_bill: bool = False
    topics: list[str] = field(default_factory=list)
    counterclaims: list[Counterclaim] = field(default_factory=list)
    #: Where the quote starts in the original file (HTML), if not where it does in the text.
    origin: int | None = None


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
    known_citations = (
        citations
        if citations is not None
        else [s.citation for s in the_bill.sections]
        if the_bill
        else []
    )
    registry = _registry(corpus)
    kind = kind_of(text[start:], sentences) if start else kind_of(text, sentences)
    title = title_of(text, sentences, kind, found.title, the_bill.identifier if the_bill else None)
    date = date_of(text, sentences)
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
    if not authors and not proposed:
        proposed = [
            Proposed(
                "author-not-found",
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
    who = _author_words(authors, proposed, names)
    found_citations = _citations(text, start, known_citations)
    topics = _topic_terms(corpus)
    claims = _claims(text, candidates, found_citations, topics, who, found)
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


def _author_words(authors: list[str], proposed: list[Proposed], names: dict[str, Known]) -> str:
    shown = [names[a].name for a in authors] + [p.name for p in proposed if p.kind != ""]
    if not shown or proposed and proposed[0].id == "author-not-found":
        return "The author"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _citations(text: str, start: int, known: list[str]) -> list[FoundCitation]:
    found: list[Citation] = find_citations(text, start)
    resolved = resolve([c.citation for c in found], known)
    return [
        FoundCitation(
            c.start,
            c.end,
            c.words,
            c.citation,
            resolved[c.citation],
            None if resolved[c.citation] else nearest(c.citation, known),
            c.code,
        )
        for c in found
    ]


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
        unresolved = list(dict.fromkeys(x.citation for x in cited if not x.resolved))
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
