"""What California's two published forms of a bill share: how its labels nest, and its URLs.

A California bill marks its structure by labels alone: ``(a)`` is a subdivision, ``(1)`` a
paragraph, ``(A)`` a subparagraph, ``(i)`` a clause and ``(I)`` a subclause, by the Legislative
Counsel's drafting convention. Some labels read two ways (``(i)`` after ``(h)`` is a
subdivision, ``(i)`` under ``(A)`` a clause); :func:`choose` settles them from the sequence so
far. Both leginfo's page (:mod:`.leginfo`) and the bill XML (:mod:`.caml`) use it.

>>> path = []
>>> [LEVEL_KIND[choose(label, path, True, 0)[0]] for label in ("a",)]
['subdivision']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlunsplit

#: Where leginfo publishes a bill's text and status; the page's own links give the bill_id.
LEGINFO_HOST = "leginfo.legislature.ca.gov"
LEGINFO_TEXT = "/faces/billTextClient.xhtml"
LEGINFO_STATUS = "/faces/billStatusClient.xhtml"

# Levels of California bill structure, outermost first, and the corpus kind of each. A
# subclause ((I), (II)) has no kind of its own in the corpus format; it is a clause there.
SUBDIVISION, PARAGRAPH, SUBPARAGRAPH, CLAUSE, SUBCLAUSE = range(5)
LEVEL_KIND = ("subdivision", "paragraph", "subparagraph", "clause", "clause")

LABEL = re.compile(r"\s*\(([0-9]+|[a-z]{1,5}|[A-Z]{1,5})\)(?=\s|$|\()")
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
BILL_SECTION = re.compile(r"^(SECTION|SEC\.)\s*(\d+(?:\.\d+)?)\.?$", re.I)
CODE_SECTION = re.compile(r"^(\d+(?:\.\d+)*)\.?$")
# '"Covered model" means ...': the term a subdivision of a definitions section defines.
DEFINED_TERM = re.compile(
    r"\s*[\u201c\"]([^\u201d\"]{1,80})[\u201d\"]\s+(?:means|includes|has the same meaning)\b"
)

# --- labels and levels ------------------------------------------------------------------


def _letters_value(label: str) -> int | None:
    """a=1 ... z=26, aa=27 ...: the California way of going past (z); None if not that form."""
    if len(set(label)) != 1:
        return None
    return (ord(label[0].lower()) - ord("a") + 1) + 26 * (len(label) - 1)


def _roman_value(label: str) -> int | None:
    up = label.upper()
    if not up or not _ROMAN.match(up):
        return None
    total = 0
    for ch, nxt in zip(up, up[1:] + " ", strict=True):
        v = _ROMAN_VALUE[ch]
        total += -v if nxt != " " and _ROMAN_VALUE[nxt] > v else v
    return total


def readings(label: str) -> list[tuple[int, int]]:
    """Each (level, ordinal) a label can stand for: '(i)' is a subdivision or a clause."""
    if label.isdigit():
        return [(PARAGRAPH, int(label))]
    out = []
    letter, roman = _letters_value(label), _roman_value(label)
    if label.islower():
        if letter is not None:
            out.append((SUBDIVISION, letter))
        if roman is not None:
            out.append((CLAUSE, roman))
    else:
        if letter is not None:
            out.append((SUBPARAGRAPH, letter))
        if roman is not None:
            out.append((SUBCLAUSE, roman))
    return out


@dataclass
class Open:
    level: int
    ordinal: int
    node: dict[str, Any]


def _score(level: int, ordinal: int, path: list[Open]) -> int:
    """How well a reading fits where we are: 3 is the expected next label, 0 a poor fit."""
    same = [o for o in path if o.level == level]
    if same and same[-1].ordinal + 1 == ordinal:
        return 3  # the next sibling of an open label
    deepest = path[-1].level if path else -1
    if ordinal == 1 and deepest == level - 1:
        return 3  # the first child of the deepest open label
    if ordinal == 1 and deepest < level:
        return 2  # a first child that skips a level
    if same and same[-1].ordinal < ordinal:
        return 1  # a later sibling after a gap in the numbering
    return 0


def choose(label: str, path: list[Open], first_in_block: bool, indent: float) -> tuple[int, int]:
    scored = [(_score(lv, n, path), lv, n) for lv, n in readings(label)]
    best = max(s for s, _, _ in scored)
    tied = [(lv, n) for s, lv, n in scored if s == best]
    if len(tied) == 1:
        return tied[0]
    # '(i)' that could be the subdivision after (h) or the first clause: a block that starts
    # at the margin is a subdivision; an indented one is the clause.
    if first_in_block and indent == 0:
        return min(tied)
    return max(tied)


def text_url(bill_id: str, version: str | None = None) -> str:
    """The leginfo URL of a bill's text, of one version when ``version`` is given.

    >>> text_url("202320240SB1047", "20230SB104799INT")
    'https://leginfo.legislature.ca.gov/faces/billTextClient.xhtml?bill_id=202320240SB1047&version=20230SB104799INT'
    """
    query = {"bill_id": bill_id} | ({"version": version} if version else {})
    return urlunsplit(("https", LEGINFO_HOST, LEGINFO_TEXT, urlencode(query), ""))


def status_url(bill_id: str) -> str:
    """The leginfo URL of a bill's status page (history, votes, veto message)."""
    return urlunsplit(("https", LEGINFO_HOST, LEGINFO_STATUS, urlencode({"bill_id": bill_id}), ""))


def nest(
    container: dict[str, Any], text: str, path: list[Open], indent: float = 0.0
) -> list[dict[str, Any]]:
    """Attach the parts a block of text opens to their parents in ``container``'s tree.

    A block opens with none, one or several labels (``(e) (1) "Frontier model" means``); each
    becomes a node ``{"label", "kind", "words"}`` under the deepest open node it can follow
    (``path``, updated in place). A node's ``words`` are its own: its label, and the text that
    follows up to the next label; a block with no label continues the deepest open node.
    Gives the nodes the block opened, in order.
    """
    at, opened = 0, []
    # Matched in place: cutting the text after each label copied the rest of it each time.
    while m := LABEL.match(text, at):
        level, ordinal = choose(m.group(1), path, not opened, indent)
        while path and path[-1].level >= level:
            path.pop()
        parent = path[-1].node if path else container
        node = {"label": f"({m.group(1)})", "kind": LEVEL_KIND[level], "words": [m.group(0)]}
        parent.setdefault("parts", []).append(node)
        path.append(Open(level, ordinal, node))
        opened.append(node)
        at = m.end()
    rest = text[at:]
    term = DEFINED_TERM.match(rest)
    if term and opened:
        # A definition's term is its caption: '(e) (1) "Covered model" means' names (e).
        opened[0]["heading"] = term.group(1)
    owner = opened[-1] if opened else (path[-1].node if path else container)
    owner.setdefault("words", []).append(rest)
    return opened
