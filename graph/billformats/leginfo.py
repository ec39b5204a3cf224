"""leginfo's bill text page: the HTML the California Legislature shows on leginfo.

:func:`import_page` reads a bill-text page (``billTextClient.xhtml``, saved as HTML) into the
bill file in skeleton: the bill's identity, its versions (from the page's version menu) and its
section tree, from the bill sections (``SECTION 1.``, ``SEC. 2.``) through the code sections
they add or amend (``22603.``) down to subdivisions, paragraphs, subparagraphs and clauses.
:func:`read` gives the same page as a :class:`~graph.billformats.VersionText`, with each part's
own words, like every other format.

The page marks structure only loosely: a bill section is an ``<h3>``, a code section an
``<h6>``, and each block of text a ``<div>`` that may open with several labels at once
(``(e) (1) (A)``). Which level a label belongs to is read from the label itself and the
sequence so far (:mod:`.california`), and, where that is ambiguous, from the block's
indentation.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlunsplit

from ..errors import InputError, Problem
from ..model import CHILD_KIND
from . import Part, VersionText, check_citation
from .california import (
    BILL_SECTION,
    CODE_SECTION,
    LEGINFO_HOST,
    LEGINFO_TEXT,
    Open,
    nest,
    status_url,
    text_url,
)

NAME = "leginfo's bill text page (HTML)"

_MARGIN = re.compile(r"margin-left:\s*([\d.]+)\s*em")
_SPACE = re.compile(r"\s+")
_VERSION_OPTION = re.compile(r"^(\d\d)/(\d\d)/(\d\d)\s*-\s*(.+)$", re.ASCII)


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
    version_lines: dict[str, int] = field(default_factory=dict)  # option value -> its line
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
        self._open: Counter[str] = Counter()  # how many of each are open: a stray end tag is
        # told without looking through every open tag
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
            self._open[tag] += 1
        if tag == "title" and not self.page.title:
            self._in_title = True  # the page's own; the bill text embeds a second one
        elif tag == "option" and re.fullmatch(r"[0-9]{5}[A-Z]+[0-9]+[A-Z]+", a.get("value", "")):
            self._option, self._option_text = a["value"], []
            self.page.version_lines.setdefault(a["value"], self.getpos()[0])
            if "selected" in a:
                self.page.selected_version = a["value"]
        elif tag == "td" and a.get("id") == "bill_authors":
            self._in_authors = len(self._stack)
        elif tag == "br" and self._in_authors:
            self.page.authors_line += " "
        for value in (a.get("href", ""), a.get("action", "")):
            found = re.search(r"bill_id=([0-9]{9}[A-Z]+[0-9]+)", value)
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
        if self._open[tag]:
            while self._stack:
                popped = self._stack.pop()
                self._open[popped] -= 1
                if popped == tag:
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


# --- the tree ---------------------------------------------------------------------------


def _bill_section(label: str) -> dict[str, Any] | None:
    m = BILL_SECTION.match(label)
    if not m:
        return None
    return {"cite": f"SEC. {m.group(2)}", "label": label}


def _tree(blocks: list[_Block]) -> list[dict[str, Any]]:
    """The page's section tree, each node with its ``kind`` and its own ``words``."""
    sections: list[dict[str, Any]] = []
    bill_section: dict[str, Any] | None = None
    container: dict[str, Any] | None = None  # the bill or code section that labels attach to
    path: list[Open] = []
    for block in blocks:
        if block.kind == "bill-section":
            node = _bill_section(block.text)
            if node is None:
                continue
            node |= {"kind": "bill-section", "words": [block.text]}
            sections.append(node)
            bill_section = container = node
            path = []
        elif block.kind == "heading" and bill_section is not None:
            # The chapter a bill section adds: the nearest thing to a heading the text has.
            bill_section.setdefault("heading", block.text)
            bill_section["words"].append(block.text)
        elif block.kind == "code-section" and bill_section is not None:
            m = CODE_SECTION.match(block.text)
            if not m:
                continue
            node = {"cite": m.group(1), "label": block.text, "kind": "code-section"}
            node["words"] = [block.text]
            bill_section.setdefault("parts", []).append(node)
            container = node
            path = []
        elif block.kind == "text" and container is not None:
            nest(container, block.text, path, block.indent)
    return sections


def _skeleton(sections: list[dict[str, Any]], depth: int | None) -> list[dict[str, Any]]:
    """The tree as the bill file holds it: no words, and ``kind`` only where not derived."""
    for s in sections:
        del s["kind"]  # a top-level part is a bill section unless it says otherwise
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


def _menu_date(text: str) -> date | None:
    """The date of a version menu's option ("03/10/25 - Amended Assembly"), None if its
    numbers are no day of the calendar."""
    m = _VERSION_OPTION.match(text)
    if not m:
        return None
    month, day, year, _ = m.groups()
    # Two-digit years on leginfo are this century's: sessions since 1999 are online.
    try:
        return date(2000 + int(year), int(month), int(day))
    except ValueError:
        return None


def _version(value: str, text: str, page: _Page) -> dict[str, Any] | None:
    m = _VERSION_OPTION.match(text)
    when = _menu_date(text)
    if not m or when is None:
        return None
    what = m.group(4)
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


def _identity(page: _Page) -> dict[str, Any]:
    out: dict[str, Any] = {}
    # "Bill Text - SB-1047 Safe and Secure Innovation for ... Act."
    m = re.search(r"\b([A-Z]{2,4})-([0-9]+)\s+(.+?)\.?\s*$", _SPACE.sub(" ", page.title))
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


def import_page(html_text: str, *, depth: int | None = None, name: str = "page") -> dict[str, Any]:
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
    page, tree = _read_page(html_text, name)
    sections = _skeleton(tree, depth)
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


def _read_page(html_text: str, name: str) -> tuple[_Page, list[dict[str, Any]]]:
    """The page and its section tree, or the one line saying why it holds no bill."""
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
    problems = [
        Problem(
            name,
            page.version_lines.get(value, 0),
            f"the version menu's {text!r} has no such date (MM/DD/YY): save the page again "
            "from leginfo",
        )
        for value, text in page.versions
        if _VERSION_OPTION.match(text) and _menu_date(text) is None
    ]
    if problems:
        raise InputError(problems)
    tree = _tree(page.blocks)
    if not tree:
        raise InputError.single(
            name, 0, "the bill text has no 'SECTION 1.' or 'SEC. n.' headings to import"
        )
    todo: list[tuple[dict[str, Any], str]] = [(node, "") for node in tree]
    while todo:  # each citation checked before the parts below it copy it
        node, parent = todo.pop()
        cite = check_citation(node.get("cite") or f"{parent}{node['label']}", name, 0)
        todo += [(child, cite) for child in node.get("parts", [])]
    return page, tree


def recognises(head: str) -> bool:
    """A leginfo page: HTML that names leginfo's bill-text page or holds its bill div."""
    low = head.lower()
    return "<html" in low or "<!doctype html" in low or 'id="bill"' in low


def read(text: str, name: str) -> VersionText:
    """The version a leginfo bill-text page shows, as every format gives it."""
    page, tree = _read_page(text, name)
    identity = _identity(page)
    shown = [(value, t) for value, t in page.versions if value == page.selected_version]
    version = (_version(*shown[0], page) if shown else None) or {}
    return VersionText(
        identifier=identity.get("identifier", ""),
        title=identity.get("title", ""),
        jurisdiction="US-CA",
        session=identity.get("session", ""),
        label=version.get("label", ""),
        date=version.get("date"),
        chamber=None,
        parts=[parts_of(node, None) for node in tree],
        local_id=page.bill_id,
        url=version.get("url"),
        name=name,
    )


def parts_of(node: dict[str, Any], parent: str | None) -> Part:
    """A :class:`Part` from a node of the tree :func:`nest` builds."""
    cite = node.get("cite") or f"{parent}{node['label']}"
    return Part(
        kind=node["kind"],
        label=node["label"],
        cite=cite,
        heading=node.get("heading"),
        text=_SPACE.sub(" ", " ".join(node.get("words", []))).strip(),
        parts=[parts_of(child, cite) for child in node.get("parts", [])],
    )


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
