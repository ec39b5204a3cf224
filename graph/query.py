"""Querying: the canned SPARQL questions, and any query, run on a graph, a file or an endpoint.

The questions the tool ships live in ``graph/queries/*.rq``, one question a file, each opening
with a comment that asks it in plain words and names its parameters. :func:`canned_queries`
lists them; :func:`query` runs one (or a query file, or SPARQL text) and gives a
:class:`QueryResult` whose rows hold rdflib terms, with :meth:`QueryResult.records` for plain
Python values.

Queries run on Oxigraph (pyoxigraph), which is 10 to 30 times faster than rdflib's own engine
on large graphs; rdflib's engine is there too (``engine="rdflib"``), and the test suite checks
that both give the same answers to every canned question. Parameters are bound through the
engine's API (Oxigraph's substitutions, rdflib's ``initBindings``; a ``VALUES`` clause of
typed terms for a remote endpoint), never pasted into the query text.

A query runs on local data only: it may not reach out (``SERVICE``), and ``FROM``,
``FROM NAMED`` and ``GRAPH`` may name only graphs the data holds, so no query fetches a URL or
reads a file. Updates are refused: querying never changes the graph.

>>> from graph.query import canned_queries
>>> canned_queries()["claims-about-section"].parameters[0].name
'section'
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox
from pyparsing import ParseBaseException, Token
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import (
    Query,
    expandUnicodeEscapes,
    expandUnicodeEscapes_re,
    parseQuery,
    parseUpdate,
)
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import ResultRow
from rdflib.term import Identifier, Node

from .errors import InputError, Problem
from .questions import (  # noqa: F401  (re-exported: graph.query is where a caller looks)
    ENGINES,
    GRAPH_FORMATS,
    QUERIES_DIR,
    RESULT_FORMATS,
    CannedQuery,
    Parameter,
    canned_queries,
)
from .terms import to_oxigraph, to_rdflib
from .vocab import PREFIXES

#: Where the values a canned question's parameter may take are looked up: one query a
#: parameter name, giving each ``?value`` with the ``?key`` words and ``?iri`` ids that name it.
VALUES_DIR = QUERIES_DIR / "values"

_PREFIX_IRIS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


class QueryRefused(InputError):
    """A query this tool will not run: an update, or one that would reach outside the data."""


class ResultTooLarge(Exception):
    """A result with more rows (or triples) than the caller allows."""


class EndpointError(Exception):
    """A remote SPARQL endpoint could not be reached or answered with an error."""


def _looks_like_sparql(text: str) -> bool:
    keywords = "PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|WITH"
    return bool(re.search(rf"[{{}}?$]|^\s*({keywords})\b", text, re.I))


def resolve_query(spec: str | os.PathLike[str]) -> tuple[str, str, CannedQuery | None]:
    """The text of a query named by ``spec``, where it came from, and its canned question.

    ``spec`` is the name of a canned question (``stance-matrix``), a path to a query file,
    or the SPARQL text itself.
    """
    path: Path | None = None
    if isinstance(spec, os.PathLike):
        path = Path(spec)
    else:
        canned = canned_queries().get(spec)
        if canned is not None:
            return canned.text, f"{canned.name}.rq", canned
        if "\n" not in spec and len(spec) < 1024:
            try:
                if Path(spec).is_file():
                    path = Path(spec)
            except OSError:
                path = None
        if path is None:
            if _looks_like_sparql(spec):
                return spec, "query", None
            close = [n for n in canned_queries() if spec.lower() in n or n in spec.lower()]
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise InputError.single(
                "query",
                0,
                f"{spec!r} is neither a canned question, a query file nor SPARQL text{hint} "
                "(`query --list` shows the canned questions)",
            )
    try:
        return path.read_text(encoding="utf-8"), str(path), None
    except OSError as exc:
        raise InputError.single(path, 0, f"cannot read the query file: {exc.strerror}") from exc


# --- parsing and checking a query -----------------------------------------------------------


@dataclass(frozen=True)
class ParsedQuery:
    """A query read and checked: its form, its variables and the IRIs it reaches for."""

    text: str
    source: str
    form: str  # SELECT, CONSTRUCT, ASK or DESCRIBE
    variables: frozenset[str]
    from_graphs: tuple[str, ...]  # FROM
    from_named: tuple[str, ...]  # FROM NAMED
    graph_iris: tuple[str, ...]  # GRAPH <iri>
    services: tuple[str, ...]  # SERVICE <iri> or SERVICE ?var


_FORMS = {
    "SelectQuery": "SELECT",
    "ConstructQuery": "CONSTRUCT",
    "AskQuery": "ASK",
    "DescribeQuery": "DESCRIBE",
}


def _is_update(text: str) -> bool:
    """Whether the text is a SPARQL Update with at least one operation (an empty text, or
    one of only comments, parses as an update of nothing)."""
    try:
        update = parseUpdate(text)
    except Exception:
        return False
    return bool(update.get("request", None))


#: How deeply brackets may nest in a query: far deeper than any real question, and shallow
#: enough that neither parser runs out of stack.
MAX_NESTING = 200

#: ``SERVICE`` followed (past white space and comments, and ``SILENT``) by what a service
#: clause names: an IRI, a variable, or anything with a colon before the next space (a
#: prefixed name, whatever characters its prefix is made of). Looked for in the text that
#: runs, wider than the grammar on purpose: only a letter, ``_``, ``?``, ``$`` or ``:`` just
#: before it make it part of another word. The gaps are possessive, so the search is linear.
_SERVICE_WORD = re.compile(
    r"(?<![A-Za-z_?$:])SERVICE(?:\s++|#[^\n]*+)*+(?:SILENT(?:\s++|#[^\n]*+)*+)?"
    r"(?:[<?$:]|[^\s#<>{}():]*+:)",
    re.IGNORECASE,
)


def _code_points(text: str, source: str) -> str:
    """The query as SPARQL reads it: each ``\\u``/``\\U`` escape replaced by its character.

    The SPARQL grammar applies to the text after these escapes are replaced, anywhere in
    the query (section 19.2), and rdflib's parser does that; Oxigraph reads an escape inside
    a string as part of the string. So the text rdflib checks and the text Oxigraph runs
    must be one text with no escapes left: this one. An escape that spells another escape
    (``\\u005Cu0022``) would be read twice by rdflib and once by Oxigraph, and is refused.
    """
    try:
        # A comment ends at a line break; rdflib's grammar knows only LF, Oxigraph CR too,
        # so a CR alone would end a comment for one and not the other: one line end here.
        expanded = expandUnicodeEscapes(text).replace("\r\n", "\n").replace("\r", "\n")
    except ValueError as exc:
        raise InputError.single(
            source, 0, f"{exc}: a \\U escape names a Unicode code point up to 10FFFF"
        ) from None
    if expandUnicodeEscapes_re.search(expanded):
        raise QueryRefused.single(
            source,
            0,
            "an escape here spells another escape (such as \\u005Cu0022), which SPARQL "
            "engines read differently; write the character itself",
        )
    bad = next((ch for ch in expanded if "\ud800" <= ch <= "\udfff" or ch == "\x00"), None)
    if bad is not None:
        raise InputError.single(
            source, 0, f"the query holds the character U+{ord(bad):04X}, which no query may hold"
        )
    return expanded


def _grammar_terminals() -> list[Any]:
    """The terminals (keywords, punctuation, regular expressions) of rdflib's query grammar."""
    seen: set[int] = set()
    found: list[Any] = []
    stack: list[Any] = [Query]
    while stack:
        element = stack.pop()
        if id(element) in seen:
            continue
        seen.add(id(element))
        if isinstance(element, Token):
            found.append(element)
        stack.extend(getattr(element, "exprs", None) or [])
        if getattr(element, "expr", None) is not None:
            stack.append(element.expr)
    return found


_TRACING = threading.Lock()
#: The longest query whose syntax error is traced to where the parser stopped (rdflib's
#: parser takes seconds on tens of kilobytes).
_RETRACE_LIMIT = 20_000
_GAP = re.compile(r"(?:\s|#[^\n\r]*)*")


def _stopped_at(text: str, reported: int) -> int:
    """Where the parser stopped reading a query it refused: the start of the first token
    after the furthest one it matched.

    pyparsing reports the start of the clause it could not finish (a whole ``FILTER(...)``
    or ``OPTIONAL {...}``), which leaves the user to find the mistake inside it; the text is
    read again with every terminal of the grammar noting how far it matched. This runs only
    for a query already refused, so the cost is paid once, on the error.
    """
    if len(text) > _RETRACE_LIMIT:  # reading it again would cost too long
        return reported
    furthest = [0]

    def matched(_text: str, _start: int, end: int, *_: Any) -> None:
        furthest[0] = max(furthest[0], end)

    def nothing(*_: Any) -> None:
        return None

    with _TRACING:
        terminals = _grammar_terminals()
        saved = [(t.debug, t.debugActions) for t in terminals]
        for t in terminals:
            t.set_debug_actions(nothing, matched, nothing)
        try:
            Query.parse_string(text, parse_all=True)
        except ParseBaseException:
            pass
        finally:
            for t, (debug, actions) in zip(terminals, saved, strict=True):
                t.debugActions = actions
                t.debug = debug
    gap = _GAP.match(text, furthest[0])
    return max(reported, gap.end() if gap else furthest[0])


def _has_tokens(text: str) -> bool:
    """Whether anything but white space and comments is left in the text."""
    return bool(re.sub(r"#[^\n\r]*", "", text).strip())


def _nesting(text: str) -> int:
    """The deepest nesting of brackets in the text (in strings and comments too, which
    only makes it larger: a bound, not a parse)."""
    depth = deepest = 0
    for ch in text:
        if ch in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "})]":
            depth -= 1
    return deepest


@lru_cache(maxsize=256)
def parse_query(text: str, source: str = "query") -> ParsedQuery:
    """Read a SPARQL query, or raise :class:`InputError` naming the line and column at fault.

    An update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ...) raises
    :class:`QueryRefused`: querying is read-only. Our prefixes (``bg:``, ``eli:``, ...) are
    declared for every query, so a query typed at the command line may leave them out.

    >>> parse_query("SELECT ?c WHERE { ?c a bg:Claim }").form
    'SELECT'
    >>> parse_query("SELECT ?c WHERE {\\n  ?c a bg:Claim\\n  ?d }")
    Traceback (most recent call last):
    ...
    graph.errors.InputError: query:3: column 3: SPARQL syntax error at '?d'; the line reads: '?d }'
    """
    text = _code_points(text, source)
    if _nesting(text) > MAX_NESTING:
        raise InputError.single(
            source,
            0,
            f"brackets nest more than {MAX_NESTING} deep; no question needs that, so it is "
            "refused before it is read",
        )
    try:
        parsed = parseQuery(text)
    except RecursionError:
        raise InputError.single(source, 0, "the query nests too deeply to be read") from None
    except ParseBaseException as exc:
        if not _has_tokens(text):
            raise InputError.single(
                source, 0, "the query is empty (nothing but white space and comments)"
            ) from None
        if _is_update(text):
            raise QueryRefused.single(
                source,
                0,
                "this is a SPARQL Update; querying is read-only and never changes the graph",
            ) from None
        # The message pyparsing gives names the grammar rule it expected, which is too much
        # inside baseball; what a user needs is where, and what was found there.
        offset = _stopped_at(text, exc.loc)
        lineno = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        line = (text.splitlines() or [""])[min(lineno, len(text.splitlines() or [""])) - 1]
        rest = line[col - 1 :].split()
        near = repr(rest[0]) if rest else "the end of the line" if offset < len(text) else "the end"
        expected = re.fullmatch(r"Expected (['\"].+['\"])", exc.msg or "")
        hint = f", expected {expected[1]}" if expected and offset == exc.loc else ""
        raise InputError.single(
            source,
            lineno,
            f"column {col}: SPARQL syntax error at {near}{hint}; "
            f"the line reads: {line.strip()[:80]!r}",
        ) from None
    try:
        q = translateQuery(parsed, initNs=_PREFIX_IRIS)
    except Exception as exc:  # rdflib raises plain Exceptions for undefined prefixes
        message = str(exc)
        m = re.match(r"Unknown namespace prefix : (\S+)", message)
        if m:
            message = f"unknown prefix {m[1]}: declare it with PREFIX {m[1]}: <...>"
        raise InputError.single(source, 0, f"SPARQL error: {message}") from None
    algebra = q.algebra
    froms: list[str] = []
    named: list[str] = []
    for clause in algebra.get("datasetClause", None) or []:
        # CompValue.get gives the key itself for a missing key: test membership instead.
        if "named" in clause:
            named.append(str(clause["named"]))
        else:
            froms.append(str(clause["default"]))
    graphs: list[str] = []
    services: list[str] = []
    variables: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, Variable):
            variables.add(str(node))
        elif isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                services.append(term.n3() if isinstance(term, Variable) else str(term))
            elif node.name == "Graph" and isinstance(node.get("term"), URIRef):
                graphs.append(str(node["term"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple, set, frozenset)):
            for value in node:
                walk(value)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    try:
        walk(algebra)
    except RecursionError:
        raise InputError.single(source, 0, "the query nests too deeply to be read") from None
    if not services and (m := _SERVICE_WORD.search(text)):
        # The parse found no SERVICE clause, yet the text that runs spells one, so the two
        # engines do not read this text alike; whatever the reason, it is not run.
        line = text.count("\n", 0, m.start()) + 1
        raise QueryRefused.single(
            source,
            line,
            f"{m[0].split()[0]} refused: the text spells a SERVICE clause (even inside a "
            "string or comment, a query here may not)",
        )
    return ParsedQuery(
        text=text,
        source=source,
        form=_FORMS[algebra.name],
        variables=frozenset(variables),
        from_graphs=tuple(froms),
        from_named=tuple(named),
        graph_iris=tuple(graphs),
        services=tuple(services),
    )


def check_confined(parsed: ParsedQuery, graphs: Iterable[str] | Callable[[str], bool]) -> None:
    """Refuse a query that would reach outside the data: raise :class:`QueryRefused`.

    ``SERVICE`` would send a request to another server (pyoxigraph and rdflib both do);
    ``FROM`` and ``FROM NAMED`` make rdflib fetch a URL or read a file, so they, and
    ``GRAPH <iri>``, may only name graphs the data holds (``graphs``: their names, or a
    function that tells whether the data holds a graph of that name).
    """
    holds = graphs if callable(graphs) else set(graphs).__contains__
    problems = [
        Problem(
            parsed.source,
            0,
            f"SERVICE {s if s.startswith('?') else '<' + s + '>'} refused: queries here read "
            "only the local graph and never send requests to other servers",
        )
        for s in parsed.services
    ]
    for keyword, iris in (
        ("FROM", parsed.from_graphs),
        ("FROM NAMED", parsed.from_named),
        ("GRAPH", parsed.graph_iris),
    ):
        for iri in iris:
            if not holds(iri):
                problems.append(
                    Problem(
                        parsed.source,
                        0,
                        f"{keyword} <{iri}> refused: it names no graph of this dataset, and "
                        "queries here never fetch URLs or read files",
                    )
                )
    if problems:
        raise QueryRefused(problems)


# --- parameters -----------------------------------------------------------------------------

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PNAME = re.compile(r"^([A-Za-z][\w.-]*)?:([^\s]*)$")


def _to_iri(name: str, value: str) -> URIRef:
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    else:
        m = _PNAME.match(text)
        if m and m[1] in _PREFIX_IRIS:
            text = _PREFIX_IRIS[m[1]] + m[2]
    if not _ABSOLUTE_IRI.match(text) or _IRI_FORBIDDEN.search(text):
        raise InputError.single(
            "--param",
            0,
            f"{name}={value!r} is not an IRI; give a full IRI (<https://...>) or a prefixed "
            "name such as bg:OpposeStance",
        )
    return URIRef(text)


@cache
def _values_query(name: str) -> str | None:
    """The query that lists the values a parameter called ``name`` may take, if there is one.

    A parameter named for a version in some role (``fromVersion``, ``toVersion``) takes the
    values of ``version``.
    """
    path = VALUES_DIR / f"{name}.rq"
    if not path.is_file() and name.endswith("Version"):
        path = VALUES_DIR / "version.rq"
    return path.read_text("utf-8") if path.is_file() else None


def _fold(text: str) -> str:
    """A word as compared loosely: case, spaces and punctuation aside (Open source, open-source)."""
    return re.sub(r"[\W_]+", "", text.casefold())


def _iri_keys(iri: str) -> list[str]:
    """The ids an IRI may be named by: itself, its fragment, and its last one to four path
    parts (``x``, ``ai-alliance/x``, ``claim/ai-alliance/x``, ...).

    >>> _iri_keys("https://example.org/corpus/c/claim/ai-alliance/x")[1:]
    ['x', 'ai-alliance/x', 'claim/ai-alliance/x', 'c/claim/ai-alliance/x']
    """
    keys = [iri]
    parts = urllib.parse.urlsplit(iri)
    if parts.fragment:  # a term of a vocabulary: bg:OpposeStance is OpposeStance
        return [iri, parts.fragment]
    segments = [p for p in parts.path.split("/") if p]
    for n in range(1, min(4, len(segments)) + 1):
        keys.append("/".join(segments[-n:]))
    return keys


def _spellings(text: str) -> list[str]:
    """The ways a value a user typed may name something: as typed, without ``<>``, with our
    prefixes expanded, and the local part of a prefixed name whose prefix we do not know
    (such as a corpus's own, copied from a result table)."""
    text = text.strip()
    out = [text]
    if text.startswith("<") and text.endswith(">"):
        out.append(text[1:-1])
    m = _PNAME.match(text)
    if m and "://" not in text:
        prefix, local = m[1] or "", m[2]
        if prefix in _PREFIX_IRIS:
            out.append(_PREFIX_IRIS[prefix] + local)
        elif local:
            out.append(local)
    return out


def resolve_parameter(name: str, value: str, rows: Iterable[Mapping[str, Cell]]) -> Node:
    """The term a canned question's parameter stands for, given a value in the corpus's own
    words and the rows of its values query (``?value``, ``?key``, ``?iri``; terms of either
    engine).

    A value may be the term itself (a name, a citation, an IRI), a prefixed name (ours, or
    the corpus's as a result table shows it), an id (``zipline-mobility``, the last parts of
    an IRI), or a label; matched exactly, then regardless of case, then regardless of case,
    spaces and punctuation. One that matches nothing, or several things, raises
    :class:`InputError` naming the closest.

    >>> from rdflib import Literal, URIRef
    >>> rows = [{"value": Literal("Zipline Mobility"), "key": None,
    ...          "iri": URIRef("https://example.org/c/organization/zipline-mobility")}]
    >>> resolve_parameter("organization", "zipline-mobility", rows)
    rdflib.term.Literal('Zipline Mobility')
    """
    named: dict[Cell, list[str]] = {}
    for row in rows:
        term = row.get("value")
        if term is None:
            continue
        keys = named.setdefault(term, [])
        kind, text, _, _ = parts_of(term)
        if kind == "literal":
            keys.append(text)
        if row.get("key") is not None:
            keys.append(parts_of(row["key"])[1])
        for iri in (row.get("iri"), term):
            if iri is not None and (found := parts_of(iri))[0] == "uri":
                keys.extend(_iri_keys(found[1]))
    spellings = _spellings(value)
    for compare in (lambda k: k, str.casefold, _fold):
        wanted = {compare(s) for s in spellings} - {""}
        found = {term for term, keys in named.items() if wanted & {compare(k) for k in keys}}
        if len(found) == 1:
            return _as_rdflib(found.pop())
        if len(found) > 1:
            shown = ", ".join(sorted(_shown(t, named[t]) for t in found)[:8])
            raise InputError.single(
                "--param", 0, f"{name}={value!r} could mean any of: {shown}; give one of them"
            )
    shown_keys = {_fold(k): _shown(t, keys) for t, keys in named.items() for k in keys[:4]}
    close = difflib.get_close_matches(_fold(spellings[-1]), list(shown_keys), n=5, cutoff=0.6)
    if close:
        hint = "the closest: " + ", ".join(dict.fromkeys(shown_keys[c] for c in close))
    elif named:
        some = sorted({_shown(t, keys) for t, keys in named.items()})
        hint = f"it holds {len(some)}, such as: " + ", ".join(some[:6])
    else:
        hint = "it holds none"
    raise InputError.single(
        "--param", 0, f"{name}={value!r} matches no {name} in this graph; {hint}"
    )


def _shown(term: Cell, keys: list[str]) -> str:
    """How to show a value in a message: a name as it is; an IRI by the word its values
    query gives, or else by its last part (``opposes-ab7``)."""
    kind, text, _, _ = parts_of(term)
    if kind == "literal":
        return repr(text)
    ids = [k for k in keys if k != text]
    return ids[0] if ids else f"<{text}>"


def bind_parameters(
    parsed: ParsedQuery, canned: CannedQuery | None, params: Mapping[str, Any] | None
) -> dict[str, Identifier]:
    """The query's variables fixed by ``params``, as RDF terms, each checked.

    A canned question takes the parameters its comment names, each of its kind; any other
    query takes any of its variables, a value that looks like an IRI (``<...>``,
    ``https://...``, ``bg:Claim``) becoming an IRI and anything else a string. Values that
    are already rdflib terms are used as they are.
    """
    out: dict[str, Identifier] = {}
    for name, value in (params or {}).items():
        name = name.lstrip("?$")
        if canned is not None:
            param = canned.parameter(name)
            if param is None:
                takes = ", ".join(p.name for p in canned.parameters) or "no parameters"
                raise InputError.single(
                    "--param", 0, f"{canned.name} has no parameter {name!r}; it takes: {takes}"
                )
            kind: str | None = param.kind
        else:
            if name not in parsed.variables:
                raise InputError.single(
                    "--param", 0, f"the query has no variable ?{name} to bind {name}= to"
                )
            kind = None
        if isinstance(value, (URIRef, Literal, BNode)):
            out[name] = value
        elif not isinstance(value, str):
            out[name] = Literal(value)
        elif canned is not None and _values_query(name) is not None:
            # Looked up in the data once it is loaded (resolve_parameter); until then held as
            # typed, so that the question can be checked before any data is read.
            out[name] = Literal(value)
        elif kind == "iri":
            out[name] = _to_iri(name, value)
        elif kind == "text":
            out[name] = Literal(value)
        elif (
            (value.startswith("<") and value.endswith(">"))
            or re.match(r"^(https?|urn|file):", value)
            or (m := _PNAME.match(value))
            and m[1] in _PREFIX_IRIS
        ):
            out[name] = _to_iri(name, value)
        else:
            out[name] = Literal(value)
    return out


def parse_param_options(options: Iterable[str]) -> dict[str, str]:
    """``["section=22603", ...]`` from the command line as ``{"section": "22603"}``."""
    out: dict[str, str] = {}
    for option in options:
        name, sep, value = option.partition("=")
        if not sep or not name.strip():
            raise InputError.single(
                "--param", 0, f"{option!r} should be NAME=VALUE, e.g. section=22603"
            )
        out[name.strip()] = value
    return out


# --- results --------------------------------------------------------------------------------

#: A cell of a result table: a term of the engine that answered (a pyoxigraph term, or an
#: rdflib term from rdflib's engine), or ``None`` where the variable is unbound.
Cell = Any


class QueryResult:
    """What a query gives: rows of terms, a yes or no, or a graph.

    ``form`` is SELECT, ASK, CONSTRUCT or DESCRIBE. :attr:`rows` are rdflib
    :class:`ResultRow` tuples (``row.name`` or ``row["name"]``), ``None`` where a variable is
    unbound. Oxigraph's answers are kept as its own terms and made rdflib terms only when
    :attr:`rows` is first asked for: the tables and result formats are written from the
    terms as they are, which on a result of a hundred thousand rows saves most of the time.
    """

    def __init__(
        self,
        form: str,
        vars: list[str] | None = None,  # noqa: A002 (SPARQL's word)
        rows: list[ResultRow] | None = None,
        boolean: bool | None = None,
        graph: Graph | None = None,
        cells: list[tuple[Cell, ...]] | None = None,
    ) -> None:
        self.form = form
        self.vars = list(vars or [])
        self.boolean = boolean
        self.graph = graph
        self._rows = rows
        self._cells = cells if cells is not None else rows or []

    @property
    def rows(self) -> list[ResultRow]:
        """The rows as rdflib terms (made once, on first use)."""
        if self._rows is None:
            labels = [Variable(v) for v in self.vars]
            self._rows = [_result_row(labels, row) for row in self._cells]
        return self._rows

    def __iter__(self):  # noqa: ANN204
        return iter(self.rows)

    def __len__(self) -> int:
        if self.graph is not None:
            return len(self.graph)
        return len(self._cells)

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts of plain Python values (str, int, bool, date; IRIs as str)."""
        out = []
        for row in self.rows:
            record = {}
            for var, term in zip(self.vars, row, strict=True):
                if term is None:
                    record[var] = None
                elif isinstance(term, Literal):
                    record[var] = term.toPython()
                else:
                    record[var] = str(term)
            out.append(record)
        return out

    def column(self, var: str) -> list[Node | None]:
        """One variable's values, row by row."""
        i = self.vars.index(var)
        return [row[i] for row in self.rows]

    @property
    def cells(self) -> list[tuple[Cell, ...]]:
        """The rows as the engine gave them (pyoxigraph's terms, or rdflib's)."""
        return self._cells

    def parts(self) -> Iterable[list[Parts | None]]:
        """Each row as the :data:`Parts` of its terms: what every result format writes."""
        for row in self._cells:
            yield [None if t is None else parts_of(t) for t in row]

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def serialize(self, format: str = "json") -> str:
        """The result in a SPARQL results format (json, xml, csv, tsv) or, for a graph,
        an RDF format (turtle, ntriples, jsonld, rdfxml)."""
        if self.is_graph:
            if format not in GRAPH_FORMATS:
                raise ValueError(
                    f"a {self.form} result is a graph: use one of {', '.join(GRAPH_FORMATS)}"
                )
            return _serialize_graph(self.graph or Graph(), format)
        if format not in RESULT_FORMATS:
            raise ValueError(
                f"a {self.form} result is a table: use one of {', '.join(RESULT_FORMATS)}"
            )
        return {"json": _to_json, "xml": _to_xml, "csv": _to_csv, "tsv": _to_tsv}[format](self)

    def to_table(self, prefixes: Mapping[str, str] | None = None, width: int = 60) -> str:
        """The result as a table a person reads in a terminal: IRIs shortened with
        ``prefixes``, long texts cut to ``width`` characters, and a count of rows."""
        if self.is_graph:
            return _serialize_graph(self.graph or Graph(), "turtle", prefixes)
        if self.form == "ASK":
            return "yes" if self.boolean else "no"
        names = dict(_PREFIX_IRIS)
        names.update(prefixes or {})
        ordered = sorted(names.items(), key=lambda kv: -len(kv[1]))
        cells = [[_cell(p, ordered, width) for p in row] for row in self.parts()]
        widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(self.vars)]
        lines = ["  ".join(v.ljust(w) for v, w in zip(self.vars, widths, strict=True)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        for r in cells:
            lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        n = len(cells)
        lines.append(f"({n} row{'s' if n != 1 else ''})")
        return "\n".join(lines)


def _as_rdflib(term: Cell) -> Node:
    """A term of either engine as an rdflib term."""
    return term if isinstance(term, Node) else to_rdflib(term)


def _result_row(labels: list[Variable], row: tuple[Cell, ...]) -> ResultRow:
    """A row of pyoxigraph terms as rdflib's :class:`ResultRow`."""
    values = {}
    for label, term in zip(labels, row, strict=True):
        if term is not None:
            values[label] = to_rdflib(term)
    return ResultRow(values, labels)


#: A term as the result formats write it: its kind (``uri``, ``bnode`` or ``literal``), its
#: text (a literal's lexical form as rdflib gives it), and a literal's datatype (``None`` for
#: a plain string) and language.
Parts = tuple[str, str, str | None, str | None]


def parts_of(term: Cell) -> Parts:
    """The :data:`Parts` of a pyoxigraph or rdflib term."""
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    if isinstance(term, ox.Literal):
        if term.language:
            return ("literal", term.value, None, term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return ("literal", term.value, None, None)
        return ("literal", _lexical_form(term.value, datatype), datatype, None)
    if isinstance(term, URIRef):
        return ("uri", str(term), None, None)
    if isinstance(term, BNode):
        return ("bnode", str(term), None, None)
    datatype = None if term.datatype in (None, XSD.string) else str(term.datatype)
    return ("literal", str(term), datatype, term.language or None)


@lru_cache(maxsize=65536)
def _lexical_form(text: str, datatype: str) -> str:
    """A typed literal's lexical form as rdflib writes it (``"01"^^xsd:integer`` as ``1``),
    so that the results are the same whichever way they were made; asked once per value."""
    return str(Literal(text, datatype=URIRef(datatype)))


def _cell(parts: Parts | None, prefixes: list[tuple[str, str]], width: int) -> str:
    if parts is None:
        return ""
    kind, text, _, _ = parts
    if kind == "uri":
        for prefix, ns in prefixes:
            if text.startswith(ns) and len(text) > len(ns):
                text = f"{prefix}:{text[len(ns) :]}"
                break
    elif kind == "bnode":
        text = f"_:{text}"
    text = " ".join(text.split())
    # IRIs are shown whole: a reader copies them into --param and other queries.
    if kind == "uri" or len(text) <= width:
        return text
    return text[: width - 1] + "…"


def _json_term(parts: Parts) -> dict[str, str]:
    kind, text, datatype, language = parts
    out = {"type": kind, "value": text}
    if language:
        out["xml:lang"] = language
    elif datatype is not None:
        out["datatype"] = datatype
    return out


def _to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2) + "\n"
    bindings = [
        {v: _json_term(p) for v, p in zip(result.vars, row, strict=True) if p is not None}
        for row in result.parts()
    ]
    data = {"head": {"vars": result.vars}, "results": {"bindings": bindings}}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _to_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    out.append("  <head>")
    out += [f"    <variable name={quoteattr(v)}/>" for v in result.vars]
    out.append("  </head>")
    if result.form == "ASK":
        out.append(f"  <boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("  <results>")
        for row in result.parts():
            out.append("    <result>")
            for v, p in zip(result.vars, row, strict=True):
                if p is None:
                    continue
                kind, text, datatype, language = p
                if kind != "literal":
                    value = f"<{kind}>{xml_escape(text)}</{kind}>"
                else:
                    attr = ""
                    if language:
                        attr = f" xml:lang={quoteattr(language)}"
                    elif datatype is not None:
                        attr = f" datatype={quoteattr(datatype)}"
                    value = f"<literal{attr}>{xml_escape(text)}</literal>"
                out.append(f"      <binding name={quoteattr(v)}>{value}</binding>")
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends (RFC 4180)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if result.form == "ASK":
        w.writerow(["boolean"])
        w.writerow(["true" if result.boolean else "false"])
        return buf.getvalue()
    w.writerow(result.vars)
    for row in result.parts():
        w.writerow(["" if p is None else f"_:{p[1]}" if p[0] == "bnode" else p[1] for p in row])
    return buf.getvalue()


_NT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _nt_term(term: Cell) -> str:
    """A term in N-Triples syntax, every literal on one line (for TSV and VALUES)."""
    return _nt_parts(parts_of(term))


def _nt_parts(parts: Parts) -> str:
    kind, text, datatype, language = parts
    if kind == "uri":
        return f"<{text}>"
    if kind == "bnode":
        return f"_:{text}"
    body = "".join(_NT_ESCAPES.get(ch, ch) for ch in text)
    if language:
        return f'"{body}"@{language}'
    if datatype is not None:
        return f'"{body}"^^<{datatype}>'
    return f'"{body}"'


def _to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: terms in Turtle syntax, tab-separated."""
    if result.form == "ASK":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    for row in result.parts():
        lines.append("\t".join("" if p is None else _nt_parts(p) for p in row))
    return "\n".join(lines) + "\n"


def _serialize_graph(g: Graph, format: str, prefixes: Mapping[str, str] | None = None) -> str:
    out = Graph()
    for prefix, ns in _PREFIX_IRIS.items():
        out.bind(prefix, ns, override=True, replace=True)
    for prefix, ns in (prefixes or {}).items():
        out.bind(prefix, ns, override=True, replace=True)
    for triple in g:
        out.add(triple)
    if format == "ntriples":
        text = out.serialize(format="nt")
        return "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))
    rdflib_format = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "pretty-xml"}[format]
    return out.serialize(format=rdflib_format)


# --- terms between rdflib and pyoxigraph ----------------------------------------------------

_XSD_STRING = str(XSD.string)


# --- data -----------------------------------------------------------------------------------

#: RDF file formats :func:`load_store` reads, by file extension.
DATA_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


def load_store(path: str | os.PathLike[str]) -> ox.Store:
    """An in-memory Oxigraph store holding an RDF file (Turtle, TriG, N-Triples, N-Quads,
    JSON-LD, RDF/XML, by extension), or :class:`InputError` naming the line at fault.

    Oxigraph parses a million triples in about 4 seconds, rdflib in about 50; the commands
    open the file's index instead (:func:`graph.store.open_store`), filled by the same
    :func:`fill_store`.
    """
    return fill_store(ox.Store(), Path(path))


def fill_store(store: ox.Store, path: Path) -> ox.Store:
    """``store`` with the RDF file at ``path`` loaded into it: the one parser of RDF files
    a user gives, and its messages (the file, the line, what is wrong)."""
    fmt = DATA_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError.single(
            path, 0, f"unknown RDF file type {path.suffix!r}; use one of {', '.join(DATA_FORMATS)}"
        )
    if not path.is_file():
        raise InputError.single(path, 0, "no such file")
    try:
        store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as exc:
        line, message = _oxigraph_position(str(exc))
        raise InputError.single(path, line, message) from None
    return store


def _oxigraph_position(message: str) -> tuple[int, str]:
    """The line and a message with the column, from an Oxigraph syntax error."""
    m = re.search(r"line (\d+),? column (\d+):?\s*", message)
    if m:
        rest = re.sub(r"\s*\([^()]*line \d+\)$", "", message[m.end() :])
        return int(m[1]), f"column {m[2]}: {rest or message}"
    m = re.search(r"(\d+):(\d+)", message)
    if not m:
        return 0, message
    rest = message[m.end() :].lstrip(" :-0123456789")
    return int(m[1]), f"column {m[2]}: {rest or message}"


def to_store(data: ox.Store | Graph | Dataset) -> ox.Store:
    """An Oxigraph store holding ``data``; an rdflib Dataset keeps its named graphs.

    Converting takes a moment on a large graph: convert once and pass the store to
    :func:`query` again and again.
    """
    if isinstance(data, ox.Store):
        return data
    store = ox.Store()
    graphs = list(data.graphs()) if isinstance(data, Dataset) else [data]
    for g in graphs:
        if not len(g):
            continue
        to_graph = (
            ox.DefaultGraph()
            if g is data or g.identifier == DATASET_DEFAULT_GRAPH_ID
            else to_oxigraph(g.identifier)
        )
        text = g.serialize(format="nt", encoding="utf-8")
        store.bulk_load(text, format=ox.RdfFormat.N_TRIPLES, to_graph=to_graph)
    return store


def _to_rdflib(data: ox.Store | Graph | Dataset) -> Graph:
    """An rdflib graph of the data whose default graph is the union of its named graphs."""
    if isinstance(data, Dataset):
        return data if data.default_union else Dataset(store=data.store, default_union=True)
    if isinstance(data, Graph):
        return data
    ds = Dataset(default_union=True)
    ds.parse(data=data.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    return ds


def graph_names(data: ox.Store | Graph | Dataset) -> set[str]:
    """The names of the non-empty named graphs of the data."""
    if isinstance(data, ox.Store):
        # An empty graph is no graph of the data: rdflib's engine would fetch a FROM of it.
        return {
            g.value
            for g in data.named_graphs()
            if isinstance(g, ox.NamedNode)
            and next(iter(data.quads_for_pattern(None, None, None, g)), None) is not None
        }
    if isinstance(data, Dataset):
        return {
            str(g.identifier)
            for g in data.graphs()
            if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)
        }
    return set()


def holds_graph(data: ox.Store | Graph | Dataset) -> Callable[[str], bool]:
    """Whether the data holds a non-empty named graph of a given name: asked of a store one
    name at a time (a store on disk with thousands of graphs lists them slowly), of rdflib's
    data from :func:`graph_names`."""
    if isinstance(data, ox.Store):

        def holds(name: str) -> bool:
            try:
                graph = ox.NamedNode(name)
            except ValueError:
                return False
            return next(iter(data.quads_for_pattern(None, None, None, graph)), None) is not None

        return holds
    return graph_names(data).__contains__


# --- running a query ------------------------------------------------------------------------


@dataclass(frozen=True)
class SparqlEndpoint:
    """A remote SPARQL 1.1 Protocol endpoint, e.g. Oxigraph's ``http://host:7878/query``,
    Fuseki's ``http://host:3030/ds/sparql`` or Virtuoso's ``http://host:8890/sparql``."""

    url: str
    timeout: float = 60.0
    default_graphs: tuple[str, ...] = ()


def _row_limit(count: int, max_rows: int | None) -> None:
    if max_rows is not None and count > max_rows:
        raise ResultTooLarge(
            f"the result has more than {max_rows} rows; add a LIMIT or narrow the query"
        )


def execute(
    store: ox.Store,
    parsed: ParsedQuery,
    bindings: Mapping[str, Identifier],
    max_rows: int | None,
    default_graphs: Iterable[str] | None = None,
    named_graphs: Iterable[str] | None = None,
) -> QueryResult:
    """Run a parsed, checked query on an Oxigraph store: the engine under :func:`query` and
    the endpoint. ``default_graphs`` and ``named_graphs`` set the dataset as the SPARQL
    protocol's ``default-graph-uri`` and ``named-graph-uri`` do; without them (and without
    ``FROM``) the default graph is the union of all named graphs.
    """
    options: dict[str, Any] = {"prefixes": _PREFIX_IRIS}
    if bindings:
        options["substitutions"] = {
            ox.Variable(name): to_oxigraph(term) for name, term in bindings.items()
        }
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    elif not parsed.from_graphs and not parsed.from_named:
        # Our data sits in named graphs, one per source document; questions are asked of
        # all of them at once.
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        answer = store.query(parsed.text, **options)
    except SyntaxError as exc:
        line, message = _oxigraph_position(str(exc))
        raise InputError.single(parsed.source, line, f"SPARQL syntax error: {message}") from None
    except RuntimeError as exc:
        # Oxigraph substitutes only variables the query selects; a parameter that is not
        # selected (or a CONSTRUCT's) is fixed by a VALUES clause instead.
        if "substitutions" not in options or "does not contain" not in str(exc):
            raise
        del options["substitutions"]
        answer = store.query(_with_values(parsed, bindings), **options)
    if parsed.form == "ASK":
        return QueryResult("ASK", boolean=bool(answer))
    if parsed.form in ("CONSTRUCT", "DESCRIBE"):
        g = Graph()
        for n, t in enumerate(answer, 1):
            _row_limit(n, max_rows)
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return QueryResult(parsed.form, graph=g)
    names = [v.value for v in answer.variables]
    cells = []
    for n, solution in enumerate(answer, 1):
        _row_limit(n, max_rows)
        cells.append(tuple(solution))
    return QueryResult("SELECT", vars=names, cells=cells)


def _run_rdflib(
    graph: Graph, parsed: ParsedQuery, bindings: Mapping[str, Identifier], max_rows: int | None
) -> QueryResult:
    result = graph.query(parsed.text, initNs=_PREFIX_IRIS, initBindings=dict(bindings))
    if result.type == "ASK":
        return QueryResult("ASK", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = Graph()
        for n, triple in enumerate(result.graph or [], 1):
            _row_limit(n, max_rows)
            g.add(triple)
        return QueryResult(result.type, graph=g)
    names = [str(v) for v in result.vars or []]
    labels = [Variable(v) for v in names]
    rows = []
    for n, row in enumerate(result, 1):
        _row_limit(n, max_rows)
        values = {label: row[i] for i, label in enumerate(labels) if row[i] is not None}
        rows.append(ResultRow(values, labels))
    return QueryResult("SELECT", vars=names, rows=rows)


def _with_values(parsed: ParsedQuery, bindings: Mapping[str, Identifier]) -> str:
    """The query with a trailing ``VALUES`` clause fixing the bound variables.

    A trailing ``VALUES`` joins the whole pattern with the given values before solution
    modifiers apply, which answers the same as substituting them for a variable that every
    solution binds, as every parameter of a canned question is.
    """
    text = parsed.text.rstrip() + "\n" + _values_clause(bindings) + "\n"
    # The clause must leave a valid query, confined as the question was; what runs is the
    # text that was checked.
    return parse_query(text, parsed.source).text


#: What the search for a query's WHERE group steps over whole (comments, strings and IRIs,
#: in which a brace or the word WHERE is not one), and the tokens it looks for.
_GROUP_TOKENS = re.compile(
    r"#[^\n\r]*"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|(?<![\w:?$])WHERE(?![\w-])"
    r"|[{}()]",
    re.IGNORECASE,
)


def _where_group_start(text: str, form: str) -> int | None:
    """Where a query's WHERE group opens: the offset just past its ``{`` (None if none).

    >>> text = 'SELECT * WHERE { ?s ?p "{" . { ?s ?q ?o } } ORDER BY ?s'
    >>> text[_where_group_start(text, "SELECT"):][:9]
    ' ?s ?p "{'
    """
    depth = 0
    after_where = False
    for m in _GROUP_TOKENS.finditer(text):
        found = m[0]
        if found == "{" and depth == 0 and (after_where or form != "CONSTRUCT"):
            return m.end()
        if found in ("{", "("):
            depth += 1
        elif found in ("}", ")"):
            depth -= 1
        elif depth == 0 and found.upper() == "WHERE":
            after_where = True
    return None


def _with_values_in_where(parsed: ParsedQuery, bindings: Mapping[str, Identifier]) -> str:
    """The query with a ``VALUES`` block fixing the bound variables at the head of its WHERE
    group: what a remote endpoint is sent.

    It answers as the trailing clause of :func:`_with_values` does, and every engine reads it
    alike: Virtuoso 7.2 ignores a trailing ``VALUES`` when the pattern has a ``BIND`` (asked
    for one organization's claims, it gave every organization's). Where no WHERE group is
    found, the clause trails.
    """
    start = _where_group_start(parsed.text, parsed.form)
    if start is None:
        return _with_values(parsed, bindings)
    text = parsed.text[:start] + "\n  " + _values_clause(bindings) + "\n" + parsed.text[start:]
    try:
        parse_query(text, parsed.source)  # the block must leave a valid query
    except InputError:
        return _with_values(parsed, bindings)
    return text


def _values_clause(bindings: Mapping[str, Identifier]) -> str:
    """A trailing ``VALUES`` clause fixing the bound variables, built from typed terms.

    Each value is written by :func:`_nt_term` from an IRI checked by :func:`_to_iri` or a
    literal whose every special character is escaped, so no value can change the query.
    """
    names = sorted(bindings)
    row = " ".join(_nt_term(bindings[n]) for n in names)
    return "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + row + ") }"


def _prologue_for(text: str) -> str:
    """PREFIX lines for those of our prefixes a query uses without declaring them."""
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w.-]*):", text, re.I)}
    return "".join(
        f"PREFIX {p}: <{ns}>\n"
        for p, ns in _PREFIX_IRIS.items()
        if p.lower() not in declared and re.search(rf"(?<![\w<]){re.escape(p)}:", text)
    )


class _Malformed(Exception):
    """An endpoint's answer that is not what SPARQL results are: said in a phrase."""


def _parse_json_term(value: object) -> Node:
    """A term of SPARQL results JSON as rdflib's; :class:`_Malformed` for anything else
    (no type, no value, an IRI no RDF may hold)."""
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise _Malformed(f"a term is not an object with a value: {value!r:.80}")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        try:
            ox.NamedNode(text)
        except ValueError:
            raise _Malformed(f"{text!r:.80} is not an IRI") from None
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind not in ("literal", "typed-literal"):
        raise _Malformed(f"a term has the type {kind!r:.40}, not uri, bnode or literal")
    if isinstance(value.get("xml:lang"), str):
        return Literal(text, lang=value["xml:lang"])
    datatype = value.get("datatype")
    if isinstance(datatype, str) and datatype != _XSD_STRING:
        return Literal(text, datatype=URIRef(datatype))
    return Literal(text)


def _results_of(body: bytes, max_rows: int | None) -> QueryResult:
    """SPARQL results JSON as a :class:`QueryResult`; :class:`_Malformed` saying what is
    wrong with anything else (a list, no head, a row that is no object, bytes not UTF-8)."""
    try:
        data = json.loads(body)
    except ValueError as exc:  # UnicodeDecodeError too
        raise _Malformed(f"not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise _Malformed(f"a JSON {type(data).__name__}, not an object")
    if "boolean" in data:
        if not isinstance(data["boolean"], bool):
            raise _Malformed(f"the boolean is {data['boolean']!r:.40}")
        return QueryResult("ASK", boolean=data["boolean"])
    head, results = data.get("head"), data.get("results")
    names = head.get("vars") if isinstance(head, dict) else None
    if not isinstance(names, list) or not all(isinstance(v, str) for v in names):
        raise _Malformed("no head with a list of variables")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise _Malformed("no results with a list of bindings")
    labels = [Variable(v) for v in names]
    rows = []
    for n, binding in enumerate(bindings, 1):
        _row_limit(n, max_rows)
        if not isinstance(binding, dict):
            raise _Malformed(f"row {n} is not an object")
        values = {Variable(k): _parse_json_term(v) for k, v in binding.items() if k in names}
        rows.append(ResultRow(values, labels))
    return QueryResult("SELECT", vars=names, rows=rows)


def _graph_of(body: bytes, content_type: str) -> Graph:
    """An answer in N-Triples or Turtle as an rdflib Graph; :class:`_Malformed` for bytes
    that are neither, or hold an IRI no RDF may hold."""
    rdf_format = "nt" if content_type in ("application/n-triples", "text/plain") else "turtle"
    g = Graph()
    try:
        g.parse(data=body.decode("utf-8"), format=rdf_format)
    except Exception as exc:  # noqa: BLE001 (rdflib's parsers raise many kinds of error)
        raise _Malformed(f"not {rdf_format} ({type(exc).__name__}: {str(exc)[:200]})") from None
    for term in {t for triple in g for t in triple if isinstance(t, URIRef)}:
        try:
            ox.NamedNode(str(term))
        except ValueError:
            raise _Malformed(f"{str(term)!r:.80} is not an IRI") from None
    return g


def _run_remote(
    endpoint: SparqlEndpoint,
    parsed: ParsedQuery,
    bindings: Mapping[str, Identifier],
    max_rows: int | None,
) -> QueryResult:
    """The answer ``endpoint`` gives to ``parsed``, asked through
    :func:`graph.remote.post_form` (which checks the URL and bounds the answer); an answer
    that is not SPARQL results is :class:`EndpointError` saying so."""
    from .remote import post_form, shown

    text = _with_values_in_where(parsed, bindings) if bindings else parsed.text
    text = _prologue_for(text) + text
    graph_result = parsed.form in ("CONSTRUCT", "DESCRIBE")
    accept = (
        "application/n-triples, text/turtle;q=0.9"
        if graph_result
        else "application/sparql-results+json"
    )
    form = [("query", text)] + [("default-graph-uri", g) for g in endpoint.default_graphs]
    reply = post_form(endpoint, form, accept)
    try:
        if graph_result:
            g = _graph_of(reply.body, reply.content_type)
            if max_rows is not None:
                _row_limit(len(g), max_rows)
            return QueryResult(parsed.form, graph=g)
        return _results_of(reply.body, max_rows)
    except _Malformed as exc:
        kind = "RDF" if graph_result else "SPARQL results"
        raise EndpointError(
            f"{endpoint.url} did not answer with {kind}: {shown(str(exc))}"
        ) from None


def prepare(
    question: str | os.PathLike[str], params: Mapping[str, Any] | None = None
) -> tuple[ParsedQuery, dict[str, Identifier]]:
    """A question read, parsed and checked, with its parameters as RDF terms.

    Everything :func:`query` checks before it touches data, so a command can report a
    misspelt question or a syntax error before it spends time loading a graph.
    """
    parsed, bindings, _ = _prepare(question, params)
    return parsed, bindings


def _prepare(
    question: str | os.PathLike[str], params: Mapping[str, Any] | None
) -> tuple[ParsedQuery, dict[str, Identifier], CannedQuery | None]:
    """What :func:`prepare` gives, and the canned question, if it is one."""
    text, source, canned = resolve_query(question)
    parsed = parse_query(text, source)
    return parsed, bind_parameters(parsed, canned, params), canned


Data = ox.Store | Graph | Dataset | SparqlEndpoint | str | os.PathLike


def query(
    data: Data,
    question: str | os.PathLike[str],
    params: Mapping[str, Any] | None = None,
    *,
    engine: str = "oxigraph",
    max_rows: int | None = None,
    default_graphs: Iterable[str] | None = None,
    named_graphs: Iterable[str] | None = None,
) -> QueryResult:
    """Ask a question of a graph: the rows (or yes/no, or graph) that answer it.

    ``data`` is an rdflib Graph or Dataset (a built corpus), a pyoxigraph Store, the path of
    an RDF file (opened from its store on disk, :func:`graph.store.open_store`), or a remote
    endpoint (a :class:`SparqlEndpoint` or its ``http(s)://`` URL).
    ``question`` is the name of a canned question, a query file, or SPARQL text.
    ``params`` fixes the question's parameters (``{"section": "22603"}``). Questions are
    asked of the union of all named graphs unless the query says ``FROM``.

    Bad input (a syntax error, an unknown parameter, a refused query) raises
    :class:`~graph.errors.InputError`; more rows than ``max_rows`` raise
    :class:`ResultTooLarge`; a failing endpoint raises :class:`EndpointError`.

    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix bg: <https://w3id.org/billgraph/ontology#> .
    ...     <urn:claim:1> a bg:Claim ; bg:assertedIn <urn:doc:1> .
    ...     <urn:doc:1> a bg:SourceDocument ; bg:stance bg:OpposeStance .''')
    >>> result = query(g, "SELECT ?claim ?stance WHERE { ?claim bg:assertedIn/bg:stance ?stance }")
    >>> result.records()
    [{'claim': 'urn:claim:1', 'stance': 'https://w3id.org/billgraph/ontology#OpposeStance'}]
    >>> len(query(g, "positions", {"stance": "oppose"}))
    0
    >>> query(g, "positions", {"stance": "opposed"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.InputError: --param: stance='opposed' matches no stance ...; the closest: oppose
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    parsed, bindings, canned = _prepare(question, params)
    source = parsed.source
    if isinstance(data, str) and re.match(r"^https?://", data):
        data = SparqlEndpoint(data)
    if isinstance(data, (str, os.PathLike)):
        from .store import open_store

        data = open_store(data)
    if not isinstance(data, SparqlEndpoint):
        holds = holds_graph(data)
        for name in list(default_graphs or []) + list(named_graphs or []):
            if not holds(name):
                raise QueryRefused.single(source, 0, f"<{name}> names no graph of this dataset")
        check_confined(parsed, holds)
        if engine == "rdflib" and (default_graphs or named_graphs):
            raise ValueError("default_graphs and named_graphs need the oxigraph engine")
        data = _to_rdflib(data) if engine == "rdflib" else to_store(data)

    def run(asked: ParsedQuery, fixed: Mapping[str, Identifier]) -> QueryResult:
        if isinstance(data, SparqlEndpoint):
            return _run_remote(data, asked, fixed, max_rows)
        if isinstance(data, Graph):
            return _run_rdflib(data, asked, fixed, max_rows)
        return execute(data, asked, fixed, max_rows, default_graphs, named_graphs)

    if canned is not None:
        for name, value in (params or {}).items():
            name = name.lstrip("?$")
            lookup = _values_query(name)
            if lookup is not None and isinstance(value, str):
                found = run(parse_query(lookup, f"values/{name}.rq"), {})
                # The engine's own terms: only the one chosen is made an rdflib term.
                rows = [dict(zip(found.vars, row, strict=True)) for row in found.cells]
                bindings[name] = resolve_parameter(name, value, rows)  # type: ignore[assignment]
    return run(parsed, bindings)
