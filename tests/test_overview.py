"""The overview's data (graph/overview.py): sides, the bill's spine and the timeline, checked
against the canned questions and the corpus; what the page draws of it is in test_browser.py."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from graph import to_networkx
from graph.argumentation import framework_from_graph, framework_from_view
from graph.overview import agent_sides, date_order, overview, part_weights, timeline
from graph.query import query


@pytest.fixture(scope="module")
def sb1047_view(sb1047_graph) -> nx.MultiDiGraph:
    return to_networkx(sb1047_graph)


def test_dates_known_to_the_month_or_year_sort_after_the_days_they_hold():
    dates = ["2024", "2024-09", "2024-08-07", "2024-09-29", "2023", "2025-01-02", None]
    assert sorted(dates, key=date_order) == [
        "2023",
        "2024-08-07",
        "2024-09-29",
        "2024-09",
        "2024",
        "2025-01-02",
        None,
    ]


def test_every_agent_has_a_side_and_a_reason(sb1047_view):
    sides = agent_sides(sb1047_view)
    agents = [n for n, d in sb1047_view.nodes(data=True) if d["kind"] in ("organization", "person")]
    assert sorted(sides) == sorted(agents)
    assert all(s.reason for s in sides.values())
    (anthropic,) = [a for a in agents if sb1047_view.nodes[a]["label"] == "Anthropic"]
    assert sides[anthropic].side == "for"
    assert "earlier: support if amended" in sides[anthropic].reason


def test_the_spines_counts_are_the_canned_questions_answers(sb1047_build, sb1047_view):
    weights = part_weights(sb1047_view)
    contested = query(sb1047_build.graph, "contested-sections").records()
    for row in contested:
        section = str(row["section"])
        assert weights[section]["attacks"] == int(row["attackingClaims"]), row["citation"]
    attacked = {str(r["section"]) for r in contested}
    for part, n in weights.items():
        if part not in attacked and sb1047_view.nodes[part]["kind"] == "section":
            assert n["attacks"] == 0, part
    claims = Counter()
    for row in query(sb1047_build.graph, "claims-about-section").records():
        if row["section"] == row["concerns"]:
            claims[str(row["section"])] += 1
    for part, n in weights.items():
        if sb1047_view.nodes[part]["kind"] == "section":
            assert n["claims"] == claims[sb1047_view.nodes[part]["citation"]], part


def test_the_timeline_places_statements_and_the_bills_history(sb1047_view):
    tl = timeline(sb1047_view)
    by_id = {i["id"]: i for i in tl["items"]}
    for n, d in sb1047_view.nodes(data=True):
        if d["kind"] in ("source", "event", "version") and d.get("date"):
            item = by_id[n]
            known = date_order(d["date"])
            if known[1] == 13:
                assert item["at"] is None and item["year"] == known[0]
            else:
                assert 0 <= item["at"] <= 1
    dated = sorted((i for i in tl["items"] if i["at"] is not None), key=lambda i: i["at"])
    orders = [date_order(sb1047_view.nodes[i["id"]]["date"])[:2] for i in dated]
    assert orders == sorted(orders), "earlier months stand further left"


def test_the_map_evaluates_what_the_rdf_evaluates(sb1047_graph, sb1047_view):
    from_rdf = framework_from_graph(sb1047_graph)
    from_view = framework_from_view(sb1047_view)
    assert from_view.labelling() == from_rdf.labelling()
    out = [c for c, lab in from_rdf.labelling().items() if lab == "out"]
    assert out and all(from_view.defeaters(c) == from_rdf.defeaters(c) for c in out)


def test_the_overview_of_an_empty_graph_is_empty():
    data = overview(nx.MultiDiGraph())
    assert data["spine"] == [] and data["timeline"]["items"] == []
    assert all(not g["agents"] and not g["documents"] for g in data["groups"])
