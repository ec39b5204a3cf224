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

from collections.abc import Iterator
from typing import Any

import yaml

from .billformats.leginfo import authors_line, import_page

__all__ = ["authors_line", "citations", "import_bill", "to_yaml"]


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
