"""Claims cut from a document's sentences: what each asserts, its verbatim quote and offsets.

Rules, not a model: a sentence that asserts something (a prediction with *would* or *will*,
an evaluation, a recommendation, a concession, a position on the bill) is a claim, and a
sentence that strings several together is cut into clauses, each quoted by itself:

- a position on the bill ("respectfully opposes SB 1047") is quoted alone, without the
  author's name and description around it;
- predicates joined after one modal ("It would slow innovation, thwart advancements ...,
  and undermine ...") are quoted one by one, the first with its subject;
- an evaluating subject ("The bill's technically infeasible requirements will ...") is a
  claim of its own, which supports what the sentence predicts of it;
- a clause after *thereby*, *thus* or *because*, a part after a semicolon or a dash, is a
  claim of its own, joined to the rest by the marker (see :mod:`graph.drafting.relations`).

What a sentence says of its author (who the organization is, what its members do) is kept
and marked as background, not dropped; headings, greetings, signatures and addresses are not
claims. Every quote is a span of the text, trimmed of list markers, emphasis marks and the
words that join it to the rest, so it stays verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .sentences import Sentence

#: What a claim does, as the draft names it for the reviewer.
KINDS = (
    "position",
    "prediction",
    "evaluation",
    "recommendation",
    "concession",
    "concern",
    "assertion",
    "description",
    "example",
    "background",
)


@dataclass
class Candidate:
    """A claim found in the text: ``text[start:end]`` is its quote."""

    start: int
    end: int
    kind: str
    statement: str
    sentence: Sentence
    #: Whether the statement is ours (rephrased) or the quote's words copied.
    rephrased: bool = False
    #: Whether the claim is about the bill as a whole (its subject is the bill).
    about_bill: bool = False
    #: In-sentence links: ("supports", index of the claim it supports, marker).
    links: list[tuple[str, int, str]] = field(default_factory=list)
    #: The section of the document it stands in, as its heading says ("Arguments in support").
    heading: str | None = None
    #: The discourse marker that opens it ("As a result", "Therefore"), if any.
    opener: str | None = None
    #: Its place in the list of claims, once listed.
    index: int = -1


def _listed(words: str) -> list[str]:
    """The words of a list written as lines of text."""
    return words.split()


_MODALS = r"(?:would|will|could|may|might|can|cannot|can't|should|must|shall)"
_ADVERB = (
    r"(?:(?:also|likely|directly|significantly|seriously|effectively|further|only|not|"
    r"severely|inevitably|ultimately|substantially|unnecessarily|greatly|certainly|"
    r"undoubtedly|almost|still|actually|potentially|dramatically|fundamentally|"
    r"disproportionately|needlessly|quickly|just|even|never|no longer|simply)\s+)*"
)
#: Verbs that argue about a bill's effects: after a modal, a comma or "and" each begins a
#: predicate of its own.
_VERBS = frozenset(
    _listed(
        """
    slow thwart undermine chill lower raise reduce increase harm hurt stifle hinder impede
    discourage encourage create impose require protect ensure make force drive push threaten
    prevent allow enable help improve weaken strengthen limit restrict expand cost burden
    damage destroy kill block stop deter delay cripple cut curb boost foster promote advance
    support oppose protect safeguard punish penalize expose open close shift put place leave
    undercut erode hamper jeopardize endanger benefit serve fail lead result drive send give
    take move keep bring provide establish set exempt apply cover affect add subject saddle
    violate conflict contradict invite encourage incentivize disincentivize concentrate
    entrench favor disadvantage advantage empower disempower accelerate decelerate freeze
    fragment preempt override clarify confuse complicate simplify streamline address
    mitigate exacerbate worsen deepen widen narrow tie bind obligate mandate prohibit ban
    bar permit authorize grant deny remove eliminate replace introduce hold subject
    outlaw criminalize drive do be become remain have
    """
    )
)
#: Adjectives that evaluate: a subject that holds one asserts it ("the bill's vague
#: requirements"), and a sentence "X is <one>" is an evaluation.
_EVALUATIVE = frozenset(
    _listed(
        """
    infeasible unworkable impossible impractical vague overbroad broad burdensome onerous
    arbitrary unconstitutional costly expensive excessive unnecessary unclear ambiguous
    unreasonable reasonable sensible strong weak important critical essential necessary
    harmful dangerous risky premature misguided flawed problematic unprecedented
    disproportionate draconian heavy-handed narrow modest light-touch balanced thoughtful
    workable feasible effective ineffective inadequate insufficient sweeping restrictive
    prescriptive rigid inflexible unfair unjust uncertain untested speculative hypothetical
    catastrophic severe serious significant substantial landmark historic commonsense
    common-sense
    """
    )
)
_POSITION = re.compile(
    r"\b(?:(?:respectfully|strongly|firmly|must|hereby|proudly|enthusiastically|continue to|"
    r"writes? to|is writing to|are writing to|to)\s+)*"
    r"(?P<verb>opposes|oppose|supports|support|urges? (?:a|an) (?:no|aye|yes) vote on)"
    r"(?P<amended>,? (?:unless|if) amended,?)?\s+"
    r"(?P<bill>(?:California\s+)?(?:[A-Z]{2,3}|S\.B\.|A\.B\.|Senate Bill|Assembly Bill|H\.R\.|S\.)"
    r"\s*\d+|(?:the|this) (?:bill|measure|legislation))",
    re.IGNORECASE,
)
_RECOMMEND = re.compile(
    r"\b(?:should|must|urges?|recommends?|ask(?:s|ing)?|request(?:s|ing)?|need(?:s)? to|"
    r"encourages?|calls? (?:on|for)|propose[sd]?)\b",
    re.IGNORECASE,
)
_CONCEDE = re.compile(
    r"^(?:although|though|while (?:we|i|the)|we (?:appreciate|recognize|acknowledge|agree|"
    r"share|understand|commend|applaud)|admittedly|granted|to be sure)\b",
    re.IGNORECASE,
)
_CONCERN = re.compile(
    r"\b(?:concern(?:ed|s)?|worr(?:y|ied|ies)|fear(?:s|ed)?|alarm(?:ed)?)\b", re.I
)
_PRESENT = re.compile(
    r"\b(?:is|are|was|were|has|have|had|does|do|did|been|being|its?|remains?|seems?|"
    r"appears?|means?|represents?|includes?|creates?|requires?|establishes?|provides?|"
    r"imposes?|applies|defines?|states?|argues?|notes?|contends?|believes?|finds?|"
    r"shows?|demonstrates?)\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[\w’'-]+")
#: Lines that are not claims: greetings, signatures, addresses, form fields.
_NOT_A_CLAIM = re.compile(
    r"^(?:dear\b|sincerely|respectfully(?: submitted)?,?$|regards|best regards|thank you|"
    r"thanks|cc:|re:|subject:|from:|to:|date:|tel\b|phone|fax|email|e-mail|www\.|https?://|"
    r"page \d|attachment|enclosure|\[|\|)",
    re.IGNORECASE,
)
_FORM_FIELD = re.compile(r"^[\w .()/-]{1,40}:\s*\S.{0,60}$")
#: Marks to trim from a quote's ends: list markers, Markdown emphasis, bullets, spaces.
_LEAD = re.compile(
    r"(?:\s+|[-*•▪◦‣⁃–—>#]+\s*|\*\*|__|<u>|\(?\d{1,3}[.)]\s+|\([a-zA-Z]{1,4}\)\s+|"
    r"(?:and|but|or|so|yet)\s+(?=\S))+"
)
_TRAIL = re.compile(r"(?:\s+|\*\*|__|</u>|[,;:⏤—–-]+)+$")
#: What joins a clause to what came before it in its sentence, as a relation's marker.
_THEREBY = re.compile(
    r",\s+(?=(?:thereby|thus|which (?:would|will) (?:in turn )?|resulting in|leading to)\b)",
    re.IGNORECASE,
)
_BECAUSE = re.compile(r"\s+(?=(?:because|since|as a result of|due to)\s)", re.IGNORECASE)
_OPENERS = re.compile(
    r"^(?P<m>as a result|therefore|thus|consequently|hence|for (?:this|these) reasons?|"
    r"accordingly|in turn|this means(?: that)?|that is why)\b,?\s*",
    re.IGNORECASE,
)
_BILL_SUBJECT = re.compile(
    r"^(?:it|the bill|this bill|the measure|this measure|the legislation|this legislation|"
    r"(?:california\s+)?(?:sb|ab)\s*\d+|the proposal|the act)$",
    re.IGNORECASE,
)


def find_claims(
    text: str,
    sentences: list[Sentence],
    *,
    bill_name: str | None = None,
    author_names: tuple[str, ...] = (),
    other_names: tuple[str, ...] = (),
) -> list[Candidate]:
    """The claims of ``text``, in the order they stand, from its ``sentences``.

    ``bill_name`` ("SB 1047") stands for "it" and "the bill" in the statements we write;
    ``author_names`` tell what is said of the author (background) from what is said of the
    bill, ``other_names`` what is said of another organization (an example).
    """
    found: list[Candidate] = []
    heading: str | None = None
    for sentence in sentences:
        words = text[sentence.start : sentence.end]
        if sentence.heading:
            heading = _clean_heading(words)
            continue
        if _skip(words, heading):
            continue
        made = _cut(text, sentence, bill_name)
        base = len(found)
        for c in made:
            c.links = [(kind, base + i, marker) for kind, i, marker in c.links]
            c.heading = heading
            c.kind = _kind(text[c.start : c.end], c, heading, author_names, other_names)
        found.extend(made)
    for i, c in enumerate(found):
        c.index = i
    return found


def _clean_heading(words: str) -> str:
    return re.sub(r"[*_#]+|</?u>", "", words).strip(" :")


def _skip(words: str, heading: str | None) -> bool:
    stripped = _lstrip(words).strip()
    tokens = _WORDS.findall(stripped)
    if len(tokens) < 3 or stripped.endswith("?"):
        return True
    if _NOT_A_CLAIM.match(stripped) or _FORM_FIELD.match(stripped) and len(tokens) < 8:
        return True
    # A label, not a sentence: few words and no verb ("Examples of our members' work.").
    has_verb = _PRESENT.search(stripped) or re.search(rf"\b{_MODALS}\b", stripped, re.I)
    has_verb = has_verb or any(t.lower() in _VERBS or t.lower()[:-1] in _VERBS for t in tokens)
    return not has_verb and (len(tokens) < 8 or not re.search(r"\w(?:ed|es|s)\b", stripped))


def _kind(
    quote: str,
    c: Candidate,
    heading: str | None,
    author_names: tuple[str, ...],
    other_names: tuple[str, ...],
) -> str:
    if c.kind in ("position", "prediction"):
        return c.kind
    low = quote.lower()
    head = (heading or "").lower()
    if "existing law" in head or low.startswith("existing law"):
        return "background"
    if _CONCEDE.match(quote):
        return "concession"
    if c.kind == "evaluation":
        return "evaluation"
    subject = _subject_of(quote)
    if re.search(rf"\b{_MODALS}\b", low) and not re.search(r"\b(?:should|must)\b", low):
        return "prediction"
    if _RECOMMEND.search(quote):
        return "recommendation"
    if _CONCERN.search(quote):
        return "concern"
    if any(_names(subject, n) for n in author_names) or re.match(
        r"^(?:we|our|us)\b", subject, re.I
    ):
        return "background"
    if any(_names(subject, n) for n in other_names):
        return "example"
    if re.match(r"^(?:this|the) (?:bill|measure|act)\b", low) or "this bill" in head:
        return "description"
    if any(w.strip("’'s").lower() in _EVALUATIVE for w in _WORDS.findall(quote)):
        return "evaluation"
    return "assertion"


def _names(subject: str, name: str) -> bool:
    bare = re.sub(r"^the\s+", "", name, flags=re.I)
    return bool(bare) and re.search(rf"\b{re.escape(bare)}\b", subject, re.I) is not None


def _subject_of(quote: str) -> str:
    """The words before the sentence's first verb, roughly: its subject."""
    m = re.search(rf"\b(?:{_MODALS}|is|are|was|were|has|have|had)\b", quote, re.I)
    if m:
        return quote[: m.start()]
    return " ".join(quote.split()[:4])


# --- cutting a sentence into clauses -------------------------------------------------------


def _cut(text: str, sentence: Sentence, bill_name: str | None) -> list[Candidate]:
    """The claims of one sentence, each a trimmed span of it, with the links between them."""
    s, e = sentence.start, sentence.end
    out: list[Candidate] = []

    def add(start: int, end: int, kind: str = "", statement: str | None = None) -> int | None:
        start, end = _trim(text, start, end)
        if end - start < 8 or len(_WORDS.findall(text[start:end])) < 2:
            return None
        quote = text[start:end]
        c = Candidate(start, end, kind, statement or _as_statement(quote), sentence)
        c.rephrased = statement is not None
        out.append(c)
        return len(out) - 1

    words = text[s:e]
    position = _POSITION.search(words)
    if position:
        stance_at = add(s + position.start(), s + position.end(), "position")
        if stance_at is not None:
            out[stance_at].about_bill = True
            if bill_name:
                verb = position.group("verb").lower()
                amended = " if amended" if position.group("amended") else ""
                word = "supports" if verb.startswith("support") else "opposes"
                if "unless" in (position.group("amended") or ""):
                    amended = " unless amended"
                out[stance_at].statement = f"The author {word} {bill_name}{amended}."
                out[stance_at].rephrased = True
        rest = position.end()
        because = _BECAUSE.search(words, rest)
        if because and because.start() - rest < 40:
            reason = add(s + because.end(), e)
            if reason is not None and stance_at is not None:
                out[reason].links.append(
                    ("supports", stance_at, because.group(0).strip() or "because")
                )
        return out

    # A sentence of several parts: after a semicolon, or a dash, each part on its own.
    parts = _parts(words)
    for p_start, p_end in parts:
        _cut_part(text, s + p_start, s + p_end, bill_name, add, out)
    opener = _OPENERS.match(_lstrip(words))
    if opener and out:
        out[0].opener = opener.group("m")
    return out


def _parts(words: str) -> list[tuple[int, int]]:
    cuts = [
        m
        for m in re.finditer(
            r";\s+|\s*[⏤—]\s*(?=(?:and|but|which|we|it|this)\b)|\s+[-–]{1,2}\s+(?=(?:and|but|we|it|this)\b)",
            words,
        )
    ]
    spans, at = [], 0
    for m in cuts:
        spans.append((at, m.start()))
        at = m.end()
    spans.append((at, len(words)))
    return spans


def _cut_part(text, start, end, bill_name, add, out) -> None:  # noqa: ANN001
    words = text[start:end]
    # "..., thereby Y": Y is a claim that what comes before supports.
    thereby = _THEREBY.search(words)
    head_end = start + thereby.start() if thereby else end
    # "X because Y": Y supports X.
    because = _BECAUSE.search(text[start:head_end])
    reason_start = None
    if because and because.start() > 20:
        reason_start = start + because.end()
        head_end = start + because.start()
    first = len(out)
    _predicates(text, start, head_end, bill_name, add, out)
    made = list(range(first, len(out)))
    if reason_start is not None:
        r = add(reason_start, start + thereby.start() if thereby else end)
        if r is not None:
            for i in made:
                out[r].links.append(("supports", i, because.group(0).strip() or "because"))
    if thereby:
        t = add(start + thereby.end(), end)
        if t is not None:
            marker = thereby.group(0).strip(", ") or words[thereby.end() :].split()[0]
            marker = words[thereby.end() :].split()[0]
            for i in made:
                if out[i].kind != "evaluation":
                    out[i].links.append(("supports", t, marker))


def _predicates(text, start, end, bill_name, add, out) -> None:  # noqa: ANN001
    """A clause with a modal: each of its joined predicates; an evaluating subject alone."""
    words = text[start:end]
    modal = re.search(rf"\b{_MODALS}\s+{_ADVERB}(?P<verb>[a-z]+)\b", words)
    if modal is None:
        add(start, end)
        return
    subject = words[: modal.start()].strip()
    subject_words = _lstrip(subject)
    evaluating = _evaluating(subject_words)
    items = _items(words, modal.end("verb"))
    first = len(out)
    if evaluating is not None:
        at = add(start, start + modal.start(), "evaluation", evaluating)
        pred_start = start + modal.start()
    else:
        at = None
        pred_start = start
    bill_subject = bool(_BILL_SUBJECT.match(subject_words.strip(" ,")))
    who = bill_name if bill_subject and bill_name else subject_words.strip(" ,")
    modal_words = words[modal.start() : modal.start("verb")].strip()
    bounds = [pred_start] + [start + i for i in items] + [end]
    for k in range(len(bounds) - 1):
        piece_start, piece_end = bounds[k], bounds[k + 1]
        predicate = text[piece_start:piece_end]
        if k == 0:
            predicate = text[start + modal.start() : piece_end]
            predicate = predicate[len(modal_words) :]
        i = add(
            piece_start,
            piece_end,
            "prediction",
            _sentence(who, modal_words, predicate) if who else None,
        )
        if i is not None:
            out[i].about_bill = bill_subject
            if at is not None:
                out[at].links.append(("supports", i, "subject"))
    del first


def _items(words: str, after: int) -> list[int]:
    """Where each further predicate begins after the modal's first verb: at ", and V",
    ", V" or " and V" with V a verb of :data:`_VERBS`."""
    found = []
    for m in re.finditer(
        r"(?:,\s+(?:and|or)\s+|,\s+|\s+(?:and|or)\s+)(?P<v>[a-z]+)\b", words[after:]
    ):
        verb = m.group("v")
        if verb in _VERBS or verb.endswith("e") and verb[:-1] in _VERBS:
            if verb in ("be", "have", "do") and not m.group(0).startswith(","):
                continue
            found.append(after + m.start() + (1 if m.group(0).startswith(",") else 0))
    return found


def _evaluating(subject: str) -> str | None:
    """The statement an evaluating subject asserts ("The bill's technically infeasible
    requirements" -> "The bill's requirements are technically infeasible."), or None."""
    m = re.match(
        r"^(?P<det>(?:the|this|its|their|our|these|those|such)\s+(?:[\w’']+[’']s\s+)?|"
        r"[\w’']+[’']s\s+)(?P<adv>(?:\w+ly\s+)?)(?P<adj>[\w-]+)\s+(?P<noun>[\w\s-]{2,40})$",
        subject.strip(),
        re.IGNORECASE,
    )
    if not m or m.group("adj").lower() not in _EVALUATIVE:
        return None
    noun = m.group("noun").strip()
    verb = "are" if noun.endswith("s") and not noun.endswith("ss") else "is"
    det = m.group("det").strip()
    return f"{det[0].upper()}{det[1:]} {noun} {verb} {m.group('adv')}{m.group('adj')}."


def _sentence(who: str, modal: str, predicate: str) -> str:
    predicate = _TRAIL.sub("", _lstrip(predicate.strip()))
    predicate = predicate.rstrip(".")
    return _capital(f"{who} {modal} {predicate}".replace("  ", " ")) + "."


def _as_statement(quote: str) -> str:
    """The quote's own words as a sentence: the statement to put in plain words."""
    words = " ".join(quote.split())
    words = _OPENERS.sub("", words)
    words = re.sub(r"^(?:thereby|thus)\s+", "", words, flags=re.I)
    words = words.rstrip(" ,;:")
    if not words.endswith((".", "!", "”", '"', ")")):
        words += "."
    return _capital(words)


def _lstrip(words: str) -> str:
    """``words`` without a list marker, emphasis marks or a joining word at the start."""
    m = _LEAD.match(words)
    return words[m.end() :] if m else words


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:] if words else words


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without list markers, emphasis marks, joining words and spaces at its ends."""
    while True:
        lead = _LEAD.match(text, start, end)
        if lead and lead.end() > start:
            start = lead.end()
            continue
        trail = _TRAIL.search(text, start, end)
        if trail and trail.start() < end:
            end = trail.start()
            continue
        return start, end
