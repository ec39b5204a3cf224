"""Loading a corpus: what an author sees for a good corpus and for each kind of mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import InputError, load_corpus
from graph.quotes import normalize

from .conftest import FIXTURES, edit

CORPORA = FIXTURES / "corpora"


def problems_of(case: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_corpus(CORPORA / case)
    return [str(p) for p in info.value.problems]


def test_minimal_corpus_loads_with_every_record():
    c = load_corpus(CORPORA / "minimal")
    assert [s.id for s in c.sources] == ["reply", "statement"]
    assert len(c.claims) == 5
    assert {r.kind for r in c.relations} == {"supports", "rebuts", "undermines"}
    assert [m.organization for m in c.memberships] == ["widget-guild"]
    assert c.bills[0].section("SEC. 1(a)").parent == "SEC. 1"


def test_cross_document_references_resolve_to_qualified_keys():
    c = load_corpus(CORPORA / "minimal")
    rebuttal = next(r for r in c.relations if r.kind == "rebuts")
    assert rebuttal.premises == ["reply/fee-is-small"]
    assert rebuttal.conclusion == "statement/registration-is-costly"


def test_quote_anchor_points_at_the_quote_in_the_text():
    c = load_corpus(CORPORA / "minimal")
    doc = next(s for s in c.sources if s.id == "statement")
    claim = next(cl for cl in doc.claims if cl.id == "registration-is-costly")
    a = claim.anchor
    # The quote spans a line break in the text; the anchor keeps the text as it stands.
    assert doc.text[a.start : a.end] == a.exact
    assert "\n" in a.exact
    assert normalize(a.exact)[0] == normalize(claim.quote)[0]


@pytest.mark.parametrize(
    ("case", "where", "message"),
    [
        ("yaml-syntax-error", "sources/statement.yaml:22", "YAML syntax"),
        ("unknown-key", "sources/statement.yaml:6", "'stanse' was unexpected"),
        ("missing-title", "sources/reply.yaml:1", "'title' is a required property"),
        ("bad-date", "sources/reply.yaml:6", "'March 2025' is not a date"),
        ("quote-and-paraphrase", "sources/reply.yaml:9", "either a verbatim 'quote' or"),
        ("duplicate-claim-id", "sources/statement.yaml:20", "duplicate claim or relation id"),
        ("unknown-topic", "sources/reply.yaml:15", "unknown topic 'safty'; did you mean 'safety'?"),
        ("unknown-premise", "sources/reply.yaml:22", "premise 'reply/fee-is-tiny'"),
        ("unknown-section", "sources/reply.yaml:9", "'SEC. 1(b)' is not in bill ab1"),
        ("quote-not-in-text", "sources/statement.yaml:20", "quote not found in"),
    ],
)
def test_each_mistake_is_reported_with_file_line_and_fix(case, where, message):
    found = problems_of(case)
    assert any(f"{case}/{where}: " in p and message in p for p in found), found


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path):
    corpus = tmp_path / "two-mistakes"
    shutil.copytree(CORPORA / "minimal", corpus)
    reply = corpus / "sources" / "reply.yaml"
    text = reply.read_text().replace("topics: [safety]", "topics: [safty]")
    reply.write_text(text.replace("from: [fee-is-small]", "from: [fee-is-tiny]"))
    found = problems_of_path(corpus)
    assert len(found) == 2


def problems_of_path(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_corpus(path)
    return [str(p) for p in info.value.problems]


def test_undercut_must_target_a_relation(tmp_path: Path):
    corpus = tmp_path / "undercut"
    shutil.copytree(CORPORA / "minimal", corpus)
    reply = corpus / "sources" / "reply.yaml"
    reply.write_text(
        reply.read_text() + "  - {id: bad-undercut, kind: undercuts, from: [fee-is-small],"
        " to: statement/opposes-ab1}\n"
    )
    (problem,) = problems_of_path(corpus)
    assert "undercuts an inference, so 'to' must name a relation" in problem


def test_a_text_that_names_a_folder_is_reported_at_its_line(tmp_path: Path):
    corpus = tmp_path / "folder-text"
    shutil.copytree(CORPORA / "minimal", corpus)
    statement = corpus / "sources" / "statement.yaml"
    statement.write_text(
        statement.read_text().replace("text: ../texts/statement.txt", "text: ../texts")
    )
    with pytest.raises(InputError) as err:
        load_corpus(corpus)
    problem = err.value.problems[0]
    assert problem.file.endswith("statement.yaml") and problem.line == 8
    assert "'../texts' is a folder; name a text file" in problem.message


def test_missing_corpus_folder_is_one_clear_problem(tmp_path: Path):
    (problem,) = problems_of_path(tmp_path / "nowhere")
    assert "no such corpus folder" in problem


def test_sb1047_seed_claims_are_quoted_at_their_recorded_offsets(sb1047_corpus):
    seed = next(s for s in sb1047_corpus.sources if s.id == "ai-alliance-opposition-2024")
    seed_text = Path(__file__).resolve().parents[2] / "shared/seeds/000_7ace38d046f49189.txt"
    if seed_text.exists():  # the corpus holds the seed verbatim
        assert seed.text == seed_text.read_text(encoding="utf-8")
    assert len(seed.claims) >= 20
    for claim in seed.claims:
        assert claim.quote, claim.id
        a = claim.anchor
        assert seed.text[a.start : a.end] == a.exact
        assert normalize(a.exact)[0] == normalize(claim.quote)[0]
        # Claims model the statement itself, not the third party's summary above it.
        assert a.start > seed.text.index("Cached Content Preview")


def test_sb1047_seed_names_its_members_and_the_bill_purpose(sb1047_corpus):
    members = {m.member for m in sb1047_corpus.memberships if m.organization == "ai-alliance"}
    seed_members = {
        "ibm",
        "stability-ai",
        "snowflake",
        "seedai",
        "meta",
        "databricks",
        "servicenow",
    }
    assert seed_members <= members
    # NASA, Hugging Face and BigCode are partners in the text, not members.
    assert not {"nasa", "hugging-face", "bigcode"} & members
    contradiction = next(
        r for r in sb1047_corpus.relations if r.key.endswith("contradiction-rebuts-stated-purpose")
    )
    assert contradiction.kind == "rebuts"
    assert contradiction.conclusion.startswith("sb1047-enrolled-text/")
    bill = sb1047_corpus.bills[0]
    assert bill.section("SEC. 2(d)") is not None


@pytest.mark.parametrize("date", ["2025-13", "2025-00-10", "2025-03-32", "2025-3-01"])
def test_a_date_with_no_such_month_or_day_is_not_a_date(minimal_corpus: Path, date: str):
    edit(minimal_corpus / "sources" / "reply.yaml", "date: 2025-03-10", f"date: {date}")
    with pytest.raises(InputError) as caught:
        load_corpus(minimal_corpus)
    [problem] = caught.value.problems
    assert (problem.line, problem.message) == (
        6,
        f"'date': {date!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD",
    )
