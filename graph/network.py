"""The network view: any of our RDF graphs as a NetworkX MultiDiGraph, derived afresh each time.

Nodes are the typed things of the debate (claims, argument relations, documents,
organizations, people, bills, versions, sections, events, topics), keyed by IRI, with plain
attributes. Edges are the links between them, keyed by the predicate's local name. Quote
anchors and membership records are folded into attributes and ``memberOf`` edges.

The graph may be an rdflib ``Graph`` or ``Dataset`` (a dataset is read as the union of its
graphs) or a ``pyoxigraph.Store`` (the union of its graphs, as the build keeps it): the view
is the same. It is read in bulk, never a lookup per node: one pass over each predicate the
view uses, or for a part of a large graph a few SPARQL queries for all its nodes at once.
:func:`skeleton` reads only the kinds and the links, so a caller that wants a part (the build's
capped map) can choose it first and then build the attributes of that part alone.

:func:`argument_relations` reads the supports and attacks alone, as typed records, for the
analyses and the argument semantics; it too reads RDF, so an imported graph works the same.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Union

import networkx as nx
import pyoxigraph as ox
from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD

from .kinds import NODE_KINDS
from .vocab import BG, ELI, SCHEMA

if TYPE_CHECKING:
    from .query import SparqlEndpoint

#: Edge predicates kept in the view, with the name each edge carries.
EDGE_PREDICATES: dict[URIRef, str] = {
    BG.premise: "premise",
    BG.conclusion: "conclusion",
    BG.assertedIn: "assertedIn",
    BG.assertedBy: "assertedBy",
    BG.concerns: "concerns",
    DCTERMS.subject: "topic",
    DCTERMS.creator: "author",
    BG.onBill: "onBill",
    ELI.is_part_of: "partOf",
    ELI.realizes: "versionOf",
    BG.concernsBill: "concernsBill",
    BG.concernsVersion: "concernsVersion",
    ORG.memberOf: "memberOf",
    BG.billAuthor: "billAuthor",
    BG.billCoauthor: "billCoauthor",
    SKOS.broader: "broader",
}

#: Literal or IRI properties copied onto nodes as plain attributes: (predicate, attribute).
NODE_PROPERTIES: tuple[tuple[URIRef, str], ...] = (
    (BG.stance, "stance"),
    (SCHEMA.creativeWorkStatus, "status"),
    (DCTERMS.date, "date"),
    (BG.eventDate, "date"),
    (ELI.version_date, "date"),
    (BG.quote, "quote"),
    (BG.isParaphrase, "paraphrase"),
    (BG.assertedIn, "source"),
    (SCHEMA.url, "url"),
    (BG.citation, "citation"),
    (DCTERMS.description, "description"),
    (BG.locationInSource, "where"),
    (DCTERMS.identifier, "identifier"),
    (DCTERMS.created, "created"),
    (BG.legislativeBody, "body"),
    (BG.ayes, "ayes"),
    (BG.noes, "noes"),
    (BG.notVoting, "not_voting"),
    (BG.result, "result"),
    (BG.role, "role"),
    (DCTERMS.source, "source_url"),
)

#: Attributes whose values stay numbers or booleans; every other attribute is text.
_TYPED = {"paraphrase", "ayes", "noes", "not_voting"}

#: The argument relation of each relation class, as the corpus names it.
RELATION_KIND: dict[URIRef, str] = {
    BG.Support: "supports",
    BG.Rebuttal: "rebuts",
    BG.Undercut: "undercuts",
    BG.Undermining: "undermines",
}

#: Classes that only say what family a node belongs to, never its subkind.
_FAMILY_CLASSES = {str(k.rdf_class) for k in NODE_KINDS} | {str(BG.Attack)}

#: How lists are joined into one plain text attribute (GraphML and CSV take no lists).
JOIN = "; "

#: The links of a claim whose targets' labels (or citations) it carries (see _ClaimContext).
_CLAIM_LINKS = (
    (BG.assertedBy, "asserted_by"),
    (BG.concerns, "sections"),
    (DCTERMS.subject, "topics"),
)

#: An RDF graph the view reads: rdflib's (a Dataset as the union of its graphs), Oxigraph's,
#: or one a SPARQL server holds (a graph.query.SparqlEndpoint, read by SELECT queries).
RDFSource = Union[Graph, ox.Store, "SparqlEndpoint"]  # noqa: UP007 (a name read later)

#: Plain literals: rdflib leaves their datatype out, Oxigraph says xsd:string; both read as None.
_XSD_STRING = str(XSD.string)

#: The ends of an edge ``(u, v, key)``, for map() over a million of them.
_FROM, _TO = operator.itemgetter(0), operator.itemgetter(1)


class _Literal(NamedTuple):
    """A literal as plain Python values, whichever library held it."""

    text: str  # the lexical form: what str() of an rdflib Literal gives
    datatype: str | None
    language: str | None


class _Blank(NamedTuple):
    id: str


#: An RDF term as the view reads it: an IRI is its str, so it keys nodes directly.
_Term = str | _Literal | _Blank


def _text(term: _Term) -> str:
    """What ``str()`` of the rdflib term gives: an IRI, a literal's lexical form, a blank id."""
    return term if isinstance(term, str) else term[0]


def _rank(term: _Term) -> tuple:
    """A total order on terms, so a property with several values always gives the same one."""
    if isinstance(term, str):
        return (0, term, "", "")
    if isinstance(term, _Literal):
        return (1, term.text, term.datatype or "", term.language or "")
    return (2, term.id, "", "")


@functools.lru_cache(maxsize=4096)
def _python(term: _Literal) -> object:
    """A typed literal as rdflib gives it in Python (``True``, ``12``), for tallies and flags."""
    datatype = URIRef(term.datatype) if term.datatype else None
    return Literal(term.text, lang=term.language, datatype=datatype).toPython()


class _Reader:
    """Statements in bulk, from rdflib or pyoxigraph: a predicate at a time, or all those of
    a set of subjects at once.

    Both give plain Python values (see :data:`_Term`); a statement held in several named
    graphs may come more than once, and every reader below is indifferent to that.
    """

    def pairs(
        self, predicate: URIRef, subjects: Collection[str] | None = None
    ) -> Iterator[tuple[str, _Term]]:
        """Subject and object of each statement of ``predicate`` whose subject is an IRI (and
        one of ``subjects``, if given: the objects of the others are never converted)."""
        raise NotImplementedError

    def iri_pairs(self, predicate: URIRef) -> Iterable[tuple[str, str]]:
        """Subject and object of each statement of ``predicate`` between two IRIs: links."""
        return ((s, o) for s, o in self.pairs(predicate) if type(o) is str)

    def statements(
        self, predicates: Iterable[URIRef], subjects: Collection[str]
    ) -> Iterator[tuple[str, str, _Term]]:
        """``(subject, predicate, object)`` of each statement of one of ``predicates`` about
        one of ``subjects``."""
        for p in predicates:
            for s, o in self.pairs(p, subjects):
                yield s, str(p), o

    def subjects(self, predicate: URIRef, obj: URIRef) -> Iterator[_Term]:
        raise NotImplementedError

    def instances(self, cls: str) -> list[str]:
        """The IRIs of class ``cls`` (one typed in several graphs may come more than once)."""
        return [s for s in self.subjects(RDF.type, URIRef(cls)) if type(s) is str]

    def iri_ends(self, predicate: URIRef) -> list[str]:
        """The two ends of each statement of ``predicate`` between two IRIs, one after the
        other in one flat list (subject, object, subject, ...): :meth:`iri_pairs` without a
        tuple per statement, which a caller reading a million links does not want."""
        return [end for pair in self.iri_pairs(predicate) for end in pair]


def _from_rdflib(term: object) -> _Term:
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        return _Literal(str(term), None if datatype == _XSD_STRING else datatype, term.language)
    if isinstance(term, BNode):
        return _Blank(str(term))
    return _Blank(str(term))  # a quoted triple or a variable: nothing the view names


class _RdflibReader(_Reader):
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        # A Dataset's triples() reads its default graph only; the view is of all its graphs.
        self.union = isinstance(graph, ConjunctiveGraph)

    def pairs(
        self, predicate: URIRef, subjects: Collection[str] | None = None
    ) -> Iterator[tuple[str, _Term]]:
        if self.union:
            found = ((s, o) for s, _, o, _ in self.graph.quads((None, predicate, None, None)))
        else:
            found = self.graph.subject_objects(predicate)
        for s, o in found:
            if isinstance(s, URIRef):
                s = str(s)  # an rdflib URIRef is never equal to a str: compare as str
                if subjects is None or s in subjects:
                    yield s, _from_rdflib(o)

    def subjects(self, predicate: URIRef, obj: URIRef) -> Iterator[_Term]:
        if self.union:
            found = (s for s, _, _, _ in self.graph.quads((None, predicate, obj, None)))
        else:
            found = self.graph.subjects(predicate, obj)
        for s in found:
            yield _from_rdflib(s)


def _oxigraph_literal(term: ox.Literal) -> _Literal:
    language = term.language
    datatype = None if language else term.datatype.value
    return _Literal(term.value, None if datatype == _XSD_STRING else datatype, language)


def _from_oxigraph(term: object) -> _Term:
    kind = type(term)
    if kind is ox.NamedNode:
        return term.value
    if kind is ox.Literal:
        return _oxigraph_literal(term)
    if kind is ox.BlankNode:
        return _Blank(term.value)
    return _Blank(str(term))


class _OxigraphReader(_Reader):
    """Reads every graph of the store (the union the build queries), by quad patterns."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    #: Up to this many subjects, their statements come from SPARQL (``VALUES``), which looks
    #: each one up; beyond it, from a scan of each predicate, which reads every statement.
    FEW = 20_000

    #: Subjects per SPARQL query: a query text of a few hundred kilobytes.
    CHUNK = 4_000

    def pairs(
        self, predicate: URIRef, subjects: Collection[str] | None = None
    ) -> Iterator[tuple[str, _Term]]:
        links = self._links(predicate)
        if links is not None:
            found = zip(links[0::2], links[1::2], strict=True)
            yield from found if subjects is None else (p for p in found if p[0] in subjects)
            return
        named, literal = ox.NamedNode, ox.Literal
        for quad in self.store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None):
            s = quad.subject
            if type(s) is not named:
                continue
            s = s.value
            if subjects is not None and s not in subjects:
                continue
            o = quad.object
            kind = type(o)  # _from_oxigraph inlined: this loop runs once per statement
            if kind is named:
                yield s, o.value
            elif kind is literal:
                yield s, _oxigraph_literal(o)
            else:
                yield s, _from_oxigraph(o)

    def iri_pairs(self, predicate: URIRef) -> list[tuple[str, str]]:
        named = ox.NamedNode
        return [
            (q.subject.value, q.object.value)
            for q in self.store.quads_for_pattern(None, named(str(predicate)), None)
            if type(q.object) is named and type(q.subject) is named
        ]

    def statements(
        self, predicates: Iterable[URIRef], subjects: Collection[str]
    ) -> Iterator[tuple[str, str, _Term]]:
        predicates = list(predicates)
        if len(subjects) > self.FEW:
            yield from super().statements(predicates, subjects)
            return
        # One VALUES list: Oxigraph joins a second one (of predicates) as a cross product.
        wanted = ", ".join(str(ox.NamedNode(str(p))) for p in predicates)
        ordered = sorted(subjects)
        for start in range(0, len(ordered), self.CHUNK):
            values = " ".join(str(ox.NamedNode(s)) for s in ordered[start : start + self.CHUNK])
            query = (
                f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o "
                f"FILTER(?p IN ({wanted})) }}"
            )
            for s, p, o in self.store.query(query, use_default_graph_as_union=True):
                yield s.value, p.value, _from_oxigraph(o)

    def subjects(self, predicate: URIRef, obj: URIRef) -> Iterator[_Term]:
        pattern = (None, ox.NamedNode(str(predicate)), ox.NamedNode(str(obj)))
        for quad in self.store.quads_for_pattern(*pattern):
            yield _from_oxigraph(quad.subject)

    # The three readers below take Oxigraph's answer as one block of SPARQL TSV text and cut
    # it with str methods: no Python object per statement or term, and the store does its
    # part without holding the GIL (the build's SHACL threads run meanwhile). Each falls back
    # to the quad patterns above when a term is not an IRI.

    def _iris(self, query: str, width: int) -> list[str] | None:
        """Every term of every solution of ``query`` (``width`` variables, all bound), row after
        row, if every one is an IRI; None if not (a literal, a blank node, a quoted triple)."""
        solutions = self.store.query(query, use_default_graph_as_union=True)
        data = solutions.serialize(format=ox.QueryResultsFormat.TSV)
        if b'"' in data:  # a literal (or a quoted triple holding one)
            return None
        # Rows of tab-separated terms after a header line. An IRI is written <...> and holds
        # no <, >, quote or white space (RFC 3987, as Oxigraph checks); without a quote, any
        # other term is one token with neither < nor > (a blank node _:b, a number, true), or
        # several tokens (a quoted triple <<( <s> <p> <o> )>>). So the terms are all IRIs if
        # and only if there are as many tokens as terms and each lost a < and a > here.
        terms = (data.count(b"\n") - 1) * width
        stripped = data.replace(b"<", b"").replace(b">", b"")
        found = stripped.decode().split()
        del found[:width]  # the header: ?s ?o
        if len(found) != terms or len(data) - len(stripped) != 2 * terms:
            return None
        return found

    def _links(self, predicate: URIRef) -> list[str] | None:
        """The ends of every statement of ``predicate``, as :meth:`iri_ends` gives them, if
        they are all IRIs (a link, such as ``bg:assertedBy``): half the time of the quad
        patterns on a store on disk. None where they are not, and at once where the first
        statement's object is not an IRI (a label), which the quad patterns read."""
        named = ox.NamedNode(str(predicate))
        first = next(iter(self.store.quads_for_pattern(None, named, None)), None)
        if first is None or type(first.object) is not ox.NamedNode:
            return None
        return self._iris(f"SELECT ?s ?o WHERE {{ ?s {named} ?o }}", 2)

    def instances(self, cls: str) -> list[str]:
        query = f"SELECT ?s WHERE {{ ?s a {ox.NamedNode(cls)} }}"
        found = self._iris(query, 1)
        return super().instances(cls) if found is None else found

    def iri_ends(self, predicate: URIRef) -> list[str]:
        found = self._iris(f"SELECT ?s ?o WHERE {{ ?s {ox.NamedNode(str(predicate))} ?o }}", 2)
        return super().iri_ends(predicate) if found is None else found


class _Recorder(_Reader):
    """A reader that notes the subjects it is asked about, and asks another."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.subjects: set[str] = set()

    def statements(
        self, predicates: Iterable[URIRef], subjects: Collection[str]
    ) -> Iterator[tuple[str, str, _Term]]:
        self.subjects.update(subjects)
        return self.reader.statements(predicates, subjects)

    def instances(self, cls: str) -> list[str]:
        return self.reader.instances(cls)


class _SparqlReader(_Reader):
    """Reads a graph a SPARQL server holds (a :class:`graph.query.SparqlEndpoint`): each read
    one SELECT, asked through :func:`graph.query.query` as ``query --endpoint`` asks it, of
    the endpoint's default graph (on Oxigraph's server started as the README says, and on
    Virtuoso, the union of its graphs).

    A server may cap the rows of an answer without a word of what it left out (Virtuoso's
    ``ResultSetMaxRows``), so each read also counts its solutions; an answer cut short is
    asked for again in pages as long as the cap, in order. Only then: ordering a whole
    answer costs Oxigraph's server far more than sending it (25 s a page of the 1.1M-triple
    legislature's labels, against 2 s for all of them).
    """

    def __init__(self, endpoint: SparqlEndpoint) -> None:
        self.endpoint = endpoint

    def _rows(self, text: str, width: int | None = None) -> list[tuple[_Term, ...]]:
        """The rows of the SELECT ``text``, each of ``width`` terms if given: a row of
        another width (an answer with other columns than asked) is
        :class:`graph.query.EndpointError`."""
        from .query import EndpointError, query

        rows = [tuple(_from_rdflib(term) for term in row) for row in query(self.endpoint, text)]
        if width is not None and any(len(row) != width for row in rows):
            raise EndpointError(
                f"{self.endpoint.url} did not answer with SPARQL results as asked: rows "
                f"without the {width} columns asked for"
            )
        return rows

    def _count(self, pattern: str) -> int:
        """How many solutions ``pattern`` has, as the server counts them; an answer that is
        not one row of one whole number is :class:`graph.query.EndpointError`."""
        from .query import EndpointError

        rows = self._rows(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", 1)
        one = rows[0][0] if len(rows) == 1 else None
        text = _text(one) if one is not None else ""
        if not (text.isascii() and text.isdigit()):
            raise EndpointError(
                f"{self.endpoint.url} did not answer with SPARQL results: a count with "
                f"{len(rows)} rows, not one row with a whole number"
            )
        return int(text)

    def _solutions(self, pattern: str, variables: str) -> list[tuple[_Term, ...]]:
        """The solutions of the graph pattern ``pattern``, the terms of ``variables`` (e.g.
        ``"?s ?o"``) of each, every one of them however the server caps its answers."""
        width = len(variables.split())
        found = self._rows(f"SELECT {variables} WHERE {{ {pattern} }}", width)
        expected = self._count(pattern)
        if len(found) >= expected or not found:
            return found
        cap, found = len(found), []
        while len(found) < expected:
            page = self._rows(
                f"SELECT {variables} WHERE {{ {pattern} }} "
                f"ORDER BY {variables} LIMIT {cap} OFFSET {len(found)}",
                width,
            )
            if not page:
                break
            found += page
        return found

    def pairs(
        self, predicate: URIRef, subjects: Collection[str] | None = None
    ) -> Iterator[tuple[str, _Term]]:
        # Every statement of the predicate, the subjects picked here: a list of thousands of
        # IRIs in the query would cost the server (and our parser of queries) more.
        for s, o in self._solutions(f"?s {URIRef(predicate).n3()} ?o", "?s ?o"):
            if type(s) is str and (subjects is None or s in subjects):
                yield s, o

    def subjects(self, predicate: URIRef, obj: URIRef) -> Iterator[_Term]:
        pattern = f"?s {URIRef(predicate).n3()} {URIRef(obj).n3()}"
        for (s,) in self._solutions(pattern, "?s"):
            yield s


def _reader(graph: RDFSource) -> _Reader:
    if isinstance(graph, ox.Store):
        return _OxigraphReader(graph)
    if isinstance(graph, Graph):
        return _RdflibReader(graph)
    from .query import SparqlEndpoint  # the SPARQL client, only for a graph a server holds

    if isinstance(graph, SparqlEndpoint):
        return _SparqlReader(graph)
    raise TypeError(
        "expected an rdflib Graph, a pyoxigraph Store or a graph.query.SparqlEndpoint, "
        f"not {type(graph).__name__}"
    )


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _kebab(name: str) -> str:
    """``SupportIfAmended`` -> ``support-if-amended``: a class's local name as a corpus kind.

    >>> _kebab("TradeAssociation")
    'trade-association'
    """
    out: list[str] = []
    for ch in name:
        if ch.isupper() and out:
            out.append("-")
        out.append(ch.lower())
    return "".join(out)


@functools.lru_cache(maxsize=256)
def _stance_name(iri: str) -> str:
    """``bg:SupportIfAmendedStance`` -> ``support-if-amended``."""
    return _kebab(_local(str(iri)).removesuffix("Stance"))


def _values(
    reader: _Reader, predicate: URIRef, subjects: Collection[str] | None = None
) -> dict[str, _Term]:
    """Each IRI's value of ``predicate`` (of ``subjects`` only, if given); of several, the least.

    Where a resource has one value this is what rdflib's ``graph.value`` gives; where it has
    several, rdflib's pick depends on its store, so ours is the least (see :func:`_rank`).
    """
    out: dict[str, _Term] = {}
    for s, o in reader.pairs(predicate, subjects):
        held = out.get(s)
        if held is None or (o != held and _rank(o) < _rank(held)):
            out[s] = o
    return out


def _objects(
    reader: _Reader, predicate: URIRef, subjects: Collection[str]
) -> dict[str, set[_Term]]:
    """The values of ``predicate`` of each of ``subjects``."""
    out: dict[str, set[_Term]] = {}
    for s, o in reader.pairs(predicate, subjects):
        out.setdefault(s, set()).add(o)
    return out


@dataclass
class Skeleton:
    """The network view without its attributes: every node's kind, and every edge.

    Cheap next to the whole view (no labels, quotes or dates are read), and enough to decide
    which part of a large graph to draw (:func:`graph.visualize.build_map` counts degrees
    on it); :meth:`view` then gives the full view of that part alone.
    """

    #: Every node of the view (an IRI) and its kind (``claim``, ``source``, ``support``, ...),
    #: in no particular order.
    kinds: dict[str, str]
    #: Every edge of the view, ``(from, to, key)``, each once, in no particular order.
    edges: list[tuple[str, str, str]]
    _bills: set[str] = field(repr=False)
    _reader: _Reader = field(repr=False)
    #: Where the edges of each key lie in ``edges`` (they are read a predicate at a time).
    _spans: dict[str, slice] = field(repr=False)

    def degree(self) -> Counter:
        """How many edges each node has, in and out: NetworkX's degree in the whole view."""
        return degree_of(self.edges)

    @classmethod
    def of(
        cls,
        kinds: dict[str, str],
        edges: Iterable[tuple[str, str, str]],
        bills: Iterable[str],
        graph: RDFSource,
    ) -> Skeleton:
        """A skeleton of the nodes ``kinds`` and the ``edges`` given, whose view reads the
        nodes' attributes from ``graph`` (which need hold only their statements)."""
        by_key: dict[str, list[tuple[str, str, str]]] = {}
        for e in edges:
            by_key.setdefault(e[2], []).append(e)
        ordered: list[tuple[str, str, str]] = []
        spans: dict[str, slice] = {}
        for key in EDGE_PREDICATES.values():
            start = len(ordered)
            ordered += by_key.get(key, [])
            spans[key] = slice(start, len(ordered))
        return cls(kinds, ordered, set(bills), _reader(graph), spans)

    @property
    def bills(self) -> set[str]:
        """The IRIs of the bills (a bill is a bill whatever kind it has in the view)."""
        return self._bills

    def recording(self) -> tuple[Skeleton, set[str]]:
        """This skeleton, reading through a reader that notes in the set returned every
        subject whose statements a view reads."""
        recorder = _Recorder(self._reader)
        return dataclasses.replace(self, _reader=recorder), recorder.subjects

    def edges_of(self, *keys: str) -> list[tuple[str, str, str]]:
        """The edges keyed ``keys`` (``premise``, ``memberOf``, ...), without a pass over all."""
        found: list[tuple[str, str, str]] = []
        for key in keys:
            found += self.edges[self._spans.get(key, slice(0))]
        return found

    def view(self, nodes: Iterable[str] | None = None) -> nx.MultiDiGraph:
        """The network view of ``nodes`` (IRIs; every node if None): the whole view's subgraph
        on them, with the same attributes, read without building the rest."""
        keep = set(self.kinds) if nodes is None else {n for n in nodes if n in self.kinds}
        return _view(self, keep)


def degree_of(
    edges: Collection[tuple[str, str, str]], among: Collection[str] | None = None
) -> Counter:
    """Each node's count of ``edges`` ``(u, v, key)``, in and out (a self-loop twice), as
    NetworkX's ``degree`` of a MultiDiGraph counts them; nodes with none are not in it.
    With ``among``, the counts of those nodes alone (sooner, when they are few)."""
    ends = itertools.chain(map(_FROM, edges), map(_TO, edges))
    return Counter(ends if among is None else filter(among.__contains__, ends))


def skeleton(graph: RDFSource) -> Skeleton:
    """The nodes of ``graph``'s network view with their kinds, and its edges (see Skeleton).

    Read a class and a predicate at a time, into whole lists and dicts: on a graph of a
    million statements this is the cost of a build's map, so nothing here runs Python code
    per statement where a C loop (``dict.fromkeys``, ``map``, ``zip``) can do it.
    """
    reader = _reader(graph)
    # A node's kind is the first of NODE_KINDS it has: written last, it is the one that stays.
    kinds: dict[str, str] = {}
    bills: set[str] = set()
    for kind in reversed(NODE_KINDS):
        instances = reader.instances(str(kind.rdf_class))
        kinds.update(dict.fromkeys(instances, kind.name))
        if kind.rdf_class == BG.Bill:
            bills.update(instances)  # a bill is a bill whatever kind it has
    # Every edge end is one of these strings, so a million edges do not hold a million copies.
    same = dict(zip(kinds, kinds, strict=True))
    edges: list[tuple[str, str, str]] = []
    spans: dict[str, slice] = {}
    for prop, name in EDGE_PREDICATES.items():
        ends = list(map(same.get, reader.iri_ends(prop)))  # None: an end that is no node
        pairs = iter(ends)
        found = zip(pairs, pairs, itertools.repeat(name))
        if None in ends:
            found = (e for e in found if e[0] is not None and e[1] is not None)
        start = len(edges)
        edges.extend(dict.fromkeys(found))  # each once, though held in several graphs
        spans[name] = slice(start, len(edges))
    return Skeleton(kinds, edges, bills, reader, spans)


def to_networkx(graph: RDFSource, nodes: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The debate as a MultiDiGraph: typed nodes with plain attributes, typed edges.

    ``graph`` is an rdflib Graph or Dataset, or a pyoxigraph Store (both read as the union of
    their graphs); the view is the same. With ``nodes`` (IRIs) the view has those nodes alone,
    and the edges among them, with the attributes the whole view gives them.

    Node attributes: ``kind``, ``label``, ``iri``, and where they apply ``subkind`` (the
    document, organization, section or event kind), ``stance``, ``date``, ``quote``,
    ``paraphrase``, ``source`` (the document's IRI), ``url``, ``citation``, ``description``,
    ``where``, ``identifier``, vote tallies (``ayes``, ``noes``, ``not_voting``, ints). A claim
    also carries what a reader asks of it first: ``source_title``, ``source_stance``, its
    document's ``date``, ``asserted_by``, ``sections`` and ``topics`` (labels joined by "; ").
    Relation nodes carry ``polarity`` ("support" or "attack"). Every value is a str, int or
    bool, so the view exports to GraphML, GEXF and CSV as it is.

    Edge attributes: ``kind`` (also the edge key), the predicate's local name.
    """
    return skeleton(graph).view(nodes)


#: What the view reads of each node it keeps, besides a claim's links (_CLAIM_LINKS).
_NODE_READS = tuple(dict.fromkeys([RDFS.label, SKOS.prefLabel, *(p for p, _ in NODE_PROPERTIES)]))

#: What it reads of the things a kept claim links to: its document, authors, sections, topics.
_CONTEXT_READS = (RDFS.label, SKOS.prefLabel, BG.stance, DCTERMS.date, BG.citation)

#: Read with a node's attributes: its classes of ours other than its kind's give its subkind.
_TYPE = str(RDF.type)


@functools.lru_cache(maxsize=1024)
def _subkind(cls: str) -> str | None:
    """The subkind a class of ours gives a node (what a corpus calls it: ``statement``,
    ``trade-association``, ``committee-vote``), or None for a kind's own class or another's.

    >>> _subkind("https://w3id.org/billgraph/ontology#TradeAssociation")
    'trade-association'
    >>> _subkind("https://w3id.org/billgraph/ontology#Claim") is None
    True
    """
    return _kebab(_local(cls)) if cls.startswith(BG) and cls not in _FAMILY_CLASSES else None


def _view(sk: Skeleton, keep: set[str]) -> nx.MultiDiGraph:
    """The view of the nodes ``keep``: attributes read in bulk, for those nodes alone."""
    reader = sk._reader
    claims = {n for n in keep if sk.kinds[n] == "claim"}
    read: dict[str, dict[str, _Term]] = {str(p): {} for p in _NODE_READS}
    linked: dict[str, dict[str, set[_Term]]] = {str(p): {} for p, _ in _CLAIM_LINKS}
    subkinds: dict[str, str] = {}

    def take(predicates: Iterable[URIRef], subjects: Collection[str]) -> None:
        for s, p, o in reader.statements(predicates, subjects):
            if p == _TYPE:
                name = _subkind(o) if type(o) is str else None
                if name is not None and (s not in subkinds or name < subkinds[s]):
                    subkinds[s] = name  # of several, the least
                continue
            if p in linked:
                if s in claims:
                    linked[p].setdefault(s, set()).add(o)
                continue
            held = read[p].get(s)  # of several values, the least (as _values)
            if held is None or (o != held and _rank(o) < _rank(held)):
                read[p][s] = o

    take([RDF.type, *_NODE_READS, *(p for p, _ in _CLAIM_LINKS)], keep)
    asserted_in = read[str(BG.assertedIn)]
    # What a claim's context reads besides the nodes kept: its document, authors, sections.
    others = {d for c in claims if type(d := asserted_in.get(c)) is str}
    for found in linked.values():
        others.update(o for objects in found.values() for o in objects if type(o) is str)
    others -= keep
    if others:
        take(_CONTEXT_READS, others)

    def values(prop: URIRef) -> dict[str, _Term]:
        return read[str(prop)]

    labels, pref_labels = values(RDFS.label), values(SKOS.prefLabel)

    def label(node: str) -> str:
        found = labels.get(node)
        if found is None or not _text(found):  # as rdflib's `label or prefLabel`
            found = pref_labels.get(node)
        return _text(found) if found is not None else _local(node)

    g = nx.MultiDiGraph()
    for node in sorted(keep):
        kind = sk.kinds[node]
        attrs: dict[str, object] = {"kind": kind, "label": label(node), "iri": node}
        if node in subkinds:
            attrs["subkind"] = subkinds[node]
        if kind in ("support", "rebuttal", "undercut", "undermining"):
            attrs["polarity"] = "support" if kind == "support" else "attack"
        g.add_node(node, **attrs)
    data_of = g.nodes
    for prop, name in NODE_PROPERTIES:
        for node, value in values(prop).items():
            if node not in keep:
                continue
            data = data_of[node]
            if name in data:
                continue
            if isinstance(value, _Literal):
                data[name] = _python(value) if name in _TYPED else value.text
            elif name == "stance":
                data[name] = _stance_name(_text(value))
            else:
                data[name] = _text(value)
    recorded = _recorded_positions(reader, {d for d in keep if sk.kinds[d] == "source"} | others)
    for (doc, agent), stance in sorted(recorded.items()):
        if doc in keep:
            held = data_of[doc].get("recorded_positions")
            entry = f"{agent} {stance}"
            data_of[doc]["recorded_positions"] = f"{held}{JOIN}{entry}" if held else entry
    context = _ClaimContext(
        asserted_in,
        values(BG.stance),
        values(DCTERMS.date),
        values(BG.citation),
        {name: linked[str(p)] for p, name in _CLAIM_LINKS},
        label,
        sk._bills,
        recorded,
    )
    for claim in sorted(claims):
        context.add_to(claim, data_of[claim])
    # In one order whatever order the graph gave them: predicate, then ends. The edges from a
    # kept node are picked out in C (compress), as a map keeps a few of a million.
    for name in EDGE_PREDICATES.values():
        edges = sk.edges_of(name)
        ours = itertools.compress(edges, map(keep.__contains__, map(_FROM, edges)))
        kept = sorted(e for e in ours if e[1] in keep)
        g.add_edges_from((u, v, name, {"kind": name}) for u, v, name in kept)
    return g


@dataclass
class _ClaimContext:
    """What a claim's document, authors, sections and topics say about it, as plain text."""

    asserted_in: dict[str, _Term]
    stances: dict[str, _Term]
    dates: dict[str, _Term]
    citations: dict[str, _Term]
    links: dict[str, dict[str, set[_Term]]]
    label: Callable[[str], str]
    bills: set[str]
    #: The stance a document records of an organization or person, by (document, agent).
    recorded: dict[tuple[str, str], str]

    def add_to(self, claim: str, data: dict[str, object]) -> None:
        doc = self.asserted_in.get(claim)
        if type(doc) is str:
            data["source_title"] = self.label(doc)
            stance = self.stances.get(doc)
            if type(stance) is str:
                data["source_stance"] = _stance_name(stance)
            # A letter an analysis quotes: the side is its writer's, as the analysis records.
            by = sorted(o for o in self.links["asserted_by"].get(claim, ()) if type(o) is str)
            held = [self.recorded[(doc, a)] for a in by if (doc, a) in self.recorded]
            if held:
                data["position_stance"] = held[0]
            date = self.dates.get(doc)
            if date is not None and "date" not in data:
                data["date"] = _text(date)
        for _, name in _CLAIM_LINKS:
            sections = name == "sections"
            found = []
            for o in self.links[name].get(claim, ()):
                if type(o) is not str:
                    continue
                citation = self.citations.get(o) if sections else None
                if citation is None and sections and o in self.bills:
                    found.append("whole bill")
                else:
                    found.append(_text(citation) if citation is not None else self.label(o))
            if found:
                data[name] = JOIN.join(sorted(found))


def _recorded_positions(reader: Any, documents: Collection[str]) -> dict[tuple[str, str], str]:
    """The stance each of ``documents`` records of an organization or person (bg:Position),
    by (document, agent): an analysis's registered support and opposition."""
    positions = reader.instances(str(BG.Position))
    if not positions or not documents:
        return {}
    found: dict[str, dict[str, str]] = {}
    for s, p, o in reader.statements([BG.positionOf, BG.recordedIn, BG.stance], positions):
        if type(o) is str:
            found.setdefault(s, {}).setdefault(p, o)
    out: dict[tuple[str, str], str] = {}
    of, record, stance = str(BG.positionOf), str(BG.recordedIn), str(BG.stance)
    for fields in found.values():
        doc, agent = fields.get(record), fields.get(of)
        if doc in documents and agent is not None and stance in fields:
            out[(doc, agent)] = _stance_name(fields[stance])
    return out


@dataclass(frozen=True)
class ArgumentRelation:
    """One support or attack, read from RDF: premises lead to (or attack) one conclusion.

    ``conclusion`` is a claim's IRI, or for an undercut the IRI of the relation it attacks.
    ``answers`` are the claims an attack responds to: its conclusion for a rebuttal or an
    undermining; for an undercut of a support, the claim that support argues for; for an
    undercut of an attack, that attack's premises (whose use against a claim it denies).
    """

    iri: str
    kind: str  # supports, rebuts, undercuts, undermines, or attacks (an attack of no subkind)
    premises: tuple[str, ...]
    conclusion: str
    answers: tuple[str, ...]

    @property
    def is_attack(self) -> bool:
        return self.kind != "supports"


def argument_relations(graph: RDFSource) -> list[ArgumentRelation]:
    """Every support and attack in the graph, sorted by IRI: the argument structure alone.

    ``graph`` is an rdflib Graph or Dataset, or a pyoxigraph Store. A relation whose class is
    only ``bg:Attack`` (as an imported graph may have) is of kind ``attacks``. Relations with
    no premise or no conclusion are left out: they argue nothing.
    """
    reader = _reader(graph)
    kinds: dict[str, str] = {}
    for cls, name in [*RELATION_KIND.items(), (BG.Attack, "attacks")]:
        for r in sorted(reader.instances(str(cls))):
            kinds.setdefault(r, name)
    conclusions = _values(reader, BG.conclusion, kinds)
    premises_of = _objects(reader, BG.premise, kinds)
    found: dict[str, tuple[tuple[str, ...], str]] = {}
    for r in sorted(kinds):
        conclusion = conclusions.get(r)
        premises = tuple(sorted(_text(p) for p in premises_of.get(r, ())))
        if type(conclusion) is str and premises:
            found[r] = (premises, conclusion)
    out = []
    for r, (premises, conclusion) in found.items():
        kind = kinds[r]
        if kind == "supports":
            answers: tuple[str, ...] = ()
        elif conclusion not in found:
            answers = (conclusion,)
        elif kinds[conclusion] == "supports":
            answers = (found[conclusion][1],)
        else:
            answers = found[conclusion][0]
        out.append(ArgumentRelation(r, kind, premises, conclusion, answers))
    return out
