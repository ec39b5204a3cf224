"""Formal argument evaluation: Dung's semantics over the attacks between claims.

An abstract argumentation framework (Dung 1995) is a set of arguments and an attack relation
between them. :class:`Framework` gives its grounded extension (what a sceptic accepts: the
least fixed point of "accept what is defended"), its preferred extensions (maximal
admissible sets: the positions a party could coherently hold), its stable extensions, the
labelling of every argument as ``in``, ``out`` or ``undec`` (Caminada's labellings), and an
explanation of why an argument is out.

:func:`framework_from_graph` reads the framework of a debate from any of our RDF graphs: the
claims are the arguments, and each rebuttal or undermining is an attack from its premise on
its conclusion. Where an attack has several premises (they attack only together) or is
itself undercut, the attack becomes an argument of its own, so the standard semantics still
apply (the "meta-argumentation" flattening of Boella, Gabbay, van der Torre and Villata,
2009): the attack holds while all its premises are in and no undercut of it is.

>>> af = Framework(["a", "b", "c"], [("a", "b"), ("b", "c")])
>>> sorted(af.grounded())
['a', 'c']
>>> af.labelling()["b"]
'out'
>>> print(af.explain("b"))
b is out: it is attacked by a, which is in.
  a is in: nothing attacks it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from .network import ArgumentRelation, argument_relations
from .vocab import BG

IN, OUT, UNDEC = "in", "out", "undec"


class Framework:
    """A Dung argumentation framework: arguments and who attacks whom.

    Arguments are any hashable, sortable values (claim IRIs, letters); an attack names an
    argument not given in ``arguments``, it is added.
    """

    def __init__(self, arguments: Iterable[str], attacks: Iterable[tuple[str, str]]) -> None:
        self.arguments: list[str] = sorted(set(arguments))
        self.attacks: set[tuple[str, str]] = set(attacks)
        for a, b in self.attacks:
            for x in (a, b):
                if x not in self.arguments:
                    self.arguments.append(x)
        self.arguments.sort()
        self.attackers: dict[str, set[str]] = {a: set() for a in self.arguments}
        self.targets: dict[str, set[str]] = {a: set() for a in self.arguments}
        for a, b in self.attacks:
            self.attackers[b].add(a)
            self.targets[a].add(b)
        self._grounded: tuple[dict[str, str], dict[str, int]] | None = None

    # -- grounded semantics

    def _grounded_with_rounds(self) -> tuple[dict[str, str], dict[str, int]]:
        """The grounded labelling, and the round in which each in/out label was settled.

        Round 0 accepts the unattacked arguments; each later round rejects what an accepted
        argument attacks, then accepts what only rejected arguments attack. The rounds give
        explanations that always bottom out in unattacked arguments.
        """
        if self._grounded is not None:
            return self._grounded
        label: dict[str, str] = {}
        rounds: dict[str, int] = {}
        step = 0
        while True:
            accepted = [
                a
                for a in self.arguments
                if a not in label and all(label.get(b) == OUT for b in self.attackers[a])
            ]
            for a in accepted:
                label[a], rounds[a] = IN, step
            rejected = [
                a
                for a in self.arguments
                if a not in label and any(label.get(b) == IN for b in self.attackers[a])
            ]
            for a in rejected:
                label[a], rounds[a] = OUT, step
            if not accepted and not rejected:
                break
            step += 1
        for a in self.arguments:
            label.setdefault(a, UNDEC)
        self._grounded = (label, rounds)
        return self._grounded

    def grounded(self) -> set[str]:
        """The grounded extension: the arguments every rational party must accept.

        >>> sorted(Framework(["a", "b"], [("a", "b"), ("b", "a")]).grounded())
        []
        """
        label, _ = self._grounded_with_rounds()
        return {a for a, lab in label.items() if lab == IN}

    def labelling(self) -> dict[str, str]:
        """Each argument labelled ``in``, ``out`` or ``undec`` under grounded semantics."""
        return dict(self._grounded_with_rounds()[0])

    # -- complete, preferred and stable semantics

    def _components(self, args: list[str]) -> list[list[str]]:
        """The weakly connected parts of the attack graph restricted to ``args``."""
        rest = set(args)
        parts = []
        for start in args:
            if start not in rest:
                continue
            part, todo = [], [start]
            rest.discard(start)
            while todo:
                a = todo.pop()
                part.append(a)
                for b in self.attackers[a] | self.targets[a]:
                    if b in rest:
                        rest.discard(b)
                        todo.append(b)
            parts.append(sorted(part))
        return parts

    def _complete_on(self, part: list[str], base: dict[str, str]) -> list[dict[str, str]]:
        """Every labelling of ``part`` that, with the fixed labels of ``base``, is complete."""
        label: dict[str, str | None] = dict(base)
        for a in part:
            label[a] = None
        found: list[dict[str, str]] = []

        def legal(a: str) -> bool:
            mine = label[a]
            theirs = [label[b] for b in self.attackers[a]]
            if mine == IN:
                return all(t in (OUT, None) for t in theirs)
            if mine == OUT:
                return any(t in (IN, None) for t in theirs)
            # undec: no attacker is in, and some attacker is (or may still be) undecided
            return all(t != IN for t in theirs) and any(t in (UNDEC, None) for t in theirs)

        def search(i: int) -> None:
            if i == len(part):
                found.append({a: label[a] for a in part})  # type: ignore[misc]
                return
            a = part[i]
            for choice in (IN, OUT, UNDEC):
                label[a] = choice
                affected = {a} | self.targets[a]
                if all(label[b] is None or legal(b) for b in affected):
                    search(i + 1)
            label[a] = None

        search(0)
        return found

    def _per_component(self) -> tuple[dict[str, str], list[list[dict[str, str]]]]:
        """The grounded labelling, and the complete labellings of each undecided part.

        Every complete labelling agrees with the grounded one on what it accepts and
        rejects, so only the arguments it leaves undecided need a search, one connected part
        at a time; a complete labelling of the whole is one choice per part.
        """
        grounded = self.labelling()
        undecided = [a for a in self.arguments if grounded[a] == UNDEC]
        fixed = {a: lab for a, lab in grounded.items() if lab != UNDEC}
        return grounded, [self._complete_on(p, fixed) for p in self._components(undecided)]

    @staticmethod
    def _combine(
        grounded: dict[str, str], choices: list[list[dict[str, str]]]
    ) -> Iterator[set[str]]:
        base = {a for a, lab in grounded.items() if lab == IN}
        for combo in itertools.product(*choices):
            ext = set(base)
            for part in combo:
                ext |= {a for a, lab in part.items() if lab == IN}
            yield ext

    def complete(self) -> list[set[str]]:
        """Every complete extension: admissible sets that contain all they defend."""
        grounded, parts = self._per_component()
        return _sorted_sets(self._combine(grounded, parts))

    def preferred(self) -> list[set[str]]:
        """The preferred extensions: maximal admissible sets, each a coherent position.

        >>> [sorted(e) for e in Framework([], [("a", "b"), ("b", "a")]).preferred()]
        [['a'], ['b']]
        """
        grounded, parts = self._per_component()
        maximal = [_maximal([{a for a, lab in c.items() if lab == IN} for c in p]) for p in parts]
        as_labels = [[{a: IN for a in s} for s in p] for p in maximal]
        return _sorted_sets(self._combine(grounded, as_labels))

    def stable(self) -> list[set[str]]:
        """The stable extensions: conflict-free sets that attack every argument outside them.

        A framework may have none (an odd cycle has none).
        """
        grounded, parts = self._per_component()
        stable_parts = [[c for c in p if UNDEC not in c.values()] for p in parts]
        return _sorted_sets(self._combine(grounded, stable_parts))

    def acceptance(self) -> dict[str, str]:
        """How each argument fares under preferred semantics, without listing extensions.

        ``sceptical`` (in every preferred extension), ``credulous`` (in some, not all) or
        ``rejected`` (in none). Computed part by part, so it stays cheap where the number of
        extensions would multiply.
        """
        grounded, parts = self._per_component()
        out = {a: ("sceptical" if lab == IN else "rejected") for a, lab in grounded.items()}
        for p in parts:
            maximal = _maximal([{a for a, lab in c.items() if lab == IN} for c in p])
            for a in p[0]:
                inside = sum(a in s for s in maximal)
                out[a] = (
                    "sceptical"
                    if inside == len(maximal)
                    else ("credulous" if inside else "rejected")
                )
        return out

    # -- explanations

    def explain(self, argument: str, names: dict[str, str] | None = None, depth: int = 6) -> str:
        """Why an argument has its grounded label, in lines a reader can follow.

        An argument is out because an accepted argument attacks it; that one is in because
        every attacker of it is out, and so on down to arguments nothing attacks.
        ``names`` gives readable names for arguments (claim labels for IRIs).
        """
        label, rounds = self._grounded_with_rounds()
        names = names or {}
        lines: list[str] = []

        def name(a: str) -> str:
            return names.get(a, a)

        def why(a: str, indent: int, budget: int) -> None:
            pad = "  " * indent
            if label[a] == OUT:
                # The defeater settled earliest gives the shortest account.
                defeater = min(
                    (b for b in self.attackers[a] if label[b] == IN), key=lambda b: (rounds[b], b)
                )
                lines.append(
                    f"{pad}{name(a)} is out: it is attacked by {name(defeater)}, which is in."
                )
                if budget:
                    why(defeater, indent + 1, budget - 1)
            elif label[a] == IN:
                if not self.attackers[a]:
                    lines.append(f"{pad}{name(a)} is in: nothing attacks it.")
                    return
                attackers = sorted(self.attackers[a])
                lines.append(
                    f"{pad}{name(a)} is in: every attacker of it is out "
                    f"({', '.join(name(b) for b in attackers)})."
                )
                if budget:
                    for b in attackers:
                        why(b, indent + 1, budget - 1)
            else:
                undecided = sorted(b for b in self.attackers[a] if label[b] == UNDEC)
                lines.append(
                    f"{pad}{name(a)} is undecided: no accepted argument attacks it, but "
                    f"{', '.join(name(b) for b in undecided)} (undecided) still may."
                )

        why(argument, 0, depth)
        return "\n".join(lines)


def _maximal(sets: list[set[str]]) -> list[set[str]]:
    return [s for s in sets if not any(s < t for t in sets)]


def _sorted_sets(sets: Iterable[set[str]]) -> list[set[str]]:
    unique = {frozenset(s) for s in sets}
    return [set(s) for s in sorted(unique, key=lambda s: (len(s), sorted(s)))]


# --- the framework of a debate ------------------------------------------------------------


@dataclass
class DebateFramework:
    """The framework read from a graph, with what is needed to report on it in claim terms.

    ``framework`` holds the claims (by IRI) and, for attacks that needed it, the attack
    relations and their helper arguments; ``claims`` are the claim IRIs, ``names`` the label
    of every argument.
    """

    framework: Framework
    claims: list[str]
    names: dict[str, str] = field(default_factory=dict)
    premises: dict[str, list[str]] = field(default_factory=dict)  # of the attack arguments

    def labelling(self) -> dict[str, str]:
        """The grounded label of every claim."""
        full = self.framework.labelling()
        return {c: full[c] for c in self.claims}

    def grounded(self) -> set[str]:
        return self.framework.grounded() & set(self.claims)

    def preferred(self) -> list[set[str]]:
        claims = set(self.claims)
        return _sorted_sets(e & claims for e in self.framework.preferred())

    def acceptance(self) -> dict[str, str]:
        full = self.framework.acceptance()
        return {c: full[c] for c in self.claims}

    def explain(self, claim: str, depth: int = 6) -> str:
        """Why a claim is in, out or undecided, naming claims by their statements in quotes,
        following the reasons ``depth`` steps down."""
        return self.framework.explain(claim, self.names, depth)

    def defeaters(self, claim: str) -> list[str]:
        """The claims that defeat an out claim: the accepted attacker of it settled earliest
        (the one :meth:`explain` names), or, where that is an attack of several premises
        made an argument of its own, its premises; empty for a claim that is not out."""
        label, rounds = self.framework._grounded_with_rounds()
        if label.get(claim) != OUT:
            return []
        defeater = min(
            (b for b in self.framework.attackers[claim] if label[b] == IN),
            key=lambda b: (rounds[b], b),
        )
        return sorted(self.premises.get(defeater, [defeater]))


def framework_from_graph(graph: Graph) -> DebateFramework:
    """The Dung framework of a debate: claims as arguments, rebuttals and underminings as attacks.

    A single-premise attack that nothing undercuts is a plain attack from premise to
    conclusion. Any other attack R becomes an argument: each premise p of R attacks a helper
    "p is not held" that attacks R, and R attacks its conclusion; every undercut of R attacks
    R. So R defeats its conclusion exactly when all its premises are in and no undercut is.
    Undercuts of supports leave the framework as it is: Dung's frameworks have no supports.
    """
    claims = sorted(str(c) for c in graph.subjects(RDF.type, BG.Claim) if isinstance(c, URIRef))
    relations = [r for r in argument_relations(graph) if r.is_attack]

    def label(iri: str) -> str | None:
        value = graph.value(URIRef(iri), RDFS.label)
        return None if value is None else str(value)

    return _framework(claims, relations, label)


def framework_from_view(view: nx.MultiDiGraph) -> DebateFramework:
    """The framework :func:`framework_from_graph` reads, from the network view of a graph
    (:func:`graph.network.to_networkx`) or a part of it: the map evaluates what it draws.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("a", {"kind": "claim", "label": "A"}), ("b", {"kind": "claim"})])
    >>> g.add_node("r", kind="rebuttal")
    >>> _ = g.add_edge("r", "a", key="premise"), g.add_edge("r", "b", key="conclusion")
    >>> framework_from_view(g).labelling()
    {'a': 'in', 'b': 'out'}
    """
    kinds = {"rebuttal": "rebuts", "undercut": "undercuts", "undermining": "undermines"}
    claims = sorted(n for n, d in view.nodes(data=True) if d.get("kind") == "claim")
    relations = []
    for r, d in sorted(view.nodes(data=True)):
        if d.get("kind") not in kinds:
            continue
        premises = tuple(sorted(v for _, v, k in view.out_edges(r, keys=True) if k == "premise"))
        conclusions = sorted(v for _, v, k in view.out_edges(r, keys=True) if k == "conclusion")
        if premises and conclusions:
            relations.append(ArgumentRelation(r, kinds[d["kind"]], premises, conclusions[0], ()))

    def label(node: str) -> str | None:
        value = view.nodes[node].get("label") if node in view else None
        return None if value is None else str(value)

    return _framework(claims, relations, label)


def _framework(
    claims: list[str], relations: list[ArgumentRelation], label: Callable[[str], str | None]
) -> DebateFramework:
    """The flattening :func:`framework_from_graph` describes, of the attacks ``relations``."""
    names = {c: f'"{label(c) or c}"' for c in claims}
    relations_by_iri = {r.iri: r for r in relations}
    undercut = {r.conclusion for r in relations if r.kind == "undercuts"}
    arguments: set[str] = set(claims)
    attacks: set[tuple[str, str]] = set()
    for r in relations_by_iri.values():
        target = r.conclusion
        if target not in (relations_by_iri if r.kind == "undercuts" else names):
            continue  # an undercut of a support, or an attack on something not a claim
        if len(r.premises) == 1 and r.iri not in undercut:
            attacks.add((r.premises[0], target))
            continue
        arguments.add(r.iri)
        names[r.iri] = f"the {r.kind.removesuffix('s')} {label(r.iri) or r.iri}"
        attacks.add((r.iri, target))
        for p in r.premises:
            helper = f"{r.iri}#without-{len(names)}"
            names[helper] = f"{names.get(p, p)} (not held)"
            arguments.add(helper)
            attacks.add((p, helper))
            attacks.add((helper, r.iri))
    premises = {r.iri: list(r.premises) for r in relations_by_iri.values()}
    return DebateFramework(Framework(arguments, attacks), claims, names, premises)
