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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

#: The kinds of change a part can undergo between two versions.
CHANGE_KINDS = ("added", "removed", "changed", "renumbered", "unchanged")

# Parts whose words are this alike (difflib's ratio, labels aside) are one part renumbered.
_SAME_PART = 0.6
# A part that keeps its citation but whose words are this unlike is looked for elsewhere.
_UNLIKE = 0.5
# What being in the same section weighs, beside likeness, in telling two near-copies apart.
_SAME_SECTION = 0.05
# A part that kept its citation but is less alike than this to its old words is looked for
# among the new parts too, and goes where it is clearly more alike.
_SURE = 0.9
_CLEARLY_BETTER = 0.15
# A leftover part is scored against at most this many others, those sharing most words with
# it; a word found in more than this many tells nothing.
_CANDIDATES = 25
_COMMON_WORD = 50

# Aligning two runs of words compares each word of one with each equal word of the other:
# for a bill's parts a few times their length (at most 5 in SB 53 and the USLM bills), for
# words repeated without end their square. Runs that would cost more than this are aligned
# by their common start and end only, the rest struck and inserted whole (and their likeness
# estimated by the words they share), so a diff costs about what reading the words does.
_FREE_PAIRS = 20_000
_PAIRS_PER_WORD = 30

_WORDS = re.compile(r"\S+")
# Characters a reader's screen obeys rather than shows: C0 and C1 controls and DEL (U+009B is
# a terminal's CSI, as ESC [ is) and those that set the direction of the text after them
# (U+202E shows the inserted words after it backwards). The bill may hold them as words.
_UNSEEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
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


def _affordable(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether aligning ``a`` and ``b`` word by word costs about what reading them does."""
    if len(a) * len(b) <= _FREE_PAIRS:
        return True
    counts = Counter(b)
    pairs = sum(counts.get(w, 0) for w in a)
    return pairs <= _FREE_PAIRS + _PAIRS_PER_WORD * (len(a) + len(b))


def _ratio(matcher: SequenceMatcher) -> float:
    """The matcher's likeness of its two runs: exact where that is affordable, else the
    share of words they have in common (an upper bound of it)."""
    if _affordable(matcher.a, matcher.b):
        return matcher.ratio()
    return matcher.quick_ratio()


def visible(text: str) -> str:
    """``text`` with each character that a screen would obey, not show, written as its name:
    what the terminal's diff and the diff page show of a bill's words.

    >>> visible("Fees \u202eof $5\x1b[2J")
    'Fees [U+202E]of $5[U+001B][2J'
    """
    return _UNSEEN.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def word_diff(before: str, after: str) -> WordDiff:
    """The words struck from ``before`` and inserted into ``after``, in order.

    >>> word_diff("a cost of $500 million", "a cost of $100 million").marked()
    'a cost of [-$500-] {+$100+} million'
    """
    a, b = _WORDS.findall(before), _WORDS.findall(after)
    if a == b:
        return WordDiff((("=", " ".join(a)),) if a else ())
    if not _affordable(a, b):
        return WordDiff(_coarse_diff(a, b))
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


def _coarse_diff(a: list[str], b: list[str]) -> tuple[tuple[str, str], ...]:
    """The diff of two runs too costly to align word by word: their common start and end
    kept, what lies between aligned if that is affordable, else struck and inserted whole."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    ops: list[tuple[str, str]] = [("=", " ".join(a[:start]))] if start else []
    if _affordable(middle_a, middle_b):
        ops += word_diff(" ".join(middle_a), " ".join(middle_b)).ops
    else:
        ops += [("-", " ".join(middle_a))] if middle_a else []
        ops += [("+", " ".join(middle_b))] if middle_b else []
    ops += [("=", " ".join(a[len(a) - end :]))] if end else []
    return tuple(ops)


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
    if a == b:  # most parts of an amendment: no need to align them
        return 1.0
    return _ratio(SequenceMatcher(None, a, b, autojunk=False))


def compare(
    before: Sequence[tuple[str, str]], after: Sequence[tuple[str, str]]
) -> list[PartChange]:
    """Each part of two versions, given as (citation, own words) in document order, paired
    with its counterpart and the words that changed: in the later version's order, each
    removed part after the part that preceded it."""
    a, b = dict(before), dict(after)
    pairs: dict[str, str] = {}  # citation after -> citation before
    doubtful: set[str] = set()
    # The new parts, where a part that kept its citation may find its words again under
    # another (SEC. 2 of one version is SEC. 4 of the next, and a new SEC. 2 took its number).
    fresh = _Index({cite: _body(text) for cite, text in b.items() if cite not in a})
    for cite in b:
        if cite in a:
            old, new = _body(a[cite]), _body(b[cite])
            if old != new:
                likeness = _likeness(old, new)
                if likeness < _UNLIKE or (
                    likeness < _SURE and fresh.best(old) > likeness + _CLEARLY_BETTER
                ):
                    doubtful.add(cite)
            pairs[cite] = cite
    # Leftovers (and parts that kept a citation but not their words) look for their words.
    taken_a = {pairs[c] for c in pairs if c not in doubtful}
    free_a = [c for c in a if c not in taken_a]
    free_b = [c for c in b if c not in pairs or c in doubtful]
    for c in sorted(doubtful):
        del pairs[c]
    pairs |= _match_by_words(free_a, free_b, a, b)
    paired_old = set(pairs.values())
    for c in sorted(doubtful):
        if c not in pairs and c not in paired_old:
            pairs[c] = c  # nothing fits better: the part kept its citation, its words changed
            paired_old.add(c)
    pairs |= _match_by_children(a, b, pairs)
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


def _root(cite: str) -> str:
    """The section a part is of: 22757.11 of 22757.11(b)(1)."""
    return cite.split("(", 1)[0]


class _Index:
    """Parts by the words they hold, to find the few most like a given part."""

    def __init__(self, bodies: dict[str, list[str]]) -> None:
        self.bodies = bodies
        self.having: dict[str, list[str]] = {}
        for cite, words in bodies.items():
            for word in set(words):
                self.having.setdefault(word, []).append(cite)

    def likely(self, words: list[str]) -> list[str]:
        """The parts sharing the most words with ``words`` (words most parts have aside)."""
        shared: dict[str, int] = {}
        for word in set(words):
            holders = self.having.get(word, ())
            if len(holders) <= _COMMON_WORD:
                for cite in holders:
                    shared[cite] = shared.get(cite, 0) + 1
        return sorted(shared, key=lambda c: (-shared[c], c))[:_CANDIDATES]

    def best(self, words: list[str]) -> float:
        """How alike ``words`` and the part most like them are (0 if none is)."""
        if not words or not self.bodies:
            return 0.0
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(words)
        best = 0.0
        for cite in self.likely(words):
            matcher.set_seq1(self.bodies[cite])
            if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
                best = max(best, _ratio(matcher))
        return best


def _parent(cite: str) -> str | None:
    """The citation of a part's parent, as citations are made: 22757.11(f) of 22757.11(f)(1)."""
    if not cite.endswith(")") or "(" not in cite:
        return None
    return cite[: cite.rindex("(")]


def _match_by_children(
    a: dict[str, str], b: dict[str, str], pairs: dict[str, str]
) -> dict[str, str]:
    """Pairs of leftover parts of a label alone ("(1)") whose own parts were paired: the part
    whose paragraphs all went to one new part went there itself."""
    taken = set(pairs.values())
    free_b = {c for c in b if c not in pairs}
    went: dict[str, set[str | None]] = {}
    for new, old in pairs.items():
        parent = _parent(old)
        if parent is not None and parent in a and parent not in taken and not _body(a[parent]):
            went.setdefault(parent, set()).add(_parent(new))
    found: dict[str, str] = {}
    for old, parents in sorted(went.items()):
        if len(parents) == 1:
            (new,) = parents
            if new in free_b and not _body(b[new]) and new not in found:
                found[new] = old
    return found


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
    paired = set(pairs.values())  # once: made in the condition, it was made for each part
    rest_a = [c for c in free_a if c not in paired and _body(a[c])]
    if not rest_a or not rest_b:
        return pairs
    bodies_a = {c: _body(a[c]) for c in rest_a}
    # Each leftover part is scored only against the leftovers it shares the most words with
    # (words common to many parts aside), so the cost grows with the parts, not their square.
    index = _Index(bodies_a)
    scored = []
    for order, cb in enumerate(rest_b):
        wb = _body(b[cb])
        likely = index.likely(wb)
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(wb)
        for ca in likely:
            matcher.set_seq1(bodies_a[ca])
            if matcher.real_quick_ratio() < _SAME_PART or matcher.quick_ratio() < _SAME_PART:
                continue
            score = _ratio(matcher)
            if score >= _SAME_PART:
                # Of two near-copies (a definition a bill repeats in two codes), the one in
                # the same section is the part that moved within it.
                near = _root(ca) == _root(cb)
                scored.append((-score - _SAME_SECTION * near, order, ca, cb))
    used_a: set[str] = set()
    for _, _, ca, cb in sorted(scored):
        if cb in pairs or ca in used_a:
            continue
        pairs[cb] = ca
        used_a.add(ca)
    return pairs


def lineage(versions: Iterable[Sequence[tuple[str, str]]]) -> list[dict[str, str]]:
    """For each version, a map from each part's citation to the provision it realises.

    A provision is a part followed through every version it is in, across renumbering; it is
    named by its citation in the last version that has it (the one readers of the final text
    know). Where two provisions would take one name (a part removed, and its citation later
    given to another), the one that ends first is told apart by the number of the last
    version that has it: ``22757.13 (v3)``.

    >>> v1 = [("1", "1. A."), ("1(a)", "(a) Fees are small.")]
    >>> v2 = [("1", "1. A."), ("1(a)", "(a) Makers register."), ("1(b)", "(b) Fees are small.")]
    >>> lineage([v1, v2])
    [{'1': '1', '1(a)': '1(b)'}, {'1': '1', '1(a)': '1(a)', '1(b)': '1(b)'}]
    """
    versions = list(versions)
    chains: list[list[tuple[int, str]]] = []  # each provision's (version index, citation)
    where: dict[str, int] = {}  # citation in the previous version -> its chain
    previous: Sequence[tuple[str, str]] | None = None
    for number, parts in enumerate(versions):
        here: dict[str, int] = {}
        if previous is not None:
            for change in compare(previous, parts):
                if change.after is not None and change.before is not None:
                    here[change.after] = where[change.before]
        for cite, _ in parts:
            if cite not in here:
                here[cite] = len(chains)
                chains.append([])
            chains[here[cite]].append((number, cite))
        where, previous = here, parts
    names: list[str] = [""] * len(chains)
    taken: set[str] = set()
    # The provisions that last longest name themselves first.
    for k in sorted(range(len(chains)), key=lambda k: (-chains[k][-1][0], k)):
        last, cite = chains[k][-1]
        name = cite if cite not in taken else f"{cite} (v{last + 1})"
        taken.add(name)
        names[k] = name
    out: list[dict[str, str]] = [{} for _ in versions]
    for k, chain in enumerate(chains):
        for number, cite in chain:
            out[number][cite] = names[k]
    # Each version's map in its parts' order.
    return [{cite: m[cite] for cite, _ in parts} for m, parts in zip(out, versions, strict=True)]


# --- what a user asks for: the amendments between versions ---------------------------------


@dataclass(frozen=True)
class Version:
    """A version as :func:`amendments` compares it: its id, label, date and parts."""

    id: str
    label: str
    date: str | None
    parts: tuple[tuple[str, str], ...]  # (citation, own words), in document order


@dataclass(frozen=True)
class Amendment:
    """What changed between two versions of a bill, part by part."""

    bill: str  # "SB 53"
    before: Version
    after: Version
    changes: tuple[PartChange, ...]

    def counts(self) -> dict[str, int]:
        """How many parts underwent each kind of change."""
        out = dict.fromkeys(CHANGE_KINDS, 0)
        for c in self.changes:
            out[c.kind] += 1
        return out


def amendments(
    bill: str,
    versions: Sequence[Version],
    *,
    before: str | None = None,
    after: str | None = None,
    part: str | None = None,
) -> list[Amendment]:
    """The amendments a user asks about: between the versions ``before`` and ``after`` (ids),
    or, naming one, between it and the version next to it, or, naming none, each amendment in
    turn; and of the part ``part`` only (a citation in either version, with its own parts).

    Raises ValueError, in a user's words, for a version or a part that is not there.
    """
    ids = [v.id for v in versions]
    for named in (before, after):
        if named is not None and named not in ids:
            raise ValueError(f"{bill} has no version {named!r}; its versions: {', '.join(ids)}")
    if len(versions) < 2:
        raise ValueError(f"{bill} has {len(versions)} version with parts: nothing to compare")
    if before is None and after is None:
        pairs = list(zip(versions, versions[1:], strict=False))
    else:
        if after is None:
            i = ids.index(before)  # type: ignore[arg-type]
            if i + 1 == len(ids):
                raise ValueError(f"{before!r} is the last version of {bill}: name one with --to")
            after = ids[i + 1]
        if before is None:
            j = ids.index(after)
            if j == 0:
                raise ValueError(f"{after!r} is the first version of {bill}: name one with --from")
            before = ids[j - 1]
        pairs = [(versions[ids.index(before)], versions[ids.index(after)])]
    out = []
    for a, b in pairs:
        changes = compare(a.parts, b.parts)
        if part is not None:
            changes = [c for c in changes if _within(c.before, part) or _within(c.after, part)]
        out.append(Amendment(bill, a, b, tuple(changes)))
    if part is not None and not any(a.changes for a in out):
        cites = {c for v in versions for c, _ in v.parts}
        close = _close(part, cites)
        raise ValueError(f"no part {part!r} in these versions of {bill}{close}")
    return out


def _within(citation: str | None, part: str) -> bool:
    """Whether ``citation`` is ``part`` or one of its parts: 22757.12(a) is in 22757.12."""
    return citation is not None and (citation == part or citation.startswith(part + "("))


def _close(name: str, known: Iterable[str]) -> str:
    from difflib import get_close_matches

    found = get_close_matches(name, sorted(known), n=3)
    return f"; the closest: {', '.join(found)}" if found else ""


def word_diff_text(amendment: Amendment, *, color: bool = False, unchanged: bool = False) -> str:
    """An amendment as the terminal shows it, the way ``git diff --word-diff`` does: each part
    that changed under a ``@@`` line saying how, its struck words ``[-in brackets-]`` and its
    inserted words ``{+in braces+}`` (in red and green with ``color``). The bill's words are
    shown as :func:`visible` writes them: no escape sequence of theirs reaches the terminal."""

    def struck(words: str) -> str:
        return f"\x1b[31m[-{words}-]\x1b[0m" if color else f"[-{words}-]"

    def inserted(words: str) -> str:
        return f"\x1b[32m{{+{words}+}}\x1b[0m" if color else f"{{+{words}+}}"

    a, b = amendment.before, amendment.after
    lines = [visible(f"{amendment.bill}: {a.label} ({a.date}) -> {b.label} ({b.date})")]
    for c in amendment.changes:
        if c.kind == "unchanged" and not unchanged:
            continue
        cite = c.after or c.before
        if c.kind == "renumbered":
            cite = f"{c.before} -> {c.after}"
        how = f"{c.kind}, {c.struck} words struck, {c.inserted} inserted"
        lines.append(visible(f"@@ {cite}: {how} @@"))
        shown = [(op, visible(words)) for op, words in c.diff.ops]
        lines.append(
            " ".join(
                words if op == "=" else struck(words) if op == "-" else inserted(words)
                for op, words in shown
            )
        )
    n = amendment.counts()
    lines.append(
        ", ".join(f"{n[k]} {k}" for k in CHANGE_KINDS if n[k]) + " "
        f"({sum(c.struck for c in amendment.changes)} words struck, "
        f"{sum(c.inserted for c in amendment.changes)} inserted)"
    )
    return "\n".join(lines) + "\n"
