"""A committee or floor analysis, read for what it records of others (``import-analysis``).

California's analyses have a standard shape: the registered support and opposition lists
(each organization under the heading of its position, a sponsor marked "(sponsor)" or
"(Co-source)"), and "Arguments in Support" and "Arguments in Opposition" that quote the
letters ("Anthropic, writes in support:", then the letter's words as a block quote, or in
quotation marks). :func:`draft_analysis` reads both:

- every listed organization becomes a **position** of the analysis: its stance at this
  stage, matched against the corpus's registry by name, alias or acronym (spelling, case,
  "&" and spaces aside), or proposed as a new organization with a stable id;
- every quoted paragraph becomes a **claim** of the organizations the analysis says wrote
  it (``by:``), with its verbatim quote and offsets in the analysis's text, the bill's
  parts it cites resolved in the version the analysis reads.

Everything is found by rules on the text: the same text gives the same draft, and what the
rules cannot place (a quote whose writer the analysis does not name) is said in a comment,
never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Corpus
from ..vocab import id_of
from .document import (
    Draft,
    DraftClaim,
    DraftRelation,
    _bill_of,
    _citations,
    _registry,
    _topic_terms,
)
from .metadata import Known, Proposed, date_of, mentions
from .sentences import split_sentences
from .text import DocumentText
from .versions import reading_order, said_version, version_read

#: A heading of a registered list, with the stance of the organizations under it.
_LIST_HEADING = re.compile(
    r"^(?:registered\s+)?(?P<what>support\s+if\s+amended|oppose\s+unless\s+amended|support|"
    r"opposition|oppose|neutral|concerns)\b\s*:?\s*(?P<rest>\(.*\))?\s*:?$",
    re.IGNORECASE,
)
_STANCES = {
    "support": "support",
    "support if amended": "support-if-amended",
    "oppose unless amended": "oppose-unless-amended",
    "opposition": "oppose",
    "oppose": "oppose",
    "neutral": "neutral",
    "concerns": "concerns",
}
#: The heading over both lists, which sets no stance of its own.
_LISTS_HEADING = re.compile(r"^registered\s+support\s*/\s*opposition\s*:?$", re.IGNORECASE)
#: What an entry of a list that is no organization says.
_NONE = re.compile(
    r"^(?:none(?:\s+(?:received|on\s+file))?|\d+\s+individuals?|several\s+individuals?)\.?$",
    re.IGNORECASE,
)
#: A role in the bill's support, as the lists mark it.
_ROLE = re.compile(r"\s*\((?P<role>co-?\s?sources?|co-?\s?sponsors?|sponsors?|sources?)\)\s*$",
                   re.IGNORECASE)  # fmt: skip
_UNREG = re.compile(r"\s*\(UNREG\)\s*$", re.IGNORECASE)
_ACRONYM = re.compile(r"\s*\((?P<acronym>[A-Z][A-Za-z.]{1,9})\)\s*$")
#: The heading of an argument section ("ARGUMENTS IN SUPPORT:", "### Arguments in Opposition").
_ARGUMENTS = re.compile(r"^arguments\s+in\s+(?P<side>support|opposition)\b\s*:?", re.IGNORECASE)
#: The words that attribute what follows to a writer.
_ATTRIBUTION = re.compile(
    r"\b(?:jointly\s+)?(?:writes?|wrote|argues?|argued|states?|stated|contends?|notes?|asserts?|"
    r"explains?|says?)\b(?:\s+(?:in\s+(?:support|opposition)|that))?[^.:“\"]{0,40}?[:,]?\s*(?=$|“|\")",
    re.IGNORECASE,
)
_POSITION_WORDS = re.compile(
    r"\b(?P<what>opposed?[- ]unless[- ]amended|support(?:ed)?[- ]if[- ]amended)\b", re.IGNORECASE
)
_SPONSORS = re.compile(r"\bco-?(?:sources|sponsors)\b|\bsponsors\b", re.IGNORECASE)
#: A paragraph that is only an ellipsis the analysis put in a quote: "\[. . .\]".
_ELLIPSIS = re.compile(r"^[\\\[\]\s.…]*$")
_QUOTED = re.compile(r"“([^”]{12,})”")


@dataclass
class Listed:
    """An organization in a registered support or opposition list, and its match."""

    name: str  # as the list gives it, without a role or an acronym in brackets
    stance: str
    heading: str  # the list's heading, as written
    start: int
    end: int
    role: str | None = None
    acronym: str | None = None
    id: str | None = None  # the registry's id, or the proposed one
    matched: str | None = None  # the registry's name it matched, or None for a new one


@dataclass
class Argument:
    """A letter an argument section quotes: who the analysis says wrote it, and its words."""

    side: str  # "support" or "opposition"
    attribution: str  # the words that name the writers
    start: int
    by: list[str] = field(default_factory=list)
    stance: str | None = None  # a position the words name ("In an oppose-unless-amended ...")
    quotes: list[tuple[int, int]] = field(default_factory=list)
    #: Writers the registry and the lists lack, as (id, the name as written).
    named: list[tuple[str, str]] = field(default_factory=list)
    #: The quotes that are headings of the letter (which the paragraphs under them argue).
    headlines: set[int] = field(default_factory=set)
    #: Whether the attribution ends with a colon: the letter's words follow it.
    opens: bool = False
    #: Whether a block quote has come: then only block quotes are the letter's.
    quotes_blocked: bool = False


@dataclass
class AnalysisDraft:
    """What :func:`draft_analysis` found, and the draft it makes of it."""

    draft: Draft
    listed: list[Listed]
    arguments: list[Argument]


# --- lines ------------------------------------------------------------------------------


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Every line as (start, end, its words without Markdown's marks), in order."""
    out = []
    at = 0
    for raw in text.split("\n"):
        out.append((at, at + len(raw), _plain(raw)))
        at += len(raw) + 1
    return out


def _plain(line: str) -> str:
    """A line without the marks Markdown or the conversion put around words: ``**``,
    ``<u>``, ``#``, a hard break's backslash, and the escapes of ``\\$`` and ``\\[``."""
    words = re.sub(r"</?u>|\*+|_{2,}|^\s*#+\s*|\\(?=\W)|\\$", "", line)
    return " ".join(words.split())


def _is_heading(raw: str, plain: str) -> bool:
    """Whether a line is a heading of the analysis: a Markdown heading, a bold or underlined
    line, or a label in capitals ("PRIOR VOTES:")."""
    s = raw.strip()
    return bool(
        s.startswith("#")
        or (s.startswith("**") and len(plain) < 90)
        or (plain.isupper() and len(plain) < 60 and plain.endswith(":"))
        or plain.lower().startswith(("prepared by", "analysis prepared by"))
    )


# --- the registered lists -----------------------------------------------------------------


def registered_positions(text: str) -> list[Listed]:
    """The organizations in the analysis's support and opposition lists, each with the
    stance of its list, in the order they stand. A list ends at the next heading that is
    not a list's, or at a paragraph of prose."""
    out: list[Listed] = []
    stance = heading = None
    for start, end, plain in _lines(text):
        raw = text[start:end]
        if not plain:
            continue
        m = _LIST_HEADING.match(plain)
        if m and len(plain) < 60:
            stance = _STANCES[" ".join(m.group("what").lower().split())]
            heading = plain
            continue
        if _LISTS_HEADING.match(plain):
            stance = heading = None
            continue
        if stance is None:
            continue
        if _is_heading(raw, plain) or raw.lstrip().startswith(">") or len(plain) > 120:
            stance = heading = None
            continue
        entry = plain
        if _NONE.match(entry):
            continue
        name_start = start + raw.find(raw.strip()[:1]) if raw.strip() else start
        item = Listed(entry, stance, heading or "", name_start, end)
        unregistered = _UNREG.search(entry)
        if unregistered:  # a position the committee took note of but no one registered
            item.heading += ", marked (UNREG)"
            entry = entry[: unregistered.start()]
        role = _ROLE.search(entry)
        if role:
            word = role.group("role").lower().replace(" ", "")
            item.role = "sponsor" if word.startswith(("sponsor", "source")) else "co-sponsor"
            entry = entry[: role.start()]
        acronym = _ACRONYM.search(entry)
        if acronym and acronym.group("acronym").isupper():
            item.acronym = acronym.group("acronym")
            entry = entry[: acronym.start()]
        item.name = entry.strip()
        out.append(item)
    return out


def _key(name: str) -> str:
    """A name as lists spell it differently: case, "&", spaces and marks aside.

    >>> _key("Computer & Communications Industry Association") == _key(
    ...     "Computer and Communications Industry Association")
    True
    >>> _key("EarningsStream LLC") == _key("Earnings Stream LLC")
    True
    """
    words = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE).replace("&", " and ")
    return re.sub(r"[^a-z0-9]", "", words.lower())


def _by_key(registry: list[Known]) -> dict[str, Known]:
    """The registry by every name of each entry, as :func:`_key` spells it (the first entry
    that has a name keeps it)."""
    out: dict[str, Known] = {}
    for k in registry:
        for n in (k.name, *k.names, *k.acronyms):
            out.setdefault(_key(n), k)
    return out


def match(listed: list[Listed], registry: list[Known]) -> list[Proposed]:
    """Give each listed organization its registry id, by name, alias or acronym; those the
    registry lacks get an id made of their name, and are proposed (one each)."""
    by_key = _by_key(registry)
    proposed: dict[str, Proposed] = {}
    for item in listed:
        known = by_key.get(_key(item.name)) or (
            by_key.get(_key(item.acronym)) if item.acronym else None
        )
        if known is not None:
            item.id, item.matched = known.id, known.name
            continue
        item.id = id_of(item.name)
        if item.id not in proposed:
            proposed[item.id] = Proposed(
                item.id,
                item.name,
                _kind_of(item.name),
                f"listed under {item.heading!r}; not in the registry",
            )
        by_key.setdefault(_key(item.name), Known(item.id, item.name, (item.name,)))
    return list(proposed.values())


def _kind_of(name: str) -> str:
    """A proposed organization's kind, where its name says it; else "organization"."""
    if re.search(r"\b(?:LLC|Inc\.?|Corp\.?|Corporation|Company)$", name):
        return "company"
    if re.search(r"\bUniversity\b", name) and "School" not in name:
        return "university"
    return "organization"


# --- the arguments ------------------------------------------------------------------------


def quoted_arguments(text: str, listed: list[Listed], registry: list[Known]) -> list[Argument]:
    """The letters the argument sections quote: for each, the words that name its writers,
    the writers matched among the registry and the listed organizations, and the spans of
    its quoted words (each block-quoted paragraph, or the words in quotation marks)."""
    lines = _lines(text)
    names = registry + [Known(i.id, i.name, (i.name,)) for i in listed if i.matched is None]
    sponsors = list(dict.fromkeys(i.id for i in listed if i.role and i.id))
    out: list[Argument] = []
    side: str | None = None
    current: Argument | None = None
    for start, end, plain in lines:
        raw = text[start:end]
        if not plain:
            continue
        heading = _ARGUMENTS.match(plain)
        if heading:
            side = heading.group("side").lower()
            current = None
            rest_at = _after_heading(raw)
            if rest_at is None:
                continue
            start = start + rest_at
            raw = text[start:end]
            plain = _plain(raw)
        elif side is not None and (_is_heading(raw, plain) or _LIST_HEADING.match(plain)):
            if current is not None and _is_headline(raw, plain):
                span = _inner(text, start, end)  # a heading of the letter, in bold
                if span is not None:
                    current.quotes.append(span)
                    current.headlines.add(len(current.quotes) - 1)
                continue
            side = current = None
            continue
        if side is None:
            continue
        if raw.lstrip().startswith(">"):
            if current is None:
                continue
            current.quotes_blocked = True  # from here on, the letter is set as blocks
            span = _block_quote(text, start, end)
            if span is not None:
                current.quotes.append(span)
                if _is_headline(text[span[0] : span[1]], _plain(text[span[0] : span[1]])):
                    current.headlines.add(len(current.quotes) - 1)
            continue
        said = _ATTRIBUTION.search(raw)
        if said is not None and said.start() < 300:
            who = raw[: said.start()]
            current = Argument(side, " ".join(who.split()), start)
            current.by, current.named = _writers(who, names)
            if not current.by and _SPONSORS.search(who):
                current.by = sponsors
            position = _POSITION_WORDS.search(who)
            if position:
                words = position.group("what").lower().replace("-", " ").split()
                words[0] = {"opposed": "oppose", "supported": "support"}.get(words[0], words[0])
                current.stance = "-".join(words)
            current.opens = raw.rstrip().rstrip("*").endswith(":")
            out.append(current)
            quoted = list(_QUOTED.finditer(raw))
        elif current is not None:
            quoted = list(_QUOTED.finditer(raw))
            if not quoted and current.opens and not current.quotes_blocked:
                # A paragraph of the letter that the conversion did not set as a block quote:
                # it follows "... write in support:" before any block quote.
                span = _inner(text, start, end)
                if span is not None:
                    current.quotes.append(span)
                continue
        else:
            continue
        for m in quoted:
            current.quotes.append((start + m.start(1), start + m.end(1)))
    return [a for a in out if a.quotes]


#: What separates the writers an attribution names: "A, B, and C", "The co-sponsors – A, B –".
_BETWEEN = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+[–—]\s+|;\s*)")
#: Words that open an attribution but name no one: "In opposition to the bill,".
_OPENING = re.compile(
    r"^(?:(?:in|taking)\s+(?:an?\s+)?[\w-]+(?:\s+[\w-]+){0,3}\s+position|in\s+(?:support|opposition)"
    r"(?:\s+(?:of|to)\s+(?:the|this)\s+(?:bill|measure))?)\s*,?\s*",
    re.IGNORECASE,
)


def _writers(who: str, names: list[Known]) -> tuple[list[str], list[tuple[str, str]]]:
    """The writers an attribution names ("In an oppose-unless-amended position, CalChamber,
    Computer & Communications Industry Association, and TechNet"): the ids of those the
    registry (or the lists) know, and the others, each a name in capitals, as (id, name)."""
    by_key = {key: k.id for key, k in _by_key(names).items()}
    words = _plain(_OPENING.sub("", who.strip()))
    ids: list[str] = []
    new: list[tuple[str, str]] = []
    for chunk in _BETWEEN.split(words.strip(" ,")):
        chunk = re.sub(r"^the\s+(?=[A-Z])", "", chunk.strip(" ,."))
        if not chunk or not chunk[0].isupper() or chunk.lower().startswith("the co-"):
            continue
        found = by_key.get(_key(chunk))
        if found is None:
            inside = [m.id for m in mentions(chunk, names) if m.id is not None]
            found = inside[0] if len(inside) == 1 else None
        if found is not None:
            ids.append(found)
        elif len(chunk.split()) <= 8 and not re.search(r"\b(?:of the bill|coalition)\b", chunk):
            ids.append(id_of(chunk))
            new.append((id_of(chunk), chunk))
    return list(dict.fromkeys(ids)), new


def _after_heading(raw: str) -> int | None:
    """Where the words after an inline heading start ("**ARGUMENTS IN SUPPORT:** In ..."),
    or None if the heading is the whole line."""
    m = re.match(r"^\W*arguments\s+in\s+\w+\W*?:?\W*\*{0,3}:?\*{0,3}\s*", raw, re.IGNORECASE)
    if m is None or m.end() >= len(raw.rstrip()):
        return None
    return m.end()


def _is_headline(raw: str, plain: str) -> bool:
    """Whether a line is a heading of a quoted letter: short, in sentence case (an analysis's
    own headings are in capitals or end with a colon), with no full stop at its end."""
    return (
        0 < len(plain) <= 160
        and not plain.isupper()
        and not plain.endswith((":", ".", "?", "!"))
        and not _LIST_HEADING.match(plain)
        and not plain.lower().startswith(("prepared by", "analysis prepared by"))
    )


def _inner(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A line's words without the marks around the whole (``**``, ``***``, ``_``)."""
    raw = text[start:end]
    words = raw.strip()
    at = start + raw.find(words) if words else start
    lead = len(words) - len(words.lstrip("*_"))
    trail = len(words) - len(words.rstrip("*_\\"))
    s, e = at + lead, at + len(words) - trail
    if e <= s or _ELLIPSIS.match(text[s:e]):
        return None
    return s, e


def _block_quote(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The words of a block-quoted line, without its "> " and any marks around the whole
    (an italic heading of the letter), or None for an ellipsis."""
    raw = text[start:end]
    return _inner(text, start + raw.index(">") + 1, end)


# --- the draft ----------------------------------------------------------------------------


def draft_analysis(
    found: DocumentText,
    doc_id: str,
    *,
    corpus: Corpus | None = None,
    bill: str | None = None,
    source_name: str = "the analysis",
) -> AnalysisDraft:
    """The draft of an analysis: its metadata, the positions its lists record and the claims
    of the letters it quotes, for a reviewer (see the module's notes)."""
    text = found.text
    registry = _registry(corpus)
    listed = registered_positions(text)
    proposed = match(listed, registry)
    arguments = quoted_arguments(text, listed, registry)
    the_bill = _bill_of(corpus, bill)
    said = said_version(text, source_name)
    date = _hearing_date(text)
    read = version_read(the_bill, date or (said[0] if said else None), said) if the_bill else None
    order = reading_order(the_bill, read) if read is not None else []
    known = [p.citation for v in order for p in v.parts]
    citations = _citations(text, 0, known, order) if order else []
    labels = {v.id: v.label for v in the_bill.versions} if the_bill else {}
    topics = _topic_terms(corpus)
    claims: list[DraftClaim] = []
    taken: set[str] = set()
    relations: list[DraftRelation] = []
    for argument in arguments:
        writers = argument.by
        heading_id: str | None = None
        under: list[str] = []

        def argued(heading: str | None, premises: list[str]) -> None:
            if heading is not None and premises:
                relations.append(
                    DraftRelation(
                        f"{heading}-argued",
                        "supports",
                        list(premises),
                        heading,
                        "the paragraphs under the letter's heading",
                    )  # fmt: skip
                )

        for n, (s, e) in enumerate(argument.quotes, 1):
            quote = text[s:e]
            cid = _claim_id(writers, argument.side, quote, taken)
            cited = [c for c in citations if s <= c.start < e and c.resolved]
            sections = list(dict.fromkeys(c.resolved for c in cited if c.resolved))
            versions = {c.version for c in cited if c.version}
            claim = DraftClaim(
                id=cid,
                statement=_first_sentence(quote),
                quote=quote,
                start=s,
                end=e,
                kind=f"argument in {argument.side}, part {n} of {len(argument.quotes)}",
                rephrased=False,
                sections=sections,
                whole_bill=not sections,
                topics=[t for t, pattern in topics if pattern.search(quote)][:3],
            )
            if read is not None and versions and versions != {read.id}:
                claim.version = sorted(versions)[0]
                claim.version_why = "its citations are in " + labels.get(
                    claim.version, claim.version
                )
            claim.by = list(writers)
            claims.append(claim)
            if n - 1 in argument.headlines:
                argued(heading_id, under)
                heading_id, under = cid, []
            elif heading_id is not None:
                under.append(cid)
            if not writers:
                claim.unplaced = (
                    f"the analysis does not name who writes this ({argument.attribution!r}): "
                    "add `by:` or drop the claim"
                )
        argued(heading_id, under)
    listed_ids = {p.id for p in proposed} | {i.id for i in listed}
    for argument in arguments:
        for wid, name in argument.named:
            if wid not in listed_ids:
                listed_ids.add(wid)
                proposed.append(
                    Proposed(
                        wid,
                        name,
                        _kind_of(name),
                        f"writes a letter the {argument.side} arguments quote; not in the registry",
                    )  # fmt: skip
                )
    names_of = {k.id: k.name for k in registry}
    committee = _committee(text)
    authors, author_proposed = _author(committee, registry, doc_id)
    on_floor = re.search(r"floor|third\s+reading|unfinished\s+business", text[:2000], re.I)
    kind = "floor-analysis" if on_floor else "committee-analysis"
    title = (
        f"{committee or 'Analysis'}: analysis of {the_bill.identifier if the_bill else 'the bill'}"
        + (f" ({labels.get(read.id, read.id)})" if read is not None else "")
    )
    draft = Draft(
        id=doc_id,
        title=title,
        kind=kind,
        text=text,
        format=found.format,
        authors=authors,
        proposed=author_proposed + [p for p in proposed if p.id not in authors],
        bill=the_bill.id if the_bill else bill,
        stance=None,
        stance_words=None,
        date=date,
        begins_after=None,
        named=[],
        claims=claims,
        relations=relations,
        citations=[c for c in citations if any(a.start <= c.start for a in arguments)],
        has_tree=bool(known),
        source_name=source_name,
        version=read.id if read is not None else None,
        version_words=said[1] if said and read is not None else None,
        in_print=None,
        version_labels=labels,
        reads=read.id if read is not None else None,
        positions=[
            (i.id or "", i.stance, i.role, f"listed under {i.heading}", i.name, i.matched)
            for i in listed
        ]
        + [
            (
                w,
                a.stance or ("support" if a.side == "support" else "oppose"),
                None,
                f"arguments in {a.side}: {a.attribution}",
                dict(a.named).get(w, w),
                names_of.get(w),
            )
            for a in arguments
            for w in a.by
            if w not in {i.id for i in listed}
        ],  # fmt: skip
        made_by="import-analysis",
    )
    return AnalysisDraft(draft, listed, arguments)


_HEARING = re.compile(
    r"(?:Date\s+of\s+Hearing|Hearing\s+Date)\W*:?\W*(?P<when>[A-Z][a-z]+\s+\d{1,2},\s+\d{4}|"
    r"\d{1,2}/\d{1,2}/\d{4})"
)


def _hearing_date(text: str) -> str | None:
    """The hearing date an analysis's header gives, as ``YYYY-MM-DD``."""
    m = _HEARING.search(text[:3000])
    if m is None:
        return None
    return date_of(m.group("when"), split_sentences(m.group("when")))


_COMMITTEE = re.compile(
    r"^\W*(?P<name>(?:SENATE|ASSEMBLY)\s+(?:COMMITTEE\s+ON\s+[A-Z][A-Z ,&]*[A-Z]|"
    r"[A-Z]+\s+COMMITTEE|RULES\s+COMMITTEE))\W*$",
    re.MULTILINE,
)
_SMALL = {"On", "And", "Of", "The", "For"}


def _committee(text: str) -> str | None:
    """The committee that wrote the analysis, as its header names it, in title case."""
    m = _COMMITTEE.search(text[:3000])
    if m is None:
        return None
    words = [w.capitalize() for w in m.group("name").split()]
    return " ".join(w.lower() if w in _SMALL and i else w for i, w in enumerate(words))


def _author(
    committee: str | None, registry: list[Known], doc_id: str
) -> tuple[list[str], list[Proposed]]:
    if committee is None:
        placeholder = id_of(f"author-of-{doc_id}")  # one per draft: several may wait review
        return [placeholder], [
            Proposed(
                placeholder,
                "Author not found in the text",
                "legislative-committee",
                "the header names no committee: name the author and delete this one",
            )
        ]
    for k in registry:
        if _key(committee) in {_key(n) for n in (k.name, *k.names)}:
            return [k.id], []
    cid = id_of(committee)
    return [cid], [Proposed(cid, committee, "legislative-committee", "wrote the analysis")]


def _first_sentence(quote: str) -> str:
    """The quote's first sentence, as a statement for the reviewer to put in their words."""
    m = re.match(r"(.{20,}?[.!?])(?:\s|$)", quote)
    words = m.group(1) if m else quote
    return " ".join(words.replace("*", "").split())


def _claim_id(writers: list[str], side: str, quote: str, taken: set[str]) -> str:
    """An id made of the first writer and the quote's first words, unique in the draft."""
    words = [w for w in re.findall(r"[a-z0-9]+", quote.lower()) if len(w) > 3][:5]
    stem = "-".join([writers[0] if writers else side, *words]) or side
    stem = stem[:80].rstrip("-")
    cid, n = stem, 2
    while cid in taken:
        cid, n = f"{stem}-{n}", n + 1
    taken.add(cid)
    return cid
