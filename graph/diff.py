"""What changed between two versions of a bill, part by part and word by word.

A version is a sequence of parts, each with its citation and its own words (see
:class:`graph.billformats.Part`). :func:`compare` pairs the parts of two versions, by citation
first and, for the parts left over, by their words, so that a part renumbered between versions
("(c)" becomes "(d)" when a subdivision is inserted before it) is one renumbered part, not a
removal and an addition; and gives each pair its word-level diff. :func:`lineage` follows the
pairs through every version, so that each part of each version is known as a wording of one
provision.

>>> a = [("SEC. 1", "SEC. 1. Makers register."), ("SEC. 1(a)", "(a) Fees are small.")]
>>> b = [("SEC. 1", "SEC. 1. Makers and sellers register."), ("SEC. 1(b)", "(b) Fees are small.")]
>>> [(c.kind, c.before, c.after, c.struck, c.inserted) for c in compare(a, b)]
[('changed', 'SEC. 1', 'SEC. 1', 0, 2), ('renumbered', 'SEC. 1(a)', 'SEC. 1(b)', 1, 1)]
>>> compare(a, b)[0].diff.marked()
'SEC. 1. Makers {+and sellers+} register.'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

#: The kinds of change a part can undergo between two versions.
CHANGE_KINDS = ("added", "removed", "changed", "renumbered", "unchanged")

# Parts whose words are this alike (difflib's ratio, labels aside) are one part renumbered.
_SAME_PART = 0.6
# A part that keeps its citation but whose words are this unlike is looked for elsewhere.
_UNLIKE = 0.5
# Above this many candidate pairs, leftover parts are matched by identical words only.
_MAX_PAIRS = 250_000

_WORDS = re.compile(r"\S+")
# The label a part's words open with: "(a)", "SEC. 2.", "22757.12.", "Sec. 3."
_LEADING_LABEL = re.compile(
    r"^\s*(?:\([0-9A-Za-z]+\)\s*)+|^\s*(?:SECTION|SEC\.|Sec\.)?\s*[\d.]+\s*"
)


@dataclass(frozen=True)
class WordDiff:
    """A word-level diff: runs of kept (``=``), struck (``-``) and inserted (``+``) words."""

    ops: tuple[tuple[str, str], ...]

    @property
    def struck(self) -> int:
        return sum(len(w.split()) for op, w in self.ops if op == "-")

    @property
    def inserted(self) -> int:
        return sum(len(w.split()) for op, w in self.ops if op == "+")

    def marked(self) -> str:
        """The diff as ``git diff --word-diff`` prints it: ``[-struck-]`` and ``{+inserted+}``."""
        out = []
        for op, words in self.ops:
            out.append(words if op == "=" else f"[-{words}-]" if op == "-" else f"{{+{words}+}}")
        return " ".join(out)


def word_diff(before: str, after: str) -> WordDiff:
    """The words struck from ``before`` and inserted into ``after``, in order.

    >>> word_diff("a cost of $500 million", "a cost of $100 million").marked()
    'a cost of [-$500-] {+$100+} million'
    """
    a, b = _WORDS.findall(before), _WORDS.findall(after)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("=", " ".join(a[i1:i2])))
            continue
        if tag in ("replace", "delete"):
            ops.append(("-", " ".join(a[i1:i2])))
        if tag in ("replace", "insert"):
            ops.append(("+", " ".join(b[j1:j2])))
    return WordDiff(tuple(ops))


@dataclass(frozen=True)
class PartChange:
    """What became of one part between two versions.

    ``before`` and ``after`` are its citations in the earlier and the later version (None
    where it is not in one of them); ``kind`` is one of :data:`CHANGE_KINDS`.
    """

    kind: str
    before: str | None
    after: str | None
    diff: WordDiff = field(default_factory=lambda: WordDiff(()))

    @property
    def struck(self) -> int:
        return self.diff.struck

    @property
    def inserted(self) -> int:
        return self.diff.inserted


def _body(text: str) -> list[str]:
    """A part's words without the label they open with, which renumbering changes."""
    return _WORDS.findall(_LEADING_LABEL.sub("", text, count=1))


def _likeness(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def compare(
    before: Sequence[tuple[str, str]], after: Sequence[tuple[str, str]]
) -> list[PartChange]:
    """Each part of two versions, given as (citation, own words) in document order, paired
    with its counterpart and the words that changed: in the later version's order, each
    removed part after the part that preceded it."""
    a, b = dict(before), dict(after)
    pairs: dict[str, str] = {}  # citation after -> citation before
    doubtful: list[str] = []
    for cite in b:
        if cite in a:
            if _likeness(_body(a[cite]), _body(b[cite])) < _UNLIKE:
                doubtful.append(cite)
            pairs[cite] = cite
    # Leftovers (and parts that kept a citation but not their words) look for their words.
    taken_a = {pairs[c] for c in pairs if c not in doubtful}
    free_a = [c for c in a if c not in taken_a]
    free_b = [c for c in b if c not in pairs or c in doubtful]
    for c in doubtful:
        del pairs[c]
    pairs |= _match_by_words(free_a, free_b, a, b)
    for c in doubtful:
        if c not in pairs and c not in pairs.values():
            pairs[c] = c  # nothing fits better: the part kept its citation, its words changed
    changes: dict[str, PartChange] = {}
    for cite, text in b.items():
        old = pairs.get(cite)
        if old is None:
            changes[cite] = PartChange("added", None, cite, word_diff("", text))
            continue
        d = word_diff(a[old], text)
        kind = "renumbered" if old != cite else "changed" if d.struck or d.inserted else "unchanged"
        changes[cite] = PartChange(kind, old, cite, d)
    kept = set(pairs.values())
    out: list[PartChange] = []
    order = {c: i for i, c in enumerate(b)}
    removed_after: dict[str, list[PartChange]] = {}
    last_kept: str | None = None
    reverse = {old: new for new, old in pairs.items()}
    for cite, text in a.items():
        if cite in kept:
            last_kept = reverse[cite]
            continue
        removed_after.setdefault(last_kept or "", []).append(
            PartChange("removed", cite, None, word_diff(text, ""))
        )
    out.extend(removed_after.get("", []))
    for cite in sorted(changes, key=order.__getitem__):
        out.append(changes[cite])
        out.extend(removed_after.get(cite, []))
    return out


def _match_by_words(
    free_a: list[str], free_b: list[str], a: dict[str, str], b: dict[str, str]
) -> dict[str, str]:
    """Pairs of leftover parts that are one part renumbered: identical words first, then the
    most alike, each part in at most one pair."""
    pairs: dict[str, str] = {}
    by_words: dict[tuple[str, ...], list[str]] = {}
    for c in free_a:
        by_words.setdefault(tuple(_body(a[c])), []).append(c)
    rest_b = []
    for c in free_b:
        same = by_words.get(tuple(_body(b[c])))
        if same and _body(b[c]):
            pairs[c] = same.pop(0)
        else:
            rest_b.append(c)
    # A part of a label alone ("(f)", whose words are all in its paragraphs) is too like any
    # other to be matched by its words; it keeps its citation or is added and removed.
    rest_b = [c for c in rest_b if _body(b[c])]
    rest_a = [c for c in free_a if c not in set(pairs.values()) and _body(a[c])]
    if not rest_a or not rest_b or len(rest_a) * len(rest_b) > _MAX_PAIRS:
        return pairs
    bodies_a = {c: _body(a[c]) for c in rest_a}
    scored = []
    for cb in rest_b:
        wb = _body(b[cb])
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(wb)
        for ca in rest_a:
            matcher.set_seq1(bodies_a[ca])
            if matcher.real_quick_ratio() < _SAME_PART or matcher.quick_ratio() < _SAME_PART:
                continue
            score = matcher.ratio()
            if score >= _SAME_PART:
                scored.append((-score, rest_b.index(cb), ca, cb))
    used_a: set[str] = set()
    for _, _, ca, cb in sorted(scored):
        if cb in pairs or ca in used_a:
            continue
        pairs[cb] = ca
        used_a.add(ca)
    return pairs


def lineage(versions: Iterable[Sequence[tuple[str, str]]]) -> list[dict[str, str]]:
    """For each version, a map from each part's citation to the provision it realises: the
    citation the part had when it first appeared, carried through renumbering.

    A citation that a new part takes over after the part that held it was renumbered names a
    second provision, told apart by the number of the version it appeared in
    (``22757.13 (v3)``).

    >>> v1 = [("1", "1. A."), ("1(a)", "(a) Fees are small.")]
    >>> v2 = [("1", "1. A."), ("1(a)", "(a) Makers register."), ("1(b)", "(b) Fees are small.")]
    >>> lineage([v1, v2])[1]
    {'1': '1', '1(b)': '1(a)', '1(a)': '1(a) (v2)'}
    """
    out: list[dict[str, str]] = []
    used: set[str] = set()
    previous: Sequence[tuple[str, str]] | None = None
    for number, parts in enumerate(versions, start=1):
        here: dict[str, str] = {}
        if previous is not None:
            for change in compare(previous, parts):
                if change.after is not None and change.before is not None:
                    here[change.after] = out[-1][change.before]
        for cite, _ in parts:
            if cite not in here:
                provision = cite if cite not in used else f"{cite} (v{number})"
                here[cite] = provision
                used.add(provision)
        out.append(here)
        previous = parts
    return out
