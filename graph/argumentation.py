"""Formal argument evaluation: Dung's semantics over the attacks between claims.

An abstract argumentation framework (Dung 1995) is a set of arguments and an attack relation
between them. :class:`Framework` gives its grounded extension (what a sceptic accepts: the
least fixed point of "accept what is defended"), its preferred extensions (maximal
admissible sets: the positions a party could coherently hold), its stable extensions, the
labelling of every argument as ``in``, ``out`` or ``undec`` (Caminada's labellings), and an
explanation of why an argument is out.

Both scale to a session's debate: the grounded labelling takes one pass over a queue
(linear in arguments and attacks), and the preferred search (:meth:`Framework.settle`) looks
only at what grounded semantics leaves undecided, one strongly connected component of the
attacks at a time, within a limit of steps; a part it cannot settle within the limit is
reported (:class:`Unsettled`, with why), never searched for hours.

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
import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import networkx as nx
from rdflib.namespace import RDFS

from .network import ArgumentRelation, RDFSource, _reader, _text, _values, argument_relations
from .vocab import BG

IN, OUT, UNDEC = "in", "out", "undec"


def _may_stand(mine: str | None, theirs: list[str | None]) -> bool:
    """Whether an argument's label can stand in a complete labelling, given its attackers'
    (None: not yet labelled): in when every attacker is (or may be) out, out when one is (or
    may be) in, undec when none is in and one is (or may still be) undecided."""
    if mine == IN:
        return all(t in (OUT, None) for t in theirs)
    if mine == OUT:
        return any(t in (IN, None) for t in theirs)
    return all(t != IN for t in theirs) and any(t in (UNDEC, None) for t in theirs)


#: The preferred acceptance of an argument whose part the search could not finish.
UNSETTLED = "unsettled"

#: Steps (a label tried, an extension found) the preferred search may take on one part of
#: the framework, and on all parts together: a few seconds of Python at most.
PREFERRED_STEPS = 100_000
PREFERRED_TOTAL = 1_000_000


@dataclass(frozen=True)
class Unsettled:
    """A part of the framework whose preferred extensions the search did not finish.

    ``arguments`` is the weakly connected part of what grounded semantics leaves undecided;
    ``steps`` the steps taken on it (0: not searched), ``found`` the preferred extensions of
    it found before the search stopped, ``cycle`` the strongly connected component it was
    searching then (empty when it stopped between extensions), ``reason`` why, in words.
    """

    arguments: tuple[str, ...]
    steps: int
    found: int
    cycle: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Settlement:
    """The preferred acceptance of every argument, and the parts the search left unsettled."""

    acceptance: dict[str, str]
    unsettled: tuple[Unsettled, ...]
    limit: int  # steps allowed on each part
    total: int  # steps allowed on all parts


class LimitReached(Exception):
    """The preferred extensions could not be listed within the limit; ``unsettled`` says
    which parts of the framework ran out (none when it is their number that is too large)."""

    def __init__(self, message: str, unsettled: list[Unsettled]) -> None:
        super().__init__(message)
        self.unsettled = unsettled


class _OutOfSteps(Exception):
    pass


class _Steps:
    """A count of search steps that stops the search (raising _OutOfSteps) past its limit,
    noting where it was."""

    def __init__(self, limit: int, what: str = "") -> None:
        self.limit = limit
        self.what = what or f"its limit of {limit:,} steps"
        self.taken = 0
        self.found = 0
        self.where: list[str] | tuple[str, ...] = ()

    def take(self, n: int = 1) -> None:
        self.taken += n
        if self.taken > self.limit:
            raise _OutOfSteps

    def unsettled(self, part: list[str]) -> Unsettled:
        where = tuple(self.where)
        at = (
            f"searching a cycle of {len(where):,} arguments"
            if where
            else "listing its preferred extensions"
        )
        reason = (
            f"the search stopped at {self.what}, {at}, after "
            f"{self.found:,} preferred extension{'s' if self.found != 1 else ''} of the part"
        )
        return Unsettled(tuple(part), self.taken, self.found, where, reason)


class Framework:
    """A Dung argumentation framework: arguments and who attacks whom.

    Arguments are any hashable, sortable values (claim IRIs, letters); an attack names an
    argument not given in ``arguments``, it is added.
    """

    def __init__(self, arguments: Iterable[str], attacks: Iterable[tuple[str, str]]) -> None:
        self.attacks: set[tuple[str, str]] = set(attacks)
        every = set(arguments)
        for a, b in self.attacks:
            every.add(a)
            every.add(b)
        self.arguments: list[str] = sorted(every)
        self.attackers: dict[str, set[str]] = {a: set() for a in self.arguments}
        self.targets: dict[str, set[str]] = {a: set() for a in self.arguments}
        for a, b in self.attacks:
            self.attackers[b].add(a)
            self.targets[a].add(b)
        self._grounded: tuple[dict[str, str], dict[str, int]] | None = None
        self._settled: dict[tuple[int, int], Settlement] = {}

    # -- grounded semantics

    def _grounded_with_rounds(self) -> tuple[dict[str, str], dict[str, int]]:
        """The grounded labelling, and the round in which each in/out label was settled.

        Round 0 accepts the unattacked arguments; each later round rejects what an accepted
        argument attacks, then accepts what only rejected arguments attack. The rounds give
        explanations that always bottom out in unattacked arguments.

        One pass over a queue, in time linear in arguments and attacks: each argument is
        labelled once, and each attack is looked at when its attacker is accepted and when
        it is rejected. The queue holds the arguments in the order of their rounds (those
        accepted in round r, then those rejected in it), so an argument is rejected in the
        round of its earliest accepted attacker and accepted one round after its last
        attacker was rejected: the rounds of the round-by-round definition.
        """
        if self._grounded is not None:
            return self._grounded
        label: dict[str, str] = {}
        rounds: dict[str, int] = {}
        # How many attackers of each argument are not yet rejected.
        standing = {a: len(self.attackers[a]) for a in self.arguments}
        queue = deque(a for a in self.arguments if not standing[a])
        for a in queue:
            label[a], rounds[a] = IN, 0
        while queue:
            a = queue.popleft()
            if label[a] == IN:
                for b in self.targets[a]:
                    if b not in label:
                        label[b], rounds[b] = OUT, rounds[a]
                        queue.append(b)
            else:
                for b in self.targets[a]:
                    standing[b] -= 1
                    if not standing[b] and b not in label:
                        label[b], rounds[b] = IN, rounds[a] + 1
                        queue.append(b)
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
            return _may_stand(label[a], [label[b] for b in self.attackers[a]])

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

    def preferred(self, limit: int = PREFERRED_STEPS) -> list[set[str]]:
        """The preferred extensions: maximal admissible sets, each a coherent position.

        Searched a strongly connected component at a time (see :meth:`settle`); raises
        :class:`LimitReached` when a part of the framework takes more than ``limit`` steps,
        or when the extensions of all parts together would be more than ``limit``.

        >>> [sorted(e) for e in Framework([], [("a", "b"), ("b", "a")]).preferred()]
        [['a'], ['b']]
        """
        grounded = self.labelling()
        label: dict[str, str | None] = dict(grounded)
        choices: list[list[frozenset[str]]] = []
        unsettled: list[Unsettled] = []
        for part in self._undecided_parts():
            steps = _Steps(limit)
            try:
                choices.append(list(self._preferred_in(part, label, steps)))
            except _OutOfSteps:
                unsettled.append(steps.unsettled(part))
        if unsettled:
            raise LimitReached(
                f"{len(unsettled)} part(s) of the framework took more than {limit:,} steps",
                unsettled,
            )
        count = math.prod(len(c) for c in choices)
        if count > limit:
            raise LimitReached(
                f"the framework has {count:,} preferred extensions, more than {limit:,}", []
            )
        base = frozenset(a for a, lab in grounded.items() if lab == IN)
        return _sorted_sets(base.union(*combo) for combo in itertools.product(*choices))

    def stable(self) -> list[set[str]]:
        """The stable extensions: conflict-free sets that attack every argument outside them.

        A framework may have none (an odd cycle has none).
        """
        grounded, parts = self._per_component()
        stable_parts = [[c for c in p if UNDEC not in c.values()] for p in parts]
        return _sorted_sets(self._combine(grounded, stable_parts))

    def acceptance(
        self, limit: int = PREFERRED_STEPS, total: int = PREFERRED_TOTAL
    ) -> dict[str, str]:
        """How each argument fares under preferred semantics, without listing extensions.

        ``sceptical`` (in every preferred extension), ``credulous`` (in some, not all),
        ``rejected`` (in none), or ``unsettled`` where the search stopped at its limit (see
        :meth:`settle`, which also says which parts and why).
        """
        return dict(self.settle(limit, total).acceptance)

    def settle(self, limit: int = PREFERRED_STEPS, total: int = PREFERRED_TOTAL) -> Settlement:
        """Preferred acceptance of every argument, and the parts the search could not settle.

        Every preferred extension holds the grounded one and rejects what it rejects, so
        only the arguments it leaves undecided are searched, one weakly connected part at a
        time (the parts do not touch). In a part, the strongly connected components of the
        attacks are taken in order, attackers first: the preferred extensions of the part
        are those that, in each component, take a labelling complete with respect to the
        labels already given upstream and accepting as much as any other (preferred
        semantics is SCC-recursive: Baroni, Giacomin and Guida 2005), so the search on a
        component never looks at more than that component, and a part with no cycle is
        settled in one pass. Each part may take ``limit`` steps (a labelling tried, an
        extension found), all parts ``total``; a part that runs out is reported in
        :attr:`Settlement.unsettled` with why, and its arguments are ``unsettled``.

        >>> af = Framework("abc", [("a", "b"), ("b", "a"), ("b", "c")])
        >>> af.settle().acceptance["c"]
        'credulous'
        >>> s = Framework("abcd", [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")]).settle(limit=5)
        >>> s.acceptance["a"], len(s.unsettled)
        ('unsettled', 1)
        """
        key = (limit, total)
        if key in self._settled:
            return self._settled[key]
        grounded = self.labelling()
        status = {a: ("sceptical" if lab == IN else "rejected") for a, lab in grounded.items()}
        label: dict[str, str | None] = dict(grounded)
        unsettled: list[Unsettled] = []
        spent = 0
        for part in self._undecided_parts():
            budget = min(limit, total - spent)
            if budget <= 0:
                unsettled.append(
                    Unsettled(
                        tuple(part), 0, 0, (), f"not searched: all parts had taken {total:,} steps"
                    )
                )
                status.update(dict.fromkeys(part, UNSETTLED))
                continue
            left = f"the {budget:,} steps left of the {total:,} for all parts"
            steps = _Steps(budget, left if budget < limit else "")
            in_all: frozenset[str] | None = None
            in_some: set[str] = set()
            try:
                for ext in self._preferred_in(part, label, steps):
                    in_all = ext if in_all is None else in_all & ext
                    in_some |= ext
            except _OutOfSteps:
                unsettled.append(steps.unsettled(part))
                status.update(dict.fromkeys(part, UNSETTLED))
                continue
            finally:
                spent += steps.taken
            assert in_all is not None  # every part has a preferred extension
            for a in part:
                status[a] = (
                    "sceptical" if a in in_all else ("credulous" if a in in_some else "rejected")
                )
        settled = Settlement(status, tuple(unsettled), limit, total)
        self._settled[key] = settled
        return settled

    def _undecided_parts(self) -> list[list[str]]:
        """The weakly connected parts of what grounded semantics leaves undecided, the
        smallest first (so that a limit on all parts leaves the fewest unsettled)."""
        grounded = self.labelling()
        undecided = [a for a in self.arguments if grounded[a] == UNDEC]
        return sorted(self._components(undecided), key=lambda p: (len(p), p))

    def _strong_components(self, part: list[str]) -> list[list[str]]:
        """The strongly connected components of the attacks within ``part``, each after
        every component that attacks it."""
        inside = set(part)
        g = nx.DiGraph()
        g.add_nodes_from(part)
        g.add_edges_from((a, b) for a in part for b in self.targets[a] if b in inside)
        dag = nx.condensation(g)
        return [sorted(dag.nodes[i]["members"]) for i in nx.topological_sort(dag)]

    def _preferred_in(
        self, part: list[str], label: dict[str, str | None], steps: _Steps
    ) -> Iterator[frozenset[str]]:
        """The accepted arguments of ``part`` in each preferred extension, one at a time.

        ``label`` holds the grounded labels outside the undecided arguments; the search
        writes the labels of ``part`` into it. A depth-first walk over the components in
        order: each is given, in turn, each of its best labellings (:meth:`_best_on`) under
        the labels of the components before it, and the components after it are searched
        again under that choice. No recursion: a part may have thousands of components.
        """
        components = self._strong_components(part)
        options: list[list[dict[str, str]]] = []
        picked: list[int] = []
        while True:
            if len(options) < len(components):
                here = components[len(options)]
                steps.where = here
                best = self._best_on(here, label, steps)
                options.append(best)
                picked.append(0)
                label.update(best[0])
                continue
            steps.where = ()
            steps.take()
            steps.found += 1
            yield frozenset(a for a in part if label[a] == IN)
            while options and picked[-1] + 1 >= len(options[-1]):
                options.pop()
                picked.pop()
            if not options:
                return
            picked[-1] += 1
            label.update(options[-1][picked[-1]])

    def _best_on(
        self, component: list[str], label: dict[str, str | None], steps: _Steps
    ) -> list[dict[str, str]]:
        """The labellings of one strongly connected ``component`` that are complete given the
        labels ``label`` gives its attackers outside it, and accept as much as any other
        (none accepts a strict superset of what one of them accepts)."""
        if len(component) == 1 and component[0] not in self.attackers[component[0]]:
            (a,) = component  # no cycle: its label follows from its attackers'
            steps.take()
            theirs = {label[b] for b in self.attackers[a]}
            return [{a: OUT if IN in theirs else (UNDEC if UNDEC in theirs else IN)}]
        inside = set(component)
        for a in component:
            label[a] = None

        def legal(a: str) -> bool:
            return _may_stand(label[a], [label[b] for b in self.attackers[a]])

        # Depth first over the arguments, each tried in, out, undec: a stack, not recursion.
        n, tries, found = len(component), [0] * len(component), []
        i = 0
        while i >= 0:
            if i == n:
                found.append({a: label[a] for a in component})
                i -= 1
                continue
            a = component[i]
            while tries[i] < 3:
                label[a] = (IN, OUT, UNDEC)[tries[i]]
                tries[i] += 1
                steps.take()
                affected = [b for b in (a, *self.targets[a]) if b in inside]
                if all(label[b] is None or legal(b) for b in affected):
                    i += 1
                    break
            else:
                label[a], tries[i] = None, 0
                i -= 1
        # A complete labelling is fixed by what it accepts: keep the largest acceptances.
        found.sort(key=lambda lab: -sum(v == IN for v in lab.values()))
        best: list[dict[str, str]] = []
        accepted: list[frozenset[str]] = []
        for lab in found:
            mine = frozenset(a for a, v in lab.items() if v == IN)
            steps.take(len(accepted))
            if not any(mine < other for other in accepted):
                best.append(lab)
                accepted.append(mine)
        return best

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

    def preferred(self, limit: int = PREFERRED_STEPS) -> list[set[str]]:
        """The claims of each preferred extension (see :meth:`Framework.preferred`)."""
        claims = set(self.claims)
        return _sorted_sets(e & claims for e in self.framework.preferred(limit))

    def acceptance(
        self, limit: int = PREFERRED_STEPS, total: int = PREFERRED_TOTAL
    ) -> dict[str, str]:
        """How each claim fares under preferred semantics (see :meth:`Framework.settle`)."""
        full = self.framework.settle(limit, total).acceptance
        return {c: full[c] for c in self.claims}

    def unsettled(
        self, limit: int = PREFERRED_STEPS, total: int = PREFERRED_TOTAL
    ) -> tuple[Unsettled, ...]:
        """The parts of the framework whose preferred acceptance the search could not settle
        within its limits, the largest first."""
        parts = self.framework.settle(limit, total).unsettled
        return tuple(sorted(parts, key=lambda u: (-len(u.arguments), u.arguments)))

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


def framework_from_graph(
    graph: RDFSource,
    relations: list[ArgumentRelation] | None = None,
    label: Callable[[str], str | None] | None = None,
    claims: Iterable[str] | None = None,
) -> DebateFramework:
    """The Dung framework of a debate: claims as arguments, rebuttals and underminings as attacks.

    A single-premise attack that nothing undercuts is a plain attack from premise to
    conclusion. Any other attack R becomes an argument: each premise p of R attacks a helper
    "p is not held" that attacks R, and R attacks its conclusion; every undercut of R attacks
    R. So R defeats its conclusion exactly when all its premises are in and no undercut is.
    Undercuts of supports leave the framework as it is: Dung's frameworks have no supports.

    ``graph`` is an rdflib Graph or Dataset, or a pyoxigraph Store, read in bulk (a pass
    over each predicate it needs); ``relations``, if given, are its
    :func:`~graph.network.argument_relations`, ``label`` gives the rdfs:label of an IRI
    (or None), and ``claims`` are the IRIs of its claims, for a caller that has read them
    already (on a SPARQL server, each is one more answer of thousands of rows).
    """
    reader = _reader(graph)
    claims = sorted(set(reader.instances(str(BG.Claim)) if claims is None else claims))
    if relations is None:
        relations = argument_relations(graph)
    if label is None:
        labels = _values(reader, RDFS.label)

        def label(iri: str) -> str | None:
            value = labels.get(iri)
            return None if value is None else _text(value)

    return _framework(claims, [r for r in relations if r.is_attack], label)


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
