"""Hostile bill files, version folders and version texts: each test is one way a file could try
to make the tool read, write or fetch what it should not, run without end, mislead a reader of
the diff page, or fail with a traceback instead of one line saying what to fix.

Each starts from a real input (SB 53's official caml versions, a GPO USLM bill, the small
leginfo page of tests/fixtures/import_bill) changed in the one way the test is about, or from a
small fixture in tests/fixtures/ named for the case.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graph.billformats import parse_xml, read_version
from graph.errors import InputError

from .conftest import FIXTURES, SHARED_DATA

SB53 = SHARED_DATA / "sb53" / "versions"
INTRODUCED = SB53 / "01-2025-01-07-introduced.xml"
FEB_27 = SB53 / "02-2025-02-27-amended-senate.xml"
CHAPTERED = SB53 / "10-2025-09-29-chaptered.xml"
USLM = SHARED_DATA / "uslm" / "S3874_IS.XML"
CAML = FIXTURES / "caml"
PAGES = FIXTURES / "import_bill"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def refusal(text: str, name: str = "bill.xml"):
    """The one problem reading ``text`` as a bill gives (it must give exactly one)."""
    with pytest.raises(InputError) as info:
        read_version(text, name)
    (problem,) = info.value.problems
    return problem


def real(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- document types: entity bombs, external entities ------------------------------------------


def test_an_entity_bomb_is_refused_at_the_line_of_its_doctype():
    # The DOCTYPE opens line 2 of the fixture; libxml2 stops the expansion itself, but at a
    # line and column that are not where the bomb is (line 1, column 7).
    fixture = CAML / "billion-laughs.xml"
    started = time.perf_counter()
    problem = refusal(real(fixture), fixture.name)
    assert time.perf_counter() - started < 1.0
    assert (problem.file, problem.line) == ("billion-laughs.xml", 2)
    assert problem.message.startswith("declares a document type (<!DOCTYPE>)")
    assert "lol" not in problem.message


def test_a_doctype_after_comments_and_processing_instructions_is_named_at_its_line():
    text = real(INTRODUCED).replace(
        DECLARATION,
        DECLARATION + '\n<!-- a\ncomment -->\n<?xml-stylesheet href="x.css"?>\n<!DOCTYPE x [\n'
        '<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>\n',
        1,
    )
    problem = refusal(text)
    assert problem.line == 5
    assert problem.message.startswith("declares a document type (<!DOCTYPE>)")


def test_doctype_words_inside_a_comment_are_no_document_type():
    text = real(INTRODUCED).replace(
        DECLARATION, DECLARATION + "<!-- <!DOCTYPE is only words here -->", 1
    )
    assert read_version(text, "bill.xml").identifier == "SB 53"


def test_looking_for_a_doctype_among_many_processing_instructions_takes_no_time():
    # The prolog is read once, left to right: many unclosed things before the root cost no
    # more than reading them.
    text = DECLARATION + "<?a?>" * 200_000 + "<!--" + " " * 200_000
    started = time.perf_counter()
    with pytest.raises(InputError) as info:
        parse_xml(text, "bill.xml")
    assert time.perf_counter() - started < 2.0
    (problem,) = info.value.problems
    assert "is not well-formed XML" in problem.message


def test_an_encoding_declaration_does_not_change_how_the_words_are_read():
    # The file was read as UTF-8 (the only encoding the tool reads); a declaration that says
    # otherwise must not make the parser read the same bytes as Latin-1 (what is checked is
    # what is parsed).
    text = (
        real(INTRODUCED)
        .replace(DECLARATION, '<?xml version="1.0" encoding="ISO-8859-1"?>', 1)
        .replace("Artificial intelligence: frontier models", "Intelligence artificielle: modèles")
    )
    assert read_version(text, "bill.xml").title == "Intelligence artificielle: modèles"


def test_a_nul_character_is_one_line_naming_where_it_is():
    text = real(INTRODUCED).replace("Artificial", "Arti\x00ficial", 1)
    problem = refusal(text)
    assert problem.line == 3
    assert "\n" not in problem.message
    assert problem.message.startswith("is not well-formed XML: Invalid character")


# --- import-bill writes inside the corpus only ------------------------------------------------


def uslm_version(date: str, stage: str = "Introduced in Senate") -> str:
    """S. 3874 as introduced, with the date its action gives and the stage its meta names."""
    return (
        real(USLM)
        .replace('<date date="2020-06-03">', f'<date date="{date}">', 1)
        .replace("<docStage>Introduced in Senate</docStage>", f"<docStage>{stage}</docStage>", 1)
    )


def test_a_version_date_that_climbs_out_of_texts_writes_nothing_anywhere(tmp_path: Path):
    # Two versions of one date whose labels make one id: the second id took the date, and the
    # date was the file's own words: texts/s3874/<id>-x/../../../../escaped.txt is beside the
    # corpus, not in it.
    from click.testing import CliRunner

    from graph.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    climb = "x/../../../../escaped"
    (folder / "a.xml").write_text(uslm_version(climb), encoding="utf-8")
    (folder / "b.xml").write_text(uslm_version(climb, "Introduced in Senate."), encoding="utf-8")
    out = tmp_path / "corpus" / "bills" / "s3874.yaml"
    result = CliRunner().invoke(main, ["import-bill", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.parent != folder)
    assert written == [Path("in")], written
    lines = result.stderr.splitlines()
    assert any(
        "a.xml:" in line and f"<date date='{climb}'>" in line and "YYYY-MM-DD" in line
        for line in lines
    ), lines


def test_a_uslm_date_that_is_not_a_date_is_refused_at_its_line():
    problem = refusal(uslm_version("2020-13-45"), "S3874_IS.XML")
    text = real(USLM)
    assert problem.line == text[: text.index('<date date="2020-06-03">')].count("\n") + 1
    assert problem.message == (
        "<date date='2020-13-45'> is not a date: write it as YYYY-MM-DD, such as 2020-06-03"
    )


@pytest.mark.parametrize("when", ["2025-W02-2", "20250107", "2025-007"])
def test_a_caml_action_date_in_another_iso_form_is_refused(when: str):
    # Python reads these as dates too; the bill file, the version's id and the name of its
    # text file want YYYY-MM-DD.
    text = real(FEB_27).replace(
        "<caml:ActionDate>2025-02-27</caml:ActionDate>",
        f"<caml:ActionDate>{when}</caml:ActionDate>",
    )
    problem = refusal(text)
    assert problem.message == f"caml:ActionDate {when!r} is not a date (YYYY-MM-DD)"


@pytest.mark.parametrize("command", ["import-bill", "diff"])
def test_a_version_in_a_folder_that_links_out_of_it_is_refused_unread(tmp_path: Path, command):
    # The folder is what the user named; a link in it to a file elsewhere (here a bill whose
    # XML is broken, so that a parser's message would show its words) is not read.
    from click.testing import CliRunner

    from graph.cli import main

    folder, outside = tmp_path / "versions", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "01.xml").write_text(real(INTRODUCED), encoding="utf-8")
    secret = outside / "secret.xml"
    secret.write_text(real(FEB_27)[:5000] + "SECRET-MARKER</x>", encoding="utf-8")
    (folder / "02.xml").symlink_to(Path("..") / "outside" / "secret.xml")
    args = [command, str(folder)]
    if command == "import-bill":
        args += ["-o", str(tmp_path / "c" / "bills" / "sb53.yaml")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "SECRET-MARKER" not in result.output
    assert "Traceback" not in result.output
    (line,) = [line for line in result.stderr.splitlines() if "02.xml" in line]
    assert "resolves outside" in line and str(folder) in line
    assert not (tmp_path / "c").exists()


# --- numbers, dates and names that only look right -------------------------------------------


@pytest.mark.parametrize(
    ("element", "value"),
    [
        ("SessionYear", "²⁰²⁵"),  # superscript digits: str.isdigit() says yes, int() says no
        ("MeasureNum", "５３"),  # fullwidth: "SB ５３", whose id would be "sb"
        ("MeasureNum", "53\u200b"),  # a zero-width space after the number
    ],
)
def test_a_caml_number_in_other_digits_is_refused(element: str, value: str):
    text = real(INTRODUCED)
    original = {"SessionYear": "2025", "MeasureNum": "53"}[element]
    text = text.replace(
        f"<caml:{element}>{original}</caml:{element}>", f"<caml:{element}>{value}</caml:{element}>"
    )
    problem = refusal(text)
    assert problem.message == "caml:SessionYear and caml:MeasureNum must be numbers (0-9)"


def test_a_caml_version_number_in_other_digits_is_refused():
    text = real(INTRODUCED).replace(
        "<caml:VersionNum>99</caml:VersionNum>", "<caml:VersionNum>⁹⁹</caml:VersionNum>"
    )
    problem = refusal(text)
    assert problem.message == "caml:VersionNum '⁹⁹' must be a number (0-9), such as 98"


@pytest.mark.parametrize("measure", ["../SB", "S B", "sb", "SB\u202e"])
def test_a_caml_measure_type_that_is_not_a_measure_type_is_refused(measure: str):
    text = real(INTRODUCED).replace(
        "<caml:MeasureType>SB</caml:MeasureType>", f"<caml:MeasureType>{measure}</caml:MeasureType>"
    )
    problem = refusal(text)
    assert problem.message == (
        f"caml:MeasureType {measure!r} is not a type of measure: capital letters, such as SB or ACR"
    )


def test_a_leginfo_version_menu_date_that_is_no_day_is_one_problem_at_its_line():
    from graph.import_bill import import_bill

    page = real(PAGES / "small-bill.html").replace("03/10/25", "13/45/25")
    for read in (import_bill, read_version):
        with pytest.raises(InputError) as info:
            read(page, name="small-bill.html") if read is import_bill else read(
                page, "small-bill.html"
            )
        (problem,) = info.value.problems
        assert (problem.file, problem.line) == ("small-bill.html", 9)
        assert problem.message == (
            "the version menu's '13/45/25 - Amended Assembly' has no such date "
            "(MM/DD/YY): save the page again from leginfo"
        )


def test_a_uslm_citation_in_fullwidth_digits_is_no_citation():
    # "116 S. ３８７４ IS" looks like S. 3874 and is not; the preface's "S." and "3874" name it.
    text = real(USLM).replace(
        "<citableAs>116 S. 3874 IS</citableAs>", "<citableAs>116 S. ３８７４ IS</citableAs>"
    )
    text = text.replace(
        "<citableAs>116 S 3874 IS</citableAs>", "<citableAs>116 S ３８７４ IS</citableAs>"
    )
    version = read_version(text, "S3874_IS.XML")
    assert version.identifier == "S. 3874"
    # With the preface's number in fullwidth digits too, the file names no bill.
    text = text.replace("<docNumber>3874</docNumber>", "<docNumber>３８７４</docNumber>")
    assert refusal(text, "S3874_IS.XML").message.startswith("names no bill")


def test_a_leginfo_page_in_fullwidth_digits_names_no_bill():
    from graph.import_bill import import_bill

    page = real(PAGES / "small-bill.html")
    page = page.replace("AB-12 Widget", "AB-１２ Widget").replace(
        "bill_id=202520260AB12", "bill_id=２０２５２０２６０AB12"
    )
    bill = import_bill(page, name="small-bill.html")
    assert "identifier" not in bill and "local_id" not in bill


# --- Legislative Counsel's marks: read once, by the parser, in time that grows with the file ---


def line_of(text: str, snippet: str) -> int:
    return text[: text.index(snippet)].count("\n") + 1


def test_insertion_marks_that_never_close_are_refused_at_once():
    # Each unclosed mark made the reader look for its end to the end of the file: 8,000 of
    # them took 9 s, 20,000 would take a minute.
    text = real(FEB_27)
    text = text.replace("</caml:Bill>", "<?xm-insertion_mark_start?>" * 20_000 + "</caml:Bill>")
    started = time.perf_counter()
    problem = refusal(text)
    assert time.perf_counter() - started < 2.0
    assert problem.line == line_of(text, "<?xm-insertion_mark_start?>" * 20_000)
    assert problem.message.startswith("<?xm-insertion_mark_start?> opens inserted text inside")


def test_an_insertion_mark_that_never_closes_is_one_problem_at_its_line():
    text = real(FEB_27)
    text = text.replace("</caml:Bill>", "\n<?xm-insertion_mark_start?></caml:Bill>")
    problem = refusal(text)
    assert problem.line == line_of(text, "\n<?xm-insertion_mark_start?></caml:Bill>") + 1
    assert problem.message == (
        "<?xm-insertion_mark_start?> opens inserted text that never closes: add "
        "<?xm-insertion_mark_end?> where it ends"
    )


def test_an_insertion_end_that_closes_nothing_is_one_problem_at_its_line():
    text = real(CHAPTERED)
    at = text.index("This chapter shall be known as")
    text = text[:at] + "\n<?xm-insertion_mark_end?>" + text[at:]
    problem = refusal(text)
    assert problem.line == line_of(text, "\n<?xm-insertion_mark_end?>") + 1
    assert problem.message == (
        "<?xm-insertion_mark_end?> closes no inserted text: no <?xm-insertion_mark_start?> "
        "before it is open"
    )


@pytest.mark.parametrize(
    "hidden",
    [
        # Marks in comments: no mark to a parser, but they hid HIDDEN from the text before.
        "<!-- <?xm-insertion_mark_start?> -->HIDDEN<!-- <?xm-insertion_mark_end?> -->",
        # A deletion mark whose data holds "?>": the parser ends the mark there.
        '<?xm-deletion_mark data="a?>b"?>',
        # A mark in a CDATA section is words.
        '<![CDATA[<?xm-deletion_mark data="&lt;p&gt;GHOST&lt;/p&gt;"?>]]>',
    ],
)
def test_a_mark_the_parser_does_not_read_as_one_is_refused(hidden: str):
    # The version read as amended (by the parser) and as it read before (by the marks in the
    # file's text) must be read from the same marks.
    text = real(FEB_27)
    at = text.index("<caml:Bill ")
    text = text[:at] + "\n" + text[at:]
    at = text.index("</caml:Bill>")
    text = text[:at] + f"<p>{hidden}</p>" + text[at:]
    problem = refusal(text)
    assert problem.line == line_of(text, hidden)
    assert problem.message.startswith("holds a mark of struck or inserted text that is not one")


def test_struck_text_that_breaks_the_bill_is_refused_at_the_line_of_its_mark():
    text = real(CHAPTERED)
    at = text.index("This chapter shall be known as")
    text = text[:at] + '\n<?xm-deletion_mark data="&lt;/caml:Bill&gt;"?>' + text[at:]
    problem = refusal(text, "ch.xml")
    assert (problem.file, problem.line) == ("ch.xml", line_of(text, "<?xm-deletion_mark"))
    assert problem.message.startswith(
        "is not well-formed XML as it read before the amendment (its struck text put back): "
        "Opening and ending tag mismatch"
    )


def test_struck_text_that_leaves_no_bill_is_refused_by_marked_words():
    from graph.billformats.caml import marked_words

    text = (
        real(CHAPTERED)
        .replace("<caml:Bill ", '<?xm-deletion_mark data="&lt;!--"?><caml:Bill ', 1)
        .replace("</caml:Bill>", '</caml:Bill><?xm-deletion_mark data="--&gt;"?>')
    )
    with pytest.raises(InputError) as info:
        marked_words(text, "ch.xml")
    (problem,) = info.value.problems
    assert problem.message == "its marks leave no caml:Bill to read"


def test_a_code_section_of_many_paragraphs_reads_in_time_that_grows_with_it():
    # Each paragraph walked every part of its code section again: 8,000 took 23 s.
    text = real(CHAPTERED)
    at = text.index("<p>(a)<span")
    many = "".join(f"<p>({n}) Words of paragraph {n}.</p>" for n in range(1, 8_001))
    started = time.perf_counter()
    version = read_version(text[:at] + many + text[at:], "ch.xml")
    assert time.perf_counter() - started < 3.0
    assert len(list(version.walk())) == len(list(read_version(text, "ch.xml").walk())) + 8_000


# --- nesting ------------------------------------------------------------------------------------


def uslm_nested(levels: int) -> str:
    """S. 3874 with one more section, of sections nested ``levels`` deep (a section is cited
    on its own, "Sec. 7", so that their citations stay short)."""
    text = real(USLM)
    at = text.index('<section identifier="/us/bill/116/s/3874/s2"')
    deep = "".join(
        f'<section><num value="{k}">Sec. {k}.</num><content>Words.</content>'
        for k in range(100, 100 + levels)
    )
    section = f'<section><num value="99">Sec. 99.</num>{deep}{"</section>" * levels}</section>'
    return text[:at] + "\n" + section + text[at:]


def test_parts_nested_deeper_than_any_bill_are_one_problem_not_a_recursion_error(tmp_path: Path):
    # 240 levels are within what the XML parser allows (256); writing the bill file of them
    # overflowed Python's stack (RecursionError from yaml).
    from click.testing import CliRunner

    from graph.cli import main

    text = uslm_nested(240)
    problem = refusal(text, "deep.xml")
    assert problem.line == line_of(text, '<section><num value="99">') + 0
    assert problem.message == (
        "has parts nested 241 levels deep; a bill's parts nest at most 32 levels deep"
    )
    (tmp_path / "deep.xml").write_text(text, encoding="utf-8")
    out = tmp_path / "c" / "bills" / "s3874.yaml"
    result = CliRunner().invoke(main, ["import-bill", str(tmp_path / "deep.xml"), "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "RecursionError" not in result.output
    assert "nested 241 levels deep" in result.stderr
    assert not out.parent.parent.exists()


def test_parts_nested_as_deep_as_a_bill_may_be_are_read():
    version = read_version(uslm_nested(31), "deep.xml")
    deepest, part = 1, next(p for p in version.parts if p.cite == "Sec. 99")
    while part.parts:
        deepest, part = deepest + 1, part.parts[0]
    assert (deepest, part.cite) == (32, "Sec. 130")


# --- a corpus's version texts -----------------------------------------------------------------

VERSIONED = """versions:
  - id: introduced
    label: Introduced
    date: 2025-01-06
    source: https://example.org/bills/ab1/introduced
    text: ../texts/ab1/introduced.txt
    sections:
      - cite: SEC. 1
        label: SECTION 1.
        parts:
          - label: (a)
"""


def versioned_corpus(tmp_path: Path, text: bytes) -> tuple[Path, Path]:
    """A copy of the minimal corpus whose bill's one version has a tree of two parts and the
    text ``text`` (texts/ab1/introduced.txt); the corpus and the text's path."""
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpora" / "minimal", corpus)
    bill = corpus / "bills" / "ab1.yaml"
    old = bill.read_text(encoding="utf-8")
    start = old.index("versions:\n")
    end = old.index("sections_source:")
    bill.write_text(old[:start] + VERSIONED + old[end:], encoding="utf-8")
    path = corpus / "texts" / "ab1" / "introduced.txt"
    path.parent.mkdir()
    path.write_bytes(text)
    return corpus, path


def version_parts(corpus: Path) -> list[tuple[str, str]]:
    from graph import load_corpus

    (bill,) = load_corpus(corpus).bills
    return [(p.citation, p.text) for p in bill.versions[0].parts]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\ufffe"])
def test_a_version_text_with_a_control_character_is_one_problem_at_its_line(tmp_path, char):
    # A part's words go into the graph, the diff page and the terminal's diff: a NUL or an
    # escape sequence in them is no word of a bill.
    text = f"SECTION 1. Makers register.\n(a) Fees{char}[31m are small.\n".encode()
    corpus, path = versioned_corpus(tmp_path, text)
    with pytest.raises(InputError) as info:
        version_parts(corpus)
    (problem,) = info.value.problems
    assert (Path(problem.file).resolve(), problem.line) == (path.resolve(), 2)
    assert f"U+{ord(char):04X}" in problem.message and "remove it" in problem.message


def test_a_version_text_saved_with_a_byte_order_mark_reads_as_without(tmp_path):
    corpus, _ = versioned_corpus(tmp_path, b"\xef\xbb\xbfSECTION 1. Makers register.\n(a) Fees.\n")
    assert version_parts(corpus) == [
        ("SEC. 1", "SECTION 1. Makers register."),
        ("SEC. 1(a)", "(a) Fees."),
    ]


def test_a_version_text_saved_with_windows_line_ends_reads_as_without(tmp_path):
    corpus, _ = versioned_corpus(tmp_path, b"SECTION 1. Makers register.\r\n(a) Fees.\r\n")
    assert version_parts(corpus) == [
        ("SEC. 1", "SECTION 1. Makers register."),
        ("SEC. 1(a)", "(a) Fees."),
    ]


# --- the diff: time that grows with the words, text that stays words -------------------------


def two_letter_words(n: int, seed: int) -> str:
    """``n`` words of a two-word vocabulary: each word of one side equals half the other's,
    the worst case for aligning them (8,000 took 13 s)."""
    import random

    pick = random.Random(seed)
    return " ".join(pick.choice(["x", "y"]) for _ in range(n))


def test_a_part_of_many_repeated_words_is_compared_in_time_that_grows_with_it():
    from graph.diff import compare, word_diff

    before = "(a) " + two_letter_words(8_000, 1)
    after = "(a) " + two_letter_words(8_000, 2)
    started = time.perf_counter()
    (change,) = compare([("1(a)", before)], [("1(a)", after)])
    diff = word_diff("keep " + before + " end", "keep " + after + " end")
    assert time.perf_counter() - started < 2.0
    # Still a diff that says what each side holds.
    assert change.kind == "changed"
    kept = lambda ops, op: " ".join(w for o, w in ops if o in ("=", op)).split()  # noqa: E731
    assert kept(diff.ops, "-") == ("keep " + before + " end").split()
    assert kept(diff.ops, "+") == ("keep " + after + " end").split()
    assert diff.ops[0][0] == "=" and diff.ops[0][1].startswith("keep (a)")
    assert diff.ops[-1][0] == "=" and diff.ops[-1][1].endswith("end")


def test_many_parts_of_repeated_words_are_compared_in_time_that_grows_with_them():
    from graph.diff import compare

    before = [(f"1({n})", f"({n}) " + two_letter_words(400, n)) for n in range(300)]
    after = [(f"1({n})", f"({n}) " + two_letter_words(400, n + 1000)) for n in range(300)]
    started = time.perf_counter()
    changes = compare(before, after)
    assert time.perf_counter() - started < 4.0
    assert len(changes) == 300


def test_a_bill_file_whose_words_hold_a_control_character_is_refused_at_its_part():
    # An HTML page may hold ESC as it stands; XML 1.0 allows DEL. A corpus text may hold
    # neither (its loader refuses them), so a version that does is refused as it is read.
    page = real(PAGES / "small-bill.html").replace("Widgets are everywhere.", "Widgets\x1b[2J.")
    problem = refusal(page, "small-bill.html")
    assert problem.file == "small-bill.html"
    assert "U+001B, a control character" in problem.message
    assert "SEC. 1(a)" in problem.message
    text = real(CHAPTERED).replace(
        "This chapter shall be known", "This&#x7f; chapter shall be known"
    )
    problem = refusal(text, "ch.xml")
    assert problem.line == line_of(text, "This&#x7f;")
    assert "U+007F" in problem.message and "22757.10" in problem.message


def amendment_with(words: str):
    from graph.diff import Version, amendments

    v1 = Version("v1", "Introduced", "2025-01-07", (("SEC. 1", "SEC. 1. Fees are small."),))
    v2 = Version("v2", f"Amended {words}", "2025-02-27", (("SEC. 1", f"SEC. 1. Fees {words}."),))
    (found,) = amendments("SB 53", [v1, v2])
    return found


@pytest.mark.parametrize("char", ["\x9b", "\x1b", "\u202e", "\u2066"])
def test_the_terminal_diff_shows_control_and_direction_characters_as_their_names(char: str):
    # C1's CSI (U+009B) drives some terminals as ESC [ does; U+202E turns the words after it
    # around, so that the struck and inserted words read as what they are not.
    from graph.diff import word_diff_text

    for color in (False, True):
        shown = word_diff_text(amendment_with(f"are{char}2Jlarge"), color=color)
        assert char not in shown.replace("\x1b[3", "").replace("\x1b[0m", "")
        assert f"are[U+{ord(char):04X}]2Jlarge" in shown
        assert shown.count("\x1b") == (4 if color else 0)  # its own colours only


@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\u200f", "\x9b"])
def test_the_diff_page_shows_direction_characters_as_their_names(char: str):
    from graph.diffview import render_diff_html

    page = render_diff_html([amendment_with(f"are{char}large")])
    assert char not in page
    assert f"are[U+{ord(char):04X}]large" in page


# --- leginfo's page ---------------------------------------------------------------------------


def test_a_page_of_unclosed_tags_and_stray_end_tags_is_read_in_time_that_grows_with_it():
    # Each stray end tag looked for its start among every tag open: 40,000 of each took 16 s.
    from graph.import_bill import import_bill

    page = real(PAGES / "small-bill.html")
    at = page.index("(a) Widgets")
    page = page[:at] + "<span>" * 40_000 + "</b>" * 40_000 + page[at:]
    started = time.perf_counter()
    bill = import_bill(page, name="small-bill.html")
    assert time.perf_counter() - started < 3.0
    assert bill["identifier"] == "AB 12"


def test_every_part_renumbered_is_compared_in_time_that_grows_with_the_parts():
    # Each leftover part rebuilt the set of paired ones: 20,000 parts renumbered took 21 s
    # (now about 1 s).
    from graph.diff import compare

    before = [(f"Sec. {n}", f"({n}) Words of part {n}.") for n in range(20_000)]
    after = [(f"Sec. {n}A", f"({n}A) Words of part {n}.") for n in range(20_000)]
    started = time.perf_counter()
    changes = compare(before, after)
    assert time.perf_counter() - started < 4.0
    assert {c.kind for c in changes} == {"renumbered"}
    assert changes[7].before == "Sec. 7" and changes[7].after == "Sec. 7A"


def uslm_with_sections(sections: str) -> str:
    text = real(USLM)
    at = text.index('<section identifier="/us/bill/116/s/3874/s2"')
    return text[:at] + sections + text[at:]


def test_a_uslm_bill_a_committee_amended_reads_in_time_that_grows_with_its_sections():
    # Each section the amendment kept was looked for among all the sections: with 12,000 of
    # them it took 12 s (20,000: 29 s), now 3 s, the time of reading them.
    sections = '<section changed="added"><num value="99">Sec. 99.</num></section>' + "".join(
        f'<section><num value="{n}">Sec. {n}.</num></section>' for n in range(100, 12_100)
    )
    started = time.perf_counter()
    version = read_version(uslm_with_sections(sections), "S3874_RS.XML")
    assert time.perf_counter() - started < 6.0
    assert len(version.parts) == 12_007


def test_a_section_a_committee_struck_whole_stands_after_the_one_it_followed():
    sections = "".join(
        f'<section changed="added"><num value="{n}">Sec. {n}.</num><content>New.</content>'
        f'</section><section changed="deleted"><num value="{n}d">Sec. {n}d.</num><content>Old.'
        f'</content></section><section><num value="{n}b">Sec. {n}b.</num><content>Kept.'
        "</content></section>"
        for n in (100, 101)
    )
    version = read_version(uslm_with_sections(sections), "S3874_RS.XML")
    shown = [(p.cite, p.text, p.before) for p in version.parts[2:8]]
    assert shown == [
        ("Sec. 100d", "", "Sec. 100d. Old."),
        ("Sec. 100", "Sec. 100. New.", ""),
        ("Sec. 100b", "Sec. 100b. Kept.", "Sec. 100b. Kept."),
        ("Sec. 101d", "", "Sec. 101d. Old."),
        ("Sec. 101", "Sec. 101. New.", ""),
        ("Sec. 101b", "Sec. 101b. Kept.", "Sec. 101b. Kept."),
    ]


def test_diff_of_a_bill_file_outside_a_corpus_reads_nothing_beside_its_folder(tmp_path: Path):
    # A bill file someone sent, saved in Downloads: its versions' texts named ../.env, which
    # the loader read (the folder above the bill's was taken for its corpus) and showed the
    # first 40 characters of, in the message that the text does not match the version.
    from click.testing import CliRunner

    from graph.cli import main

    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    (home / ".env").write_text("API_KEY=sk-SECRET-MARKER\n", encoding="utf-8")
    version = (
        "  - {{id: {id}, label: {id}, date: {date}, source: https://example.org/{id},\n"
        "     text: ../.env, sections: [{{cite: SEC. 1, label: SECTION 1.}}]}}\n"
    )
    (home / "Downloads" / "ab1.yaml").write_text(
        "id: ab1\nidentifier: AB 1\ntitle: An act\njurisdiction: US-CA\nsession: 2025-2026\n"
        "source: https://example.org/ab1\nversions:\n"
        + version.format(id="introduced", date="2025-01-06")
        + version.format(id="amended", date="2025-02-06"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["diff", str(home / "Downloads" / "ab1.yaml")])
    assert result.exit_code == 1
    assert "SECRET" not in result.output
    assert "resolves outside the corpus folder" in result.stderr


def test_import_bill_writes_no_text_through_a_link_out_of_the_corpus(tmp_path: Path):
    # A corpus someone shared, whose texts/sb53 is a link to a folder elsewhere: the versions'
    # texts overwrote the files of that folder that had their names.
    from click.testing import CliRunner

    from graph.cli import main

    corpus, victim = tmp_path / "corpus", tmp_path / "victim"
    (corpus / "texts").mkdir(parents=True)
    victim.mkdir()
    (victim / "introduced.txt").write_text("precious\n", encoding="utf-8")
    (corpus / "texts" / "sb53").symlink_to(Path("..") / ".." / "victim")
    out = corpus / "bills" / "sb53.yaml"
    result = CliRunner().invoke(main, ["import-bill", str(SB53), "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (victim / "introduced.txt").read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in victim.iterdir()) == ["introduced.txt"]
    assert not out.exists()
    assert "resolves outside the corpus folder" in result.stderr


# --- citations: each part's is its parent's and its own, so a long one is copied into all ----

LONG = "9" * 100_000


def test_a_uslm_number_that_makes_an_endless_citation_is_refused_before_it_is_copied():
    # A number of 100,000 digits over 2,000 subsections: each subsection's citation holds it,
    # 200 MB of citations from a file of 0.3 MB.
    text = real(USLM)
    at = text.index('<section identifier="/us/bill/116/s/3874/s2"')
    subsections = "".join(
        f'<subsection><num value="{n}">({n})</num><content>x</content></subsection>'
        for n in range(2_000)
    )
    section = f'\n<section><num value="{LONG}">Sec. 9.</num>{subsections}</section>'
    text = text[:at] + section + text[at:]
    started = time.perf_counter()
    problem = refusal(text, "S3874_IS.XML")
    assert time.perf_counter() - started < 1.0
    assert problem.line == line_of(text, section.strip())
    assert problem.message.startswith("part 'Sec. 99999")
    assert "has a citation of 100,005 characters; a citation is at most 300" in problem.message
    assert len(problem.message) < 300


def test_a_caml_bill_section_number_that_makes_an_endless_citation_is_refused():
    text = real(CHAPTERED).replace(
        "<caml:Num>SEC. 2.</caml:Num>", f"<caml:Num>SEC. {LONG}.</caml:Num>"
    )
    problem = refusal(text, "ch.xml")
    assert "has a citation of 100,005 characters" in problem.message
    assert problem.line == line_of(text, f"SEC. {LONG}")


def test_a_leginfo_section_number_that_makes_an_endless_citation_is_refused():
    page = real(PAGES / "small-bill.html").replace(">SEC. 2.</h3>", f">SEC. {LONG}.</h3>")
    problem = refusal(page, "small-bill.html")
    assert "has a citation of 100,005 characters" in problem.message


def test_a_bill_file_whose_citations_grow_without_end_is_one_problem(tmp_path: Path):
    # The loader makes each part's citation from its parent's and its label: a cite of
    # 100,000 characters over 2,000 parts made 200 MB of citations of a 0.1 MB file.
    corpus, _ = versioned_corpus(tmp_path, b"SECTION 1. Makers register.\n(a) Fees.\n")
    bill = corpus / "bills" / "ab1.yaml"
    parts = ", ".join(f"{{label: ({n})}}" for n in range(2_000))
    text = bill.read_text(encoding="utf-8").replace(
        "events:\n",
        f"  - cite: SEC. {LONG}\n    label: SEC. 2.\n    parts: [{parts}]\nevents:\n",
        1,
    )
    bill.write_text(text, encoding="utf-8")
    from graph import load_corpus

    with pytest.raises(InputError) as info:
        load_corpus(corpus)
    messages = [p.message for p in info.value.problems]
    assert any("has a citation of 100,005 characters" in m for m in messages), messages
    assert all(len(m) < 400 for m in messages)


@pytest.mark.parametrize(
    ("old", "new", "limit"),
    [
        ("    label: Introduced\n", f"    label: {'L' * 100_000}\n", 200),
        ("identifier: AB 1\n", f"identifier: AB {'1' * 100_000}\n", 100),
        ("  - id: introduced\n", f"  - id: {'v' * 100_000}\n", 100),
        ("id: ab1\n", f"id: ab{'1' * 100_000}\n", 100),
    ],
)
def test_a_bill_name_copied_into_every_part_is_of_bounded_length(tmp_path: Path, old, new, limit):
    # The bill's id and identifier and the version's id and label are in the label or the IRI
    # of each of the version's parts and changes: a label of 100,000 characters over 1,000
    # parts made 101 MB of Turtle and 101 MB of TriG from a corpus of 127 kB.
    corpus, _ = versioned_corpus(tmp_path, b"SECTION 1. Makers register.\n(a) Fees.\n")
    bill = corpus / "bills" / "ab1.yaml"
    text = bill.read_text(encoding="utf-8")
    assert old in text
    bill.write_text(text.replace(old, new, 1), encoding="utf-8")
    from graph import load_corpus

    with pytest.raises(InputError) as info:
        load_corpus(corpus)
    problems = [p for p in info.value.problems if f"more than the {limit}" in p.message]
    assert len(problems) == 1, info.value.problems
    (problem,) = problems
    assert problem.line == text[: text.index(old)].count("\n") + 1
    assert " characters long, more than the " in problem.message
    assert len(problem.message) < 200


def test_a_version_label_too_long_for_a_bill_file_is_refused_as_it_is_read():
    text = real(USLM).replace(
        "<docStage>Introduced in Senate</docStage>", f"<docStage>{'Introduced ' * 30}</docStage>"
    )
    problem = refusal(text, "S3874_IS.XML")
    assert problem.message == (
        "its label ('Introduced Introduced Introduced Introdu...') is 329 characters long, "
        "more than the 200 a version's label may be"
    )


# --- ids: one citation, one part ----------------------------------------------------------------


def test_two_parts_of_one_version_with_one_citation_are_refused_at_the_second():
    # The diff pairs parts by citation: the second SEC. 2 hid the first.
    text = real(CHAPTERED).replace("<caml:Num>SEC. 3.</caml:Num>", "<caml:Num>Sec. 2.</caml:Num>")
    problem = refusal(text, "ch.xml")
    first = line_of(text, "<caml:Num>SEC. 2.</caml:Num>")
    assert problem.line == line_of(real(CHAPTERED), "<caml:Num>SEC. 3.</caml:Num>")
    assert problem.message == (
        f"part 'SEC. 2' has the citation of part 'SEC. 2' at line {first}: two parts of one "
        "version need two citations (the graph tells them by their letters and digits)"
    )


def test_two_parts_whose_citations_differ_only_in_punctuation_are_refused():
    # The graph names a part by its citation's letters and digits: "(2.)" is "(2)" there.
    text = real(USLM).replace('<num value="3">', '<num value="2.">', 1)
    problem = refusal(text, "S3874_IS.XML")
    assert problem.message.startswith(
        "part 'Sec. 2(f)(2.)' has the citation of part 'Sec. 2(f)(2)'"
    )


# --- what the command line prints ---------------------------------------------------------------


def test_an_error_line_holds_no_line_break_or_control_character_from_a_file(tmp_path: Path):
    # A history action's words are in the message that two versions' histories disagree: a
    # line feed in them printed a second "error:" line of the file's making, and U+009B (a
    # terminal's CSI) or U+202E reached the terminal as they are.
    from click.testing import CliRunner

    from graph.cli import main

    folder = tmp_path / "versions"
    folder.mkdir()
    (folder / "01.xml").write_text(real(INTRODUCED), encoding="utf-8")
    later = real(FEB_27).replace(
        "<caml:ActionText>INTRODUCED</caml:ActionText>",
        "<caml:ActionText>INTRODUCED&#10;error: all is well&#x9b;2J\u202e</caml:ActionText>",
        1,
    )
    (folder / "02.xml").write_text(later, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["import-bill", str(folder), "-o", str(tmp_path / "c" / "bills" / "sb53.yaml")]
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines  # the problem, and "1 problem found"
    assert "its history contradicts" in lines[0]
    assert "INTRODUCED[U+000A]error: all is well[U+009B]2J[U+202E]" in lines[0]
    assert "\x9b" not in result.stderr and "\u202e" not in result.stderr


def test_a_page_file_name_with_a_line_break_adds_nothing_to_the_bill_file(tmp_path: Path):
    # The header says which page the bill came from; a line break in the page's file name
    # (one file in a folder someone shared) made the rest of the name a line of YAML.
    import yaml
    from click.testing import CliRunner

    from graph.cli import main

    folder = tmp_path / "page"
    folder.mkdir()
    (folder / "bill\nauthors: [mallory] #.html").write_text(
        real(PAGES / "small-bill.html"), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["import-bill", str(folder)])
    assert result.exit_code == 0, result.output
    assert "authors" not in yaml.safe_load(result.stdout)
    assert result.stdout.splitlines()[1].startswith("# Imported from bill authors: [mallory]")


def test_a_long_version_label_makes_an_id_a_bill_file_takes():
    # A label of up to 200 characters is a version's; its id is at most 100.
    from graph.import_bill import import_versions

    stage = "Reported in Senate with an amendment in the nature of a substitute " * 2
    text = real(USLM).replace(
        "<docStage>Introduced in Senate</docStage>", f"<docStage>{stage}</docStage>"
    )
    (version,) = import_versions([("S3874_RS.XML", text)]).bill["versions"]
    assert len(version["id"]) <= 100
    assert version["id"].startswith("reported-in-senate-with-an-amendment")
    assert not version["id"].endswith("-")
