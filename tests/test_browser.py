"""The HTML map in a real browser: Debian's headless Chromium, with the network refused.

Every test opens a map the way a user does (a file on disk), clicks, types and reads what
the page shows. The SB 1047 map is saved to test-artifacts/sb1047-map.png for a person to
look at.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import networkx as nx
import pytest

from graph import build, to_networkx
from graph.network import argument_relations
from graph.visualize import render_html

from .browser import CHROMIUM, Browser, OpenedPage
from .conftest import FIXTURES, ROOT

ARTIFACTS = ROOT / "test-artifacts"
MINIMAL = FIXTURES / "corpora" / "minimal"
HOSTILE = FIXTURES / "visualize" / "hostile-markup"
RELATION_KINDS = {"support", "rebuttal", "undercut", "undermining"}

if not CHROMIUM.exists() or importlib.util.find_spec("playwright") is None:
    reason = "needs /usr/bin/chromium and playwright: run scripts/setup-tests.sh"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="module")
def sb1047_view(sb1047_graph) -> nx.MultiDiGraph:
    return to_networkx(sb1047_graph)


@pytest.fixture
def sb1047_map(browser, sb1047_build) -> OpenedPage:
    """The SB 1047 map exactly as ``build`` writes it, open in Chromium at its argument map."""
    opened = browser.open(sb1047_build.files["html"])
    opened.show("map")
    yield opened
    opened.page.close()


def open_corpus(
    browser: Browser, corpus: Path, tmp_path: Path
) -> tuple[OpenedPage, nx.MultiDiGraph]:
    view = to_networkx(build(corpus, None).graph)
    path = tmp_path / f"{corpus.name}.html"
    path.write_text(render_html(view, title=corpus.name), encoding="utf-8")
    opened = browser.open(path)
    opened.show("map")
    return opened, view


def drawn_count(view: nx.MultiDiGraph) -> int:
    """Nodes a map of ``view`` draws: all but the relations, which are drawn as arrows."""
    return sum(1 for _, d in view.nodes(data=True) if d["kind"] not in RELATION_KINDS)


def words(text: str) -> str:
    return " ".join(text.split())


def on_screen(opened: OpenedPage, candidates: list[str]) -> str:
    """The first of ``candidates`` drawn inside the visible part of the map (clickable)."""
    box = opened.page.evaluate(
        "(() => { const b = document.getElementById('map').getBoundingClientRect();"
        " return [b.left, b.top, b.right, b.bottom]; })()"
    )
    for node in candidates:
        x, y = opened.node_point(node)
        if box[0] + 20 < x < box[2] - 20 and box[1] + 20 < y < box[3] - 20:
            return node
    raise AssertionError("none of the candidates is drawn on screen")


def test_sb1047_map_draws_every_node_offline(sb1047_map, sb1047_view):
    expected = drawn_count(sb1047_view)
    assert sb1047_map.drawn_nodes() == expected
    assert sb1047_map.page.inner_text("#count") == f"Showing {expected} of {expected} nodes"
    assert sb1047_map.outside == []
    assert all(url.startswith("file://") for url in sb1047_map.requests)
    assert sb1047_map.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    sb1047_map.page.screenshot(path=str(ARTIFACTS / "sb1047-map.png"))


def test_clicking_a_claim_shows_its_quote_and_source(sb1047_map, sb1047_view):
    quoted = sorted(
        n for n, d in sb1047_view.nodes(data=True) if d["kind"] == "claim" and d.get("quote")
    )
    # A reader pans to a quoted claim (the first view shows the earliest documents), then clicks.
    claim = quoted[0]
    sb1047_map.page.evaluate(
        "(id) => window.debateMap.network.focus(id, {scale: 1, animation: false})", claim
    )
    assert on_screen(sb1047_map, [claim]) == claim
    sb1047_map.click_node(claim)
    data = sb1047_view.nodes[claim]
    doc = sb1047_view.nodes[data["source"]]
    panel = words(sb1047_map.panel_text())
    assert words(data["label"]) in panel
    assert f"“{words(data['quote'])}”" in panel
    assert f"{words(doc['label'])}, {data['date']}" in panel
    link = sb1047_map.page.get_attribute('#panel [data-field="source"] a', "href")
    assert link == doc["url"]
    assert sb1047_map.page.evaluate("window.debateMap.network.getSelectedNodes()") == [claim]
    ARTIFACTS.mkdir(exist_ok=True)
    sb1047_map.page.screenshot(path=str(ARTIFACTS / "sb1047-map-claim.png"))


def test_supporters_are_links_that_move_the_focus(sb1047_map, sb1047_view, sb1047_graph):
    support = next(r for r in argument_relations(sb1047_graph) if r.kind == "supports")
    sb1047_map.page.evaluate("(id) => window.debateMap.select(id, false)", support.conclusion)
    premise = support.premises[0]
    sb1047_map.page.click(f'#panel [data-field="supported-by"] button[data-node="{premise}"]')
    assert sb1047_map.page.inner_text("#panel h2") == sb1047_view.nodes[premise]["label"]
    assert sb1047_map.page.evaluate("window.debateMap.network.getSelectedNodes()") == [premise]
    # and the claim it supports is now a link back, under "It supports"
    assert sb1047_map.page.is_visible(
        f'#panel [data-field="supports"] button[data-node="{support.conclusion}"]'
    )


def test_selecting_a_node_fades_all_but_its_neighbourhood(sb1047_map, sb1047_view, sb1047_graph):
    support = next(r for r in argument_relations(sb1047_graph) if r.kind == "supports")
    sb1047_map.page.evaluate("(id) => window.debateMap.select(id, false)", support.conclusion)
    faded = sb1047_map.page.evaluate(
        """() => window.debateMap.nodes.get().filter(n => n.color.background === "#f3f3f3")
                  .map(n => n.id)"""
    )
    assert support.conclusion not in faded and support.premises[0] not in faded
    assert len(faded) > 0


def test_kind_filter_hides_every_topic(sb1047_map, sb1047_view):
    topics = [n for n, d in sb1047_view.nodes(data=True) if d["kind"] == "topic"]
    sb1047_map.page.uncheck('input[data-filter="kind"][value="topic"]')
    assert sb1047_map.drawn_nodes() == drawn_count(sb1047_view) - len(topics)
    assert not any(sb1047_map.drawn(t) for t in topics)


def test_organization_filter_keeps_only_its_claims(sb1047_map, sb1047_view):
    doc = max(
        (n for n, d in sb1047_view.nodes(data=True) if d["kind"] == "source"),
        key=lambda n: sb1047_view.in_degree(n),
    )
    (org, *_) = sorted(v for _, v, k in sb1047_view.out_edges(doc, keys=True) if k == "author")
    claims = [n for n, d in sb1047_view.nodes(data=True) if d["kind"] == "claim"]
    theirs = {
        c
        for c in claims
        if sb1047_view.has_edge(c, org, "assertedBy")
        or sb1047_view.has_edge(sb1047_view.nodes[c].get("source"), org, "author")
    }
    sb1047_map.page.select_option("#filter-org", org)
    assert {c for c in claims if sb1047_map.drawn(c)} == theirs
    assert sb1047_map.drawn(org)


def test_section_filter_keeps_claims_about_it_and_its_parts(sb1047_map, sb1047_view):
    concerns = [(u, v) for u, v, k in sorted(sb1047_view.edges(keys=True)) if k == "concerns"]
    section = next(v for _, v in concerns if sb1047_view.nodes[v]["kind"] == "section")
    part_of = nx.DiGraph([(u, v) for u, v, k in sb1047_view.edges(keys=True) if k == "partOf"])
    parts = nx.ancestors(part_of, section) if section in part_of else set()
    about = {u for u, v in concerns if v in parts | {section}}
    sb1047_map.page.select_option("#filter-section", section)
    claims = [n for n, d in sb1047_view.nodes(data=True) if d["kind"] == "claim"]
    assert {c for c in claims if sb1047_map.drawn(c)} == about
    assert sb1047_map.drawn(section)


def test_search_finds_a_claim(sb1047_map, sb1047_view):
    claim = sorted(n for n, d in sb1047_view.nodes(data=True) if d["kind"] == "claim")[0]
    label = sb1047_view.nodes[claim]["label"]
    query = " ".join(label.split()[1:4])  # a few words from the middle, typed as a user would
    sb1047_map.page.fill("#search", query)
    assert label in sb1047_map.page.inner_text("#search-results")
    sb1047_map.page.click(f'#search-results button[data-node="{claim}"]')
    assert sb1047_map.page.inner_text("#panel h2") == label
    assert sb1047_map.page.is_hidden("#search-results")


def test_search_says_when_nothing_matches(sb1047_map):
    sb1047_map.page.fill("#search", "zzzz no such words zzzz")
    assert sb1047_map.page.inner_text("#search-results") == "Nothing matches."


def test_reset_brings_everything_back(sb1047_map, sb1047_view):
    sb1047_map.page.uncheck('input[data-filter="kind"][value="claim"]')
    sb1047_map.page.select_option("#filter-topic", index=1)
    assert sb1047_map.drawn_nodes() < drawn_count(sb1047_view)
    sb1047_map.page.click("#reset")
    assert sb1047_map.drawn_nodes() == drawn_count(sb1047_view)
    assert sb1047_map.page.is_hidden("#panel")
    assert sb1047_map.page.is_checked('input[data-filter="kind"][value="claim"]')
    assert sb1047_map.page.input_value("#filter-topic") == ""


def test_paraphrased_claim_shows_the_mark_and_where(browser, tmp_path):
    opened, view = open_corpus(browser, MINIMAL, tmp_path)
    claim = next(n for n, d in view.nodes(data=True) if d.get("paraphrase") is True)
    opened.click_node(on_screen(opened, [claim]))
    panel = opened.panel_text()
    assert "Paraphrase: not the document's own words" in panel
    assert f"Where in the document: {view.nodes[claim]['where']}" in panel
    assert "Quote" not in panel.split("\n")
    assert opened.errors == [] and opened.outside == []


def test_clicking_an_arrow_names_the_relation(browser, tmp_path):
    opened, view = open_corpus(browser, MINIMAL, tmp_path)
    rebuttal = next(n for n, d in view.nodes(data=True) if d["kind"] == "rebuttal")
    (premise,) = [v for _, v, k in view.out_edges(rebuttal, keys=True) if k == "premise"]
    (target,) = [v for _, v, k in view.out_edges(rebuttal, keys=True) if k == "conclusion"]
    (x1, y1), (x2, y2) = opened.node_point(premise), opened.node_point(target)
    opened.page.mouse.click((x1 + x2) / 2, (y1 + y2) / 2)
    heading = words(opened.page.inner_text("#panel h2"))
    premise_label, target_label = view.nodes[premise]["label"], view.nodes[target]["label"]
    assert heading == f"{premise_label} rebuts (attacks the conclusion) {target_label}"
    assert view.nodes[rebuttal]["label"] in opened.panel_text()


def test_hostile_corpus_runs_no_script_and_shows_the_markup_as_text(browser, tmp_path):
    opened, view = open_corpus(browser, HOSTILE, tmp_path)
    page = opened.page
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img, iframe').length") == 0
    claim = next(
        n for n, d in view.nodes(data=True) if d["kind"] == "claim" and "<img" in d["label"]
    )
    opened.click_node(on_screen(opened, [claim]))
    panel = words(opened.panel_text())
    assert words(view.nodes[claim]["label"]) in panel
    assert words(view.nodes[claim]["quote"]) in panel
    org = next(
        d["label"]
        for _, d in view.nodes(data=True)
        if d["kind"] == "organization" and "onerror" in d["label"]
    )
    assert org in panel  # the author's name, markup and all, as a link's text
    page.fill("#search", "<script>")
    assert "<script>window.__pwned = 'statement'</script>" in page.inner_text("#search-results")
    page.select_option("#filter-topic", index=1)
    assert "<script>" in page.inner_text("#filter-topic")
    assert page.evaluate("window.__pwned") is None
    assert opened.errors == [] and opened.outside == []
    assert all(url.startswith("file://") for url in opened.requests)
    opened.page.close()
