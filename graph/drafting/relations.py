"""Relations a draft proposes: supports within the document, counterclaims across documents.

Supports come from the document's own discourse markers: "X, thereby Y", "Y because X",
"As a result, Y" after X, an evaluating subject for what it is said to cause, and the
reasons a position is given with in its own paragraph. Counterclaims are only suggested:
for each claim, the claims of other documents on the same bill and the same part, taken
by the other side, ranked by how alike their words are (cosine of word counts); the draft
lists them as comments with their scores, never as relations a build would use.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..model import Corpus
from .claims import Candidate

#: Which side a stance is on, for counterclaims: for, against, or neither.
SIDE = {
    "support": "for",
    "oppose": "against",
    "oppose-unless-amended": "against",
    "veto": "against",
    "support-if-amended": "mixed",
    "concerns": "mixed",
    "neutral": "neither",
}


@dataclass(frozen=True)
class Support:
    """Premises (claim indexes) that support a conclusion, and the words that say so."""

    premises: tuple[int, ...]
    conclusion: int
    marker: str


def supports(claims: list[Candidate]) -> list[Support]:
    """The supports the document's words mark, in the claims' order, none twice."""
    found: dict[tuple[tuple[int, ...], int], str] = {}
    grouped: dict[tuple[int, str], list[int]] = {}
    for c in claims:
        for kind, target, marker in c.links:
            if kind == "supports" and target != c.index:
                grouped.setdefault((target, marker), []).append(c.index)
    for (target, marker), premises in grouped.items():
        if marker == "subject":
            for p in premises:
                found.setdefault(((p,), target), "what it is said to cause")
        else:
            found.setdefault((tuple(sorted(premises)), target), marker)
    for c in claims:
        if c.opener and c.index > 0:
            before = claims[c.index - 1]
            if before.sentence.paragraph == c.sentence.paragraph:
                found.setdefault(((before.index,), c.index), c.opener)
    # A position and the reasons it is given with: what its paragraph predicts of the bill.
    for c in claims:
        if c.kind != "position":
            continue
        for other in claims:
            if (
                other.index != c.index
                and other.sentence.paragraph == c.sentence.paragraph
                and other.about_bill
                and other.kind == "prediction"
                and not any(other.index in k[0] for k in found)
            ):
                found.setdefault(((other.index,), c.index), "a reason given with the position")
    return [
        Support(p, t, m) for (p, t), m in sorted(found.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


# --- counterclaims ----------------------------------------------------------------------

_STOP = frozenset(
    ["a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "but", "is", "are", "was",
     "were", "be", "been", "it", "its", "this", "that", "these", "those", "with", "by", "as",
     "at", "from", "will", "would", "could", "may", "might", "can", "should", "must", "not",
     "no", "has", "have", "had", "which", "who", "what", "their", "our", "we", "they", "them",
     "than", "then", "so", "such", "also", "any", "all", "more", "most", "other"]
)  # fmt: skip


def words_of(text: str) -> Counter[str]:
    """The content words of ``text``, lower-cased and crudely stemmed, counted."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return Counter(_stem(w) for w in words if w not in _STOP and len(w) > 2)


@lru_cache(maxsize=65536)
def _vector(text: str) -> Counter[str]:
    """:func:`words_of`, kept: the corpus's claims are compared with every claim drafted."""
    return words_of(text)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    for end in (
        "ations",
        "ation",
        "ities",
        "ity",
        "ness",
        "ments",
        "ment",
        "ing",
        "ies",
        "es",
        "ed",
        "s",
    ):
        if word.endswith(end) and len(word) - len(end) >= 4:
            return word[: -len(end)]
    return word


def cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(n * b[w] for w, n in a.items() if w in b)
    return dot / math.sqrt(sum(n * n for n in a.values()) * sum(n * n for n in b.values()))


@dataclass(frozen=True)
class Counterclaim:
    """A claim of another document that may answer a draft claim, with its score."""

    key: str
    statement: str
    stance: str | None
    score: float


def counterclaims(
    corpus: Corpus | None,
    bill: str | None,
    stance: str | None,
    doc_id: str,
    claim_words: str,
    sections: list[str],
    whole_bill: bool,
    limit: int = 3,
    least: float = 0.2,
    bill_name: str | None = None,
) -> list[Counterclaim]:
    """The claims of other documents of ``corpus`` on ``bill``, taken by the other side of
    ``stance``, about the same part (one of ``sections``, a part above or below one, or the
    whole bill), ranked by how alike their words are to ``claim_words``: at most ``limit``,
    each scoring ``least`` or more. None when the draft's side is not known."""
    side = SIDE.get(stance or "")
    if corpus is None or side not in ("for", "against"):
        return []
    mine = words_of(claim_words)
    ranked = []
    for doc in corpus.sources:
        if doc.id == doc_id or doc.bill != bill:
            continue
        other = SIDE.get(doc.stance or "")
        if other not in ("for", "against") or other == side:
            continue
        for c in doc.claims:
            if not _same_part(sections, whole_bill, c.sections, c.whole_bill):
                continue
            theirs = f"{c.statement} {c.quote or ''}"
            if bill_name:
                theirs = re.sub(re.escape(bill_name), " ", theirs, flags=re.I)
            theirs = re.sub(r"\b(?:the|this) bill(?:’s|'s)?\b", " ", theirs, flags=re.I)
            score = cosine(mine, _vector(theirs))
            if score >= least:
                ranked.append(Counterclaim(c.key, c.statement, doc.stance, round(score, 2)))
    ranked.sort(key=lambda k: (-k.score, k.key))
    return ranked[:limit]


def _same_part(mine: list[str], mine_whole: bool, theirs: list[str], their_whole: bool) -> bool:
    if not mine and not theirs:
        return True
    if (mine_whole or not mine) and (their_whole or not theirs):
        return True
    for a in mine:
        for b in theirs:
            x, y = _key(a), _key(b)
            if x == y or x.startswith(y + "(") or y.startswith(x + "("):
                return True
    return False


def _key(citation: str) -> str:
    return re.sub(r"\s+", "", citation.upper()).replace("SECTION", "SEC.")
