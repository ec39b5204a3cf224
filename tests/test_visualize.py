"""The HTML map as a file: self-contained, stable, complete, safe with hostile text; focused views.

What the page does in a browser is in test_browser.py; these tests read the file itself.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph import InputError, build, to_networkx
from graph.cli import main
from graph.kinds import NODE_KINDS, RELATION_NODE_KINDS
from graph.network import argument_relations
from graph.visualize import (
    build_map,
    focus,
    layout,
    map_graph,
    render_html,
    render_map,
    resolve,
)

from .conftest import FIXTURES

MINIMAL = FIXTURES / "corpora" / "minimal"
HOSTILE = FIXTURES / "visualize" / "hostile-markup"
#: The kinds a map draws as nodes: all but the argument relations, drawn as arrows.
DRAWN = {k.name for k in NODE_KINDS} - set(RELATION_NODE_KINDS)


def page_data(page: str) -> dict:
    """The JSON the page draws from, as the browser would parse it."""
    block = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S)
    assert block, "the page has no map-data block"
    return json.loads(block.group(1))


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


@pytest.fixture(scope="module")
def sb1047_view(sb1047_graph) -> nx.MultiDiGraph:
    return to_networkx(sb1047_graph)


@pytest.fixture(scope="module")
def sb1047_page(sb1047_build) -> str:
    """The map the build writes for SB 1047: what users open."""
    return sb1047_build.files["html"].read_text(encoding="utf-8")


def corpus_view(path: Path) -> nx.MultiDiGraph:
    return to_networkx(build(path, None).graph)


def test_page_needs_nothing_from_the_network(sb1047_page):
    found = tags(sb1047_page)
    linked = [(t, a) for t, a in found if "src" in a or "href" in a or t in ("link", "iframe")]
    assert linked == []
    csp = next(a["content"] for t, a in found if a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    assert "sourceMappingURL" not in sb1047_page


def test_the_same_graph_gives_the_same_page(sb1047_view, sb1047_page):
    assert render_html(sb1047_view, title="x") == render_html(sb1047_view, title="x")
    # and the build writes exactly what render_html gives for its graph
    assert page_data(sb1047_page)["nodes"] == page_data(render_html(sb1047_view))["nodes"]


def test_every_node_is_on_the_page_and_relations_are_arrows(sb1047_view, sb1047_page, sb1047_graph):
    data = page_data(sb1047_page)
    relation_kinds = {"support", "rebuttal", "undercut", "undermining"}
    drawn = {n for n, d in sb1047_view.nodes(data=True) if d["kind"] not in relation_kinds}
    assert {n["id"] for n in data["nodes"]} == drawn
    arrows = {(e["from"], e["to"], e["kind"], e.get("relation")) for e in data["edges"]}
    for r in argument_relations(sb1047_graph):
        if r.kind == "undercuts":
            continue
        for premise in r.premises:
            assert (premise, r.conclusion, r.kind, r.iri) in arrows


def test_no_two_claims_overlap(sb1047_view):
    """Claims are boxes a reader must read: the layout keeps their boxes apart."""
    mg = map_graph(sb1047_view)
    pos = layout(mg).pos
    claims = sorted((pos[n] for n, d in mg.nodes(data=True) if d["kind"] == "claim"))
    for i, (x1, y1) in enumerate(claims):
        for x2, y2 in claims[i + 1 :]:
            assert abs(x1 - x2) >= 240 or abs(y1 - y2) >= 30, ((x1, y1), (x2, y2))


def test_details_panel_data_of_a_claim(sb1047_view, sb1047_page, sb1047_graph):
    """A supported claim's panel data name its supporters, document, authors and sections."""
    info = page_data(sb1047_page)["info"]
    support = next(r for r in argument_relations(sb1047_graph) if r.kind == "supports")
    claim = info[support.conclusion]
    assert [s[0] for s in claim["supportedBy"] if s[2] == support.iri] == list(support.premises)
    view = sb1047_view.nodes[support.conclusion]
    assert claim["source"] == view["source"]
    assert claim["date"] == view["date"]
    author_labels = {info[o]["label"] for o in claim["orgs"]}
    assert set(view["asserted_by"].split("; ")) <= author_labels


def test_markup_in_the_corpus_stays_data(tmp_path):
    page = render_html(corpus_view(HOSTILE), title="Markup </script><script>x()</script>")
    # Only the page's own four script elements: two JSON blocks, vis-network and map.js.
    found = tags(page)
    assert [t for t, _ in found].count("script") == 4
    assert not [t for t, _ in found if t in ("img", "iframe")]
    assert not [a for _, attrs in found for a in attrs if a.startswith("on")]
    assert "<title>Markup &lt;/script&gt;&lt;script&gt;x()&lt;/script&gt;</title>" in page
    labels = {i["label"] for i in page_data(page)["info"].values()}
    assert "Registration costs <img src=x onerror=\"window.__pwned = 'claim'\"> a lot" in labels


def test_a_character_that_turns_text_around_is_shown_by_name(minimal_corpus, tmp_path):
    """U+202E in an organization's name would show the words after it backwards (a label
    reading as another): the page names it instead."""
    orgs = minimal_corpus / "organizations.yaml"
    orgs.write_text(orgs.read_text().replace("name: Acme Widgets", 'name: "Acme \\u202eWidgets"'))
    page = build(minimal_corpus, tmp_path / "out").files["html"].read_text("utf-8")
    assert "\u202e" not in page
    labels = {i["label"] for i in page_data(page)["info"].values()}
    assert "Acme [U+202E]Widgets" in labels


def test_only_web_links_become_links():
    g = nx.MultiDiGraph()
    g.add_node("a", kind="source", label="A", url="javascript:alert(1)")
    g.add_node("b", kind="source", label="B", url="https://example.org/b")
    info = page_data(render_html(g))["info"]
    assert info["a"]["url"] is None
    assert info["b"]["url"] == "https://example.org/b"


def test_an_empty_graph_draws_an_empty_map():
    data = page_data(render_html(nx.MultiDiGraph()))
    assert data["nodes"] == [] and data["edges"] == []


def test_focus_on_a_section_keeps_its_claims(sb1047_view):
    (section,) = resolve(sb1047_view, "22603")
    about = {u for u, v, k in sb1047_view.in_edges(section, keys=True) if k == "concerns"}
    assert about, "the corpus has claims about 22603"
    sub, left_out = focus(sb1047_view, "22603", depth=1)
    assert about | {section} <= set(sub)
    assert sum(left_out.values()) == sb1047_view.number_of_nodes() - sub.number_of_nodes()
    assert left_out["event"] == sum(
        1 for _, d in sb1047_view.nodes(data=True) if d["kind"] == "event"
    )


def test_focus_on_a_claim_brings_its_supporters_and_their_relation(sb1047_view, sb1047_graph):
    support = next(r for r in argument_relations(sb1047_graph) if r.kind == "supports")
    claim_id = "/".join(support.conclusion.rsplit("/", 2)[-2:])  # document/claim
    sub, _ = focus(sb1047_view, claim_id, depth=1)
    assert {support.conclusion, support.iri, *support.premises} <= set(sub)
    assert render_html(sub)  # a focused subgraph renders like the whole


def test_focus_names_what_it_cannot_find():
    view = corpus_view(MINIMAL)
    with pytest.raises(InputError) as err:
        focus(view, "registration-is-costy")
    assert "did you mean 'statement/registration-is-costly'?" in str(err.value)
    with pytest.raises(InputError) as err:  # an event and a version are both "introduced"
        focus(view, "introduced")
    assert "names 2 things" in str(err.value) and "event/introduced" in str(err.value)


def test_a_big_graph_is_cut_and_says_what_it_left_out(sb1047_view):
    page = render_map(sb1047_view, max_nodes=10)
    assert page.shown == 10
    assert len(page_data(page.html)["nodes"]) == 10
    assert sum(page.left_out.values()) == sb1047_view.number_of_nodes() - len(
        [n for n in render_map_view_nodes(page.html)]
    )
    assert "left out:" in page.summary() and "left out:" in page.html
    kinds = {i["kind"] for i in page_data(page.html)["info"].values()}
    assert "source" in kinds  # documents are kept before the details


def render_map_view_nodes(page: str) -> list[str]:
    """Every node the page stands for: the drawn ones and the relations drawn as arrows."""
    data = page_data(page)
    return [n["id"] for n in data["nodes"]] + list(data["relations"])


def test_map_command_writes_a_focused_map(tmp_path):
    out = tmp_path / "focus.html"
    result = CliRunner().invoke(
        main,
        ["map", str(MINIMAL), "--focus", "registration-is-costly", "--depth", "1", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"^The map shows \d+ of \d+ nodes; left out: .*claims", result.output)
    assert f"Wrote {out}" in result.output
    info = page_data(out.read_text(encoding="utf-8"))["info"]
    # the claim, its rebuttal, what it supports, its document and its author: one link away
    assert {i["label"] for i in info.values()} >= {
        "Registration would cost small makers thousands a year.",
        "The registration fee is small next to a maker's revenue.",
        "The Guild opposes AB 1.",
        "The Guild on AB 1",
        "Widget Guild",
    }


def test_map_command_reports_an_unknown_focus_without_writing(tmp_path):
    out = tmp_path / "x.html"
    result = CliRunner().invoke(main, ["map", str(MINIMAL), "--focus", "nothing", "-o", str(out)])
    assert result.exit_code == 1
    assert "nothing in the graph is called 'nothing'" in result.output
    assert not out.exists()


# The build's map, drawn straight from the store the build keeps its RDF in.


@pytest.fixture(scope="module")
def sb1047_store(sb1047_build) -> ox.Store:
    """The TriG the SB 1047 build wrote, loaded into Oxigraph: one named graph per document."""
    store = ox.Store()
    store.load(path=str(sb1047_build.files["trig"]), format=ox.RdfFormat.TRIG)
    return store


def test_the_map_of_a_store_is_the_page_of_its_network_view(
    sb1047_store, sb1047_graph, sb1047_view, sb1047_corpus, sb1047_page
):
    title = sb1047_corpus.title
    page = build_map(sb1047_store, title)
    assert page == render_html(sb1047_view, title=title)  # byte for byte
    assert build_map(sb1047_graph, title) == page  # and from rdflib's graph too
    assert sb1047_page == page  # what the build writes


def test_a_capped_map_of_a_store_says_what_it_left_out(sb1047_store, sb1047_view):
    page = build_map(sb1047_store, "SB 1047", max_nodes=40)
    assert page == render_html(sb1047_view, title="SB 1047", max_nodes=40)
    data = page_data(page)
    assert len(data["nodes"]) == 40
    drawn = Counter(d["kind"] for n, d in sb1047_view.nodes(data=True) if d["kind"] in DRAWN)
    shown = Counter(n["kind"] for n in data["nodes"])
    note = re.search(
        r"This map shows the 40 most connected of ([\d,]+) nodes; left out: ([^.]*)\.", page
    )
    assert note, "the page says it was cut"
    assert note.group(1) == f"{sum(drawn.values()):,}"
    assert f"{drawn['claim'] - shown['claim']:,} claims" in note.group(2)
    assert "source" in shown  # documents are kept before the details


@pytest.mark.parametrize("max_nodes", [1, 12, 60, 250])
def test_a_map_cut_anywhere_is_the_page_of_the_cut_network_view(
    sb1047_store, sb1047_view, max_nodes
):
    page = build_map(sb1047_store, "SB 1047", max_nodes=max_nodes)
    assert page == render_html(sb1047_view, title="SB 1047", max_nodes=max_nodes)
    assert len(page_data(page)["nodes"]) == max_nodes


def test_a_cut_keeps_the_undercuts_of_the_relations_it_keeps(sb1047_store, sb1047_view):
    relations = page_data(build_map(sb1047_store, "SB 1047", max_nodes=250))["relations"]
    undercuts = {r for r, d in relations.items() if d["kind"] == "undercuts"}
    assert undercuts, "an undercut is drawn once its claims and the relation it attacks are"
    assert all(relations[r]["inference"] in relations for r in undercuts)
