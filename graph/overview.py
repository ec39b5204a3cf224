"""The overview: who is for the bill, who is against it, and about what, at first sight.

From the network view of a map (:func:`graph.network.to_networkx`, cut or whole), the plain
data the map's first screen draws (``graph/templates/map.js``):

- **sides**: every organization, person and document in the group of its side, for, mixed
  or against the bill (or none stated), by the rule of :func:`agent_sides`;
- **the spine**: the bill's parts that claims are about, in the bill's own order, each with
  how many claims for, against and mixed are about it and how many counterclaims answer
  them (the counts the ``contested-sections`` and ``claims-about-section`` questions give);
- **the timeline**: statements, versions and the legislative history on one date axis.

Dates are often known only to the month or the year; :func:`date_order` sorts them (a date
known to the month after that month's days, one known to the year after that year's dated
ones) and :func:`date_words` says them as a reader does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from .kinds import AGAINST, FOR, MIXED, RELATION_EDGE_KIND, STANCE_SIDE

#: The groups of the overview, left to right as a reader scans them, with their headings.
GROUPS = (
    (FOR, "For the bill"),
    (MIXED, "Mixed or conditional"),
    (AGAINST, "Against the bill"),
    (None, "No side taken here"),
)

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

#: Agents are people and organizations.
AGENT_KINDS = ("organization", "person")


def date_order(date: object) -> tuple[int, int, int]:
    """A sort key for a date known to the day, the month or the year only: a date known to
    the month comes after that month's days, and one known to the year after that year's
    dated ones; no date at all comes last.

    >>> sorted(["2024", "2024-08", "2024-08-07", "2024-09-01"], key=date_order)
    ['2024-08-07', '2024-08', '2024-09-01', '2024']
    """
    found = _DATE.match(str(date or ""))
    if not found:
        return (9999, 13, 32)
    year, month, day = found.groups()
    return (int(year), int(month) if month else 13, int(day) if day else 32)


def date_words(date: object) -> str:
    """A date as a reader says it, saying what is not known.

    >>> [date_words(d) for d in ("2024-08-07", "2024-08", "2024", None)]
    ['7 August 2024', 'August 2024 (day not known)', '2024 (date not known)', 'date not known']
    """
    year, month, day = date_order(date)
    if year == 9999:
        return "date not known"
    if month == 13:
        return f"{year} (date not known)"
    if day == 32:
        return f"{_MONTHS[month - 1]} {year} (day not known)"
    return f"{day} {_MONTHS[month - 1]} {year}"


def natural(text: str) -> tuple:
    """A sort key that puts SEC. 2 before SEC. 10.

    >>> sorted(["SEC. 10", "SEC. 2", "SEC. 2(a)"], key=natural)
    ['SEC. 2', 'SEC. 2(a)', 'SEC. 10']
    """
    return tuple(
        (0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"\d+|\D+", text)
    )


def bill_order(g: nx.MultiDiGraph, nodes: Iterable[str]) -> list[str]:
    """``nodes`` (sections, bills) in the bill's own order: each section followed by its parts."""
    wanted = set(nodes)
    kids: dict[str, list[str]] = {}
    has_parent = set()
    for u, v, k in g.edges(keys=True):
        if k == "partOf":
            kids.setdefault(v, []).append(u)
            has_parent.add(u)

    def key(n: str) -> tuple:
        d = g.nodes[n]
        return natural(str(d.get("citation") or d.get("label") or n))

    out: list[str] = []
    seen: set[str] = set()
    stack = sorted((n for n in g if n not in has_parent), key=key, reverse=True)
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        if n in wanted:
            out.append(n)
        stack.extend(sorted(kids.get(n, []), key=key, reverse=True))
    return out + sorted(wanted - set(out), key=key)


@dataclass(frozen=True)
class Side:
    """The side an organization, person or document is on, and why, in words."""

    side: str | None  # for, mixed, against; None when none is stated
    reason: str


def document_side(data: Mapping) -> str | None:
    """The side a document's stance puts it on (None for a report, the bill's text)."""
    return STANCE_SIDE.get(str(data.get("stance") or ""))


def _stance_words(stance: object) -> str:
    return str(stance).replace("-", " ")


def claim_documents(g: nx.MultiDiGraph) -> dict[str, str]:
    """Each claim's document, where the view holds it."""
    return {
        u: v
        for u, v, k in g.edges(keys=True)
        if k == "assertedIn" and g.nodes[u].get("kind") == "claim"
    }


def claim_sides(g: nx.MultiDiGraph) -> dict[str, str | None]:
    """The side of every claim: the position its document records of whoever asserts it (a
    letter a committee analysis quotes), else its document's stance (or, when the view left
    the document out, the stance the claim carries of it)."""
    docs = claim_documents(g)
    out = {}
    for n, d in g.nodes(data=True):
        if d.get("kind") == "claim":
            doc = docs.get(n)
            stance = d.get("position_stance") or (
                g.nodes[doc].get("stance") if doc else d.get("source_stance")
            )
            out[n] = STANCE_SIDE.get(str(stance or ""))
    return out


def recorded_positions(g: nx.MultiDiGraph) -> dict[tuple[str, str], str]:
    """The stance each document of the view records of an organization or person, by
    (agent, document): a committee analysis's registered support and opposition."""
    out = {}
    for n, d in g.nodes(data=True):
        for entry in filter(None, str(d.get("recorded_positions") or "").split("; ")):
            agent, _, stance = entry.rpartition(" ")
            out[(agent, n)] = stance
    return out


def agent_sides(g: nx.MultiDiGraph) -> dict[str, Side]:
    """The side of every organization and person of the view, by this rule, in order:

    1. its own statements (documents it wrote, claims it made in others') and the positions
       documents record of it (an analysis's registered support and opposition): the side of
       the latest of them that takes one (earlier sides are named in the reason);
    2. a coalition with none: the side its members' statements take, if they agree (else
       mixed);
    3. a member with none: the side of its coalitions, if they agree;
    4. an author or co-author of the bill: for it;
    5. else no side (it is named in the debate, without a statement of its own here).
    """
    agents = [n for n, d in g.nodes(data=True) if d.get("kind") in AGENT_KINDS]
    docs = claim_documents(g)
    statements: dict[str, set[str]] = {a: set() for a in agents}
    coalitions: dict[str, set[str]] = {a: set() for a in agents}
    members: dict[str, set[str]] = {a: set() for a in agents}
    authors: dict[str, str] = {}
    for u, v, k in g.edges(keys=True):
        if v not in statements:
            continue
        if k == "author" and g.nodes[u].get("kind") == "source":
            statements[v].add(u)
        elif k == "assertedBy" and u in docs:
            statements[v].add(docs[u])
        elif k == "memberOf" and u in statements:
            coalitions[u].add(v)
            members[v].add(u)
        elif k in ("billAuthor", "billCoauthor"):
            authors[v] = "author" if k == "billAuthor" else "co-author"
    recorded = recorded_positions(g)
    for a, doc in recorded:
        if a in statements:
            statements[a].add(doc)

    def stance_of(a: str, doc: str) -> object:
        """The stance a statement gives the agent: the one recorded of it there, else the
        document's."""
        return recorded.get((a, doc)) or g.nodes[doc].get("stance")

    def label(n: str) -> str:
        return str(g.nodes[n].get("label", n))

    out: dict[str, Side] = {}
    for a in agents:
        stated = sorted(
            (d for d in statements[a] if STANCE_SIDE.get(str(stance_of(a, d) or ""))),
            key=lambda d: (date_order(g.nodes[d].get("date")), d),
        )
        if not stated:
            continue
        last, last_stance = g.nodes[stated[-1]], stance_of(a, stated[-1])
        what = "position on record" if (a, stated[-1]) in recorded else "statement"
        reason = (
            f"its latest {what} here ({date_words(last.get('date'))}) is "
            f"{_stance_words(last_stance)}"
        )
        earlier = sorted(
            {_stance_words(stance_of(a, d)) for d in stated[:-1] if stance_of(a, d) != last_stance}
        )
        if earlier:
            reason += f"; earlier: {', '.join(earlier)}"
        out[a] = Side(STANCE_SIDE.get(str(last_stance)), reason)
    for c in agents:
        if c in out or not members[c]:
            continue
        found = {out[m].side for m in members[c] if m in out}
        if len(found) == 1:
            out[c] = Side(found.pop(), "the side its members' statements take")
        elif found:
            out[c] = Side(MIXED, "its members take different sides")
    for a in agents:
        if a in out:
            continue
        found = {out[c].side for c in coalitions[a] if c in out}
        if len(found) == 1:
            names = ", ".join(sorted(label(c) for c in coalitions[a] if c in out))
            out[a] = Side(found.pop(), f"a member of {names}")
        elif a in authors:
            out[a] = Side(FOR, f"an {authors[a]} of the bill")
        else:
            out[a] = Side(None, "named in the debate, with no statement of its own here")
    return dict(sorted(out.items()))


def answers(g: nx.MultiDiGraph) -> dict[str, tuple[list[str], list[str]]]:
    """Each attack's counterclaims (its premises) and the claims they answer: the attacked
    claim of a rebuttal or undermining, the conclusion of an undercut support, the premises
    of an undercut attack (as the ``counterclaims`` question reads them)."""
    kind = {n: d.get("kind") for n, d in g.nodes(data=True)}
    premises: dict[str, list[str]] = {}
    conclusion: dict[str, str] = {}
    for u, v, k in g.edges(keys=True):
        if kind.get(u) in RELATION_EDGE_KIND:
            if k == "premise":
                premises.setdefault(u, []).append(v)
            elif k == "conclusion" and (u not in conclusion or v < conclusion[u]):
                conclusion[u] = v
    out = {}
    for r in sorted(premises):
        if kind[r] == "support" or r not in conclusion:
            continue
        c = conclusion[r]
        if kind.get(c) == "claim":
            answered = [c]
        elif kind.get(c) == "support":
            answered = [conclusion[c]] if c in conclusion else []
        elif kind.get(c) in RELATION_EDGE_KIND:
            answered = premises.get(c, [])
        else:
            answered = []
        counter = [p for p in premises[r] if kind.get(p) == "claim"]
        answered = [a for a in answered if kind.get(a) == "claim"]
        if counter and answered:
            out[r] = (sorted(counter), sorted(answered))
    return out


def _empty_counts() -> dict[str, int]:
    return {"claims": 0, FOR: 0, MIXED: 0, AGAINST: 0, "other": 0, "attacks": 0}


def part_weights(g: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """For each section or bill that claims are about: how many claims are about it itself,
    on each side (``other``: a claim of a document that takes none), and how many distinct
    counterclaims answer them (``attacks``)."""
    sides = claim_sides(g)
    about: dict[str, set[str]] = {}
    for u, v, k in g.edges(keys=True):
        if k == "concerns" and u in sides and g.nodes[v].get("kind") in ("section", "bill"):
            about.setdefault(v, set()).add(u)
    counter_of: dict[str, set[str]] = {}
    for counter, answered in answers(g).values():
        for a in answered:
            counter_of.setdefault(a, set()).update(counter)
    out = {}
    for part, claims in about.items():
        n = _empty_counts()
        n["claims"] = len(claims)
        for c in claims:
            n[sides[c] or "other"] += 1
        n["attacks"] = len(set().union(*(counter_of.get(c, set()) for c in claims)))
        out[part] = n
    return out


def _parents(g: nx.MultiDiGraph) -> dict[str, str]:
    return {
        u: v
        for u, v, k in sorted(g.edges(keys=True))
        if k == "partOf" and g.nodes[u].get("kind") == "section"
    }


def spine(g: nx.MultiDiGraph) -> list[dict]:
    """The bill's parts that claims are about, in the bill's order, in rows: one per code
    section (or top section of the bill), with the parts of it that draw claims, and a row
    for the bill as a whole first. Each part carries its counts (:func:`part_weights`);
    each row its totals, every claim about the row counted once."""
    weights = part_weights(g)
    parent = _parents(g)

    def head(n: str) -> str:
        chain = [n]
        while chain[-1] in parent and g.nodes[parent[chain[-1]]].get("kind") == "section":
            chain.append(parent[chain[-1]])
        for c in chain:
            if g.nodes[c].get("subkind") == "code-section":
                return c
        return chain[-1]

    sides = claim_sides(g)
    counter_of: dict[str, set[str]] = {}
    for counter, answered in answers(g).values():
        for a in answered:
            counter_of.setdefault(a, set()).update(counter)
    about: dict[str, set[str]] = {}
    for u, v, k in g.edges(keys=True):
        if k == "concerns" and u in sides:
            about.setdefault(v, set()).add(u)

    rows: dict[str, list[str]] = {}
    bills = [n for n in weights if g.nodes[n].get("kind") == "bill"]
    sections = bill_order(g, [n for n in weights if g.nodes[n].get("kind") == "section"])
    for n in bills + sections:
        rows.setdefault(n if n in bills else head(n), []).append(n)
    order = bills + bill_order(g, [r for r in rows if r not in bills])
    out = []
    for r in order:
        claims = set().union(*(about.get(p, set()) for p in rows[r]))
        total = _empty_counts()
        total["claims"] = len(claims)
        for c in claims:
            total[sides[c] or "other"] += 1
        total["attacks"] = len(set().union(*(counter_of.get(c, set()) for c in claims)))
        out.append(
            {
                "head": r,
                "total": total,
                "parts": [{"id": p, **weights[p]} for p in rows[r]],
            }
        )
    return out


def _day(date: object) -> dt.date | None:
    """The day a date names, or for one known to the month its middle; None for a year."""
    year, month, day = date_order(date)
    if year == 9999 or month == 13:
        return None
    try:
        return dt.date(year, month, 15 if day == 32 else day)
    except ValueError:
        return None


def timeline(g: nx.MultiDiGraph) -> dict:
    """Statements, versions and legislative events on one date axis.

    Each item has ``at`` (its place on the axis, 0 to 1) and ``known`` (``day`` or
    ``month``; a month's statements stand at its middle), or, known only to the year,
    ``at`` None and ``year``: those stand apart after the axis, as dates the corpus does not
    know better. ``row`` stacks items that would cover each other. ``ticks`` are the months.
    """
    items = []
    for n, d in g.nodes(data=True):
        kind = d.get("kind")
        if kind not in ("source", "event", "version") or not d.get("date"):
            continue
        lane = "statement" if kind == "source" else "bill"
        vote = kind == "event" and d.get("ayes") is not None
        what = "vote" if vote else "veto" if d.get("subkind") == "veto" else kind
        items.append((n, lane, what, str(d["date"])))
    days = [day for *_, date in items if (day := _day(date))]
    if not days:
        return {"ticks": [], "items": [], "years": []}
    first, last = min(days), max(days)
    start = dt.date(first.year, first.month, 1)
    end_month = dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    span = (end_month - start).days
    ticks = []
    m = start
    while m < end_month:
        text = _MONTHS[m.month - 1][:3]
        if m == start or m.month == 1:
            text += f" {m.year}"
        ticks.append({"at": round((m - start).days / span, 4), "text": text})
        m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    out = []
    stacks: Counter = Counter()
    for n, lane, what, date in sorted(items, key=lambda i: (date_order(i[3]), i[1], i[0])):
        day = _day(date)
        year, month, dd = date_order(date)
        item = {"id": n, "lane": lane, "what": what}
        if day is None:
            item.update(at=None, year=year, known="year")
            slot = (lane, "year", year)
        else:
            at = (day - start).days / span
            item.update(at=round(at, 4), known="month" if dd == 32 else "day")
            slot = (lane, round(at * 120))
        item["row"] = stacks[slot]
        stacks[slot] += 1
        out.append(item)
    years = sorted({i["year"] for i in out if i["at"] is None})
    return {"ticks": ticks, "items": out, "years": years}


def overview(g: nx.MultiDiGraph) -> dict:
    """The overview's data: ``groups`` (each side's agents and documents), ``spine`` and
    ``timeline`` (see the module's summary), and ``parts`` (each claim's, agent's and
    document's parts of the bill, so a click on one lights up what it argues about)."""
    sides = agent_sides(g)
    weight: Counter = Counter()
    docs = claim_documents(g)
    for _, v, k in g.edges(keys=True):
        if k in ("assertedBy", "author") and v in sides:
            weight[v] += 1
    groups = []
    for side, heading in GROUPS:
        agents = sorted(
            (a for a, s in sides.items() if s.side == side),
            key=lambda a: (-weight[a], str(g.nodes[a].get("label", a)).casefold(), a),
        )
        documents = sorted(
            (
                n
                for n, d in g.nodes(data=True)
                if d.get("kind") == "source" and document_side(d) == side
            ),
            key=lambda n: (date_order(g.nodes[n].get("date")), n),
        )
        groups.append(
            {"side": side or "none", "heading": heading, "agents": agents, "documents": documents}
        )
    # What each claim is about, and so each document and author: a click lights its parts.
    about: dict[str, set[str]] = {}
    for u, v, k in g.edges(keys=True):
        if k == "concerns" and g.nodes[u].get("kind") == "claim":
            about.setdefault(u, set()).add(v)
    parts: dict[str, set[str]] = {}
    for c, ps in about.items():
        parts.setdefault(c, set()).update(ps)
        if c in docs:
            parts.setdefault(docs[c], set()).update(ps)
    for u, v, k in g.edges(keys=True):
        if k == "author" and u in parts and v in sides:
            parts.setdefault(v, set()).update(parts[u])
        elif k == "assertedBy" and u in about and v in sides:
            parts.setdefault(v, set()).update(about[u])
    return {
        "groups": groups,
        "reasons": {a: s.reason for a, s in sides.items()},
        "spine": spine(g),
        "timeline": timeline(g),
        "parts": {n: sorted(ps) for n, ps in sorted(parts.items())},
    }
