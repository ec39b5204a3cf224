"""`draft`: a first map of a document's text, for its author to review (graph/drafting/)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
import ryaml
from click.testing import CliRunner

from graph.build import build
from graph.cli import main
from graph.drafting import draft, draft_text, read_document, text_of
from graph.drafting.citations import find_citations, resolve
from graph.errors import InputError
from graph.load import load_corpus

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SB1047 = ROOT / "corpus" / "sb1047"
SEED = SB1047 / "texts" / "ai-alliance-opposition-2024.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "draft"
ANALYSES = sorted((SHARED / "data" / "sb53" / "analyses").glob("*.md"))


def _bench():
    spec = importlib.util.spec_from_file_location("bench_draft", ROOT / "bench" / "draft.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sb1047():
    return load_corpus(SB1047)


@pytest.fixture(scope="module")
def seed_draft(sb1047):
    found = read_document(SEED)
    return draft_text(
        found, "ai-alliance-draft", corpus=sb1047, begins_after="Cached Content Preview"
    )


@pytest.fixture
def ex12(tmp_path: Path) -> Path:
    corpus = tmp_path / "ex12"
    shutil.copytree(FIXTURES / "corpus-ex12", corpus)
    return corpus


# --- the seed statement ------------------------------------------------------------------


def test_the_seed_draft_finds_the_hand_made_claims(sb1047, seed_draft):
    hand = sb1047_doc(sb1047)
    spans = [(c.start, c.end) for c in seed_draft.claims]
    scores = _bench().score_claims([(c.anchor.start, c.anchor.end) for c in hand.claims], spans)
    assert scores["hand_claims"] == 22
    assert scores["recall"] >= 0.8
    assert scores["precision"] >= 0.6


def sb1047_doc(corpus):
    return next(d for d in corpus.sources if d.id == "ai-alliance-opposition-2024")


def test_the_seed_draft_cuts_the_position_and_its_reasons_into_clauses(seed_draft):
    quotes = [c.quote for c in seed_draft.claims]
    assert "respectfully opposes SB 1047" in quotes
    assert "It would slow innovation" in quotes
    assert "thwart advancements in safety and security" in quotes
    assert "The bill’s technically infeasible requirements" in quotes
    position = next(c for c in seed_draft.claims if c.kind == "position")
    assert position.statement == "The AI Alliance opposes SB 1047."
    thwart = next(c for c in seed_draft.claims if c.quote.startswith("thwart"))
    assert thwart.statement == "SB 1047 would thwart advancements in safety and security."
    assert thwart.kind == "prediction"
    infeasible = next(c for c in seed_draft.claims if c.quote.endswith("requirements"))
    assert infeasible.statement == "The bill’s requirements are technically infeasible."


def test_the_seed_draft_finds_and_resolves_sec_2_d(seed_draft):
    assert [(c.words, c.resolved) for c in seed_draft.citations] == [("Sec. 2(d)", "SEC. 2(d)")]
    contradiction = next(c for c in seed_draft.claims if c.quote.startswith("thereby"))
    assert contradiction.sections == ["SEC. 2(d)"]
    assert contradiction.quote.endswith("Sec. 2(d).")


def test_the_seed_draft_marks_background_and_the_supports_thereby_marks(seed_draft):
    who = next(c for c in seed_draft.claims if c.quote.startswith("The AI Alliance is a"))
    assert who.kind == "background"
    by_id = {c.id: c for c in seed_draft.claims}
    thereby = [r for r in seed_draft.relations if r.marker == "thereby"]
    assert len(thereby) == 1
    assert [by_id[p].quote for p in thereby[0].premises] == [
        "will chill innovation in the field of AI",
        "lower access to the field’s cutting edge",
    ]
    assert by_id[thereby[0].conclusion].quote.startswith("thereby directly contradicting")


def test_the_seed_draft_matches_every_organization_the_statement_names(sb1047, seed_draft):
    named = {m.id for m in seed_draft.named}
    expected = {o.id for o in sb1047.organizations if o.provenance.source == sb1047_doc(sb1047).id}
    assert expected <= named
    assert seed_draft.authors == ["ai-alliance"]
    assert seed_draft.proposed == []
    assert seed_draft.stance == "oppose"
    assert seed_draft.title == "A statement in opposition to California SB 1047"


def test_every_quote_of_a_draft_is_verbatim_at_its_offsets(seed_draft):
    for c in seed_draft.claims:
        assert seed_draft.text[c.start : c.end] == c.quote


def test_the_same_text_gives_the_same_bytes(tmp_path: Path, sb1047):
    corpus = tmp_path / "c"
    shutil.copytree(SB1047, corpus)
    one = draft(SEED, corpus, out=corpus / "sources" / "one.yaml", corpus=sb1047, write=False)
    two = draft(SEED, corpus, out=corpus / "sources" / "one.yaml", corpus=sb1047, write=False)
    assert one.yaml == two.yaml


# --- written, loaded, refused, built --------------------------------------------------------


def test_a_written_draft_is_refused_by_a_build_with_one_line_and_built_with_drafts(tmp_path):
    corpus = tmp_path / "sb1047"
    shutil.copytree(SB1047, corpus)
    out = corpus / "sources" / "ai-alliance-draft.yaml"
    done = draft(SEED, corpus, out=out, begins_after="Cached Content Preview")
    assert out.exists() and (corpus / "texts" / "ai-alliance-draft.txt").read_bytes() == (
        SEED.read_bytes()
    )
    # The file holds what the loader reads back: every quote as it stands in the text.
    data = ryaml.loads(out.read_text(encoding="utf-8"))
    assert data["draft"] is True
    text = SEED.read_text(encoding="utf-8")
    for claim, made in zip(data["claims"], done.draft.claims, strict=True):
        assert claim["quote"] == made.quote == text[made.start : made.end]
    with pytest.raises(InputError) as refused:
        load_corpus(corpus)
    assert len(refused.value.problems) == 1
    assert "is a draft that no one has reviewed" in str(refused.value)
    assert "delete 'draft: true'" in str(refused.value)
    built = build(corpus, tmp_path / "out", drafts=True)
    page = (tmp_path / "out" / "sb1047.html").read_text(encoding="utf-8")
    assert "[draft] The AI Alliance opposes SB 1047." in page
    doc = next(d for d in built.corpus.sources if d.id == "ai-alliance-draft")
    assert doc.draft and all(c.anchor is not None for c in doc.claims)
    # The next build without drafts does not start from the drafts build: it refuses.
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "is a draft that no one has reviewed" in result.output


def test_the_pdf_letter_is_drafted_with_its_signers_citations_and_a_proposed_organization(ex12):
    out = ex12 / "sources" / "riders-letter.yaml"
    done = draft(FIXTURES / "letter.pdf", ex12, out=out)
    d = done.draft
    assert d.format == "pdf" and d.kind == "letter" and d.stance == "oppose"
    assert d.title == "Letter in opposition to EX 12"
    assert d.date == "2025-06-03"
    assert d.authors == ["scooter-riders-union", "harbor-cycling-coalition"]
    assert [(p.id, p.name) for p in d.proposed] == [
        ("harbor-cycling-coalition", "Harbor Cycling Coalition")
    ]
    assert {(c.words, c.resolved) for c in d.citations} == {
        ("Section 3(a)", "SEC. 3(a)"),
        ("Section 4", "SEC. 4"),
    }
    speed = next(c for c in d.claims if "speed limit" in c.quote)
    assert speed.sections == ["SEC. 3(a)"] and speed.topics == ["speed"]
    # The claim of the other side on the same part is suggested, as a comment only.
    assert [k.key for k in speed.counterclaims] == ["walkers-testimony/commute-no-slower-than-bus"]
    assert "#   0.50 walkers-testimony/commute-no-slower-than-bus (support)" in done.yaml
    assert [(r.marker, r.kind) for r in d.relations] == [("As a result", "supports")]
    corpus = load_corpus(ex12, drafts=True)
    assert "harbor-cycling-coalition" in {o.id for o in corpus.organizations}


def test_the_html_letter_keeps_its_visible_text_and_where_each_quote_came_from(ex12):
    page = (FIXTURES / "letter.html").read_text(encoding="utf-8")
    done = draft(FIXTURES / "letter.html", ex12, out=ex12 / "sources" / "harbor-letter.yaml")
    d = done.draft
    assert d.format == "html" and d.stance == "support" and d.title == "Why we support EX 12"
    assert "fetch(" not in d.text and "color: red" not in d.text
    assert "people on foot & riders alike" in d.text  # the entity decoded
    fines = next(c for c in d.claims if c.quote.startswith("The fines"))
    assert fines.sections == ["SEC. 4"]
    assert page[fines.origin : fines.origin + len("The fines in")] == "The fines in"
    because = [r for r in d.relations if r.marker == "because"]
    assert len(because) == 1
    load_corpus(ex12, drafts=True)


def test_the_cli_drafts_a_folder_with_a_progress_bar_and_reports_what_it_could_not(ex12, tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    for name, to in [
        ("letter.pdf", "riders-letter.pdf"),
        ("letter.html", "harbor-letter.html"),
        ("scanned-no-text.pdf", "scanned.pdf"),
        ("empty.txt", "empty.txt"),
    ]:
        shutil.copy(FIXTURES / name, folder / to)
    result = CliRunner().invoke(main, ["draft", str(folder), "--corpus", str(ex12)])
    assert result.exit_code == 1
    assert "Drafted 2 documents" in result.output
    assert "scanned.pdf: has no text layer" in result.output
    assert "empty.txt: is empty" in result.output
    assert "Drafting" in result.output  # the progress bar, on stderr
    assert sorted(p.name for p in (ex12 / "sources").iterdir()) == [
        "harbor-letter.yaml",
        "riders-letter.yaml",
        "walkers-testimony.yaml",
    ]


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("empty.txt", "is empty: there is no text to draft from"),
        ("blank.txt", "is empty: there is no text to draft from"),
        ("scanned-no-text.pdf", "has no text layer (a scanned PDF?)"),
        ("binary.bin", "is not a text, HTML or PDF file"),
    ],
)
def test_bad_input_is_one_line_and_nothing_is_written(ex12, name, says):
    before = sorted(p.relative_to(ex12) for p in ex12.rglob("*"))
    result = CliRunner().invoke(main, ["draft", str(FIXTURES / name), "--corpus", str(ex12)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and says in errors[0]
    assert "Traceback" not in result.output
    assert sorted(p.relative_to(ex12) for p in ex12.rglob("*")) == before


def test_a_draft_does_not_replace_a_file_without_force(ex12):
    out = ex12 / "sources" / "walkers-testimony.yaml"
    with pytest.raises(InputError, match="exists already"):
        draft(FIXTURES / "letter.pdf", ex12, out=out)


def test_a_named_pipe_is_refused_not_read(tmp_path):
    import os

    fifo = tmp_path / "letter.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="named pipe"):
        read_document(fifo)


# --- citations, and the SB 53 analyses ------------------------------------------------------


def test_the_forms_bills_are_cited_in():
    text = (
        "Section 22603(a)(2) applies. So does 22757.12 of the Business and Professions Code, "
        "and paragraph (2) of subdivision (a) of Section 22603; subdivision (b) of that "
        "section too. See Bus. & Prof. Code § 22757.13(c). It is in SEC. 3."
    )
    found = [(c.citation, c.relative) for c in find_citations(text)]
    assert found == [
        ("22603(a)(2)", False),
        ("22757.12", False),
        ("22603(a)(2)", False),
        ("22603(b)", True),
        ("22757.13(c)", False),
        ("SEC. 3", False),
    ]
    assert resolve(["22603(b)", "SEC. 3"], ["22603", "22603(b)"]) == {
        "22603(b)": "22603(b)",
        "SEC. 3": None,
    }


def test_the_forms_existing_law_is_cited_in_and_bill_text_cites_its_own_parts():
    text = (
        "Existing law (Labor Code (LC) § 1102.5) and LC § 1102.7; Government Code Sections "
        "11545-11546; the Act (Division 10 (commencing with Section 7920.000) of Title 1 of "
        "the Government Code).\n\n"
        "**SEC. 4.** Chapter 5.1 (commencing with Section 1107) is added to Part 3 of "
        "Division 2 of the Labor Code, to read:\n\n"
        "**1107.1.** (a) A large developer shall not retaliate.\n\n"
        "(b) See Section 1102.5, subdivision (a), and paragraph (1) of subdivision (f), and "
        "a review pursuant to subdivision (b) of Section 98.74.\n\n"
        "The analysis goes on: subdivision (b) of that section."
    )
    found = [(c.citation, c.code, bool(c.code_said)) for c in find_citations(text)]
    assert found == [
        ("1102.5", "Labor Code", False),
        ("1102.7", "Labor Code", False),
        ("11545", "Government Code", False),
        ("7920.000", "Government Code", False),
        ("SEC. 4", None, False),
        ("1107", "Labor Code", True),
        ("1102.5", "Labor Code", True),  # bare, in a section the bill adds to the Labor Code
        ("1107.1(a)", "Labor Code", True),  # a part of the section it stands in
        ("1107.1(f)(1)", "Labor Code", True),
        ("98.74(b)", "Labor Code", True),
        ("98.74(b)", None, False),  # of that section: the one cited last
    ]


@pytest.fixture(scope="module")
def sb53(sb53_versions):
    return load_corpus(sb53_versions)


def _analysis(name: str) -> Path:
    return next(p for p in ANALYSES if name in p.name)


def _draft_analysis(path: Path, corpus):
    return draft_text(text_of(path.read_bytes(), path.name), "x", corpus=corpus,
                      source_name=path.name)  # fmt: skip


def test_the_sb53_analyses_are_drafted_with_their_committee_and_their_citations(sb53):
    dates = {v.id: v.date for v in sb53.bills[0].versions}
    for path in ANALYSES:
        d = _draft_analysis(path, sb53)
        assert d.kind in ("committee-analysis", "floor-analysis"), path.name
        assert d.stance == "neutral"
        assert d.claims, path.name
        assert all(d.text[c.start : c.end] == c.quote for c in d.claims)
        # Every citation is the bill's, or existing law the text names as such.
        assert all(c.resolved or c.other_law for c in d.citations), path.name
        for c in d.citations:
            if c.resolved and not c.by_words and c.resolved != "SEC. 6":
                assert dates[c.version] <= dates[d.version], (path.name, c.citation)
    judiciary = _draft_analysis(_analysis("senate-judiciary"), sb53)
    assert judiciary.version == "amended-senate-2025-03-27"
    assert judiciary.version_words == "Version: March 27, 2025"
    assert [p.name for p in judiciary.proposed] == ["Senate Judiciary Committee"]
    assert {c.words for c in judiciary.citations} >= {"Lab. Code § 1102.5", "Code Civ. Proc. § 916"}
    assert all(c.other_law for c in judiciary.citations)
    gov_org = _draft_analysis(_analysis("gov-org"), sb53)
    assert (gov_org.version, gov_org.version_words) == (
        "amended-senate-2025-02-27",
        "its file name says on-02-27-text",
    )


def test_an_analysis_resolves_its_citations_in_the_version_it_analyses(sb53):
    d = _draft_analysis(_analysis("07-15a"), sb53)
    assert (d.version, d.version_words) == (
        "amended-assembly-2025-07-08",
        "As Amended Ver:July 8, 2025",
    )
    by = {c.words: c for c in d.citations}
    assert (by["Section 22757.15(c)"].resolved, by["Section 22757.15(c)"].version) == (
        "22757.15(c)",
        "amended-assembly-2025-07-08",
    )
    # The bill's words cite sections of the code they are added to without naming it.
    assert by["subdivision (b) of Section 98.74"].code == "Labor Code"
    # The committee's amendment numbers the audit section 22757.16; July 17's text, which
    # took it up, numbers it 22757.14: found by its words.
    summary = next(c for c in d.claims if c.quote.startswith("The high-level summary"))
    assert summary.sections == ["22757.14(e)"]
    assert summary.version == "amended-assembly-2025-07-17"


def test_a_citation_only_an_earlier_version_has_is_written_with_its_version(
    sb53_versions, tmp_path
):
    corpus = tmp_path / "sb53"
    shutil.copytree(sb53_versions, corpus)
    # The comments of the July 15 analysis, alone: no header says which text they read,
    # and no date, so citations are read in the last version, then the earlier ones.
    text = _analysis("07-15a").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "proposed Section 22757.15(c)" in x)
    letter = tmp_path / "comments.md"
    letter.write_text("# Comments on SB 53\n\n" + line.lstrip("> ") + "\n", encoding="utf-8")
    out = corpus / "sources" / "pcp-comments.yaml"
    result = CliRunner().invoke(
        main, ["draft", str(letter), "--corpus", str(corpus), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = ryaml.loads(out.read_text(encoding="utf-8"))
    cites = [c for c in data["claims"] if c.get("sections") == ["22757.15(c)"]]
    assert cites and all(c["version"] == "amended-assembly-2025-07-17" for c in cites)
    assert "# cites 22757.15(c): in Amended in Assembly, July 17, 2025, not in" in (
        out.read_text(encoding="utf-8")
    )
    checked = CliRunner().invoke(main, ["check", str(corpus), "--drafts"])
    assert checked.exit_code == 0, checked.output
    assert "pcp-comments" not in checked.output  # no warning for it


def test_a_drafted_analysis_is_checked_without_a_warning(sb53_versions, tmp_path):
    corpus = tmp_path / "sb53"
    shutil.copytree(sb53_versions, corpus)
    out = corpus / "sources" / "pcp-analysis.yaml"
    path = _analysis("07-15a")
    result = CliRunner().invoke(main, ["draft", str(path), "--corpus", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    assert "    version: amended-assembly-2025-07-17" in written
    assert "'Labor Code Section 1102.5' -> 1102.5 of the Labor Code: existing law" in written
    checked = CliRunner().invoke(main, ["check", str(corpus), "--drafts"])
    assert checked.exit_code == 0, checked.output
    assert "warning" not in checked.output


def test_two_drafts_whose_authors_the_text_does_not_name_can_wait_for_review_together(
    minimal_corpus, tmp_path
):
    """A draft with no signer proposes a placeholder author; two such drafts in one corpus
    each propose their own, so the second is drafted and both build with --drafts."""
    for name in ("first-note", "second-note"):
        note = tmp_path / f"{name}.txt"
        note.write_text("Widget makers should not have to register. The fee is too high.\n")
        made = draft(note, minimal_corpus)
        assert made.draft.authors == [f"author-of-{name}"]
    built = build(minimal_corpus, tmp_path / "out", drafts=True)
    assert {"first-note", "second-note"} <= {d.id for d in built.corpus.sources}
