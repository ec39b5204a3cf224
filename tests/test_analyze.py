"""Analyses checked against answers worked by hand on tests/fixtures/corpora/contested-bill.

The fixture: the Widget Guild (oppose) and the Safety League (support) argue over SEC. 1(a)
(the fee) and SEC. 2 (testing); the League rebuts the Guild's cost claim and undermines its
testing claim; the Guild's reply rebuts the League's rebuttal; Acme and the Parents Group
co-sign a letter asking for a fee cap (support if amended). Acme belongs to both coalitions.
"""

from __future__ import annotations

import csv
import io
import random

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from PIL import Image

from graph import build
from graph import query as graph_query
from graph.analyze import (
    AGENT_MEASURE,
    CLAIM_MEASURE,
    _betweenness_from,
    agent_graph,
    analyze,
    coalition_overlap,
    coalitions,
    stance_heatmap,
)
from graph.cli import main
from graph.push import manifest_iri, push
from graph.query import SparqlEndpoint

from . import sparql_servers
from .conftest import FIXTURES
from .sparql_servers import free_port, start_oxigraph, start_virtuoso

CONTESTED = FIXTURES / "corpora" / "contested-bill"
BASE = "https://example.org/corpus/contested-bill/"


@pytest.fixture(scope="module")
def result():
    built = build(CONTESTED, None)
    return analyze(built.graph, built.corpus.title)


def test_stance_matrix_counts_claims_by_side_per_organization_and_section(result):
    m = result.matrix
    guild, league, acme = (BASE + f"org/{o}" for o in ("widget-guild", "safety-league", "acme"))
    assert m.sections == ["SEC. 1(a)", "SEC. 2", "whole bill"]
    assert m.count(guild, "SEC. 1(a)", "against") == 2  # the letter and the reply
    assert m.count(guild, "SEC. 2", "against") == 1
    assert m.count(league, "SEC. 1(a)", "for") == 1
    assert m.count(league, "whole bill", "for") == 1
    assert m.count(acme, "SEC. 1(a)", "mixed") == 1  # support if amended is neither
    assert m.net(guild, "SEC. 1(a)") == -2


def test_stance_matrix_csv_has_one_row_per_organization_and_section(result):
    rows = list(csv.DictReader(io.StringIO(result.matrix.to_csv())))
    guild_fee = [
        r for r in rows if r["organization"] == "Widget Guild" and r["section"] == "SEC. 1(a)"
    ]
    assert guild_fee == [
        {
            "organization": "Widget Guild",
            "organization_iri": BASE + "org/widget-guild",
            "section": "SEC. 1(a)",
            "for": "0",
            "against": "2",
            "mixed": "0",
        }
    ]
    assert len(rows) == 8  # Guild 3, League 3, Acme 1, Parents 1


def test_heatmap_is_a_png_with_a_cell_per_organization_and_section(result):
    png = stance_heatmap(result.matrix)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.width > 200 and image.height > 200


def test_most_contested_section_is_the_fee(result):
    top = result.contested[0]
    assert (top.section, top.attacks, top.claims, top.agents_for, top.agents_against) == (
        "SEC. 1(a)",
        2,
        4,
        1,
        1,
    )
    assert [c.section for c in result.contested] == ["SEC. 1(a)", "SEC. 2", "whole bill"]


def test_unanswered_claims_are_those_no_attack_reaches(result):
    labels = [u.label for u in result.unanswered]
    assert len(labels) == 5
    assert labels[0] == "The Guild opposes AB 1."  # two supports, no attack
    assert "The fee is small next to a maker's revenue." not in labels
    assert "The fee doubles every year under the bill." in labels


def test_longest_chain_is_claim_rebuttal_and_reply(result):
    chain = result.chains[0]
    assert [kind for _, kind in chain.steps] == [None, "rebuts", "rebuts"]
    assert [result.name(c) for c, _ in chain.steps] == [
        "Registration costs small makers too much.",
        "The fee is small next to a maker's revenue.",
        "The fee doubles every year under the bill.",
    ]
    assert len(result.chains) == 2


def test_coalition_overlap_finds_acme_in_both_coalitions_and_the_joint_letter(result):
    pairs = {(o.first.name, o.second.name): o for o in result.overlaps}
    both = pairs[("Safe Widgets Coalition", "Widget Makers Coalition")]
    assert [result.name(m) for m in both.shared] == ["Acme Widgets"]
    assert both.jaccard == pytest.approx(1 / 3)
    assert len(pairs) == 3  # each pair of the two coalitions and the co-signed letter


def test_central_claims_name_their_measure_and_rank_the_guilds_conclusion_first(result):
    assert result.claim_ranking.measure == CLAIM_MEASURE
    top, _ = result.claim_ranking.scores[0]
    assert result.name(top) == "The Guild opposes AB 1."


def test_central_organizations_name_their_measure(result):
    assert result.agent_ranking.measure == AGENT_MEASURE
    scores = {result.name(a): s for a, s in result.agent_ranking.scores}
    assert scores["Parents Group"] == 0.0  # one claim, shared with Acme: it bridges nothing
    assert scores["Acme Widgets"] > 0


def test_report_explains_the_claims_that_are_out(result):
    text = result.to_text()
    assert "6 claims in, 2 out, 0 undecided" in text
    assert '"Makers already test every widget." is out' in text
    assert "Most central claims, by PageRank" in text


def test_claims_csv_gives_each_claims_label_and_acceptance(result):
    rows = {r["claim"]: r for r in csv.DictReader(io.StringIO(result.claims_csv()))}
    assert rows["The fee is small next to a maker's revenue."]["grounded"] == "out"
    assert rows["The fee is small next to a maker's revenue."]["attacked_by"] == "1"
    assert rows["The Guild opposes AB 1."]["side"] == "against"


def test_analyze_command_prints_the_report_and_writes_csv_and_png(tmp_path):
    out = CliRunner().invoke(main, ["analyze", str(CONTESTED), "-o", str(tmp_path)])
    assert out.exit_code == 0, out.output
    assert "Most contested sections" in out.output
    assert (tmp_path / "contested-bill-stance-heatmap.png").read_bytes()[:4] == b"\x89PNG"
    assert "Widget Guild" in (tmp_path / "contested-bill-stance-matrix.csv").read_text()


def test_analyze_works_on_an_imported_aif_map(tmp_path):
    out = CliRunner().invoke(
        main, ["analyze", str(FIXTURES / "aif" / "linked-attack-and-undercut.json")]
    )
    assert out.exit_code == 0, out.output
    assert "9 claims, 1 supports, 4 attacks" in out.output


def test_analyze_of_sb1047_counts_what_the_corpus_holds(sb1047_build):
    corpus = sb1047_build.corpus
    result = analyze(sb1047_build.graph)
    assert len(result.debate.claims) == len(corpus.claims)
    attacked = {r.conclusion for r in corpus.relations if r.kind in ("rebuts", "undermines")}
    assert len(result.unanswered) <= len(corpus.claims) - len(attacked)
    opposing = {
        a
        for s in corpus.sources
        if s.stance == "oppose"
        for c in s.claims
        for a in (c.by or s.authors)
    }
    rows = result.matrix.agents
    for agent in opposing:
        assert any(r.endswith(f"/{agent}") for r in rows)


# --- at scale: the same answers, read from a store, within limits ---------------------------

CYCLES = FIXTURES / "corpora" / "attack-cycles"


def report_lines(result) -> list[str]:
    return result.to_text().splitlines()


def test_sb1047_report_is_the_same_read_from_the_store_as_from_rdflib(sb1047_build):
    from_store = analyze(sb1047_build.store, "SB 1047")
    from_rdflib = analyze(sb1047_build.graph, "SB 1047")
    assert from_store.to_text() == from_rdflib.to_text()
    assert from_store.claims_csv() == from_rdflib.claims_csv()
    assert from_store.matrix.to_csv() == from_rdflib.matrix.to_csv()


def test_sb1047_grounded_labelling_is_the_least_fixed_point_of_defence(sb1047_build):
    from .test_argumentation import reference_grounded

    evaluation = analyze(sb1047_build.store).evaluation
    assert evaluation.framework.grounded() == reference_grounded(evaluation.framework)
    # Nothing is left undecided, so the preferred extension is the grounded one.
    acceptance = evaluation.acceptance()
    for claim, label in evaluation.labelling().items():
        assert acceptance[claim] == {"in": "sceptical", "out": "rejected"}[label]


def test_sb1047_centrality_is_exact_and_its_measure_named_as_before(sb1047_build):
    result = analyze(sb1047_build.store)
    assert result.agent_ranking.measure == AGENT_MEASURE
    exact = nx.betweenness_centrality(agent_graph(sb1047_build.store), normalized=True)
    for agent, score in result.agent_ranking.scores:
        assert score == pytest.approx(exact[agent])
    assert result.claim_ranking.measure == CLAIM_MEASURE


def test_coalition_overlap_finds_the_pairs_that_comparing_every_pair_finds(sb1047_build):
    for graph in (sb1047_build.store, build(CONTESTED, None).store):
        groups = coalitions(graph)
        pairwise = [
            (a.iri, b.iri, tuple(sorted(a.members & b.members)))
            for i, a in enumerate(groups)
            for b in groups[i + 1 :]
            if a.members & b.members
        ]
        found = [(o.first.iri, o.second.iri, o.shared) for o in coalition_overlap(graph)]
        assert sorted(found) == sorted(pairwise)


def test_sampled_betweenness_names_its_method_sample_and_seed():
    graph = build(CONTESTED, None).store
    result = analyze(graph, betweenness_work=100)  # 100 visits: the walks from 3 nodes
    n, m = agent_graph(graph).number_of_nodes(), agent_graph(graph).number_of_edges()
    k = 100 // (n + m)
    assert result.agent_ranking.measure == (
        f"{AGENT_MEASURE}, estimated from the shortest paths out of {k} of its {n} nodes "
        "taken at random (seed 1047; Brandes and Pich's estimate, as NetworkX's "
        f"betweenness_centrality with k={k}): exact betweenness would take {n / k:,.0f} "
        "times as long"
    )
    assert f"Most central organizations, by {result.agent_ranking.measure}" in result.to_text()
    # NetworkX's own estimate, on the graph with its nodes in order, with the same seed.
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(agent_graph(graph)))
    ordered.add_edges_from(agent_graph(graph).edges())
    sampled = nx.betweenness_centrality(ordered, k=k, normalized=True, seed=1047)
    for agent, score in result.agent_ranking.scores:
        assert score == pytest.approx(sampled[agent], abs=1e-12)
    # The same sample whichever library holds the graph.
    again = analyze(build(CONTESTED, None).graph, betweenness_work=100)
    assert again.agent_ranking == result.agent_ranking


def test_betweenness_from_many_sources_at_once_is_networkxs(sb1047_build):
    # The walks as sparse matrix products (for large graphs) give NetworkX's figures: exact
    # from every node, and its k-sample estimate from the nodes it would sample.
    g = agent_graph(sb1047_build.store)
    nodes = sorted(g)
    exact, k = _betweenness_from(g, nodes, nodes)
    assert k == len(nodes)
    expected = nx.betweenness_centrality(g, normalized=True)
    assert max(abs(exact[v] - expected[v]) for v in g) < 1e-12
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_edges_from(g.edges())
    for k in (2, 30, 200):
        expected = nx.betweenness_centrality(ordered, k=k, normalized=True, seed=1047)
        sources = random.Random(1047).sample(nodes, k)
        sampled, used = _betweenness_from(g, nodes, sources)
        assert used == k
        assert max(abs(sampled[v] - expected[v]) for v in g) < 1e-12


def test_attack_cycles_are_undecided_and_the_even_cycle_credulous():
    result = analyze(build(CYCLES, None).store)
    text = result.to_text()
    assert "0 claims in, 0 out, 6 undecided" in text
    assert "Preferred semantics: 3 claims are in some preferred extensions but not all" in text
    rows = {r["claim"]: r for r in csv.DictReader(io.StringIO(result.claims_csv()))}
    assert rows["The fee is fair to makers of every size."]["preferred"] == "credulous"
    assert rows["Small makers will close under the bill."]["preferred"] == "credulous"
    assert rows["The first op-ed on AB 1 is wrong."]["preferred"] == "rejected"  # odd cycle
    assert {r["grounded"] for r in rows.values()} == {"undec"}


def test_report_says_which_parts_the_preferred_search_could_not_settle():
    result = analyze(build(CYCLES, None).store, preferred_limit=4)
    lines = report_lines(result)
    (summary,) = [line for line in lines if line.startswith("  Preferred semantics")]
    assert summary == (
        "  Preferred semantics: 0 claims are in some preferred extensions but not all, of "
        "those settled; 6 claims in 2 parts of the debate are not settled (searched strongly "
        "connected component by component, each part within 4 steps, all within 1,000,000):"
    )
    stopped = [line for line in lines if line.startswith("    not settled")]
    assert stopped == [
        '    not settled: 3 claims (3 arguments), around "Small makers will close under the '
        'bill.": the search stopped at its limit of 4 steps, searching a cycle of 2 '
        "arguments, after 0 preferred extensions of the part",
        '    not settled: 3 claims (3 arguments), around "The first op-ed on AB 1 is wrong.": '
        "the search stopped at its limit of 4 steps, searching a cycle of 3 arguments, after "
        "0 preferred extensions of the part",
    ]
    rows = list(csv.DictReader(io.StringIO(result.claims_csv())))
    assert {r["preferred"] for r in rows} == {"unsettled"}


def test_report_says_when_the_chain_search_stopped_at_its_limit():
    result = analyze(build(CONTESTED, None).store, chain_steps=2)
    assert not result.chains_complete
    text = result.to_text()
    assert (
        "  (the search stopped at its limit of 2 steps: these are the longest chains it "
        "found, perhaps not the longest there are)"
    ) in text
    assert all(len(chain) >= 2 for chain in result.chains)
    assert "the search stopped" not in analyze(build(CONTESTED, None).store).to_text()


def test_analyze_command_reads_a_built_trig_file_as_it_reads_the_corpus(sb1047_build):
    runner = CliRunner()
    from_file = runner.invoke(main, ["analyze", str(sb1047_build.files["trig"])])
    from_corpus = runner.invoke(main, ["analyze"])
    assert from_file.exit_code == 0, from_file.output
    assert from_corpus.exit_code == 0, from_corpus.output
    assert from_file.output.splitlines()[0] == "Analysis of sb1047.trig"
    assert from_file.output.splitlines()[1:] == from_corpus.output.splitlines()[1:]


def test_analyze_command_names_the_line_of_a_broken_rdf_file(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text('@prefix : <http://example.org/> .\n:a :b "never closed .\n', "utf-8")
    out = CliRunner().invoke(main, ["analyze", str(bad)])
    assert out.exit_code == 1
    assert out.output.startswith(f"error: {bad}:2: ")
    assert "Traceback" not in out.output


# --- past one machine: the graph a SPARQL server holds ---------------------------------------

SB1047_MANIFEST = str(manifest_iri("https://w3id.org/billgraph/corpus/sb1047/"))


@pytest.fixture(scope="module")
def oxigraph_sb1047(tmp_path_factory, sb1047_build):
    """Oxigraph's server holding SB 1047's build, pushed as `push` pushes it."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-sb1047"))
    push(sb1047_build.dataset, server.store_url, manifest=SB1047_MANIFEST, **server.push_options)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def virtuoso_sb1047(tmp_path_factory, sb1047_build):
    """Virtuoso holding SB 1047's build, pushed as the README says."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-sb1047"))
    push(sb1047_build.dataset, server.store_url, manifest=SB1047_MANIFEST, **server.push_options)
    yield server
    server.stop()


@pytest.fixture(params=["oxigraph", "virtuoso"])
def sb1047_server(request):
    """Each server in turn, holding the SB 1047 graph."""
    return request.getfixturevalue(f"{request.param}_sb1047")


def test_analyze_endpoint_gives_the_report_and_files_of_the_local_build(
    sb1047_server, sb1047_build, tmp_path
):
    runner = CliRunner()
    url = sb1047_server.query_url
    remote = runner.invoke(main, ["analyze", "--endpoint", url, "-o", str(tmp_path / "remote")])
    local = runner.invoke(main, ["analyze", str(sb1047_build.files["trig"]), "-o", str(tmp_path)])
    assert remote.exit_code == 0, remote.output
    assert local.exit_code == 0, local.output
    assert remote.output.splitlines()[0] == f"Analysis of {url}"
    report = remote.output.split("Wrote:")[0].splitlines()[1:]
    assert report == local.output.split("Wrote:")[0].splitlines()[1:]
    assert any(line.startswith("Argument evaluation") for line in report)
    for what in ("stance-matrix.csv", "claims.csv"):
        assert (tmp_path / "remote" / f"endpoint-{what}").read_text() == (
            tmp_path / f"sb1047-{what}"
        ).read_text()


@pytest.fixture(scope="module")
def capped_virtuoso_sb1047(tmp_path_factory, sb1047_build):
    """Virtuoso holding SB 1047's build, answering no query with more than 50 rows (its
    ResultSetMaxRows, which cuts an answer short without a word)."""
    capped = sparql_servers._VIRTUOSO_INI.replace(
        "ResultSetMaxRows = 100000", "ResultSetMaxRows = 50"
    )
    assert capped != sparql_servers._VIRTUOSO_INI
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sparql_servers, "_VIRTUOSO_INI", capped)
        server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-capped"))
    push(sb1047_build.dataset, server.store_url, manifest=SB1047_MANIFEST, **server.push_options)
    yield server
    server.stop()


def test_analyze_endpoint_reads_an_answer_the_server_cuts_short_in_pages(
    capped_virtuoso_sb1047, sb1047_build
):
    endpoint = SparqlEndpoint(capped_virtuoso_sb1047.query_url)
    cut = graph_query.query(endpoint, "SELECT ?s ?o WHERE { ?s rdfs:label ?o }")
    assert len(cut) == 50  # the server's answer, cut short
    remote = analyze(endpoint, "SB 1047")
    local = analyze(sb1047_build.store, "SB 1047")
    assert len(remote.debate.claims) == len(local.debate.claims) > 50
    assert remote.to_text() == local.to_text()


def test_analyze_endpoint_of_one_default_graph_analyses_that_graph_alone(
    oxigraph_sb1047, sb1047_build
):
    # The AI Alliance's letter alone: what a server whose default graph is not the union
    # is asked with --default-graph, as `query` asks it.
    letter = "https://w3id.org/billgraph/corpus/sb1047/graph/source/ai-alliance-opposition-2024"
    alone = ox.Store()
    alone.extend(sb1047_build.store.quads_for_pattern(None, None, None, ox.NamedNode(letter)))
    args = ["analyze", "--endpoint", oxigraph_sb1047.query_url, "--default-graph", letter]
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[2].startswith("22 claims, ")
    assert out.output.splitlines()[1:] == analyze(alone, "").to_text().splitlines()[1:]


def test_analyze_takes_a_default_graph_only_with_an_endpoint():
    out = CliRunner().invoke(main, ["analyze", "--default-graph", "https://example.org/g"])
    assert out.exit_code == 2
    assert "--default-graph goes with --endpoint" in out.output


def test_analyze_endpoint_that_cannot_be_reached_says_so_and_prints_no_report():
    url = f"http://127.0.0.1:{free_port()}/query"
    out = CliRunner().invoke(main, ["analyze", "--endpoint", url])
    assert out.exit_code == 1
    assert f"could not reach {url}" in out.output
    assert "Analysis of" not in out.output and "Traceback" not in out.output


def test_analyze_takes_a_source_or_an_endpoint_not_both(sb1047_build):
    out = CliRunner().invoke(
        main, ["analyze", str(sb1047_build.files["trig"]), "--endpoint", "http://127.0.0.1:1/q"]
    )
    assert out.exit_code == 2
    assert "give SOURCE or --endpoint, not both" in out.output
