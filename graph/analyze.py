"""Analyses of a debate: the numbers and tables analysts ask of the graph.

Everything here reads an RDF graph (built from a corpus, read from Turtle, imported from AIF)
and gives plain records and text; writing files is the command line's job. :func:`analyze`
runs them all:

- the **stance matrix**: who argues for and against which section of the bill;
- the **most contested sections**: where claims are attacked and organizations divide;
- **unanswered claims**: claims no one has attacked;
- the **longest chains** of claim and counterclaim;
- **coalition overlap**: organizations in more than one coalition or sign-on letter;
- the **most central** claims and organizations, each with the measure named;
- the **formal evaluation** of the attacks (Dung's grounded and preferred semantics).

A document's stance decides the side of the claims in it (a letter a committee analysis
quotes takes the position the analysis records of its writer): ``support`` is *for*; ``oppose``,
``oppose-unless-amended`` and ``veto`` are *against*; ``support-if-amended``, ``concerns``
and ``neutral`` are counted apart as *mixed*, since they argue neither simply for nor
against a section.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from rdflib.namespace import DCTERMS, FOAF, ORG, RDFS, SKOS

from .argumentation import PREFERRED_STEPS, PREFERRED_TOTAL, DebateFramework, framework_from_graph
from .kinds import AGAINST, FOR, MIXED, STANCE_SIDE
from .network import (
    ArgumentRelation,
    RDFSource,
    _objects,
    _Reader,
    _reader,
    _recorded_positions,
    _stance_name,
    _text,
    _values,
    argument_relations,
)
from .vocab import BG

#: The column of claims about a bill as a whole rather than a section of it.
WHOLE_BILL = "whole bill"

TOP = 10  # rows shown for rankings

#: Steps the search for the longest chains may take (see longest_chains).
CHAIN_STEPS = 200_000

#: Betweenness walks the graph breadth first from each node. NetworkX does it in Python, as
#: the measure always was, while the walks come to at most this many node and edge visits
#: (about two seconds); beyond, the walks go many sources at a time as sparse matrix
#: products (see _betweenness_from): every node, or as many as this many visits allow, taken
#: at random (about fifteen seconds on a session's debate of 52,000 nodes).
NETWORKX_BETWEENNESS_WORK = 1_000_000
BETWEENNESS_WORK = 100_000_000

#: The seed of that sample, so the same graph always gives the same ranking.
BETWEENNESS_SEED = 1047


class _Labels:
    """Every node's label, read once: its rdfs:label, else its skos:prefLabel, else the last
    part of its IRI (as rdflib's ``graph.value(node, RDFS.label) or ...`` gave it)."""

    def __init__(self, reader: _Reader) -> None:
        self.labels = _values(reader, RDFS.label)
        self.pref_labels = _values(reader, SKOS.prefLabel)

    def rdfs_label(self, node: str) -> str | None:
        """The node's rdfs:label alone, or None."""
        found = self.labels.get(node)
        return None if found is None else _text(found)

    def __call__(self, node: str) -> str:
        found = self.labels.get(node)
        if found is None or not _text(found):
            found = self.pref_labels.get(node)
        return _text(found) if found is not None else node.rsplit("/", 1)[-1]


@functools.lru_cache(maxsize=65536)
def _natural(text: str) -> tuple[object, ...]:
    """A sort key that puts "SEC. 2" before "SEC. 10" and "22603(a)" before "22603(b)"."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


# --- what the analyses share: claims with their side, authors and sections ----------------


@dataclass(frozen=True)
class ClaimFacts:
    iri: str
    label: str
    side: str | None  # for, against, mixed; None when its document takes no stance
    agents: tuple[str, ...]  # IRIs of who asserts it
    sections: tuple[str, ...]  # section citations, or WHOLE_BILL
    document: str | None


@dataclass
class Debate:
    """The facts every analysis needs, read once from the graph.

    ``graph`` is an rdflib Graph or Dataset, or a pyoxigraph Store (each read as the union
    of its graphs), read in bulk: a pass over each predicate the analyses use, never a
    lookup per node, so a graph of a million statements is read in seconds.
    """

    graph: RDFSource
    claims: dict[str, ClaimFacts]
    relations: list[ArgumentRelation]
    agent_names: dict[str, str]
    label: _Labels = field(repr=False)
    reader: _Reader = field(repr=False)

    @classmethod
    def read(cls, graph: RDFSource) -> Debate:
        reader = _reader(graph)
        label = _Labels(reader)
        claims: dict[str, ClaimFacts] = {}
        agent_names: dict[str, str] = {}
        for cls_ in (ORG.Organization, FOAF.Person):
            for a in reader.instances(str(cls_)):
                agent_names[a] = label(a)
        iris = sorted(set(reader.instances(str(BG.Claim))))
        wanted = set(iris)
        documents = _values(reader, BG.assertedIn, wanted)
        stances = _values(reader, BG.stance, {d for d in documents.values() if type(d) is str})
        asserted_by = _objects(reader, BG.assertedBy, wanted)
        concerns = _objects(reader, BG.concerns, wanted)
        sections_of = {o for found in concerns.values() for o in found if type(o) is str}
        citations = _values(reader, BG.citation, sections_of)
        recorded = _recorded_positions(reader, {d for d in documents.values() if type(d) is str})
        for c in iris:
            doc = documents.get(c)
            stance = stances.get(doc) if type(doc) is str else None
            side = STANCE_SIDE.get(_stance_name(stance)) if type(stance) is str else None
            agents = tuple(sorted(_text(a) for a in asserted_by.get(c, ())))
            # A letter an analysis quotes: the side of the position it records of the writer.
            held = [recorded[(doc, a)] for a in agents if (doc, a) in recorded]
            if held:
                side = STANCE_SIDE.get(held[0])
            for a in agents:
                agent_names.setdefault(a, label(a))
            sections = []
            for s in concerns.get(c, ()):
                citation = citations.get(s) if type(s) is str else None
                sections.append(_text(citation) if citation is not None else WHOLE_BILL)
            claims[c] = ClaimFacts(
                iri=c,
                label=label(c),
                side=side,
                agents=agents,
                sections=tuple(sorted(set(sections), key=_natural)),
                document=_text(doc) if doc is not None else None,
            )
        return cls(graph, claims, argument_relations(graph), agent_names, label, reader)

    def answered_by(self) -> dict[str, list[tuple[str, str]]]:
        """For each claim, the (answering claim, relation kind) pairs that attack it."""
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in self.relations:
            if not r.is_attack:
                continue
            for target in r.answers:
                for p in r.premises:
                    if target in self.claims and p in self.claims:
                        out[target].append((p, r.kind))
        return out


# --- the stance matrix --------------------------------------------------------------------


@dataclass
class StanceMatrix:
    """Organization (or person) by bill section: how many claims argue for, against, mixed.

    ``cells[(agent, section)]`` counts claims by side; ``agents`` are IRIs sorted by name,
    ``sections`` citations in bill order with the whole bill last.
    """

    agents: list[str]
    sections: list[str]
    names: dict[str, str]
    cells: dict[tuple[str, str], dict[str, int]]

    def count(self, agent: str, section: str, side: str) -> int:
        return self.cells.get((agent, section), {}).get(side, 0)

    def net(self, agent: str, section: str) -> int:
        """Claims for minus claims against: the colour of the heatmap's cell."""
        return self.count(agent, section, FOR) - self.count(agent, section, AGAINST)

    def to_csv(self) -> str:
        """One row per organization and section with any claim: counts for, against, mixed."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["organization", "organization_iri", "section", FOR, AGAINST, MIXED])
        for a in self.agents:
            for s in self.sections:
                if (a, s) in self.cells:
                    w.writerow(
                        [
                            self.names[a],
                            a,
                            s,
                            self.count(a, s, FOR),
                            self.count(a, s, AGAINST),
                            self.count(a, s, MIXED),
                        ]
                    )
        return buf.getvalue()

    def to_text(self) -> str:
        """The matrix as a terminal table: each cell "for/against", then "+n" for n mixed.

        A blank cell means no claim; "0/0" means claims from documents that take no stance.
        """
        if not self.agents:
            return "(no organization asserts a claim about the bill)"
        width = min(max(len(self.names[a]) for a in self.agents), 40)
        cols = [max(len(s), 5) for s in self.sections]
        lines = [
            " " * width
            + "  "
            + "  ".join(s.rjust(c) for s, c in zip(self.sections, cols, strict=True))
        ]
        for a in self.agents:
            cells = []
            for s, c in zip(self.sections, cols, strict=True):
                text = ""
                if (a, s) in self.cells:
                    text = f"{self.count(a, s, FOR)}/{self.count(a, s, AGAINST)}"
                    if self.count(a, s, MIXED):
                        text += f" +{self.count(a, s, MIXED)}"
                cells.append(text.rjust(c))
            lines.append(self.names[a][:width].ljust(width) + "  " + "  ".join(cells))
        return "\n".join(lines)


def stance_matrix(graph: RDFSource, debate: Debate | None = None) -> StanceMatrix:
    """Who argues for and against which section: claims counted by their document's stance.

    A claim counts once for each organization or person that asserts it and each section it
    concerns; claims about the bill as a whole go to the column "whole bill".
    """
    debate = debate or Debate.read(graph)
    cells: dict[tuple[str, str], dict[str, int]] = {}
    for c in debate.claims.values():
        for a in c.agents:
            for s in c.sections:
                cell = cells.setdefault((a, s), {})
                if c.side is not None:
                    cell[c.side] = cell.get(c.side, 0) + 1
    agents = sorted({a for a, _ in cells}, key=lambda a: (debate.agent_names[a].lower(), a))
    sections = sorted({s for _, s in cells}, key=lambda s: (s == WHOLE_BILL, _natural(s)))
    return StanceMatrix(agents, sections, dict(debate.agent_names), cells)


def stance_heatmap(matrix: StanceMatrix, title: str = "Stance by section") -> bytes:
    """The stance matrix as a PNG heatmap: green for, red against, each cell "for/against".

    matplotlib is imported here, with its file-only backend, so the rest of the package
    (and every command but ``analyze -o``) starts without it.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows, cols = max(len(matrix.agents), 1), max(len(matrix.sections), 1)
    values = np.ma.masked_all((rows, cols))
    for i, a in enumerate(matrix.agents):
        for j, s in enumerate(matrix.sections):
            if (a, s) in matrix.cells:
                values[i, j] = matrix.net(a, s)
    bound = max(1, int(abs(values).max())) if values.count() else 1
    # No claim: grey, unlike a cell whose sides cancel out.
    cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#eeeeee")
    fig, ax = plt.subplots(figsize=(2 + 1.1 * cols, 1.5 + 0.45 * rows), dpi=100)
    image = ax.imshow(values, cmap=cmap, vmin=-bound, vmax=bound, aspect="auto")
    ax.set_xticks(range(len(matrix.sections)), matrix.sections, rotation=45, ha="right")
    ax.set_yticks(range(len(matrix.agents)), [matrix.names[a] for a in matrix.agents])
    for i, a in enumerate(matrix.agents):
        for j, s in enumerate(matrix.sections):
            if (a, s) in matrix.cells:
                text = f"{matrix.count(a, s, FOR)}/{matrix.count(a, s, AGAINST)}"
                ax.text(j, i, text, ha="center", va="center", fontsize=8)
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label="claims for minus claims against")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


# --- contested sections, unanswered claims, chains -----------------------------------------


@dataclass(frozen=True)
class ContestedSection:
    section: str
    claims: int  # claims about it
    attacks: int  # attacks on claims about it
    agents_for: int
    agents_against: int


def contested_sections(graph: RDFSource, debate: Debate | None = None) -> list[ContestedSection]:
    """Sections where the debate divides, most contested first.

    Ranked by the attacks on claims about the section, then by how many organizations stand
    on the smaller side (so a section argued both ways outranks one argued one way). Only
    sections with an attack or with organizations on both sides are listed.
    """
    debate = debate or Debate.read(graph)
    claims: dict[str, int] = defaultdict(int)
    attacks: dict[str, int] = defaultdict(int)
    sides: dict[str, dict[str, set[str]]] = defaultdict(lambda: {FOR: set(), AGAINST: set()})
    for c in debate.claims.values():
        for s in c.sections:
            claims[s] += 1
            if c.side in (FOR, AGAINST):
                sides[s][c.side].update(c.agents)
    for target, answers in debate.answered_by().items():
        for s in debate.claims[target].sections:
            attacks[s] += len(answers)
    out = [
        ContestedSection(s, claims[s], attacks[s], len(sides[s][FOR]), len(sides[s][AGAINST]))
        for s in claims
    ]
    out = [c for c in out if c.attacks or (c.agents_for and c.agents_against)]
    return sorted(
        out,
        key=lambda c: (-c.attacks, -min(c.agents_for, c.agents_against), _natural(c.section)),
    )


@dataclass(frozen=True)
class UnansweredClaim:
    iri: str
    label: str
    supports: int  # relations that support it
    document: str | None


def unanswered_claims(graph: RDFSource, debate: Debate | None = None) -> list[UnansweredClaim]:
    """Claims no attack answers, the best supported first: what the other side left standing.

    A claim is answered when a rebuttal or undermining attacks it, when an undercut denies
    a support for it, or when an undercut denies its use against another claim.
    """
    debate = debate or Debate.read(graph)
    answered = debate.answered_by()
    support_count: dict[str, int] = defaultdict(int)
    for r in debate.relations:
        if r.kind == "supports":
            support_count[r.conclusion] += 1
    out = [
        UnansweredClaim(c.iri, c.label, support_count[c.iri], c.document)
        for c in debate.claims.values()
        if c.iri not in answered
    ]
    return sorted(out, key=lambda u: (-u.supports, u.label))


@dataclass(frozen=True)
class Chain:
    """A claim, the counterclaim that answers it, the one that answers that, and so on.

    ``steps`` are (claim IRI, how it answers the one before: None for the first claim).
    """

    steps: tuple[tuple[str, str | None], ...]

    def __len__(self) -> int:
        return len(self.steps)


def longest_chains(
    graph: RDFSource, debate: Debate | None = None, limit: int = 5, budget: int = CHAIN_STEPS
) -> list[Chain]:
    """The longest chains of claim and counterclaim (at least one answer), longest first.

    A chain follows attacks backwards from a claim to its answer and on to the answer's
    answer, never visiting a claim twice. ``budget`` bounds the search on large cyclic
    debates (the longest simple path is hard in general); chains are still valid, though
    perhaps not the very longest, when it runs out (:func:`chain_search` says whether it did).
    """
    return chain_search(graph, debate, limit, budget)[0]


def chain_search(
    graph: RDFSource, debate: Debate | None = None, limit: int = 5, budget: int = CHAIN_STEPS
) -> tuple[list[Chain], bool]:
    """:func:`longest_chains`, and whether the search finished within ``budget`` steps.

    Depth first from each claim that answers nothing (or from every answered claim, if
    each answers one), on a stack rather than by recursion, so a chain of any length is
    walked.
    """
    debate = debate or Debate.read(graph)
    answered = debate.answered_by()
    answers_something = {p for pairs in answered.values() for p, _ in pairs}
    starts = sorted(c for c in answered if c not in answers_something) or sorted(answered)
    best: dict[tuple[str, ...], Chain] = {}
    work = 0
    stopped = False
    for start in starts:
        work += 1
        path: list[tuple[str, str | None]] = [(start, None)]
        seen = {start}
        # One frame per claim on the path: its answers, the next to try, whether any was.
        frames: list[list] = [[sorted(answered.get(start, [])), 0, False]]
        while frames:
            frame = frames[-1]
            nexts = frame[0]
            while frame[1] < len(nexts):
                claim, kind = nexts[frame[1]]
                frame[1] += 1
                if claim in seen:
                    continue
                if work > budget:
                    stopped = True
                    continue
                frame[2] = True
                seen.add(claim)
                path.append((claim, kind))
                work += 1
                frames.append([sorted(answered.get(claim, [])), 0, False])
                break
            else:
                if not frame[2] and len(path) > 1:
                    best[tuple(c for c, _ in path)] = Chain(tuple(path))
                frames.pop()
                seen.discard(path.pop()[0])
    chains = sorted(best.values(), key=lambda ch: (-len(ch), [c for c, _ in ch.steps]))
    return chains[:limit], stopped


# --- coalitions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Coalition:
    iri: str
    name: str
    how: str  # "members" (org:memberOf) or "co-signed" (a document with several authors)
    members: frozenset[str]


@dataclass(frozen=True)
class Overlap:
    first: Coalition
    second: Coalition
    shared: tuple[str, ...]  # member IRIs

    @property
    def jaccard(self) -> float:
        """Shared members over all members of the two: 1.0 when they are the same group."""
        return len(self.shared) / len(self.first.members | self.second.members)


def coalitions(graph: RDFSource, debate: Debate | None = None) -> list[Coalition]:
    """Groups that argue together: organizations with members, and co-signed documents."""
    reader = debate.reader if debate is not None else _reader(graph)
    label = debate.label if debate is not None else _Labels(reader)
    members: dict[str, set[str]] = defaultdict(set)
    for member, org in reader.pairs(ORG.memberOf):
        if type(org) is str:
            members[org].add(member)
    out = [Coalition(o, label(o), "members", frozenset(m)) for o, m in members.items()]
    documents = list(dict.fromkeys(reader.instances(str(BG.SourceDocument))))
    creators = _objects(reader, DCTERMS.creator, set(documents))
    for doc in documents:
        authors = {_text(a) for a in creators.get(doc, ())}
        if len(authors) > 1:
            out.append(Coalition(doc, label(doc), "co-signed", frozenset(authors)))
    return sorted(out, key=lambda c: (c.name.lower(), c.iri))


def coalition_overlap(graph: RDFSource, debate: Debate | None = None) -> list[Overlap]:
    """Pairs of coalitions that share members, the largest overlap first.

    Pairs are found from each member's groups (never by trying every pair of groups, which
    grows with the square of the groups: thousands of co-signed letters in a session).
    """
    groups = coalitions(graph, debate)
    of_member: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        for m in g.members:
            of_member[m].append(i)
    shared: dict[tuple[int, int], list[str]] = defaultdict(list)
    for m, held in of_member.items():
        for i, j in itertools.combinations(held, 2):
            shared[(i, j)].append(m)
    out = [
        (i, j, Overlap(groups[i], groups[j], tuple(sorted(ms)))) for (i, j), ms in shared.items()
    ]
    # The order of the pairwise walk (i, then j) breaks what ties the sort leaves.
    out.sort(
        key=lambda t: (
            -len(t[2].shared),
            -t[2].jaccard,
            t[2].first.name,
            t[2].second.name,
            t[0],
            t[1],
        )
    )
    return [o for _, _, o in out]


# --- centrality ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    """A ranking with the measure that made it, so a reader knows what "central" means.

    ``note`` says why a ranking is empty or partial when the measure could not be taken.
    """

    measure: str
    scores: tuple[tuple[str, float], ...]  # (IRI, score), highest first
    note: str = ""


CLAIM_MEASURE = "PageRank (damping 0.85) over premise-to-conclusion links of supports and attacks"
AGENT_MEASURE = (
    "betweenness centrality in the graph joining each organization or person to the claims "
    "it asserts and to its coalitions, and each premise to its conclusion"
)


def central_claims(graph: RDFSource, debate: Debate | None = None, top: int = TOP) -> Ranking:
    """The claims the argument turns on: those most reasoning flows into, by PageRank.

    PageRank costs a pass over the links for each of a few dozen iterations: exact at any
    size this tool meets.
    """
    debate = debate or Debate.read(graph)
    g = nx.DiGraph()
    g.add_nodes_from(sorted(debate.claims))
    for r in debate.relations:
        targets = r.answers if r.kind == "undercuts" else (r.conclusion,)
        for p in r.premises:
            for t in targets:
                if p in debate.claims and t in debate.claims:
                    g.add_edge(p, t)
    if not g:
        return Ranking(CLAIM_MEASURE, ())
    try:
        scores = nx.pagerank(g, alpha=0.85)
    except nx.PowerIterationFailedConvergence as exc:
        return Ranking(CLAIM_MEASURE, (), f"PageRank did not converge: {exc}")
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return Ranking(CLAIM_MEASURE, tuple(ranked))


def agent_graph(graph: RDFSource, debate: Debate | None = None) -> nx.Graph:
    """The graph :func:`central_agents` measures: each organization or person joined to the
    claims it asserts and to its coalitions, and each premise to its conclusion (or, for an
    attack, to the claims it answers)."""
    debate = debate or Debate.read(graph)
    g = nx.Graph()
    g.add_nodes_from(sorted(debate.agent_names))
    for c in debate.claims.values():
        for a in c.agents:
            g.add_edge(a, c.iri)
    for r in debate.relations:
        for p in r.premises:
            for t in r.answers or (r.conclusion,):
                g.add_edge(p, t)
    g.add_edges_from(sorted(debate.reader.iri_pairs(ORG.memberOf)))
    return g


def central_agents(
    graph: RDFSource,
    debate: Debate | None = None,
    top: int = TOP,
    work: int = BETWEENNESS_WORK,
    seed: int = BETWEENNESS_SEED,
) -> Ranking:
    """The organizations and people that bridge the debate, by betweenness centrality.

    Exact betweenness walks the whole graph from every node: on a session's debate (50,000
    claims) NetworkX takes hours. Where the walks from every node would take more than
    ``work`` node and edge visits, betweenness is estimated from the walks out of as many
    nodes as ``work`` allows, taken at random with ``seed``: the estimate of Brandes and Pich
    (2007) that NetworkX's ``betweenness_centrality(G, k, seed)`` gives, scaled as it scales
    it; and the measure says so, with the sample's size.
    """
    debate = debate or Debate.read(graph)
    g = agent_graph(graph, debate)
    if not debate.agent_names:
        return Ranking(AGENT_MEASURE, ())
    n, size = g.number_of_nodes(), g.number_of_nodes() + g.number_of_edges()
    measure = AGENT_MEASURE
    if n * size <= min(work, NETWORKX_BETWEENNESS_WORK):
        scores = nx.betweenness_centrality(g, normalized=True)
    else:
        # Sampled from the nodes in order, so a graph read from rdflib or Oxigraph (which
        # give statements in different orders) is sampled alike.
        nodes = sorted(g)
        k = max(2, min(n, work // size))
        sources = nodes if k >= n else random.Random(seed).sample(nodes, k)  # noqa: S311
        scores, k = _betweenness_from(g, nodes, sources)
        if k < n:
            measure += (
                f", estimated from the shortest paths out of {k:,} of its {n:,} nodes taken "
                f"at random (seed {seed}; Brandes and Pich's estimate, as NetworkX's "
                f"betweenness_centrality with k={k}): exact betweenness would take "
                f"{n / k:,.0f} times as long"
            )
    agents = [(a, scores.get(a, 0.0)) for a in debate.agent_names]
    # Rounded, so that scores equal but for the order of a float sum rank by name.
    ranked = sorted(agents, key=lambda kv: (-round(kv[1], 12), debate.agent_names[kv[0]].lower()))[
        :top
    ]
    return Ranking(measure, tuple(ranked))


def _betweenness_from(
    g: nx.Graph, nodes: list[str], sources: list[str]
) -> tuple[dict[str, float], int]:
    """Betweenness of every node of ``g`` from the shortest paths out of ``sources``, scaled
    as NetworkX scales it (normalized, endpoints left out; for a sample, its sources and the
    other nodes each by the pairs they can lie between), and how many sources it took.

    Brandes' algorithm with the breadth-first walks of many sources at once, as products of
    the sparse adjacency matrix with a dense block of one column per source (the "algebraic"
    Brandes of Kepner and Gilbert's *Graph Algorithms in the Language of Linear Algebra*): a
    walk forward counts the shortest paths to each node, level by level; a walk back
    accumulates each node's dependency. Fifteen to twenty times NetworkX's speed, in C.
    Should the graph be so deep that the walks take more than a hundred levels on average,
    the sources still to go are left out once the products for that many are spent: the
    estimate is then from fewer of them (a prefix of a random sample is a random sample).
    """
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    adjacency = nx.to_scipy_sparse_array(g, nodelist=nodes, weight=None, format="csr")
    adjacency = adjacency.astype(np.float64)
    batch = max(8, min(64, 4_000_000 // n))  # columns: a block of n x 64 floats at most
    # Each block of sources takes two products per level of its walks: allow a hundred
    # levels a block on average (the debates measured have fewer than fifty).
    products, allowed = 0, 200 * -(-len(sources) // batch)
    total = np.zeros(n)
    done = 0
    order = np.fromiter((index[s] for s in sources), dtype=np.int64, count=len(sources))
    for start in range(0, len(order), batch):
        if done and products > allowed:
            break
        block = order[start : start + batch]
        width = len(block)
        cols = np.arange(width)
        sigma = np.zeros((n, width))
        sigma[block, cols] = 1.0
        unvisited = np.ones((n, width), dtype=bool)
        unvisited[block, cols] = False
        levels = [block * width + cols]  # the (node, source) cells reached at each depth
        frontier = sigma.copy()
        while True:
            reached = adjacency @ frontier
            products += 1
            new = reached > 0
            new &= unvisited
            cells = np.flatnonzero(new)
            if not len(cells):
                break
            np.multiply(reached, new, out=reached)
            frontier = reached
            sigma += frontier
            unvisited.flat[cells] = False
            levels.append(cells)
        delta = np.zeros((n, width))
        weight = np.zeros((n, width))
        s_flat, d_flat, w_flat = sigma.reshape(-1), delta.reshape(-1), weight.reshape(-1)
        for depth in range(len(levels) - 1, 0, -1):
            cells = levels[depth]
            w_flat[cells] = (1.0 + d_flat[cells]) / s_flat[cells]
            pulled = (adjacency @ weight).reshape(-1)
            products += 1
            w_flat[cells] = 0.0
            before = levels[depth - 1]
            d_flat[before] += s_flat[before] * pulled[before]
        d_flat[levels[0]] = 0.0  # a source is no node between
        total += delta.sum(axis=1)
        done += width
    scores = dict(zip(nodes, total.tolist(), strict=True))
    pairs = n - 2  # as NetworkX: the other nodes, less the one the path ends at
    if pairs < 1:
        return scores, done
    if done >= n:
        return {v: b / ((n - 1) * pairs) for v, b in scores.items()}, done
    used = {nodes[i] for i in order[:done].tolist()}
    return {v: b / ((done - 1 if v in used else done) * pairs) for v, b in scores.items()}, done


def _score(score: float) -> str:
    """A centrality score as the report prints it: three decimals, or three significant
    figures where three decimals would print a score that is not zero as 0.000 (the PageRank
    of a claim among fifty thousand is about 0.00002, and a ranking of 0.000s says nothing).

    >>> _score(0.0441), _score(0.0), _score(0.0000234567)
    ('0.044', '0.000', '2.35e-05')
    """
    return f"{score:.3f}" if score >= 0.0005 or score == 0 else f"{score:.2e}"


# --- everything at once -------------------------------------------------------------------


@dataclass
class Analysis:
    """Every analysis of one graph, with text, CSV and PNG renderings for the command line."""

    title: str
    debate: Debate
    matrix: StanceMatrix
    contested: list[ContestedSection]
    unanswered: list[UnansweredClaim]
    chains: list[Chain]
    overlaps: list[Overlap]
    claim_ranking: Ranking
    agent_ranking: Ranking
    evaluation: DebateFramework
    names: dict[str, str] = field(default_factory=dict)
    #: Whether the chain search finished within its steps (else the chains are the longest
    #: it found).
    chains_complete: bool = True
    chain_steps: int = CHAIN_STEPS
    #: The steps the preferred search may take on each part of the framework, and on all.
    preferred_limit: int = PREFERRED_STEPS
    preferred_total: int = PREFERRED_TOTAL

    def name(self, iri: str) -> str:
        if iri in self.debate.claims:
            return self.debate.claims[iri].label
        return self.debate.agent_names.get(iri) or self.names.get(iri) or iri

    def to_text(self) -> str:
        """The report a user reads in the terminal."""
        out: list[str] = [f"Analysis of {self.title}", ""]
        n_claims = len(self.debate.claims)
        n_attacks = sum(r.is_attack for r in self.debate.relations)
        out.append(
            f"{n_claims} claims, {len(self.debate.relations) - n_attacks} supports, "
            f"{n_attacks} attacks, {len(self.debate.agent_names)} organizations and people."
        )
        out += [
            "",
            "Stance matrix (claims for/against, +mixed, by who asserts them and section)",
        ]
        out.append(self.matrix.to_text())
        out += [
            "",
            "Most contested sections (attacks on claims about it; organizations for, against)",
        ]
        if not self.contested:
            out.append(
                "  none: no claim about a section is attacked, and no section is argued both ways"
            )
        for c in self.contested[:TOP]:
            out.append(
                f"  {c.section}: {c.attacks} attacks on {c.claims} claims; "
                f"{c.agents_for} for, {c.agents_against} against"
            )
        out += [
            "",
            f"Unanswered claims ({len(self.unanswered)} of {n_claims}; best supported first)",
        ]
        for u in self.unanswered[:TOP]:
            out.append(f"  [{u.supports} supports] {u.label}")
        if len(self.unanswered) > TOP:
            out.append(f"  ... and {len(self.unanswered) - TOP} more")
        out += ["", "Longest chains of claim and counterclaim"]
        if not self.chains:
            out.append("  none: no claim is attacked")
        if not self.chains_complete:
            out.append(
                f"  (the search stopped at its limit of {self.chain_steps:,} steps: these are "
                "the longest chains it found, perhaps not the longest there are)"
            )
        for i, chain in enumerate(self.chains, 1):
            out.append(f"  {i}. {len(chain)} claims")
            for claim, kind in chain.steps:
                lead = "     " if kind is None else f"     <- {kind}: "
                out.append(f"{lead}{self.name(claim)}")
        out += ["", "Coalition overlap (groups sharing members)"]
        if not self.overlaps:
            out.append("  none: no organization belongs to two coalitions or sign-on letters")
        for o in self.overlaps[:TOP]:
            out.append(
                f"  {o.first.name} & {o.second.name}: {len(o.shared)} shared "
                f"(Jaccard {o.jaccard:.2f}): {', '.join(self.name(m) for m in o.shared)}"
            )
        for ranking, what in (
            (self.claim_ranking, "claims"),
            (self.agent_ranking, "organizations"),
        ):
            out += ["", f"Most central {what}, by {ranking.measure}"]
            if ranking.note:
                out.append(f"  {ranking.note}")
            elif not ranking.scores:
                out.append("  none")
            for iri, score in ranking.scores[:TOP]:
                out.append(f"  {_score(score)}  {self.name(iri)}")
        out += ["", *self.evaluation_text()]
        return "\n".join(out) + "\n"

    def evaluation_text(self) -> list[str]:
        ev = self.evaluation
        labels = ev.labelling()
        counts = {lab: sum(v == lab for v in labels.values()) for lab in ("in", "out", "undec")}
        acceptance = self._acceptance()
        credulous = sorted(c for c, a in acceptance.items() if a == "credulous")
        lines = [
            "Argument evaluation (Dung's grounded semantics over the attacks)",
            f"  {counts['in']} claims in, {counts['out']} out, {counts['undec']} undecided",
        ]
        out_claims = sorted((c for c, lab in labels.items() if lab == "out"), key=self.name)
        for c in out_claims[:TOP]:
            lines += ["  " + line for line in ev.explain(c).splitlines()]
        if len(out_claims) > TOP:
            lines.append(f"  ... and {len(out_claims) - TOP} more claims out")
        unsettled = ev.unsettled(self.preferred_limit, self.preferred_total)
        if not unsettled:
            lines.append(
                "  Preferred semantics: "
                + (
                    f"{len(credulous)} claims are in some preferred extensions but not all"
                    if credulous
                    else "the preferred extension is the grounded one"
                )
            )
        else:
            left = sum(a == "unsettled" for a in acceptance.values())
            lines.append(
                f"  Preferred semantics: {len(credulous)} claims are in some preferred "
                f"extensions but not all, of those settled; {left} claims in "
                f"{len(unsettled)} part{'s' if len(unsettled) != 1 else ''} of the debate "
                "are not settled (searched "
                f"strongly connected component by component, each part within "
                f"{self.preferred_limit:,} steps, all within {self.preferred_total:,}):"
            )
            claims = set(ev.claims)
            for u in unsettled[:TOP]:
                mine = sorted((a for a in u.arguments if a in claims), key=self.name)
                around = f', around "{self.name(mine[0])}"' if mine else ""
                lines.append(
                    f"    not settled: {len(mine)} claims ({len(u.arguments)} arguments)"
                    f"{around}: {u.reason}"
                )
            if len(unsettled) > TOP:
                lines.append(f"    ... and {len(unsettled) - TOP} more parts not settled")
        for c in credulous[:TOP]:
            lines.append(f"    credulously accepted: {self.name(c)}")
        return lines

    def _acceptance(self) -> dict[str, str]:
        return self.evaluation.acceptance(self.preferred_limit, self.preferred_total)

    def claims_csv(self) -> str:
        """One row per claim: its side, grounded label, preferred acceptance, answers, rank."""
        labels = self.evaluation.labelling()
        acceptance = self._acceptance()
        answered = self.debate.answered_by()
        pagerank = dict(self.claim_ranking.scores)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(
            [
                "claim",
                "claim_iri",
                "side",
                "sections",
                "grounded",
                "preferred",
                "attacked_by",
                "pagerank",
            ]
        )
        for c in self.debate.claims.values():
            w.writerow(
                [
                    c.label,
                    c.iri,
                    c.side or "",
                    "; ".join(c.sections),
                    labels.get(c.iri, ""),
                    acceptance.get(c.iri, ""),
                    len(answered.get(c.iri, [])),
                    f"{pagerank[c.iri]:.6f}" if c.iri in pagerank else "",
                ]
            )
        return buf.getvalue()


def analyze(
    graph: RDFSource,
    title: str = "the debate",
    *,
    chain_steps: int = CHAIN_STEPS,
    betweenness_work: int = BETWEENNESS_WORK,
    preferred_limit: int = PREFERRED_STEPS,
    preferred_total: int = PREFERRED_TOTAL,
) -> Analysis:
    """Every analysis of a debate graph in one record: matrix, rankings, chains, evaluation.

    Works on any of our RDF graphs, built from a corpus or read from Turtle or AIF, held by
    rdflib or by a pyoxigraph Store (the faster to read: a build's store, or a file parsed by
    Oxigraph). Each search that could run for hours on a large debate has a limit (the
    keyword arguments; see :func:`chain_search`, :func:`central_agents` and
    :meth:`graph.argumentation.Framework.settle`), and the report says where one was reached.
    """
    debate = Debate.read(graph)
    all_claims = len(debate.claims)
    chains, stopped = chain_search(graph, debate, budget=chain_steps)
    groups = coalitions(graph, debate)
    return Analysis(
        title=title,
        debate=debate,
        matrix=stance_matrix(graph, debate),
        contested=contested_sections(graph, debate),
        unanswered=unanswered_claims(graph, debate),
        chains=chains,
        overlaps=coalition_overlap(graph, debate),
        claim_ranking=central_claims(graph, debate, top=max(all_claims, TOP)),
        agent_ranking=central_agents(graph, debate, work=betweenness_work),
        evaluation=framework_from_graph(
            graph, debate.relations, debate.label.rdfs_label, debate.claims
        ),
        names={c.iri: c.name for c in groups},
        chains_complete=not stopped,
        chain_steps=chain_steps,
        preferred_limit=preferred_limit,
        preferred_total=preferred_total,
    )
