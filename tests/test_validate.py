"""SHACL validation: our graphs conform, each broken rule is named, the build and CLI report it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import InputError, build
from graph.aif import import_aif_file
from graph.cli import main
from graph.ontology import shapes_graph
from graph.validate import read_graph, validate, validate_file
from tests.conftest import FIXTURES, SHARED_DATA

SHAPES_FIXTURES = FIXTURES / "shapes"
#: One Turtle file per structural rule, named for the rule it breaks (kebab case).
RULE_FIXTURES = sorted(SHAPES_FIXTURES.glob("*.ttl"))


def rule_of(fixture: Path) -> str:
    """``relation-has-premise.ttl`` -> ``RelationHasPremise``: the rule a fixture breaks."""
    return "".join(word.capitalize() for word in fixture.stem.split("-"))


def test_sb1047_graph_conforms(sb1047_graph):
    report = validate(sb1047_graph)
    assert report.conforms, report.text()
    assert report.violations == []


@pytest.mark.parametrize("corpus", ["minimal", "contested-bill"])
def test_fixture_corpora_conform(corpus):
    result = build(FIXTURES / "corpora" / corpus, None)
    report = validate(result.dataset)
    assert report.conforms, report.text()


@pytest.mark.parametrize(
    "aif_map", sorted((SHARED_DATA / "aif").glob("*.json")), ids=lambda p: p.stem
)
def test_imported_aif_maps_conform(aif_map):
    """Claims from AIF I-nodes have no authors or quotes; the shapes do not ask for them."""
    report = validate(import_aif_file(aif_map).dataset)
    assert report.conforms, report.text()


@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=lambda p: p.stem)
def test_each_fixture_breaks_exactly_the_rule_it_is_named_for(fixture):
    report = validate(read_graph(fixture))
    assert not report.conforms
    assert report.rules() == {rule_of(fixture)}
    assert f"[rule {rule_of(fixture)}]" in report.text()


def test_the_structural_rules_of_the_issue_each_have_a_fixture():
    """A relation's premises and conclusion, a section's parent, an anchor's text, vote counts,
    a claim's source: each rule the ontology's issue names is broken by a fixture."""
    rules = {rule_of(f) for f in RULE_FIXTURES}
    assert {
        "RelationHasPremise",
        "RelationHasOneConclusion",
        "SectionHasOneParent",
        "AnchorIntoHeldText",
        "VoteCountsNonNegative",
        "ClaimSource",
    } <= rules


def test_every_rule_with_a_fixture_exists_in_the_shapes():
    shapes = shapes_graph()
    named = {str(s).rsplit("#", 1)[-1] for s in shapes.subjects() if "#" in str(s)}
    assert {rule_of(f) for f in RULE_FIXTURES} <= named


def test_report_names_the_node_the_rule_and_the_value():
    report = validate(read_graph(SHAPES_FIXTURES / "vote-counts-non-negative.ttl"))
    (v,) = report.violations
    assert v.focus == "https://example.org/corpus/fixture/bill/ab1/event/committee-vote"
    assert v.rule == "VoteCountsNonNegative"
    assert v.value == "'-3'"
    assert "whole numbers, zero or more" in v.message
    assert report.text().endswith("1 problem found.")


def test_validate_file_points_at_the_line_of_the_offending_node():
    fixture = SHAPES_FIXTURES / "relation-has-premise.ttl"
    with pytest.raises(InputError) as err:
        validate_file(fixture)
    (problem,) = err.value.problems
    lines = fixture.read_text().splitlines()
    assert lines[problem.line - 1].startswith("<relation/letter/no-premise>")
    assert "needs at least one premise" in problem.message


def test_cli_validate_reports_and_exits_1():
    fixture = SHAPES_FIXTURES / "section-has-one-parent.ttl"
    result = CliRunner().invoke(main, ["validate", str(fixture)])
    assert result.exit_code == 1
    assert f"{fixture}:" in result.output
    assert "belongs to exactly one bill or parent section" in result.output
    assert "[rule SectionHasOneParent]" in result.output
    assert "Traceback" not in result.output


def test_cli_validate_accepts_our_turtle_and_trig(sb1047_build):
    for suffix in ("ttl", "trig"):
        result = CliRunner().invoke(main, ["validate", str(sb1047_build.files[suffix])])
        assert result.exit_code == 0, result.output
        assert "conforms" in result.output


def test_cli_validate_reports_bad_turtle_with_its_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix bg: <https://w3id.org/billgraph/ontology#> .\n\n<a> a bg:Claim\n<b> a bg:Claim .\n"
    )
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:4: is not valid turtle" in result.output


def test_cli_validate_takes_other_shapes(tmp_path):
    shapes = tmp_path / "claims-need-quotes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix bg: <https://w3id.org/billgraph/ontology#> .\n"
        "<#QuotedClaims> a sh:NodeShape ; sh:targetClass bg:Claim ;\n"
        "    sh:property <#ClaimHasQuote> .\n"
        '<#ClaimHasQuote> sh:path bg:quote ; sh:minCount 1 ; sh:message "quote every claim" .\n'
    )
    fixture = SHAPES_FIXTURES / "claim-source.ttl"
    result = CliRunner().invoke(main, ["validate", str(fixture), "--shapes", str(shapes)])
    assert result.exit_code == 1
    assert "quote every claim [rule ClaimHasQuote]" in result.output


def test_build_fails_at_the_corpus_line_and_writes_nothing(tmp_path, stricter_shapes):
    corpus = FIXTURES / "corpora" / "minimal"
    out = tmp_path / "out"
    with pytest.raises(InputError) as err:
        build(corpus, out)
    lines = (corpus / "sources" / "reply.yaml").read_text().splitlines()
    for problem, claim in zip(
        err.value.problems, ["fee-is-small", "testing-is-unverified"], strict=True
    ):
        assert problem.file.endswith("reply.yaml")
        assert lines[problem.line - 1] == f"  - id: {claim}"
        assert problem.message == (
            f"claim {claim!r}: every claim is quoted verbatim (bg:quote) [rule ClaimHasQuote]"
        )
    assert not out.exists()


def test_a_corpus_that_would_break_a_shape_is_refused_before_the_build():
    corpus = SHAPES_FIXTURES / "corpus-member-of-itself"
    with pytest.raises(InputError) as err:
        build(corpus, None)
    (problem,) = err.value.problems
    line = (corpus / "organizations.yaml").read_text().splitlines()[problem.line - 1]
    assert "member: widget-guild, of: widget-guild" in line
    assert "[rule" not in problem.message  # the loader's words, not the shapes'
