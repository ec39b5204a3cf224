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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .billformats import Part, VersionText, read_version
from .billformats.california import status_url
from .billformats.leginfo import authors_line, import_page
from .errors import InputError, Problem
from .model import CHILD_KIND
from .vocab import slug

__all__ = ["authors_line", "citations", "import_bill", "import_versions", "to_yaml"]


def import_bill(html_text: str, *, depth: int | None = None, name: str = "page") -> dict[str, Any]:
    """The bill file, in the corpus format, that a leginfo bill-text page holds
    (:func:`graph.billformats.leginfo.import_page`)."""
    return import_page(html_text, depth=depth, name=name)


def citations(sections: list[dict[str, Any]], parent: str | None = None) -> Iterator[str]:
    """Every citation in a section tree, as the loader computes them: parent + label."""
    for s in sections:
        cite = s.get("cite") or f"{parent}{s['label']}"
        yield cite
        yield from citations(s.get("parts", []), cite)


def to_yaml(
    bill: dict[str, Any],
    *,
    page_name: str = "the page",
    authors: str | None = None,
    header: str | None = None,
) -> str:
    """The YAML text of an imported bill, with a header saying what is left to write.

    ``authors`` is the page's line on who introduced the bill (:func:`authors_line`);
    ``header`` says where the bill came from, in place of "Imported from ``page_name``".
    Each stays on its comment line: a line break in a file's name would make the rest of
    it a line of the bill file.
    """
    page_name, authors, header = (_one_line(t) for t in (page_name, authors, header))
    header_lines = [
        "# yaml-language-server: $schema=../../../graph/schema/bill.schema.json",
        f"# {header}" if header else f"# Imported from {page_name} by `bill-graph import-bill`.",
    ]
    if authors:
        header_lines.append(
            f"# The text says: {authors}" if not page_name else f"# The page says: {authors}"
        )
        header_lines.append(
            "# Add them to organizations.yaml as people, then list their ids here as"
        )
        header_lines.append("# `authors:` and `coauthors:`.")
    header_lines += [
        "# Give each section the debate cites a one-line `summary` in your own words, drop",
        "# the parts no one cites if you like, and add the legislative history as `events:`.",
    ]
    body = yaml.safe_dump(
        bill, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return "\n".join(header_lines) + "\n" + body


def _one_line(text: str | None) -> str | None:
    """``text`` with each line break (YAML's, and Unicode's) made a space."""
    return None if text is None else re.sub(r"[\r\n\x85\u2028\u2029]+", " ", text)


# --- every version of a bill ----------------------------------------------------------------

#: The kind of legislative event each action in California's bill XML history is.
_CA_EVENTS = {
    "INTRODUCED": ("introduction", "Introduced"),
    "AMENDED_SENATE": ("amendment", "Amended in the Senate"),
    "AMENDED_ASSEMBLY": ("amendment", "Amended in the Assembly"),
    "PASSED_SENATE": ("floor-vote", "Passed the Senate"),
    "PASSED_ASSEMBLY": ("floor-vote", "Passed the Assembly"),
    "ENROLLED": ("enrollment", "Enrolled"),
    "CHAPTERED": ("chaptered", "Chaptered by the Secretary of State"),
    "APPROVED": ("other", "Approved by the Governor"),
    "FILED": ("other", "Filed with the Secretary of State"),
    "VETOED": ("veto", "Vetoed by the Governor"),
}


def version_id(version: VersionText) -> str:
    """The id a version gets in the bill file: the stage, and the date for amendments
    ("amended-senate-2025-02-27"), as SB 1047's file names them.

    >>> v = VersionText("SB 53", "", "US-CA", "2025-2026", "Amended in Senate, February 27, 2025",
    ...                 "2025-02-27", "Senate", [], stage="AMD")
    >>> version_id(v)
    'amended-senate-2025-02-27'
    """
    if version.stage == "AMD" and version.chamber and version.date:
        return f"amended-{version.chamber.lower()}-{version.date}"
    # At most 80 characters, cut at a hyphen: an id of the bill file is at most 100, and a
    # repeated one takes its date (11 more).
    vid = slug(version.label)
    while len(vid) > 80 and "-" in vid:
        vid = vid.rsplit("-", 1)[0]
    return vid[:80] or "version"


@dataclass
class ImportedBill:
    """A bill file made from versions (:func:`import_versions`)."""

    bill: dict[str, Any]  # the bill file's mapping
    texts: dict[str, str]  # each version's text, by its path under the corpus's texts/
    authors: list[str]  # the authors the newest version names, as it prints them
    versions: list[tuple[str, VersionText]]  # each version as read, with its id, oldest first


def import_versions(files: list[tuple[str, str]], *, text_folder: str = "../texts") -> ImportedBill:
    """The bill file that several versions of one bill make, and the texts it names.

    ``files`` are (name, content) pairs in any order and any format :mod:`graph.billformats`
    reads. Gives the bill file's mapping (identity, every version oldest first with its label,
    date, chamber, number, URL, source, text and tree of parts, and the legislative history
    the newest version carries) and ``{path: text}``, each version's text as a corpus text
    (one line per part, each line the part's own words), its path relative to the corpus's
    ``texts/`` folder. Raises :class:`~graph.errors.InputError` with every problem found:
    a file no format reads, versions of different bills, two versions with the same date
    and number, a version whose history contradicts another's.
    """
    problems: list[Problem] = []
    versions: list[VersionText] = []
    for name, text in files:
        try:
            versions.append(read_version(text, name))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    if not versions:
        raise InputError.single("import-bill", 0, "no bill versions to import")
    bills = {(v.jurisdiction, v.session, v.identifier) for v in versions}
    if len(bills) > 1:
        raise InputError(
            [
                Problem(
                    v.name,
                    1,
                    f"is {v.identifier} of {v.session} ({v.jurisdiction}); "
                    "the other files are of another bill: import one bill at a time",
                )
                for v in versions
            ]
        )
    versions.sort(key=_order)
    problems += _contradictions(versions)
    if problems:
        raise InputError(problems)
    newest = versions[-1]
    bill_id = slug(newest.identifier).replace("-", "")
    ids = _unique_ids(versions)
    bill: dict[str, Any] = {
        "id": bill_id,
        "identifier": newest.identifier,
        "title": newest.title,
        "jurisdiction": newest.jurisdiction,
        "session": newest.session,
    }
    if newest.local_id:
        bill["local_id"] = newest.local_id
    california = newest.jurisdiction == "US-CA" and newest.local_id
    home = status_url(newest.local_id) if california else None
    if home:
        bill["url"] = home
    # Where the bill's identity comes from: its status page, or the file itself.
    bill["source"] = home or newest.url or Path(newest.name).name
    texts: dict[str, str] = {}
    bill["versions"] = []
    for v, vid in zip(versions, ids, strict=True):
        path = f"{bill_id}/{vid}.txt"
        texts[path] = "".join(p.text + "\n" for p in v.walk())
        entry: dict[str, Any] = {"id": vid, "label": v.label}
        if v.date:
            entry["date"] = v.date
        if v.chamber:
            entry["chamber"] = v.chamber
        if v.number:
            entry["number"] = v.number
        if v.url:
            entry["url"] = v.url
        where = f"{Path(v.name).name} ({_format_name(v)})"
        entry["source"] = {"url": v.url, "where": where} if v.url else where
        entry["text"] = f"{text_folder}/{path}"
        entry["sections"] = [_node(p, None) for p in v.parts]
        bill["versions"].append(entry)
    events = _events(newest, ids, versions, home)
    if events:
        bill["events"] = events
    return ImportedBill(bill, texts, newest.authors, list(zip(ids, versions, strict=True)))


def _order(v: VersionText) -> tuple[str, int, int]:
    # Oldest first: by date, then by how much history the file carries, then (California
    # numbers its versions down from 99) by the number, highest first.
    number = int(v.number) if v.number and v.number.isascii() and v.number.isdigit() else 0
    return (v.date or "", len(v.history), -number)


def _contradictions(versions: list[VersionText]) -> list[Problem]:
    problems = []
    seen: dict[tuple[str | None, str | None], VersionText] = {}
    for v in versions:
        key = (v.date, v.number)
        if key in seen and (v.number is not None or v.label == seen[key].label):
            problems.append(
                Problem(
                    v.name,
                    1,
                    f"is a version of the same date ({v.date}) and number ({v.number}) as "
                    f"{seen[key].name}: give each version once",
                )
            )
        seen.setdefault(key, v)
    histories = [v for v in versions if v.history]
    for older, newer in zip(histories, histories[1:], strict=False):
        if newer.history[: len(older.history)] != older.history:
            at = next(
                (
                    i
                    for i, (a, b) in enumerate(zip(older.history, newer.history, strict=False))
                    if a != b
                ),
                min(len(older.history), len(newer.history)),
            )
            said = older.history[at] if at < len(older.history) else ("nothing", "")
            says = newer.history[at] if at < len(newer.history) else ("nothing", "")
            problems.append(
                Problem(
                    newer.name,
                    1,
                    f"its history contradicts {older.name}'s: action {at + 1} is "
                    f"{' '.join(says).strip()} here and {' '.join(said).strip()} there",
                )
            )
    return problems


def _unique_ids(versions: list[VersionText]) -> list[str]:
    ids: list[str] = []
    for v in versions:
        vid = version_id(v)
        if vid in ids and v.date:
            vid = f"{vid}-{slug(v.date)}"
        n = 2
        base = vid
        while vid in ids:
            vid, n = f"{base}-{n}", n + 1
        ids.append(vid)
    return ids


def _format_name(v: VersionText) -> str:
    if v.jurisdiction == "US-CA" and v.stage:
        return "California bill XML"
    return "USLM bill XML" if v.jurisdiction == "US" else "bill text"


def _node(part: Part, parent_kind: str | None) -> dict[str, Any]:
    node: dict[str, Any] = {}
    if part.kind in ("bill-section", "code-section") or parent_kind is None or not part.label:
        node["cite"] = part.cite
    node["label"] = part.label or part.cite
    if part.kind != CHILD_KIND.get(parent_kind):
        node["kind"] = part.kind
    if part.heading:
        node["heading"] = part.heading
    if part.parts:
        node["parts"] = [_node(p, part.kind) for p in part.parts]
    return node


def _events(
    newest: VersionText, ids: list[str], versions: list[VersionText], home: str | None
) -> list[dict[str, Any]]:
    """The history the newest version carries, as the bill file's events, each naming the
    version in print after it."""
    if newest.jurisdiction != "US-CA" or not home:
        return []
    dated = [(v.date or "", vid) for v, vid in zip(versions, ids, strict=True)]
    events, seen = [], set()
    for n, (action, when) in enumerate(newest.history, start=1):
        kind, label = _CA_EVENTS.get(action, ("other", action.replace("_", " ").capitalize()))
        eid = f"{slug(action)}-{when}"
        if eid in seen:
            eid = f"{eid}-{n}"
        seen.add(eid)
        in_print = [vid for d, vid in dated if d and d <= when]
        event: dict[str, Any] = {"id": eid, "kind": kind, "date": when, "label": label}
        if in_print:
            event["version"] = in_print[-1]
        event["source"] = {"url": home, "where": f"the history in {Path(newest.name).name}"}
        events.append(event)
    return events
