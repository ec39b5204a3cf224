"""Every version of a bill: import-bill on SB 53's ten XML versions, the versions in the graph,
what changed between them (the diff command and the canned questions), and bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from graph import build, load_corpus
from graph.cli import main
from graph.query import query

from .conftest import SHARED_DATA

VERSIONS = SHARED_DATA / "sb53" / "versions"
JULY_8 = "amended-assembly-2025-07-08"
JULY_17 = "amended-assembly-2025-07-17"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def letter(corpus: Path, doc_id: str, date: str, claims: str) -> None:
    """A test source document (a letter of a made-up organization) with claims about parts."""
    (corpus / "sources" / f"{doc_id}.yaml").write_text(
        f"id: {doc_id}\ntitle: A letter\nkind: letter\nauthors: [acme]\ndate: {date}\n"
        f"stance: oppose\nclaims:\n{claims}",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def sb53(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus made as a user makes one: import-bill on the folder of versions, then a
    letter whose claims cite parts."""
    corpus = tmp_path_factory.mktemp("sb53")
    (corpus / "sources").mkdir()
    (corpus / "corpus.yaml").write_text("name: sb53\ntitle: SB 53\n", encoding="utf-8")
    (corpus / "organizations.yaml").write_text(
        "organizations:\n  - {id: acme, name: Acme, kind: company, source: https://acme.example/}\n",
        encoding="utf-8",
    )
    result = run("import-bill", VERSIONS, "-o", corpus / "bills" / "sb53.yaml")
    assert result.exit_code == 0, result.output
    letter(
        corpus,
        "acme-letter",
        "2025-07-10",
        "  - {id: threshold, statement: The risk threshold is too low., paraphrase: true,\n"
        "     where: p. 1, sections: ['22757.11(b)']}\n"
        "  - {id: calcompute, statement: CalCompute belongs elsewhere., paraphrase: true,\n"
        "     where: p. 2, version: amended-senate-2025-05-23, sections: ['11547.6.1(a)']}\n",
    )
    return corpus


@pytest.fixture(scope="module")
def sb53_build(sb53: Path, tmp_path_factory: pytest.TempPathFactory):
    return build(sb53, tmp_path_factory.mktemp("out"))


def rows(result, *names: str) -> list[tuple[str, ...]]:
    return [tuple(str(r.get(n, "")) for n in names) for r in result.rows]


# --- import-bill -----------------------------------------------------------------------------


def test_import_bill_writes_every_version_with_its_tree_and_text(sb53: Path):
    bill = yaml.safe_load((sb53 / "bills" / "sb53.yaml").read_text(encoding="utf-8"))
    assert bill["identifier"] == "SB 53" and bill["local_id"] == "202520260SB53"
    assert [(v["id"], v["date"], v["chamber"], v["number"]) for v in bill["versions"]] == [
        ("introduced", "2025-01-07", "Senate", "99"),
        ("amended-senate-2025-02-27", "2025-02-27", "Senate", "98"),
        ("amended-senate-2025-03-27", "2025-03-27", "Senate", "97"),
        ("amended-senate-2025-05-23", "2025-05-23", "Senate", "96"),
        (JULY_8, "2025-07-08", "Assembly", "95"),
        (JULY_17, "2025-07-17", "Assembly", "94"),
        ("amended-assembly-2025-09-02", "2025-09-02", "Assembly", "93"),
        ("amended-assembly-2025-09-05", "2025-09-05", "Assembly", "92"),
        ("enrolled", "2025-09-17", "Senate", "91"),
        ("chaptered", "2025-09-29", "Senate", "90"),
    ]
    chaptered = bill["versions"][-1]
    text = (sb53 / "bills" / chaptered["text"]).read_text(encoding="utf-8")
    # The text a reader of the chaptered bill sees, a part to a line.
    assert text.startswith("SECTION 1. The Legislature finds and declares all of the following:\n")
    assert (
        "22757.10. This chapter shall be known as the Transparency in Frontier Artificial "
        "Intelligence Act.\n" in text
    )
    introduced = (sb53 / "bills" / bill["versions"][0]["text"]).read_text(encoding="utf-8")
    assert introduced.startswith("SECTION 1. It is the intent of the Legislature to enact")
    assert introduced.count("\n") == 1
    # The history the chaptered file carries, as events: the floor votes and the approval.
    events = {(e["kind"], e["date"], e["label"]) for e in bill["events"]}
    assert ("floor-vote", "2025-09-12", "Passed the Assembly") in events
    assert ("other", "2025-09-29", "Approved by the Governor") in events


def test_import_bill_is_deterministic(sb53: Path, tmp_path: Path):
    again = tmp_path / "bills" / "sb53.yaml"
    assert run("import-bill", *sorted(VERSIONS.iterdir(), reverse=True), "-o", again).exit_code == 0
    assert again.read_bytes() == (sb53 / "bills" / "sb53.yaml").read_bytes()
    for text in (sb53 / "texts" / "sb53").iterdir():
        assert (tmp_path / "texts" / "sb53" / text.name).read_bytes() == text.read_bytes()


def test_quotes_from_any_version_are_checked_against_its_text(sb53: Path, tmp_path: Path):
    corpus = tmp_path / "c"
    shutil.copytree(sb53, corpus)
    doc = (
        "id: chaptered-text\ntitle: SB 53 as chaptered\nkind: bill-text\nauthors: [acme]\n"
        "date: 2025-09-29\ntext: ../texts/sb53/chaptered.txt\nclaims:\n"
        "  - id: name\n    statement: The act has a name.\n"
        "    quote: This chapter shall be known as the Transparency in Frontier Artificial "
        "Intelligence Act.\n    sections: ['22757.10']\n"
    )
    (corpus / "sources" / "chaptered-text.yaml").write_text(doc, encoding="utf-8")
    assert run("check", corpus).exit_code == 0
    (corpus / "sources" / "chaptered-text.yaml").write_text(
        doc.replace("shall be known", "may be known"), encoding="utf-8"
    )
    result = run("check", corpus)
    assert result.exit_code == 1 and "quote not found" in result.output


# --- versions in the graph -------------------------------------------------------------------


def test_a_renumbered_part_is_one_provision_in_every_wording(sb53_build):
    # Government Code 11547.6.1 (CalCompute) became 11546.8 in the July 8 amendment.
    found = query(
        sb53_build.store,
        """PREFIX bg: <https://w3id.org/billgraph/ontology#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT ?version ?citation WHERE {
          ?provision bg:citation "11546.8(a)" ; eli:is_realized_by ?part .
          ?part bg:citation ?citation ; bg:inVersion ?v .
          ?v eli:version_date ?version .
        } ORDER BY ?version""",
    )
    assert [(str(r["version"]), str(r["citation"])) for r in found.rows] == [
        ("2025-02-27", "11547.6.1(a)"),
        ("2025-03-27", "11547.6.1(a)"),
        ("2025-05-23", "11547.6.1(a)"),
        ("2025-07-08", "11546.8(a)"),
        ("2025-07-17", "11546.8(a)"),
        ("2025-09-02", "11546.8(a)"),
        ("2025-09-05", "11546.8(a)"),
        ("2025-09-17", "11546.8(a)"),
        ("2025-09-29", "11546.8(a)"),
    ]
    kinds = query(
        sb53_build.store,
        """PREFIX bg: <https://w3id.org/billgraph/ontology#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT ?kind WHERE {
          ?record bg:changedProvision/bg:citation "11546.8(a)" ; bg:changeKind ?kind ;
                  bg:toVersion/eli:version_date ?date .
          FILTER(STR(?date) = "2025-07-08")
        }""",
    )
    assert [str(r["kind"]).rsplit("#", 1)[1] for r in kinds.rows] == ["PartRenumbered"]


def test_a_claim_reaches_every_wording_and_its_own_version(sb53_build):
    found = query(
        sb53_build.store,
        """PREFIX bg: <https://w3id.org/billgraph/ontology#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT ?read ?inPrint ?part (COUNT(DISTINCT ?wording) AS ?wordings) WHERE {
          ?claim bg:readsVersion ?read ; bg:concernsPart/bg:citation ?part ;
                 bg:concerns/eli:is_realized_by ?wording ; bg:assertedIn ?doc .
          ?doc bg:versionInPrint ?inPrint .
          FILTER(STRENDS(STR(?claim), "/threshold"))
        } GROUP BY ?read ?inPrint ?part""",
    )
    (row,) = found.rows
    assert str(row["read"]).endswith(f"/version/{JULY_8}")
    assert str(row["inPrint"]).endswith(f"/version/{JULY_8}")
    assert str(row["part"]) == "22757.11(b)"
    assert int(row["wordings"]) >= 6  # every version since July 8 words it, and earlier ones


def test_a_claim_about_a_part_the_version_in_print_lacks_is_a_warning(sb53: Path, tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(sb53, corpus)
    letter(
        corpus,
        "late-letter",
        "2025-07-20",
        "  - {id: calcompute, statement: CalCompute was dropped., paraphrase: true,\n"
        "     where: p. 1, sections: ['11547.6.1(a)']}\n",
    )
    result = CliRunner().invoke(main, ["check", str(corpus)])
    assert result.exit_code == 0
    (warning,) = result.stderr.strip().splitlines()
    assert (
        warning.startswith(f"{corpus}/sources/late-letter.yaml:") or "late-letter.yaml:" in warning
    )
    assert (
        "warning: claim 'calcompute': '11547.6.1(a)' is not in the version in print on "
        "2025-07-20 (Amended in Assembly, July 17, 2025)" in warning
    )
    assert "version: amended-senate-2025-05-23" in warning
    # The fixture's own letter names the version it read: no warning for it.
    assert "acme-letter" not in result.stderr


# --- what changed ----------------------------------------------------------------------------


def test_diff_prints_struck_and_inserted_words_like_git(sb53: Path):
    result = run("diff", VERSIONS, "--from", JULY_8, "--part", "22757.11")
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first == (
        "SB 53: Amended in Assembly, July 8, 2025 (2025-07-08) -> "
        "Amended in Assembly, July 17, 2025 (2025-07-17)"
    )
    # Legislative Counsel struck " 100" after "more than" in 22757.11(b) (the XML's marks).
    assert "more than [-100-] {+50+} people" in result.output
    assert "@@ 22757.11(b): changed," in result.output
    # The same from the corpus and from its bill file.
    for source in (sb53, sb53 / "bills" / "sb53.yaml"):
        again = run("diff", source, "--from", JULY_8, "--part", "22757.11")
        assert again.exit_code == 0, again.output
        assert again.output == result.output


def test_canned_questions_on_versions(sb53_build):
    # The definition of catastrophic risk was 22757.11(b) in July and is 22757.11(c)(1) in
    # the final text, by which the graph names it.
    changes = query(
        sb53_build.store, "part-changes", {"section": "22757.11(c)(1)", "toVersion": JULY_17}
    )
    assert rows(changes, "citation", "change") == [("22757.11(c)(1)", "changed")]
    assert "[-100-] {+50+}" in str(changes.rows[0]["diff"])
    most = query(sb53_build.store, "most-changed-parts")
    top = [str(r["citation"]) for r in most.rows]
    assert "22757.12" in top[:5]
    # The letter of 2025-07-10 read 22757.11(b) of July 8; July 17 changed it.
    before = query(sb53_build.store, "claims-before-amendment", {"section": "22757.11(c)(1)"})
    assert rows(before, "statement", "amendedIn") == [
        ("The risk threshold is too low.", "SB 53, Amended in Assembly, July 17, 2025")
    ]


def test_the_build_is_byte_identical_twice(sb53: Path, tmp_path: Path):
    a = build(sb53, tmp_path / "a", use_cache=False)
    b = build(sb53, tmp_path / "b", use_cache=False)
    assert a.files["ttl"].read_bytes() == b.files["ttl"].read_bytes()
    assert a.files["trig"].read_bytes() == b.files["trig"].read_bytes()


# --- bad input -------------------------------------------------------------------------------


def test_bad_versions_get_one_line_each_and_nothing_is_written(tmp_path: Path):
    folder = tmp_path / "versions"
    folder.mkdir()
    shutil.copy(VERSIONS / "01-2025-01-07-introduced.xml", folder)
    later = (VERSIONS / "02-2025-02-27-amended-senate.xml").read_text(encoding="utf-8")
    # Its history says the bill was introduced on another day than the introduced file.
    (folder / "02.xml").write_text(
        later.replace(
            "<caml:ActionDate>2025-01-07</caml:ActionDate>",
            "<caml:ActionDate>2025-01-06</caml:ActionDate>",
        ),
        encoding="utf-8",
    )
    (folder / "03.xml").write_text(later, encoding="utf-8")  # the same version twice
    (folder / "04.html").write_text("<p>no bill here</p>", encoding="utf-8")
    (folder / "05.xml").write_text(later[:6000], encoding="utf-8")  # cut short
    out = tmp_path / "c" / "bills" / "sb53.yaml"
    result = CliRunner().invoke(main, ["import-bill", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any("04.html:1: is not a bill in any format" in line for line in lines), lines
    assert any(
        "05.xml:" in line and "is not well-formed XML" in line and "(column " in line
        for line in lines
    ), lines
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "c").exists()
    for broken in ("04.html", "05.xml"):
        (folder / broken).unlink()
    result = CliRunner().invoke(main, ["import-bill", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    text = result.stderr
    assert "its history contradicts" in text and "2025-01-06" in text and "2025-01-07" in text
    assert "same date (2025-02-27) and number (98)" in text
    assert not (tmp_path / "c").exists()


def test_a_file_in_no_format_is_named(tmp_path: Path):
    odd = tmp_path / "bill.xml"
    odd.write_text('{"not": "a bill"}', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["import-bill", str(odd), str(odd), "-o", str(tmp_path / "b" / "x.yaml")]
    )
    assert result.exit_code == 1
    assert "is not a bill in any format this tool reads" in result.stderr


def test_a_version_text_that_does_not_match_its_tree_is_a_problem(sb53: Path, tmp_path: Path):
    corpus = tmp_path / "c"
    shutil.copytree(sb53, corpus)
    text = corpus / "texts" / "sb53" / "introduced.txt"
    text.write_text("It is the intent\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(corpus)])
    assert result.exit_code == 1
    assert "introduced.txt:1: line 1 should be the words of part 'SEC. 1'" in result.stderr
    text.write_text("SECTION 1. It is.\nSEC. 2. More.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(corpus)])
    assert "holds 2 lines but version 'introduced'" in result.stderr


def test_load_corpus_links_parts_to_provisions(sb53: Path):
    corpus = load_corpus(sb53)
    (bill,) = corpus.bills
    chaptered = bill.versions[-1]
    part = next(p for p in chaptered.parts if p.citation == "22757.10")
    assert part.provision == "22757.10"
    assert part.text == (
        "22757.10. This chapter shall be known as the Transparency in Frontier Artificial "
        "Intelligence Act."
    )
