"""Importing a bill's structure from the text page the California Legislature publishes.

:func:`import_bill` reads a leginfo bill-text page (``billTextClient.xhtml``, saved as HTML)
and gives the bill file of a corpus in skeleton: the bill's identity, its versions (from the
page's version menu) and its section tree, from the bill sections (``SECTION 1.``, ``SEC. 2.``)
through the code sections they add or amend (``22603.``) down to subdivisions, paragraphs,
subparagraphs and clauses (``(a)``, ``(2)``, ``(A)``, ``(i)``). An analyst then adds the
authors, a one-line summary for each section the debate cites, and the legislative history.

The page marks structure only loosely: a bill section is an ``<h3>``, a code section an
``<h6>``, and each block of text a ``<div>`` that may open with several labels at once
(``(e) (1) (A)``). Which level a label belongs to is read from the label itself (letters,
digits, capitals, roman numerals, the California drafting convention) and, where that is
ambiguous (``(i)`` after ``(h)`` is a subdivision, ``(i)`` under ``(A)`` a clause), from the
sequence so far and from the block's indentation.

>>> page = '''<title>Bill Text - AB-1 Widgets.</title><div id="bill">
... <h3>SECTION 1.</h3> Section 100 is added to the Widget Code, to read:
... <div><h6>100.</h6> (a) (1) Makers register.</div><div>(2) Sellers register.</div>
... <div>(b) Fees are small.</div></div>'''
>>> tree = import_bill(page)
>>> [p["label"] for p in tree["sections"][0]["parts"][0]["parts"]]
['(a)', '(b)']
>>> list(citations(tree["sections"]))
['SEC. 1', '100', '100(a)', '100(a)(1)', '100(a)(2)', '100(b)']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlunsplit

import yaml

from .errors import InputError
from .model import CHILD_KIND

#: Where leginfo publishes a bill's text and status; the page's own links give the bill_id.
LEGINFO_HOST = "leginfo.legislature.ca.gov"
LEGINFO_TEXT = "/faces/billTextClient.xhtml"
LEGINFO_STATUS = "/faces/billStatusClient.xhtml"

# Levels of California bill structure, outermost first, and the corpus kind of each. A
# subclause ((I), (II)) has no kind of its own in the corpus format; it is a clause there.
SUBDIVISION, PARAGRAPH, SUBPARAGRAPH, CLAUSE, SUBCLAUSE = range(5)
_LEVEL_KIND = ("subdivision", "paragraph", "subparagraph", "clause", "clause")

_LABEL = re.compile(r"\s*\(([0-9]+|[a-z]{1,5}|[A-Z]{1,5})\)(?=\s|$|\()")
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_BILL_SECTION = re.compile(r"^(SECTION|SEC\.)\s*(\d+(?:\.\d+)?)\.?$", re.I)
_CODE_SECTION = re.compile(r"^(\d+(?:\.\d+)*)\.?$")
# '"Covered model" means ...': the term a subdivision of a definitions section defines.
_DEFINED_TERM = re.compile(
    r"\s*[\u201c\"]([^\u201d\"]{1,80})[\u201d\"]\s+(?:means|includes|has the same meaning)\b"
)
_MARGIN = re.compile(r"margin-left:\s*([\d.]+)\s*em")
_SPACE = re.compile(r"\s+")
# "09/03/24 - Enrolled", "08/22/24 - Amended Assembly", "02/07/24 - Introduced"
_VERSION_OPTION = re.compile(r"^(\d\d)/(\d\d)/(\d\d)\s*-\s*(.+)$")
_HOUSES = {"SB": "Senate Bill", "AB": "Assembly Bill"}


# --- reading the page -------------------------------------------------------------------


@dataclass
class _Block:
    """One piece of the bill text: a bill-section or code-section number, a heading, or text."""

    kind: str  # "bill-section", "code-section", "heading", "text"
    text: str
    indent: float = 0.0  # the div's margin-left in em: a hint of the first label's level


@dataclass
class _Page:
    title: str = ""
    bill_id: str | None = None
    versions: list[tuple[str, str]] = field(default_factory=list)  # (option value, text)
    selected_version: str | None = None
    authors_line: str = ""
    blocks: list[_Block] = field(default_factory=list)
    found_bill: bool = False


class _LeginfoParser(HTMLParser):
    """Collects the blocks of ``<div id="bill">`` and the page's title and version menu."""

    _HEADINGS = {"h3": "bill-section", "h5": "heading", "h6": "code-section"}
    # Struck-out text in an amended version is what the amendment deletes, not the bill.
    _DELETED = {"strike", "s", "del"}
    _VOID = {"br", "hr", "img", "input", "meta", "link", "col", "area", "base", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()
        self._stack: list[str] = []  # open tags
        self._bill_depth: int | None = None  # len(stack) at <div id="bill">
        self._deleted = 0
        self._heading: str | None = None
        self._capture: list[str] | None = None  # text of the current block or heading
        self._indent = 0.0
        self._in_title = False
        self._option: str | None = None
        self._option_text: list[str] = []
        self._in_authors = 0

    # Text of the bill proper flows into ``_capture``; every div boundary closes a block.

    def _flush(self) -> None:
        if self._capture is not None and self._heading is None:
            text = _SPACE.sub(" ", "".join(self._capture)).strip()
            if text:
                self.page.blocks.append(_Block("text", text, self._indent))
        self._capture = [] if self._bill_depth is not None else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag not in self._VOID:
            self._stack.append(tag)
        if tag == "title" and not self.page.title:
            self._in_title = True  # the page's own; the bill text embeds a second one
        elif tag == "option" and re.fullmatch(r"\d{5}[A-Z]+\d+[A-Z]+", a.get("value", "")):
            self._option, self._option_text = a["value"], []
            if "selected" in a:
                self.page.selected_version = a["value"]
        elif tag == "td" and a.get("id") == "bill_authors":
            self._in_authors = len(self._stack)
        elif tag == "br" and self._in_authors:
            self.page.authors_line += " "
        for value in (a.get("href", ""), a.get("action", "")):
            found = re.search(r"bill_id=(\d{9}[A-Z]+\d+)", value)
            if found and self.page.bill_id is None:
                self.page.bill_id = found.group(1)
        if tag == "div" and a.get("id") == "bill":
            self._bill_depth = len(self._stack)
            self.page.found_bill = True
            self._capture = []
            return
        if self._bill_depth is None:
            return
        if tag in self._DELETED:
            self._deleted += 1
        elif tag in ("div", "p"):
            self._flush()
            margin = _MARGIN.search(a.get("style", ""))
            self._indent = float(margin.group(1)) if margin else 0.0
        elif tag in self._HEADINGS:
            self._flush()
            self._heading = tag
            self._capture = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self._VOID:
            return
        if self._bill_depth is not None:
            if tag in self._DELETED and self._deleted:
                self._deleted -= 1
            elif tag == self._heading:
                text = _SPACE.sub(" ", "".join(self._capture or [])).strip()
                self.page.blocks.append(_Block(self._HEADINGS[tag], text))
                self._heading = None
                self._capture = []
            elif tag in ("div", "p"):
                self._flush()
        if tag == "title":
            self._in_title = False
        elif tag == "option" and self._option:
            text = _SPACE.sub(" ", "".join(self._option_text)).strip()
            self.page.versions.append((self._option, text))
            self._option = None
        # Pop to the matching open tag; leginfo's markup is not always balanced.
        if tag in self._stack:
            while self._stack:
                if self._stack.pop() == tag:
                    break
        if self._in_authors and len(self._stack) < self._in_authors:
            self._in_authors = 0
        if self._bill_depth is not None and len(self._stack) < self._bill_depth:
            self._flush()
            self._bill_depth = None
            self._capture = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data
        if self._option is not None:
            self._option_text.append(data)
        if self._in_authors:
            self.page.authors_line += data
        if self._capture is not None and not self._deleted:
            self._capture.append(data)


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


def _readings(label: str) -> list[tuple[int, int]]:
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
class _Open:
    level: int
    ordinal: int
    node: dict[str, Any]


def _score(level: int, ordinal: int, path: list[_Open]) -> int:
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


def _choose(label: str, path: list[_Open], first_in_block: bool, indent: float) -> tuple[int, int]:
    readings = _readings(label)
    scored = [(_score(lv, n, path), lv, n) for lv, n in readings]
    best = max(s for s, _, _ in scored)
    tied = [(lv, n) for s, lv, n in scored if s == best]
    if len(tied) == 1:
        return tied[0]
    # '(i)' that could be the subdivision after (h) or the first clause: a block that starts
    # at the margin is a subdivision; an indented one is the clause.
    if first_in_block and indent == 0:
        return min(tied)
    return max(tied)


# --- the tree ---------------------------------------------------------------------------


def _bill_section(label: str) -> dict[str, Any] | None:
    m = _BILL_SECTION.match(label)
    if not m:
        return None
    return {"cite": f"SEC. {m.group(2)}", "label": label}


def _tree(blocks: list[_Block], depth: int | None) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = []
    bill_section: dict[str, Any] | None = None
    container: dict[str, Any] | None = None  # the bill or code section that labels attach to
    path: list[_Open] = []
    for block in blocks:
        if block.kind == "bill-section":
            node = _bill_section(block.text)
            if node is None:
                continue
            sections.append(node)
            bill_section = container = node
            path = []
        elif block.kind == "heading" and bill_section is not None:
            # The chapter a bill section adds: the nearest thing to a heading the text has.
            bill_section.setdefault("heading", block.text)
        elif block.kind == "code-section" and bill_section is not None:
            m = _CODE_SECTION.match(block.text)
            if not m:
                continue
            node = {"cite": m.group(1), "label": block.text, "kind": "code-section"}
            bill_section.setdefault("parts", []).append(node)
            container = node
            path = []
        elif block.kind == "text" and container is not None:
            rest, opened = block.text, []
            while m := _LABEL.match(rest):
                level, ordinal = _choose(m.group(1), path, not opened, block.indent)
                while path and path[-1].level >= level:
                    path.pop()
                parent = path[-1].node if path else container
                node = {"label": f"({m.group(1)})", "kind": _LEVEL_KIND[level]}
                parent.setdefault("parts", []).append(node)
                path.append(_Open(level, ordinal, node))
                opened.append(node)
                rest = rest[m.end() :]
            term = _DEFINED_TERM.match(rest)
            if term and opened:
                # A definition's term is its caption: '(e) (1) "Covered model" means' names (e).
                opened[0]["heading"] = term.group(1)
    for s in sections:
        _drop_derived_kinds(s, "bill-section")
        if depth is not None and "parts" in s:
            s["parts"] = _pruned(s["parts"], depth, 0)
            if not s["parts"]:
                del s["parts"]
    return sections


_KEY_ORDER = ("cite", "label", "kind", "heading", "summary", "parts")


def _drop_derived_kinds(node: dict[str, Any], kind: str) -> None:
    """Keep 'kind' only where the loader would not derive it from the parent's kind, and put
    each node's keys in the order an author writes them."""
    for part in node.get("parts", []):
        part_kind = part["kind"]
        if part_kind == CHILD_KIND[kind] and "cite" not in part:
            del part["kind"]
        _drop_derived_kinds(part, part_kind)
    ordered = {k: node[k] for k in _KEY_ORDER if k in node}
    node.clear()
    node.update(ordered)


def _pruned(parts: list[dict[str, Any]], depth: int, level: int) -> list[dict[str, Any]]:
    """The parts at most ``depth`` levels below their bill or code section."""
    kept = []
    for part in parts:
        part_level = 0 if "cite" in part else level + 1
        if part_level > depth:
            continue
        if "parts" in part:
            part["parts"] = _pruned(part["parts"], depth, part_level)
            if not part["parts"]:
                del part["parts"]
        kept.append(part)
    return kept


def citations(sections: list[dict[str, Any]], parent: str | None = None) -> Iterator[str]:
    """Every citation in a section tree, as the loader computes them: parent + label."""
    for s in sections:
        cite = s.get("cite") or f"{parent}{s['label']}"
        yield cite
        yield from citations(s.get("parts", []), cite)


# --- versions and identity --------------------------------------------------------------


def _version(value: str, text: str, page: _Page) -> dict[str, Any] | None:
    m = _VERSION_OPTION.match(text)
    if not m:
        return None
    month, day, year, what = m.groups()
    # Two-digit years on leginfo are this century's: sessions since 1999 are online.
    when = date(2000 + int(year), int(month), int(day))
    what = _SPACE.sub(" ", what).strip()
    amended = re.match(r"Amended (Senate|Assembly)$", what)
    if amended:
        house = amended.group(1)
        vid = f"amended-{house.lower()}-{when.isoformat()}"
        label = f"Amended in {house}, {when:%B} {when.day}, {when.year}"
    else:
        vid = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")
        label = what
    out: dict[str, Any] = {"id": vid, "label": label, "date": when.isoformat()}
    if page.bill_id:
        out["url"] = text_url(page.bill_id, value)
    out["source"] = _version_source(page)
    return out


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


def _identity(page: _Page) -> dict[str, Any]:
    out: dict[str, Any] = {}
    # "Bill Text - SB-1047 Safe and Secure Innovation for ... Act."
    m = re.search(r"\b([A-Z]{2,4})-(\d+)\s+(.+?)\.?\s*$", _SPACE.sub(" ", page.title))
    if m:
        out["id"] = f"{m.group(1).lower()}{m.group(2)}"
        out["identifier"] = f"{m.group(1)} {m.group(2)}"
        out["title"] = m.group(3)
    out["jurisdiction"] = "US-CA"
    if page.bill_id:
        out["session"] = f"{page.bill_id[:4]}-{page.bill_id[4:8]}"
        out["local_id"] = page.bill_id
        out["url"] = status_url(page.bill_id)
        out["source"] = status_url(page.bill_id)
    return out


# --- the public function ----------------------------------------------------------------


def import_bill(html_text: str, *, depth: int | None = None, name: str = "page") -> dict[str, Any]:
    """The bill file, in the corpus format, that a leginfo bill-text page holds.

    Gives a mapping ready to dump as ``bills/<id>.yaml``: ``id``, ``identifier``, ``title``,
    ``jurisdiction``, ``session``, ``local_id``, ``url``, ``source``, ``versions`` (every
    version in the page's menu, with the URL of its text), ``sections_source`` (this page's
    version) and ``sections``, the section tree with each node's ``label`` as printed, a
    ``cite`` for bill and code sections and ``kind`` where the loader would not derive it.
    Summaries are left to the analyst: they are the corpus's own words.

    ``depth`` keeps that many levels below each bill or code section (1: subdivisions only);
    ``None`` keeps all. ``name`` is how errors refer to the page. Raises
    :class:`~graph.errors.InputError` for a page that holds no bill text.
    """
    parser = _LeginfoParser()
    parser.feed(html_text)
    parser.close()
    page = parser.page
    if not page.found_bill:
        raise InputError.single(
            name,
            0,
            'no bill text found (no <div id="bill">); save the bill\'s Text tab from '
            "leginfo.legislature.ca.gov (billTextClient.xhtml) as HTML and import that",
        )
    sections = _tree(page.blocks, depth)
    if not sections:
        raise InputError.single(
            name, 0, "the bill text has no 'SECTION 1.' or 'SEC. n.' headings to import"
        )
    out = _identity(page)
    versions = [(value, v) for value, text in page.versions if (v := _version(value, text, page))]
    if versions:
        out["versions"] = [v for _, v in versions]
    if page.bill_id:
        source: dict[str, Any] = {"url": text_url(page.bill_id, page.selected_version)}
        selected = [v for value, v in versions if value == page.selected_version]
        if selected:
            source["date"] = selected[0]["date"]
        out["sections_source"] = source
    out["sections"] = sections
    return out


def authors_line(html_text: str) -> str | None:
    """The page's own words on who introduced the bill: 'Introduced by Senator Wiener ...'.

    The corpus names authors by the ids of people in organizations.yaml, which a page cannot
    give; this line tells the analyst whom to add.
    """
    parser = _LeginfoParser()
    parser.feed(html_text)
    parser.close()
    return _SPACE.sub(" ", parser.page.authors_line).strip() or None


def _version_source(page: _Page) -> str:
    """The page itself: its version menu lists every version with its date."""
    if page.bill_id is None:
        return urlunsplit(("https", LEGINFO_HOST, LEGINFO_TEXT, "", ""))
    return text_url(page.bill_id, page.selected_version)


def to_yaml(
    bill: dict[str, Any], *, page_name: str = "the page", authors: str | None = None
) -> str:
    """The YAML text of an imported bill, with a header saying what is left to write.

    ``authors`` is the page's line on who introduced the bill (:func:`authors_line`).
    """
    header = [
        "# yaml-language-server: $schema=../../../graph/schema/bill.schema.json",
        f"# Imported from {page_name} by `bill-graph import-bill`.",
    ]
    if authors:
        header.append(f"# The page says: {authors}")
        header.append("# Add them to organizations.yaml as people, then list their ids here as")
        header.append("# `authors:` and `coauthors:`.")
    header += [
        "# Give each section the debate cites a one-line `summary` in your own words, drop",
        "# the parts no one cites if you like, and add the legislative history as `events:`.",
    ]
    body = yaml.safe_dump(
        bill, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return "\n".join(header) + "\n" + body
