"""Loading a corpus folder: parse every file, check every reference, verify every quote.

:func:`load_corpus` gives a :class:`~graph.model.Corpus` or raises
:class:`~graph.errors.InputError` listing every problem found, one per line with file and
line, so nothing downstream ever sees a half-checked corpus.

A corpus folder holds::

    corpus.yaml            name, title, base IRI
    bills/*.yaml           each bill: versions, sections, legislative events
    organizations.yaml     organizations, people, memberships
    topics.yaml            the topic scheme
    sources/*.yaml         one file per source document, with its claims and relations
    texts/*.txt            the texts we hold, that quotes are checked against
"""

from __future__ import annotations

import calendar
import difflib
import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pyoxigraph as ox
import ryaml

from .diff import lineage
from .errors import InputError, Problem
from .lines import collection_key, duplicate_key_line, line_at, written_at
from .model import (
    ATTACK_KINDS,
    CHILD_KIND,
    FORBIDDEN_CHARACTERS,
    Bill,
    BillSection,
    BillVersion,
    Claim,
    Corpus,
    Counterpart,
    Known,
    LegislativeEvent,
    Membership,
    Organization,
    Origin,
    Person,
    Position,
    Provenance,
    QuoteAnchor,
    Relation,
    SourceDocument,
    Topic,
    Warning_,
    citation_problem,
)
from .plumbing.cache import BuildCache, digest
from .plumbing.collector import gc_paused
from .quotes import NormalizedText
from .reading import MAX_FILE_MB, Allowed, Refused, read_corpus_file
from .vocab import DEFAULT_BASE, slug

# --- YAML ------------------------------------------------------------------------------

#: "... at line 22 column 14, while parsing ...": where the YAML parser says a problem is.
_AT_LINE = re.compile(r" at line (\d+) column (\d+)")
_DUPLICATE = re.compile(r'duplicate entry with key "(.*)"')
#: What the parser says of a character it refuses: where it is, in bytes from the start.
_CONTROL = re.compile(r"control characters are not allowed at position (\d+)")
#: What it says of a number it cannot hold: "events[1].ayes: invalid type: integer `1...`".
_HUGE = re.compile(r"(?:(.*): )?invalid type: integer `(-?[0-9]+)` as [iu]128.*")
_UNHASHABLE = re.compile(r"TypeError: unhashable type: '(\w+)'")

#: What to do about the parser's commonest complaints, in an author's words.
_HINTS = {
    "mapping values are not allowed": (
        "indent this line as the keys beside it, or put a value that holds ': ' in quotes"
    ),
    "did not find expected key": (
        "this line is indented unlike the keys beside it: the keys of one mapping start in "
        "one column"
    ),
    "could not find expected ':'": (
        "a key needs ': ' after it; a line that goes on the text above it is indented further"
    ),
    "did not find expected '-' indicator": (
        "this line is indented unlike the lines above it: the keys of a list's item start in "
        "one column, and each item starts with '- '"
    ),
    # For these three the place is where the list, mapping or quote begins, not where the
    # parser stopped (the end of the file, for a quote).
    "did not find expected ',' or ']'": (
        "the list that begins here with '[' needs a ']' at its end, and commas between its items"
    ),
    "did not find expected ',' or '}'": (
        "the mapping that begins here with '{' needs a '}' at its end, and commas between its pairs"
    ),
    "found unexpected end of stream": "a quote opened here is never closed",
    "found unknown escape character": (
        "in double quotes a backslash begins an escape such as \\n: write \\\\ for a "
        "backslash, or use single quotes"
    ),
    "unknown anchor": "a value that begins with '*' goes in quotes",
    "found character that cannot start any token": "a value that begins with @ or ` goes in quotes",
    "deserializing from YAML containing more than one document": (
        "a corpus file holds one YAML document: remove the '---' line that begins a second"
    ),
}


def read_yaml(path: Path, shown: str, allowed: Allowed) -> Any:
    """Parse one YAML file of a corpus (YAML 1.2: ``yes`` and ``2024-05-20`` stay text), if
    ``allowed`` lets it be read (:func:`~graph.reading.read_corpus_file`), turning a syntax
    error into an :class:`InputError` at its line.

    ryaml (Rust) parses a large corpus about four times faster than PyYAML with libyaml and
    refuses duplicate keys; it keeps no positions, which :mod:`graph.lines` finds when needed.
    """
    return parse_yaml(read_corpus_file(path, allowed).data or b"", path, shown)


def parse_yaml(raw: bytes, path: Path, shown: str) -> Any:
    """Parse the bytes of the YAML file at ``path``, as :func:`read_yaml` does.

    A byte order mark at the start (which some editors write) is let be; a syntax error is
    reported at its line and column, with what to do where the usual cause is known.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.single(
            shown, 0, f"is not UTF-8 text ({exc.reason}); save it as UTF-8"
        ) from None
    try:
        data = ryaml.loads(text)
    except ValueError as exc:
        line, what = _yaml_problem(str(exc), text, path)
        raise InputError.single(shown, line, f"YAML syntax{what}") from None
    # The parser refuses a control character as it stands; only an escape in double quotes
    # ("\\x01") makes one, and there is none without a backslash.
    found = check_text(data, path, shown) if "\\" in text else []
    if found:
        raise InputError(found)
    return data


def _yaml_problem(message: str, text: str, path: Path) -> tuple[int, str]:
    """The line of the parser's ``message`` on ``text`` (the file at ``path``), and what to
    tell the author, from ", column 6: " or ": " on."""
    at = _AT_LINE.search(message)
    line, column = (int(at.group(1)), int(at.group(2))) if at else (0, 0)
    what = message[: at.start()] if at else message
    begun = list(_AT_LINE.finditer(message))[1:]
    if begun and what.startswith(("did not find expected ',' or", "found unexpected end of")):
        line, column = int(begun[-1].group(1)), int(begun[-1].group(2))
    control = _CONTROL.fullmatch(what)
    if control:
        before = text.encode("utf-8")[: int(control.group(1))].decode("utf-8", "replace")
        char = text[len(before) : len(before) + 1]
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        what = f"U+{ord(char):04X} is a control character" if char else "a control character"
        return line, f", column {column}: {what}, which no corpus file may hold; remove it"
    duplicate = _DUPLICATE.fullmatch(what)
    if duplicate:
        key = duplicate.group(1)
        what = f": the key '{key}' appears twice in one mapping; keep one"
        return duplicate_key_line(path, key), what
    huge = _HUGE.fullmatch(what)
    if huge:
        where = re.sub(r"\[(\d+)\]", r"/\1", huge.group(1) or "").replace(".", "/")
        prefix = f"'{where}': " if where else ""
        return line, (
            f": {prefix}{huge.group(2)} is too large a number to read; write it in quotes if it "
            "is not a count"
        )
    unhashable = _UNHASHABLE.fullmatch(what)
    if unhashable:
        found = collection_key(path)
        kind = "a list" if unhashable.group(1) == "list" else "a mapping"
        if found is None:
            return 0, f": a key is {kind}; a key is a word or a text, such as 'title'"
        line, column, key = found
        return line, (
            f", column {column}: the key {key} is {kind}; a key is a word or a text, such as "
            f"'title' (put it in quotes if it is one)"
        )
    hint = next((h for start, h in _HINTS.items() if what.startswith(start)), None)
    if (
        what.startswith("found character that cannot start any token")
        and _char_at(text, line, column) == "\t"
    ):
        hint = "indent with spaces, not tabs"
    where = f", column {column}: " if column else ": "
    return line, f"{where}{what}" + (f"; {hint}" if hint else "")


def _char_at(text: str, line: int, column: int) -> str:
    """The character at 1-based ``line`` and ``column`` of ``text``, or ''."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines) or not 1 <= column <= len(lines[line - 1]):
        return ""
    return lines[line - 1][column - 1]


# --- schema -----------------------------------------------------------------------------


@cache
def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema for one kind of corpus file: corpus, bill, organizations, topics, source."""
    text = resources.files("graph").joinpath("schema", f"{kind}.schema.json").read_text("utf-8")
    return json.loads(text)


def _describe(error: jsonschema.ValidationError, path: Path) -> str:
    where = "/".join(str(p) for p in error.absolute_path)
    prefix = f"'{where}': " if where else ""
    if error.validator == "type" and error.instance is None:
        in_a_list = bool(error.absolute_path) and isinstance(error.absolute_path[-1], int)
        after = "" if in_a_list else " after the colon"
        return f"{f'{where!r}' if where else 'it'} has no value; write one{after}"
    if error.validator == "type":
        return prefix + _wrong_type(error, written_at(path, error.absolute_path))
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"{prefix}{error.message}; allowed keys are {', '.join(allowed)}"
    if error.validator == "oneOf" and "quote" in error.schema.get("oneOf", [{}])[0].get(
        "required", []
    ):
        return (
            f"{prefix}a claim needs either a verbatim 'quote' or 'paraphrase: true' with "
            "'where' (the place in the document), not both"
        )
    if (
        error.validator == "pattern"
        and isinstance(error.instance, str)
        and error.instance != error.instance.rstrip("\r\n")
        and _ecma(error.validator_value).search(error.instance.rstrip("\r\n"))
    ):
        return (
            f"{prefix}{error.instance!r} ends in a line break; write the value on the key's "
            "line (a block that begins with | keeps its last line break, one with |- does not)"
        )
    if error.validator == "pattern" and error.schema.get("pattern", "").startswith("^[a-z0-9]+"):
        return (
            f"{prefix}{error.instance!r} is not a valid id; use lowercase letters, digits and "
            "single hyphens, e.g. 'open-source-is-more-secure'"
        )
    if error.validator == "pattern" and _is_url_pattern(error.schema.get("pattern", "")):
        return (
            f"{prefix}{error.instance!r} is not a web address: write it in full, from http:// "
            'or https://, with any space or <>"{}|\\^` percent-encoded'
        )
    if error.validator == "maxLength" and isinstance(error.instance, str):
        # Not the value itself: it is long.
        return (
            f"{prefix}is {len(error.instance):,} characters long, more than the "
            f"{error.validator_value} it may be; shorten it"
        )
    if error.validator == "pattern" and _is_date_pattern(error.schema.get("pattern", "")):
        return f"{prefix}{error.instance!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"
    return f"{prefix}{error.message}"


def _wrong_type(error: jsonschema.ValidationError, written: str | None) -> str:
    """What is wrong with a value of another type than the schema's, and how to write it:
    YAML reads ``session: 2025`` as a number, which a text field wants in quotes."""
    value, wanted = error.instance, error.validator_value
    written = written or json.dumps(value)
    if wanted == "string" and not isinstance(value, dict | list):
        read_as = "true or false" if isinstance(value, bool) else "a number"
        return f'{written} reads as {read_as}, not as text; write it in quotes: "{written}"'
    if wanted == "integer" and isinstance(value, float):
        return _not_a_count(written)
    if wanted == "integer" and isinstance(value, str):
        return f"{value!r} is text; write the count without quotes, such as 12"
    if wanted == "array" and not isinstance(value, dict | list):
        return f"{written} is one value, not a list; write it as a list: [{written}]"
    return error.message


@cache
def _fast_check(kind: str) -> jsonschema_rs.Validator:
    """A compiled validator for one kind of file: it only says yes or no, but fifty times
    faster than jsonschema's, which a corpus of thousands of files notices (bench/README.md).
    When it says no, jsonschema finds every violation with the paths our messages need."""
    return jsonschema_rs.validator_for(schema(kind))


def _ecma_pattern(
    validator: jsonschema.protocols.Validator, pattern: str, instance: Any, _: Any
) -> Iterator[jsonschema.ValidationError]:
    """``pattern`` as JSON Schema means it (ECMA 262's regular expressions) and as
    jsonschema_rs reads it: ``$`` is the end of the text. Python's ``$`` matches before a
    final line break too, which would pass ``"an-id\\n"`` that the fast check refuses."""
    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"(?<!\\)\$", r"\\Z", pattern))


#: jsonschema's validator, with patterns read as the fast check reads them.
_Explainer = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"pattern": _ecma_pattern}
)


def check_schema(data: Any, kind: str, path: Path, shown: str) -> list[Problem]:
    """Every schema violation in one file, each with its line.

    The fast check decides; jsonschema words what it refused. Should the two ever disagree,
    the fast check's own words are given: nothing it refuses passes for want of a message.
    """
    try:
        if _fast_check(kind).is_valid(data):
            return []
    except ValueError:  # "Dict key must be str": a key that is not text
        return _keys_not_text(data, path, shown)
    validator = _Explainer(schema(kind))
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        at = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            # Point at the first unexpected key itself, not at the mapping that holds it.
            allowed = error.schema.get("properties", {})
            extra = [k for k in error.instance if k not in allowed]
            at += extra[:1]
        problems.append(Problem(shown, line_at(path, at), _describe(error, path)))
    if not problems:
        for found in _fast_check(kind).iter_errors(data):
            at = list(found.instance_path)
            where = f"'{'/'.join(map(str, at))}': " if at else ""
            problems.append(Problem(shown, line_at(path, at), where + found.message))
    return problems


# --- values: what a schema cannot say ----------------------------------------------------

_FORBIDDEN = FORBIDDEN_CHARACTERS

#: The largest count a graph holds: Oxigraph and Virtuoso keep an xsd:integer in 64 bits.
MAX_COUNT = 2**63 - 1

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def check_text(data: Any, path: Path, shown: str) -> list[Problem]:
    """Characters no text may hold, in one parsed YAML file, each at its line: a label may
    hold a line break or a tab, but never U+0001."""
    problems = []
    for at, value in _texts(data):
        found = _FORBIDDEN.search(value)
        if found:
            where = "/".join(map(str, at))
            prefix = f"'{where}': " if where else ""
            problems.append(
                Problem(shown, line_at(path, at), prefix + _forbidden(value, found.group()))
            )
    return problems


def _texts(data: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text of parsed YAML, keys too, with its place (a key's is its value's)."""
    todo: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while todo:
        value, at = todo.pop()
        if isinstance(value, str):
            yield at, value
        elif isinstance(value, dict):
            for key, item in value.items():
                todo += [(key, (*at, key)), (item, (*at, key))]
        elif isinstance(value, list):
            todo += [(item, (*at, i)) for i, item in enumerate(value)]


def _forbidden(value: str, char: str) -> str:
    what = (
        "a lone surrogate"
        if "\ud800" <= char <= "\udfff"
        else "a noncharacter"
        if char in "\ufffe\uffff"
        else "a control character"
    )
    return (
        f"{value!r} holds U+{ord(char):04X}, {what}, which no text of a corpus may hold; remove it"
    )


def _keys_not_text(data: Any, path: Path, shown: str) -> list[Problem]:
    """The keys that YAML reads as numbers, true or false, or nothing (``2025: x``), each at
    its line: no key of ours, and the schema's validators cannot look at a file with one."""
    problems = []
    todo: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while todo:
        value, at = todo.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    todo.append((item, (*at, key)))
                    continue
                written = json.dumps(key)
                read_as = {bool: "true or false", type(None): "nothing"}.get(type(key), "a number")
                where = "/".join(map(str, at))
                problems.append(
                    Problem(
                        shown,
                        line_at(path, (*at, written)),
                        (f"'{where}': " if where else "")
                        + f"the key {written} reads as {read_as}, not as text: a key is a word, "
                        "such as 'title'",
                    )
                )
        elif isinstance(value, list):
            todo += [(item, (*at, i)) for i, item in enumerate(value)]
    return sorted(problems)


def check_values(data: Any, kind: str, path: Path, shown: str) -> list[Problem]:
    """What the schema cannot say of a file that meets it, each at its line: a date that is
    not in the calendar (2025-02-30), a web address that RDF cannot hold, a count that is no
    whole number (``1e50``) or is larger than a graph holds. The build would fail on each,
    or write a graph that others' tools refuse."""
    root = schema(kind)
    problems = []
    for at, value, node, ref in _leaves(data, root, root, (), None):
        message = _value_problem(value, node, ref, path, at)
        if message:
            where = "/".join(map(str, at))
            prefix = f"'{where}': " if where else ""
            problems.append(Problem(shown, line_at(path, at), prefix + message))
    return problems


#: The definition of the schemas whose text is either a web address or a source's id.
_URL_OR_ID = "provenance"
_SOURCE_ID = re.compile(schema("source")["$defs"]["slug"]["pattern"].replace("$", r"\Z"))


def _leaves(
    data: Any, node: dict[str, Any], root: dict[str, Any], at: tuple, ref: str | None
) -> Iterator[tuple[tuple, Any, dict[str, Any], str | None]]:
    """Each value of ``data`` that holds no other and that :func:`_value_problem` looks at,
    with its place, the part of the schema that describes it and the definition that part
    comes from ("date", "provenance")."""
    while "$ref" in node:
        ref = node["$ref"].rsplit("/", 1)[-1]
        node = root["$defs"][ref]
    # A provenance is a text or a mapping: the branch of the value's kind describes it.
    branches = [b for b in (*node.get("oneOf", ()), *node.get("anyOf", ())) if "type" in b]
    for branch in branches:
        if _Explainer.TYPE_CHECKER.is_type(data, branch["type"]):
            yield from _leaves(data, branch, root, at, ref)
    if isinstance(data, dict):
        properties = node.get("properties", {})
        for key, value in data.items():
            inner = properties.get(key)
            if inner is not None and _looked_at(root, inner):
                yield from _leaves(value, inner, root, (*at, key), None)
    elif isinstance(data, list):
        inner = node.get("items")
        if inner is not None and _looked_at(root, inner):
            for i, item in enumerate(data):
                yield from _leaves(item, inner, root, (*at, i), None)
    elif not branches:
        yield at, data, node, ref


def _looked_at(root: dict[str, Any], node: dict[str, Any]) -> bool:
    """Whether a part of a schema describes any value that :func:`_value_problem` looks at:
    the claims of a source, say, hold none, and are not gone through."""
    key = (id(root), id(node))  # the schemas live as long as the process (schema is cached)
    found = _LOOKED_AT.get(key)
    if found is None:
        found = _LOOKED_AT[key] = _holds_looked_at(root, node, ())
    return found


_LOOKED_AT: dict[tuple[int, int], bool] = {}


def _holds_looked_at(root: dict[str, Any], node: dict[str, Any], refs: tuple[str, ...]) -> bool:
    while "$ref" in node:
        ref = node["$ref"].rsplit("/", 1)[-1]
        if ref == _URL_OR_ID:
            return True
        if ref in refs:  # a definition inside itself (a section's parts) adds nothing new
            return False
        refs, node = (*refs, ref), root["$defs"][ref]
    pattern = node.get("pattern", "")
    if node.get("type") == "integer" or _is_date_pattern(pattern) or _is_url_pattern(pattern):
        return True
    inner = [*node.get("properties", {}).values(), *node.get("oneOf", ()), *node.get("anyOf", ())]
    inner += [node["items"]] if "items" in node else []
    return any(_holds_looked_at(root, n, refs) for n in inner)


def _value_problem(
    value: Any, node: dict[str, Any], ref: str | None, path: Path, at: tuple
) -> str | None:
    pattern = node.get("pattern", "")
    if isinstance(value, str):
        if _is_date_pattern(pattern):
            return _not_in_calendar(value)
        if _is_url_pattern(pattern) or ref == _URL_OR_ID and _is_url(value):
            return _not_an_iri(value)
        if ref == _URL_OR_ID and not _SOURCE_ID.fullmatch(value):
            return (
                f"{value!r} is neither a web address (from http:// or https://) nor the id of "
                "a source document of this corpus"
            )
    elif node.get("type") == "integer" and isinstance(value, float):
        return _not_a_count(written_at(path, at) or json.dumps(value))
    elif node.get("type") == "integer" and isinstance(value, int) and value > MAX_COUNT:
        return f"{value} is too large a count: a graph holds whole numbers up to {MAX_COUNT}"
    return None


def _not_in_calendar(value: str) -> str | None:
    """Why a date written YYYY, YYYY-MM or YYYY-MM-DD is in no calendar, or None.

    >>> _not_in_calendar("2024-02-29"), _not_in_calendar("2023-02-29")
    (None, "'2023-02-29' is not a date: 2023 is not a leap year, so February has 28 days")
    """
    if value.startswith("0000"):
        return f"{value!r} is not a date: there is no year 0000 (1 BC is followed by AD 1)"
    if len(value) < 10:
        return None
    year, month, day = int(value[:4]), int(value[5:7]), int(value[8:10])
    days = calendar.monthrange(year, month)[1]
    if day <= days:
        return None
    if month == 2 and day == 29:
        return f"{value!r} is not a date: {year} is not a leap year, so February has 28 days"
    if month == 2:
        return f"{value!r} is not a date: February has 28 or 29 days"
    return f"{value!r} is not a date: {_MONTHS[month - 1]} has {days} days"


def _not_an_iri(value: str) -> str | None:
    """Why a web address cannot be an IRI in RDF, or None: Oxigraph, which loads the build,
    says (one parser decides; a pattern cannot say as much)."""
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        reason = str(exc)
        return (
            f"{value!r} is not a web address that RDF can hold: {reason[:1].lower()}"
            f"{reason[1:]}; copy it whole from a browser's address bar"
        )
    return None


def _not_a_count(written: str) -> str:
    return f"{written} is not a count; write it as a whole number in digits, such as 12"


def _is_date_pattern(pattern: str) -> bool:
    """Whether a schema's pattern is the one of a date (YYYY, YYYY-MM or YYYY-MM-DD)."""
    return "[0-9]{4}" in pattern


def _is_url_pattern(pattern: str) -> bool:
    """Whether a schema's pattern is the one of a web address (or of a base IRI)."""
    return pattern.startswith("^https?://")


def _is_url(value: str) -> bool:
    """Whether a provenance written as one text is a web address (else a source's id)."""
    return value.startswith(("http://", "https://"))


def _suggest(name: str, known: Iterable[str]) -> str:
    """'; did you mean 'x'?' when a close match exists, else ''."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


# --- the loader -------------------------------------------------------------------------


def provisions(bill: Bill) -> None:
    """Link each part of each version to the provision it realises (:func:`graph.diff.lineage`:
    by citation, and by words where a part was renumbered), and give the bill every provision
    its versions realise that its own ``sections`` do not list."""
    trees = [v for v in bill.versions if v.parts]
    maps = lineage([[(p.citation, p.text or "") for p in v.parts] for v in trees])
    known = {s.citation for s in bill.sections}
    for version, mapping in zip(trees, maps, strict=True):
        for part in version.parts:
            part.provision = mapping[part.citation]
            if part.provision in known:
                continue
            known.add(part.provision)
            bill.sections.append(
                BillSection(
                    citation=part.provision,
                    kind=part.kind,
                    label=part.label,
                    parent=mapping.get(part.parent) if part.parent else None,
                    heading=part.heading,
                    origin=part.origin,
                )
            )


class _Loader:
    """Reads one corpus folder, collecting problems instead of stopping at the first."""

    def __init__(
        self,
        root: Path,
        cache: BuildCache | None = None,
        allowed: Allowed | None = None,
        drafts: bool = False,
        need_sources: bool = True,
    ) -> None:
        self.root = root
        #: Whether drafts (``draft: true``) are loaded, or refused.
        self.drafts = drafts
        #: Whether a corpus without source documents is refused (not when drafting its first).
        self.need_sources = need_sources
        self.cache = cache
        #: What the corpus may have read: every file goes through read_corpus_file with it.
        self.allowed = allowed or Allowed.of(root)
        self.problems: list[Problem] = []
        self.corpus_warnings: list[Warning_] = []
        #: The bill of a document that names none: the corpus's one bill, if it has one.
        self.only_bill = ""
        #: Whether a document that names no bill is told to: not when the corpus has none,
        #: or a bill file failed (which bills there are is not known).
        self.ask_for_bill = True
        self.cwd_prefix = str(Path.cwd()).rstrip("/") + "/"

    def shown(self, path: Path) -> str:
        """The path as the user will recognise it: relative to where they are, if inside."""
        text = str(path)
        return text[len(self.cwd_prefix) :] if text.startswith(self.cwd_prefix) else text

    def problem(self, path: Path | str, line: int, message: str) -> None:
        shown = path if isinstance(path, str) else self.shown(path)
        self.problems.append(Problem(shown, line, message))

    def read(self, path: Path, kind: str) -> dict[str, Any] | None:
        shown = self.shown(path)
        try:
            if self.cache is None:
                data = read_yaml(path, shown, self.allowed)
            else:
                data = self.cache.read(path, lambda raw: parse_yaml(raw, path, shown), self.allowed)
        except InputError as exc:
            self.problems.extend(exc.problems)
            return None
        except Refused as exc:  # a link out of the corpus, a named pipe, too large
            self.problem(path, 0, str(exc))
            return None
        except OSError as exc:  # a link to nothing, a folder, no permission
            self.problem(path, 0, f"cannot be read ({exc.strerror or exc})")
            return None
        if data is None:
            data = {}
        # What the schema cannot say is looked for in what it lets through.
        found = check_schema(data, kind, path, shown) or check_values(data, kind, path, shown)
        if found:
            self.problems.extend(found)
            return None
        return data

    def provenance(self, value: Any) -> Provenance:
        if isinstance(value, str):
            if _is_url(value):
                return Provenance(url=value)
            return Provenance(source=value)
        return Provenance(
            source=value.get("source"),
            url=value.get("url"),
            date=value.get("date"),
            where=value.get("where"),
        )

    # -- files

    def yaml_files(self, folder: Path) -> list[Path] | None:
        """The ``*.yaml`` files of ``folder`` (``bills/``, ``sources/``), sorted; None, and
        a problem, if the folder resolves outside the corpus (nothing in it is looked at)."""
        try:
            return sorted(self.allowed.folder(folder).glob("*.yaml"))
        except Refused as exc:
            self.problem(folder, 0, str(exc))
            return None

    def load(self) -> Corpus:
        root = self.root
        if not root.is_dir():
            raise InputError.single(str(root), 0, "no such corpus folder")
        meta_path = root / "corpus.yaml"
        if not meta_path.exists():
            raise InputError.single(
                self.shown(meta_path), 0, "missing; a corpus folder needs corpus.yaml"
            )
        meta = self.read(meta_path, "corpus")
        name = meta["name"] if meta else root.name
        corpus = Corpus(
            name=name,
            title=meta["title"] if meta else name,
            description=meta.get("description") if meta else None,
            base=(meta.get("base") if meta else None) or f"{DEFAULT_BASE}{name}/",
            root=root,
        )
        found_bills = self.yaml_files(root / "bills")
        bill_paths = found_bills or []
        found_sources = self.yaml_files(root / "sources")
        source_paths = found_sources or []
        if self.cache is not None:
            # On a large corpus, parsing the YAML is a third of loading: on two cores, if
            # there are, before the records are made from it here.
            allowed = self.allowed
            self.cache.prefetch(
                bill_paths + source_paths,
                # A file that fails is read again, and reported, by self.read.
                lambda raw, path: parse_yaml(raw, path, str(path)),
                lambda path, data: _quote_anchors(path, data, allowed),
                allowed,
            )
        for path in bill_paths:
            data = self.read(path, "bill")
            if data is not None:
                corpus.bills.append(self.bill(data, path))
        if found_bills == []:
            self.problem(root / "bills", 0, "no bills; add bills/<id>.yaml for each bill debated")
        ids = {b.id for b in corpus.bills}  # two files of one id are one problem, found later
        self.ask_for_bill = len(corpus.bills) == len(bill_paths) and len(ids) > 1
        self.only_bill = next(iter(ids)) if len(ids) == 1 else ""
        org_path = root / "organizations.yaml"
        if org_path.exists():
            data = self.read(org_path, "organizations")
            if data is not None:
                self.organizations(data, org_path, corpus)
        topic_path = root / "topics.yaml"
        if topic_path.exists():
            data = self.read(topic_path, "topics")
            if data is not None:
                corpus.topics = [
                    Topic(
                        id=t["id"],
                        label=t["label"],
                        definition=t["definition"],
                        broader=t.get("broader"),
                        alt_labels=list(t.get("alt_labels", [])),
                        exact_match=list(t.get("exact_match", [])),
                        origin=Origin(topic_path, ("topics", i)),
                    )
                    for i, t in enumerate(data["topics"])
                ]
        if found_sources == [] and self.need_sources:
            self.problem(root / "sources", 0, "no source documents; add sources/<id>.yaml")
        for path in source_paths:
            data = self.read(path, "source")
            if data is not None:
                corpus.sources.append(self.source(data, path, corpus))
        if not self.problems:
            _Checker(corpus, self).check()
        if self.problems:
            raise InputError(self.problems)
        corpus.warnings = sorted(self.corpus_warnings, key=lambda w: (w.file, w.line, w.message))
        return corpus

    def bill(self, data: dict[str, Any], path: Path) -> Bill:
        bill = Bill(
            id=data["id"],
            identifier=data["identifier"],
            title=data["title"],
            jurisdiction=data["jurisdiction"],
            session=data["session"],
            local_id=data.get("local_id"),
            url=data.get("url"),
            origin=Origin(path),
            provenance=self.provenance(data["source"]),
            authors=list(data.get("authors", [])),
            coauthors=list(data.get("coauthors", [])),
        )
        for i, v in enumerate(data.get("versions", [])):
            version = BillVersion(
                id=v["id"],
                label=v["label"],
                date=v["date"],
                url=v.get("url"),
                chamber=v.get("chamber"),
                number=v.get("number"),
                origin=Origin(path, ("versions", i)),
                provenance=self.provenance(v["source"]),
            )
            bill.versions.append(version)
            if "sections" in v or "text" in v:
                self.version_parts(v, version, path)
        if data.get("sections") and "sections_source" not in data:
            self.problem(
                path,
                line_at(path, ["sections"]),
                "sections need 'sections_source': the URL of the text they were taken from",
            )
        self.sections(data.get("sections", []), ("sections",), None, None, path, bill.sections)
        if any(v.parts for v in bill.versions):
            provisions(bill)
        for i, e in enumerate(data.get("events", [])):
            bill.events.append(
                LegislativeEvent(
                    id=e["id"],
                    kind=e["kind"],
                    date=e["date"],
                    label=e["label"],
                    body=e.get("body"),
                    version=e.get("version"),
                    ayes=e.get("ayes"),
                    noes=e.get("noes"),
                    not_voting=e.get("not_voting"),
                    result=e.get("result"),
                    note=e.get("note"),
                    origin=Origin(path, ("events", i)),
                    provenance=self.provenance(e["source"]),
                )
            )
        for i, c in enumerate(data.get("counterparts", [])):
            bill.counterparts.append(
                Counterpart(
                    version=c["version"],
                    part=c["part"],
                    of=c["of"],
                    note=c.get("note"),
                    origin=Origin(path, ("counterparts", i)),
                    provenance=self.provenance(c["source"]),
                )
            )
        return bill

    def sections(
        self,
        items: list[dict[str, Any]],
        at: tuple[str | int, ...],
        parent: str | None,
        parent_kind: str | None,
        path: Path,
        out: list[BillSection],
    ) -> None:
        for i, item in enumerate(items):
            origin = Origin(path, (*at, i))
            citation = item.get("cite")
            if citation is None:
                if parent is None:
                    self.problem(
                        path, origin.line, f"top-level section {item['label']!r} needs a 'cite'"
                    )
                    continue
                citation = parent + item["label"]
            too_long = citation_problem(citation)
            if too_long:
                # Every part below would copy it: the problem once, and not the parts below.
                self.problem(path, origin.line, too_long)
                continue
            kind = item.get("kind") or CHILD_KIND[parent_kind]
            out.append(
                BillSection(
                    citation=citation,
                    kind=kind,
                    label=item["label"],
                    parent=parent,
                    heading=item.get("heading"),
                    summary=item.get("summary"),
                    origin=origin,
                )
            )
            self.sections(item.get("parts", []), (*origin.at, "parts"), citation, kind, path, out)

    def version_parts(self, data: dict[str, Any], version: BillVersion, path: Path) -> None:
        """A version's tree of parts, each with its own words from the version's text."""
        at = version.origin.at
        if "sections" not in data or "text" not in data:
            missing, given = ("text", "sections") if "text" not in data else ("sections", "text")
            self.problem(
                path,
                line_at(path, [*at, given]),
                f"version {version.id!r} has '{given}' but no '{missing}': a version's tree "
                "of parts and its text go together (the text holds the parts' words)",
            )
            return
        self.sections(data["sections"], (*at, "sections"), None, None, path, version.parts)
        text_at = line_at(path, [*at, "text"])
        version.text_path = path.parent / data["text"]
        try:
            raw = read_corpus_file(version.text_path, self.allowed).data or b""
            text = raw.decode("utf-8-sig")  # an editor's byte order mark is no word of part 1
        except Refused as exc:
            self.problem(path, text_at, f"text {data['text']!r} {exc}")
            return
        except FileNotFoundError:
            self.problem(path, text_at, f"text file {data['text']!r} not found")
            return
        except UnicodeDecodeError as exc:
            self.problem(path, text_at, f"text {data['text']!r} is not UTF-8 ({exc.reason})")
            return
        except OSError as exc:
            self.problem(path, text_at, f"text {data['text']!r} cannot be read ({exc})")
            return
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        # Windows line ends: the carriage return ends the line, it is no part of the words.
        lines = [line.removesuffix("\r") for line in lines]
        shown = self.shown(version.text_path)
        # A part's words go into the graph, the diff page and the terminal: no control
        # character, as no text of a corpus may hold one (the YAML's are checked as parsed).
        for n, line in enumerate(lines, start=1):
            found = _FORBIDDEN.search(line)
            if found:
                near = line[max(found.start() - 20, 0) : found.end() + 20]
                where = f"line {n}, column {found.start() + 1}: "
                self.problem(shown, n, where + _forbidden(near, found.group()))
                return
        if len(lines) != len(version.parts):
            self.problem(
                shown,
                min(len(lines), len(version.parts)) + 1,
                f"holds {len(lines)} lines but version {version.id!r} of "
                f"{self.shown(path)} has {len(version.parts)} parts; the text needs one line "
                "per part, in the order of the version's 'sections'",
            )
            return
        for n, (part, line) in enumerate(zip(version.parts, lines, strict=True), start=1):
            label = part.label.strip()
            if label and not line.startswith(label):
                self.problem(
                    shown,
                    n,
                    f"line {n} should be the words of part {part.citation!r} of version "
                    f"{version.id!r}, which open with {label!r}; it opens with "
                    f"{line[:40]!r}",
                )
                return
            part.text = line

    def organizations(self, data: dict[str, Any], path: Path, corpus: Corpus) -> None:
        for i, o in enumerate(data.get("organizations", [])):
            corpus.organizations.append(
                Organization(
                    id=o["id"],
                    name=o["name"],
                    kind=o["kind"],
                    url=o.get("url"),
                    description=o.get("description"),
                    same_as=list(o.get("same_as", [])),
                    aliases=list(o.get("aliases", [])),
                    origin=Origin(path, ("organizations", i)),
                    provenance=self.provenance(o["source"]),
                )
            )
        for i, p in enumerate(data.get("people", [])):
            corpus.people.append(
                Person(
                    id=p["id"],
                    name=p["name"],
                    role=p.get("role"),
                    url=p.get("url"),
                    same_as=list(p.get("same_as", [])),
                    origin=Origin(path, ("people", i)),
                    provenance=self.provenance(p["source"]),
                )
            )
        for i, m in enumerate(data.get("memberships", [])):
            corpus.memberships.append(
                Membership(
                    member=m["member"],
                    organization=m["of"],
                    role=m.get("role"),
                    origin=Origin(path, ("memberships", i)),
                    provenance=self.provenance(m["source"]),
                )
            )

    def draft_checks(
        self, data: dict[str, Any], path: Path, doc: SourceDocument, corpus: Corpus
    ) -> None:
        """A draft (``draft: true``, written by ``draft``) is refused unless drafts are
        built (``--drafts``), where the organizations it proposes join the corpus."""
        if doc.draft and not self.drafts:
            self.problem(
                path,
                line_at(path, ["draft"]),
                "is a draft that no one has reviewed: check its claims, quotes and "
                "organizations, then delete 'draft: true' (or build with --drafts to see it)",
            )
        elif "organizations" in data and not doc.draft:
            self.problem(
                path,
                line_at(path, ["organizations"]),
                "'organizations' are proposed by a draft; move them to organizations.yaml",
            )
        elif doc.draft:
            for i, o in enumerate(data.get("organizations", [])):
                corpus.organizations.append(
                    Organization(
                        id=o["id"],
                        name=o["name"],
                        kind=o["kind"],
                        origin=Origin(path, ("organizations", i)),
                        provenance=Provenance(source=doc.id),
                    )
                )

    def source(self, data: dict[str, Any], path: Path, corpus: Corpus) -> SourceDocument:
        doc = SourceDocument(
            id=data["id"],
            title=data["title"],
            kind=data["kind"],
            authors=list(data["authors"]),
            bill=data.get("bill") or self.only_bill,
            stance=data.get("stance"),
            date=data.get("date"),
            url=data.get("url"),
            publisher=data.get("publisher"),
            official_text=data.get("official_text"),
            text_begins_after=data.get("text_begins_after"),
            note=data.get("note"),
            draft=bool(data.get("draft")),
            version=data.get("version"),
            origin=Origin(path),
        )
        self.draft_checks(data, path, doc, corpus)
        if path.stem != doc.id:
            self.problem(
                path, line_at(path, ["id"]), f"id {doc.id!r} differs from the file name; rename one"
            )
        if not doc.bill and self.ask_for_bill:
            self.problem(
                path,
                doc.origin.line,
                "name the 'bill' this document is about (the corpus has several)",
            )
        if "text" in data:
            doc.text_path = path.parent / data["text"]
            try:
                found = read_corpus_file(doc.text_path, self.allowed)
                raw = found.data or b""
                doc.text_path = found.path  # resolved
                st = found.stat  # as read: a change during the build shows
                doc.text_stat = (st.st_size, st.st_mtime_ns)
                doc.text = raw.decode("utf-8")
                doc.text_sha256 = digest(raw)
            except Refused as exc:  # outside the corpus, a named pipe, too large
                self.problem(path, line_at(path, ["text"]), f"text {data['text']!r} {exc}")
            except FileNotFoundError:
                self.problem(path, line_at(path, ["text"]), f"text file {data['text']!r} not found")
            except IsADirectoryError:
                self.problem(
                    path, line_at(path, ["text"]), f"{data['text']!r} is a folder; name a text file"
                )
            except OSError as exc:
                self.problem(
                    path,
                    line_at(path, ["text"]),
                    f"text file {data['text']!r} cannot be read ({exc.strerror})",
                )
            except UnicodeDecodeError:
                self.problem(
                    path, line_at(path, ["text"]), f"text file {data['text']!r} is not UTF-8"
                )
        for i, c in enumerate(data["claims"]):
            doc.claims.append(
                Claim(
                    id=c["id"],
                    source_id=doc.id,
                    statement=c["statement"],
                    quote=c.get("quote"),
                    paraphrase=bool(c.get("paraphrase")),
                    where=c.get("where"),
                    sections=list(c.get("sections", [])),
                    whole_bill=bool(c.get("whole_bill")),
                    version=c.get("version"),
                    topics=list(c.get("topics", [])),
                    by=list(c.get("by", [])),
                    origin=Origin(path, ("claims", i)),
                )
            )
        for i, p in enumerate(data.get("positions", [])):
            doc.positions.append(
                Position(
                    agent=p["by"],
                    stance=p["stance"],
                    source_id=doc.id,
                    role=p.get("role"),
                    version=p.get("version"),
                    where=p.get("where"),
                    note=p.get("note"),
                    origin=Origin(path, ("positions", i)),
                )
            )
        for i, r in enumerate(data.get("relations", [])):
            doc.relations.append(
                Relation(
                    id=r["id"],
                    source_id=doc.id,
                    kind=r["kind"],
                    premises=list(r["from"]),
                    conclusion=r["to"],
                    note=r.get("note"),
                    origin=Origin(path, ("relations", i)),
                )
            )
        return doc


def _anchor_fields(anchor: QuoteAnchor | None) -> tuple | None:
    """An anchor as the build cache keeps it (``QuoteAnchor(*fields)`` gives it back)."""
    if anchor is None:
        return None
    return (anchor.exact, anchor.start, anchor.end, anchor.prefix, anchor.suffix)


def _quote_anchors(
    path: Path, data: Any, allowed: Allowed
) -> list[tuple[tuple[str, int, str], tuple | None]]:
    """The look-ups :class:`_Checker` will make for the quotes of the source file at ``path``
    (parsed: ``data``), made ahead (see :meth:`BuildCache.prefetch`): as keys and fields of
    the build cache. Anything amiss (a text ``allowed`` refuses too) is left for the
    checker, which reports it."""
    found: list[tuple[tuple[str, int, str], tuple | None]] = []
    try:
        raw = read_corpus_file(path.parent / data["text"], allowed).data or b""
        text = NormalizedText(raw.decode("utf-8"))
        sha = digest(raw)

        def look_up(quote: str, start: int) -> QuoteAnchor | None:
            anchor = text.find(quote, start)
            found.append(((sha, start, quote), _anchor_fields(anchor)))
            return anchor

        start = 0
        if data.get("text_begins_after"):
            marker = look_up(data["text_begins_after"], 0)
            if marker is None:
                return found
            start = marker.end
        for claim in data["claims"]:
            if claim.get("quote"):
                look_up(claim["quote"], start)
    except (KeyError, TypeError, AttributeError, OSError, UnicodeDecodeError):
        pass
    return found


class _Text:
    """A source text's quote look-ups, through the build cache where there is one: preparing
    a long text costs more than reading it, so it is prepared only for a quote not seen."""

    def __init__(self, doc: SourceDocument, cache: BuildCache | None) -> None:
        self.doc = doc
        self.cache = cache
        self._prepared: NormalizedText | None = None

    def _search(self, quote: str, start: int) -> QuoteAnchor | None:
        if self._prepared is None:
            self._prepared = NormalizedText(self.doc.text or "")
        return self._prepared.find(quote, start)

    def find(self, quote: str, start: int = 0) -> QuoteAnchor | None:
        if self.cache is None:
            return self._search(quote, start)
        key = (self.doc.text_sha256 or "", start, quote)
        found = self.cache.anchor(key)
        if found is False:
            anchor = self._search(quote, start)
            self.cache.keep_anchor(key, _anchor_fields(anchor))
            return anchor
        return None if found is None else QuoteAnchor(*found)  # type: ignore[misc]


class _Checker:
    """Cross-file checks: unique ids, known references, quotes found in their texts."""

    def __init__(self, corpus: Corpus, loader: _Loader) -> None:
        self.corpus = corpus
        self.loader = loader

    def problem(self, origin: Origin, message: str) -> None:
        self.loader.problem(origin.file, origin.line, message)

    def unique(self, items: Iterable[tuple[str, Origin]], what: str) -> set[str]:
        seen: dict[str, Origin] = {}
        for key, origin in items:
            if key in seen:
                self.problem(
                    origin,
                    f"duplicate {what} {key!r} (first defined at "
                    f"{self.loader.shown(seen[key].file)}:{seen[key].line}); give it another id",
                )
            else:
                seen[key] = origin
        return set(seen)

    def check(self, known: Known | None = None) -> None:
        """Check the corpus; with ``known``, some of its documents alone, against what the
        rest of it defines."""
        c = self.corpus
        whole = known is None
        known = known or Known()
        agents = self.unique(
            [(o.id, o.origin) for o in c.organizations] + [(p.id, p.origin) for p in c.people],
            "organization or person id",
        )
        agents |= known.organizations | known.people
        topics = self.unique([(t.id, t.origin) for t in c.topics], "topic id") | known.topics
        sources = self.unique([(s.id, s.origin) for s in c.sources], "source id")
        bills = {b.id: b for b in c.bills}
        self.unique([(b.id, b.origin) for b in c.bills], "bill id")
        for bill in c.bills:
            self.check_bill(bill, agents)
        for t in c.topics:
            if t.broader and t.broader not in topics:
                self.problem(t.origin, f"broader topic {t.broader!r} is not defined in topics.yaml")
        for thing in [*c.organizations, *c.people, *c.memberships]:
            self.check_provenance(thing.provenance, thing.origin, sources)
        # A bill's file is the same as at the last whole build when some documents are
        # checked alone (graph.pipeline.load), and the documents it names were there.
        for bill in c.bills if whole else ():
            self.check_provenance(bill.provenance, Origin(bill.origin.file, ("source",)), sources)
            for step in [*bill.versions, *bill.events, *bill.counterparts]:
                self.check_provenance(step.provenance, step.origin, sources)
        for m in c.memberships:
            for ref in (m.member, m.organization):
                if ref not in agents:
                    self.problem(m.origin, f"unknown organization or person {ref!r}")
            if m.member == m.organization:
                self.problem(
                    m.origin,
                    f"membership of {m.member!r} in {m.organization!r}: an organization "
                    "cannot be a member of itself",
                )
            if m.organization in {p.id for p in c.people}:
                self.problem(
                    m.origin, f"{m.organization!r} is a person; 'of' must be an organization"
                )

        claims: dict[str, Claim | None] = dict.fromkeys(known.claims)
        claims.update((cl.key, cl) for cl in c.claims)
        relations: dict[str, Relation | None] = dict.fromkeys(known.relations)
        relations.update((r.key, r) for r in c.relations)
        for doc in c.sources:
            self.unique(
                [(cl.id, cl.origin) for cl in doc.claims]
                + [(r.id, r.origin) for r in doc.relations],
                f"claim or relation id in {doc.id}",
            )
            bill = bills.get(doc.bill)
            if doc.bill and bill is None:
                self.problem(doc.origin, f"unknown bill {doc.bill!r}; define it in bills/")
            for a in doc.authors:
                if a not in agents:
                    self.problem(doc.origin, f"unknown author {a!r}; add it to organizations.yaml")
            self.check_claims(doc, bill, agents, topics)
            self.check_positions(doc, bill, agents)
            for r in doc.relations:
                self.check_relation(r, doc, claims, relations)

    def check_provenance(self, prov: Provenance, origin: Origin, sources: set[str]) -> None:
        # Drafting a corpus's first documents, its registry may name them before they are.
        if prov.source and prov.source not in sources and self.loader.need_sources:
            self.problem(origin, f"source {prov.source!r} is not a source document of this corpus")

    def check_bill(self, bill: Bill, agents: set[str]) -> None:
        self.unique([(v.id, v.origin) for v in bill.versions], f"version id in {bill.id}")
        for v in bill.versions:
            self.unique([(p.citation, p.origin) for p in v.parts], f"part of version {v.id}")
        self.unique([(e.id, e.origin) for e in bill.events], f"event id in {bill.id}")
        self.unique([(s.citation, s.origin) for s in bill.sections], f"section in {bill.id}")
        # A section's IRI is made of its citation's letters and digits (vocab.slug): two
        # citations that differ only in the rest would be one node of the graph.
        first: dict[str, BillSection] = {}
        for section in bill.sections:
            key = slug(section.citation)
            other = first.setdefault(key, section)
            if not key:
                self.problem(
                    section.origin,
                    f"section {section.citation!r}: a citation needs a letter or a digit",
                )
            elif other.citation != section.citation:
                self.problem(
                    section.origin,
                    f"section {section.citation!r} differs from {other.citation!r} (at "
                    f"{self.loader.shown(other.origin.file)}:{other.origin.line}) only in "
                    "spaces, punctuation or case, and the two would be one section in the "
                    "graph; cite one of them otherwise",
                )
        versions = {v.id for v in bill.versions}
        for person in [*bill.authors, *bill.coauthors]:
            if person not in agents:
                self.problem(
                    bill.origin, f"unknown author {person!r}; add it to organizations.yaml"
                )
        parts = {v.id: {p.citation for p in v.parts} for v in bill.versions}
        for c in bill.counterparts:
            if c.version not in parts:
                self.problem(
                    c.origin,
                    f"counterpart: version {c.version!r} is not a version of {bill.id}"
                    + _suggest(c.version, parts),
                )
            elif c.part not in parts[c.version]:
                self.problem(
                    c.origin,
                    f"counterpart: {c.part!r} is not a part of version {c.version!r}"
                    + (
                        _suggest(c.part, parts[c.version]) or "; cite it as the version's tree does"
                    ),
                )
        for e in bill.events:
            if e.version and e.version not in versions:
                self.problem(e.origin, f"event names unknown version {e.version!r}")
            if e.ayes is None and e.noes is not None or e.noes is None and e.ayes is not None:
                self.problem(e.origin, "a vote needs both 'ayes' and 'noes'")

    def resolve_parts(self, cl: Claim, doc: SourceDocument, bill: Bill) -> None:
        """Read a claim's citations in the version it is about (the one it names, or the one
        in print on its document's date) and put the provisions they cite in their place.

        A citation that version lacks is looked for in the others: often the point of the
        claim ("the amendments removed the Frontier Model Division"), so the author is told,
        and the build goes on with the provision of the nearest version that has it.
        """
        versions = {v.id: v for v in bill.versions}
        if cl.version is not None and cl.version not in versions:
            self.problem(
                cl.origin,
                f"claim {cl.id!r}: version {cl.version!r} is not a version of bill {bill.id}"
                + _suggest(cl.version, versions),
            )
            return
        read = versions[cl.version] if cl.version else _read_by(doc, bill)
        if read is None or not read.parts:
            return
        resolved, parts = [], []
        here = {p.citation: p for p in read.parts}
        for citation in cl.sections:
            if citation in here:
                resolved.append(here[citation].provision or citation)
                parts.append((read.id, citation))
                continue
            having = [v for v in bill.versions if any(p.citation == citation for p in v.parts)]
            if not having:
                resolved.append(citation)  # a provision's own citation, or an error below
                continue
            earlier = [v for v in having if v.date <= read.date]
            nearest = earlier[-1] if earlier else having[0]
            what = (
                "named by the claim"
                if cl.version
                else "the document reads"
                if doc.version
                else f"in print on {doc.date}"
            )
            self.loader.corpus_warnings.append(
                Warning_(
                    self.loader.shown(cl.origin.file),
                    cl.origin.line,
                    f"claim {cl.id!r}: {citation!r} is not in the version {what} "
                    f"({read.label}); {nearest.label} has it. If the claim is about that "
                    f"text, say so with 'version: {nearest.id}'",
                )
            )
            part = next(p for p in nearest.parts if p.citation == citation)
            resolved.append(part.provision or citation)
            parts.append((nearest.id, citation))
        cl.parts = parts
        cl.sections = list(dict.fromkeys(resolved))
        cl.version = read.id

    def check_claims(
        self, doc: SourceDocument, bill: Bill | None, agents: set[str], topics: set[str]
    ) -> None:
        text = _Text(doc, self.loader.cache) if doc.text is not None else None
        body_start = 0
        if text is not None and doc.text_begins_after:
            marker = text.find(doc.text_begins_after)
            if marker is None:
                self.problem(
                    doc.origin,
                    f"text_begins_after {doc.text_begins_after!r} does not occur in "
                    f"{self.loader.shown(doc.text_path)}",
                )
            else:
                body_start = marker.end
        if bill is not None and (printed := bill.in_print(doc.date)) is not None:
            doc.in_print = printed.id
        if bill is not None and doc.version is not None:
            versions = {v.id for v in bill.versions}
            if doc.version not in versions:
                self.problem(
                    Origin(doc.origin.file, ("version",)),
                    f"version {doc.version!r} is not a version of bill {bill.id}"
                    + _suggest(doc.version, versions),
                )
                doc.version = None
        for cl in doc.claims:
            if bill is not None and any(v.parts for v in bill.versions):
                self.resolve_parts(cl, doc, bill)
            for citation in cl.sections:
                if bill is not None and bill.section(citation) is None:
                    known = (sec.citation for sec in bill.sections)
                    self.problem(
                        cl.origin,
                        f"claim {cl.id!r}: section {citation!r} is not in bill {bill.id}"
                        + (_suggest(citation, known) or "; cite it as the bill file does"),
                    )
            for t in cl.topics:
                if t not in topics:
                    self.problem(
                        cl.origin,
                        f"claim {cl.id!r}: unknown topic {t!r}" + _suggest(t, topics),
                    )
            for a in cl.by:
                if a not in agents:
                    self.problem(
                        cl.origin, f"claim {cl.id!r}: unknown organization or person {a!r}"
                    )
            if cl.quote is None:
                continue
            if text is None:
                if doc.official_text is None:
                    self.problem(
                        cl.origin,
                        f"claim {cl.id!r} has a quote but {doc.id} holds no text to check it "
                        "against; add 'text:' or mark the claim as a paraphrase",
                    )
                continue
            anchor = text.find(cl.quote, body_start)
            if anchor is None:
                after = " after 'text_begins_after'" if body_start else ""
                self.problem(
                    cl.origin,
                    f"claim {cl.id!r}: quote not found in {self.loader.shown(doc.text_path)}"
                    f"{after}; copy it verbatim from the text",
                )
            cl.anchor = anchor

    def check_positions(self, doc: SourceDocument, bill: Bill | None, agents: set[str]) -> None:
        """The positions a document records: of known organizations or people, one each,
        on a version of its bill (by default the one in print on the document's date)."""
        first: dict[str, Position] = {}
        for p in doc.positions:
            other = first.setdefault(p.agent, p)
            if other is not p:
                self.problem(
                    p.origin,
                    f"a second position of {p.agent!r} (the first is at line "
                    f"{other.origin.line}); a document records one position of each, so "
                    "keep the one it states",
                )
        versions = {v.id for v in bill.versions} if bill is not None else set()
        for p in doc.positions:
            if p.agent not in agents:
                self.problem(
                    p.origin,
                    f"position of unknown organization or person {p.agent!r}"
                    + (_suggest(p.agent, agents) or "; add it to organizations.yaml"),
                )
            if p.version is not None and bill is not None and p.version not in versions:
                self.problem(
                    p.origin,
                    f"position of {p.agent!r}: version {p.version!r} is not a version of bill "
                    f"{bill.id}" + _suggest(p.version, versions),
                )
            if p.version is None:
                p.version = doc.version or doc.in_print

    def check_relation(
        self,
        r: Relation,
        doc: SourceDocument,
        claims: dict[str, Claim | None],
        relations: dict[str, Relation | None],
    ) -> None:
        def resolve(ref: str) -> str:
            return ref if "/" in ref else f"{doc.id}/{ref}"

        r.premises = [resolve(p) for p in r.premises]
        r.conclusion = resolve(r.conclusion)
        for p in r.premises:
            if p not in claims:
                self.problem(
                    r.origin,
                    f"relation {r.id!r}: premise {p!r} is not a known claim" + _suggest(p, claims),
                )
        if r.kind == "undercuts":
            if r.conclusion not in relations:
                self.problem(
                    r.origin,
                    f"relation {r.id!r} undercuts an inference, so 'to' must name a relation; "
                    f"{r.conclusion!r} is not one",
                )
        elif r.conclusion not in claims:
            self.problem(
                r.origin,
                f"relation {r.id!r}: conclusion {r.conclusion!r} is not a known claim"
                + _suggest(r.conclusion, claims),
            )
        if r.conclusion in r.premises:
            self.problem(r.origin, f"relation {r.id!r}: a claim cannot support or attack itself")
        assert r.kind in ("supports", *ATTACK_KINDS)


def _read_by(doc: SourceDocument, bill: Bill) -> BillVersion | None:
    """The version a document's claims are read in by default: the one it says it reads
    (``version:``, an analysis's), else the one in print on its date."""
    if doc.version is not None:
        return next((v for v in bill.versions if v.id == doc.version), None)
    return bill.in_print(doc.date)


def load_corpus(
    path: str | Path,
    cache: BuildCache | None = None,
    *,
    allow_dirs: Iterable[str | Path] = (),
    max_file_mb: float = MAX_FILE_MB,
    drafts: bool = False,
    need_sources: bool = True,
) -> Corpus:
    """Load and check the corpus folder at ``path``.

    Raises :class:`~graph.errors.InputError` with every problem found; returns a corpus in
    which every reference resolves and every quote carries its anchor in the source text.
    With a :class:`~graph.plumbing.cache.BuildCache`, files and quotes unchanged since it
    was written are taken from it (and checked again all the same).

    A corpus folder may be someone else's: it reads only regular files inside it, or inside
    the folders ``allow_dirs`` (texts kept elsewhere), of ``max_file_mb`` MB at most; any
    other file it names is a problem at its line (:mod:`graph.reading`).

    A draft that ``draft`` wrote (``draft: true``) is a problem telling the author to review
    it, unless ``drafts``: then it is loaded, with the organizations it proposes. A corpus
    with no source documents is a problem unless not ``need_sources`` (drafting its first).
    """
    root = Path(path).resolve()
    with gc_paused():
        allowed = Allowed.of(root, allow_dirs, max_file_mb)
        return _Loader(root, cache, allowed, drafts, need_sources).load()


def load_bill(
    path: str | Path, *, allow_dirs: Iterable[str | Path] = (), max_file_mb: float = MAX_FILE_MB
) -> Bill:
    """Load and check one bill file (``bills/<id>.yaml``) of a corpus, its versions' texts
    with it, without the rest of the corpus: what ``diff`` needs of a bill.

    Files are read as a corpus build reads them: only from the corpus folder the bill file
    stands in (``bills/..``, a folder with a ``corpus.yaml``), or for a bill file in no
    corpus only from its own folder, or from the folders ``allow_dirs``. Raises
    :class:`~graph.errors.InputError` with every problem found.
    """
    path = Path(path).resolve()
    # The folder above a bill file is its corpus only if it is one: the folder above a bill
    # saved in Downloads is someone's home.
    corpus = path.parent.parent
    in_corpus = path.parent.name == "bills" and (corpus / "corpus.yaml").is_file()
    root = corpus if in_corpus else path.parent
    loader = _Loader(root, None, Allowed.of(root, allow_dirs, max_file_mb))
    data = loader.read(path, "bill")
    bill = loader.bill(data, path) if data is not None else None
    if bill is not None and not loader.problems:
        checker = _Checker(Corpus(name=root.name, title="", base=DEFAULT_BASE, root=root), loader)
        checker.unique([(v.id, v.origin) for v in bill.versions], f"version id in {bill.id}")
        for v in bill.versions:
            checker.unique([(p.citation, p.origin) for p in v.parts], f"part of version {v.id}")
    if loader.problems or bill is None:
        raise InputError(loader.problems)
    return bill


def load_documents(
    corpus: Corpus,
    sources: list[Path],
    bills: dict[str, Path],
    known: Known,
    allowed: Allowed | None = None,
) -> Corpus:
    """Load and check the source documents ``sources`` of a corpus alone, into ``corpus``
    (its name, title, base and folder), with the bills they name (``bills``: every bill's
    file by id), against what the rest of the corpus defines (``known``): what an
    incremental rebuild (:mod:`graph.pipeline.load`) does with the documents that changed.

    Raises :class:`~graph.errors.InputError` as :func:`load_corpus` does, though a problem
    its messages would place among the other files (a duplicate's first place, a suggested
    id) is only found by loading the whole corpus. ``allowed``: what the corpus may have
    read (:class:`~graph.reading.Allowed`; its own folder alone unless given).
    """
    with gc_paused():
        loader = _Loader(corpus.root, None, allowed)
        found = [(path, loader.read(path, "source")) for path in sources]
        loader.only_bill = next(iter(bills)) if len(bills) == 1 else ""
        named = {data.get("bill") or loader.only_bill for _, data in found if data is not None}
        for bill in sorted(named & bills.keys()):
            data = loader.read(bills[bill], "bill")
            if data is not None:
                corpus.bills.append(loader.bill(data, bills[bill]))
        for path, data in found:
            if data is not None:
                corpus.sources.append(loader.source(data, path, corpus))
        if not loader.problems:
            _Checker(corpus, loader).check(known)
        if loader.problems:
            raise InputError(loader.problems)
        return corpus
