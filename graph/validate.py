"""Validating: does a graph hold what every feature relies on? SHACL, reported in plain words.

:func:`validate` checks any of our graphs (built from a corpus, imported from AIF, or read from
someone's Turtle) against ``ontology/shapes.ttl`` with pySHACL and gives a
:class:`ValidationReport`: one :class:`Violation` per broken rule and node, with the rule's
name and its message in a corpus author's words. :func:`validate_build` is the build's check:
it points each violation at the corpus file and line of the record that made the node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.util import guess_format

from .errors import InputError, Problem
from .model import Corpus, Origin
from .ontology import SHAPES_FILE, shapes_graph
from .vocab import PREFIXES, Minter

#: Severity words, as a reader sees them.
_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


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


def _local(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def _short(graph: Graph, term: object) -> str:
    """A term as a reader writes it: ``bg:premise``, ``<https://...>``, ``"text"``."""
    if isinstance(term, URIRef):
        for prefix, ns in PREFIXES.items():
            if str(term).startswith(str(ns)) and len(str(term)) > len(str(ns)):
                return f"{prefix}:{str(term)[len(str(ns)) :]}"
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term)
        return repr(text if len(text) <= 80 else text[:77] + "...")
    if isinstance(term, BNode):
        return "a blank node"
    # A path that is not one property (an alternative path, say): name its properties.
    props = sorted(_short(graph, o) for o in graph.objects(term, None) if isinstance(o, URIRef))
    return " or ".join(props) if props else "a property path"


def _violation(results: Graph, shapes: Graph, result: object) -> Violation:
    focus = results.value(result, SH.focusNode)
    source_shape = results.value(result, SH.sourceShape)
    constraint = results.value(result, SH.sourceConstraint)
    # A SPARQL rule is named by its constraint; every other rule by its (property) shape.
    rule_node = constraint if isinstance(constraint, URIRef) else source_shape
    rule = _local(rule_node) if isinstance(rule_node, URIRef) else "unnamed rule"
    message = (
        shapes.value(rule_node, SH.message)
        or results.value(result, SH.resultMessage)
        or "breaks a rule of the shapes"
    )
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    severity = results.value(result, SH.resultSeverity)
    return Violation(
        focus=str(focus),
        rule=rule,
        message=str(message),
        path=_short(results, path) if path is not None else None,
        value=_short(results, value) if value is not None else None,
        severity=_SEVERITY.get(severity, "violation"),
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


def validate(graph: Graph | Dataset, shapes: Graph | str | Path | None = None) -> ValidationReport:
    """Check a graph against our SHACL shapes (or ``shapes``, a graph or a Turtle file).

    Gives a :class:`ValidationReport` listing each node that breaks a rule, with the rule's
    name and what it asks in plain words, so a corpus author or an importer can fix the
    data. A dataset is checked as the union of its graphs, since its nodes refer across them.

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
    """
    if shapes is None:
        shapes_g = shapes_graph()
    elif isinstance(shapes, Graph):
        shapes_g = shapes
    else:
        shapes_g = read_graph(shapes)
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
    violations = sorted({_violation(results, shapes_g, r) for r in found})
    return ValidationReport(bool(conforms), violations)


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


def _line_of(text: str, focus: str, graph: Graph) -> int:
    """The line where a node is first written as a subject (else mentioned) in an RDF file."""
    forms = [f"<{focus}>"]
    short = _short(graph, URIRef(focus))
    if not short.startswith("<"):
        forms.append(short)
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
    graph = read_graph(path)
    report = validate(graph, shapes)
    if report.conforms:
        return report
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    raise InputError(
        [Problem(str(path), _line_of(text, v.focus, graph), _problem(v)) for v in report.violations]
    )


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


def validate_build(corpus: Corpus, graph: Graph) -> ValidationReport:
    """The build's check: :func:`validate` the corpus's graph, or raise at the corpus lines.

    Raises :class:`InputError` with one problem per violation, at the file and line of the
    record that made the offending node (or the corpus folder, where no record made it).
    """
    report = validate(graph)
    if report.conforms:
        return report
    origins = record_origins(corpus)
    problems = []
    for v in report.violations:
        origin, what = origins.get(v.focus, (None, None))
        if origin is None:
            problems.append(Problem(_shown(corpus.root), 0, _problem(v)))
        else:
            problems.append(Problem(_shown(origin.file), origin.line, _problem(v, what)))
    raise InputError(problems)


__all__ = [
    "SHAPES_FILE",
    "ValidationReport",
    "Violation",
    "read_graph",
    "record_origins",
    "validate",
    "validate_build",
    "validate_file",
]
