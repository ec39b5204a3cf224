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

import bisect
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
    #: Read from what was cited before it ("subdivision (b) of that section"), or from the
    #: section of the bill whose text it stands in ("subdivision (e)").
    relative: bool = False
    #: Where the words do not name ``code`` with the number, what does: the bill's section
    #: whose text the citation stands in, and the code that section adds to.
    code_said: str | None = None


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
#: A code section of one or two digits has a decimal part where a bill section has none
#: ("Section 98.74"); after "Section" or "§" only, as "SEC. 1.5" is a bill's.
_SHORT = r"(?<=Section )\d{1,2}\.\d+|(?<=§ )\d{1,2}\.\d+|(?<=§)\d{1,2}\.\d+"
#: California's codes, named before a section as existing law is cited ("Labor Code
#: Section 1102.5", "Government Code Sections 11545-11546").
_CODE_NAMES = (
    "Business and Professions|Civil|Code of Civil Procedure|Commercial|Corporations|"
    "Education|Elections|Evidence|Family|Financial|Fish and Game|Food and Agricultural|"
    "Government|Harbors and Navigation|Health and Safety|Insurance|Labor|"
    "Military and Veterans|Penal|Probate|Public Contract|Public Resources|Public Utilities|"
    "Revenue and Taxation|Streets and Highways|Unemployment Insurance|Vehicle|Water|"
    "Welfare and Institutions"
)
_A_CODE = rf"(?:(?:{_CODE_NAMES}) Code|Code of Civil Procedure)"
#: "(commencing with Section 7920.000) of Title 1 of the Government Code": a division of a
#: code named by its first section, and the code after it.
_OF_CODE = (
    r"(?:\)?(?:\s+of\s+(?:Title|Division|Part|Chapter|Article)\s+\d+(?:\.\d+)?[A-Z]?)*"
    rf"\s+of\s+the\s+{_CODE_NAME})?"
)

_PATTERNS = [
    # paragraph (2) of subdivision (a) of Section 22603 [of the X Code]
    (
        "spelled",
        re.compile(
            r"(?P<chain>(?:(?:clause|subparagraph|paragraph|subdivision)s?\s+\([a-zA-Z0-9]{1,4}\)"
            r"\s+of\s+)+)(?:(?P<that>(?:that|this|the same)\s+section)|(?:Section|Sec\.|§)\s*"
            rf"(?P<num>{_NUMBER}|\d{{1,2}}\.\d+|\d{{1,2}})(?P<labels>{_LABELS})"
            rf"(?:\s+of\s+the\s+{_CODE_NAME})?)"
        ),
    ),
    # paragraph (1) of subdivision (f): a part of the section the text stands in
    (
        "spelled-here",
        re.compile(
            r"(?P<chain>(?:(?:clause|subparagraph|paragraph)s?\s+\([a-zA-Z0-9]{1,4}\)\s+of\s+)+)"
            r"subdivision\s+\((?P<sub>[a-z]{1,2})\)"
            r"(?!\s+of\s+(?:that|this|the same|Section|Sec\.|§))"
        ),
    ),
    # Labor Code Section 1102.5; Labor Code (LC) § 1102.5; Government Code Sections 11545
    (
        "code",
        re.compile(
            rf"\b(?P<code>{_A_CODE})\s+(?:\([A-Z]{{2,5}}\)\s*)?(?:Sections?|§§?)\s*"
            rf"(?P<num>{_NUMBER}|{_SHORT})(?P<labels>{_LABELS})"
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
            rf"(?:\b(?:Sections?|Secs?\.|SEC\.)\s*|§§?\s*)(?P<num>{_NUMBER}|{_SHORT})"
            rf"(?P<labels>{_LABELS}){_OF_CODE}"
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


@dataclass(frozen=True)
class Quoted:
    """A line of the bill's own text that a document quotes: the section it stands in, the
    subdivision it is part of, and the code that section's bill section adds to."""

    start: int
    end: int
    section: str
    subdivision: str
    code: str | None
    said: str | None
    #: The line's label and its words, without markup or struck words: ``("e", "Within 30
    #: days ...")``, or None for a line that opens with no subdivision's label.
    words: tuple[str, str] | None = None
    #: Which heading it follows: the lines of one quoted section share it.
    run: int = 0


_STRIP = re.compile(r"^[\s*#~_\\]*")
_BILL_HEADING = re.compile(r"^(?:SECTION|SEC\.)\s*(?P<num>\d{1,3}(?:\.\d+)?)\.")
_PART_HEADING = re.compile(r"^(?:CHAPTER|ARTICLE|PART|DIVISION|TITLE)\s+\d")
_CODE_HEADING = re.compile(r"^(?P<num>\d{3,6}(?:\.\d+)*)\.(?=[\s*]|$)")
_ADDS_TO = re.compile(rf"\b(?:added to|amended|repealed|of)\b[^.]*?\bthe\s+(?P<code>{_A_CODE})")
_SUBDIVISION = re.compile(r"^\((?P<label>[a-z]{1,2})\)")
_ROMAN = frozenset(
    ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]
)


def quoted_sections(text: str) -> list[Quoted]:
    """The lines of ``text`` that quote the bill's own text, as an analysis does: from a
    heading (``SEC. 3.``, ``**22757.12.**``) through the lines that open with a label
    (``(a)``, ``***(e)``), each with the section and subdivision it stands in.

    Bill text cites the parts of its own section bare ("subdivision (e)") and sections of
    the code it adds to without naming the code ("Section 1102.7", in a section added to
    the Labor Code): these lines tell what such a citation names.
    """
    out: list[Quoted] = []
    section: str | None = None
    subdivision = ""
    code: str | None = None
    said: str | None = None
    at = run = 0
    for line in text.splitlines(keepends=True):
        begin, at = at, at + len(line)
        body = _STRIP.sub("", line)
        if not body.strip():
            continue
        head = _BILL_HEADING.match(body)
        if head:
            run += 1
            section, subdivision = f"SEC. {head.group('num')}", ""
            adds = _ADDS_TO.search(body)
            code = adds.group("code") if adds else None
            said = (
                f"cited without its code in the bill's {section}, which adds to the {code}"
                if code
                else None
            )
            body = _STRIP.sub("", body[head.end() :])
        elif (head := _CODE_HEADING.match(body)) and section is not None:
            run += 1
            section, subdivision = head.group("num"), ""
            body = _STRIP.sub("", body[head.end() :])
        elif section is not None and _PART_HEADING.match(body):
            continue  # "CHAPTER 25.1. Transparency in ...": the quote goes on
        elif not body.startswith("(") or section is None:
            section = None  # the quote has ended: the document's own words again
            continue
        sub = _SUBDIVISION.match(body)
        if sub:
            label = sub.group("label")
            follows = bool(subdivision) and ord(label[0]) == ord(subdivision[-1]) + 1
            if label not in _ROMAN or follows or not subdivision:
                subdivision = label
        plain = " ".join(re.sub(r"[*_\\]", "", re.sub(r"~~.*?~~", "", body)).split())
        own = _SUBDIVISION.match(plain)
        words = (own.group("label"), plain[own.end() :].strip()) if own else None
        out.append(Quoted(begin, at, section, subdivision, code, said, words, run))
    return out


def _quoted_at(quoted: list[Quoted], starts: list[int], at: int) -> Quoted | None:
    i = bisect.bisect_right(starts, at) - 1
    return quoted[i] if i >= 0 and quoted[i].start <= at < quoted[i].end else None


def _acronyms(text: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """The codes a text names by acronym once it has defined them ("Labor Code (LC)")."""
    defined = {
        m.group("acr"): m.group("code")
        for m in re.finditer(rf"\b(?P<code>{_A_CODE})\s*\((?P<acr>[A-Z]{{2,5}})\)", text)
    }
    if not defined:
        return None
    names = "|".join(sorted(map(re.escape, defined), key=len, reverse=True))
    return re.compile(
        rf"\b(?P<acr>{names})\s*§§?\s*(?P<num>{_NUMBER}|{_SHORT})(?P<labels>{_LABELS})"
    ), defined


def find_citations(text: str, start: int = 0, end: int | None = None) -> list[Citation]:
    """The citations of bill parts in ``text[start:end]``, in order, none overlapping.

    A bill section is ``SEC. N`` with its subdivisions (``SEC. 2(d)``), a code section its
    number with them (``22603(a)(2)``); a relative citation ("subdivision (b) of that
    section") is read against the code section cited last before it, and a bare one
    ("subdivision (e)", "paragraph (1) of subdivision (f)") in the bill's text an analysis
    quotes, against the section it stands in. ``code`` is the code the words name with the
    number (before it, after it, or by an acronym the text defined: "LC § 1102.5"), or else
    the code the quoted bill section adds to (``code_said`` then says so).
    """
    end = len(text) if end is None else end
    patterns = list(_PATTERNS)
    acronyms = _acronyms(text)
    defined: dict[str, str] = {}
    if acronyms is not None:
        pattern, defined = acronyms
        patterns.insert(3, ("acronym", pattern))
    quoted = quoted_sections(text)
    starts = [q.start for q in quoted]
    taken: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in patterns:
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
        here = _quoted_at(quoted, starts, s)
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
        elif kind == "spelled-here":
            within = here.section if here else last_section
            if within is None:
                continue
            chain = re.findall(r"\(([a-zA-Z0-9]{1,4})\)", m.group("chain"))
            bare = re.sub(r"(\([a-zA-Z0-9]+\))+$", "", within)
            citation = bare + f"({m.group('sub')})" + "".join(f"({x})" for x in reversed(chain))
            relative = True
        elif kind == "abbreviated":
            abbr = (m.group("abbr") or m.group("abbr2") or "").lower()
            abbr = re.sub(r"\s+", " ", abbr).replace(" and ", " & ")
            code = _CODES.get(abbr)
            num = m.group("num") or m.group("num2")
            citation = num + _labels(m.group("labels") or m.group("labels2"))
        elif kind == "acronym":
            code = defined[m.group("acr")]
            citation = m.group("num") + _labels(m.group("labels"))
        elif kind == "relative":
            bare_words = not re.search(r"\bof\s+(?:that|this|the same)\s+section", words)
            if here is not None and bare_words:
                parent = here.section
                if m.group("kind") == "paragraph" and here.subdivision:
                    parent += f"({here.subdivision})"
            elif last_section is None:
                continue
            else:
                parent = last_section
                if m.group("kind") == "paragraph":
                    parent = re.sub(r"(\([0-9]+\))+$", "", parent)
                else:
                    parent = re.sub(r"(\([a-zA-Z0-9]+\))+$", "", parent)
            citation, relative = parent + m.group("label"), True
        elif kind == "bill":
            citation = f"SEC. {m.group('num')}" + _labels(m.group("labels"))
        else:
            citation = m.group("num") + _labels(m.group("labels"))
            code = m.group("code") if "code" in m.groupdict() else None
        said = None
        if code is None and here is not None and here.code and not citation.startswith("SEC."):
            code, said = here.code, here.said
        if not relative:
            last_section = citation
        found.append(Citation(s, e, words, citation, code, relative, said))
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
