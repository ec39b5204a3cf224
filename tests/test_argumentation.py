"""Dung's semantics on the standard small frameworks whose extensions are known, and on debates."""

from __future__ import annotations

import pytest

from graph.aif import import_aif_file
from graph.argumentation import Framework, framework_from_graph
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
