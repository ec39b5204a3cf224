"""Validating: does a graph hold what every feature relies on? SHACL, reported in plain words.

:func:`validate` checks any of our graphs (built from a corpus, imported from AIF, or read from
someone's Turtle) against ``ontology/shapes.ttl`` and gives a :class:`ValidationReport`: one
:class:`Violation` per broken rule and node, with the rule's name and its message in a corpus
author's words. :func:`validate_build` is the build's check: it points each violation at the
corpus file and line of the record that made the node.

The shapes run as SPARQL on Oxigraph (:mod:`graph.shacl`: the constraints sharing focus
nodes asked in one query over the whole graph, on a few threads; seconds where pySHACL took
many minutes on a large corpus); pySHACL stays as the reference engine
(``engine="pyshacl"``), and the tests hold the two to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as OneOf

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node
from rdflib.util import guess_format

from .errors import InputError, Problem
from .model import Corpus, Origin
from .ontology import SHAPES_FILE, shapes_graph
from .shacl import SEVERITY, Check, Row, compile_shapes, local_name, rule_message, run_checks, short
from .terms import to_oxigraph
from .vocab import Minter

Engine = OneOf["oxigraph", "pyshacl"]


@dataclass(frozen=True, order=True)
class Violation:
    """One node that breaks one rule: which node, which rule, what is wrong, in words."""

    focus: str  # the node's IRI (or a blank node's id)
    rule: str  # the rule's name: the local name of its shape in ontology/shapes.ttl
    message: str  # what the rule asks, in a corpus author's words
    path: str | None = None  # the property concerned, as a prefixed name
    value: str | None = None  # the offending value, where there is one
    severity: str = "violation"

    def __str__(self) -> str:
        value = f" (found {self.value})" if self.value is not None else ""
        return f"<{self.focus}>: {self.message}{value} [rule {self.rule}]"


@dataclass
class ValidationReport:
    """What :func:`validate` found: whether the graph conforms and every violation, sorted."""

    conforms: bool
    violations: list[Violation]

    def rules(self) -> set[str]:
        """The names of the rules that were broken."""
        return {v.rule for v in self.violations}

    def text(self) -> str:
        """The report as a reader wants it: a line a violation, then a count."""
        if self.conforms:
            return "The graph conforms to the shapes: no problems found."
        lines = [str(v) for v in self.violations]
        n = len(self.violations)
        lines.append(f"{n} problem{'s' if n != 1 else ''} found.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


def _violation(results: Graph, shapes: Graph, result: object) -> Violation:
    """A Violation from one result of pySHACL's report, worded as :mod:`graph.shacl` words it."""
    focus = results.value(result, SH.focusNode)
    source_shape = results.value(result, SH.sourceShape)
    constraint = results.value(result, SH.sourceConstraint)
    component = results.value(result, SH.sourceConstraintComponent)
    # A SPARQL rule is named by its constraint; every other rule by its (property) shape.
    rule_node = constraint if isinstance(constraint, URIRef) else source_shape
    rule = local_name(rule_node) if isinstance(rule_node, URIRef) else "unnamed rule"
    message = rule_message(shapes, source_shape, constraint, component)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    severity = results.value(result, SH.resultSeverity)
    return Violation(
        focus=str(focus),
        rule=rule,
        message=message,
        path=short(results, path) if path is not None else None,
        value=short(results, value) if value is not None else None,
        severity=SEVERITY.get(severity, "violation"),
    )


def _as_graph(graph: Graph | Dataset) -> Graph:
    """One graph of every triple: shapes must see across a dataset's named graphs."""
    if isinstance(graph, Dataset) or type(graph).__name__ == "ConjunctiveGraph":
        merged = Graph()
        for ctx in graph.graphs() if isinstance(graph, Dataset) else graph.contexts():
            for triple in ctx:
                merged.add(triple)
        return merged
    return graph


def _order(v: Violation) -> tuple:
    """Violations by node, rule, path, value (a missing path or value first)."""
    return (v.focus, v.rule, v.message, v.path or "", v.value or "", v.severity)


def _shapes(shapes: Graph | str | Path | None) -> tuple[Graph, str]:
    """The shapes graph to check against, and the name to give it in an error."""
    if shapes is None:
        return shapes_graph(), str(SHAPES_FILE)
    if isinstance(shapes, Graph):
        return shapes, "shapes"
    return read_graph(shapes), str(shapes)


def validate(
    graph: Graph | Dataset | ox.Store,
    shapes: Graph | str | Path | None = None,
    *,
    engine: Engine = "oxigraph",
) -> ValidationReport:
    """Check a graph against our SHACL shapes (or ``shapes``, a graph or a Turtle file).

    Gives a :class:`ValidationReport` listing each node that breaks a rule, with the rule's
    name and what it asks in plain words, so a corpus author or an importer can fix the
    data. A dataset or a store is checked as the union of its graphs, since its nodes refer
    across them. ``graph`` may be an rdflib graph or dataset, or a pyoxigraph store (checked
    as it is, the fast way for a large graph). ``engine="pyshacl"`` checks with pySHACL
    instead: the reference, slow on a large graph, same report.

    >>> from rdflib import Graph
    >>> data = Graph().parse(format="turtle", data='''
    ...     @prefix bg: <https://w3id.org/billgraph/ontology#> .
    ...     <https://example.org/r> a bg:Support ; bg:premise <https://example.org/c> .
    ...     <https://example.org/c> a bg:Claim .''')
    >>> report = validate(data)
    >>> report.conforms
    False
    >>> sorted(report.rules())
    ['ClaimSource', 'ClaimText', 'RelationHasOneConclusion']
    >>> validate(data, engine="pyshacl").violations == report.violations
    True
    """
    shapes_g, source = _shapes(shapes)
    if engine == "pyshacl":
        return _validate_pyshacl(graph, shapes_g)
    if engine != "oxigraph":
        raise ValueError(f"unknown engine {engine!r}: use 'oxigraph' or 'pyshacl'")
    checks = compile_shapes(shapes_g, source)
    store = graph if isinstance(graph, ox.Store) else to_store(graph)
    return _report(run_checks(store, checks))


def _report(rows: Iterable[Row]) -> ValidationReport:
    violations = sorted({_row_violation(row) for row in rows}, key=_order)
    return ValidationReport(not any(v.severity == "violation" for v in violations), violations)


def _row_violation(row: Row) -> Violation:
    check = row.check
    return Violation(
        focus=row.focus.value,
        rule=check.rule,
        message=check.message,
        path=row.path,
        value=short(None, rdflib_term(row.value)) if row.value is not None else None,
        severity=check.severity,
    )


def _validate_pyshacl(graph: Graph | Dataset | ox.Store, shapes_g: Graph) -> ValidationReport:
    from pyshacl import validate as shacl_validate  # the reference engine: loaded when asked

    if isinstance(graph, ox.Store):
        from .emit import dataset_of

        graph = dataset_of(graph.quads_for_pattern(None, None, None, None))
    conforms, results, _ = shacl_validate(
        _as_graph(graph),
        shacl_graph=shapes_g,
        inference="none",
        advanced=True,
        allow_warnings=True,
        # No inference and no SHACL rules: nothing is added to the data, so skip the copy.
        inplace=True,
    )
    # Only the report's own results: nested ones (the details of an sh:node) repeat them.
    found = (
        r
        for report in results.subjects(RDF.type, SH.ValidationReport)
        for r in results.objects(report, SH.result)
    )
    violations = sorted({_violation(results, shapes_g, r) for r in found}, key=_order)
    return ValidationReport(bool(conforms), violations)


def rdflib_term(term: ox.Term):
    """The rdflib term of a pyoxigraph term as the report shows it: blank nodes keep their
    ids and literals their datatype and lexical form (unlike :func:`graph.terms.to_rdflib`)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    # As the store holds it: rdflib would rewrite an ill-typed boolean as "false".
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


def to_store(graph: Graph | Dataset) -> ox.Store:
    """A pyoxigraph store holding ``graph`` (a dataset's named graphs as named graphs).

    Blank nodes keep their ids, so a violation names the same node pySHACL would.
    """
    store = ox.Store()
    terms: dict = {}

    def term(t: object) -> ox.Term:
        found = terms.get(t)
        if found is None:
            found = terms[t] = _ox_term(t)
        return found

    if isinstance(graph, Dataset) or type(graph).__name__ == "ConjunctiveGraph":
        contexts = graph.graphs() if isinstance(graph, Dataset) else graph.contexts()
        quads = (
            ox.Quad(term(s), term(p), term(o), _graph_name(ctx.identifier))
            for ctx in contexts
            for s, p, o in ctx
        )
    else:
        quads = (ox.Quad(term(s), term(p), term(o)) for s, p, o in graph)
    store.bulk_extend(quads)
    return store


def _graph_name(identifier: object) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
    if isinstance(identifier, URIRef) and str(identifier) != "urn:x-rdflib:default":
        return ox.NamedNode(str(identifier))
    if isinstance(identifier, BNode):
        return _ox_term(identifier)  # type: ignore[return-value]
    return ox.DefaultGraph()


def _ox_term(t: Node) -> ox.Term:
    try:
        return to_oxigraph(t)
    except ValueError:  # a blank node id Oxigraph does not accept: a fresh node, the same
        return ox.BlankNode()  # within a load (the caller keeps each term it made)


def read_graph(path: str | Path) -> Graph:
    """Read an RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML; by its suffix).

    A dataset format is read as the union of its graphs. Raises :class:`InputError` naming
    the file and, where the parser says, the line, when the file is missing or not valid RDF.
    """
    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise InputError.single(shown, 0, "no such file")
    fmt = guess_format(path.name) or "turtle"
    try:
        if fmt in ("trig", "nquads", "trix"):
            ds = Dataset()
            ds.parse(path, format=fmt)
            return _as_graph(ds)
        return Graph().parse(path, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many types; all mean "not valid RDF"
        # rdflib's Turtle parser says why in ``_why`` and counts lines from 0 in ``lines``.
        line = getattr(exc, "lines", None)
        why = getattr(exc, "_why", None) or (str(exc).strip().splitlines() or [repr(exc)])[0]
        line_no = line + 1 if isinstance(line, int) else 0
        raise InputError.single(shown, line_no, f"is not valid {fmt}: {why}") from None


_BASE = re.compile(r"^\s*(?:@base|BASE)\s*<([^>]*)>", re.MULTILINE | re.IGNORECASE)


def _line_of(text: str, focus: str) -> int:
    """The line where a node is first written as a subject (else mentioned) in an RDF file."""
    forms = [f"<{focus}>"]
    written = short(None, URIRef(focus))
    if not written.startswith("<"):
        forms.append(written)
    for base in _BASE.findall(text):
        if focus.startswith(base) and len(focus) > len(base):
            forms.append(f"<{focus[len(base) :]}>")
    mention = 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        for form in forms:
            if stripped.startswith(form):
                return number
            if not mention and form in line:
                mention = number
    return mention


def validate_file(path: str | Path, shapes: str | Path | None = None) -> ValidationReport:
    """Read an RDF file and :func:`validate` it; raises :class:`InputError` if it does not conform.

    The error has one problem per violation, each at the line of the file where the
    offending node is written, so any Turtle (ours or someone else's) gets the same report
    a corpus author gets from the build.
    """
    report = validate(read_store(path), shapes)
    if report.conforms:
        return report
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    raise InputError(
        [Problem(str(path), _line_of(text, v.focus), _problem(v)) for v in report.violations]
    )


def read_store(path: str | Path) -> ox.Store:
    """Read an RDF file into a pyoxigraph store, fast (a dataset's graphs as named graphs).

    Formats pyoxigraph does not read go through rdflib (:func:`read_graph`); a file that is
    not valid RDF raises :class:`InputError` as :func:`read_graph` words it.
    """
    path = Path(path)
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
    if fmt is None or not path.is_file():
        return to_store(read_graph(path))
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        read_graph(path)  # rdflib words the problem with its line, as it always has
        raise InputError.single(str(path), 0, f"is not valid {fmt.name}: {exc}") from None
    return store


def _problem(v: Violation, record: str | None = None) -> str:
    value = f" (found {v.value})" if v.value is not None else ""
    node = record or f"<{v.focus}>"
    return f"{node}: {v.message}{value} [rule {v.rule}]"


def record_origins(corpus: Corpus) -> dict[str, tuple[Origin, str]]:
    """Where in the corpus each node of its graph comes from: IRI -> (origin, what it is).

    "What it is" names the record as an author knows it (``claim 'cost-is-high'``), so a
    violation found in RDF can be reported at the YAML line that made it.
    """
    m = Minter(corpus.base)
    out: dict[str, tuple[Origin, str]] = {}

    def put(iri: URIRef, origin: Origin, what: str) -> None:
        out.setdefault(str(iri), (origin, what))

    for bill in corpus.bills:
        put(m.bill(bill.id), bill.origin, f"bill '{bill.id}'")
        for v in bill.versions:
            put(m.version(bill.id, v.id), v.origin, f"version '{v.id}'")
        for s in bill.sections:
            put(m.section(bill.id, s.citation), s.origin, f"section '{s.citation}'")
        for e in bill.events:
            put(m.event(bill.id, e.id), e.origin, f"event '{e.id}'")
    for o in corpus.organizations:
        put(m.organization(o.id), o.origin, f"organization '{o.id}'")
    for p in corpus.people:
        put(m.person(p.id), p.origin, f"person '{p.id}'")
    for ms in corpus.memberships:
        put(
            m.membership(ms.member, ms.organization),
            ms.origin,
            f"membership of '{ms.member}' in '{ms.organization}'",
        )
    for t in corpus.topics:
        put(m.topic(t.id), t.origin, f"topic '{t.id}'")
        put(m.topic_scheme(), t.origin, "the topics")
    for doc in corpus.sources:
        put(m.source(doc.id), doc.origin, f"source '{doc.id}'")
        for c in doc.claims:
            what = f"claim '{c.id}'"
            put(m.claim(doc.id, c.id), c.origin, what)
            put(m.anchor(doc.id, c.id), c.origin, f"the quote anchor of {what}")
            for kind in ("quote", "position"):
                put(m.selector(doc.id, c.id, kind), c.origin, f"the quote anchor of {what}")
        for r in doc.relations:
            put(m.relation(doc.id, r.id), r.origin, f"relation '{r.id}'")
    return out


def _shown(path: Path) -> str:
    """A path as the loader shows it: relative to the working folder where it can be."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def shape_checks() -> list[Check]:
    """Our shapes (ontology/shapes.ttl) as the queries that check them."""
    shapes_g, source = _shapes(None)
    return compile_shapes(shapes_g, source)


def validate_build(
    corpus: Corpus,
    store: ox.Store | Graph | Dataset,
    graphs: Collection[str] | None = None,
    checks: list[Check] | None = None,
) -> ValidationReport:
    """The build's check: :func:`validate` the corpus's graph, or raise at the corpus lines.

    ``store`` is the build's pyoxigraph store (an rdflib graph or dataset also does);
    ``checks``, the shapes' queries if already made (:func:`shape_checks`). With
    ``graphs`` (named-graph IRIs), only nodes stated as subjects in those graphs are checked:
    an incremental rebuild passes the graph of the changed source document, with the graphs
    it refers to loaded beside it. Raises :class:`InputError` with one problem per violation,
    at the file and line of the record that made the offending node (or the corpus folder,
    where no record made it).
    """
    if checks is None:
        checks = shape_checks()
    if not isinstance(store, ox.Store):
        store = to_store(store)
    report = _report(run_checks(store, checks, graphs))
    if report.conforms:
        return report
    origins = record_origins(corpus)
    problems = []
    for v in report.violations:
        if v.severity != "violation":
            continue
        origin, what = origins.get(v.focus, (None, None))
        if origin is None:
            problems.append(Problem(_shown(corpus.root), 0, _problem(v)))
        else:
            # Origin.line is found in the file when asked: only for the nodes reported.
            problems.append(Problem(_shown(origin.file), origin.line, _problem(v, what)))
    raise InputError(problems)


__all__ = [
    "SHAPES_FILE",
    "ValidationReport",
    "Violation",
    "read_graph",
    "read_store",
    "record_origins",
    "to_store",
    "validate",
    "validate_build",
    "validate_file",
]
