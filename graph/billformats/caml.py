"""California's bill XML: the Legislature's own format (namespace ``caml:``), that leginfo's pages
are made from.

A ``caml:MeasureDoc`` holds one version of a bill: its description (the version's id and number,
the bill's history up to it, the session, type and number of the measure, the authors, the
subject), Legislative Counsel's digest, and the bill (``caml:Bill``): bill sections
(``caml:BillSection``, "SEC. 2."), each with what it does (``caml:ActionLine``, "Chapter 25.1
... is added to ...") and the law it adds or amends (``caml:Fragment``: headings such as
"CHAPTER 25.1." and code sections, ``caml:LawSection`` "22757.11."), whose text is paragraphs
(``<p>``) that open with their labels, ``(a)``, ``(1)``, ``(A)``.

An amended version carries Legislative Counsel's marks as processing instructions: text between
``<?xm-insertion_mark_start?>`` and ``<?xm-insertion_mark_end?>`` is what this amendment
inserted (printed in italics), and ``<?xm-deletion_mark data="..."?>`` holds what it struck
(printed struck through), markup included. :func:`read` gives the version as it reads after the
amendment; each part's ``before`` is the part as it read before, by the marks alone, and its
``struck`` and ``inserted`` count the words the marks strike and insert in it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from lxml import etree

from ..errors import InputError
from . import Part, VersionText, check_citation, parse_xml
from .california import BILL_SECTION, CODE_SECTION, Open, nest, text_url

NAME = "California bill XML (caml)"
NS = "http://lc.ca.gov/legalservices/schemas/caml.1#"
_C = "{" + NS + "}"
_XHTML = "{http://www.w3.org/1999/xhtml}"

_INSERT_START, _INSERT_END, _DELETE = (
    "xm-insertion_mark_start",
    "xm-insertion_mark_end",
    "xm-deletion_mark",
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\S+")
_TAG = re.compile(r"<[^>]*>")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGITS = re.compile(r"[0-9]+")
_MEASURE_TYPE = re.compile(r"[A-Z]{1,5}")

# MeasureState: the stage a version is at.
_STAGES = {
    "INT": "Introduced",
    "AMD": "Amended",
    "ENR": "Enrolled",
    "CHP": "Chaptered",
}


def recognises(head: str) -> bool:
    """A caml file: its root is a ``caml:MeasureDoc`` in Legislative Counsel's namespace."""
    return NS in head and "MeasureDoc" in head


def read(text: str, name: str) -> VersionText:
    """The version of a California bill that a caml file holds (see the module's docstring)."""
    root = parse_xml(text, name)
    if root.tag != _C + "MeasureDoc":
        raise InputError.single(name, root.sourceline or 1, "is not a caml:MeasureDoc")
    description = root.find(_C + "Description")
    bill = root.find(_C + "Bill")
    if description is None or bill is None:
        raise InputError.single(
            name, root.sourceline or 1, "has no caml:Description or no caml:Bill to read"
        )
    info = _info(description, name)
    parts = _Reader(name).bill(bill)
    marks = any(pi.target in _MARK_TARGETS for pi in bill.iter(etree.ProcessingInstruction))
    if marks:
        restored = _restored(text, root, name)
        before = {p.cite: p.text for p in _walk(_Reader(name).bill(restored))}
        for part in _walk(parts):
            part.before = before.get(part.cite)
    return VersionText(parts=parts, marks=marks, name=name, **info)


# --- the description ------------------------------------------------------------------------


def _info(description: etree._Element, name: str) -> dict[str, Any]:
    def field(path: str) -> str:
        found = description.find(path)
        return _SPACE.sub(" ", "".join(found.itertext())).strip() if found is not None else ""

    legislative = _C + "LegislativeInfo/" + _C
    year, session_num = field(legislative + "SessionYear"), field(legislative + "SessionNum")
    measure_type, number = field(legislative + "MeasureType"), field(legislative + "MeasureNum")
    state, version_num = field(legislative + "MeasureState"), field(_C + "VersionNum")
    required = ((year, "SessionYear"), (measure_type, "MeasureType"), (number, "MeasureNum"))
    for value, what in required:
        if not value:
            raise InputError.single(name, description.sourceline or 1, f"has no caml:{what}")
    # ASCII digits only: "²⁰²⁵" passes str.isdigit() and fails int(), and "SB ５３" would be
    # a bill that looks like SB 53 and is not.
    if not _DIGITS.fullmatch(year) or not _DIGITS.fullmatch(number):
        raise InputError.single(
            name,
            description.sourceline or 1,
            "caml:SessionYear and caml:MeasureNum must be numbers (0-9)",
        )
    if not _MEASURE_TYPE.fullmatch(measure_type):
        raise InputError.single(
            name,
            description.sourceline or 1,
            f"caml:MeasureType {measure_type!r} is not a type of measure: capital letters, "
            "such as SB or ACR",
        )
    if version_num and not _DIGITS.fullmatch(version_num):
        raise InputError.single(
            name,
            description.sourceline or 1,
            f"caml:VersionNum {version_num!r} must be a number (0-9), such as 98",
        )
    history = []
    for action in description.iterfind(f"{_C}History/{_C}Action"):
        what = "".join(action.findtext(_C + "ActionText") or "").strip()
        when = (action.findtext(_C + "ActionDate") or "").strip()
        _check_date(when, name, action.sourceline or 1)
        history.append((what, when))
    # A regular session runs two years from an odd one; "2025" and session 0 is 2025-2026.
    first = int(year) if int(year) % 2 else int(year) - 1
    local_id = f"{first}{first + 1}{session_num or '0'}{measure_type}{number}"
    stage_date, chamber, label = _stage(state, history)
    # Introduced, enrolled and chaptered versions stand in the house of origin.
    chamber = chamber or ("Assembly" if measure_type.startswith("A") else "Senate")
    version_id = f"{year}{session_num or '0'}{measure_type}{number}{version_num}{state}"
    authors = [
        _SPACE.sub(" ", "".join(n.itertext())).strip()
        for n in description.iterfind(f"{_C}Authors/{_C}Legislator/{_C}Name")
    ]
    return {
        "identifier": f"{measure_type} {number}",
        "title": field(f"{_C}GeneralSubject/{_C}Subject").rstrip("."),
        "jurisdiction": "US-CA",
        "session": f"{first}-{first + 1}",
        "label": label,
        "date": stage_date,
        "chamber": chamber,
        "stage": state,
        "number": version_num or None,
        "local_id": local_id,
        "url": text_url(local_id, version_id),
        "history": history,
        "authors": authors,
    }


def _check_date(when: str, name: str, line: int) -> None:
    # YYYY-MM-DD only: Python reads "20250107" and "2025-W02-2" as dates too, and the date
    # becomes a version's id and part of the name of its text file.
    try:
        if not _ISO_DATE.fullmatch(when):
            raise ValueError(when)
        date.fromisoformat(when)
    except ValueError:
        raise InputError.single(
            name, line, f"caml:ActionDate {when!r} is not a date (YYYY-MM-DD)"
        ) from None


def _stage(state: str, history: list[tuple[str, str]]) -> tuple[str | None, str | None, str]:
    """The version's date, house and label, from the last action of its history that made it."""
    makers = {
        "INT": ("INTRODUCED",),
        "AMD": ("AMENDED_SENATE", "AMENDED_ASSEMBLY"),
        "ENR": ("ENROLLED",),
        "CHP": ("CHAPTERED", "APPROVED", "FILED"),
    }.get(state, ())
    made = [(what, when) for what, when in history if what in makers]
    if not made:
        return None, None, _STAGES.get(state, state.title() or "Version")
    what, when = made[-1] if state != "CHP" else made[0]
    day = date.fromisoformat(when)
    if state == "AMD":
        house = "Senate" if what.endswith("SENATE") else "Assembly"
        return when, house, f"Amended in {house}, {day:%B} {day.day}, {day.year}"
    return when, None, _STAGES[state]


# --- the bill ----------------------------------------------------------------------------


@dataclass
class _Count:
    inserted: int = 0
    struck: int = 0


class _Reader:
    """Walks a caml:Bill in document order, keeping track of Legislative Counsel's marks.

    The marks are processing instructions that may open in one element and close in another,
    so whether a word was inserted is a state of the walk, not of the element it stands in.
    """

    def __init__(self, name: str) -> None:
        self.name = name  # the file's, for a problem
        self.inserting = False
        self.sections: list[dict[str, Any]] = []
        self.bill_section: dict[str, Any] | None = None
        self.container: dict[str, Any] | None = None
        self.path: list[Open] = []

    def bill(self, bill: etree._Element) -> list[Part]:
        for child in bill:
            self.node(child)
        # A bill section an amendment inserted whole reads, before it, as an empty shell.
        kept = [n for n in self.sections if n["label"] or n.get("parts") or "".join(n["words"])]
        return [_part(node, None, self.name, node.get("line", 0)) for node in kept]

    # Each element either opens a part (a bill or code section), gives text to the part open
    # now (a paragraph, an action line, a heading), or is walked through for its children.

    def node(self, el: etree._Element) -> None:
        if isinstance(el, etree._ProcessingInstruction):
            self.mark(el, None)
            return
        if not isinstance(el.tag, str):
            return  # a comment
        tag = el.tag
        if tag == _C + "BillSection":
            self.open_bill_section(el)
        elif tag == _C + "LawSection":
            self.open_code_section(el)
        elif tag == _C + "LawHeading":
            self.heading(el)
        elif tag in (_C + "ActionLine", _XHTML + "p") or tag == _C + "Preamble":
            if tag == _C + "Preamble":
                self.words(el)  # not a part: its words are no one's
                return
            count = _Count()
            text = self.words(el, count)
            self.give(text, count)
        else:
            for child in el:
                self.node(child)

    def open_bill_section(self, el: etree._Element) -> None:
        num = el.find(_C + "Num")
        count = _Count()
        label = self.words(num, count) if num is not None else ""
        m = BILL_SECTION.match(label)
        node = {
            "cite": f"SEC. {m.group(2)}" if m else label.rstrip("."),
            "label": label,
            "kind": "bill-section",
            "words": [label],
            "line": el.sourceline or 0,
            "count": count,
        }
        self.sections.append(node)
        self.bill_section = self.container = node
        self.path = []
        for child in el:
            if child is not num:
                self.node(child)

    def open_code_section(self, el: etree._Element) -> None:
        num = el.find(_C + "Num")
        count = _Count()
        label = self.words(num, count) if num is not None else ""
        m = CODE_SECTION.match(label)
        node = {
            "cite": m.group(1) if m else label.rstrip("."),
            "label": label,
            "kind": "code-section",
            "words": [label],
            "line": el.sourceline or 0,
            "count": count,
        }
        parent = self.bill_section if self.bill_section is not None else None
        if parent is None:
            return
        parent.setdefault("parts", []).append(node)
        self.container = node
        self.path = []
        for child in el:
            if child is not num:
                self.node(child)

    def heading(self, el: etree._Element) -> None:
        """A chapter or article heading ("CHAPTER 25.1. Transparency in ..."): the heading of
        the bill section that adds it, as leginfo's page shows it, and words of that section."""
        num = el.find(_C + "Num")
        count = _Count()
        parts = []
        if num is not None:
            parts.append(self.words(num, count))
        for version in el.iterfind(_C + "LawHeadingVersion"):
            for child in version:
                if isinstance(child.tag, str) and child.tag == _C + "LawHeadingText":
                    parts.append(self.words(child, count))
                else:
                    self.node(child)
        text = " ".join(p for p in parts if p)
        kind = (el.get("type") or "").upper()
        if self.bill_section is not None and text:
            label = f"{kind} {text}" if kind and not text.upper().startswith(kind) else text
            self.bill_section.setdefault("heading", label)
            self.bill_section["words"].append(label)
            self.bill_section["count"].inserted += count.inserted
            self.bill_section["count"].struck += count.struck
        for child in el:
            if child is num or str(child.tag).endswith("HeadingVersion"):
                continue
            self.node(child)

    def give(self, text: str, count: _Count) -> None:
        """A paragraph's words to the parts it opens, or to the part open now."""
        if self.container is None:
            return
        # The parts it opens are the ones nest() made (walking the section's tree for them
        # again at each paragraph made a section of many paragraphs take their square).
        fresh = nest(self.container, text, self.path)
        owner = fresh[-1] if fresh else (self.path[-1].node if self.path else self.container)
        owner.setdefault("count", _Count())
        owner["count"].inserted += count.inserted
        owner["count"].struck += count.struck

    def words(self, el: etree._Element, count: _Count | None = None) -> str:
        """The element's text as the version reads it, on one line, counting marked words."""
        out: list[str] = []
        self._collect(el, out, count)
        return _SPACE.sub(" ", "".join(out)).strip()

    def _collect(self, el: etree._Element, out: list[str], count: _Count | None) -> None:
        """The words of ``el`` and its children, with their tails (not ``el``'s own tail)."""
        if isinstance(el, etree._ProcessingInstruction):
            self.mark(el, count)
            return
        if not isinstance(el.tag, str):
            return  # a comment
        if el.tag == _XHTML + "span" and "EnSpace" in (el.get("class") or ""):
            out.append(" ")
        if el.text:
            self._text(el.text, out, count)
        for child in el:
            self._collect(child, out, count)
            if child.tail:
                self._text(child.tail, out, count)

    def _text(self, text: str, out: list[str], count: _Count | None) -> None:
        out.append(text)
        if self.inserting and count is not None:
            count.inserted += len(_WORD.findall(text))

    def mark(self, pi: etree._ProcessingInstruction, count: _Count | None) -> None:
        if pi.target == _INSERT_START:
            self.inserting = True
        elif pi.target == _INSERT_END:
            self.inserting = False
        elif pi.target == _DELETE:
            struck = len(_WORD.findall(_TAG.sub(" ", html.unescape(_data(pi)))))
            if count is None:
                # Struck between paragraphs: the part open here lost them.
                owner = self.path[-1].node if self.path else self.container
                count = owner.setdefault("count", _Count()) if owner is not None else _Count()
            count.struck += struck


def _part(node: dict[str, Any], parent: str | None, name: str, line: int) -> Part:
    # A part whose number the amendment inserted reads, before it, with no number at all.
    line = node.get("line") or line  # a subdivision's is its section's
    cite = check_citation(node.get("cite") or f"{parent or ''}{node['label']}", name, line)
    count = node.get("count") or _Count()
    return Part(
        kind=node["kind"],
        label=node["label"],
        cite=cite,
        heading=node.get("heading"),
        text=_SPACE.sub(" ", " ".join(node.get("words", []))).strip(),
        parts=[_part(child, cite, name, line) for child in node.get("parts", [])],
        struck=count.struck,
        inserted=count.inserted,
        line=node.get("line", 0),
    )


def _walk(parts: list[Part]):
    for p in parts:
        yield from p.walk()


# --- the text before the amendment --------------------------------------------------------

_DATA = re.compile(r'data="([^"]*)"', re.S)
# A mark as the file's text writes it. The text before the amendment is made from the text (the
# struck markup put back is markup), so each mark found here must be a mark the parser read.
_MARK = re.compile(
    r"<\?(xm-insertion_mark_start|xm-insertion_mark_end)\s*\?>"
    r'|<\?(xm-deletion_mark)\s+data="([^"]*)"\s*\?>',
    re.S,
)
_MARK_TARGETS = (_INSERT_START, _INSERT_END, _DELETE)


def _data(pi: etree._ProcessingInstruction) -> str:
    m = _DATA.search(pi.text or "")
    return m.group(1) if m else ""


@dataclass
class _Mark:
    """One of Legislative Counsel's marks where the file's text has it."""

    target: str
    data: str
    start: int  # offsets in the file's text
    end: int
    line: int


def _marks(text: str, root: etree._Element, name: str) -> list[_Mark]:
    """The file's marks in document order, each found in its text where the parser found a
    mark, and inserted text opened and closed in turn; else the one problem, at its line.

    What the version reads as amended is read from the parser's tree and what it read before
    from the file's text: a mark the parser does not read as one (in a comment, a CDATA
    section, another processing instruction's data) would make the two disagree.
    """
    found, line, counted = [], 1, 0
    for m in _MARK.finditer(text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        target = m.group(1) or m.group(2)
        found.append(_Mark(target, m.group(3) or "", m.start(), m.end(), line))
    parsed = [pi for pi in root.iter(etree.ProcessingInstruction) if pi.target in _MARK_TARGETS]
    for i in range(max(len(found), len(parsed))):
        mark = found[i] if i < len(found) else None
        pi = parsed[i] if i < len(parsed) else None
        same = (
            mark is not None
            and pi is not None
            and mark.target == pi.target
            and (mark.target != _DELETE or mark.data == _data(pi))
        )
        if not same:
            lines = [mark.line] if mark is not None else []
            lines += [pi.sourceline or 1] if pi is not None else []
            at = min(lines)
            raise InputError.single(
                name,
                at,
                "holds a mark of struck or inserted text that is not one to an XML parser (it "
                "is in a comment, a CDATA section or another processing instruction, or its "
                "data holds '?>'); write the marks as Legislative Counsel does",
            )
    opened: _Mark | None = None
    for mark in found:
        if mark.target == _INSERT_START:
            if opened is not None:
                raise InputError.single(
                    name,
                    mark.line,
                    f"<?{_INSERT_START}?> opens inserted text inside inserted text opened at "
                    f"line {opened.line}; close that with <?{_INSERT_END}?> first",
                )
            opened = mark
        elif mark.target == _INSERT_END:
            if opened is None:
                raise InputError.single(
                    name,
                    mark.line,
                    f"<?{_INSERT_END}?> closes no inserted text: no <?{_INSERT_START}?> before "
                    "it is open",
                )
            opened = None
    if opened is not None:
        raise InputError.single(
            name,
            opened.line,
            f"<?{_INSERT_START}?> opens inserted text that never closes: add "
            f"<?{_INSERT_END}?> where it ends",
        )
    return found


def _struck_markup(data: str) -> str:
    # The struck text is markup escaped into the mark's data, in the xhtml: prefix; the bill
    # declares XHTML as its default namespace.
    return html.unescape(data).replace("<xhtml:", "<").replace("</xhtml:", "</")


def _restored(text: str, root: etree._Element, name: str, *, wrap: bool = False) -> etree._Element:
    """The bill as it read before the amendment: the file's text with what its marks say was
    inserted taken out and what they say was struck put back (between ``_STRUCK_OPEN`` and
    ``_STRUCK_CLOSE`` with ``wrap``), parsed; its ``caml:Bill``.

    A problem in it is reported at the line of the file it comes from: the line of the mark
    whose struck text it is in, or the file's own line.
    """
    pieces: list[str] = []
    # Where each piece starts in the restored text, the file's line it starts at, and whether
    # it is struck text put back (all of it then stands at its mark's line).
    origins: list[tuple[int, int, bool]] = []
    length = 0

    def keep(piece: str, line: int, struck: bool) -> None:
        nonlocal length
        origins.append((length, line, struck))
        pieces.append(piece)
        length += len(piece)

    at, line, inserted = 0, 1, False
    for mark in _marks(text, root, name):
        if not inserted:
            keep(text[at : mark.start], line, False)
        if mark.target == _INSERT_START:
            inserted = True
        elif mark.target == _INSERT_END:
            inserted = False
        elif not inserted:
            struck = _struck_markup(mark.data)
            keep(_STRUCK_OPEN + struck + _STRUCK_CLOSE if wrap else struck, mark.line, True)
        at, line = mark.end, mark.line + text.count("\n", mark.start, mark.end)
    keep(text[at:], line, False)
    restored = "".join(pieces)
    try:
        bill = parse_xml(restored, name).find(_C + "Bill")
    except InputError as exc:
        (problem,) = exc.problems
        offset = _offset(restored, problem.line)
        start, where, struck = next(o for o in reversed(origins) if o[0] <= offset)
        if not struck:
            where += restored.count("\n", start, offset)
        message = re.sub(r" \(column \d+\)$", "", problem.message)
        raise InputError.single(
            name,
            where,
            "is not well-formed XML as it read before the amendment (its struck text put "
            f"back): {message.removeprefix('is not well-formed XML: ')}",
        ) from None
    if bill is None:
        raise InputError.single(name, 1, "its marks leave no caml:Bill to read")
    return bill


def _offset(text: str, line: int) -> int:
    """Where 1-based ``line`` of ``text`` starts."""
    at = 0
    for _ in range(max(line - 1, 0)):
        found = text.find("\n", at)
        if found < 0:
            return at
        at = found + 1
    return at


def read_before(text: str, name: str) -> list[Part]:
    """The parts of the bill as it read before the amendment a caml file carries, by
    Legislative Counsel's marks alone: what they mark inserted taken out, what they mark
    struck put back. For a file with no marks, its own parts."""
    return _Reader(name).bill(_restored(text, parse_xml(text, name), name))


# --- Legislative Counsel's marks, word by word -----------------------------------------------

_STRUCK_OPEN, _STRUCK_CLOSE = "\ue002", "\ue003"


def marked_words(text: str, name: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """The words of the bill after and before the amendment a caml file carries, each with
    whether Legislative Counsel's marks say the amendment inserted it (after) or struck it
    (before), in document order: what a reader of the printed bill sees in italics and
    struck through. A word partly marked counts as marked."""
    root = parse_xml(text, name)
    bill = root.find(_C + "Bill")
    if bill is None:
        raise InputError.single(name, root.sourceline or 1, "has no caml:Bill to read")
    after = _flat(bill, by_marks=True)
    before = _flat(_restored(text, root, name, wrap=True), by_marks=False)
    return after, before


def _flat(bill: etree._Element, *, by_marks: bool) -> list[tuple[str, bool]]:
    chars: list[tuple[str, bool]] = []
    state = {"on": False}

    def add(text: str) -> None:
        for ch in text:
            if ch == _STRUCK_OPEN:
                state["on"] = True
            elif ch == _STRUCK_CLOSE:
                state["on"] = False
            else:
                chars.append((ch, state["on"]))

    def walk(el: etree._Element) -> None:
        if isinstance(el, etree._ProcessingInstruction):
            if by_marks and el.target == _INSERT_START:
                state["on"] = True
            elif by_marks and el.target == _INSERT_END:
                state["on"] = False
            return
        if not isinstance(el.tag, str) or el.tag == _C + "Preamble":
            return
        if el.tag in (_XHTML + "p", _C + "Num") or "EnSpace" in (el.get("class") or ""):
            chars.append((" ", False))
        if el.tag == _C + "LawHeading" and el.get("type"):
            add(f" {el.get('type').upper()} ")  # as the printed bill shows it: "CHAPTER 25.1."
        if el.text:
            add(el.text)
        for child in el:
            walk(child)
            if child.tail:
                add(child.tail)
        if el.tag in (_XHTML + "p", _C + "Num", _C + "ActionLine", _C + "LawHeadingText"):
            chars.append((" ", False))

    walk(bill)
    words: list[tuple[str, bool]] = []
    current: list[str] = []
    marked = False
    for ch, on in chars + [(" ", False)]:
        if ch.isspace():
            if current:
                words.append(("".join(current), marked))
            current, marked = [], False
        else:
            current.append(ch)
            marked = marked or on
    return words
