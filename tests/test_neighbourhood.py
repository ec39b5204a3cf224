"""A focused map found by SPARQL: the whole view's focused page, hubs not walked through,
the same from a SPARQL endpoint, and the focus named as ``--focus`` always named it."""

from __future__ import annotations

import re
import sys
from collections import deque
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph import InputError, build
from graph.cli import main
from graph.emit import union
from graph.neighbourhood import QUERIES, _template, bill_text_of, focused_map
from graph.network import to_networkx
from graph.query import SparqlEndpoint, parse_query
from graph.reader import bill_text
from graph.store import corpus_store, file_store
from graph.visualize import focus, map_graph, render_map

from .conftest import FIXTURES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # noqa: E402  (bench/ is scripts, not a package)

from .sparql_servers import start_oxigraph
from .test_visualize import page_data

MINIMAL = FIXTURES / "corpora" / "minimal"

#: More links than any node of the test corpora has: no node is a hub.
NO_HUBS = 10**6

#: A hub limit the small legislature's bills and topics exceed (at full size, 100 is).
HUB = 10


def drawn_ids(page: str) -> set[str]:
    """The nodes a page stands for: those drawn, and the relations drawn as arrows."""
    data = page_data(page)
    return {n["id"] for n in data["nodes"]} | set(data["relations"])


def test_every_question_reads_as_it_is_run():
    """The questions are run without being parsed again each time: each must read, with
    rdflib's parser, as the form it is run as, over the union of the graphs."""
    paths = sorted(QUERIES.glob("*.rq"))
    assert len(paths) >= 10
    for path in paths:
        parsed = parse_query(path.read_text(encoding="utf-8"), str(path))
        run = _template(path.stem)
        assert (parsed.form, parsed.from_graphs, parsed.graph_iris) == (run.form, (), ())
        assert run.text.startswith("#"), f"{path.name} asks its question in a comment first"


@pytest.fixture(scope="module")
def sb1047(sb1047_build, sb1047_graph):
    """The SB 1047 build's store, its whole network view, and its bill's text."""
    opened = file_store(sb1047_build.files["trig"])
    return opened, to_networkx(sb1047_graph), bill_text(sb1047_graph)


@pytest.mark.parametrize(
    "target, depth",
    [
        ("22603", 1),
        ("ai-alliance", 2),
        ("SEC. 2(d)", 2),
        ("ai-alliance-opposition-2024/opposes-sb-1047", 2),
    ],
)
def test_with_no_hub_the_page_is_the_whole_views_focused_page(sb1047, target, depth):
    opened, view, text = sb1047
    whole = render_map(view, target, depth=depth, title=opened.title, bill_text=text)
    found = focused_map(
        opened.store, target, depth=depth, hub_links=NO_HUBS, title=opened.title, bill_text=text
    )
    assert found.page.html == whole.html  # byte for byte: nodes, notes, evaluation, all
    assert found.summary() == whole.summary()
    assert found.hubs == []


def test_a_focus_is_named_as_before_and_misnamed_with_the_same_message():
    store = corpus_store(MINIMAL).store
    view = to_networkx(union(build(MINIMAL, None).dataset))
    for name in ("Widget Guild", "event/introduced", "registration-is-costly"):
        assert drawn_ids(focused_map(store, name, depth=1).page.html) == drawn_ids(
            render_map(view, name, depth=1).html
        )
    messages = []
    for wrong in ("registration-is-costy", "introduced", "nothing"):
        with pytest.raises(InputError) as before:
            focus(view, wrong)
        with pytest.raises(InputError) as now:
            focused_map(store, wrong)
        assert str(now.value) == str(before.value)
        messages.append(str(now.value))
    assert "did you mean 'statement/registration-is-costly'?" in messages[0]
    assert "'introduced' names 2 things" in messages[1]


@pytest.fixture(scope="module")
def legislature(tmp_path_factory) -> Path:
    """A small synthetic legislature (bench/generate.py), built: topics and bills of
    hundreds of links, as in the large one."""
    folder = tmp_path_factory.mktemp("legislature")
    generate.generate(folder / "corpus", scale=0.005)
    return build(folder / "corpus", folder / "out").files["trig"]


def walked(view: nx.MultiDiGraph, seed: str, depth: int, hub_links: int) -> dict[str, int]:
    """The hops the walk should find, worked out on the whole view: over the links the map
    draws, never on from a node (but the seed) linked to more than ``hub_links`` nodes."""
    links = {n: len(set(view.successors(n)) | set(view.predecessors(n))) for n in view}
    drawn = map_graph(view, simplify=False).to_undirected()
    hops = {seed: 0}
    queue = deque([seed])
    while queue:
        n = queue.popleft()
        if hops[n] >= depth or (n != seed and links[n] > hub_links):
            continue
        for m in sorted(drawn[n]):
            if m not in hops:
                hops[m] = hops[n] + 1
                queue.append(m)
    return hops


def test_hubs_are_drawn_and_counted_but_not_walked_through(legislature):
    opened = file_store(legislature)
    view = to_networkx(opened.store)
    claim = min(n for n, k in view.nodes(data="kind") if k == "claim")
    found = focused_map(opened.store, claim, depth=2, hub_links=HUB)
    expected = walked(view, claim, 2, HUB)
    drawn = {n["id"] for n in page_data(found.page.html)["nodes"]}
    assert drawn == set(expected)
    assert found.hubs, "a claim's bill and topic have more links than HUB"
    for hub in found.hubs:
        assert hub.iri in drawn and hub.links > HUB
        assert hub.links == len(set(view.successors(hub.iri)) | set(view.predecessors(hub.iri)))
        named = f"({hub.kind}, {hub.links:,} links: --focus {hub.iri})"
        assert named in found.summary() and named in found.page.html
    # Focused on a hub, the map draws what it links to.
    hub = found.hubs[0]
    around = focused_map(opened.store, hub.iri, depth=1, hub_links=HUB)
    assert {n["id"] for n in page_data(around.page.html)["nodes"]} == set(
        walked(view, hub.iri, 1, HUB)
    )


def test_the_map_command_draws_a_focus_from_an_rdf_file(legislature, tmp_path):
    out = tmp_path / "around.html"
    claim = "doc-1/claim-1"
    result = CliRunner().invoke(
        main, ["map", str(legislature), "--focus", claim, "--hub-links", "50", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"^The map shows \d+ of [\d,]+ nodes; left out: ", result.output, re.M)
    assert "Drawn but not walked through, each linked to more nodes" in result.output
    assert f"Wrote {out}" in result.output
    title = re.search(r"<title>(.*?)</title>", out.read_text(encoding="utf-8"), re.S)[1]
    assert "around" in title and "(2 links)" in title


def test_the_map_command_reports_a_bad_focus_without_writing(legislature, tmp_path):
    out = tmp_path / "x.html"
    result = CliRunner().invoke(
        main, ["map", str(legislature), "--focus", "nothing", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "error: --focus: nothing in the graph is called 'nothing'" in result.output
    assert "Traceback" not in result.output and not out.exists()
    result = CliRunner().invoke(main, ["map", "--endpoint", "http://127.0.0.1:9/query"])
    assert result.exit_code == 2 and "give --focus ID too" in result.output


@pytest.fixture(scope="module")
def oxigraph_sb1047(tmp_path_factory, sb1047_build):
    """An Oxigraph server holding the SB 1047 graph, its default graph the union of all."""
    from graph.push import manifest_iri, push

    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-focus"))
    base = "https://w3id.org/billgraph/corpus/sb1047/"
    push(sb1047_build.dataset, server.store_url, manifest=str(manifest_iri(base)))
    yield server
    server.stop()


@pytest.mark.parametrize("target", ["22603", "ai-alliance"])
def test_an_endpoint_gives_the_neighbourhood_the_store_gives(sb1047, oxigraph_sb1047, target):
    opened, _, _ = sb1047
    endpoint = SparqlEndpoint(oxigraph_sb1047.query_url)
    local = focused_map(opened.store, target, depth=2, bill_text=bill_text_of(opened.store))
    remote = focused_map(endpoint, target, depth=2, bill_text=bill_text_of(endpoint))
    assert drawn_ids(remote.page.html) == drawn_ids(local.page.html)
    assert remote.page.html == local.page.html  # the same page, bill's text and all
    assert remote.hubs == local.hubs and remote.page.left_out == local.page.left_out


def test_the_map_command_draws_from_an_endpoint(sb1047, oxigraph_sb1047, tmp_path):
    out = tmp_path / "remote.html"
    url = oxigraph_sb1047.query_url
    result = CliRunner().invoke(
        main, ["map", "--endpoint", url, "--focus", "22603", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    local = focused_map(sb1047[0].store, "22603", depth=2)
    assert drawn_ids(out.read_text(encoding="utf-8")) == drawn_ids(local.page.html)
    assert local.page.summary() in result.output
