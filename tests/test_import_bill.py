"""Importing a bill's structure from a leginfo text page: the real SB 1047 page and small cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from graph import InputError, load_corpus
from graph.cli import main
from graph.import_bill import citations, import_bill

from .conftest import FIXTURES, SHARED_DATA

PAGES = FIXTURES / "import_bill"
ENROLLED = SHARED_DATA / "sb1047" / "enrolled-2024-09-03.html"


@pytest.fixture(scope="module")
def sb1047() -> dict:
    return import_bill(ENROLLED.read_text(encoding="utf-8"))


def nodes(sections: list[dict], parent: str | None = None):
    """(citation, node, parent citation) for every node of a section tree."""
    for s in sections:
        cite = s.get("cite") or f"{parent}{s['label']}"
        yield cite, s, parent
        yield from nodes(s.get("parts", []), cite)


def node(tree: dict, citation: str) -> dict:
    return next(n for c, n, _ in nodes(tree["sections"]) if c == citation)


# --- the real page ----------------------------------------------------------------------


def test_sb1047_bill_sections_are_section_1_to_sec_8_as_printed(sb1047):
    assert [(s["cite"], s["label"]) for s in sb1047["sections"]] == [("SEC. 1", "SECTION 1.")] + [
        (f"SEC. {n}", f"SEC. {n}.") for n in range(2, 9)
    ]


def test_sb1047_code_sections_sit_under_the_bill_section_that_adds_them(sb1047):
    added = {
        s["cite"]: [p["cite"] for p in s.get("parts", []) if "cite" in p]
        for s in sb1047["sections"]
    }
    assert added["SEC. 3"] == ["22602", "22603", "22604", "22606", "22607", "22608", "22609"]
    assert added["SEC. 4"] == ["11547.6"]
    assert added["SEC. 5"] == ["11547.6.1"]
    assert "22605" not in set(citations(sb1047["sections"]))


def test_sb1047_full_shutdown_duty_is_cited_22603_a_2_A(sb1047):
    cites = set(citations(sb1047["sections"]))
    assert {"22603(a)(2)", "22603(a)(2)(A)", "22603(a)(2)(B)", "SEC. 2(d)"} <= cites
    # Clauses and subclauses too, several labels deep on one printed line: "(B) (i) ...".
    assert "22602(e)(1)(B)(i)(I)" in cites
    assert "22603(a)(7)(A)(ii)(III)" in cites


def test_sb1047_siblings_are_numbered_without_gaps(sb1047):
    """Each run of labels goes (a), (b), (c) / (1), (2) / (A), (B) / (i), (ii): a label put at
    the wrong level would break a run."""

    def value(label: str) -> int:  # (1) -> 1, (a) and (A) -> 1
        inner = label.strip("()")
        return int(inner) if inner.isdigit() else ord(inner.lower()) - ord("a") + 1

    for cite, n, _ in nodes(sb1047["sections"]):
        labels = [p["label"] for p in n.get("parts", []) if "cite" not in p]
        if not labels:
            continue
        if labels[0] in ("(i)", "(I)"):  # a run of clauses or subclauses: i, ii, iii
            romans = ["(i)", "(ii)", "(iii)", "(iv)", "(v)", "(vi)", "(vii)", "(viii)"]
            assert [x.lower() for x in labels] == romans[: len(labels)], cite
        else:
            assert [value(x) for x in labels] == list(range(1, len(labels) + 1)), cite


def test_sb1047_definitions_carry_the_defined_term_as_heading(sb1047):
    assert node(sb1047, "22602(e)")["heading"] == "Covered model"
    assert node(sb1047, "22602(k)")["heading"] == "Full shutdown"
    assert node(sb1047, "22607(g)(1)")["heading"] == "Employee"
    assert node(sb1047, "SEC. 3")["heading"].startswith("CHAPTER 22.6.")
    assert "heading" not in node(sb1047, "22603(a)")


def test_sb1047_identity_and_every_version_from_the_version_menu(sb1047):
    assert (sb1047["id"], sb1047["identifier"], sb1047["session"]) == (
        "sb1047",
        "SB 1047",
        "2023-2024",
    )
    assert (
        sb1047["title"]
        == "Safe and Secure Innovation for Frontier Artificial Intelligence Models Act"
    )
    dates = [v["date"] for v in sb1047["versions"]]
    assert (dates[0], dates[-1]) == ("2024-09-03", "2024-02-07")  # newest first, as on the page
    assert [v["id"] for v in sb1047["versions"]][:: len(dates) - 1] == ["enrolled", "introduced"]
    assert sb1047["sections_source"] == {
        "url": "https://leginfo.legislature.ca.gov/faces/billTextClient.xhtml"
        "?bill_id=202320240SB1047&version=20230SB104788ENR",
        "date": "2024-09-03",
    }


def test_depth_keeps_only_the_levels_asked_for():
    tree = import_bill(ENROLLED.read_text(encoding="utf-8"), depth=1)
    cites = set(citations(tree["sections"]))
    assert {"SEC. 2(d)", "22603(a)", "11547.6(d)"} <= cites
    assert not any(re.search(r"\)\(", c) for c in cites)


def test_import_bill_output_is_a_bill_file_the_loader_accepts(tmp_path: Path):
    """A user imports the page into a new corpus and cites a subdivision in a claim."""
    corpus = tmp_path / "sb1047-new"
    result = CliRunner().invoke(
        main, ["import-bill", str(ENROLLED), "-o", str(corpus / "bills" / "sb1047.yaml")]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"SB 1047, 12 versions, \d+ sections and parts", result.output)
    (corpus / "corpus.yaml").write_text("name: sb1047-new\ntitle: A new corpus\n")
    (corpus / "organizations.yaml").write_text(
        "people:\n  - {id: ana, name: Ana Analyst, source: https://example.org/ana}\n"
    )
    (corpus / "sources").mkdir()
    (corpus / "sources" / "note.yaml").write_text(
        "id: note\ntitle: A note\nkind: statement\nauthors: [ana]\n"
        "claims:\n"
        "  - id: shutdown\n    statement: Developers must be able to shut a model down.\n"
        "    paraphrase: true\n    where: paragraph 1\n    sections: ['22603(a)(2)(A)']\n"
    )
    bill = load_corpus(corpus).bills[0]
    assert bill.section("22603(a)(2)(A)").parent == "22603(a)(2)"
    assert bill.section("22603").kind == "code-section"
    assert bill.section("22602(e)(1)(A)(i)").kind == "clause"
    assert [v.date for v in bill.versions][-1] == "2024-02-07"


# --- small cases ------------------------------------------------------------------------


def test_small_bill_tree_with_labels_on_one_line_and_subclauses():
    tree = import_bill((PAGES / "small-bill.html").read_text(encoding="utf-8"))
    assert list(citations(tree["sections"])) == [
        "SEC. 1", "SEC. 1(a)", "SEC. 1(b)",
        "SEC. 2", "100", "100(a)", "100(b)", "100(b)(1)", "100(b)(2)",
        "101", "101(a)", "101(a)(1)", "101(a)(1)(A)", "101(a)(1)(A)(i)", "101(a)(1)(A)(ii)",
        "101(a)(1)(A)(ii)(I)", "101(a)(1)(A)(ii)(II)", "101(a)(1)(B)", "101(a)(2)", "101(b)",
        "SEC. 3",
    ]  # fmt: skip
    assert node(tree, "100(b)")["heading"] == "Maker"
    assert "heading" not in node(tree, "100(b)(2)")  # "does not include" defines nothing
    assert (tree["identifier"], tree["session"]) == ("AB 12", "2025-2026")
    assert [v["id"] for v in tree["versions"]] == ["amended-assembly-2025-03-10", "introduced"]


def test_subdivision_i_after_h_and_clause_i_under_a_subparagraph_are_told_apart():
    tree = import_bill((PAGES / "roman-i-after-h.html").read_text(encoding="utf-8"))
    cites = list(citations(tree["sections"]))
    assert "50(h)(1)(A)(i)" in cites and "50(h)(1)(A)(ii)" in cites
    assert [n["label"] for n in node(tree, "50")["parts"]][-3:] == ["(h)", "(i)", "(j)"]


def test_struck_out_text_of_an_amended_version_is_not_part_of_the_bill():
    tree = import_bill((PAGES / "struck-out-text.html").read_text(encoding="utf-8"))
    assert [n["label"] for n in node(tree, "10")["parts"]] == ["(a)", "(b)", "(c)"]


def test_a_page_without_bill_text_is_refused_with_what_to_do():
    with pytest.raises(InputError) as info:
        import_bill(
            (PAGES / "status-page-not-text.html").read_text(encoding="utf-8"), name="x.html"
        )
    (problem,) = info.value.problems
    assert str(problem).startswith("x.html: no bill text found")
    assert "billTextClient.xhtml" in problem.message


def test_cli_prints_the_bill_file_with_the_pages_authors_and_writes_nothing_on_error(tmp_path):
    runner = CliRunner()
    shown = runner.invoke(main, ["import-bill", str(PAGES / "small-bill.html")])
    assert shown.exit_code == 0
    assert (
        "# The page says: Introduced by Assembly Member Doe (Coauthor: Senator Roe)" in shown.output
    )
    assert yaml.safe_load(shown.output)["sections"][0]["label"] == "SECTION 1."

    out = tmp_path / "bill.yaml"
    failed = runner.invoke(
        main, ["import-bill", str(PAGES / "status-page-not-text.html"), "-o", str(out)]
    )
    assert failed.exit_code == 1
    assert "no bill text found" in failed.output
    assert "nothing was written" in failed.output
    assert not out.exists()
