"""SHACL as SPARQL: a shapes graph compiled to a few queries that Oxigraph runs over a whole graph.

pySHACL checks one focus node at a time in Python, which took three quarters of a build on a
large corpus (bench/README.md). :func:`compile_shapes` turns a shapes graph into
:class:`Check` s instead, one SPARQL ``SELECT`` per constraint, each over *all* focus nodes of
its shape at once, and :func:`run_checks` runs them on a pyoxigraph store: the checks on the
same focus nodes asked together in one query (:func:`batch_query`), on a few threads at once
(Oxigraph evaluates a query without holding the GIL). The answers are pySHACL's
(``inference="none"``): tests/test_shacl.py breaks every rule of ``ontology/shapes.ttl`` and
compares both engines' reports.

A shapes graph that uses a SHACL feature this compiler does not know is refused with
:class:`UnsupportedShapes`, naming the shape and the feature, so a new rule can never be
silently skipped.

>>> from rdflib import Graph
>>> shapes = Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     <https://example.org/Thing> a sh:NodeShape ; sh:targetClass <https://example.org/Thing> ;
...         sh:property <https://example.org/ThingName> .
...     <https://example.org/ThingName> sh:path <https://example.org/name> ; sh:minCount 1 .''')
>>> [(check.rule, check.path) for check in compile_shapes(shapes)]
[('ThingName', '<https://example.org/name>')]
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection as RdfList
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .errors import InputError, Problem
from .vocab import PREFIXES, SH

#: Severity words, as a reader sees them.
SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


class UnsupportedShapes(InputError):
    """A shapes graph uses SHACL that the SPARQL compiler cannot check (so it refuses to)."""


# --- words: what a report shows of a term, a rule and its message --------------------------


def local_name(iri: URIRef) -> str:
    """The last segment of an IRI: a shape's name as a rule (``bgsh:ClaimText``: ``ClaimText``)."""
    return re.split(r"[#/]", str(iri))[-1]


def short(graph: Graph, term: object) -> str:
    """A term as a reader writes it: ``bg:premise``, ``<https://...>``, ``"text"``.

    ``graph`` is where a path that is not one property (an inverse or a sequence, say) is
    described; such a path is shown by the properties it names directly.
    """
    if isinstance(term, URIRef):
        for prefix, ns in PREFIXES.items():
            if str(term).startswith(str(ns)) and len(str(term)) > len(str(ns)):
                return f"{prefix}:{str(term)[len(str(ns)) :]}"
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term)
        return repr(text if len(text) <= 80 else text[:77] + "...")
    if isinstance(term, BNode):
        if graph is not None and (term, None, None) in graph:
            props = sorted(short(graph, o) for o in graph.objects(term) if isinstance(o, URIRef))
            return " or ".join(props) if props else "a property path"
        return "a blank node"
    return str(term)


def text_of(graph: Graph, node: object, predicate: URIRef) -> str | None:
    """One text of ``node``: English or untagged first, then the first by language, or None."""
    texts = [o for o in graph.objects(node, predicate) if isinstance(o, Literal)]
    if not texts:
        return None
    texts.sort(key=lambda t: (t.language not in (None, "en"), t.language or "", str(t)))
    return str(texts[0])


#: What each kind of constraint asks, for a shape that gives no sh:message of its own.
_DEFAULT_MESSAGES = {
    "MinCount": "{path} needs at least {minCount} value(s)",
    "MaxCount": "{path} has at most {maxCount} value(s)",
    "Class": "each value of {path} must be a {class}",
    "Datatype": "each value of {path} must be a literal of type {datatype}",
    "NodeKind": "each value of {path} must be of node kind {nodeKind}",
    "In": "each value of {path} must be one of the listed values",
    "Pattern": "each value of {path} must match the pattern {pattern}",
    "UniqueLang": "{path} has at most one value per language",
    "MinInclusive": "each value of {path} must be at least {minInclusive}",
    "MaxInclusive": "each value of {path} must be at most {maxInclusive}",
    "MinExclusive": "each value of {path} must be more than {minExclusive}",
    "MaxExclusive": "each value of {path} must be less than {maxExclusive}",
    "LessThan": "each value of {path} must be less than each value of {lessThan}",
    "Equals": "the values of {path} and of {equals} must be the same",
    "Disjoint": "no value of {path} may also be a value of {disjoint}",
    "Node": "each value of {path} must meet the shape {node}",
    "Or": "each value of {path} must meet at least one of the alternatives",
    "And": "each value of {path} must meet every listed shape",
    "Xone": "each value of {path} must meet exactly one of the alternatives",
    "Not": "each value of {path} must not meet the negated shape",
    "QualifiedMinCount": "{path} needs at least {qualifiedMinCount} value(s) of the given shape",
    "QualifiedMaxCount": "{path} has at most {qualifiedMaxCount} value(s) of the given shape",
    "SPARQL": "breaks a SPARQL rule of the shapes",
}


def rule_message(shapes: Graph, shape: object, constraint: object, component: object) -> str:
    """The message of a broken rule: the rule's own sh:message, else what its kind asks.

    The rule is the SPARQL constraint where it has an IRI, else the shape. Both engines word a
    report through this one function, so their reports can be compared.
    """
    for node in (constraint, shape):
        if node is not None:
            message = text_of(shapes, node, SH.message)
            if message:
                return message
    kind = local_name(component).removesuffix("ConstraintComponent") if component else ""
    template = _DEFAULT_MESSAGES.get(kind, "breaks a rule of the shapes")

    def param(name: str) -> str:
        value = shapes.value(shape, SH[name])
        return short(shapes, value) if value is not None else "?"

    path = shapes.value(shape, SH.path)
    values = {k: param(k) for k in re.findall(r"\{(\w+)\}", template) if k != "path"}
    said = template.format(path=short(shapes, path) if path is not None else "the node", **values)
    return said.replace("each value of the node must", "the node must")


# --- what the compiler gives -----------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One constraint of one shape as a SPARQL query over all the shape's focus nodes.

    ``body`` is the query's ``WHERE`` part after the focus nodes (bound as ``?this``); each
    answer is a node that breaks the rule, with the offending ``?value`` where there is one.
    ``rule``, ``message``, ``path`` and ``severity`` are what the report says of every answer.
    """

    rule: str
    message: str
    path: str | None
    severity: str
    targets: str  # a group pattern binding ?this to each focus node
    body: str
    prefixes: str = ""
    value_is_focus: bool = False  # a node shape's constraint: the value is the focus node
    per_focus: str | None = None  # a SPARQL constraint run once per focus node (see below)
    path_from_row: bool = False  # a SPARQL constraint may say the path in ?path

    def query(self, graphs: Collection[str] | None = None) -> str:
        """The SPARQL text, its focus nodes restricted to subjects of ``graphs`` if given."""
        return (
            f"{self.prefixes}SELECT DISTINCT ?this ?value ?path WHERE {{\n"
            f"{focus_block(self.targets, graphs)}\n{self.body}\n}}"
        )


@dataclass(frozen=True)
class Row:
    """One answer of a check: the node, the value (pyoxigraph terms) and the path shown."""

    check: Check
    focus: ox.NamedNode | ox.BlankNode
    value: ox.Term | None
    path: str | None


def focus_block(targets: str, graphs: Collection[str] | None) -> str:
    """The group pattern of the focus nodes: the targets, kept to subjects of ``graphs``."""
    restrict = ""
    if graphs is not None:
        listed = " ".join(f"<{g}>" for g in sorted(graphs))
        restrict = f"VALUES ?sh_g {{ {listed} }} GRAPH ?sh_g {{ ?this ?sh_gp ?sh_go }}\n"
    return f"{{ SELECT DISTINCT ?this WHERE {{\n{restrict}{targets}\n}} }}"


def default_workers() -> int:
    """How many checks :func:`run_checks` evaluates at once by default: the CPUs this process
    may use, at most three (on two cores a third thread gained little, and a fourth lost)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 3))


def run_checks(
    store: ox.Store,
    checks: list[Check],
    graphs: Collection[str] | None = None,
    *,
    workers: int | None = None,
) -> Iterator[Row]:
    """Every answer of every check on ``store`` (the union of its graphs), as :class:`Row` s.

    With ``graphs`` (named-graph IRIs), only focus nodes that are the subject of a statement
    in one of those graphs are checked. The checks run on ``workers`` threads at once
    (default :func:`default_workers`; 1 runs them one after the other in the calling thread):
    Oxigraph lets go of the GIL while it evaluates a query, so two threads on two cores more
    than halve the stage on a large graph (README.md). The rows come in the checks'
    order whatever the number of workers, and an error in a check is raised here.
    """
    # SHACL's instances are rdf:type/rdfs:subClassOf*; where the data states no subclass (our
    # emitted graphs state none) rdf:type alone says the same, a third faster on Oxigraph.
    flat = not store.query(f"ASK {{ ?sub {_SUBCLASS} ?super }}", use_default_graph_as_union=True)
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    batches = _batches(checks)

    def answers(batch: list[Check]) -> list[list[Row]]:
        # Oxigraph evaluates a query as its solutions are read: read them all here, in the
        # thread that runs the batch.
        return _batch_answers(store, batch, graphs, flat)

    if workers == 1 or len(batches) < 2:
        for batch in batches:
            for rows in answers(batch):
                yield from rows
        return
    pool = ThreadPoolExecutor(max_workers=min(workers, len(batches)), thread_name_prefix="shacl")
    try:
        # The largest batches first, so that no long one is left to run alone at the end.
        futures = {
            i: pool.submit(answers, batches[i])
            for i in sorted(range(len(batches)), key=lambda i: -len(batches[i]))
        }
        for i in range(len(batches)):
            for rows in futures[i].result():
                yield from rows
    finally:
        # On an error, or a caller that stops reading, the batches not started are dropped.
        pool.shutdown(wait=True, cancel_futures=True)


def _batches(checks: list[Check]) -> list[list[Check]]:
    """The checks in the groups asked as one query each, in the checks' order.

    Consecutive checks on the same focus nodes (the constraints of a shape and of its
    property shapes) are asked together: the focus nodes are then found once, and each
    node is tested against all of them: a third less time on the 1.1M-triple corpus, on one
    thread or several. A SPARQL constraint of the shapes graph is asked alone, as written.
    """
    batches: list[list[Check]] = []
    for check in checks:
        last = batches[-1][-1] if batches else None
        if (
            last is not None
            and _joinable(check)
            and _joinable(last)
            and (check.targets, check.prefixes) == (last.targets, last.prefixes)
        ):
            batches[-1].append(check)
        else:
            batches.append([check])
    return batches


def _joinable(check: Check) -> bool:
    return check.per_focus is None and not check.path_from_row


def batch_query(batch: list[Check], graphs: Collection[str] | None = None) -> str:
    """One SPARQL query asking every check of ``batch`` (same targets and prefixes) at once.

    Each answer says in ``?sh_check`` which check (its position in ``batch``) it breaks. The
    focus nodes are found once, and each is tested against each check's pattern, ``?this``
    bound (``LATERAL``), so a check's filters see the node as they do in its own query.
    """
    if len(batch) == 1:
        return batch[0].query(graphs)
    first = batch[0]
    branches = " UNION ".join(
        f"{{ {check.body}\nBIND({i} AS ?sh_check) }}" for i, check in enumerate(batch)
    )
    return (
        f"{first.prefixes}SELECT DISTINCT ?sh_check ?this ?value ?path WHERE {{\n"
        f"{focus_block(first.targets, graphs)}\nLATERAL {{ {branches} }}\n}}"
    )


def _batch_answers(
    store: ox.Store, batch: list[Check], graphs: Collection[str] | None, flat: bool
) -> list[list[Row]]:
    """The rows of each check of a batch, evaluated by reading them."""
    if len(batch) == 1 and batch[0].per_focus is not None:
        return [list(_run_per_focus(store, batch[0], graphs))]
    query = batch_query(batch, graphs)
    if flat:
        query = query.replace(_INSTANCE, _TYPE)
    rows: list[list[Row]] = [[] for _ in batch]
    solutions = store.query(query, use_default_graph_as_union=True)
    if len(batch) == 1:
        rows[0] = [_row(batch[0], s["this"], s["value"], s["path"]) for s in solutions]
        return rows
    for s in solutions:
        i = int(s["sh_check"].value)
        rows[i].append(_row(batch[i], s["this"], s["value"], s["path"]))
    return rows


def _row(check: Check, focus: ox.Term, value: ox.Term | None, path: ox.Term | None) -> Row:
    if value is None and check.value_is_focus:
        value = focus
    shown = check.path
    if check.path_from_row and isinstance(path, ox.NamedNode):
        shown = short(None, URIRef(path.value))  # type: ignore[arg-type]
    return Row(check, focus, value, shown)  # type: ignore[arg-type]


def _run_per_focus(store: ox.Store, check: Check, graphs: Collection[str] | None) -> Iterator[Row]:
    """A SPARQL constraint whose query does not give ``$this``: run it once per focus node,
    with ``$this`` bound first, as SHACL-SPARQL defines it."""
    focus_query = f"SELECT ?this WHERE {{ {focus_block(check.targets, graphs)} }}"
    this = ox.Variable("this")
    for f in store.query(focus_query, use_default_graph_as_union=True):
        node = f["this"]
        for s in store.query(
            check.per_focus, use_default_graph_as_union=True, substitutions={this: node}
        ):
            yield _row(check, _bound(s, "this") or node, _bound(s, "value"), _bound(s, "path"))


def _bound(solution: ox.QuerySolution, name: str) -> ox.Term | None:
    try:
        return solution[name]
    except (KeyError, IndexError):
        return None


# --- the compiler ----------------------------------------------------------------------------

#: Every sh: predicate the compiler understands; any other in a shapes graph is refused.
_KNOWN = {
    SH[name]
    for name in [
        "targetClass",
        "targetNode",
        "targetSubjectsOf",
        "targetObjectsOf",
        "target",
        "property",
        "path",
        "inversePath",
        "alternativePath",
        "zeroOrMorePath",
        "oneOrMorePath",
        "zeroOrOnePath",
        "minCount",
        "maxCount",
        "class",
        "datatype",
        "nodeKind",
        "in",
        "pattern",
        "flags",
        "uniqueLang",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "lessThan",
        "equals",
        "disjoint",
        "node",
        "or",
        "and",
        "xone",
        "not",
        "qualifiedValueShape",
        "qualifiedMinCount",
        "qualifiedMaxCount",
        "qualifiedValueShapesDisjoint",
        "message",
        "severity",
        "deactivated",
        "name",
        "description",
        "order",
        "group",
        "defaultValue",
        "sparql",
        "select",
        "prefixes",
        "declare",
        "prefix",
        "namespace",
    ]
}
#: The sh: classes a shapes graph may state; any other (sh:SPARQLRule, sh:JSConstraint, a
#: custom sh:ConstraintComponent, ...) is refused.
_KNOWN_CLASSES = {
    SH[name]
    for name in [
        "NodeShape",
        "PropertyShape",
        "Shape",
        "SPARQLTarget",
        "SPARQLConstraint",
        "PrefixDeclaration",
        "PropertyGroup",
    ]
}
_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"
_INSTANCE = f"{_TYPE}/{_SUBCLASS}*"
_XSD = str(XSD)
_INTEGER_RANGES = {  # Oxigraph keeps every integer type as xsd:integer: check the range
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
#: Datatypes whose lexical forms rdflib (so pySHACL) checks; the others match on the IRI alone.
_CAST_CHECKED = {"integer", "decimal", "float", "double", "boolean", "date", "dateTime", "time"}
_NESTED_COUNT_LIMIT = 4


def _sparql(term: object) -> str:
    """A shapes-graph term as SPARQL text (an IRI or a literal)."""
    if isinstance(term, (URIRef, Literal)):
        return term.n3()
    raise TypeError(term)


class _Compiler:
    def __init__(self, shapes: Graph, source: str) -> None:
        self.g = shapes
        self.source = source
        self.n = 0

    # -- helpers

    def refuse(self, node: object, what: str) -> UnsupportedShapes:
        name = short(self.g, node) if isinstance(node, URIRef) else "a shape"
        return UnsupportedShapes(
            [
                Problem(
                    self.source,
                    0,
                    f"{name} uses {what}, which the SPARQL validator (graph/shacl.py) does not "
                    "support; change the shape, or check with engine='pyshacl'",
                )
            ]
        )

    def fresh(self) -> str:
        self.n += 1
        return f"?sh_{self.n}"

    def items(self, node: object) -> list:
        return list(RdfList(self.g, node))

    def one(self, shape: object, name: str) -> object:
        values = list(self.g.objects(shape, SH[name]))
        if len(values) > 1:
            raise self.refuse(shape, f"more than one sh:{name}")
        return values[0] if values else None

    def deactivated(self, shape: object) -> bool:
        flag = self.g.value(shape, SH.deactivated)
        return isinstance(flag, Literal) and flag.value is True

    def severity(self, shape: object) -> str:
        return SEVERITY.get(self.g.value(shape, SH.severity), "violation")

    def rule(self, node: object) -> str:
        return local_name(node) if isinstance(node, URIRef) else "unnamed rule"

    # -- the whole graph

    def check_vocabulary(self) -> None:
        for s, p, o in self.g:
            if str(p).startswith(str(SH)) and p not in _KNOWN:
                raise self.refuse(s, f"sh:{local_name(p)}")
            if p == RDF.type and str(o).startswith(str(SH)) and o not in _KNOWN_CLASSES:
                raise self.refuse(s, f"sh:{local_name(o)}")

    def shapes_with_targets(self) -> list:
        found = set()
        for name in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target"):
            found.update(self.g.subjects(SH[name], None))
        for cls in (SH.NodeShape, SH.PropertyShape):
            for s in self.g.subjects(RDF.type, cls):
                if (s, RDF.type, RDFS.Class) in self.g:
                    found.add(s)
        return sorted(found, key=str)

    def compile(self) -> list[Check]:
        self.check_vocabulary()
        checks: list[Check] = []
        for shape in self.shapes_with_targets():
            if self.deactivated(shape):
                continue
            targets = self.targets(shape)
            prefixes = self.target_prefixes(shape)
            checks += self.shape_checks(shape, targets, prefixes)
            if (shape, SH.path, None) not in self.g:
                for prop in sorted(self.g.objects(shape, SH.property), key=str):
                    if not self.deactivated(prop):
                        checks += self.shape_checks(prop, targets, prefixes)
            elif (shape, SH.property, None) in self.g:
                raise self.refuse(shape, "sh:property on a property shape")
        return checks

    # -- targets

    def targets(self, shape: object) -> str:
        parts = []
        classes = sorted(self.g.objects(shape, SH.targetClass), key=str)
        if (shape, RDF.type, RDFS.Class) in self.g:
            classes.append(shape)
        if classes:
            listed = " ".join(_sparql(c) for c in classes)
            parts.append(f"VALUES ?sh_tc {{ {listed} }} ?this {_INSTANCE} ?sh_tc .")
        nodes = sorted(self.g.objects(shape, SH.targetNode), key=str)
        if nodes:
            parts.append(f"VALUES ?this {{ {' '.join(_sparql(n) for n in nodes)} }}")
        for p in sorted(self.g.objects(shape, SH.targetSubjectsOf), key=str):
            parts.append(f"?this {_sparql(p)} ?sh_ts .")
        for p in sorted(self.g.objects(shape, SH.targetObjectsOf), key=str):
            parts.append(f"?sh_to {_sparql(p)} ?this .")
        for target in self.g.objects(shape, SH.target):
            if (target, RDF.type, SH.SPARQLTarget) not in self.g or (
                target,
                SH.select,
                None,
            ) not in self.g:
                raise self.refuse(
                    shape, "an sh:target that is not an sh:SPARQLTarget with sh:select"
                )
            if self.deactivated(target):
                continue
            parts.append("{ " + self.embeddable(shape, str(self.g.value(target, SH.select))) + " }")
        return (
            "\n".join(f"{{ {p} }}" for p in parts)
            if len(parts) == 1
            else " UNION ".join(f"{{ {p} }}" for p in parts)
        )

    def target_prefixes(self, shape: object) -> str:
        decls: dict[str, str] = {}
        for target in self.g.objects(shape, SH.target):
            decls.update(self.prefixes_of(target))
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(decls.items()))

    def prefixes_of(self, node: object) -> dict[str, str]:
        """The prefixes a SPARQL-based target or constraint declares (sh:prefixes, sh:declare)."""
        out: dict[str, str] = {}
        seen: set = set()
        todo = list(self.g.objects(node, SH.prefixes))
        while todo:
            ontology = todo.pop()
            if ontology in seen:
                continue
            seen.add(ontology)
            todo += list(self.g.objects(ontology, OWL.imports))
            for decl in self.g.objects(ontology, SH.declare):
                prefix, ns = self.g.value(decl, SH.prefix), self.g.value(decl, SH.namespace)
                if prefix is not None and ns is not None:
                    out[str(prefix)] = str(ns)
        return out

    def embeddable(self, shape: object, select: str) -> str:
        """A SELECT query's text, fit to be a subquery (its own PREFIX lines are refused)."""
        if re.search(r"^\s*(PREFIX|BASE)\b", select, re.IGNORECASE):
            raise self.refuse(
                shape, "PREFIX or BASE inside sh:select (declare them with sh:prefixes)"
            )
        for var in ("shapesGraph", "currentShape"):
            if re.search(rf"[?$]{var}\b", select):
                raise self.refuse(shape, f"${var} in sh:select")
        return select.strip()

    # -- paths

    def path(self, node: object) -> str:
        g = self.g
        if isinstance(node, URIRef):
            return node.n3()
        if (node, RDF.first, None) in g:
            steps = [self.path(step) for step in self.items(node)]
            return "(" + "/".join(steps) + ")"
        for name, fmt in (
            ("inversePath", "(^{})"),
            ("zeroOrMorePath", "({})*"),
            ("oneOrMorePath", "({})+"),
            ("zeroOrOnePath", "({})?"),
        ):
            inner = g.value(node, SH[name])
            if inner is not None:
                return fmt.format(self.path(inner))
        alt = g.value(node, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(self.path(step) for step in self.items(alt)) + ")"
        raise self.refuse(node, "a property path it cannot read")

    def values(self, shape: object, x: str, v: str) -> str:
        """A pattern binding ``v`` to each value node of ``x`` for the shape."""
        path = self.g.value(shape, SH.path)
        if path is None:
            return f"BIND({x} AS {v})"
        if (path, RDF.first, None) in self.g:
            # A sequence, step by step from the bound end: inside EXISTS, Oxigraph plans a
            # path or a join as if nothing were bound and scans the whole graph for every
            # node; LATERAL makes it follow each step from the node (bench: 18 s -> 0.05 s).
            steps = [self.path(step) for step in self.items(path)]
            here, text, closing = x, "", ""
            for i, step in enumerate(steps):
                there = v if i == len(steps) - 1 else self.fresh()
                text += f"{'LATERAL { ' if i else ''}{here} {step} {there} . "
                closing += " }" if i else ""
                here = there
            return text + closing
        return f"{x} {self.path(path)} {v} ."

    def has_value(self, shape: object, x: str, v: str) -> str:
        """An expression: ``v`` (bound) is a value node of ``x`` for the shape."""
        path = self.g.value(shape, SH.path)
        if path is None:
            return f"sameTerm({x}, {v})"
        return f"EXISTS {{ {x} {self.path(path)} {v} }}"

    # -- constraints: (component, violation pattern, conformance) per constraint of a shape

    def constraints(
        self, shape: object
    ) -> list[tuple[str, Callable[[str, str], str], Callable[[str], str], bool]]:
        """Each constraint of ``shape``: its component's name, its violation pattern for a
        focus variable and a value variable, its conformance expression for a focus variable,
        and whether its answers have a value."""
        g = self.g
        out: list = []
        is_property = (shape, SH.path, None) in g

        def value_based(kind: str, ok: Callable[[str], str]) -> None:
            def pattern(x: str, v: str) -> str:
                return f"{self.values(shape, x, v)} FILTER(!({ok(v)}))"

            def conforms(x: str) -> str:
                if not is_property:  # the node is its own value: test it directly
                    return ok(x)
                return f"NOT EXISTS {{ {pattern(x, self.fresh())} }}"

            out.append((kind, pattern, conforms, True))

        def counted(kind: str, at_least: Callable[[str, int], str], n: int, above: bool) -> None:
            # above: violated when there are more than n values; else when fewer than n.
            def expr(x: str) -> str:
                return at_least(x, n + 1) if above else f"!({at_least(x, n)})"

            def pattern(x: str, v: str) -> str:
                return f"FILTER({expr(x)})"

            def conforms(x: str) -> str:
                return f"!({expr(x)})"

            out.append((kind, pattern, conforms, False))

        def at_least_of(cond: Callable[[str], str] | None) -> Callable[[str, int], str]:
            def at_least(x: str, n: int) -> str:
                if n <= 0:
                    return "true"
                if n > _NESTED_COUNT_LIMIT:
                    raise self.refuse(shape, f"a count above {_NESTED_COUNT_LIMIT}")
                vs = [self.fresh() for _ in range(n)]
                pats = " ".join(self.values(shape, x, v) for v in vs)
                tests = [f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1 :]]
                if cond is not None:
                    tests += [cond(v) for v in vs]
                where = f" FILTER({' && '.join(tests)})" if tests else ""
                return f"EXISTS {{ {pats}{where} }}"

            return at_least

        def need_property(name: str) -> None:
            if not is_property:
                raise self.refuse(shape, f"sh:{name} on a node shape")

        for name in ("minCount", "maxCount"):
            value = self.one(shape, name)
            if value is not None:
                need_property(name)
                n = int(value)
                if name == "minCount" and n > 0:
                    counted("MinCount", at_least_of(None), n, above=False)
                elif name == "maxCount":
                    counted("MaxCount", at_least_of(None), n, above=True)

        for cls in sorted(g.objects(shape, SH["class"]), key=str):
            c = _sparql(cls)
            value_based("Class", lambda v, c=c: f"EXISTS {{ {v} {_INSTANCE} {c} }}")

        datatype = self.one(shape, "datatype")
        if datatype is not None:
            value_based("Datatype", lambda v, d=datatype: _datatype_ok(d, v))

        kind = self.one(shape, "nodeKind")
        if kind is not None:
            tests = {
                SH.IRI: "isIRI({v})",
                SH.Literal: "isLiteral({v})",
                SH.BlankNode: "isBlank({v})",
                SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
                SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
                SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
            }
            if kind not in tests:
                raise self.refuse(shape, f"sh:nodeKind {short(g, kind)}")
            value_based("NodeKind", lambda v, t=tests[kind]: t.format(v=v))

        listed = self.one(shape, "in")
        if listed is not None:
            members = self.items(listed)
            if any(isinstance(m, BNode) for m in members):
                raise self.refuse(shape, "a blank node in sh:in")
            value_based(
                "In",
                lambda v, ms=members: (
                    " || ".join(f"sameTerm({v}, {_sparql(m)})" for m in ms) or "false"
                ),
            )

        for pattern in g.objects(shape, SH.pattern):
            flags = self.one(shape, "flags")
            args = f"{Literal(str(pattern)).n3()}" + (
                f", {Literal(str(flags)).n3()}" if flags is not None else ""
            )
            value_based(
                "Pattern",
                lambda v, a=args: f"(!isBlank({v}) && COALESCE(REGEX(STR({v}), {a}), false))",
            )

        unique = self.one(shape, "uniqueLang")
        if isinstance(unique, Literal) and unique.value is True:
            need_property("uniqueLang")

            def duplicated(x: str) -> str:
                a, b = self.fresh(), self.fresh()
                return (
                    f"{{ {self.values(shape, x, a)} {self.values(shape, x, b)} "
                    f'FILTER(!sameTerm({a}, {b}) && LANG({a}) != "" '
                    f"&& LCASE(LANG({a})) = LCASE(LANG({b}))) }}"
                )

            out.append(
                (
                    "UniqueLang",
                    lambda x, v: f"FILTER EXISTS {duplicated(x)}",
                    lambda x: f"NOT EXISTS {duplicated(x)}",
                    False,
                )
            )

        for name, op in (
            ("minInclusive", ">="),
            ("maxInclusive", "<="),
            ("minExclusive", ">"),
            ("maxExclusive", "<"),
        ):
            for bound in g.objects(shape, SH[name]):
                b = _sparql(bound)
                value_based(
                    name[0].upper() + name[1:],
                    lambda v, b=b, op=op: f"COALESCE({v} {op} {b}, false)",
                )

        for other in g.objects(shape, SH.lessThan):
            if not isinstance(other, URIRef):
                raise self.refuse(shape, "sh:lessThan with a value that is not a property IRI")
            p = other.n3()

            def less(x: str, v: str, p: str = p) -> str:
                c = self.fresh()
                return f"{self.values(shape, x, v)} {x} {p} {c} . FILTER(!({_less_than(v, c)}))"

            out.append(
                ("LessThan", less, lambda x, f=less: f"NOT EXISTS {{ {f(x, self.fresh())} }}", True)
            )

        for other in g.objects(shape, SH.equals):
            if not isinstance(other, URIRef):
                raise self.refuse(shape, "sh:equals with a value that is not a property IRI")
            p = other.n3()

            def missing(x: str, v: str, p: str = p) -> str:  # a value not among p's
                return f"{self.values(shape, x, v)} FILTER NOT EXISTS {{ {x} {p} {v} }}"

            def extra(x: str, v: str, p: str = p) -> str:  # a value of p not among the values
                return f"{x} {p} {v} . FILTER(!({self.has_value(shape, x, v)}))"

            def equals(x: str, v: str, a: Callable = missing, b: Callable = extra) -> str:
                return f"{{ {a(x, v)} }} UNION {{ {b(x, v)} }}"

            def equal(x: str, a: Callable = missing, b: Callable = extra) -> str:
                # Two tests, not one over a UNION: Oxigraph runs a correlated UNION inside
                # NOT EXISTS over the whole graph for every node (quadratic).
                one, other = a(x, self.fresh()), b(x, self.fresh())
                return f"NOT EXISTS {{ {one} }} && NOT EXISTS {{ {other} }}"

            out.append(("Equals", equals, equal, True))

        for other in g.objects(shape, SH.disjoint):
            if not isinstance(other, URIRef):
                raise self.refuse(shape, "sh:disjoint with a value that is not a property IRI")
            p = other.n3()

            def disjoint(x: str, v: str, p: str = p) -> str:
                return f"{self.values(shape, x, v)} {x} {p} {v} ."

            out.append(
                (
                    "Disjoint",
                    disjoint,
                    lambda x, f=disjoint: f"NOT EXISTS {{ {f(x, self.fresh())} }}",
                    True,
                )
            )

        for node in g.objects(shape, SH.node):
            value_based("Node", lambda v, s=node: self.conforms(s, v))

        for name, join, empty in (("or", " || ", "false"), ("and", " && ", "true")):
            for listed in g.objects(shape, SH[name]):
                members = self.items(listed)

                def any_or_all(v: str, ms: list = members, j: str = join, e: str = empty) -> str:
                    return "(" + (j.join(f"({self.conforms(m, v)})" for m in ms) or e) + ")"

                value_based(name.capitalize(), any_or_all)
        for listed in g.objects(shape, SH.xone):
            members = self.items(listed)
            value_based(
                "Xone",
                lambda v, ms=members: (
                    "("
                    + (" + ".join(f"IF({self.conforms(m, v)}, 1, 0)" for m in ms) or "0")
                    + ") = 1"
                ),
            )
        for negated in g.objects(shape, SH["not"]):
            value_based("Not", lambda v, s=negated: f"!({self.conforms(s, v)})")

        qualified = self.one(shape, "qualifiedValueShape")
        if qualified is not None:
            need_property("qualifiedValueShape")
            siblings: list = []
            flag = self.one(shape, "qualifiedValueShapesDisjoint")
            if isinstance(flag, Literal) and flag.value is True:
                for parent in g.subjects(SH.property, shape):
                    for prop in g.objects(parent, SH.property):
                        for sib in g.objects(prop, SH.qualifiedValueShape):
                            if sib != qualified and sib not in siblings:
                                siblings.append(sib)

            def qualifies(v: str, q: object = qualified, sibs: list = siblings) -> str:
                tests = [self.conforms(q, v)] + [f"!({self.conforms(s, v)})" for s in sibs]
                return " && ".join(f"({t})" for t in tests)

            for name, above in (("qualifiedMinCount", False), ("qualifiedMaxCount", True)):
                value = self.one(shape, name)
                if value is not None:
                    kind_name = name[0].upper() + name[1:]
                    counted(kind_name, at_least_of(qualifies), int(value), above=above)
        return out

    def conforms(self, shape: object, x: str, stack: tuple = ()) -> str:
        """An expression: the node in ``x`` meets ``shape`` (every constraint, nested too)."""
        if shape in getattr(self, "_stack", ()):
            raise self.refuse(shape, "a shape that refers to itself (recursive shapes)")
        if self.deactivated(shape):
            return "true"
        if (shape, SH.sparql, None) in self.g:
            raise self.refuse(shape, "sh:sparql inside sh:node, sh:or, sh:and, sh:xone or sh:not")
        self._stack = (*getattr(self, "_stack", ()), shape)
        try:
            tests = [conforms(x) for _, _, conforms, _ in self.constraints(shape)]
            if (shape, SH.path, None) not in self.g:
                for prop in self.g.objects(shape, SH.property):
                    tests.append(self.conforms(prop, x))
        finally:
            self._stack = self._stack[:-1]
        return " && ".join(f"({t})" for t in tests) or "true"

    # -- the checks of one shape

    def shape_checks(self, shape: object, targets: str, prefixes: str) -> list[Check]:
        is_property = (shape, SH.path, None) in self.g
        path_node = self.g.value(shape, SH.path)
        path = short(self.g, path_node) if path_node is not None else None
        severity = self.severity(shape)
        checks = []
        for kind, pattern, _, has_value in self.constraints(shape):
            self.n = 0
            body = pattern("?this", "?value" if has_value else self.fresh())
            checks.append(
                Check(
                    rule=self.rule(shape),
                    message=rule_message(self.g, shape, None, SH[f"{kind}ConstraintComponent"]),
                    path=path,
                    severity=severity,
                    targets=targets,
                    body=body,
                    prefixes=prefixes,
                    value_is_focus=not is_property and has_value,
                )
            )
        for constraint in self.g.objects(shape, SH.sparql):
            if self.deactivated(constraint):
                continue
            checks.append(self.sparql_check(shape, constraint, targets, prefixes, path, severity))
        return checks

    def sparql_check(
        self,
        shape: object,
        constraint: object,
        targets: str,
        prefixes: str,
        path: str | None,
        severity: str,
    ) -> Check:
        select = self.g.value(constraint, SH.select)
        if select is None:
            raise self.refuse(shape, "an sh:sparql constraint without sh:select")
        text = self.embeddable(shape, str(select))
        path_node = self.g.value(shape, SH.path)
        if path_node is not None:
            text = re.sub(r"\$PATH\b", lambda _: self.path(path_node), text)
        decls = dict(re.findall(r"PREFIX (\S+): <([^>]*)>", prefixes))
        decls.update(self.prefixes_of(constraint))
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(decls.items()))
        projection = re.match(
            r"\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(WHERE\b|\{)", text, re.I | re.S
        )
        gives_this = projection is not None and (
            projection.group(1).strip() == "*" or re.search(r"[?$]this\b", projection.group(1))
        )
        is_iri = isinstance(constraint, URIRef)
        common = dict(
            rule=self.rule(constraint if is_iri else shape),
            message=rule_message(self.g, shape, constraint, SH.SPARQLConstraintComponent),
            path=path,
            severity=severity,
            targets=targets,
            prefixes=prologue,
            value_is_focus=path_node is None,
            path_from_row=True,
        )
        if gives_this:
            return Check(body=f"{{ {text} }}", **common)
        # Oxigraph substitutes only a projected variable: project $this, then bind it first.
        projected = re.sub(
            r"^(\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?)", r"\1$this ", text, count=1, flags=re.I
        )
        return Check(body="", per_focus=prologue + projected, **common)


def _datatype_ok(datatype: object, v: str) -> str:
    """An expression: ``v`` is a literal of ``datatype`` as pySHACL sees it (well-typed where
    rdflib checks the lexical form; Oxigraph keeps every integer type as xsd:integer)."""
    d = str(datatype)
    if datatype == RDFS.Literal:
        return f"isLiteral({v})"
    if datatype == RDF.langString:
        return f'(isLiteral({v}) && LANG({v}) != "")'
    if datatype == XSD.string:
        return f'(isLiteral({v}) && LANG({v}) = "" && DATATYPE({v}) = {XSD.string.n3()})'
    typed = f"(isLiteral({v}) && DATATYPE({v}) = <{d}>"
    local = d[len(_XSD) :] if d.startswith(_XSD) else None
    if local in _INTEGER_RANGES:
        low, high = _INTEGER_RANGES[local]
        tests = [
            f"DATATYPE({v}) = {XSD.integer.n3()}",
            f"COALESCE(isLiteral({XSD.integer.n3()}({v})), false)",
        ]
        if low is not None:
            tests.append(f"COALESCE({v} >= {low}, false)")
        if high is not None:
            tests.append(f"COALESCE({v} <= {high}, false)")
        # Stored as xsd:integer when well-formed; kept as written (so ill-typed) when not.
        return f"(isLiteral({v}) && {' && '.join(tests)})"
    if local in _CAST_CHECKED:
        return f"{typed} && COALESCE(isLiteral(<{d}>(STR({v}))), false))"
    return typed + ")"


def _less_than(v: str, c: str) -> str:
    """An expression: ``v`` is less than ``c`` as pySHACL orders them (IRIs and strings by
    their text, other literals by value; anything not comparable is not less)."""

    def stringy(t: str) -> str:
        text = f'LANG({t}) != "" || DATATYPE({t}) = {XSD.string.n3()}'
        return f"(isIRI({t}) || (isLiteral({t}) && ({text})))"

    return (
        f"IF({stringy(v)} || {stringy(c)}, {stringy(v)} && {stringy(c)} && STR({v}) < STR({c}), "
        f"COALESCE({v} < {c}, false))"
    )


_CACHE: OrderedDict[frozenset, list[Check]] = OrderedDict()


def compile_shapes(shapes: Graph, source: str = "shapes") -> list[Check]:
    """The :class:`Check` s of a shapes graph: one SPARQL query per constraint of each shape
    with targets (and of its property shapes). Compiled once per shapes graph and kept.

    Raises :class:`UnsupportedShapes` (an :class:`~graph.errors.InputError` naming
    ``source``) when a shape uses SHACL the compiler cannot check.
    """
    key = frozenset(shapes)
    found = _CACHE.get(key)
    if found is None:
        found = _Compiler(shapes, source).compile()
        _CACHE[key] = found
        while len(_CACHE) > 8:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return found


__all__ = [
    "SEVERITY",
    "Check",
    "Row",
    "UnsupportedShapes",
    "batch_query",
    "compile_shapes",
    "default_workers",
    "local_name",
    "rule_message",
    "run_checks",
    "short",
    "text_of",
]
