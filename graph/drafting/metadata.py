"""What a document says about itself: its kind, title, date, who signs it, and its stance.

All of it read from the document's own words by rules: a position is what the author says
("respectfully opposes", "support if amended"), the signers are the organizations named
where a document names its author (the sentence that takes the position, the lines under
"Sincerely", the letterhead, a committee analysis's heading), matched against the corpus's
registry by name, alias or acronym, and proposed as new when the registry has no match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..vocab import slug
from .sentences import Sentence


@dataclass(frozen=True)
class Known:
    """An organization or person of the registry, with every name it goes by."""

    id: str
    name: str
    names: tuple[str, ...]
    #: Written in capitals, matched only as written (an acronym: "EFF", "CDT").
    acronyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A name of the text that stands for a registry entry (``id``), or for none (None)."""

    start: int
    end: int
    words: str
    id: str | None


@dataclass(frozen=True)
class Proposed:
    """An organization the registry lacks: what the draft proposes to add."""

    id: str
    name: str
    kind: str
    #: Why it is proposed: "signs the letter", "the committee that wrote the analysis".
    why: str


def known_of(entries: Iterable[tuple[str, str, Iterable[str]]]) -> list[Known]:
    """Registry entries (id, name, aliases) with the names drafting looks for: the name,
    the name without a leading "The", each alias, and the name's initials where it has
    three words or more ("Electronic Frontier Foundation" -> "EFF").

    >>> known_of([("eff", "Electronic Frontier Foundation", [])])[0].acronyms
    ('EFF',)
    """
    out = []
    for id_, name, aliases in entries:
        names = [name, *aliases]
        bare = re.sub(r"^the\s+", "", name, flags=re.I)
        if bare != name:
            names.append(bare)
        words = [w for w in re.findall(r"[A-Za-z][\w-]*", bare) if w[0].isupper()]
        acronyms = [n for n in names if n.isupper() and len(n) <= 8]
        if len(words) >= 3:
            acronyms.append("".join(w[0] for w in words))
        plain = tuple(dict.fromkeys(n for n in names if n not in acronyms and len(n) > 1))
        out.append(Known(id_, name, plain, tuple(dict.fromkeys(acronyms))))
    return out


def mentions(text: str, registry: list[Known], start: int = 0) -> list[Mention]:
    """Where the text names an entry of ``registry``: the longest name first, never two
    on the same words. Names are matched as written, but for a leading "the"."""
    spans: list[tuple[int, int, str, str]] = []
    terms: list[tuple[str, str, bool]] = []
    for k in registry:
        terms += [(n, k.id, False) for n in k.names]
        terms += [(a, k.id, True) for a in k.acronyms]
    terms.sort(key=lambda t: (-len(t[0]), t[0], t[1]))
    for term, id_, acronym in terms:
        pattern = re.escape(term).replace(r"\ ", r"\s+")
        if not acronym and term[:4].lower() == "the ":
            pattern = "[Tt]he" + pattern[3:]
        for m in re.finditer(rf"(?<![\w-]){pattern}(?![\w-])", text[start:]):
            s, e = start + m.start(), start + m.end()
            if any(s < b and a < e for a, b, _, _ in spans):
                continue
            spans.append((s, e, text[s:e], id_))
    return [Mention(s, e, w, i) for s, e, w, i in sorted(spans)]


# --- kind, title, date --------------------------------------------------------------------

_ANALYSIS_HEAD = re.compile(
    r"^\W*((?:SENATE|ASSEMBLY)\s+(?:(?:STANDING\s+)?COMMITTEE\s+ON\s+[A-Z ,&]+|[A-Z ,&]*?"
    r"COMMITTEE|RULES\s+COMMITTEE|FLOOR\s+ANALYSIS|FLOOR\s+ANALYSES|THIRD\s+READING)[A-Z ,&]*)",
)
_MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_DATE = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+(?:(?P<day>\d{1,2}),?\s+)?(?P<year>(?:19|20)\d\d)\b"
    r"|\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b"
    r"|\b(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>(?:19|20)\d\d)\b"
)


def kind_of(text: str, sentences: list[Sentence]) -> str:
    """The document's kind in the corpus's words (letter, testimony, committee-analysis,
    floor-analysis, press-release, veto-message, statement), from how it is written."""
    head = "\n".join(_untagged(text[s.start : s.end]) for s in sentences[:24])
    if re.search(r"FLOOR\s+ANALYS[EI]S|THIRD\s+READING|UNFINISHED\s+BUSINESS", head):
        return "floor-analysis"
    if any(_ANALYSIS_HEAD.match(_untagged(text[s.start : s.end])) for s in sentences[:12]):
        return "committee-analysis"
    if re.search(r"without my signature", text, re.I):
        return "veto-message"
    if re.search(r"FOR IMMEDIATE RELEASE", text, re.I):
        return "press-release"
    if re.search(r"\btestimony\b|\btestify\b", head, re.I):
        return "testimony"
    if re.search(r"^\W*Dear\b", text, re.M) or re.search(r"^\W*Sincerely\b", text, re.M):
        return "letter"
    return "statement"


def _untagged(line: str) -> str:
    """A line without the HTML tags a converted document keeps (``<td><p><strong>``)."""
    return re.sub(r"<[^>]*>", " ", line).strip()


def analysis_heading(text: str, sentences: list[Sentence]) -> str | None:
    """The committee or floor that an analysis comes from, as its heading names it."""
    for s in sentences[:12]:
        m = _ANALYSIS_HEAD.match(_untagged(text[s.start : s.end]))
        if m:
            return " ".join(m.group(1).split()).title().replace(" On ", " on ")
    return None


def title_of(
    text: str, sentences: list[Sentence], kind: str, given: str | None, bill: str | None
) -> str:
    """A title: the document's own (an HTML page's, a PDF's), a subject line ("Re: ..."),
    the analysis's heading, or its first heading line; else its first words."""
    if given:
        return given
    for s in sentences[:40]:
        line = text[s.start : s.end].strip()
        m = re.match(r"^\W*(?:re|subject)\s*:\s*(.+)$", line, re.I)
        if m:
            return _plain(m.group(1))
    if kind in ("committee-analysis", "floor-analysis"):
        who = analysis_heading(text, sentences) or "Legislative"
        version = re.search(r"Version:\s*([A-Z][a-z]+ \d{1,2}, \d{4})", text)
        of = f" of {bill}" if bill else ""
        return f"{who} analysis{of}" + (f" (version of {version.group(1)})" if version else "")
    for s in sentences[:8]:
        line = _plain(text[s.start : s.end])
        if s.heading and len(line.split()) >= 3 and not re.match(r"^[\w ]{1,20}:", line):
            return line
    first = _plain(text[sentences[0].start : sentences[0].end]) if sentences else "Untitled"
    return first if len(first) <= 100 else first[:97].rsplit(" ", 1)[0] + " ..."


def _plain(words: str) -> str:
    return " ".join(re.sub(r"[*_#]+|</?u>", "", words).split()).strip(" :")


def date_of(text: str, sentences: list[Sentence]) -> str | None:
    """The document's date as YYYY-MM-DD (or YYYY-MM): a line that is a date, a "Date:"
    field, or the first date of its opening lines; None if it gives none."""
    labelled = None
    first = None
    for s in sentences[:30]:
        line = text[s.start : s.end]
        m = _DATE.search(line)
        if not m:
            continue
        value = _iso(m)
        if value is None:
            continue
        if re.match(r"^\W*(?:date|dated|hearing date)\s*:", line, re.I):
            labelled = labelled or value
        elif m.start() < 3 and len(line) - m.end() < 3:
            first = first or value  # a line that is only a date: a letter's
        elif first is None and not re.match(r"^\W*version\s*:", line, re.I) and s.heading:
            first = value
    return labelled or first


def _iso(m: re.Match[str]) -> str | None:
    if m.group("iso"):
        return m.group("iso")
    if m.group("y"):
        month, day = int(m.group("m")), int(m.group("d"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{m.group('y')}-{month:02d}-{day:02d}"
        return None
    month = _MONTHS.index(m.group("month").lower()) + 1
    if m.group("day"):
        return f"{m.group('year')}-{month:02d}-{int(m.group('day')):02d}"
    return f"{m.group('year')}-{month:02d}"


# --- stance -------------------------------------------------------------------------------

#: What a document says of its position, strongest first, with a weight for each form.
_STANCE_CUES = [
    ("oppose-unless-amended", 3, r"\boppose[sd]?,?\s+unless\s+(?:it\s+is\s+)?amended"),
    ("support-if-amended", 3, r"\bsupport(?:s|ed)?,?\s+if\s+amended"),
    ("veto", 3, r"\bwithout my signature\b|\bI am vetoing\b"),
    ("oppose", 3, r"\b(?:respectfully|strongly|firmly|must)\s+oppose"),
    ("support", 3, r"\b(?:proud(?:ly)? to|strongly|enthusiastically)\s+support"),
    ("oppose", 2, r"\bin opposition to\b|\burge (?:a|an) [\"“]?no[\"”]? vote|\burge you to veto"),
    (
        "support",
        2,
        r"\bin support of\b|\burge (?:a|an) [\"“]?(?:aye|yes)[\"”]? vote|\burge you to sign",
    ),
    ("oppose", 1, r"\boppose[sd]?\s+(?:California\s+)?(?:SB|AB|the bill|this bill|this measure)"),
    ("support", 1, r"\bsupports?\s+(?:California\s+)?(?:SB|AB|the bill|this bill|this measure)"),
    ("concerns", 1, r"\b(?:raise|have|share|express)\s+(?:serious\s+|significant\s+)?concerns"),
]


def stance_of(text: str, start: int, kind: str) -> tuple[str | None, str | None]:
    """The stance the document takes, and the words that say so; (None, None) when its
    words do not say, or say two things equally. An analysis takes none of its own
    ("neutral"): the positions it lists are others'."""
    if kind in ("committee-analysis", "floor-analysis"):
        return "neutral", None
    scores: dict[str, int] = {}
    said: dict[str, str] = {}
    for stance, weight, cue in _STANCE_CUES:
        for m in re.finditer(cue, text[start:], re.IGNORECASE):
            scores[stance] = scores.get(stance, 0) + weight
            said.setdefault(stance, m.group(0))
            if stance.endswith("amended"):
                # "oppose unless amended" is not also an opposition outright.
                scores["oppose" if "oppose" in stance else "support"] = (
                    scores.get("oppose" if "oppose" in stance else "support", 0) - 1
                )
    if not scores:
        return None, None
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1] or ranked[0][1] <= 0:
        return None, None
    return ranked[0][0], said[ranked[0][0]]


# --- who signs ----------------------------------------------------------------------------

_ORG_WORDS = re.compile(
    r"\b(?:Association|Alliance|Coalition|Council|Foundation|Institute|Center|Centre|Chamber|"
    r"Inc\.?|LLC|Corp(?:oration)?\.?|Company|Union|Society|Network|Project|Fund|Committee|"
    r"Federation|Group|Partnership|League|Consortium|Initiative|Action|Labs?|University|"
    r"College|Agency|Department|Office|Commission|Board|Caucus|Forum|Trust|Collective)\b"
)


def signers(
    text: str,
    sentences: list[Sentence],
    registry: list[Known],
    start: int,
    position_at: int | None,
    kind: str,
) -> tuple[list[str], list[Proposed]]:
    """The registry ids of those who sign the document, and the organizations proposed as
    new where a signer is not in the registry."""
    found: list[str] = []
    proposed: list[Proposed] = []
    if kind in ("committee-analysis", "floor-analysis"):
        who = analysis_heading(text, sentences)
        if who:
            matched = [m.id for m in mentions(who, registry) if m.id]
            if matched:
                return matched[:1], []
            return [], [Proposed(slug(who), who, "legislative-committee", "wrote the analysis")]
    # The sentence that takes the position names its author before the verb.
    if position_at is not None:
        sentence = next((s for s in sentences if s.start <= position_at < s.end), None)
        if sentence is not None:
            for m in mentions(text[sentence.start : position_at], registry):
                if m.id and m.id not in found:
                    found.append(m.id)
    # The lines under "Sincerely," (or "Respectfully,"): a signature block.
    closing = re.search(
        r"^\W*(?:Sincerely|Respectfully(?: submitted)?|Regards|Best regards|Signed)\b,?.*$",
        text[start:],
        re.M,
    )
    if closing:
        block = text[start + closing.end() :]
        for line in block.split("\n")[:60]:
            line = line.strip(" \t-*•,")
            if not line:
                continue
            matched = [m.id for m in mentions(line, registry) if m.id]
            for id_ in matched:
                if id_ not in found:
                    found.append(id_)
            if not matched and _ORG_WORDS.search(line) and len(line) < 90:
                name = re.sub(r"^(?:on behalf of|for)\s+", "", line, flags=re.I).strip(" ,.")
                if slug(name) and all(p.id != slug(name) for p in proposed):
                    proposed.append(Proposed(slug(name), name, "organization", "signs it"))
    # "on behalf of X", "We, X, ..." in the opening.
    for m in re.finditer(
        r"on behalf of (?:the )?([A-Z][\w&.,' -]{2,80}?)(?:[,.;]|\s+and\b)", text[start:]
    ):
        for mention in mentions(m.group(1), registry):
            if mention.id and mention.id not in found:
                found.append(mention.id)
    return found, proposed
