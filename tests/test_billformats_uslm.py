"""US Congress bills in USLM 2 read as versions: identity, every section, cites and own words.

The inputs are four real bill versions from the Government Publishing Office (see
shared/data/uslm/README-source.md). What a version should hold is found here with XPath over
the file itself, never with the reader's code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from graph.billformats import Part, VersionText, uslm
from graph.errors import InputError

USLM_DATA = Path(__file__).resolve().parents[1].parent / "shared/data/uslm"
CAML_VERSION = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/sb53/versions/01-2025-01-07-introduced.xml"
)
NS = {"u": "http://schemas.gpo.gov/xml/uslm"}
BILLS = ["S3874_IS.XML", "BILLS-118s1325rs.xml", "H1037_RFS.XML", "S1000_IS.XML"]

#: The sections of the bill as the version reads it: not the law a section quotes, not a table
#: of contents, not the text a committee's amendment strikes.
SECTIONS_AS_READ = (
    "//u:main//u:section[not(ancestor::u:quotedContent)][not(ancestor::u:toc)]"
    "[not(ancestor-or-self::*[@changed='deleted'])]"
)


def read(file_name: str) -> VersionText:
    path = USLM_DATA / file_name
    return uslm.read(path.read_text(encoding="utf-8"), file_name)


def sections_in_file(file_name: str, query: str = SECTIONS_AS_READ) -> list[tuple[str, str]]:
    """(num, heading) of each section the query finds, as printed, white space made one."""
    tree = etree.parse(str(USLM_DATA / file_name))
    return [
        (
            s.xpath("normalize-space(u:num)", namespaces=NS),
            s.xpath("normalize-space(u:heading)", namespaces=NS),
        )
        for s in tree.xpath(query, namespaces=NS)
    ]


def by_cite(version: VersionText) -> dict[str, Part]:
    return {p.cite: p for p in version.walk()}


@pytest.mark.parametrize(
    ("file_name", "count"),
    [("S3874_IS.XML", 6), ("BILLS-118s1325rs.xml", 10), ("H1037_RFS.XML", 5), ("S1000_IS.XML", 2)],
)
def test_every_section_of_the_bill_is_read_with_its_number_and_heading(file_name, count):
    expected = sections_in_file(file_name)
    assert len(expected) == count
    version = read(file_name)
    got = [(p.label, p.heading or "") for p in version.walk() if p.kind == "section"]
    assert got == expected


def test_sections_inside_the_law_a_bill_quotes_are_not_parts_of_the_bill():
    quoted = sections_in_file("S1000_IS.XML", "//u:quotedContent//u:num")
    assert quoted  # S. 1000 quotes a whole new subsection (g) of the Internal Revenue Code
    version = read("S1000_IS.XML")
    assert [p.cite for p in version.walk()] == ["Sec. 1", "Sec. 2"]
    sec2 = by_cite(version)["Sec. 2"]
    # ... but its words are the words of the section that quotes it.
    assert sec2.text.startswith(
        "SEC. 2. Section 1400Z–1 of the Internal Revenue Code of 1986 is amended by adding at "
        "the end the following new subsection: “(g) Additional Designations for Certain "
        "Disaster Areas.— “(1) In general.— Notwithstanding subsection (d), an eligible "
        "population census tract may be designated as a qualified opportunity zone."
    )
    assert sec2.text.endswith(
        "“(iv) in the case of the Camp, Woolsey, and Hill wildfire disaster area, "
        "November 8, 2018.”."
    )
    assert sec2.heading == "ADDITIONAL DESIGNATIONS OF OPPORTUNITY ZONES."
    assert "ADDITIONAL DESIGNATIONS" not in sec2.text


def test_identity_of_a_senate_bill_as_introduced():
    version = read("S3874_IS.XML")
    assert version.identifier == "S. 3874"
    assert version.title == (
        "Making additional supplemental appropriations for disaster relief requirements for "
        "the fiscal year ending September 30, 2020, and for other purposes."
    )
    assert version.jurisdiction == "US"
    assert version.session == "116"
    assert version.label == "Introduced in Senate"
    assert version.stage == "IS"
    assert version.date == "2020-06-03"
    assert version.chamber == "Senate"
    assert version.number is None
    assert version.local_id == "116s3874"
    assert version.url is None
    assert version.authors == ["Mrs. Murray"]
    assert version.marks is False
    assert version.name == "S3874_IS.XML"


def test_identity_of_a_house_bill_referred_in_the_senate():
    version = read("H1037_RFS.XML")
    assert version.identifier == "H.R. 1037"
    assert version.title == (
        "To increase transparency with respect to financial services benefitting state "
        "sponsors of terrorism, human rights abusers, and corrupt officials, and for other "
        "purposes."
    )
    assert (version.session, version.label, version.stage) == ("116", "Referred in Senate", "RFS")
    assert version.date == "2019-05-15"
    assert version.chamber == "Senate"
    assert version.local_id == "116hr1037"
    # The Senate's print of a House bill names no sponsor; it prints the House's passage.
    assert version.authors == []
    assert version.history == [
        ("Passed the House of Representatives", "2019-05-14"),
        (
            "Received; read twice and referred to the Committee on Banking, Housing, and "
            "Urban Affairs",
            "2019-05-15",
        ),
    ]


def test_identity_of_a_bill_reported_with_an_amendment():
    version = read("BILLS-118s1325rs.xml")
    assert (version.identifier, version.session, version.stage) == ("S. 1325", "118", "RS")
    assert version.label == "Reported in Senate"
    # The reporting action prints "May 4, 2023" with no date attribute.
    assert version.date == "2023-05-04"
    assert version.local_id == "118s1325"
    assert version.authors == ["Mr. Risch"]  # not Mr. Menendez, who reported it
    assert version.marks is True


def test_a_committee_substitute_is_read_as_amended_with_the_struck_text_before_it():
    version = read("BILLS-118s1325rs.xml")
    parts = by_cite(version)
    # The committee struck seven sections and inserted ten.
    struck = sections_in_file(
        "BILLS-118s1325rs.xml", "//u:component[@changed='deleted']//u:section"
    )
    assert len(struck) == 7
    assert (
        parts["Sec. 7"].heading
        == "INVESTMENT, TRADE, AND DEVELOPMENT IN AFRICA AND LATIN AMERICA AND THE CARIBBEAN."
    )
    assert parts["Sec. 7"].before == (
        "SEC. 7. In this Act, the term “Western Hemisphere” does not include Cuba, Nicaragua, "
        "or Venezuela, except for purposes of section 6."
    )
    assert parts["Sec. 9"].text == (
        "SEC. 9. In this Act, the term “Western Hemisphere” does not include Cuba, Nicaragua, "
        "or Venezuela."
    )
    assert parts["Sec. 9"].before == ""  # the bill as introduced had no section 9
    assert parts["Sec. 9"].inserted == len(parts["Sec. 9"].text.split())
    assert parts["Sec. 7"].struck == len(parts["Sec. 7"].before.split())


def test_sub_levels_are_cited_under_their_section():
    parts = by_cite(read("H1037_RFS.XML"))
    clause = parts["Sec. 2(a)(2)(B)(iii)"]
    assert (clause.kind, clause.label, clause.text) == (
        "clause",
        "(iii)",
        "(iii) Executive Order No. 13818.",
    )
    assert clause.line == 39
    assert [p.cite for p in parts["Sec. 3"].parts] == ["Sec. 3(1)", "Sec. 3(2)"]
    deepest = by_cite(read("S3874_IS.XML"))["Sec. 2(d)(2)(D)(i)(II)(aa)(AA)"]
    assert deepest.kind == "subitem"
    assert deepest.label == "(AA)"


def test_a_part_holds_its_own_words_and_not_its_sub_levels():
    parts = by_cite(read("H1037_RFS.XML"))
    subsection = parts["Sec. 2(a)"]
    assert subsection.heading == "In General.—"
    assert subsection.text == (
        "(a) Not later than 180 days after the date of the enactment of this Act, and every "
        "180 days thereafter, the Secretary of the Treasury shall issue a report to the "
        "Committees on Financial Services and Foreign Affairs of the House of Representatives "
        "and the Committees on Banking, Housing, and Urban Affairs and Foreign Relations of "
        "the Senate that includes—"
    )
    assert [p.label for p in subsection.parts] == ["(1)", "(2)"]
    assert parts["Sec. 3"].text == (
        "SEC. 3. The Secretary of the Treasury may waive the requirements of section 2 with "
        "respect to a foreign financial institution described in paragraph (2) of such section—"
    )
    assert parts["Sec. 3"].line == 41


def test_every_part_kind_is_a_uslm_level():
    kinds = {p.kind for name in BILLS for p in read(name).walk()}
    assert kinds <= set(uslm.LEVEL_KINDS.values())
    assert {"section", "subsection", "paragraph", "subitem"} <= kinds


@pytest.mark.parametrize("file_name", BILLS)
def test_the_four_bills_are_recognised_by_their_content(file_name):
    head = (USLM_DATA / file_name).read_text(encoding="utf-8")[:4096]
    assert uslm.recognises(head)


def test_california_bill_xml_is_not_uslm():
    text = CAML_VERSION.read_text(encoding="utf-8")
    assert not uslm.recognises(text[:4096])
    with pytest.raises(InputError, match="is not a USLM bill"):
        uslm.read(text, CAML_VERSION.name)


def test_an_html_page_is_not_uslm():
    assert not uslm.recognises("<!DOCTYPE html><html><body><p>S. 3874</p></body></html>")


def test_a_malformed_file_is_refused_with_its_line_and_column():
    text = (USLM_DATA / "H1037_RFS.XML").read_text(encoding="utf-8")
    broken = text.replace("<heading>WAIVER.</heading>", "<heading>WAIVER.</headng>")
    with pytest.raises(InputError) as caught:
        uslm.read(broken, "H1037_RFS.XML")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("H1037_RFS.XML", 41)
    assert "is not well-formed XML" in problem.message
    assert "column" in problem.message


def test_an_entity_bomb_is_refused():
    bomb = (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE bill [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>\n'
        '<bill xmlns="http://schemas.gpo.gov/xml/uslm"><main><section><num value="1">SEC. 1. '
        "</num><content>&d;</content></section></main></bill>"
    )
    assert uslm.recognises(bomb[:4096])
    with pytest.raises(InputError, match="document type"):
        uslm.read(bomb, "bomb.xml")
