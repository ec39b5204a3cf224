"""Dung's semantics on the standard small frameworks whose extensions are known, and on debates."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

import pytest

from graph.aif import import_aif_file
from graph.argumentation import Framework, LimitReached, framework_from_graph
from graph.build import build
from graph.emit import union

from .conftest import FIXTURES


def extensions(sets):
    return sorted(sorted(s) for s in sets)


def test_chain_accepts_every_other_argument():
    af = Framework("abc", [("a", "b"), ("b", "c")])
    assert af.grounded() == {"a", "c"}
    assert extensions(af.preferred()) == [["a", "c"]]
    assert af.labelling() == {"a": "in", "b": "out", "c": "in"}


def test_odd_cycle_leaves_everything_undecided_and_has_no_stable_extension():
    af = Framework("abc", [("a", "b"), ("b", "c"), ("c", "a")])
    assert af.grounded() == set()
    assert extensions(af.preferred()) == [[]]
    assert af.stable() == []
    assert set(af.labelling().values()) == {"undec"}


def test_even_cycle_has_two_preferred_extensions():
    af = Framework("ab", [("a", "b"), ("b", "a")])
    assert af.grounded() == set()
    assert extensions(af.preferred()) == [["a"], ["b"]]
    assert extensions(af.stable()) == [["a"], ["b"]]
    assert af.acceptance() == {"a": "credulous", "b": "credulous"}


def test_self_attacking_argument_is_undecided_and_so_is_what_it_attacks():
    af = Framework("ab", [("a", "a"), ("a", "b")])
    assert af.labelling() == {"a": "undec", "b": "undec"}
    assert extensions(af.preferred()) == [[]]


def test_four_cycle_has_two_preferred_extensions():
    af = Framework("abcd", [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")])
    assert extensions(af.preferred()) == [["a", "c"], ["b", "d"]]
    assert extensions(af.complete()) == [[], ["a", "c"], ["b", "d"]]


def test_floating_reinstatement_is_sceptical_under_preferred_but_not_grounded():
    # a and b attack each other and both attack c; c attacks d: d is in every preferred
    # extension (whichever of a, b wins, c is out), yet grounded semantics leaves it undecided.
    af = Framework("abcd", [("a", "b"), ("b", "a"), ("a", "c"), ("b", "c"), ("c", "d")])
    assert af.labelling()["d"] == "undec"
    assert extensions(af.preferred()) == [["a", "d"], ["b", "d"]]
    assert af.acceptance()["d"] == "sceptical"
    assert af.acceptance()["c"] == "rejected"


def test_defence_by_an_unattacked_argument_reinstates():
    af = Framework("abcd", [("a", "b"), ("b", "c"), ("d", "b")])
    assert af.grounded() == {"a", "c", "d"}


def test_empty_framework_has_the_empty_extension():
    af = Framework([], [])
    assert af.grounded() == set()
    assert extensions(af.preferred()) == [[]]


def test_independent_parts_multiply_preferred_extensions():
    af = Framework("abcd", [("a", "b"), ("b", "a"), ("c", "d"), ("d", "c")])
    assert len(af.preferred()) == 4


def test_explanation_names_the_accepted_attacker_down_to_an_unattacked_one():
    af = Framework("abc", [("a", "b"), ("b", "c")])
    assert (
        af.explain("b")
        == "b is out: it is attacked by a, which is in.\n  a is in: nothing attacks it."
    )
    lines = af.explain("c").splitlines()
    assert lines[0] == "c is in: every attacker of it is out (b)."
    assert lines[-1].strip() == "a is in: nothing attacks it."


def test_explanation_of_an_undecided_argument_names_the_undecided_attacker():
    af = Framework("ab", [("a", "b"), ("b", "a")])
    assert "a (undecided)" in af.explain("b")


# --- on debates ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def contested():
    return framework_from_graph(build(FIXTURES / "corpora" / "contested-bill", None).graph)


def claim(name: str) -> str:
    return f"https://example.org/corpus/contested-bill/claim/{name}"


def test_debate_labels_claims_by_who_answers_whom(contested):
    labels = contested.labelling()
    assert labels[claim("guild-reply/fee-grows-yearly")] == "in"
    assert labels[claim("league-letter/fee-is-small")] == "out"
    # reinstated: its attacker is defeated by the Guild's reply
    assert labels[claim("guild-letter/registration-is-costly")] == "in"
    assert labels[claim("guild-letter/testing-already-done")] == "out"


def test_debate_explains_why_a_claim_is_out_in_its_own_words(contested):
    text = contested.explain(claim("league-letter/fee-is-small"))
    assert text.splitlines()[0] == (
        '"The fee is small next to a maker\'s revenue." is out: it is attacked by '
        '"The fee doubles every year under the bill.", which is in.'
    )


@pytest.fixture(scope="module")
def linked():
    path = FIXTURES / "aif" / "linked-attack-and-undercut.json"
    return framework_from_graph(union(import_aif_file(path).dataset))


def aif_claim(node_id: str) -> str:
    return f"https://w3id.org/billgraph/corpus/linked-attack-and-undercut/claim/linked-attack-and-undercut/i-{node_id}"


def test_a_linked_attack_fails_when_one_of_its_premises_is_out(linked):
    labels = linked.labelling()
    assert labels[aif_claim("2")] == "out"  # "Makers earn too little" is defeated
    assert labels[aif_claim("1")] == "in"
    assert labels[aif_claim("3")] == "in"  # so the joint attack on "The fee is affordable" fails


def test_an_undercut_attack_no_longer_defeats_its_target(linked):
    labels = linked.labelling()
    assert labels[aif_claim("7")] == "in"
    assert labels[aif_claim("8")] == "in"


def test_only_claims_are_reported(linked):
    assert set(linked.labelling()) == {aif_claim(str(i)) for i in range(1, 10)}


# --- against a brute-force reference ------------------------------------------------------
#
# The semantics by their definitions, over every subset of the arguments: the grounded
# extension is the least fixed point of "the arguments a set defends"; the preferred
# extensions are the maximal admissible sets (conflict-free, defending each member). Slow
# (2^n subsets) and obviously right, for frameworks of a few arguments.


def reference_grounded(af: Framework) -> set[str]:
    attacks = af.attacks
    accepted: set[str] = set()
    while True:
        defended = {
            a
            for a in af.arguments
            if all(any((c, b) in attacks for c in accepted) for b in af.attackers[a])
        }
        if defended == accepted:
            return accepted
        accepted = defended


def reference_preferred(af: Framework) -> list[list[str]]:
    attacks = af.attacks
    admissible = []
    for r in range(len(af.arguments) + 1):
        for chosen in itertools.combinations(af.arguments, r):
            s = set(chosen)
            conflict_free = not any((a, b) in attacks for a in s for b in s)
            defended = all(any((c, b) in attacks for c in s) for a in s for b in af.attackers[a])
            if conflict_free and defended:
                admissible.append(frozenset(s))
    return extensions(s for s in admissible if not any(s < t for t in admissible))


def reference_acceptance(af: Framework) -> dict[str, str]:
    preferred = [set(e) for e in reference_preferred(af)]
    out = {}
    for a in af.arguments:
        inside = sum(a in e for e in preferred)
        out[a] = "sceptical" if inside == len(preferred) else "credulous" if inside else "rejected"
    return out


def cycle(names: Sequence[str]) -> list[tuple[str, str]]:
    return [(a, b) for a, b in zip(names, [*names[1:], names[0]], strict=True)]


def chain(names: Sequence[str]) -> list[tuple[str, str]]:
    return list(zip(names, names[1:], strict=False))


HAND_MADE = {
    "chain of one attack": ("ab", chain("ab")),
    "chain of six": ("abcdef", chain("abcdef")),
    "odd cycle of three": ("abc", cycle("abc")),
    "odd cycle of five": ("abcde", cycle("abcde")),
    "even cycle of two": ("ab", cycle("ab")),
    "even cycle of six": ("abcdef", cycle("abcdef")),
    "self-attack": ("a", [("a", "a")]),
    "self-attack attacking a chain": ("abc", [("a", "a"), ("a", "b"), ("b", "c")]),
    "self-attack defeated from outside": ("ab", [("a", "a"), ("b", "a")]),
    "chain hanging off an odd cycle": ("abcxy", [*cycle("abc"), ("c", "x"), ("x", "y")]),
    "chain hanging off an even cycle": ("abxyz", [*cycle("ab"), ("b", "x"), *chain("xyz")]),
    "even cycle feeding an odd cycle": ("abcde", [*cycle("ab"), ("b", "c"), *cycle("cde")]),
    "odd cycle feeding an even cycle": ("abcde", [*cycle("abc"), ("c", "d"), *cycle("de")]),
    "two even cycles in a row": ("abcd", [*cycle("ab"), ("b", "c"), *cycle("cd")]),
    "floating reinstatement": ("abcd", [*cycle("ab"), ("a", "c"), ("b", "c"), ("c", "d")]),
    "an unattacked argument breaks a cycle": ("abcd", [*cycle("abc"), ("d", "a")]),
    "a cycle attacked by an odd cycle's member": (
        "abcdef",
        [*cycle("abc"), ("a", "d"), *cycle("def")],
    ),
    "two cycles sharing an argument": ("abcde", [*cycle("abc"), *cycle("cde")]),
    "complete attack on four": ("abcd", [(a, b) for a in "abcd" for b in "abcd" if a != b]),
}


@pytest.mark.parametrize("name", sorted(HAND_MADE))
def test_hand_made_frameworks_agree_with_the_brute_force_reference(name):
    af = Framework(*HAND_MADE[name])
    assert af.grounded() == reference_grounded(af)
    assert extensions(af.preferred()) == reference_preferred(af)
    assert af.acceptance() == reference_acceptance(af)
    assert af.settle().unsettled == ()


def test_random_small_frameworks_agree_with_the_brute_force_reference():
    rng = random.Random(1047)
    for _ in range(300):
        names = "abcdefg"[: rng.randint(0, 7)]
        density = rng.random() * 0.5
        attacks = [(a, b) for a in names for b in names if rng.random() < density]
        af = Framework(names, attacks)
        assert af.grounded() == reference_grounded(af), attacks
        assert extensions(af.preferred()) == reference_preferred(af), attacks
        assert af.acceptance() == reference_acceptance(af), attacks


def test_grounded_rounds_explain_a_long_chain_down_to_its_unattacked_start():
    # 20,000 arguments in a row: the labelling alternates, and the explanation of each
    # argument steps back along the chain (a labelling in one pass over a queue).
    names = [f"a{i:05d}" for i in range(20_000)]
    af = Framework(names, chain(names))
    labels = af.labelling()
    assert [labels[n] for n in names[:4]] == ["in", "out", "in", "out"]
    assert labels[names[-1]] == "out"
    lines = af.explain(names[3], depth=10).splitlines()
    assert lines == [
        "a00003 is out: it is attacked by a00002, which is in.",
        "  a00002 is in: every attacker of it is out (a00001).",
        "    a00001 is out: it is attacked by a00000, which is in.",
        "      a00000 is in: nothing attacks it.",
    ]


def test_grounded_labelling_of_a_long_chain_is_right_from_end_to_end():
    # 100,000 arguments, each attacking the next, the attacks given in no order: the first
    # is in, and in and out alternate to the last. Hung from an odd cycle, the same chain is
    # undecided throughout: nothing in it is defended, and nothing is defeated.
    names = [f"a{i:06d}" for i in range(100_000)]
    attacks = chain(names)
    random.Random(19).shuffle(attacks)
    labels = Framework(reversed(names), attacks).labelling()
    assert [labels[n] for n in names] == [("in", "out")[i % 2] for i in range(len(names))]
    hung = Framework([], [*cycle("xyz"), ("z", names[0]), *attacks]).labelling()
    assert set(hung.values()) == {"undec"}


def test_preferred_search_walks_thousands_of_components_without_recursion():
    # An even cycle, then a chain of 5,000 arguments it leaves undecided: one part of the
    # framework with 5,001 strongly connected components, two preferred extensions.
    names = [f"x{i:04d}" for i in range(5_000)]
    af = Framework(["a", "b", *names], [*cycle("ab"), ("b", names[0]), *chain(names)])
    assert af.labelling()[names[-1]] == "undec"
    first, second = af.preferred()
    assert "a" in first and names[0] in first and names[1] not in first
    assert "b" in second and names[0] not in second and names[1] in second
    assert set(af.acceptance().values()) == {"credulous"}


def test_preferred_search_reports_the_parts_it_could_not_settle_within_its_limit():
    # Two parts: an even cycle (settled in a few steps) and a complete attack on eight,
    # whose search tries thousands of labellings.
    eight = "cdefghij"
    af = Framework("ab" + eight, [*cycle("ab"), *((x, y) for x in eight for y in eight if x != y)])
    settled = af.settle(limit=200)
    assert settled.acceptance["a"] == settled.acceptance["b"] == "credulous"
    assert {settled.acceptance[x] for x in eight} == {"unsettled"}
    (part,) = settled.unsettled
    assert part.arguments == tuple(eight)
    assert part.cycle == tuple(eight)
    assert part.steps > 200
    assert part.reason.startswith(
        "the search stopped at its limit of 200 steps, searching a cycle of 8 arguments"
    )
    with pytest.raises(LimitReached) as stopped:
        af.preferred(limit=200)
    assert [u.arguments for u in stopped.value.unsettled] == [tuple(eight)]
    # Given enough steps, the same framework is settled: each of the eight is credulous.
    assert {af.acceptance()[x] for x in eight} == {"credulous"}


def test_preferred_search_stops_all_parts_at_the_total_limit():
    af = Framework("abcdef", [*cycle("ab"), *cycle("cd"), *cycle("ef")])
    # An even cycle takes 17 steps (nine labellings tried, two kept, two extensions).
    settled = af.settle(limit=100, total=25)
    assert settled.acceptance["a"] == "credulous"
    cd, ef = settled.unsettled
    assert cd.arguments == ("c", "d")
    assert cd.reason.startswith("the search stopped at the 8 steps left of the 25 for all parts")
    assert ef.arguments == ("e", "f")
    assert ef.reason == "not searched: all parts had taken 25 steps"


def test_preferred_extensions_beyond_the_limit_are_refused_not_listed():
    # Twelve independent even cycles: 4,096 preferred extensions.
    names = [f"{p}{i:02d}" for i in range(12) for p in "ab"]
    af = Framework(names, [e for i in range(12) for e in cycle([f"a{i:02d}", f"b{i:02d}"])])
    with pytest.raises(LimitReached, match="4,096 preferred extensions"):
        af.preferred(limit=1_000)
    assert len(af.preferred()) == 4_096
    assert set(af.acceptance(limit=1_000).values()) == {"credulous"}
