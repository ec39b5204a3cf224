"""The HTML map in a real browser: Debian's headless Chromium, with the network refused.

Every test opens a map the way a user does (a file on disk), clicks, types and reads what
the page shows. The SB 1047 map is saved to test-artifacts/sb1047-map.png for a person to
look at.
"""

from __future__ import annotations

import importlib.util
import os
from collections import Counter
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


# What the issue "The map for a journalist" found confusing, each as a reader would check it.


def boxes(opened: OpenedPage, ids: list[str]) -> dict[str, tuple[float, float, float, float]]:
    """Each node's box on the canvas, its label included, as drawn when a reader looks at it
    (at full size: vis-network measures a label only when it draws it): (left, top, right,
    bottom), in canvas pixels."""
    found = opened.page.evaluate(
        """async (ids) => {
            const net = window.debateMap.network;
            const frame = () => new Promise(done => requestAnimationFrame(() => done()));
            const out = [];
            for (const id of ids) {
                net.focus(id, { scale: 1, animation: false });
                await frame(); await frame();
                out.push(net.getBoundingBox(id));
            }
            return out;
        }""",
        ids,
    )
    return {
        n: (b["left"], b["top"], b["right"], b["bottom"]) for n, b in zip(ids, found, strict=True)
    }


def overlapping(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def kinds_of(view: nx.MultiDiGraph, *kinds: str) -> list[str]:
    return sorted(n for n, d in view.nodes(data=True) if d["kind"] in kinds)


def test_versions_and_sections_people_and_organizations_look_different(sb1047_map, sb1047_view):
    drawn = sb1047_map.page.evaluate(
        "() => Object.fromEntries(window.debateMap.nodes.get()"
        ".map(n => [n.id, [n.shape, n.image || null]]))"
    )

    def looks(kind: str) -> set:
        return {tuple(drawn[n]) for n in kinds_of(sb1047_view, kind)}

    for one, other in (("version", "section"), ("person", "organization")):
        assert len(looks(one)) == 1 and len(looks(other)) == 1, (one, other)
        assert looks(one) != looks(other), f"{one} and {other} are drawn alike"
    # and the legend shows them apart too
    swatches = sb1047_map.page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('input[data-filter="kind"]')]
                 .map(box => [box.value, box.parentElement.querySelector('svg').outerHTML]))"""
    )
    assert swatches["version"] != swatches["section"]
    assert swatches["person"] != swatches["organization"]


def test_topics_stand_together_under_their_caption(sb1047_map, sb1047_view):
    topics = kinds_of(sb1047_view, "topic")
    at = sb1047_map.page.evaluate("(ids) => window.debateMap.network.getPositions(ids)", topics)
    caption = next(
        c
        for c in sb1047_map.page.evaluate("window.debateMap.drawnText()")
        if c["text"].startswith("Topics")
    )
    assert len({p["x"] for p in at.values()}) == 1, "the topics stand in one column"
    ys = sorted(p["y"] for p in at.values())
    assert ys[0] > caption["y"] and all(b - a < 60 for a, b in zip(ys, ys[1:], strict=False)), ys
    labels = sb1047_map.page.evaluate(
        "(ids) => ids.map(id => window.debateMap.nodes.get(id).label)", topics
    )
    for topic, label in zip(topics, labels, strict=True):
        n = sum(1 for u, _, k in sb1047_view.in_edges(topic, keys=True) if k == "topic")
        assert label.endswith(f"· {n} claim{'s' if n != 1 else ''}"), label


def test_labels_do_not_overlap_in_the_bill_column_or_beside_a_document(sb1047_map, sb1047_view):
    page = sb1047_map.page.evaluate(
        "() => window.debateMap.nodes.get().map(n => [n.id, n.kind, n.x])"
    )
    bill_side = {"bill", "version", "section", "event"}
    discussed = next(v for _, v, k in sorted(sb1047_view.edges(keys=True)) if k == "concerns")
    x_bill = next(x for n, _, x in page if n == discussed)  # the column beside the claims
    column = [n for n, kind, x in page if kind in bill_side and x == x_bill]
    assert len(column) > 20
    box = boxes(sb1047_map, column)
    for i, a in enumerate(column):
        for b in column[i + 1 :]:
            assert not overlapping(box[a], box[b]), (a, b)
    for doc in kinds_of(sb1047_view, "source"):
        authors = [v for _, v, k in sb1047_view.out_edges(doc, keys=True) if k == "author"]
        box = boxes(sb1047_map, [doc, *authors])
        for a in authors:
            assert not overlapping(box[doc], box[a]), (doc, a)


def test_lanes_show_their_dates_and_year_only_dates_come_after_dated_ones(sb1047_map, sb1047_view):
    from graph.overview import date_order, date_words

    dates = [
        (t["doc"], t["text"])
        for t in sb1047_map.page.evaluate("window.debateMap.drawnText()")
        if t["doc"]
    ]
    docs = kinds_of(sb1047_view, "source")
    assert sorted(d for d, _ in dates) == docs, "every lane is dated"
    for doc, text in dates:
        assert text == date_words(sb1047_view.nodes[doc].get("date"))
    order = [date_order(sb1047_view.nodes[d].get("date")) for d, _ in dates]
    assert order == sorted(order)
    first_year_only = next(i for i, (d, _) in enumerate(dates) if order[i][1] == 13)
    assert order[first_year_only][0] == 2024
    assert all(o[0] > 2024 or o[1] == 13 for o in order[first_year_only:])
    assert any(text == "2024 (date not known)" for _, text in dates)


def test_claims_are_drawn_and_detailed_whole(sb1047_map, sb1047_view):
    claims = kinds_of(sb1047_view, "claim")
    drawn = sb1047_map.page.evaluate(
        "(ids) => ids.map(id => window.debateMap.nodes.get(id).label)", claims
    )
    assert drawn == [sb1047_view.nodes[c]["label"] for c in claims]
    longest = max(claims, key=lambda c: len(sb1047_view.nodes[c]["label"]))
    assert len(sb1047_view.nodes[longest]["label"]) > 150
    sb1047_map.page.evaluate(
        "(id) => window.debateMap.network.focus(id, {scale: 1, animation: false})", longest
    )
    sb1047_map.click_node(longest)
    assert sb1047_map.page.inner_text("#panel h2") == sb1047_view.nodes[longest]["label"]
    assert "…" not in sb1047_map.panel_text()


def test_an_undercut_points_at_the_inference_it_attacks(sb1047_map, sb1047_graph, sb1047_view):
    undercuts = {r.iri: r for r in argument_relations(sb1047_graph) if r.kind == "undercuts"}
    drawn = sb1047_map.page.evaluate("window.debateMap.undercuts()")
    assert len(drawn) == len(undercuts)
    relation_of = sb1047_map.page.evaluate(
        "() => Object.fromEntries(window.debateMap.edges.get().map(e => [e.id, e.relation]))"
    )
    for g in drawn:
        undercut = undercuts[relation_of[g["id"]]]
        attacked = relation_of[g["inference"]]
        assert attacked == undercut.conclusion, "it ends at the relation it attacks"
        ends = sb1047_map.page.evaluate(
            "(ids) => window.debateMap.network.getPositions(ids)",
            [g["inferenceFrom"], g["inferenceTo"], g["conclusion"]],
        )
        a, b, c = ends[g["inferenceFrom"]], ends[g["inferenceTo"]], ends[g["conclusion"]]
        assert abs(g["to"]["x"] - (a["x"] + b["x"]) / 2) < 0.5
        assert abs(g["to"]["y"] - (a["y"] + b["y"]) / 2) < 0.5
        assert abs(g["to"]["x"] - c["x"]) + abs(g["to"]["y"] - c["y"]) > 60, "not on the claim"
        assert g["premise"] in undercut.premises
    # A reader clicks on the dashed arrow, a little before its head, and reads what it attacks.
    g = drawn[0]
    length = ((g["to"]["x"] - g["from"]["x"]) ** 2 + (g["to"]["y"] - g["from"]["y"]) ** 2) ** 0.5
    along = 1 - 40 / length  # 40 pixels before the ring that marks the inference
    point = {
        "x": g["from"]["x"] + along * (g["to"]["x"] - g["from"]["x"]),
        "y": g["from"]["y"] + along * (g["to"]["y"] - g["from"]["y"]),
    }
    sb1047_map.page.evaluate(
        "(p) => window.debateMap.network.moveTo({position: p, scale: 1, animation: false})", point
    )
    x, y = sb1047_map.page.evaluate(
        """(p) => { const net = window.debateMap.network; const d = net.canvasToDOM(p);
                    const box = document.getElementById("map").getBoundingClientRect();
                    return [box.left + d.x, box.top + d.y]; }""",
        point,
    )
    sb1047_map.page.mouse.click(x, y)
    panel = words(sb1047_map.panel_text())
    assert "the inference it attacks" in panel.casefold()  # a heading, in capitals
    assert words(sb1047_view.nodes[g["inferenceTo"]]["label"]) in panel
    assert "undercuts (attacks the inference)" in panel
    ARTIFACTS.mkdir(exist_ok=True)
    sb1047_map.page.screenshot(path=str(ARTIFACTS / "sb1047-map-undercut.png"))


def test_a_focused_map_counts_in_its_legend_what_it_draws(browser, sb1047_view, tmp_path):
    from graph.visualize import render_map

    # A claim answered from other documents: one link away, their claims are drawn without
    # their documents.
    rebuttal = next(
        n
        for n, d in sorted(sb1047_view.nodes(data=True))
        if d["kind"] == "rebuttal"
        and len(
            {
                sb1047_view.nodes[v].get("source")
                for _, v, k in sb1047_view.out_edges(n, keys=True)
                if k in ("premise", "conclusion")
            }
        )
        == 2
    )
    (target,) = [v for _, v, k in sb1047_view.out_edges(rebuttal, keys=True) if k == "conclusion"]
    page = render_map(sb1047_view, focus_on=target, depth=1)
    path = tmp_path / "focused.html"
    path.write_text(page.html, encoding="utf-8")
    opened = browser.open(path)
    opened.show("map")
    legend = opened.page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('input[data-filter="stance"]')]
                 .map(box => [box.value, +box.parentElement.querySelector('.n').textContent]))"""
    )
    drawn = opened.page.evaluate(
        """() => window.debateMap.nodes.get().filter(n => n.kind === "claim" || n.kind === "source")
                 .map(n => [n.id, n.color.border])"""
    )
    from graph.kinds import STANCE_COLORS

    by_colour = Counter(border for _, border in drawn)
    for stance, count in legend.items():
        assert count == by_colour[STANCE_COLORS[stance]], stance
    assert sum(legend.values()) == sum(by_colour[c] for c in STANCE_COLORS.values())
    # a claim whose document was left out is drawn in its document's colour, and counted so
    docs = {n for n, _ in drawn if sb1047_view.nodes[n]["kind"] == "source"}
    orphan = next(
        n
        for n, _ in drawn
        if sb1047_view.nodes[n]["kind"] == "claim" and sb1047_view.nodes[n]["source"] not in docs
    )
    stance = sb1047_view.nodes[orphan]["source_stance"]
    assert dict(drawn)[orphan] == STANCE_COLORS[stance]
    opened.page.close()


def test_search_counts_its_matches_and_steps_through_them(sb1047_map, sb1047_view):
    data = sb1047_map.page.evaluate("window.debateMap.info")
    query = "open source"
    matches = [n for n, i in data.items() if all(w in i["search"] for w in query.split())]
    assert len(matches) > 3
    sb1047_map.page.fill("#search", query)
    assert sb1047_map.page.inner_text("#search-count") == f"{len(matches)} matches"
    sb1047_map.page.press("#search", "Enter")
    assert sb1047_map.page.inner_text("#search-count") == f"1 of {len(matches)}"
    first = sb1047_map.page.evaluate("window.debateMap.network.getSelectedNodes()")[0]
    sb1047_map.page.press("#search", "Enter")
    assert sb1047_map.page.inner_text("#search-count") == f"2 of {len(matches)}"
    second = sb1047_map.page.evaluate("window.debateMap.network.getSelectedNodes()")[0]
    assert first != second and {first, second} <= set(matches)
    assert sb1047_map.page.inner_text("#panel h2") == data[second]["label"]
    sb1047_map.page.click("#search-prev")
    assert sb1047_map.page.inner_text("#search-count") == f"1 of {len(matches)}"
    assert sb1047_map.page.evaluate("window.debateMap.network.getSelectedNodes()") == [first]


def test_tooltips_do_not_cover_the_details_panel(sb1047_map, sb1047_view):
    claims = kinds_of(sb1047_view, "claim")
    sb1047_map.page.evaluate("(id) => window.debateMap.select(id, false)", claims[0])
    panel = sb1047_map.page.evaluate(
        "(() => { const b = document.getElementById('panel').getBoundingClientRect();"
        " return [b.left, b.top, b.right, b.bottom]; })()"
    )
    # Bring another claim just left of the panel, where its tooltip would reach over it.
    other = claims[1]
    sb1047_map.page.evaluate(
        """([id, left]) => { const net = window.debateMap.network;
            const box = document.getElementById("map").getBoundingClientRect();
            const at = net.getPositions([id])[id];
            const scale = net.getScale();
            net.moveTo({ position: { x: at.x - (left - 90 - box.left - box.width / 2) / scale,
                                     y: at.y }, animation: false }); }""",
        [other, panel[0]],
    )
    x, y = sb1047_map.node_point(other)
    assert x < panel[0]
    sb1047_map.page.mouse.move(x, y)
    sb1047_map.page.mouse.move(x + 2, y + 1)
    tip = sb1047_map.page.wait_for_selector(".vis-tooltip", state="visible", timeout=5000)
    sb1047_map.page.wait_for_timeout(100)
    box = tip.bounding_box()
    assert box["width"] > 50
    assert not overlapping(
        (box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]), tuple(panel)
    ), (box, panel)


# The overview: the first screen answers "who is for, who is against, about what".

SHOTS = Path("/tmp/map-shots")


def save_shot(opened: OpenedPage, name: str) -> Path:
    """A screenshot as a test artifact (test-artifacts/), copied where a person looks at it."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    opened.page.screenshot(path=str(path))
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / name).write_bytes(path.read_bytes())
    return path


@pytest.fixture
def sb1047_overview(browser, sb1047_build) -> OpenedPage:
    """The SB 1047 map as ``build`` writes it, at its first screen."""
    opened = browser.open(sb1047_build.files["html"])
    yield opened
    opened.page.close()


def own_side(view: nx.MultiDiGraph, agent: str) -> str | None:
    """The side of an agent's latest statement: a document it wrote, or one it made a claim in."""
    from graph.kinds import STANCE_SIDE
    from graph.overview import date_order

    docs = {u for u, _, k in view.in_edges(agent, keys=True) if k == "author"}
    docs |= {
        view.nodes[u]["source"] for u, _, k in view.in_edges(agent, keys=True) if k == "assertedBy"
    }
    stated = [d for d in docs if view.nodes[d].get("stance")]
    if not stated:
        return None
    latest = max(stated, key=lambda d: (date_order(view.nodes[d].get("date")), d))
    return STANCE_SIDE[view.nodes[latest]["stance"]]


def coalition_side(view: nx.MultiDiGraph, agent: str) -> str | None:
    """A coalition's side: its own, or its members' own sides (mixed if they differ)."""
    side = own_side(view, agent)
    if side:
        return side
    members = [u for u, _, k in view.in_edges(agent, keys=True) if k == "memberOf"]
    sides = {own_side(view, m) for m in members} - {None}
    return (sides.pop() if len(sides) == 1 else "mixed") if sides else None


def expected_side(view: nx.MultiDiGraph, agent: str) -> str:
    """An organization's or person's side, read from the corpus as a reporter would: the side
    of its latest statement (written, or a claim it made in another's); for a coalition with
    none, its members'; for a member with none, its coalition's; else for, if it wrote the
    bill; else none."""
    side = coalition_side(view, agent)
    if side:
        return side
    coalitions = [v for _, v, k in view.out_edges(agent, keys=True) if k == "memberOf"]
    sides = {coalition_side(view, c) for c in coalitions} - {None}
    if len(sides) == 1:
        return sides.pop()
    if any(k in ("billAuthor", "billCoauthor") for _, _, k in view.in_edges(agent, keys=True)):
        return "for"
    return "none"


def test_the_first_screen_puts_everyone_in_the_group_of_their_side(sb1047_overview, sb1047_view):
    from graph.kinds import STANCE_SIDE

    page = sb1047_overview.page
    assert page.get_attribute("body", "data-view") == "overview"
    assert page.is_visible("#overview")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('#overview [data-group] button[data-node]')]
                 .map(b => [b.closest('[data-group]').getAttribute('data-group'),
                            b.getAttribute('data-node')])"""
    )
    where: dict[str, set[str]] = {}
    for side, node in shown:
        where.setdefault(node, set()).add(side)
    agents = kinds_of(sb1047_view, "organization", "person")
    assert len(agents) == 84
    for agent in agents:
        assert where.get(agent) == {expected_side(sb1047_view, agent)}, sb1047_view.nodes[agent]
    for doc in kinds_of(sb1047_view, "source"):
        side = STANCE_SIDE.get(sb1047_view.nodes[doc].get("stance") or "", "none")
        assert where.get(doc) == {side}, sb1047_view.nodes[doc]
    for name, side in (("OpenAI", "against"), ("Anthropic", "for"), ("Gavin Newsom", "against")):
        (agent,) = [a for a in agents if sb1047_view.nodes[a]["label"] == name]
        assert where[agent] == {side}, name
    assert sb1047_overview.errors == [] and sb1047_overview.outside == []


def test_every_part_that_draws_a_claim_is_on_the_spine_in_the_bills_order(
    sb1047_overview, sb1047_view
):
    from graph.overview import bill_order

    about = {
        v
        for u, v, k in sb1047_view.edges(keys=True)
        if k == "concerns" and sb1047_view.nodes[v]["kind"] == "section"
    }
    assert len(about) == 30
    spine = sb1047_overview.page.evaluate(
        """() => [...document.querySelectorAll('#overview .spine button[data-node]')]
                 .map(b => b.getAttribute('data-node'))"""
    )
    assert about <= set(spine)
    sections = [n for n in spine if n in about or sb1047_view.nodes[n]["kind"] == "section"]
    order = bill_order(sb1047_view, set(sections))
    assert [n for n in dict.fromkeys(sections)] == order, "the parts run in the bill's order"
    # the weight of the argument on each part is written beside it
    weights = sb1047_overview.page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#overview .spine button.part')]
                 .map(b => [b.getAttribute('data-node'), b.querySelector('.n').textContent]))"""
    )
    for part, n in weights.items():
        claims = {u for u, v, k in sb1047_view.in_edges(part, keys=True) if k == "concerns"}
        assert int(n) == len(claims), part


def test_the_overview_fits_the_window_and_shows_when_it_happened(sb1047_overview, sb1047_view):
    page = sb1047_overview.page
    fit = page.evaluate(
        """() => { const r = document.getElementById('overview');
                   return [r.scrollHeight, r.clientHeight, r.scrollWidth, r.clientWidth]; }"""
    )
    assert fit[0] <= fit[1] and fit[2] <= fit[3], fit
    viewport = page.viewport_size
    inside = page.evaluate(
        """([w, h]) => [...document.querySelectorAll('#overview button[data-node]')].every(b => {
                 const r = b.getBoundingClientRect();
                 return r.top >= 0 && r.left >= 0 && r.bottom <= h && r.right <= w; })""",
        [viewport["width"], viewport["height"]],
    )
    assert inside, "everything on the first screen is within the window"
    assert float(page.get_attribute("#overview", "data-zoom")) >= 0.6, "and big enough to read"
    marked = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.ov-timeline g[data-node]')]
                 .map(g => [g.getAttribute('data-node'), g.getAttribute('class')]))"""
    )
    for n, d in sb1047_view.nodes(data=True):
        if d["kind"] in ("source", "version", "event") and d.get("date"):
            assert n in marked, d["label"]
    assert all("version" in marked[n] for n in kinds_of(sb1047_view, "version"))
    votes = [n for n in kinds_of(sb1047_view, "event") if "ayes" in sb1047_view.nodes[n]]
    assert votes and all("vote" in marked[n] for n in votes)
    save_shot(sb1047_overview, "sb1047-overview.png")


def test_clicking_an_organization_lights_up_what_it_argues_about(sb1047_overview, sb1047_view):
    (alliance,) = [
        n
        for n in kinds_of(sb1047_view, "organization")
        if sb1047_view.nodes[n]["label"] == "The AI Alliance"
    ]
    page = sb1047_overview.page
    page.click(f'#overview button.who[data-node="{alliance}"]')
    assert "Where it stands".casefold() in sb1047_overview.panel_text().casefold()
    assert "Against the bill" in sb1047_overview.panel_text()
    lit = page.evaluate(
        """() => [...document.querySelectorAll('#overview .spine button.part.lit')]
                 .map(b => b.getAttribute('data-node'))"""
    )
    docs = {u for u, _, k in sb1047_view.in_edges(alliance, keys=True) if k == "author"}
    claims = {u for u, v, k in sb1047_view.edges(keys=True) if k == "assertedIn" and v in docs}
    parts = {
        v
        for u, v, k in sb1047_view.edges(keys=True)
        if k == "concerns" and u in claims and sb1047_view.nodes[v]["kind"] == "section"
    }
    assert parts and set(lit) == parts
    page.click("#panel button.on-map")
    assert page.get_attribute("body", "data-view") == "map"
    assert page.evaluate("window.debateMap.network.getSelectedNodes()") == [alliance]


def test_the_details_panel_leaves_the_against_column_in_view(sb1047_overview, sb1047_view):
    (alliance,) = [
        n
        for n in kinds_of(sb1047_view, "organization")
        if sb1047_view.nodes[n]["label"] == "The AI Alliance"
    ]
    page = sb1047_overview.page
    page.click(f'#overview button.who[data-node="{alliance}"]')
    boxes = page.evaluate(
        """() => { const box = s => document.querySelector(s).getBoundingClientRect();
                   const p = box('#panel'), a = box('#overview [data-group="against"]');
                   return {panel: p.left, against: a.right, width: window.innerWidth}; }"""
    )
    assert boxes["against"] <= boxes["panel"], boxes
    # Every name still stands in the window, beside the panel.
    assert page.evaluate(
        """(left) => [...document.querySelectorAll('#overview button[data-node]')].every(b => {
             const r = b.getBoundingClientRect(); return r.right <= left + 1; })""",
        boxes["panel"],
    )
    save_shot(sb1047_overview, "sb1047-overview-details.png")
    page.click("#panel-close")
    page.wait_for_function("() => !document.body.classList.contains('panel-open')")
    wide = page.evaluate(
        "() => document.querySelector('#overview [data-group=\"against\"]')"
        ".getBoundingClientRect().right"
    )
    assert wide > boxes["against"], "the overview takes the whole width again"


# The evaluation on the map: which claims stand, which fall, and why.


def test_the_evaluation_colours_a_rejected_claim_out_and_names_its_defeater(
    sb1047_overview, sb1047_graph, sb1047_view
):
    from graph.argumentation import framework_from_graph

    evaluation = framework_from_graph(sb1047_graph)  # from the RDF, independently of the page
    labels = evaluation.labelling()
    out = sorted(c for c, lab in labels.items() if lab == "out")
    assert out, "the grounded extension rejects some claim of SB 1047"
    page = sb1047_overview.page
    page.check("#evaluate")
    assert page.get_attribute("body", "data-view") == "map"
    assert page.is_visible("#evaluation-legend")
    colours = page.evaluate(
        """() => Object.fromEntries(window.debateMap.nodes.get()
                 .filter(n => n.kind === "claim").map(n => [n.id, n.color.border]))"""
    )
    border = {"in": "#1565c0", "out": "#616161", "undec": "#f9a825"}
    assert {c: colours[c] for c in labels} == {c: border[lab] for c, lab in labels.items()}
    assert page.inner_text("#eval-out") == str(len(out))
    claim = out[0]
    (defeater, *_) = evaluation.defeaters(claim)
    page.evaluate("(id) => window.debateMap.network.focus(id, {scale: 1, animation: false})", claim)
    sb1047_overview.click_node(claim)
    section = page.inner_text('#panel [data-field="evaluation"]')
    assert "Falls (out)" in section
    assert words(sb1047_view.nodes[defeater]["label"]) in words(section)
    assert page.is_visible(f'#panel [data-field="evaluation"] button[data-node="{defeater}"]')
    save_shot(sb1047_overview, "sb1047-evaluation.png")
    # and off again: the stances' colours come back
    page.uncheck("#evaluate")
    assert (
        page.evaluate("(id) => window.debateMap.nodes.get(id).color.border", claim) != border["out"]
    )


# The bill reader: the bill's text part by part, with the debate in its margin.


def margin_counts(opened: OpenedPage) -> dict[str, dict[str, int]]:
    """Each part's counts as its margin shows them: {"for": 3, "against": 1, "counter": 2}."""
    shown = opened.page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#reader li.rd-part[data-node]')]
                 .map(li => [li.getAttribute('data-node'),
                             [...li.querySelectorAll('.counts .pill')].map(p => p.textContent)]))"""
    )
    out = {}
    for node, pills in shown.items():
        n: dict[str, int] = {}
        for text in pills:
            if text.startswith("⚔"):
                n["counter"] = int(text.split()[1])
            else:
                count, side = text.split(" ", 1)
                n[{"without a side": "other"}.get(side, side)] = int(count)
        out[node] = n
    return out


def test_the_reader_shows_every_part_with_the_canned_questions_counts_in_its_margin(
    sb1047_overview, sb1047_graph, sb1047_view
):
    from graph.kinds import STANCE_SIDE
    from graph.overview import bill_order
    from graph.query import query

    opened = sb1047_overview
    opened.show("reader")
    parts = opened.page.evaluate(
        """() => [...document.querySelectorAll('#reader li.rd-part[data-node]')]
                 .map(li => li.getAttribute('data-node'))"""
    )
    sections = kinds_of(sb1047_view, "section")
    assert len(sections) == 72
    assert [p for p in parts if p in sections] == bill_order(sb1047_view, sections)
    # for, against and mixed: the claims about a part and its parts (claims-about-section)
    expected: dict[str, Counter] = {}
    cited = {sb1047_view.nodes[s]["citation"]: s for s in sections}
    rows = query(sb1047_graph, "claims-about-section").records()
    # one row per section, claim and part it names: each claim counts once for its section
    for section, _claim, doc in sorted({(r["section"], r["claim"], r["document"]) for r in rows}):
        side = STANCE_SIDE.get(sb1047_view.nodes[doc].get("stance") or "", "other")
        expected.setdefault(cited[section], Counter())[side] += 1
    # and the counterclaims that answer claims about the part itself (contested-sections)
    for row in query(sb1047_graph, "contested-sections").records():
        expected[row["section"]]["counter"] = int(row["attackingClaims"])
    shown = margin_counts(opened)
    for s in sections:
        assert shown.get(s, {}) == dict(+expected.get(s, Counter())), sb1047_view.nodes[s]["label"]
    # a claim in the margin is a click from its details and its place on the map
    section = cited["22603"]
    claim = opened.page.get_attribute(
        f'#reader li[data-node="{section}"] button.rd-claim', "data-node"
    )
    opened.page.click(f'#reader li[data-node="{section}"] button.rd-claim[data-node="{claim}"]')
    assert opened.page.inner_text("#panel h2") == sb1047_view.nodes[claim]["label"]
    save_shot(opened, "sb1047-reader.png")
    opened.page.click("#panel button.on-map")
    assert opened.page.get_attribute("body", "data-view") == "map"
    assert opened.page.evaluate("window.debateMap.network.getSelectedNodes()") == [claim]


def choose_version(opened: OpenedPage, label: str) -> None:
    options = opened.page.evaluate(
        "() => [...document.querySelectorAll('#reader-version option')].map(o => o.textContent)"
    )
    (option,) = [o for o in options if o.startswith(label)]
    opened.page.select_option("#reader-version", label=option)


def reader_words(opened: OpenedPage, tag: str = "") -> str:
    """The words the reader shows of the version chosen: all, or only the struck (``del``)
    or the inserted (``ins``) ones."""
    selector = f"#reader .rd-words {tag}" if tag else "#reader .rd-words"
    return " ".join(
        opened.page.evaluate(
            "(s) => [...document.querySelectorAll(s)].map(e => e.textContent)", selector
        )
    )


def test_the_version_selector_shows_sb53s_audits_entering_in_july_and_leaving(
    browser, sb53_versions_build
):
    opened = browser.open(sb53_versions_build.files["html"])
    opened.show("reader")
    options = opened.page.evaluate(
        "() => [...document.querySelectorAll('#reader-version option')].map(o => o.textContent)"
    )
    assert len(options) == 10 and options[-1].startswith("Chaptered")
    assert opened.page.input_value("#reader-version") == "9", "the latest version first"
    audit = "independent third-party auditor"
    assert "auditor" not in reader_words(opened), "the law as chaptered has no auditors"
    choose_version(opened, "Amended in Assembly, July 8, 2025")
    assert "auditor" not in reader_words(opened)
    choose_version(opened, "Amended in Assembly, July 17, 2025")
    assert audit in reader_words(opened, "ins"), "the July 17 amendment inserts the audits"
    assert "From Amended in Assembly, July 8, 2025" in opened.page.inner_text("#reader .rd-bar")
    opened.page.locator("#reader ins", has_text="auditor").first.scroll_into_view_if_needed()
    save_shot(opened, "sb53-reader-july-17.png")
    choose_version(opened, "Amended in Assembly, September 2, 2025")
    assert "auditor" in reader_words(opened, "del"), "and September 2 strikes them"
    assert "auditor" not in reader_words(opened, "ins")
    opened.page.uncheck("#reader-changes")
    assert "auditor" not in reader_words(opened)
    # the letter's claim stands in the margin of the part it is about
    margin = opened.page.inner_text('#reader li[data-part="22757.11(b)"] .rd-margin')
    assert "The risk threshold is too low." in margin
    assert opened.errors == [] and opened.outside == []
    opened.page.close()


def test_markup_stays_text_in_the_overview_the_timeline_and_the_reader(browser, tmp_path):
    view = to_networkx(build(HOSTILE, None).graph)
    (bill,) = kinds_of(view, "bill")
    (section,) = [n for n in kinds_of(view, "section") if view.nodes[n]["citation"] == "SEC. 1(a)"]
    evil = "<img src=x onerror=\"window.__pwned = 'reader'\">"
    part = ["SEC. 1(a)", "(a)", f"Heading {evil}", 0, section, f"Makers register {evil}."]
    text = {
        "bill": bill,
        "versions": [
            {
                "id": "v1",
                "label": f"AB 1, One {evil}",
                "date": "2025-01-06",
                "parts": [part],
                "changes": {},
                "removed": [],
            },
            {
                "id": "v2",
                "label": "AB 1, Two",
                "date": "2025-02-06",
                "parts": [[*part[:5], f"Makers must register {evil}."]],
                "changes": {
                    "SEC. 1(a)": [
                        "changed",
                        "SEC. 1(a)",
                        [["=", "Makers"], ["+", "must"], ["=", f"register {evil}."]],
                    ]
                },
                "removed": [["SEC. 2", f"Gone {evil}"]],
            },
        ],
    }
    path = tmp_path / "hostile.html"
    path.write_text(render_html(view, title="AB 1", bill_text=text), encoding="utf-8")
    opened = browser.open(path)
    page = opened.page
    overview = page.inner_text("#overview")
    org = next(
        d["label"]
        for _, d in view.nodes(data=True)
        if d["kind"] == "organization" and "onerror" in d["label"]
    )
    assert org in overview, "the organization's name, markup and all, as text"
    page.click(".ov-timeline g[data-node]")
    opened.show("reader")
    assert evil in reader_words(opened, "span") and "must" in reader_words(opened, "ins")
    assert f"Gone {evil}" in reader_words(opened, "del")
    choose_version(opened, "One")
    assert f"Makers register {evil}." in reader_words(opened)
    assert "Registration costs <img" in page.inner_text("#reader")  # a claim in the margin
    opened.show("map")
    page.check("#evaluate")
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img, iframe, script:not([type])').length") == 2
    assert opened.errors == [] and opened.outside == []
    opened.page.close()
