"""Citations of a bill in a document's text, and which part of the bill each one names.

Bills are cited in a handful of forms: a section of the bill ("Sec. 2(d)", "SECTION 1"),
a code section it adds or amends ("Section 22603(a)(2)", "§ 22757.12", "22757.12 of the
Business and Professions Code", "Bus. & Prof. Code § 22757.12"), a part spelled out
("paragraph (2) of subdivision (a) of Section 22603"), and a part of the section just named
("subdivision (b) of that section"). :func:`find_citations` finds them with their offsets and
writes each as the bill file does (``SEC. 2(d)``, ``22603(a)(2)``); :func:`resolve` looks
them up among the citations of a bill's tree, whatever tree there is (a version's or the
bill's), and says what it could not find.

>>> found = find_citations("... large companies.” Sec. 2(d). See also Section 22603(a)(2).")
>>> [(c.citation, c.words) for c in found]
[('SEC. 2(d)', 'Sec. 2(d)'), ('22603(a)(2)', 'Section 22603(a)(2)')]
>>> resolve([c.citation for c in found], ["SEC. 2", "SEC. 2(d)", "22603", "22603(a)"])
{'SEC. 2(d)': 'SEC. 2(d)', '22603(a)(2)': None}
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..vocab import slug


@dataclass(frozen=True)
class Citation:
    """A citation found in the text: ``words`` at ``start``..``end``, written as the bill
    file writes it (``citation``), with the code it names if it names one."""

    start: int
    end: int
    words: str
    citation: str
    code: str | None = None
    #: Read from what was cited before it ("subdivision (b) of that section").
    relative: bool = False


_LABELS = r"(?:\s*\([a-zA-Z0-9]{1,4}\))*"
_CODES = {
    "bus. & prof.": "Business and Professions Code",
    "bus. and prof.": "Business and Professions Code",
    "lab.": "Labor Code",
    "gov.": "Government Code",
    "govt.": "Government Code",
    "civ.": "Civil Code",
    "civ. proc.": "Code of Civil Procedure",
    "pen.": "Penal Code",
    "health & saf.": "Health and Safety Code",
    "ins.": "Insurance Code",
    "educ.": "Education Code",
    "ed.": "Education Code",
    "elec.": "Elections Code",
    "evid.": "Evidence Code",
    "fam.": "Family Code",
    "fin.": "Financial Code",
    "veh.": "Vehicle Code",
    "rev. & tax.": "Revenue and Taxation Code",
    "pub. res.": "Public Resources Code",
    "pub. util.": "Public Utilities Code",
    "welf. & inst.": "Welfare and Institutions Code",
}
_CODE_ABBR = (
    r"(?:Bus\.\s*(?:&|and)\s*Prof\.|Lab\.|Gov(?:t)?\.|Civ\.|Pen\.|Health\s*&\s*Saf\.|Ins\.|"
    r"Educ?\.|Elec\.|Evid\.|Fam\.|Fin\.|Veh\.|Rev\.\s*&\s*Tax\.|Pub\.\s*Res\.|Pub\.\s*Util\.|"
    r"Welf\.\s*&\s*Inst\.)"
)
_CODE_NAME = (
    r"(?P<code>(?:[A-Z][a-z]+(?:,?\s+(?:and\s+)?[A-Z][a-z]+)*\s+Code)|"
    r"Code\s+of\s+Civil\s+Procedure)"
)
_NUMBER = r"\d{3,6}(?:\.\d+)*"

_PATTERNS = [
    # paragraph (2) of subdivision (a) of Section 22603 [of the X Code]
    (
        "spelled",
        re.compile(
            r"(?P<chain>(?:(?:clause|subparagraph|paragraph|subdivision)s?\s+\([a-zA-Z0-9]{1,4}\)"
            r"\s+of\s+)+)(?:(?P<that>(?:that|this|the same)\s+section)|(?:Section|Sec\.|§)\s*"
            rf"(?P<num>{_NUMBER}|\d{{1,2}})(?P<labels>{_LABELS})(?:\s+of\s+the\s+{_CODE_NAME})?)"
        ),
    ),
    # Bus. & Prof. Code § 22757.12(a) / Code Civ. Proc. § 916
    (
        "abbreviated",
        re.compile(
            rf"(?P<abbr>{_CODE_ABBR})\s*Code,?\s*§§?\s*(?P<num>{_NUMBER})(?P<labels>{_LABELS})"
            r"|Code\s+(?P<abbr2>Civ\.\s*Proc\.)\s*§§?\s*"
            rf"(?P<num2>{_NUMBER})(?P<labels2>{_LABELS})"
        ),
    ),
    # Section 22757.12(a) [of the X Code]; § 22757.12; Sections 22757.10
    (
        "code",
        re.compile(
            rf"(?:\b(?:Sections?|Secs?\.|SEC\.)\s*|§§?\s*)(?P<num>{_NUMBER})(?P<labels>{_LABELS})"
            rf"(?:\s+of\s+the\s+{_CODE_NAME})?"
        ),
    ),
    # 22757.12 of the Business and Professions Code
    (
        "code",
        re.compile(rf"\b(?P<num>{_NUMBER})(?P<labels>{_LABELS})\s+of\s+the\s+{_CODE_NAME}"),
    ),
    # Sec. 2(d), SECTION 1, Section 2 of this act
    (
        "bill",
        re.compile(
            r"\b(?:SECTION|SEC\.|Sec\.|Section|Sec)\s*(?P<num>\d{1,2})(?![\d.]\d)"
            rf"(?P<labels>{_LABELS})(?!\s+of\s+(?:the\s+[A-Z]|Article|Title|Chapter|Part|Division))"
        ),
    ),
    # subdivision (b) [of that section], alone: a part of what was cited last
    (
        "relative",
        re.compile(
            r"\b(?P<kind>subdivision|paragraph)\s+(?P<label>\([a-zA-Z0-9]{1,4}\))"
            r"(?:\s+of\s+(?:that|this|the same)\s+section)?"
        ),
    ),
]


#: How many labels stand above a part of each kind: a subdivision's none, a paragraph's one.
_DEPTH = {"subdivision": 0, "paragraph": 1, "subparagraph": 2, "clause": 3}


def _labels(text: str | None) -> str:
    return "".join(re.findall(r"\([a-zA-Z0-9]{1,4}\)", text or ""))


def find_citations(text: str, start: int = 0, end: int | None = None) -> list[Citation]:
    """The citations of bill parts in ``text[start:end]``, in order, none overlapping.

    A bill section is ``SEC. N`` with its subdivisions (``SEC. 2(d)``), a code section its
    number with them (``22603(a)(2)``); a relative citation ("subdivision (b) of that
    section") is read against the code section cited last before it.
    """
    end = len(text) if end is None else end
    taken: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text, start, end):
            if any(m.start() < e and s < m.end() for s, e, _, _ in taken):
                continue
            taken.append((m.start(), m.end(), kind, m))
    taken.sort(key=lambda t: t[0])
    found: list[Citation] = []
    last_section: str | None = None
    for s, e, kind, m in taken:
        words = text[s:e]
        code = None
        relative = False
        if kind == "spelled":
            chain = re.findall(r"\(([a-zA-Z0-9]{1,4})\)", m.group("chain"))
            if m.group("that"):
                if last_section is None:
                    continue
                kinds = re.findall(r"(clause|subparagraph|paragraph|subdivision)", m.group("chain"))
                keep = _DEPTH[kinds[-1]]
                labels = re.findall(r"\([a-zA-Z0-9]+\)", last_section)
                bare = re.sub(r"(\([a-zA-Z0-9]+\))+$", "", last_section)
                base, relative = bare + "".join(labels[:keep]), True
            else:
                base = _base(m.group("num")) + _labels(m.group("labels"))
                code = m.group("code")
            citation = base + "".join(f"({label})" for label in reversed(chain))
        elif kind == "abbreviated":
            abbr = (m.group("abbr") or m.group("abbr2") or "").lower()
            abbr = re.sub(r"\s+", " ", abbr).replace(" and ", " & ")
            code = _CODES.get(abbr)
            num = m.group("num") or m.group("num2")
            citation = num + _labels(m.group("labels") or m.group("labels2"))
        elif kind == "relative":
            if last_section is None:
                continue
            label = m.group("label")
            parent = last_section
            if m.group("kind") == "paragraph":
                parent = re.sub(r"(\([0-9]+\))+$", "", parent)
            else:
                parent = re.sub(r"(\([a-zA-Z0-9]+\))+$", "", parent)
            citation, relative = parent + label, True
        elif kind == "bill":
            citation = f"SEC. {m.group('num')}" + _labels(m.group("labels"))
        else:
            citation = m.group("num") + _labels(m.group("labels"))
            code = m.group("code") if "code" in m.groupdict() else None
        if not relative:
            last_section = citation
        found.append(Citation(s, e, words, citation, code, relative))
    return found


def _base(number: str) -> str:
    return f"SEC. {number}" if re.fullmatch(r"\d{1,2}", number) else number


def resolve(citations: Iterable[str], known: Iterable[str]) -> dict[str, str | None]:
    """Each citation of ``citations`` with the citation of ``known`` (a bill tree's, as the
    bill file writes them) that it names, or None where the tree holds no such part.

    Spaces, punctuation and case do not count (``Sec. 2 (d)`` is ``SEC. 2(d)``), as they do
    not in the graph's IRIs.
    """
    by_key: dict[str, str] = {}
    for k in known:
        by_key.setdefault(slug(k), k)
    return {c: by_key.get(slug(c)) for c in citations}


def nearest(citation: str, known: Iterable[str]) -> str | None:
    """The closest part above ``citation`` that ``known`` holds (``22603(a)`` for
    ``22603(a)(9)``), for a citation that :func:`resolve` could not find; or None."""
    keys = {slug(k): k for k in known}
    at = citation
    while True:
        shorter = re.sub(r"\([a-zA-Z0-9]+\)$", "", at)
        if shorter == at:
            return None
        at = shorter
        if slug(at) in keys:
            return keys[slug(at)]
