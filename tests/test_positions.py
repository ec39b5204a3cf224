"""Positions a document records of others: a committee analysis's registered support and
opposition, as a history of each organization's stance on the bill."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import InputError, build
from graph.build import RebuiltResult
from graph.cli.app import main
from graph.query import query
from tests.conftest import FIXTURES, outputs

ANALYSIS = """\
id: analysis
title: Assembly Committee on Widgets, analysis of AB 1
kind: committee-analysis
authors: [widget-committee]
date: 2025-04-01
claims: []
positions:
  - {by: safety-league, stance: support, role: sponsor, where: registered support}
  - {by: widget-guild, stance: oppose-unless-amended, where: registered opposition}
  - {by: acme, stance: oppose, where: registered opposition}
"""
LATER = """\
id: later-analysis
title: Assembly floor analysis of AB 1
kind: floor-analysis
authors: [widget-committee]
date: 2025-05-01
claims: []
positions:
  - {by: widget-guild, stance: neutral, where: registered support and opposition}
  - {by: acme, stance: oppose}
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The minimal corpus with a committee, and two analyses that record positions."""
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpora" / "minimal", root)
    orgs = root / "organizations.yaml"
    orgs.write_text(
        orgs.read_text().replace(
            "people:",
            "  - {id: widget-committee, name: Assembly Committee on Widgets,"
            " kind: legislative-committee, source: https://example.org/analysis}\npeople:",
        )
    )
    (root / "sources" / "analysis.yaml").write_text(ANALYSIS)
    (root / "sources" / "later-analysis.yaml").write_text(LATER)
    return root


def rows(ds, name, **params):
    return [r for r in query(ds, name, params or None).records()]


def test_a_recorded_position_is_a_history_and_a_change(corpus):
    ds = build(corpus, None).dataset
    history = [
        (r["organization"], str(r["date"]), r["stance"].rsplit("#")[-1])
        for r in rows(ds, "position-history", organization="Widget Guild")
    ]
    assert history == [
        ("Widget Guild", "2025-02", "OpposeStance"),  # its own statement
        ("Widget Guild", "2025-04-01", "OpposeUnlessAmendedStance"),
        ("Widget Guild", "2025-05-01", "NeutralStance"),
    ]
    changes = {
        (r["organization"], r["before"].rsplit("#")[-1], r["after"].rsplit("#")[-1])
        for r in rows(ds, "position-changes")
    }
    # Acme opposes in both analyses: no change. The league supports throughout.
    assert changes == {
        ("Widget Guild", "OpposeStance", "OpposeUnlessAmendedStance"),
        ("Widget Guild", "OpposeUnlessAmendedStance", "NeutralStance"),
    }
    sponsor = [r for r in rows(ds, "positions") if r["role"] == "sponsor"]
    assert [(r["name"], r["document"].rsplit("/")[-1]) for r in sponsor] == [
        ("Safety League", "analysis")
    ]


def test_a_position_is_on_the_version_in_print_and_from_its_record(corpus):
    ds = build(corpus, None).dataset
    found = ds.query(
        """PREFIX bg: <https://w3id.org/billgraph/ontology#>
        SELECT ?version ?record ?g WHERE { GRAPH ?g {
          <https://example.org/corpus/minimal/position/analysis/acme> bg:onVersion ?version ;
             bg:recordedIn ?record } }"""
    )
    ((version, record, graph),) = list(found)
    assert str(version).endswith("/bill/ab1/version/introduced")
    assert str(record).endswith("/source/analysis")
    assert str(graph).endswith("/graph/source/analysis")  # it goes with its document


@pytest.mark.parametrize(
    "position, message",
    [
        (
            "{by: widget-gild, stance: oppose}",
            "position of unknown organization or person 'widget-gild'; did you mean "
            "'widget-guild'?",
        ),
        (
            "{by: acme, stance: oppose, version: amended}",
            "position of 'acme': version 'amended' is not a version of bill ab1",
        ),
        ("{by: acme, stance: against}", "'positions/0/stance': 'against' is not one of"),
        ("{by: acme, stance: oppose, role: chair}", "'positions/0/role': 'chair' is not one of"),
    ],
)
def test_a_wrong_position_is_one_message_at_its_line(corpus, position, message):
    (corpus / "sources" / "later-analysis.yaml").write_text(
        LATER.split("positions:")[0] + f"positions:\n  - {position}\n"
    )
    with pytest.raises(InputError) as caught:
        build(corpus, None)
    (problem,) = caught.value.problems
    assert problem.file.endswith("later-analysis.yaml") and problem.line == 8
    assert message in problem.message


def test_a_second_position_of_one_organization_in_a_document_is_refused(corpus, tmp_path):
    (corpus / "sources" / "later-analysis.yaml").write_text(
        LATER + "  - {by: widget-guild, stance: support}\n"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "later-analysis.yaml:10: a second position of 'widget-guild' (the first is at " in (
        result.output
    )
    assert "Traceback" not in result.output and not out.exists()


def test_a_rebuild_after_a_position_moves_gives_the_fresh_build(corpus, tmp_path):
    build(corpus, tmp_path / "out")
    path = corpus / "sources" / "later-analysis.yaml"
    path.write_text(path.read_text().replace("stance: neutral", "stance: support"))
    again = build(corpus, tmp_path / "out")
    fresh = build(corpus, tmp_path / "fresh", use_cache=False)
    assert isinstance(again, RebuiltResult)
    assert outputs(again) == outputs(fresh)
    changes = {r["after"].rsplit("#")[-1] for r in rows(fresh.dataset, "position-changes")}
    assert changes == {"OpposeUnlessAmendedStance", "SupportStance"}
