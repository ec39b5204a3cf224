"""California's bill XML read as versions: SB 53's ten versions as a reader of the files sees
them, Legislative Counsel's marks, what the diff finds between versions, and bad input.

The inputs are the ten official versions of SB 53 (2025), introduced 2025-01-07 to chaptered
2025-09-29 (see shared/data/sb53/README-source.md). Every expected value here was read off the
XML itself (grep, lxml), never computed by the reader or the diff: where a test checks the
reader against the file, it reads the file again with lxml on its own.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from graph.billformats import VersionText, read_version
from graph.billformats.caml import marked_words, read_before
from graph.diff import PartChange, compare, lineage
from graph.errors import InputError

VERSIONS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sb53" / "versions"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "caml"
C = "{http://lc.ca.gov/legalservices/schemas/caml.1#}"
XHTML = "{http://www.w3.org/1999/xhtml}"

INTRODUCED = "01-2025-01-07-introduced.xml"
FEB_27 = "02-2025-02-27-amended-senate.xml"
MAR_27 = "03-2025-03-27-amended-senate.xml"
MAY_23 = "04-2025-05-23-amended-senate.xml"
JULY_8 = "05-2025-07-08-amended-assembly.xml"
JULY_17 = "06-2025-07-17-amended-assembly.xml"
SEPT_2 = "07-2025-09-02-amended-assembly.xml"
SEPT_5 = "08-2025-09-05-amended-assembly.xml"
ENROLLED = "09-2025-09-17-enrolled.xml"
CHAPTERED = "10-2025-09-29-chaptered.xml"
FILES = [
    INTRODUCED,
    FEB_27,
    MAR_27,
    MAY_23,
    JULY_8,
    JULY_17,
    SEPT_2,
    SEPT_5,
    ENROLLED,
    CHAPTERED,
]
#: The amended versions: each carries the marks of the amendment that made it.
AMENDED = FILES[1:8]


@cache
def text_of(name: str) -> str:
    return (VERSIONS / name).read_text(encoding="utf-8")


@cache
def version(name: str) -> VersionText:
    return read_version(text_of(name), name)


def parts(name: str) -> list[tuple[str, str]]:
    """The version as the diff takes it: (citation, own words) of every part, in order."""
    return [(p.cite, p.text) for p in version(name).walk()]


def words(sequence: list[tuple[str, str]]) -> list[str]:
    """The words of a version, its parts' own words one after the other."""
    return [w for _, text in sequence for w in text.split()]


def previous(name: str) -> str:
    return FILES[FILES.index(name) - 1]


def change_of(changes: list[PartChange], *, before=None, after=None) -> PartChange:
    (found,) = [
        c
        for c in changes
        if (before is None or c.before == before) and (after is None or c.after == after)
    ]
    return found


# --- the ten versions: identity --------------------------------------------------------------


def test_the_ten_versions_import_with_the_labels_dates_and_numbers_the_files_give():
    # From each file's caml:VersionNum, caml:MeasureState and the last caml:History action
    # that made it (AMENDED_SENATE 2025-02-27, ..., ENROLLED 2025-09-17, CHAPTERED 2025-09-29).
    # An introduced, enrolled or chaptered version stands in the house of origin (the Senate).
    assert [(v.label, v.date, v.chamber, v.number, v.stage) for v in map(version, FILES)] == [
        ("Introduced", "2025-01-07", "Senate", "99", "INT"),
        ("Amended in Senate, February 27, 2025", "2025-02-27", "Senate", "98", "AMD"),
        ("Amended in Senate, March 27, 2025", "2025-03-27", "Senate", "97", "AMD"),
        ("Amended in Senate, May 23, 2025", "2025-05-23", "Senate", "96", "AMD"),
        ("Amended in Assembly, July 8, 2025", "2025-07-08", "Assembly", "95", "AMD"),
        ("Amended in Assembly, July 17, 2025", "2025-07-17", "Assembly", "94", "AMD"),
        ("Amended in Assembly, September 2, 2025", "2025-09-02", "Assembly", "93", "AMD"),
        ("Amended in Assembly, September 5, 2025", "2025-09-05", "Assembly", "92", "AMD"),
        ("Enrolled", "2025-09-17", "Senate", "91", "ENR"),
        ("Chaptered", "2025-09-29", "Senate", "90", "CHP"),
    ]
    for name in FILES:
        v = version(name)
        assert (v.identifier, v.session, v.local_id) == ("SB 53", "2025-2026", "202520260SB53")
        assert (v.jurisdiction, v.name, v.marks) == ("US-CA", name, name in AMENDED)
    # caml:GeneralSubject, as amended (Feb 27 and July 8 strike it and insert another), and
    # caml:Authors (Rubio from July 8).
    assert [(version(n).title, version(n).authors) for n in FILES] == [
        ("Artificial intelligence: frontier models", ["Wiener"]),
        ("CalCompute: foundation models: whistleblowers", ["Wiener"]),
        ("CalCompute: foundation models: whistleblowers", ["Wiener"]),
        ("CalCompute: foundation models: whistleblowers", ["Wiener"]),
    ] + [("Artificial intelligence models: large developers", ["Wiener", "Rubio"])] * 6


def test_each_version_carries_the_history_up_to_it():
    assert version(INTRODUCED).history == [("INTRODUCED", "2025-01-07")]
    assert version(CHAPTERED).history == [
        ("INTRODUCED", "2025-01-07"),
        ("AMENDED_SENATE", "2025-02-27"),
        ("AMENDED_SENATE", "2025-03-27"),
        ("AMENDED_SENATE", "2025-05-23"),
        ("AMENDED_ASSEMBLY", "2025-07-08"),
        ("AMENDED_ASSEMBLY", "2025-07-17"),
        ("AMENDED_ASSEMBLY", "2025-09-02"),
        ("AMENDED_ASSEMBLY", "2025-09-05"),
        ("PASSED_ASSEMBLY", "2025-09-12"),
        ("PASSED_SENATE", "2025-09-13"),
        ("ENROLLED", "2025-09-17"),
        ("CHAPTERED", "2025-09-29"),
        ("APPROVED", "2025-09-29"),
        ("FILED", "2025-09-29"),
    ]


# --- what the chaptered bill adds, and what the introduced one said ---------------------------


def code_sections_by_lxml(name: str) -> dict[str, tuple[str, list[str]]]:
    """Each bill section of the file that has code sections: its action line and the numbers
    of the code sections it holds, read with lxml alone."""
    bill = etree.parse(str(VERSIONS / name)).getroot().find(C + "Bill")
    out = {}
    for section in bill.iter(C + "BillSection"):
        numbers = [
            "".join(law.find(C + "Num").itertext()).strip().rstrip(".")
            for law in section.iter(C + "LawSection")
        ]
        if numbers:
            action = re.sub(r"\s+", " ", "".join(section.find(C + "ActionLine").itertext()))
            label = "".join(section.find(C + "Num").itertext()).strip()
            out[label] = (action.strip(), numbers)
    return out


#: The chaptered bill's sections that add law: what each one's action line says, and the code
#: sections under it (caml:ActionLine and caml:LawSection/caml:Num in the file).
CHAPTERED_ADDS = {
    "SEC. 2.": (
        "Chapter 25.1 (commencing with Section 22757.10) is added to Division 8 of the "
        "Business and Professions Code, to read:",
        ["22757.10", "22757.11", "22757.12", "22757.13", "22757.14", "22757.15", "22757.16"],
    ),
    "SEC. 3.": (
        "Section 11546.8 is added to the Government Code, to read:",
        ["11546.8"],
    ),
    "SEC. 4.": (
        "Chapter 5.1 (commencing with Section 1107) is added to Part 3 of Division 2 of the "
        "Labor Code, to read:",
        ["1107", "1107.1", "1107.2"],
    ),
}


def test_the_chaptered_bill_adds_its_code_sections_under_the_bill_sections_that_add_them():
    assert code_sections_by_lxml(CHAPTERED) == CHAPTERED_ADDS  # the file, read on its own
    chaptered = version(CHAPTERED)
    assert [p.cite for p in chaptered.parts] == [f"SEC. {n}" for n in range(1, 7)]
    for section in chaptered.parts:
        code = [p.cite for p in section.parts if p.kind == "code-section"]
        if section.label not in CHAPTERED_ADDS:
            assert code == []
            continue
        action, numbers = CHAPTERED_ADDS[section.label]
        assert section.kind == "bill-section"
        assert code == numbers
        # The bill section's words are its number and its action line (then the heading of
        # the chapter it adds): a reader sees which code each code section is of.
        assert section.text.startswith(f"{section.label} {action}")
    assert {p.cite for p in chaptered.walk() if p.kind == "code-section"} == {
        n for _, numbers in CHAPTERED_ADDS.values() for n in numbers
    }
    (short_title,) = [p for p in chaptered.walk() if p.cite == "22757.10"]
    assert short_title.text == (
        "22757.10. This chapter shall be known as the Transparency in Frontier Artificial "
        "Intelligence Act."
    )
    assert chaptered.parts[1].heading == (
        "CHAPTER 25.1. Transparency in Frontier Artificial Intelligence Act"
    )


def test_the_introduced_bill_is_a_statement_of_intent_in_one_section():
    introduced = version(INTRODUCED)
    (section,) = introduced.parts
    assert (section.kind, section.label, section.cite, section.parts) == (
        "bill-section",
        "SECTION 1.",
        "SEC. 1",
        [],
    )
    assert section.text == (
        "SECTION 1. It is the intent of the Legislature to enact legislation that would "
        "establish safeguards for the development of artificial intelligence (AI) frontier "
        "models and that would build state capacity for the use of AI, that may include, but "
        "is not limited to, the findings of the Joint California Policy Working Group on AI "
        "Frontier Models, established by the Governor."
    )
    assert section.line == 5  # caml:BillSection opens on line 5 of the file
    assert code_sections_by_lxml(INTRODUCED) == {}
    assert not any(p.kind == "code-section" for p in introduced.walk())


# --- independent third-party audits: in on July 17, out on September 2 ------------------------

AUDIT = "third-party audit"  # "independent third-party auditor", "the third-party auditor"


def test_third_party_audits_are_in_the_bill_from_july_17_to_september_2_only():
    # grep: "third-party audit" is in the bill of 06 (July 17) alone; 07 holds it only in
    # deletion marks (and its digest's), 08 not at all.
    with_audits = [n for n in FILES if any(AUDIT in text for _, text in parts(n))]
    assert with_audits == [JULY_17]
    found = {cite: text for cite, text in parts(JULY_17) if AUDIT in text}
    assert found == {
        "22757.14(a)": "(a) Beginning January 1, 2030, and at least annually thereafter, a "
        "large developer shall retain an independent third-party auditor to produce a report "
        "assessing both of the following:",
        "22757.14(b)": "(b) A large developer shall allow the third-party auditor access to "
        "all materials produced to comply with this chapter and any other materials "
        "reasonably necessary to perform the assessment required by this section.",
    }
    # The final text has no auditor of any kind.
    assert not any("auditor" in text for _, text in parts(CHAPTERED))


def find_run(marked: list[tuple[str, bool]], phrase: str) -> list[tuple[str, bool]]:
    """The marked words of the first place ``phrase`` is in."""
    wanted = phrase.split()
    plain = [w for w, _ in marked]
    for i in range(len(plain) - len(wanted) + 1):
        if plain[i : i + len(wanted)] == wanted:
            return marked[i : i + len(wanted)]
    raise AssertionError(f"{phrase!r} is not in these words")


AUDIT_SENTENCE = (
    "(a) Beginning January 1, 2030, and at least annually thereafter, a large developer shall "
    "retain an independent third-party auditor to produce a report assessing both of the "
    "following:"
)


def test_legislative_counsel_marks_the_audits_inserted_on_july_17_and_struck_on_september_2():
    # July 17: the whole of Section 22757.14 stands between insertion marks.
    after, _ = marked_words(text_of(JULY_17), JULY_17)
    run = find_run(after, AUDIT_SENTENCE)
    assert all(inserted for _, inserted in run), run
    # September 2: it is in one deletion mark, struck whole; the version reads without it.
    after, before = marked_words(text_of(SEPT_2), SEPT_2)
    run = find_run(before, AUDIT_SENTENCE)
    assert all(struck for _, struck in run), run
    assert not any("auditor" in w for w, _ in after)


def found_text(name: str, cite: str) -> str:
    """The own words of the part ``cite`` of the version ``name``."""
    (text,) = [t for c, t in parts(name) if c == cite]
    return text


def test_the_diff_finds_the_audits_added_then_removed():
    added = compare(parts(JULY_8), parts(JULY_17))
    # 22757.14 was the civil penalties section on July 8; its (a) keeps the citation.
    audit = change_of(added, after="22757.14(a)")
    assert (audit.kind, audit.before) == ("changed", "22757.14(a)")
    inserted = [words for op, words in audit.diff.ops if op == "+"]
    assert inserted[0] == (
        "Beginning January 1, 2030, and at least annually thereafter, a large developer shall "
        "retain an independent third-party auditor to produce a report assessing both"
    )
    access = change_of(added, after="22757.14(b)")
    assert (access.kind, access.before) == ("added", None)
    removed = compare(parts(JULY_17), parts(SEPT_2))
    for cite in ("22757.14(a)", "22757.14(b)"):
        gone = change_of(removed, before=cite)
        assert (gone.kind, gone.after) == ("removed", None)
        assert gone.diff.ops == (("-", found_text(JULY_17, cite)),)
    assert not any(AUDIT in found_text(SEPT_2, c.after) for c in removed if c.after)


# --- the revenue threshold of a large developer: $100 million, then $500 million -------------

THRESHOLD = "22757.11(g)(1)(A)(ii)"


def test_the_revenue_threshold_rises_from_100_to_500_million_on_september_2():
    # grep "gross revenues": not in the bill before July 17; July 17 has $100,000,000;
    # September 2 strikes " one" and " ($100,000,000)" and inserts " five" and
    # " ($500,000,000)"; September 5 moves it into the definition of "large frontier
    # developer", 22757.11(j), which the chaptered text keeps.
    assert [n for n in FILES if any("gross revenues" in t for _, t in parts(n))] == FILES[5:]
    assert found_text(JULY_17, THRESHOLD) == (
        "(ii) The person had annual gross revenues in excess of one hundred million dollars "
        "($100,000,000) in the preceding calendar year."
    )
    assert found_text(SEPT_2, THRESHOLD) == (
        "(ii) The person had annual gross revenues in excess of five hundred million dollars "
        "($500,000,000) in the preceding calendar year."
    )
    assert found_text(CHAPTERED, "22757.11(j)") == (
        "(j) “Large frontier developer” means a frontier developer that together with its "
        "affiliates collectively had annual gross revenues in excess of five hundred million "
        "dollars ($500,000,000) in the preceding calendar year."
    )


def test_the_word_diff_strikes_the_old_figure_and_inserts_the_new():
    change = change_of(compare(parts(JULY_17), parts(SEPT_2)), after=THRESHOLD)
    assert (change.kind, change.before) == ("changed", THRESHOLD)
    assert change.diff.ops == (
        ("=", "(ii) The person had annual gross revenues in excess of"),
        ("-", "one"),
        ("+", "five"),
        ("=", "hundred million dollars"),
        ("-", "($100,000,000)"),
        ("+", "($500,000,000)"),
        ("=", "in the preceding calendar year."),
    )
    assert change.diff.marked() == (
        "(ii) The person had annual gross revenues in excess of [-one-] {+five+} hundred "
        "million dollars [-($100,000,000)-] {+($500,000,000)+} in the preceding calendar year."
    )
    # The marks say the same of that sentence.
    after, before = marked_words(text_of(SEPT_2), SEPT_2)
    assert find_run(after, "in excess of five hundred million dollars ($500,000,000) in") == [
        ("in", False),
        ("excess", False),
        ("of", False),
        ("five", True),
        ("hundred", False),
        ("million", False),
        ("dollars", False),
        ("($500,000,000)", True),
        ("in", False),
    ]
    assert find_run(before, "in excess of one hundred million dollars ($100,000,000) in") == [
        ("in", False),
        ("excess", False),
        ("of", False),
        ("one", True),
        ("hundred", False),
        ("million", False),
        ("dollars", False),
        ("($100,000,000)", True),
        ("in", False),
    ]


# --- the marks agree with the versions, and the diff with the marks -------------------------


def xfail_on_july_8(name: str, reason: str):
    """``name`` as a test parameter, expected to fail (strictly) for July 8 for ``reason``."""
    if name != JULY_8:
        return name
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason))


@pytest.mark.parametrize("name", AMENDED)
def test_the_marks_give_the_previous_version_word_for_word(name: str):
    earlier = parts(previous(name))
    _, before = marked_words(text_of(name), name)
    assert [w for w, _ in before] == words(earlier)
    restored = [(p.cite, p.text) for part in read_before(text_of(name), name) for p in part.walk()]
    assert words(restored) == words(earlier)
    # The same parts with the same words. A bill section the amendment inserted whole, number
    # and all, reads before it as a shell with no words of its own (July 8's SEC. 3 holds the
    # text of the old Section 11547.6.1 under a new number); shells aside, the same multiset.
    assert Counter(t for _, t in restored if t) == Counter(t for _, t in earlier)


JULY_8_SHELL = (
    "July 8: Legislative Counsel moved Section 11547.6.1's words under a section whose "
    "numbers (SEC. 3, 11546.8) are all marked inserted, and struck the old numbers as an "
    "empty shell; read by the marks alone, those parts have no number, so they cannot be "
    "cited as the previous version cites them (their words agree: see the test above)"
)


@pytest.mark.parametrize("name", [xfail_on_july_8(n, JULY_8_SHELL) for n in AMENDED])
def test_the_marks_give_the_previous_version_part_for_part(name: str):
    """The before-reading cites each part as the previous version does (known to fail on
    July 8: see the reason; reported, not fixed here)."""
    restored = [(p.cite, p.text) for part in read_before(text_of(name), name) for p in part.walk()]
    assert restored == parts(previous(name))


@pytest.mark.parametrize("name", AMENDED)
def test_the_marks_give_the_version_word_for_word(name: str):
    after, _ = marked_words(text_of(name), name)
    assert [w for w, _ in after] == words(parts(name))


def agreement(name: str) -> dict[str, int]:
    """How many of the words the diff finds inserted (struck) the marks say were inserted
    (struck), with the totals of each: the diff's words placed by where their part's words
    stand in the version's words (the earlier version's, for struck words)."""

    def offsets(sequence: list[tuple[str, str]]) -> dict[str, int]:
        out, n = {}, 0
        for cite, text in sequence:
            out[cite] = n
            n += len(text.split())
        return out

    earlier, later = parts(previous(name)), parts(name)
    after, before = marked_words(text_of(name), name)
    at_b, at_a = offsets(earlier), offsets(later)
    figures = Counter()
    for change in compare(earlier, later):
        i = at_b[change.before] if change.before else 0
        j = at_a[change.after] if change.after else 0
        for op, run in change.diff.ops:
            n = len(run.split())
            if op == "+":
                figures["inserted"] += n
                figures["inserted, marked"] += sum(m for _, m in after[j : j + n])
            if op == "-":
                figures["struck"] += n
                figures["struck, marked"] += sum(m for _, m in before[i : i + n])
            i += n if op in "=-" else 0
            j += n if op in "=+" else 0
    figures["marks inserted"] = sum(m for _, m in after)
    figures["marks struck"] = sum(m for _, m in before)
    return figures


#: What the marks of July 8 and the diff make of that amendment differ in one place above the
#: bar: the amendment put a new SEC. 2 (the Business and Professions Code chapter) before the
#: Labor Code section, which became SEC. 4 unmarked but for its number; the diff pairs the old
#: SEC. 2 with the new SEC. 2 by citation (both "Chapter ... is added to ..."), so it strikes
#: the Labor Code words the marks keep (14 of the 28 struck words outside the marks), and it
#: splits the consortium's members, 11546.8(g), otherwise than the drafter (the other 14).


@pytest.mark.parametrize("name", AMENDED)
def test_the_words_the_diff_inserts_are_the_words_the_marks_insert(name: str):
    f = agreement(name)
    share = f["inserted, marked"] / f["inserted"] if f["inserted"] else 1.0
    assert share >= 0.9, (
        f"{name}: {f['inserted, marked']} of {f['inserted']} words the diff inserts "
        f"({share:.3f}) are marked inserted"
    )


@pytest.mark.parametrize("name", AMENDED)
def test_the_words_the_diff_strikes_are_the_words_the_marks_strike(name: str):
    f = agreement(name)
    share = f["struck, marked"] / f["struck"] if f["struck"] else 1.0
    assert share >= 0.9, (
        f"{name}: {f['struck, marked']} of {f['struck']} words the diff strikes "
        f"({share:.3f}) are marked struck"
    )


@pytest.mark.parametrize("name", AMENDED)
def test_the_diff_strikes_and_inserts_no_more_than_the_drafter_marked(name: str):
    f = agreement(name)
    message = (
        f"{name}: the diff inserts {f['inserted']} words (marks: {f['marks inserted']}) and "
        f"strikes {f['struck']} (marks: {f['marks struck']})"
    )
    assert f["inserted"] <= f["marks inserted"], message
    assert f["struck"] <= f["marks struck"], message


@pytest.mark.parametrize("name", [ENROLLED, CHAPTERED])
def test_the_enrolled_and_chaptered_texts_carry_no_marks_and_are_the_last_amended_text(name):
    bill = etree.fromstring(text_of(name).encode("utf-8")).find(C + "Bill")
    assert not [pi for pi in bill.iter(etree.ProcessingInstruction) if pi.target.startswith("xm-")]
    assert version(name).marks is False
    assert all(p.before is None for p in version(name).walk())
    assert parts(name) == parts(SEPT_5)
    after, before = marked_words(text_of(name), name)
    assert [w for w, _ in after] == words(parts(SEPT_5))
    assert not any(m for _, m in after) and not any(m for _, m in before)
    assert all(c.kind == "unchanged" for c in compare(parts(SEPT_5), parts(name)))


# --- renumbering: CalCompute, Government Code 11547.6.1, becomes 11546.8 on July 8 ------------

#: The parts of 11547.6.1 (May 23) whose paragraphs July 8's 11546.8 keeps word for word
#: (lxml over both LawSections' <p>s); (g), the consortium's members, was rewritten.
CALCOMPUTE_KEPT = [
    "",
    "(a)",
    "(b)",
    "(b)(1)",
    "(b)(2)",
    "(c)",
    "(d)",
    "(d)(1)",
    "(d)(2)",
    "(d)(3)",
    "(e)",
    "(f)",
    "(f)(1)",
    "(f)(2)",
    "(f)(2)(A)",
    "(f)(2)(B)",
    "(f)(2)(C)",
    "(f)(2)(D)",
    "(f)(2)(E)",
    "(f)(2)(F)",
    "(f)(2)(G)",
    "(h)",
    "(i)",
    "(j)",
    "(k)",
]


def test_calcompute_is_renumbered_not_removed_and_added():
    changes = compare(parts(MAY_23), parts(JULY_8))
    for label in CALCOMPUTE_KEPT:
        change = change_of(changes, before=f"11547.6.1{label}")
        assert (change.kind, change.after) == ("renumbered", f"11546.8{label}"), label
        if label:
            assert change.struck == change.inserted == 0, label
    assert not [c for c in changes if c.kind == "removed" and c.before in CALCOMPUTE_KEPT]
    assert not any(c.kind == "added" and c.after == "11546.8(a)" for c in changes)


def test_lineage_follows_11546_8_a_back_to_11547_6_1_a():
    maps = lineage([parts(n) for n in FILES])
    provision = maps[-1]["11546.8(a)"]
    assert provision == "11546.8(a)"  # named by its last citation
    # First cited 11547.6.1(a) on February 27 (grep: not in the introduced text).
    assert "11547.6.1(a)" not in maps[0]
    assert [m.get("11547.6.1(a)") for m in maps[1:4]] == [provision] * 3
    assert [m.get("11546.8(a)") for m in maps[4:]] == [provision] * 6
    # One wording per version from February 27 on, and no other part takes its name.
    assert [sorted(c for c, p in m.items() if p == provision) for m in maps] == [
        [],
        ["11547.6.1(a)"],
        ["11547.6.1(a)"],
        ["11547.6.1(a)"],
    ] + [["11546.8(a)"]] * 6


# --- bad input ------------------------------------------------------------------------------


def refusal(text: str, name: str):
    with pytest.raises(InputError) as caught:
        read_version(text, name)
    (problem,) = caught.value.problems
    return problem


@pytest.mark.parametrize("fixture", ["plain-text.txt", "bill-as-json.json"])
def test_a_file_in_no_known_format_is_refused(fixture: str):
    problem = refusal((FIXTURES / fixture).read_text(encoding="utf-8"), fixture)
    assert (problem.file, problem.line) == (fixture, 1)
    assert problem.message.startswith("is not a bill in any format this tool reads")
    assert "California bill XML (caml)" in problem.message


def test_a_truncated_version_is_refused_with_its_line_and_column():
    text = text_of(INTRODUCED)
    # Cut in the middle of the bill's only paragraph: line 5, after its 1,087th character.
    cut = text.index("<p>It is the intent of the Legislature") + len(
        "<p>It is the intent of the Legislature"
    )
    problem = refusal(text[:cut], INTRODUCED)
    assert (problem.file, problem.line) == (INTRODUCED, 5)
    assert problem.message.startswith("is not well-formed XML: Premature end of data")
    assert problem.message.endswith("(column 1088)")
    assert str(InputError([problem])).startswith(f"{INTRODUCED}:5: is not well-formed XML")


def test_a_truncated_version_counts_columns_in_characters():
    text = text_of(INTRODUCED)
    # Line 4 of the digest: 682 characters (684 bytes: two ’) up to the cut.
    cut = text.index("to California’s critical infrastructure") + len(
        "to California’s critical infrastructure"
    )
    problem = refusal(text[:cut], INTRODUCED)
    assert problem.line == 4 and problem.message.endswith("(column 683)")


def test_an_action_date_that_is_not_a_date_is_refused():
    fixture = FIXTURES / "action-date-not-a-date.xml"
    text = fixture.read_text(encoding="utf-8")
    problem = refusal(text, fixture.name)
    assert (problem.file, problem.line) == ("action-date-not-a-date.xml", 5)
    assert problem.message == "caml:ActionDate 'January 7, 2025' is not a date (YYYY-MM-DD)"
    # The same file with a date is a bill: the date was all that was wrong.
    fixed = read_version(text.replace("January 7, 2025", "2025-01-07"), fixture.name)
    assert (fixed.identifier, fixed.date, fixed.label) == ("SB 53", "2025-01-07", "Introduced")


def test_an_entity_bomb_is_refused_at_once():
    # Nine levels of ten: a billion "lol"s if expanded. The reader refuses the document type
    # at its line (2) before the parser sees it.
    fixture = FIXTURES / "billion-laughs.xml"
    started = time.perf_counter()
    problem = refusal(fixture.read_text(encoding="utf-8"), fixture.name)
    assert time.perf_counter() - started < 1.0
    assert (problem.file, problem.line) == ("billion-laughs.xml", 2)
    assert problem.message.startswith("declares a document type (<!DOCTYPE>)")
    assert "lol" not in problem.message


def test_a_document_type_declaring_an_entity_is_refused():
    text = (
        text_of(INTRODUCED)
        .replace(
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE caml:MeasureDoc [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
            1,
        )
        .replace("Artificial intelligence: frontier models.", "&lol2;")
    )
    problem = refusal(text, INTRODUCED)
    assert (problem.file, problem.line) == (INTRODUCED, 1)
    assert problem.message == (
        "declares a document type (<!DOCTYPE>): bill files are read without one"
    )


def test_an_external_entity_is_refused_and_never_read():
    fixture = FIXTURES / "external-entity.xml"
    problem = refusal(fixture.read_text(encoding="utf-8"), fixture.name)
    assert (problem.file, problem.line) == ("external-entity.xml", 2)  # where its DOCTYPE is
    assert "declares a document type (<!DOCTYPE>)" in problem.message
    assert "root:" not in problem.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe (POSIX)")
def test_an_external_entity_file_is_never_opened(tmp_path: Path):
    # The entity names a named pipe: opening it for reading is something we can see from
    # here (a writer can open it only while a reader has it open), and a reader that opened
    # it would get a marker to give itself away.
    pipe = tmp_path / "secret"
    os.mkfifo(pipe)
    opened = threading.Event()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            try:
                fd = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: no one is reading it
                time.sleep(0.005)
                continue
            opened.set()
            os.write(fd, b"SECRET-MARKER")
            os.close(fd)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    text = (FIXTURES / "external-entity.xml").read_text(encoding="utf-8")
    text = text.replace("file:///etc/passwd", pipe.as_uri())
    try:
        problem = refusal(text, "external-entity.xml")
        time.sleep(0.05)  # time for the watcher to see a reader that came late
    finally:
        done.set()
        watcher.join(timeout=5)
    assert not opened.is_set(), "the parser opened the file an external entity names"
    assert "SECRET-MARKER" not in problem.message
