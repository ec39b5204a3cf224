"""``import-analysis`` on the real SB 53 analyses: what a reader sees in their support and
opposition lists and in the letters their arguments quote, as positions and claims."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from graph import InputError, build
from graph.cli import main
from graph.drafting import draft
from graph.drafting.analysis import draft_analysis, registered_positions
from graph.drafting.text import read_document, text_of
from graph.load import load_corpus

from .conftest import ROOT, SHARED_DATA

ANALYSES = SHARED_DATA / "sb53" / "analyses"
GOV_ORG = ANALYSES / "2025-03-20-senate-gov-org-cmte-on-02-27-text.md"
PRIVACY = ANALYSES / "2025-07-15b-assembly-pcp-cmte-on-07-08-text.md"
FLOOR = ANALYSES / "2025-09-11-assembly-floor-on-09-05-text.md"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SB 53's corpus as it stands before any analysis is imported: the bill, the topics
    and the registry (no source documents yet)."""
    root = tmp_path_factory.mktemp("sb53") / "corpus"
    shutil.copytree(ROOT / "corpus" / "sb53", root, ignore=shutil.ignore_patterns("sources"))
    for text in (root / "texts").glob("*.txt"):
        text.unlink()  # the analyses' texts; the bill's are in texts/sb53/
    return root


def imported(path: Path, corpus: Path, registry: bool = True):
    c = load_corpus(corpus, drafts=True, need_sources=False)
    if not registry:
        c.organizations = []
    return draft_analysis(read_document(path), path.stem, corpus=c, source_name=path.name)


def positions(made) -> dict[str, str]:
    return {pid: stance for pid, stance, *_ in made.draft.positions}


def test_senate_committee_lists_give_each_organization_its_stance_and_role(corpus):
    made = imported(GOV_ORG, corpus)
    listed = {i.name: (i.stance, i.role) for i in made.listed}
    # What a reader sees under SUPPORT: the three co-sources first, then the others.
    assert listed["Secure AI Project"] == ("support", "co-sponsor")
    assert listed["Encode"] == ("support", "co-sponsor")
    assert listed["Redwood Research"] == ("support", None)
    assert (
        listed["Center for Human-Compatible Artificial Intelligence, UC Berkeley"][0] == "support"
    )
    assert "None received" not in listed  # OPPOSITION: None received
    assert {i.stance for i in made.listed} == {"support"}
    assert made.draft.authors == ["senate-committee-on-governmental-organization"]
    assert made.draft.date == "2025-03-25"  # "Hearing Date: 3/25/2025"
    assert made.draft.reads == "amended-senate-2025-02-27"
    # The co-sources' letter, quoted in the running text, is theirs.
    (argument,) = made.arguments
    assert set(argument.by) == {
        "secure-ai-project",
        "economic-security-california-action",
        "encode",
    }


def test_assembly_committee_lists_by_heading_and_the_registry_match(corpus):
    made = imported(PRIVACY, corpus)
    stance = positions(made)
    assert stance["chamber-of-progress"] == "oppose"
    assert stance["silicon-valley-leadership-group"] == "oppose"
    assert stance["california-chamber-of-commerce"] == "oppose-unless-amended"
    assert stance["technet"] == "oppose-unless-amended"  # listed "Technet"
    assert stance["computer-and-communications-industry-association"] == "oppose-unless-amended"
    assert stance["common-sense-media"] == "support"
    # Listed as "Ai Lab Watch", "Center for Ai and Digital Policy": matched all the same.
    matched = {name: m for _, _, _, _, name, m in made.draft.positions}
    assert matched["Center for Ai and Digital Policy"] == "Center for AI and Digital Policy"
    assert matched["Berkeley Existential Risk Initiative"] == "Berkeley Existential Risk Initiative"
    assert made.draft.date == "2025-07-16"
    assert made.draft.reads == "amended-assembly-2025-07-08"
    by = {c.id: c.by for c in made.draft.claims}
    cop = [c for c in made.draft.claims if c.by == ["chamber-of-progress"]]
    assert cop[0].quote.startswith("On behalf of the Chamber of Progress")
    # A claim that cites a part gets it, read in the version the analysis reads.
    cited = next(c for c in cop if "Under Section 22757.11(b)" in c.quote)
    assert cited.sections == ["22757.11(b)"]
    assert all(by.values())  # every quoted claim's writer is placed


def test_floor_analysis_quotes_anthropic_and_the_joint_letter_verbatim(corpus):
    made = imported(FLOOR, corpus)
    text = made.draft.text
    anthropic = [c for c in made.draft.claims if c.by == ["anthropic"]]
    joint = [c for c in made.draft.claims if len(c.by) == 3]
    assert anthropic[0].quote.startswith("As you know, SB 53 would, for the first time, govern")
    assert anthropic[-1].quote.endswith("we encourage the California Legislature to pass SB 53.")
    assert set(joint[0].by) == {
        "california-chamber-of-commerce",  # "CalChamber", its alias
        "computer-and-communications-industry-association",
        "technet",
    }
    headings = [c.quote for c in joint if c.quote.startswith("SB 53 should")]
    assert headings[0] == (
        "SB 53 should focus on model risk, not developer size—to fully address concerns about "
        "powerful models capable of catastrophic risk"
    )
    for c in made.draft.claims:  # every quote is the text between its offsets
        assert text[c.start : c.end] == c.quote
    # No list in a floor analysis: the positions are the ones the arguments state.
    assert positions(made) == {
        "anthropic": "support",
        "california-chamber-of-commerce": "oppose-unless-amended",
        "computer-and-communications-industry-association": "oppose-unless-amended",
        "technet": "oppose-unless-amended",
    }
    # The paragraphs under a heading of the letter support it.
    (size,) = [r for r in made.draft.relations if r.conclusion.endswith("model-risk-developer")]
    assert len(size.premises) == 3


def test_without_the_registry_new_organizations_are_proposed_with_stable_ids(corpus):
    made = imported(FLOOR, corpus, registry=False)
    proposed = {p.id: p.name for p in made.draft.proposed}
    assert proposed["calchamber"] == "CalChamber"
    assert proposed["computer-communications-industry-association"] == (
        "Computer & Communications Industry Association"
    )
    assert imported(FLOOR, corpus, registry=False).draft == made.draft  # deterministic


def test_the_command_writes_a_draft_the_build_checks(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "sb53", corpus)
    written = corpus / "sources" / f"{FLOOR.stem}.yaml"
    args = ["import-analysis", str(FLOOR), "--corpus", str(corpus)]
    refused = CliRunner().invoke(main, args)  # the reviewed file is there
    assert refused.exit_code == 1 and "exists already" in refused.output
    result = CliRunner().invoke(main, [*args, "--force"])
    assert result.exit_code == 0, result.output
    assert "4 positions, 21 quoted claims of 4 writers" in result.output
    data = yaml.safe_load(written.read_text())
    assert data["draft"] is True and data["version"] == "amended-assembly-2025-09-05"
    first = written.read_bytes()
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0
    assert written.read_bytes() == first  # the same analysis gives the same bytes
    with pytest.raises(InputError) as caught:
        build(corpus, tmp_path / "out")
    assert [p.message for p in caught.value.problems] == [
        "is a draft that no one has reviewed: check its claims, quotes and organizations, "
        "then delete 'draft: true' (or build with --drafts to see it)"
    ]
    assert not (tmp_path / "out").exists()
    built = build(corpus, tmp_path / "drafts", drafts=True)  # its quotes checked as any
    assert built.counts()["claims"] > 21


def word_document(markdown: Path) -> bytes:
    """The analysis as a Word document, as the Legislature publishes it: its headings and
    bold lines in bold, the letters it quotes as indented paragraphs."""
    import docx
    from docx.shared import Inches

    document = docx.Document()
    for block in markdown.read_text("utf-8").split("\n\n"):
        line = block.strip()
        if not line:
            continue
        if line.startswith("#"):
            document.add_heading(line.lstrip("# "), level=2)
        elif line.startswith(">"):
            for quoted in line.split("\n"):
                if quoted.lstrip("> ").strip():
                    p = document.add_paragraph(quoted.lstrip("> "))
                    p.paragraph_format.left_indent = Inches(0.5)
        elif line.startswith("**") and line.rstrip().endswith("**"):
            p = document.add_paragraph()
            p.add_run(line.strip("*")).bold = True
        else:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_word_form_gives_the_same_positions_and_quotes(corpus, tmp_path):
    docx_path = tmp_path / f"{FLOOR.stem}.docx"
    docx_path.write_bytes(word_document(FLOOR))
    from_word = imported(docx_path, corpus)
    from_markdown = imported(FLOOR, corpus)
    assert from_word.draft.positions == from_markdown.draft.positions
    assert [c.quote for c in from_word.draft.claims] == [
        c.quote for c in from_markdown.draft.claims
    ]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda z: z.writestr("hello.txt", "hi"), "is a ZIP archive, not a Word document"),
        (
            lambda z: z.writestr(
                zipfile.ZipInfo("word/document.xml"),
                b"<" * (300 * 1024 * 1024),
                compress_type=zipfile.ZIP_DEFLATED,
            ),
            "unpacks to 314 MB",
        ),
    ],
    ids=["not-word", "zip-bomb"],
)
def test_a_bad_word_file_is_one_message(tmp_path, make, message):
    path = tmp_path / "analysis.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        make(z)
    with pytest.raises(InputError) as caught:
        text_of(path.read_bytes(), path)
    (problem,) = caught.value.problems
    assert message in problem.message


def test_lists_end_at_the_next_heading(tmp_path):
    text = (
        "**Support**\n\nAcme Widgets (sponsor)\\\nThe Widget Guild (UNREG)\n\n"
        "**Oppose Unless Amended**\n\nNone on file\n\n**Analysis Prepared by**: A. Person\n\n"
        "Widgets are a good thing for everyone, and this long sentence is prose not a name.\n"
    )
    listed = registered_positions(text)
    assert [(i.name, i.stance, i.role) for i in listed] == [
        ("Acme Widgets", "support", "sponsor"),
        ("The Widget Guild", "support", None),
    ]
    assert listed[1].heading.endswith("marked (UNREG)")


def test_draft_of_a_folder_into_a_new_corpus(corpus, tmp_path):
    """The first analyses of a corpus: its registry may name documents not yet there."""
    made = draft(GOV_ORG, corpus, write=False, analysis=True)
    assert made.source_file.name == "2025-03-20-senate-gov-org-cmte-on-02-27-text.yaml"
    assert "positions:" in made.yaml and "draft: true" in made.yaml
