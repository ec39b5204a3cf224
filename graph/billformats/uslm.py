"""US Congress bill XML in USLM 2, as the Government Publishing Office publishes it.

A USLM bill (namespace ``http://schemas.gpo.gov/xml/uslm``) names itself in ``<meta>``
(``<citableAs>``, ``<docStage>``, ``<currentChamber>``, ``<congress>``), says who introduced it
and when in the ``<action>`` lines of its ``<preface>``, and holds its text in ``<main>``: the
levels of the bill (title, subtitle, ..., section, subsection, paragraph, ...) each with a
``<num>`` as printed, a ``<heading>`` and its own words (``<chapeau>``, ``<content>``,
``<continuation>``). Text quoted into the bill (``<quotedContent>``, the words of a law being
amended) is part of the words of the level that quotes it, never a level of the bill.

A reported bill can carry a committee's amendment: elements marked ``changed="deleted"`` are
the words the committee strikes and ``changed="added"`` the words it inserts (for an amendment
in the nature of a substitute, two ``<component>`` wrappers holding the whole old and new text).
The version reads as amended; each part's ``before`` is the part with the same cite as the
text read before the amendment.

Not read as parts: a resolution's preamble (its "Whereas" recitals), and a table of contents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from ..errors import InputError
from . import Part, VersionText, check_citation, parse_xml

NAME = "US Congress bill XML (USLM)"

USLM = "http://schemas.gpo.gov/xml/uslm"
DC = "http://purl.org/dc/elements/1.1/"
_NS = {"u": USLM, "dc": DC}

#: The root elements of the documents this module reads: bills and resolutions (simple, joint,
#: concurrent), the documents that are argued over as they pass.
ROOTS = ("bill", "resolution")

#: The USLM levels that are parts of a bill, by element name, with the kind each part gets.
LEVEL_KINDS = {
    "division": "division",
    "title": "title",
    "subtitle": "subtitle",
    "chapter": "chapter",
    "subchapter": "subchapter",
    "part": "part",
    "subpart": "subpart",
    "section": "section",
    "subsection": "subsection",
    "paragraph": "paragraph",
    "subparagraph": "subparagraph",
    "clause": "clause",
    "subclause": "subclause",
    "item": "item",
    "subitem": "subitem",
}

#: Levels above the section: a section is cited on its own ("Sec. 101"), not under them.
CONTAINERS = ("division", "title", "subtitle", "chapter", "subchapter", "part", "subpart")

#: Elements whose words stand apart from the words around them (a space between them).
_BLOCKS = {
    "num",
    "heading",
    "chapeau",
    "content",
    "continuation",
    "p",
    "quotedContent",
    "quotedText",
    "appropriations",
    "toc",
    "referenceItem",
    "designator",
    "label",
    *LEVEL_KINDS,
}

_HEAD_ROOT = re.compile(r"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
# ASCII digits: "116 S. ３８７４ IS" would look like S. 3874 and not be it.
_CITATION = re.compile(r"(\d+) ((?:[A-Z][A-Za-z]*\. ?)+) ?(\d+) ([A-Z]+)", re.ASCII)
_COMPACT_ID = re.compile(r"(\d+[a-z]+\d+)([a-z]+)", re.ASCII)
_TYPE = re.compile(r"(?:[A-Z][A-Za-z]*\. ?)+")  # "S.", "H. R.", "S. Con. Res."
_NUMBER = re.compile(r"[0-9]+")
_CHAMBERS = {"SENATE": "Senate", "HOUSE": "House"}
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def recognises(head: str) -> bool:
    """Whether a file that starts with ``head`` is a USLM bill or resolution.

    >>> recognises('<?xml version="1.0"?><bill xmlns="http://schemas.gpo.gov/xml/uslm">')
    True
    >>> recognises('<html><body><a href="http://schemas.gpo.gov/xml/uslm">USLM</a></body></html>')
    False
    """
    if USLM not in head:
        return False
    root = _HEAD_ROOT.search(head)
    return bool(root) and root.group(1) in ROOTS


def read(text: str, name: str) -> VersionText:
    """The version of a bill that the USLM file ``name`` (its content ``text``) holds.

    Its identity comes from ``<meta>``, its date, history and sponsor from the ``<action>``
    lines of the ``<preface>``, and its parts from the levels of ``<main>``, each with the
    words it holds itself (those of its sub-levels are theirs).
    """
    root = parse_xml(text, name)
    if etree.QName(root).namespace != USLM or etree.QName(root).localname not in ROOTS:
        raise InputError.single(
            name,
            root.sourceline or 1,
            f"is not a USLM bill: its root element is <{etree.QName(root).localname}>, "
            f"not <bill> or <resolution> in {USLM}",
        )
    meta = _child(root, "meta")
    if meta is None:
        raise InputError.single(
            name, root.sourceline or 1, "has no <meta>: a USLM bill names itself there"
        )
    identifier, stage = _citation(root, meta, name)
    session = _words(_child(meta, "congress"))
    if not session:
        raise InputError.single(
            name, meta.sourceline or 1, "has no <congress> in its <meta>: which Congress is it?"
        )
    main = _child(root, "main")
    if main is None:
        raise InputError.single(
            name, root.sourceline or 1, "has no <main>: the file holds no text of the bill"
        )
    actions = _actions(root, name)
    # The version's date is its last step in the preface ("Reported ..."); an engrossed or
    # enrolled bill prints its steps only in its attestation ("Passed the Senate ...").
    dates = [a.date for a in actions if a.in_preface and a.date] or [
        a.date for a in sorted(actions, key=_by_date) if a.date
    ]
    marks = any(_mark(e) for e in main.iter(etree.Element))
    parts = _parts(main, "", "now", name=name)
    if marks:
        _merge(parts, _parts(main, "", "before", name=name))
    return VersionText(
        identifier=identifier,
        title=_title(root, meta),
        jurisdiction="US",
        session=session,
        label=_words(_child(meta, "docStage")),
        date=dates[-1] if dates else None,
        chamber=_chamber(meta),
        parts=parts,
        stage=stage,
        number=None,
        local_id=_local_id(meta, identifier, session),
        url=None,
        history=[(a.description, a.date) for a in sorted(actions, key=_by_date) if a.date],
        marks=marks,
        authors=_sponsors(actions),
        name=name,
    )


# --- identity ---------------------------------------------------------------------------------


def _citation(root: etree._Element, meta: etree._Element, name: str) -> tuple[str, str]:
    """("S. 3874", "IS") from ``<citableAs>116 S. 3874 IS</citableAs>``, or from the type and
    number the preface prints (a pre-introduced draft has no citation and no stage)."""
    for c in _children(meta, "citableAs"):
        m = _CITATION.fullmatch(_words(c))
        if m:
            return f"{m[2].replace(' ', '')} {m[3]}", m[4]
    kind = root.find("u:preface/dc:type", _NS)
    number = _words(root.find("u:preface/u:docNumber", _NS))
    if kind is not None and _TYPE.fullmatch(_words(kind)) and _NUMBER.fullmatch(number):
        return f"{_words(kind).replace(' ', '')} {number}", ""
    raise InputError.single(
        name,
        meta.sourceline or 1,
        "names no bill: its <meta> has no <citableAs> such as '116 S. 3874 IS' and its "
        "<preface> no <dc:type> and <docNumber> such as 'S.' and '3874'",
    )


def _local_id(meta: etree._Element, identifier: str, congress: str) -> str:
    """'116s3874' from ``<citableAs>116s3874is</citableAs>``: Congress, type and number (made
    the same way from "S. 3874" where the file has no such citation)."""
    for c in _children(meta, "citableAs"):
        m = _COMPACT_ID.fullmatch(_words(c))
        if m:
            return m[1]
    kind, _, number = identifier.rpartition(" ")
    return f"{congress}{re.sub('[^a-z]', '', kind.lower())}{number}"


def _title(root: etree._Element, meta: etree._Element) -> str:
    official = root.find("u:main/u:longTitle/u:officialTitle", _NS)
    if official is not None and _words(official):
        return _words(official)
    preface_title = root.find("u:preface/dc:title", _NS)
    if preface_title is not None and _words(preface_title):
        return _words(preface_title)
    # "116 S 3874 IS: Making additional ...": the citation, then the title.
    return _words(meta.find("dc:title", _NS)).partition(": ")[2]


def _chamber(meta: etree._Element) -> str | None:
    chamber = _child(meta, "currentChamber")
    if chamber is None:
        return None
    value = (chamber.get("value") or _words(chamber)).upper()
    return next((word for key, word in _CHAMBERS.items() if key in value), None)


# --- actions ----------------------------------------------------------------------------------


@dataclass
class _Action:
    description: str
    date: str | None
    in_preface: bool
    sponsors: list[str]


def _actions(root: etree._Element, name: str) -> list[_Action]:
    """The dated steps the file prints: the preface's actions, then the attestations'."""
    found = []
    paths = (
        ("u:preface/u:action", True),
        ("u:attestation/u:action", False),
        ("u:main/u:attestation/u:action", False),
    )
    for path, in_preface in paths:
        for action in root.findall(path, _NS):
            found.append(
                _Action(
                    description=_words(_child(action, "actionDescription")),
                    date=_action_date(_child(action, "date"), name),
                    in_preface=in_preface,
                    sponsors=[_words(s) for s in action.iterfind(".//u:sponsor", _NS)],
                )
            )
    return found


def _action_date(date: etree._Element | None, name: str) -> str | None:
    """'2020-06-03' from ``<date date="2020-06-03">June 3, 2020</date>``, or from the printed
    date where the element has no ``date`` attribute.

    The attribute is the file's own words, and the date becomes part of a version's id and of
    the name of its text file: one that is not a date is refused, not copied.
    """
    if date is None:
        return None
    value = date.get("date")
    if value:
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError(value)
            return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
        except ValueError:
            raise InputError.single(
                name,
                date.sourceline or 1,
                f"<date date={value!r}> is not a date: write it as YYYY-MM-DD, such as 2020-06-03",
            ) from None
    try:
        return datetime.strptime(_words(date), "%B %d, %Y").date().isoformat()
    except ValueError:
        return None


def _by_date(action: _Action) -> str:
    return action.date or ""


def _sponsors(actions: list[_Action]) -> list[str]:
    """Who introduced the bill, as printed ("Mrs. Murray"): the sponsor of the first action
    that names one (later actions name the senator who reports it, who is not its author)."""
    return next((a.sponsors for a in actions if a.in_preface and a.sponsors), [])


# --- parts ------------------------------------------------------------------------------------


def _mark(e: etree._Element) -> str | None:
    """'deleted' or 'added' where the element is a committee's struck or inserted text."""
    local = etree.QName(e).localname
    if local in ("del", "ins"):
        return "deleted" if local == "del" else "added"
    changed = e.get("changed")
    return changed if changed in ("deleted", "added") else None


def _hidden(e: etree._Element, view: str) -> bool:
    """Whether the element's words are not in the text as ``view`` reads it: "now" (as
    amended) leaves out struck text, "before" leaves out inserted text."""
    return _mark(e) == ("deleted" if view == "now" else "added")


def _parts(
    e: etree._Element, parent_cite: str, view: str, parent_kind: str = "", *, name: str = ""
) -> list[Part]:
    """The levels below ``e``, as parts: found through the wrappers between them (a
    ``<component>``, an ``<appropriations>`` account), never inside quoted text. ``name`` is
    the file's, for a problem."""
    found: list[Part] = []
    unnumbered = 0

    def visit(node: etree._Element, cite: str, kind: str) -> None:
        nonlocal unnumbered
        for child in node.iterchildren(etree.Element):
            local = etree.QName(child).localname
            if _hidden(child, view) or etree.QName(child).namespace != USLM:
                continue
            if local in LEVEL_KINDS:
                own = _cite(child, cite, kind)
                if not own:
                    # Printed with no number and no heading: cited by its place among such.
                    unnumbered += 1
                    own = ", ".join(filter(None, [cite, f"unnumbered {local} {unnumbered}"]))
                check_citation(own, name, child.sourceline or 1)
                found.append(_part(child, own, view, name))
            elif local == "appropriations" and _words(_child(child, "heading")):
                # The levels of an account are cited under its heading: "Title I, job corps, (1)".
                heading = _words(_child(child, "heading"))
                under = check_citation(
                    ", ".join(filter(None, [cite, heading])), name, child.sourceline or 1
                )
                visit(child, under, local)
            elif local not in ("quotedContent", "toc", "preamble"):
                visit(child, cite, kind)

    visit(e, parent_cite, parent_kind)
    return found


def _part(e: etree._Element, cite: str, view: str, name: str) -> Part:
    kind = LEVEL_KINDS[etree.QName(e).localname]
    heading = _child(e, "heading")
    words, marked = _own_words(e, view)
    part = Part(
        kind=kind,
        label=_words(_child(e, "num")),
        cite=cite,
        heading=_words(heading) or None,
        text=" ".join(words),
        line=e.sourceline or 0,
    )
    if view == "now":
        part.inserted = marked
    else:
        part.struck = marked
    part.parts = _parts(e, cite, view, kind, name=name)
    return part


def _cite(e: etree._Element, parent_cite: str, parent_kind: str) -> str:
    """How a reader cites the level: "Sec. 2", "Sec. 2(a)(1)", "Title I", "Title I, Subtitle A";
    for a level printed with no number, its heading ("" where it has none either)."""
    kind = LEVEL_KINDS[etree.QName(e).localname]
    num = _child(e, "num")
    value = (num.get("value") if num is not None else None) or _designation(_words(num))
    if not value:
        # An unnumbered level, such as the paragraph of an appropriations account, is cited by
        # its most specific heading.
        return _unnumbered_heading(e)
    if kind == "section":
        return f"Sec. {value}"
    if kind in CONTAINERS:
        own = f"{kind.capitalize()} {value}"
        return f"{parent_cite}, {own}" if parent_kind in CONTAINERS and parent_cite else own
    if not parent_cite:
        return f"({value})"
    if parent_kind in CONTAINERS or parent_kind == "appropriations":
        return f"{parent_cite}, ({value})"
    return f"{parent_cite}({value})"


def _designation(label: str) -> str:
    """'2' from 'SEC. 2.', 'a' from '(a)', 'I' from 'TITLE I—'."""
    m = re.search(r"\(([^()]+)\)", label) or re.search(r"([0-9]+[A-Za-z-]*|[IVXLC]+)\b", label)
    return m.group(1) if m else ""


def _unnumbered_heading(e: etree._Element) -> str:
    """The most specific heading among the level's own words (an appropriations account)."""
    headings: list[str] = []

    def visit(node: etree._Element) -> None:
        for child in node.iterchildren(etree.Element):
            local = etree.QName(child).localname
            if local == "heading":
                headings.append(_words(child))
            elif local not in LEVEL_KINDS and local != "quotedContent":
                visit(child)

    visit(e)
    return next((h for h in reversed(headings) if h), "")


def _own_words(e: etree._Element, view: str) -> tuple[list[str], int]:
    """The words of the level itself (its num, chapeau, content, continuation and what it
    quotes; not its heading nor its sub-levels), as ``view`` reads them, and how many of them
    the file marks as inserted (view "now") or struck (view "before")."""
    pieces: list[tuple[str, bool]] = []

    def visit(node: etree._Element, marked: bool, top: bool, quoted: bool) -> None:
        local = etree.QName(node).localname
        if local in _BLOCKS:
            pieces.append((" ", False))
        pieces.append((node.text or "", marked))
        for child in node:
            if isinstance(child.tag, str) and not _hidden(child, view):
                child_local = etree.QName(child).localname
                if child.get("role") == "after-quoted-block":
                    # The stop after a quoted block follows its closing quote mark.
                    while pieces and not pieces[-1][0].strip():
                        pieces.pop()
                if (top and child_local == "heading") or (
                    child_local in LEVEL_KINDS and not quoted
                ):
                    pass  # its heading is the part's heading; a sub-level is a part of its own
                else:
                    visit(
                        child,
                        marked or _mark(child) is not None,
                        False,
                        quoted or child_local == "quotedContent",
                    )
            pieces.append((child.tail or "", marked))
        if local in _BLOCKS:
            pieces.append((" ", False))

    inherited = any(_mark(a) is not None for a in e.iterancestors()) or _mark(e) is not None
    visit(e, inherited, True, False)
    joined = "".join(p for p, _ in pieces)
    # A word is marked where any of its letters is (a word can span an inline element).
    mask = "".join(("1" if m else "0") * len(p) for p, m in pieces)
    words = [(w.group(), "1" in mask[w.start() : w.end()]) for w in re.finditer(r"\S+", joined)]
    return [w for w, _ in words], sum(m for _, m in words)


def _merge(now: list[Part], before: list[Part]) -> None:
    """Give each part of the amended text the words of the part with its cite before the
    amendment (``before``, ``struck``); a part the amendment strikes whole is kept, with no
    words now, after the part it followed."""
    by_cite = {p.cite: p for p in before}
    for p in now:
        old = by_cite.get(p.cite)
        p.before = old.text if old else ""
        p.struck = old.struck if old else 0
        _merge(p.parts, old.parts if old else [])
    cites = {p.cite for p in now}
    # The parts struck whole, by the cite of the part they followed (None: the first), put in
    # place in one pass (looking each kept part up in the list took the square of the parts).
    gone_after: dict[str | None, list[Part]] = {}
    last: str | None = None
    for old in before:
        if old.cite in cites:
            last = old.cite
            continue
        gone = Part(
            kind=old.kind,
            label=old.label,
            cite=old.cite,
            heading=old.heading,
            text="",
            before=old.text,
            struck=old.struck,
            line=old.line,
        )
        _merge(gone.parts, old.parts)
        gone_after.setdefault(last, []).append(gone)
    if gone_after:
        merged = gone_after.pop(None, [])
        for p in now:
            merged.append(p)
            merged += gone_after.pop(p.cite, [])
        now[:] = merged


# --- XML --------------------------------------------------------------------------------------


def _child(e: etree._Element | None, local: str) -> etree._Element | None:
    return None if e is None else e.find(f"u:{local}", _NS)


def _children(e: etree._Element, local: str) -> list[etree._Element]:
    return e.findall(f"u:{local}", _NS)


def _words(e: etree._Element | None) -> str:
    """The element's words on one line, or "" where there is no element."""
    if e is None:
        return ""
    return " ".join("".join(e.itertext()).split())
