"""Which version of a bill a document reads, and in which version each citation it makes is.

A committee analysis says which text it analyses ("As Amended Ver:July 8, 2025", "Version:
March 27, 2025", "Amended: 5/23/25"), and its file is often named so ("...-on-07-08-text.md");
a letter reads the version in print on its date. :func:`version_read` finds that version;
:func:`reading_order` puts the others after it, nearest earlier first, then later ones, as
an author citing a part an amendment has since renumbered or struck would have read them;
:func:`find_in_versions` looks each citation up in that order.

>>> said_version("SB 53 (Wiener) – As Amended Ver:July 8, 2025\\n...", "analysis.md")
('2025-07-08', 'As Amended Ver:July 8, 2025')
>>> said_version("No header here.", "2025-07-15-pcp-cmte-on-07-08-text.md")
('2025-07-08', 'its file name says on-07-08-text')
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Bill, BillVersion
from ..vocab import slug

_MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_MONTH = "(?P<month>" + "|".join(m.capitalize() for m in _MONTHS) + ")"
_SAYS = re.compile(
    r"(?P<words>(?:\bAs\s+Amended(?:\s+Ver)?|\bVersion|\bAmended)\s*:?\s*"
    rf"(?:{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>20\d\d)"
    r"|(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>(?:20)?\d\d)\b))",
    re.IGNORECASE,
)
_FILE_SAYS = re.compile(r"(?:^|[-_ ])on[-_ ](?P<m>[01]\d)[-_](?P<d>[0-3]\d)[-_ ]text", re.I)
_FILE_YEAR = re.compile(r"^(?P<y>20\d\d)-")
#: How far into a document its header may say which text it analyses.
HEADER = 3000


def said_version(text: str, source_name: str = "") -> tuple[str, str] | None:
    """The date of the version a document says it reads, as ``YYYY-MM-DD`` (or ``--MM-DD``
    when only a file name without a year says it), with the words that say it; None if
    neither its header nor its file name says."""
    m = _SAYS.search(text[:HEADER])
    if m:
        if m.group("month"):
            month = _MONTHS.index(m.group("month").lower()) + 1
            day, year = int(m.group("day")), m.group("year")
        else:
            month, day, year = int(m.group("m")), int(m.group("d")), m.group("y")
            year = year if len(year) == 4 else f"20{year}"
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year}-{month:02d}-{day:02d}", " ".join(m.group("words").split())
    f = _FILE_SAYS.search(source_name)
    if f:
        y = _FILE_YEAR.match(source_name)
        day = f"{f.group('m')}-{f.group('d')}"
        return (
            f"{y.group('y')}-{day}" if y else f"--{day}",
            f"its file name says on-{day}-text",
        )
    return None


def version_read(bill: Bill, date: str | None, said: tuple[str, str] | None) -> BillVersion | None:
    """The version of ``bill`` a document dated ``date`` reads: the one it says (``said``,
    from :func:`said_version`: the version of that date, or else the one in print on it),
    or the one in print on its date, or, with neither, the last. None for a bill without
    versions."""
    versions = [v for v in bill.versions if v.parts]
    if not versions:
        return None
    if said is not None:
        when = said[0]
        if when.startswith("--"):  # a month and day: the latest such version not after the date
            same = [v for v in versions if v.date[4:] == when[1:]]
            before = [v for v in same if date is None or v.date <= date]
            if before or same:
                return (before or same)[-1]
        else:
            exact = [v for v in versions if v.date == when]
            if exact:
                return exact[-1]
            printed = [v for v in versions if v.date <= when]
            if printed:
                return printed[-1]
    printed = [v for v in versions if date and v.date <= date]
    return printed[-1] if printed else versions[-1]


def reading_order(bill: Bill, first: BillVersion | None) -> list[BillVersion]:
    """The versions of ``bill`` (those with trees) in the order a citation is looked up in:
    ``first``, the earlier ones nearest first, then the later ones nearest first."""
    versions = [v for v in bill.versions if v.parts]
    if first is None or first not in versions:
        return list(reversed(versions))
    at = versions.index(first)
    return [first, *reversed(versions[:at]), *versions[at + 1 :]]


def find_in_versions(
    citations: Iterable[str], order: list[BillVersion]
) -> dict[str, tuple[str, str] | None]:
    """Each citation with the first version of ``order`` whose tree holds it and the
    citation as that tree writes it, ``(version id, citation)``; None where none does."""
    trees = [(v.id, {slug(p.citation): p.citation for p in v.parts}) for v in order]
    out: dict[str, tuple[str, str] | None] = {}
    for c in citations:
        key = slug(c)
        out[c] = next(((vid, tree[key]) for vid, tree in trees if key in tree), None)
    return out
