"""Analyses checked against answers worked by hand on tests/fixtures/corpora/contested-bill.

The fixture: the Widget Guild (oppose) and the Safety League (support) argue over SEC. 1(a)
(the fee) and SEC. 2 (testing); the League rebuts the Guild's cost claim and undermines its
testing claim; the Guild's reply rebuts the League's rebuttal; Acme and the Parents Group
co-sign a letter asking for a fee cap (support if amended). Acme belongs to both coalitions.
"""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from PIL import Image

from graph import build
from graph.analyze import (
    AGENT_MEASURE,
    CLAIM_MEASURE,
    analyze,
    stance_heatmap,
)
from graph.cli import main

from .conftest import FIXTURES

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
