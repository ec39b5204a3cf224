"""Reading a bill's text in the forms legislatures publish it, one module per format.

Each format module (:mod:`.leginfo`, :mod:`.caml`, :mod:`.uslm`) has the same three names:

- ``NAME``: what the format is called in messages ("California bill XML");
- ``recognises(head: str) -> bool``: whether a file that starts with ``head`` is in this format
  (told by its content, never by its file name);
- ``read(text: str, name: str) -> VersionText``: the version the file holds, or
  :class:`~graph.errors.InputError` naming the file, the line and what is wrong.

:func:`read_version` picks the format. Every format gives the same :class:`VersionText`: the
bill's identity, the version's label, date and chamber, and its tree of :class:`Part` with each
part's own words, so that the rest of the tool (the bill file, the diff, the graph) never knows
which format a version came from. Akoma Ntoso is one more module in this list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType

from lxml import etree

from ..errors import InputError, Problem
from ..model import FORBIDDEN_CHARACTERS, citation_problem
from ..vocab import slug


@dataclass
class Part:
    """One part of a version's text: a bill section, a code section, a subdivision, ...

    ``text`` is the part's own words as this version reads them, on one line (runs of white
    space made one space), without the words of its ``parts``. ``before`` is the same part as
    the previous version read it, where the file carries the drafter's marks of struck and
    inserted text (None where it carries none); ``struck`` and ``inserted`` count the words the
    marks strike and insert in the part's own text.
    """

    kind: str  # one of graph.model.SECTION_KINDS
    label: str  # as printed: "SEC. 2.", "22757.11.", "(a)"
    cite: str  # how a reader cites it: "SEC. 2", "22757.11", "22757.11(a)"
    heading: str | None = None
    text: str = ""
    parts: list[Part] = field(default_factory=list)
    before: str | None = None
    struck: int = 0
    inserted: int = 0
    line: int = 0  # where it starts in the file it was read from (1-based; 0 if unknown)

    def walk(self):
        """This part and every part below it, in document order."""
        yield self
        for p in self.parts:
            yield from p.walk()


@dataclass
class VersionText:
    """One version of a bill as a file holds it."""

    identifier: str  # "SB 53", "S. 1000", "H.R. 1037"
    title: str
    jurisdiction: str  # ISO 3166-2: "US-CA", "US"
    session: str  # "2025-2026", "116"
    label: str  # "Amended in Assembly, July 8, 2025", "Introduced in Senate"
    date: str | None  # YYYY-MM-DD, where the file says
    chamber: str | None  # "Senate", "Assembly", "House"; the house the version is in
    parts: list[Part]
    stage: str = ""  # the legislature's word for the stage: "AMD", "INT", "IS", "RS"
    number: str | None = None  # the legislature's number for the version, where it has one
    local_id: str | None = None  # the legislature's id of the bill: "202520260SB53"
    url: str | None = None  # where the legislature publishes this version, where the file says
    history: list[tuple[str, str]] = field(default_factory=list)  # (action, date) up to it
    marks: bool = False  # whether the file carries struck and inserted text marks
    authors: list[str] = field(default_factory=list)  # as printed: "Wiener"
    name: str = ""  # the file it was read from, for messages

    def walk(self):
        """Every part of the version, in document order."""
        for p in self.parts:
            yield from p.walk()


def parse_xml(text: str, name: str) -> etree._Element:
    """The root of the XML document ``text``, read safely, or one line saying where it breaks.

    A bill file is untrusted: no DTD is read, no entity is expanded and nothing is fetched
    (a file that declares a document type is refused at the line of its ``<!DOCTYPE``, before
    the parser sees it, which also refuses entity bombs), and processing instructions and
    comments are kept (California's marks of struck and inserted text are processing
    instructions). ``text`` is parsed as the characters it is: an encoding the file declares
    does not make the parser read them as other characters.
    """
    doctype = doctype_line(text)
    if doctype:
        raise InputError.single(
            name,
            doctype,
            "declares a document type (<!DOCTYPE>): bill files are read without one",
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=False,
        remove_comments=False,
        encoding="utf-8",  # the bytes below are UTF-8, whatever the file's declaration says
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (0, 0)
        message = " ".join((exc.msg or str(exc)).split(", line ")[0].split())
        raise InputError.single(
            name, line, f"is not well-formed XML: {message} (column {column})"
        ) from None
    if root.getroottree().docinfo.doctype:
        raise InputError.single(
            name, 1, "declares a document type (<!DOCTYPE>): bill files are read without one"
        )
    return root


def doctype_line(text: str) -> int:
    r"""The line where ``text``'s document type declaration opens, 0 if it declares none.

    A declaration can stand only in the prolog, after the XML declaration, comments,
    processing instructions and white space, so only the prolog is read, once, left to
    right: ``<!DOCTYPE`` in a comment or in the bill's words is no declaration.

    >>> doctype_line('<?xml version="1.0"?>\n<!-- <!DOCTYPE -->\n<!DOCTYPE x>\n<x/>')
    3
    >>> doctype_line('<?xml version="1.0"?><x><![CDATA[<!DOCTYPE x>]]></x>')
    0
    """
    at, end = 0, len(text)
    if text.startswith("\ufeff"):
        at = 1
    while at < end:
        ch = text[at]
        if ch in " \t\r\n":
            at += 1
        elif text.startswith("<?", at):
            close = text.find("?>", at + 2)
            if close < 0:
                return 0
            at = close + 2
        elif text.startswith("<!--", at):
            close = text.find("-->", at + 4)
            if close < 0:
                return 0
            at = close + 3
        elif text.startswith("<!DOCTYPE", at):
            return text.count("\n", 0, at) + 1
        else:
            return 0
    return 0


def check_citation(citation: str, name: str, line: int) -> str:
    """``citation``, if it is no longer than a citation may be; else the one problem, at
    ``line`` of the file ``name``. Readers check each citation as they make it, before the
    parts below copy it."""
    problem = citation_problem(citation)
    if problem:
        raise InputError.single(name, line, problem)
    return citation


def _formats() -> list[ModuleType]:
    from . import caml, leginfo, uslm

    return [caml, uslm, leginfo]


def format_of(text: str) -> ModuleType | None:
    """The format module that reads ``text``, told by its first 4 KB; None if none does."""
    head = text[:4096]
    return next((module for module in _formats() if module.recognises(head)), None)


#: How deep a version's parts may nest: a USLM bill has fifteen levels from division to
#: subitem; the XML parser allows 256, deeper than the rest of the tool (the bill file, its
#: YAML reader) can go.
MAX_PART_DEPTH = 32


def _check_depth(version: VersionText) -> None:
    """Refuse a version whose parts nest deeper than any bill's (:data:`MAX_PART_DEPTH`)."""
    deepest, first = 0, None
    todo = [(p, 1) for p in version.parts]
    while todo:
        part, depth = todo.pop()
        if depth == MAX_PART_DEPTH + 1 and first is None:
            first = part  # where the nesting goes too deep
        deepest = max(deepest, depth)
        todo += [(child, depth + 1) for child in part.parts]
    if deepest > MAX_PART_DEPTH:
        raise InputError.single(
            version.name,
            first.line if first is not None and first.line else 1,
            f"has parts nested {deepest} levels deep; a bill's parts nest at most "
            f"{MAX_PART_DEPTH} levels deep",
        )


def _check_characters(version: VersionText) -> None:
    """Refuse a version whose words hold a character no text of a corpus may hold (a control
    character: an HTML page may hold ESC as it stands, XML allows DEL), one problem a part:
    its text would be written, and refused when the corpus is read."""
    problems = []
    named = [("its title", version.title, 1), ("its label", version.label, 1)]
    named += [("its identifier", version.identifier, 1)]
    named += [
        (f"part {p.cite!r}", f"{p.label} {p.heading or ''} {p.text}", p.line)
        for p in version.walk()
    ]
    for what, words, line in named:
        found = FORBIDDEN_CHARACTERS.search(words)
        if found:
            char = found.group()
            problems.append(
                Problem(
                    version.name,
                    line,
                    f"{what} holds U+{ord(char):04X}, a control character, which no text of a "
                    "corpus may hold; remove it",
                )
            )
    if problems:
        raise InputError(problems)


#: The longest identifier and version label a bill file takes (its schema's maxLength): each is
#: in the label of every part and change of the version.
_LONGEST = (("identifier", "its identifier", 100, "a bill's identifier"),)
_LONGEST += (("label", "its label", 200, "a version's label"),)


def _check_lengths(version: VersionText) -> None:
    """Refuse a version whose identifier or label the bill file could not hold."""
    for field_name, what, most, whose in _LONGEST:
        value = getattr(version, field_name)
        if len(value) > most:
            raise InputError.single(
                version.name,
                1,
                f"{what} ({value[:40] + '...'!r}) is {len(value):,} characters long, more "
                f"than the {most} {whose} may be",
            )


def _check_citations(version: VersionText) -> None:
    """Refuse two parts of the version with one citation, or with citations the graph would
    take for one (the same letters and digits: "SEC. 2" and "Sec. 2"), at the second of each
    two: the diff pairs parts by citation, and the graph names them by its slug."""
    first: dict[str, Part] = {}
    problems = []
    for part in version.walk():
        other = first.setdefault(slug(part.cite), part)
        if other is not part:
            at = f" at line {other.line}" if other.line else ""
            problems.append(
                Problem(
                    version.name,
                    part.line,
                    f"part {part.cite!r} has the citation of part {other.cite!r}{at}: two "
                    "parts of one version need two citations (the graph tells them by their "
                    "letters and digits)",
                )
            )
    if problems:
        raise InputError(problems)


def read_version(text: str, name: str) -> VersionText:
    """The version of a bill that the file ``name`` (its content ``text``) holds, in any
    format this tool reads, told by the content."""
    module = format_of(text)
    if module is not None:
        version = module.read(text, name)
        _check_depth(version)
        _check_characters(version)
        _check_lengths(version)
        _check_citations(version)
        return version
    known = ", ".join(m.NAME for m in _formats())
    raise InputError.single(name, 1, f"is not a bill in any format this tool reads ({known})")
