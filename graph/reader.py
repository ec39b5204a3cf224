"""The bill reader: the bill's text part by part, with the claims about each part in its margin.

Two halves, both plain data for the map's page (``graph/templates/reader.js`` draws them):

- :func:`bill_text` reads from RDF every version of a bill that has its text (the parts each
  version holds, in their order, with their words) and what each amendment struck and
  inserted (:func:`graph.diff.compare`), so a reader can pick any version and see what
  changed from the one before;
- :func:`reader_data` takes the network view of a map and gives the bill's outline (every
  section, in the bill's order, with its summary) and each part's margin: the claims about
  it, counted for, against and mixed as the ``claims-about-section`` question counts them
  (a part with its subdivisions), and the counterclaims that answer them as
  ``contested-sections`` counts them.

The view holds no bill text (it is the debate's graph), so the page of a view alone shows the
outline; the build and ``map`` give it the versions' texts too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import networkx as nx
from rdflib.namespace import RDFS

from .diff import compare
from .network import RDFSource, _reader, _text, _values
from .overview import answers, bill_order, claim_sides, date_order, natural
from .vocab import BG, ELI

_ROMAN = re.compile(r"^\(?([ivxlcdm]+)\)?\.?$")
_ROMAN_VALUE = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _roman(text: str) -> int:
    """The value of a lower-case roman numeral.

    >>> [_roman(t) for t in ("i", "iv", "ix", "xiv")]
    [1, 4, 9, 14]
    """
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=True):
        v = _ROMAN_VALUE[a]
        total += -v if b != " " and _ROMAN_VALUE[b] > v else v
    return total


_LAST = re.compile(r"\(([^()]+)\)$")


def sibling_order(citations: Iterable[str]) -> dict[str, tuple]:
    """A sort key for each of the citations of parts that share a parent, in the bill's
    order: numbers by value, letters as the alphabet has them, and a run of roman numerals
    ((i), (ii), ... (iv), (v)) by value, not as letters (where (h) stands beside (i), (i) is
    a letter).

    >>> keys = sibling_order(["1(a)(v)", "1(a)(iv)", "1(a)(i)", "1(a)(ii)"])
    >>> sorted(keys, key=keys.get)
    ['1(a)(i)', '1(a)(ii)', '1(a)(iv)', '1(a)(v)']
    >>> keys = sibling_order(["2(i)", "2(h)", "2(j)"])
    >>> sorted(keys, key=keys.get)
    ['2(h)', '2(i)', '2(j)']
    >>> keys = sibling_order(["SEC. 10", "SEC. 2", "SEC. 1"])
    >>> sorted(keys, key=keys.get)
    ['SEC. 1', 'SEC. 2', 'SEC. 10']
    """
    citations = list(citations)
    last = [_LAST.search(c) for c in citations]
    found = [_ROMAN.match(m.group(1)) if m else None for m in last]
    roman = all(found) and (len(found) == 1 or any(len(m.group(1)) > 1 for m in found if m))
    if roman:
        return {c: (0, _roman(m.group(1)), c) for c, m in zip(citations, found, strict=True) if m}
    return {c: natural(c) for c in citations}


def bill_text(graph: RDFSource) -> dict | None:
    """Every version of the bill whose versions hold the most text, with its parts in order
    and what changed from the version before: ``{"bill", "versions": [{"id", "label",
    "date", "parts": [[citation, number, heading, depth, provision, text]], "changes":
    {citation: [kind, before, ops]}, "removed": [[citation, text]]}]}``, versions oldest
    first; ``ops`` are ``[op, words]`` (``=`` kept, ``-`` struck, ``+`` inserted). None when
    no version of any bill holds its text.
    """
    reader = _reader(graph)
    parts = reader.instances(str(BG.VersionPart))
    if not parts:
        return None
    version_of = _values(reader, BG.inVersion, set(parts))
    versions = {v for v in version_of.values() if isinstance(v, str)}
    bill_of = _values(reader, ELI.realizes, versions)
    counts: dict[str, int] = {}
    for v in version_of.values():
        b = bill_of.get(v)
        if isinstance(b, str):
            counts[b] = counts.get(b, 0) + 1
    if not counts:
        return None
    bill = min(counts, key=lambda b: (-counts[b], b))
    versions = {v for v in versions if bill_of.get(v) == bill}
    ours = {p for p, v in version_of.items() if v in versions}

    def texts(predicate, subjects) -> dict[str, str]:  # noqa: ANN001
        return {s: _text(o) for s, o in _values(reader, predicate, subjects).items()}

    citation = texts(BG.citation, ours)
    number = texts(ELI.number, ours)
    heading = texts(ELI.title, ours)
    words = texts(BG.partText, ours)
    parent = texts(ELI.is_part_of, ours)
    provision = texts(ELI.realizes, ours)
    dates = texts(ELI.version_date, versions)
    labels = texts(RDFS.label, versions)

    out = []
    for v in sorted(versions, key=lambda v: (date_order(dates.get(v)), v)):
        mine = [p for p in ours if version_of[p] == v]
        kids: dict[str, list[str]] = {}
        for p in mine:
            kids.setdefault(parent.get(p, v), []).append(p)
        ordered: list[tuple[str, int]] = []
        stack = [(v, -1)]
        while stack:
            node, depth = stack.pop()
            if node != v:
                ordered.append((node, depth))
            children = kids.get(node, [])
            keys = sibling_order(citation.get(c, c) for c in children)
            children.sort(key=lambda c: (keys[citation.get(c, c)], c))
            stack.extend((c, depth + 1) for c in reversed(children))
        out.append(
            {
                "id": v,
                "label": labels.get(v, v),
                "date": dates.get(v),
                "parts": [
                    [
                        citation.get(p, p),
                        number.get(p, ""),
                        heading.get(p, ""),
                        depth,
                        provision.get(p),
                        words.get(p, ""),
                    ]
                    for p, depth in ordered
                ],
            }
        )
    for before, after in zip(out, out[1:], strict=False):
        changes = compare(
            [(p[0], p[5]) for p in before["parts"]], [(p[0], p[5]) for p in after["parts"]]
        )
        after["changes"] = {
            c.after: [c.kind, c.before, [list(op) for op in c.diff.ops]]
            for c in changes
            if c.after is not None and c.kind in ("changed", "renumbered", "added")
        }
        texts_before = {p[0]: p[5] for p in before["parts"]}
        after["removed"] = [
            [c.before, texts_before.get(c.before, "")]
            for c in changes
            if c.kind == "removed" and c.before is not None
        ]
    if out:
        out[0]["changes"], out[0]["removed"] = {}, []
    return {"bill": bill, "versions": out}


def _ancestors(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Each section with the sections and bill it is part of, nearest first."""
    parent = {u: v for u, v, k in sorted(g.edges(keys=True)) if k == "partOf"}
    out = {}
    for n, d in g.nodes(data=True):
        if d.get("kind") == "section":
            chain, cur = [], n
            while cur in parent and parent[cur] not in chain:
                cur = parent[cur]
                chain.append(cur)
            out[n] = chain
    return out


def reader_data(g: nx.MultiDiGraph, text: Mapping | None = None) -> dict:
    """What the bill reader shows of a drawn graph ``g``: ``bill`` (the bill most claims
    here are about), ``outline`` (its sections in order: ``[id, depth]``), ``margin`` (each
    part's counts: ``claims`` about it and its parts, on each side, ``counter`` the
    counterclaims answering claims about it itself, ``own`` the claims about it itself),
    and the ``versions`` of :func:`bill_text`, when given."""
    ancestors = _ancestors(g)
    sides = claim_sides(g)
    about: dict[str, set[str]] = {}
    for u, v, k in g.edges(keys=True):
        if k == "concerns" and u in sides:
            about.setdefault(v, set()).add(u)
    bills = [n for n, d in g.nodes(data=True) if d.get("kind") == "bill"]
    if text and text.get("bill") in bills:
        bill = text["bill"]
    elif bills:

        def weight(b: str) -> int:
            return sum(len(cs) for p, cs in about.items() if p == b or b in ancestors.get(p, []))

        bill = min(bills, key=lambda b: (-weight(b), b))
    else:
        bill = None
    sections = [s for s, chain in ancestors.items() if bill in chain]
    outline = bill_order(g, sections)
    depth = {s: len(ancestors[s]) - 1 for s in sections}
    counter_of: dict[str, set[str]] = {}
    for counter, answered in answers(g).values():
        for a in answered:
            counter_of.setdefault(a, set()).update(counter)
    within: dict[str, set[str]] = {}
    for part, claims in about.items():
        for s in [part, *ancestors.get(part, [])]:
            within.setdefault(s, set()).update(claims)
    margin = {}
    for s in ([bill] if bill else []) + outline:
        inside = within.get(s, set()) if s != bill else about.get(s, set())
        own = about.get(s, set())
        if not inside and not own:
            continue
        n = {"claims": len(inside), "for": 0, "against": 0, "mixed": 0, "other": 0}
        for c in inside:
            n[sides[c] or "other"] += 1
        n["counter"] = len(set().union(*(counter_of.get(c, set()) for c in own)))
        n["own"] = sorted(own, key=lambda c: (date_order(g.nodes[c].get("date")), c))
        margin[s] = n
    return {
        "bill": bill,
        "outline": [[s, depth[s]] for s in outline],
        "margin": margin,
        "versions": list(text["versions"]) if text else [],
    }
