"""The neighbourhood of one node, found by SPARQL: a focused map of a graph of any size.

Cutting a neighbourhood out of the whole network view means reading the whole graph first:
minutes for a legislature of a million statements. Here the focus is found, and its
neighbourhood walked, by a few SPARQL queries (``graph/queries/neighbourhood/*.rq``) a hop
at a time, and only the network view of that part is built.

A node linked to more than ``hub_links`` nodes (:data:`graph.defaults.HUB_LINKS`) is a *hub*:
it is drawn, and its links counted, but the walk does not go through it; the map says which
hubs it did not expand and how to draw one (focus on it: the focus is always expanded).

The queries run through :mod:`graph.query` (:func:`~graph.query.execute` on a pyoxigraph
Store, :func:`~graph.query.query` on a :class:`~graph.query.SparqlEndpoint`), so the same
neighbourhood comes from the store on disk and from a SPARQL endpoint that holds the graph.

A focus is a name (``doc-12/claim-3``, ``22603``, ``The AI Alliance``) that any node may
bear, and no SPARQL engine looks a name up by its end or its case-folded words without
reading every name: the :class:`NodeIndex` holds every node's kind and names, read once
per change of a store's file and kept in the user's cache (a minute, at most, for a million
statements; read again by each command from an endpoint), so that a focus is found, and what
the map left out counted, at once.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import functools
import hashlib
import itertools
import json
import marshal
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from .argumentation import DebateFramework, framework_from_view
from .defaults import HUB_LINKS, MAX_NODES
from .errors import InputError
from .kinds import NODE_KINDS, RELATION_EDGE_KIND
from .network import EDGE_PREDICATES, Skeleton
from .query import EndpointError, ParsedQuery, SparqlEndpoint, execute, query
from .visualize import MapPage, cap, describe_left_out, render_html, resolve
from .vocab import BG

#: Where the questions this module asks live, one a file.
QUERIES = Path(__file__).resolve().parent / "queries" / "neighbourhood"

#: What the neighbourhood is read from: a store (on disk or in memory) or an endpoint.
Source = ox.Store | SparqlEndpoint

#: The classes of the node kinds, in the order that decides a node's kind.
_CLASSES = [ox.NamedNode(str(k.rdf_class)) for k in NODE_KINDS]
_KIND_OF_CLASS = {str(k.rdf_class): k.name for k in NODE_KINDS}
_RANK_OF_KIND = {k.name: i for i, k in enumerate(NODE_KINDS)}

#: The links of the network view, and those of them that are not an argument's.
_LINKS = [ox.NamedNode(str(p)) for p in EDGE_PREDICATES]
_PLAIN_LINKS = [
    ox.NamedNode(str(p)) for p in EDGE_PREDICATES if p not in (BG.premise, BG.conclusion)
]

#: A claim's links whose targets its details name (the view reads their labels too).
_CONTEXT_LINKS = {str(p) for p in (BG.assertedIn, BG.assertedBy, BG.concerns, DCTERMS.subject)}

#: Above this many arguments behind the claims drawn, a map evaluates the part it draws
#: alone (and says so): what decides a claim is rarely more than a few hundred.
MAX_ATTACK_CLOSURE = 20_000


# --- asking ---------------------------------------------------------------------------------


@functools.cache
def _template(name: str) -> ParsedQuery:
    """The question ``name``.rq, as :func:`graph.query.execute` runs it.

    Our own questions, so not read again by :func:`graph.query.parse_query` in every command
    (it takes a fifth of a second each): ``tests/test_neighbourhood.py`` checks that it reads
    each as this gives it, a SELECT or CONSTRUCT over the union of the graphs."""
    path = QUERIES / f"{name}.rq"
    text = path.read_text(encoding="utf-8")
    form = "CONSTRUCT" if re.search(r"^CONSTRUCT\b", text, re.M) else "SELECT"
    return ParsedQuery(text, str(path), form, frozenset(), (), (), (), ())


def _filled(text: str, values: Mapping[str, Iterable[object]]) -> str:
    """``text`` with the placeholders it holds filled with the terms given for them.

    A key ``?x`` fills ``VALUES ?x { }`` (the data of the question: nodes); a key ``?x IN``
    fills ``?x IN ()`` (a constant list, such as the classes of the node kinds, which as a
    filter Oxigraph applies after it has bound ``?x``, where as VALUES it would scan each
    one). Terms are pyoxigraph's, so they are written as SPARQL writes them, escaped."""
    for key, terms in values.items():
        words = [str(t) for t in terms]
        if key.endswith(" IN"):
            empty, full = f"{key} ()", f"{key} ({', '.join(words)})"
        else:
            empty, full = f"VALUES {key} {{ }}", f"VALUES {key} {{ {' '.join(words)} }}"
        if empty not in text:
            raise ValueError(f"the question has no {empty}")
        text = text.replace(empty, full)
    return text


class Overtime(Exception):
    """The asking went past the :attr:`Asker.deadline` it was given."""


@dataclass(frozen=True)
class Asker:
    """Asks the questions of this module of one source, the same way whatever it is."""

    source: Source
    #: The :func:`time.monotonic` by which the asking must end (None: no limit); a question
    #: asked after it raises :class:`Overtime`, so a server's request stops between questions.
    deadline: float | None = None

    def ask(  # noqa: ANN201
        self, name: str, values: Mapping[str, Iterable[object]], *, tail: str = ""
    ):
        """The answer (a :class:`graph.query.QueryResult`) to ``name``.rq with ``values``;
        ``tail`` (an ``ORDER BY ... LIMIT n``) is added to the end of a SELECT question."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise Overtime("the answer took longer than its time limit")
        template = _template(name)
        text = _filled(template.text, values) + tail
        if isinstance(self.source, SparqlEndpoint):
            return query(self.source, text)
        return execute(self.source, dataclasses.replace(template, text=text), {}, None)

    def rows(
        self, name: str, values: Mapping[str, Iterable[object]], *, tail: str = ""
    ) -> list[dict[str, object]]:
        """The rows of a SELECT question, as plain values (IRIs as str, literals as Python).
        An endpoint's row that leaves a column of the question unbound is
        :class:`graph.query.EndpointError`: what an endpoint answers is not trusted."""
        records = self.ask(name, values, tail=tail).records()
        if isinstance(self.source, SparqlEndpoint):
            columns = _columns(_template(name).text)
            for row in records:
                missing = [c for c in columns if row.get(c) is None]
                if missing:
                    raise EndpointError(
                        f"{self.source.url} did not answer with SPARQL results as asked: a "
                        f"row without ?{missing[0]} (for {name}.rq)"
                    )
        return records

    def statements(self, name: str, values: Mapping[str, Iterable[object]]) -> Graph:
        """The statements a CONSTRUCT question gives, as an rdflib Graph."""
        return self.ask(name, values).graph


def _columns(text: str) -> list[str]:
    """The variables a SELECT question gives, from its projection (``(COUNT(?x) AS ?n)``
    gives ``n``)."""
    projection = re.search(r"^SELECT\b(.*?)\bWHERE\b", text, re.M | re.S)
    if projection is None:
        return []
    words = re.sub(r"\((?:[^()]|\([^()]*\))*\bAS\s+(\?\w+)\s*\)", r"\1", projection[1])
    return re.findall(r"\?(\w+)", words)


def _iris(nodes: Iterable[str]) -> list[ox.NamedNode]:
    return [ox.NamedNode(n) for n in sorted(set(nodes))]


#: Nodes per question: a few hundred kilobytes of query text.
_CHUNK = 2_000


def _chunks(nodes: Iterable[str]) -> Iterable[list[ox.NamedNode]]:
    iris = _iris(nodes)
    for start in range(0, len(iris), _CHUNK):
        yield iris[start : start + _CHUNK]


# --- the index of nodes ---------------------------------------------------------------------


def _normal(text: str) -> str:
    """A name as :func:`graph.visualize.resolve` compares names: case-folded, spaces single."""
    return " ".join(text.casefold().split())


def _local(iri: str) -> str:
    """The end of an IRI: what the network view calls a node that has no label."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _name_key(name: str) -> int:
    """A name as the index files it: 64 bits of its hash (a collision only adds a candidate,
    which resolving then sets aside), so the index does not hold every claim's words."""
    digest = hashlib.blake2b(_normal(name).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


#: The layout of a saved index; one saved by another layout is read again.
INDEX_FORMAT = 3

#: The kinds, numbered as a saved index numbers them.
_KIND_NAMES = [k.name for k in NODE_KINDS]


class _Kinds(Mapping[str, str]):
    """Each node's kind, looked up in the index's sorted IRIs: no dict of every node is built
    for a command that looks up a few hundred."""

    def __init__(self, nodes: list[str], codes: bytes) -> None:
        self.nodes, self.codes = nodes, codes

    def __getitem__(self, node: str) -> str:
        i = bisect.bisect_left(self.nodes, node)
        if i == len(self.nodes) or self.nodes[i] != node:
            raise KeyError(node)
        return _KIND_NAMES[self.codes[i]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)


class NodeIndex:
    """Every node of a graph's network view, its kind, and the names a user may call it by.

    ``kinds``: each node (IRI) and its kind; ``bills``: the bills; ``citations``: each bill
    section's citation (the least, as the view shows it); names: for each name (a citation,
    identifier or label, or the end of the IRI of a node without a label), by
    :func:`_name_key`, the nodes that bear it (:meth:`candidates`).
    """

    def __init__(
        self,
        nodes: str,
        codes: bytes,
        bills: list[int],
        citations: dict[int, str],
        names: dict[int, list[int]],
    ) -> None:
        # As saved: every IRI once, sorted, in one text a line each; the rest by number.
        self._text = nodes
        self._nodes = nodes.split("\n") if nodes else []
        self._codes = codes
        self._bills = bills
        self._citations = citations
        self._names = names
        self.kinds: Mapping[str, str] = _Kinds(self._nodes, codes)

    @classmethod
    def of(
        cls,
        kinds: Mapping[str, str],
        citations: Mapping[str, str],
        names: Mapping[int, Iterable[str]],
    ) -> NodeIndex:
        nodes = sorted(kinds)
        number = {n: i for i, n in enumerate(nodes)}
        return cls(
            "\n".join(nodes),
            bytes(_KIND_NAMES.index(kinds[n]) for n in nodes),
            [number[n] for n in nodes if kinds[n] == "bill"],
            {number[n]: c for n, c in citations.items()},
            {k: sorted(number[n] for n in found) for k, found in names.items()},
        )

    @classmethod
    def read(cls, asker: Asker) -> NodeIndex:
        """The index of the graph ``asker`` asks: two questions over every node."""
        kinds: dict[str, str] = {}
        for row in asker.rows("nodes", {"?class IN": _CLASSES}):
            node, kind = str(row["node"]), _KIND_OF_CLASS.get(str(row["class"]))
            if kind is None:  # a class not asked for (an endpoint's answer is not trusted)
                continue
            held = kinds.get(node)
            if held is None or _RANK_OF_KIND[kind] < _RANK_OF_KIND[held]:
                kinds[node] = kind
        names: dict[int, set[str]] = {}
        citations: dict[str, str] = {}
        labelled = set()
        citation, labels = str(BG.citation), {str(RDFS.label), str(SKOS.prefLabel)}
        for row in asker.rows("names", {}):
            node, key, name = str(row["node"]), str(row["key"]), str(row["name"])
            if node not in kinds:
                continue
            names.setdefault(_name_key(name), set()).add(node)
            if key in labels:
                labelled.add(node)
            elif key == citation and (node not in citations or name < citations[node]):
                citations[node] = name
        for node in kinds.keys() - labelled:
            names.setdefault(_name_key(_local(node)), set()).add(node)
        return cls.of(kinds, citations, names)

    @property
    def bills(self) -> list[str]:
        """Every bill of the graph (a bill is a bill whatever kind it has)."""
        return [self._nodes[i] for i in self._bills]

    @property
    def citations(self) -> dict[str, str]:
        return {self._nodes[i]: c for i, c in self._citations.items()}

    def counts(self) -> Counter:
        """How many nodes of each kind the graph holds."""
        return Counter({_KIND_NAMES[k]: n for k, n in Counter(self._codes).items()})

    def candidates(self, target: str) -> set[str]:
        """The nodes ``target`` may name: its IRI, a node whose IRI ends with it, or one
        bearing it as a name. More than it names (:func:`graph.visualize.resolve` decides
        among them), never fewer."""
        exact, tail = target.strip(), "/" + target.strip().strip("/")
        found = {exact} if self._find(exact) else set()
        # A line of the text that ends with the tail (and any slashes), in one pass in C.
        for m in re.finditer(re.escape(tail) + r"/*$", self._text, re.M):
            start = self._text.rfind("\n", 0, m.start()) + 1
            found.add(self._text[start : m.end()])
        numbers = self._names.get(_name_key(target), ())
        return found | {self._nodes[i] for i in numbers}

    def _find(self, node: str) -> list[int]:
        i = bisect.bisect_left(self._nodes, node)
        return [i] if i < len(self._nodes) and self._nodes[i] == node else []

    def to_data(self) -> tuple:
        """The index as plain data (:mod:`marshal` writes it)."""
        return (INDEX_FORMAT, self._text, self._codes, self._bills, self._citations, self._names)

    @classmethod
    def from_data(cls, data: object) -> NodeIndex | None:
        """The index :meth:`to_data` gave, or None for data of another layout."""
        if not isinstance(data, tuple) or len(data) != 6 or data[0] != INDEX_FORMAT:
            return None
        return cls(*data[1:])


def node_index_file(sha256: str) -> Path:
    """Where the node index of a graph file with this SHA-256 is kept, in the user's cache."""
    from .store import cache_home

    return cache_home() / "node-index" / f"{sha256}.marshal"


def cached_index(
    asker: Asker, store_folder: str | os.PathLike[str], *, quiet: bool = False
) -> NodeIndex:
    """The index of the store in ``store_folder`` (:func:`graph.store.store_of`), read once
    per content of the store's file (saying so on stderr for a large one, unless ``quiet``)
    and kept in the user's cache, named by the file's SHA-256, so a copy shares it."""
    from .store import MANIFEST, SAY_INDEXING

    try:
        manifest = json.loads((Path(store_folder).parent / MANIFEST).read_text(encoding="utf-8"))
        sha256, size = str(manifest["sha256"]), int(manifest["size"])
    except (OSError, ValueError, KeyError, TypeError):
        return NodeIndex.read(asker)
    path = node_index_file(sha256)
    try:
        index = NodeIndex.from_data(marshal.loads(path.read_bytes()))  # noqa: S302 (our own)
    except (OSError, ValueError, EOFError, TypeError):
        index = None
    if index is None:
        if not quiet and size >= SAY_INDEXING:
            print(
                "Reading the kind and names of every node, to find a focus by "
                "(once per change of the graph)...",
                file=sys.stderr,
                flush=True,
            )
        index = NodeIndex.read(asker)
        _save(path, marshal.dumps(index.to_data()))
    return index


def _save(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all; a cache that cannot be written costs
    the next command the reading again, nothing else."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


# --- the graph around a part ----------------------------------------------------------------


@dataclass
class IndexedSource:
    """A source of statements and its index: what every step below asks."""

    asker: Asker
    index: NodeIndex

    @classmethod
    def of(cls, source: Source, index: NodeIndex | None = None) -> IndexedSource:
        """``source`` with ``index``, or with its index read now if none is given."""
        asker = Asker(source)
        return cls(asker, index if index is not None else NodeIndex.read(asker))

    @property
    def kinds(self) -> Mapping[str, str]:
        """Every node of the source and its kind."""
        return self.index.kinds

    def view(
        self, nodes: Iterable[str], edges: Iterable[tuple[str, str, str]] = ()
    ) -> nx.MultiDiGraph:
        """The network view of ``nodes`` with the ``edges`` among them, their attributes as
        the whole view gives them (:func:`graph.network.to_networkx`), read from the
        statements about those nodes and what a claim's details name (its document,
        authors, sections and topics) alone."""
        kinds = {n: self.kinds[n] for n in nodes if n in self.kinds}
        if isinstance(self.asker.source, ox.Store):
            # The view reads a store's statements of these nodes itself, by SPARQL.
            return Skeleton.of(kinds, edges, self.index.bills, self.asker.source).view()
        asker = self.asker
        statements = Graph()
        for chunk in _chunks(kinds):
            statements += asker.statements("statements", {"?node": chunk})
        named = {
            str(o)
            for s, p, o in statements
            if str(p) in _CONTEXT_LINKS and kinds.get(str(s)) == "claim" and isinstance(o, URIRef)
        }
        context = named - kinds.keys()
        for chunk in _chunks(context):
            statements += asker.statements("statements", {"?node": chunk})
        documents = {n for n, k in kinds.items() if k == "source"} | context
        for chunk in _chunks(documents):
            statements += asker.statements("positions", {"?document": chunk})
        return Skeleton.of(kinds, edges, self.index.bills, statements).view()

    def resolve(self, target: str) -> list[str]:
        """The nodes a user means by ``target``, as :func:`graph.visualize.resolve` finds
        them in the whole view (the same rules, the same messages), from the view of the few
        nodes that could match alone."""
        candidates = self.index.candidates(target)
        view = self.view(candidates)
        try:
            return resolve(view, target)
        except InputError:
            pass  # ambiguous, or nothing: said as over every node (its near misses named)
        every = nx.MultiDiGraph()
        every.add_nodes_from(self.kinds)
        for node, citation in self.index.citations.items():
            every.nodes[node]["citation"] = citation
        every.update(view)
        return resolve(every, target)

    def arguments(self, nodes: Iterable[str]) -> Arguments:
        """The relations that have one of ``nodes`` as a premise or conclusion, the undercuts
        of those, and the relations those conclude at, until none is left to read."""
        arguments = Arguments()
        pending = set(nodes)
        asked: set[str] = set()
        while pending:
            asked |= pending
            relations = {n for n in pending if self.kinds.get(n) in RELATION_EDGE_KIND}
            for name, key, of in (
                ("relations", "?node", pending),
                ("ends", "?relation", relations),
            ):
                for chunk in _chunks(of):
                    for row in self.asker.rows(name, {key: chunk}):
                        arguments.add(str(row["relation"]), str(row["link"]), str(row["end"]))
            named = arguments.named()
            pending = {n for n in named if self.kinds.get(n) in RELATION_EDGE_KIND} - asked
        return arguments

    def link_counts(self, nodes: Iterable[str]) -> dict[str, int]:
        """How many nodes each of ``nodes`` is linked to (those linked to none are not in it)."""
        counts: dict[str, int] = {}
        for chunk in _chunks(nodes):
            for row in self.asker.rows("links", {"?node": chunk, "?link IN": _LINKS}):
                links = row["links"]
                if not isinstance(links, int) or isinstance(links, bool):
                    raise EndpointError(
                        f"{getattr(self.asker.source, 'url', 'the store')} did not answer "
                        f"with SPARQL results as asked: a count of links {str(links)!r:.40}"
                    )
                counts[str(row["node"])] = links
        return counts

    def neighbours(self, nodes: list[str], limit: int | None = None) -> dict[str, set[str]]:
        """The nodes the map draws one link from each of ``nodes``: by a plain link, or by
        an argument's arrow. ``limit``: the most plain links read (the first, in order of
        node and neighbour), so a walk that can keep only so many asks for no more."""
        kinds = self.kinds
        found: dict[str, set[str]] = {n: set() for n in nodes}
        tail = "" if limit is None else f"\nORDER BY ?node ?other LIMIT {int(limit)}"
        for chunk in _chunks(nodes):
            values = {"?node": chunk, "?link IN": _PLAIN_LINKS}
            for row in self.asker.rows("neighbours", values, tail=tail):
                other = str(row["other"])
                node = found.get(str(row["node"]))
                if node is not None and other in kinds and kinds[other] not in RELATION_EDGE_KIND:
                    node.add(other)
        for premise, target in self.arguments(nodes).links(kinds):
            if premise in found:
                found[premise].add(target)
            if target in found:
                found[target].add(premise)
        return found

    def edges(self, nodes: set[str]) -> list[tuple[str, str, str]]:
        """The network view's edges among ``nodes``."""
        names = {str(p): name for p, name in EDGE_PREDICATES.items()}
        edges = set()
        for chunk in _chunks(nodes):
            for row in self.asker.rows("edges", {"?from": chunk, "?link IN": _LINKS}):
                link = names.get(str(row["link"]))
                if str(row["to"]) in nodes and str(row["from"]) in nodes and link is not None:
                    edges.add((str(row["from"]), str(row["to"]), link))
        return sorted(edges)


@dataclass
class Arguments:
    """Argument relations read so far: each one's premises and conclusions."""

    premises: dict[str, set[str]] = dataclasses.field(default_factory=dict)
    conclusions: dict[str, set[str]] = dataclasses.field(default_factory=dict)

    def add(self, relation: str, link: str, end: str) -> None:
        self.premises.setdefault(relation, set())
        self.conclusions.setdefault(relation, set())
        (self.premises if link == str(BG.premise) else self.conclusions)[relation].add(end)

    def named(self) -> set[str]:
        """Every relation read, and every premise and conclusion of one."""
        ends = itertools.chain(*self.premises.values(), *self.conclusions.values())
        return set(self.premises) | set(ends)

    def conclusion(self, relation: str) -> str | None:
        """The relation's conclusion (the least, as the network view's map takes it)."""
        found = self.conclusions.get(relation)
        return min(found) if found else None

    def target(self, kinds: Mapping[str, str], node: str | None) -> str | None:
        """The node an argument's arrow points at: an undercut aims at a relation, so on to
        that relation's conclusion (None where the chain ends nowhere)."""
        seen = set()
        while node is not None and kinds.get(node) in RELATION_EDGE_KIND and node not in seen:
            seen.add(node)
            node = self.conclusion(node)
        return None if node is None or kinds.get(node) in RELATION_EDGE_KIND else node

    def links(self, kinds: Mapping[str, str]) -> set[tuple[str, str]]:
        """The arrows the map draws for these relations: from a premise to what it argues
        about (:func:`graph.visualize.map_graph`)."""
        links = set()
        for relation, premises in self.premises.items():
            if kinds.get(relation) not in RELATION_EDGE_KIND:
                continue
            target = self.target(kinds, self.conclusion(relation))
            if target is None:
                continue
            for p in premises:
                if p in kinds and kinds[p] not in RELATION_EDGE_KIND and p != target:
                    links.add((p, target))
        return links

    def among(self, nodes: set[str], kinds: Mapping[str, str]) -> set[str]:
        """The relations the map draws among ``nodes``: those whose conclusion and one of
        whose premises it draws (an undercut once the relation it attacks is)."""
        kept = set(nodes)
        pending = sorted(r for r in self.premises if kinds.get(r) in RELATION_EDGE_KIND)
        changed = True
        while changed:
            changed = False
            waiting = []
            for r in pending:
                if self.conclusion(r) in kept and self.premises[r] & kept:
                    kept.add(r)
                    changed = True
                else:
                    waiting.append(r)
            pending = waiting
        return kept - nodes


# --- walking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hub:
    """A node drawn but not walked through: linked to more nodes than the walk's limit."""

    iri: str
    kind: str
    links: int


@dataclass
class Neighbourhood:
    """What a focused map draws: the nodes within ``depth`` links of the focus (``hops``:
    how far each is), the argument relations among them (``kinds`` holds both), the edges
    among them all, and the hubs the walk did not go through."""

    seeds: list[str]
    depth: int
    hops: dict[str, int]
    kinds: dict[str, str]
    edges: list[tuple[str, str, str]]
    hubs: list[Hub]
    #: False when the walk stopped early: the nodes found already filled the map.
    whole: bool = True


def _starts(indexed: IndexedSource, seeds: list[str]) -> list[str]:
    """Where the walk starts: the seeds, or for a relation its premises and its target."""
    kinds = indexed.kinds
    relations = [s for s in seeds if kinds.get(s) in RELATION_EDGE_KIND]
    arguments = indexed.arguments(relations) if relations else Arguments()
    starts: set[str] = set()
    for s in seeds:
        if s in relations:
            target = arguments.target(kinds, arguments.conclusion(s))
            ends = [*arguments.premises.get(s, ()), target]
            starts |= {n for n in ends if n in kinds and kinds[n] not in RELATION_EDGE_KIND}
        elif s in kinds:
            starts.add(s)
    return sorted(starts)


def _batches(
    nodes: list[str], hop: int, hub_links: int, room: Callable[[], int]
) -> Iterator[list[str]]:
    """``nodes`` in order, in batches of as many as can fill the ``room()`` left: past the
    first hop each node links to at most ``hub_links`` others (more makes it a hub), so a
    batch asks for about what the map can still keep, and none is asked once it is full.
    A seed (the first hop) may link to any number: it is asked alone."""
    start = 0
    while start < len(nodes) and room() > 0:
        size = 1 if hop == 0 else max(1, room() // max(1, hub_links))
        yield nodes[start : start + size]
        start += size


def walk(
    indexed: IndexedSource,
    seeds: list[str],
    depth: int,
    *,
    hub_links: int = HUB_LINKS,
    max_nodes: int = MAX_NODES,
) -> Neighbourhood:
    """The neighbourhood of ``seeds`` (nodes, by IRI) to ``depth`` links, as the map draws
    links (a supports arrow is one), not walked through hubs: nodes other than the seeds
    linked to more than ``hub_links`` nodes. The walk stops when it has found ``max_nodes``
    nodes (the nearest first, in order of IRI within a hop), and asks the source for no more
    than it can still keep: the work of a walk is bounded by ``max_nodes``, not by the size
    of the hop it stops in.
    """
    starts = _starts(indexed, seeds)
    hops = dict.fromkeys(starts, 0)
    frontier = list(starts)
    hubs: list[Hub] = []
    whole = True
    for hop in range(depth):
        if not frontier:
            break
        if len(hops) >= max_nodes:
            whole = False
            break
        counts = indexed.link_counts(frontier) if hop else {}
        through = [n for n in frontier if counts.get(n, 0) <= hub_links]
        hubs += [
            Hub(n, indexed.kinds[n], counts[n]) for n in frontier if counts.get(n, 0) > hub_links
        ]
        frontier = []
        for batch in _batches(sorted(through), hop, hub_links, lambda: max_nodes - len(hops)):
            room = max_nodes - len(hops)
            if room <= 0:
                whole = False
                break
            # Rows that add nothing (a node found already) are at most one per node found
            # for each node asked: past those, a row beyond ``room`` could not be kept.
            limit = room + len(batch) * len(hops)
            for _, others in sorted(indexed.neighbours(batch, limit).items()):
                for other in sorted(others - hops.keys()):
                    if len(hops) >= max_nodes:
                        whole = False
                        break
                    hops[other] = hop + 1
                    frontier.append(other)
    drawn = set(hops)
    relations = indexed.arguments(drawn).among(drawn, indexed.kinds)
    kinds = {n: indexed.kinds[n] for n in sorted(drawn | relations)}
    edges = indexed.edges(drawn | relations)
    hubs.sort(key=lambda h: (-h.links, h.iri))
    return Neighbourhood(seeds, depth, hops, kinds, edges, hubs, whole)


# --- evaluating -----------------------------------------------------------------------------

#: The kinds of the relations that attack (an argument framework has no supports).
_ATTACKS = ("rebuttal", "undercut", "undermining")


def evaluation_of(indexed: IndexedSource, claims: Iterable[str]) -> DebateFramework | None:
    """The framework that decides whether each of ``claims`` stands in the whole debate: the
    claims and attacks behind them, walked back from them (``attackers.rq``) until no
    attacker is new. Grounded semantics is directional (an argument's label depends on its
    attackers alone), so this part labels them as the whole graph does. None when more than
    :data:`MAX_ATTACK_CLOSURE` arguments stand behind them."""
    kinds = indexed.kinds
    arguments = Arguments()
    targets = set(claims)
    asked: set[str] = set()
    attacks: set[str] = set()
    while targets:
        asked |= targets
        if len(asked) > MAX_ATTACK_CLOSURE:
            return None
        for chunk in _chunks(targets):
            for row in indexed.asker.rows("attackers", {"?target": chunk}):
                arguments.add(str(row["relation"]), str(row["link"]), str(row["end"]))
        attacks = {r for r in arguments.premises if kinds.get(r) in _ATTACKS}
        targets = ({p for r in attacks for p in arguments.premises[r]} | attacks) - asked
    nodes = {n: "claim" for n in asked if kinds.get(n) == "claim"} | {r: kinds[r] for r in attacks}
    edges = [
        (r, end, link)
        for r in sorted(attacks)
        for link, ends in (
            ("premise", arguments.premises[r]),
            ("conclusion", arguments.conclusions[r]),
        )
        for end in sorted(ends)
        if end in nodes
    ]
    # The framework reads the kinds, links and labels of its arguments, nothing else.
    labels = Graph()
    for chunk in _chunks(nodes):
        labels += indexed.asker.statements("labels", {"?node": chunk})
    return framework_from_view(Skeleton.of(nodes, edges, indexed.index.bills, labels).view())


# --- the bill's text -----------------------------------------------------------------------


def bill_text_of(source: Source) -> dict | None:
    """The bill's text as a map shows it (:func:`graph.reader.bill_text`), from a store or,
    through ``bill-text.rq``, from an endpoint."""
    from .reader import bill_text

    if isinstance(source, ox.Store):
        return bill_text(source)
    return bill_text(Asker(source).statements("bill-text", {}))


# --- drawing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FocusedMap:
    """A focused map's page, what it shows and left out, and the hubs it did not go through."""

    page: MapPage
    hubs: list[Hub]
    #: Each hub's label, as the map shows it.
    labels: dict[str, str]

    def summary(self) -> str:
        """What the command line prints: how much the map shows, and which hubs it drew
        without their links."""
        return "\n".join([self.page.summary(), *hub_lines(self.hubs, self.labels)])


#: A note names at most this many hubs, the most linked first, and counts the rest.
HUBS_NAMED = 8


def hub_lines(hubs: list[Hub], labels: Mapping[str, str]) -> list[str]:
    """What a focused map says of the hubs it did not walk through, and how to see one."""
    if not hubs:
        return []
    named = [
        f"{labels.get(h.iri, h.iri)} ({h.kind}, {h.links:,} links: --focus {h.iri})"
        for h in hubs[:HUBS_NAMED]
    ]
    more = len(hubs) - len(named)
    rest = f"; and {more:,} more" if more else ""
    return [
        f"Drawn but not walked through, each linked to more nodes than the walk follows: "
        f"{'; '.join(named)}{rest}. To draw what one links to, focus on it."
    ]


def focused_map(
    source: Source,
    target: str,
    *,
    depth: int = 2,
    hub_links: int = HUB_LINKS,
    max_nodes: int = MAX_NODES,
    title: str = "Debate map",
    bill_text: Mapping | None = None,
    index: NodeIndex | None = None,
) -> FocusedMap:
    """The map of the neighbourhood of ``target`` (a claim, organization, section citation,
    topic, or IRI: what ``--focus`` takes) in ``source``, a store or an endpoint.

    The page is the one :func:`graph.visualize.render_map` draws of the whole graph's view
    with ``focus_on`` (byte for byte, when no hub is met): at most ``max_nodes`` nodes, the
    nearest first; it says what it left out and which hubs it did not go through, and judges
    each claim by the whole debate. Only the part drawn, and the attacks behind its claims,
    are read. ``index`` is the source's :class:`NodeIndex`, if the caller keeps one.
    """
    if depth < 0:
        raise InputError.single("--depth", 0, f"depth must be 0 or more, not {depth}")
    indexed = IndexedSource.of(source, index)
    seeds = indexed.resolve(target)
    part = walk(indexed, seeds, depth, hub_links=hub_links, max_nodes=max_nodes)
    whole_view = indexed.view(part.kinds, part.edges)
    labels = _labels_of(indexed, whole_view, seeds)
    around = ", ".join(labels[s] for s in seeds)
    title = f"{title}: around {around} ({depth} link{'s' if depth != 1 else ''})"
    view, _ = cap(whole_view, max_nodes, part.hops)
    totals = indexed.index.counts()
    left_out = +(totals - Counter(kind for _, kind in view.nodes(data="kind")))
    total = sum(n for kind, n in totals.items() if kind not in RELATION_EDGE_KIND)
    shown = sum(1 for _, kind in view.nodes(data="kind") if kind not in RELATION_EDGE_KIND)
    evaluation = evaluation_of(indexed, [n for n, k in view.nodes(data="kind") if k == "claim"])
    hub_labels = {h.iri: str(whole_view.nodes[h.iri]["label"]) for h in part.hubs}
    notes = []
    if left_out:
        notes.append(
            f"This map shows {shown:,} of {total:,} nodes; left out: {describe_left_out(left_out)}."
        )
    notes += hub_lines(part.hubs, hub_labels)
    if not part.whole:
        notes.append(
            f"The nodes nearest the focus fill the map before {depth} links: it draws the "
            f"{max_nodes:,} nearest."
        )
    if evaluation is None:
        notes.append(
            f"Whether a claim stands is judged by the part drawn: more than "
            f"{MAX_ATTACK_CLOSURE:,} arguments stand behind its claims."
        )
    html = render_html(
        view,
        title=title,
        max_nodes=max_nodes,
        note=" ".join(notes),
        evaluation=evaluation,
        bill_text=bill_text,
    )
    return FocusedMap(MapPage(html, shown, total, left_out), part.hubs, hub_labels)


def _labels_of(indexed: IndexedSource, view: nx.MultiDiGraph, nodes: list[str]) -> dict[str, str]:
    """The labels of ``nodes``, from ``view`` or (a relation not drawn) read for them."""
    missing = [n for n in nodes if n not in view]
    if missing:
        view = nx.compose(view, indexed.view(missing))
    return {n: str(view.nodes[n].get("label", n)) if n in view else n for n in nodes}
