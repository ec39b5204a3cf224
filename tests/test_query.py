"""The canned questions, the query function and the query command.

Every canned question's answer is checked against what the corpus says, computed here from
the loaded corpus records (on the SB 1047 corpus, which grows, and on the small fixture
corpus tests/fixtures/query/debate), and on the fixture also against answers worked out by
hand. Both engines, Oxigraph and rdflib's own, must give the same answers.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graph import InputError, build
from graph.cli import main
from graph.emit import stance_iri
from graph.model import ATTACK_KINDS, Corpus
from graph.query import QueryRefused, canned_queries, parse_query, query
from graph.questions import ACROSS_DEBATES
from graph.vocab import BG, Minter

from .conftest import FIXTURES

DEBATE = FIXTURES / "query" / "debate"
CANNED = sorted(canned_queries())
#: The questions only several debates answer: rdflib's engine takes minutes and gigabytes on
#: their joins, so they are compared on Oxigraph and the SPARQL servers (tests/test_push.py).
ON_RDFLIB = [q for q in CANNED if q not in ACROSS_DEBATES]

#: The questions the issue asks for, each answered by a canned query of this name.
ISSUE_QUESTIONS = [
    "positions",
    "claims-about-section",
    "organization-claims",
    "counterclaims",
    "unanswered-claims",
    "contested-sections",
    "stance-matrix",
    "coalitions",
    "timeline",
    "claim-provenance",
    "agreement",
    "claims-by-topic",
]


@pytest.fixture(scope="module")
def debate():
    return build(DEBATE, None)


@pytest.fixture(scope="module", params=["sb1047", "debate"])
def case(request):
    """The SB 1047 corpus and the fixture corpus, each as (corpus, dataset)."""
    if request.param == "sb1047":
        result = request.getfixturevalue("sb1047_build")
    else:
        result = request.getfixturevalue("debate")
    return result.corpus, result.dataset


# --- what the corpus says, computed from its records -----------------------------------------


class Says:
    """Answers to the canned questions computed from a corpus's records, not from RDF."""

    def __init__(self, corpus: Corpus) -> None:
        self.c = corpus
        self.m = Minter(corpus.base)
        self.names = {o.id: o.name for o in corpus.organizations}
        self.names.update({p.id: p.name for p in corpus.people})
        self.people = {p.id for p in corpus.people}
        self.docs = {d.id: d for d in corpus.sources}
        self.relations = {r.key: r for r in corpus.relations}
        self.claims = {cl.key: cl for cl in corpus.claims}

    def agent(self, agent_id: str) -> URIRef:
        return self.m.person(agent_id) if agent_id in self.people else self.m.organization(agent_id)

    def claim(self, key: str) -> URIRef:
        src, cid = key.split("/", 1)
        return self.m.claim(src, cid)

    def agents(self, key: str) -> list[str]:
        cl = self.claims[key]
        return cl.by or self.docs[cl.source_id].authors

    def answers(self) -> set[tuple[str, str, str]]:
        """(answered claim key, counterclaim key, attack key) for every attack."""
        out = set()
        for r in self.c.relations:
            if r.kind not in ATTACK_KINDS:
                continue
            if r.kind == "undercuts":
                target = self.relations[r.conclusion]
                answered = [target.conclusion] if target.kind == "supports" else target.premises
            else:
                answered = [r.conclusion]
            out |= {(a, p, r.key) for a in answered for p in r.premises}
        return out

    def ancestors(self, bill_id: str, citation: str) -> list[str]:
        bill = next(b for b in self.c.bills if b.id == bill_id)
        out = []
        while citation is not None:
            out.append(citation)
            citation = bill.section(citation).parent
        return out


def _side(stance: str | None) -> str | None:
    return {
        "support": "for",
        "oppose": "against",
        "oppose-unless-amended": "against",
        "veto": "against",
        "support-if-amended": "mixed",
        "concerns": "mixed",
        "neutral": "mixed",
    }.get(stance or "")


def _int(term) -> int:
    return int(term.toPython())


# --- the library ----------------------------------------------------------------------------


def test_the_library_answers_every_question_of_the_issue():
    for name in ISSUE_QUESTIONS:
        assert name in canned_queries(), name


@pytest.mark.parametrize("name", CANNED)
def test_each_query_file_opens_with_its_question_and_parameters(name):
    q = canned_queries()[name]
    first = q.text.splitlines()[0]
    assert first.startswith("# ") and len(q.question) > 20
    assert "Parameters" in q.text.split("PREFIX")[0], "the comment must name the parameters"
    for p in q.parameters:
        assert p.kind in ("iri", "text") and p.description


@pytest.mark.parametrize("name", CANNED)
def test_each_parameter_is_a_variable_the_query_selects(name):
    # Oxigraph substitutes only selected variables; a parameter must also be bound in every
    # answer, or a VALUES clause (used for remote endpoints) would not filter by it.
    q = canned_queries()[name]
    projected = set(parse_query(q.text).variables)
    head = q.text.split("WHERE")[0]
    for p in q.parameters:
        assert p.name in projected
        assert f"?{p.name}" in head, f"{name} should SELECT ?{p.name}"


# --- both engines, every question ------------------------------------------------------------

_INTEGERS = {XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int, XSD.long}


def _normal(term):
    # Oxigraph stores xsd:nonNegativeInteger as xsd:integer (it keeps only the primitive
    # numeric types); the value is the same, so compare values.
    if isinstance(term, Literal) and term.datatype in _INTEGERS:
        return ("integer", int(term))
    return term


def _rows(result):
    return [tuple(_normal(t) for t in row) for row in result.rows]


@pytest.mark.parametrize("name", ON_RDFLIB)
def test_oxigraph_and_rdflib_give_the_same_answers_on_sb1047(name, sb1047_build):
    ox = query(sb1047_build.dataset, name)
    rdf = query(sb1047_build.dataset, name, engine="rdflib")
    assert ox.vars == rdf.vars
    assert _rows(ox) == _rows(rdf)  # same rows, in the same order


@pytest.mark.parametrize("name", ON_RDFLIB)
def test_oxigraph_and_rdflib_give_the_same_answers_on_the_fixture(name, debate):
    assert _rows(query(debate.dataset, name)) == _rows(query(debate.dataset, name, engine="rdflib"))


# --- each question against what the corpus says ----------------------------------------------


def test_positions(case):
    corpus, ds = case
    says = Says(corpus)
    expected = {
        (says.agent(a), stance_iri(d.stance), says.m.source(d.id))
        for d in corpus.sources
        if d.stance
        for a in d.authors
    }
    got = {(r.author, r.stance, r.document) for r in query(ds, "positions")}
    assert got == expected
    opposed = {
        (r.author, r.document) for r in query(ds, "positions", {"stance": "bg:OpposeStance"})
    }
    assert opposed == {(a, doc) for a, s, doc in expected if s == BG.OpposeStance}


def test_claims_about_section_include_subdivisions(case):
    corpus, ds = case
    says = Says(corpus)
    expected = set()
    for cl in corpus.claims:
        bill = says.docs[cl.source_id].bill
        for cited in cl.sections:
            for section in says.ancestors(bill, cited):
                expected.add((section, cited, says.claim(cl.key)))
    got = {(str(r.section), str(r.concerns), r.claim) for r in query(ds, "claims-about-section")}
    assert got == expected
    if expected:
        top = Counter(s for s, _, _ in expected).most_common(1)[0][0]
        rows = query(ds, "claims-about-section", {"section": top})
        assert {r.claim for r in rows} == {c for s, _, c in expected if s == top}


def test_organization_claims_with_quotes_and_paraphrases(case):
    corpus, ds = case
    says = Says(corpus)
    expected = {
        (says.names[a], says.claim(cl.key), cl.quote, cl.paraphrase)
        for cl in corpus.claims
        for a in says.agents(cl.key)
    }
    got = {
        (
            str(r.organization),
            r.claim,
            None if r.quote is None else str(r.quote),
            r.paraphrase.toPython(),
        )
        for r in query(ds, "organization-claims")
    }
    assert got == expected
    name = Counter(n for n, *_ in expected).most_common(1)[0][0]
    one = query(ds, "organization-claims", {"organization": name})
    assert {r.claim for r in one} == {c for n, c, *_ in expected if n == name}


def test_counterclaims(case):
    corpus, ds = case
    says = Says(corpus)
    expected = {
        (says.claim(a), says.claim(p), says.m.relation(*k.split("/", 1)))
        for a, p, k in says.answers()
    }
    got = {(r.claim, r.counterclaim, r.attack) for r in query(ds, "counterclaims")}
    assert got == expected


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_counterclaims_of_one_claim_on_sb1047(engine, sb1047_build):
    # The claim parameter must reach each way of answering (the query spells each out whole,
    # for Oxigraph's sake): asked of the most answered claim, and of one answered through an
    # undercut when the corpus has one, the answers are those of the corpus's records.
    corpus, ds = sb1047_build.corpus, sb1047_build.dataset
    says = Says(corpus)
    answers = says.answers()
    assert answers, "SB 1047 has counterclaims"
    most = Counter(a for a, _, _ in answers).most_common(1)[0][0]
    undercut = sorted(a for a, _, k in answers if says.relations[k].kind == "undercuts")
    for key in {most, *undercut[:1]}:
        expected = {
            (says.claim(p), says.m.relation(*k.split("/", 1))) for a, p, k in answers if a == key
        }
        rows = query(ds, "counterclaims", {"claim": str(says.claim(key))}, engine=engine)
        assert {(r.counterclaim, r.attack) for r in rows} == expected
        assert {r.claim for r in rows} == {says.claim(key)}


def test_unanswered_claims(case):
    corpus, ds = case
    says = Says(corpus)
    answered = {a for a, _, _ in says.answers()}
    supports = Counter(r.conclusion for r in corpus.relations if r.kind == "supports")
    expected = {
        (says.claim(cl.key), supports[cl.key]) for cl in corpus.claims if cl.key not in answered
    }
    result = query(ds, "unanswered-claims")
    assert {(r.claim, _int(r.supports)) for r in result} == expected
    counts = [_int(r.supports) for r in result]
    assert counts == sorted(counts, reverse=True), "best supported first"


def test_contested_sections(case):
    corpus, ds = case
    says = Says(corpus)
    counters, attackers, attacks = defaultdict(set), defaultdict(set), defaultdict(set)
    for answered, counter, attack in says.answers():
        for section in says.claims[answered].sections:
            counters[section].add(counter)
            attacks[section].add(attack)
            attackers[section] |= set(says.agents(counter))
    expected = {s: (len(counters[s]), len(attackers[s]), len(attacks[s])) for s in counters}
    result = query(ds, "contested-sections")
    got = {
        str(r.citation): (_int(r.attackingClaims), _int(r.organizations), _int(r.attacks))
        for r in result
    }
    assert got == expected
    ranks = [(_int(r.attackingClaims), _int(r.organizations)) for r in result]
    assert ranks == sorted(ranks, reverse=True), "most contested first"


def test_stance_matrix(case):
    corpus, ds = case
    says = Says(corpus)
    cells: dict[tuple[URIRef, str], Counter] = defaultdict(Counter)
    for cl in corpus.claims:
        side = _side(says.docs[cl.source_id].stance)
        targets = list(cl.sections) + (["whole bill"] if cl.whole_bill or not cl.sections else [])
        for a in says.agents(cl.key):
            for t in targets:
                cells[(says.agent(a), t)][side] += 1
    expected = {k: (c["for"], c["against"], c["mixed"]) for k, c in cells.items()}
    got = {
        (r.agent, str(r.section)): (_int(r["for"]), _int(r.against), _int(r.mixed))
        for r in query(ds, "stance-matrix")
    }
    assert got == expected


def test_coalitions_and_members_who_spoke_alone(case):
    corpus, ds = case
    says = Says(corpus)
    expected = {}
    for ms in corpus.memberships:
        own = [
            d for d in corpus.sources if ms.member in d.authors and ms.organization not in d.authors
        ]
        expected[(says.agent(ms.organization), says.agent(ms.member))] = (len(own), bool(own))
    got = {
        (r.coalitionIri, r.memberIri): (_int(r.ownDocuments), r.spokeOnItsOwn.toPython())
        for r in query(ds, "coalitions")
    }
    assert got == expected


def test_timeline_with_the_version_current_at_each_date(case):
    corpus, ds = case
    says = Says(corpus)
    bills = {b.id: b for b in corpus.bills}

    def current(bill_id: str, date: str) -> set[URIRef]:
        versions = [v for v in bills[bill_id].versions if v.date <= date]
        if not versions:
            return set()
        latest = max(v.date for v in versions)
        return {says.m.version(bill_id, v.id) for v in versions if v.date == latest}

    expected = defaultdict(set)
    for d in corpus.sources:
        if d.date:
            expected[(d.date, "statement", says.m.source(d.id))] |= current(d.bill, d.date)
    for b in corpus.bills:
        for e in b.events:
            expected[(e.date, "event", says.m.event(b.id, e.id))] |= current(b.id, e.date)
    result = query(ds, "timeline")
    got = defaultdict(set)
    for r in result:
        got[(str(r.date), str(r.what), r.item)] |= {r.version} if r.version else set()
    assert dict(got) == dict(expected)
    dates = [str(r.date) for r in result]
    assert dates == sorted(dates)


def test_claim_provenance(case):
    corpus, ds = case
    says = Says(corpus)
    result = query(ds, "claim-provenance")
    rows = {r.claim: r for r in result}
    assert set(rows) == {says.claim(cl.key) for cl in corpus.claims}
    for cl in corpus.claims:
        r = rows[says.claim(cl.key)]
        doc = says.docs[cl.source_id]
        assert (None if r.quote is None else str(r.quote)) == cl.quote
        assert r.paraphrase.toPython() == cl.paraphrase
        assert (None if r.where is None else str(r.where)) == cl.where
        assert (None if r.url is None else str(r.url)) == doc.url
        if cl.anchor is not None:
            assert (_int(r.start), _int(r.end)) == (cl.anchor.start, cl.anchor.end)
            assert doc.text[cl.anchor.start : cl.anchor.end] == cl.anchor.exact
        else:
            assert r.start is None
    one = next(iter(rows))
    assert [r.claim for r in query(ds, "claim-provenance", {"claim": str(one)})] == [one]


def test_agreement(case):
    corpus, ds = case
    says = Says(corpus)
    backers = defaultdict(set)
    for r in corpus.relations:
        if r.kind == "supports":
            for p in r.premises:
                backers[r.conclusion] |= {says.agent(a) for a in says.agents(p)}
    expected = {
        (a, b, says.claim(conclusion))
        for conclusion, agents in backers.items()
        for a in agents
        for b in agents
        if str(a) < str(b)
    }
    got = {(r.firstAgent, r.secondAgent, r.conclusion) for r in query(ds, "agreement")}
    assert got == expected


def test_claims_by_topic_include_narrower_topics(case):
    corpus, ds = case
    topics = {t.id: t for t in corpus.topics}
    says = Says(corpus)

    def broader(topic_id):
        while topic_id is not None:
            yield topic_id
            topic_id = topics[topic_id].broader

    expected = {
        (topics[a].label, topics[t].label, says.claim(cl.key))
        for cl in corpus.claims
        for t in cl.topics
        for a in broader(t)
    }
    got = {(str(r.topic), str(r.filedUnder), r.claim) for r in query(ds, "claims-by-topic")}
    assert got == expected


def test_votes(case):
    corpus, ds = case
    says = Says(corpus)
    expected = {
        (says.m.event(b.id, e.id), e.ayes, e.noes)
        for b in corpus.bills
        for e in b.events
        if e.ayes is not None or e.noes is not None
    }
    got = {
        (
            r.event,
            None if r.ayes is None else _int(r.ayes),
            None if r.noes is None else _int(r.noes),
        )
        for r in query(ds, "votes")
    }
    assert got == expected


# --- the fixture corpus, answers worked out by hand ------------------------------------------


def test_most_contested_sections_of_the_fixture(debate):
    rows = [
        (str(r.citation), _int(r.attackingClaims), _int(r.organizations))
        for r in query(debate.dataset, "contested-sections")
    ]
    # SEC. 1(a): Safety First rebuts the cost claim, SkyCo undercuts that rebuttal.
    assert rows == [("SEC. 1(a)", 2, 2), ("SEC. 1(a)(1)", 1, 1)]


def test_the_undercut_of_an_attack_answers_the_attacking_claim(debate):
    rows = query(debate.dataset, "counterclaims").records()
    kinds = {(r["statement"], r["counterStatement"]): r["kind"].split("#")[1] for r in rows}
    assert kinds == {
        ("Members already test every drone.", "Nobody checks the tests makers say they run."): (
            "Undermining"
        ),
        (
            "The Coalition opposes AB 7.",
            "A cost, even a real one, is no reason to oppose a safety law.",
        ): "Undercut",
        (
            "Registration costs drone makers too much.",
            "The registration fee is small next to a maker's revenue.",
        ): "Rebuttal",
        (
            "The registration fee is small next to a maker's revenue.",
            "The size of the fee is beside the point for a small maker.",
        ): "Undercut",
    }


def test_fixture_coalition_member_that_wrote_its_own_letter(debate):
    rows = {r["member"]: r["spokeOnItsOwn"] for r in query(debate.dataset, "coalitions").records()}
    assert rows == {"Aerial Labs": False, "SkyCo": True}


def test_fixture_agreement_pairs(debate):
    rows = {
        (r["first"], r["second"], r["conclusionStatement"])
        for r in query(debate.dataset, "agreement").records()
    }
    assert rows == {
        ("Drone Makers Coalition", "SkyCo", "The Coalition opposes AB 7."),
        ("Safety First", "Pat Author", "AB 7 protects the public from unsafe drones."),
    }


def test_fixture_timeline_versions(debate):
    rows = {r["label"]: r["versionLabel"] for r in query(debate.dataset, "timeline").records()}
    # Dated only by month, February 2025: the version of 2025-01-10 is current.
    assert rows["The Drone Makers Coalition on AB 7"] == "AB 7, Introduced"
    assert rows["Safety First answers the Coalition"] == "AB 7, Amended in Assembly"
    assert rows["Enrolled"] == "AB 7, Enrolled"


def test_fixture_section_and_topic_parameters(debate):
    section = query(debate.dataset, "claims-about-section", {"section": "SEC. 1"})
    assert len({r.claim for r in section}) == 7
    safety = query(debate.dataset, "claims-by-topic", {"topic": "Safety"}).records()
    assert {r["filedUnder"] for r in safety} == {"Safety", "Testing"}
    assert len(safety) == 5


def test_fixture_stance_matrix_cells(debate):
    cells = {
        (r["organization"], r["section"]): (r["for"], r["against"], r["mixed"])
        for r in query(debate.dataset, "stance-matrix").records()
    }
    assert cells[("SkyCo", "SEC. 1(a)")] == (0, 0, 2)  # its own support-if-amended letter
    assert cells[("SkyCo", "SEC. 1(a)(1)")] == (0, 1, 0)  # its claim in the Coalition's letter
    assert cells[("Pat Author", "whole bill")] == (1, 0, 0)


# --- parameters, safety, errors --------------------------------------------------------------


def test_a_parameter_is_a_value_never_query_text(debate):
    """A canned question's parameter is looked up among the values the data holds, and a
    query's own variable is bound through the engine: neither is pasted into the text."""
    hostile = '22603" } UNION { ?s ?p ?o } #'
    with pytest.raises(InputError, match="matches no section in this graph"):
        query(debate.dataset, "claims-about-section", {"section": hostile})
    with pytest.raises(InputError, match="matches no claim in this graph"):
        query(debate.dataset, "claim-provenance", {"claim": "https://x> } ; <y"})
    text = "SELECT ?c WHERE { ?c bg:citation ?section }"
    assert len(query(debate.dataset, text, {"section": hostile})) == 0
    with pytest.raises(InputError, match="is not an IRI"):
        query(debate.dataset, "SELECT ?c WHERE { ?c ?p ?o }", {"c": "<https://x> } ; <y>"})


def test_unknown_parameter_is_named(debate):
    with pytest.raises(InputError, match="has no parameter 'sektion'; it takes: section"):
        query(debate.dataset, "claims-about-section", {"sektion": "SEC. 1"})


def test_parameters_of_a_construct_query_are_bound_too(debate):
    text = "CONSTRUCT { ?claim rdfs:label ?l } WHERE { ?claim rdfs:label ?l ; bg:assertedIn ?doc }"
    doc = "https://example.org/corpus/debate/source/author-statement"
    for engine in ("oxigraph", "rdflib"):
        result = query(debate.dataset, text, {"doc": doc}, engine=engine)
        assert len(result) == 2, engine


def test_syntax_error_names_line_and_column(debate):
    with pytest.raises(InputError) as err:
        query(debate.dataset, "SELECT ?c WHERE {\n  ?c a bg:Claim\n  ?d }")
    problem = err.value.problems[0]
    assert (problem.line, problem.message.split(":")[0]) == (3, "column 3")


@pytest.mark.parametrize(
    ("text", "line", "column", "near"),
    [
        ("SELECT ?c WHERE { ?c a bg:Claim . FILTER(?c = ) }", 1, 47, "')'"),
        ("SELECT ?c WHERE {\n  ?c a bg:Claim .\n  OPTIONAL { ?c bg:x ?y ?z }\n}", 3, 25, "'?z'"),
        ("SELECT ?c WHERE { ?c a bg:Claim } LIMT 3", 1, 35, "'LIMT'"),
        ("SELECT ?c WHERE { ?c a bg:Claim", 1, 32, "the end"),
        ("SELECT ?c WHERE { # a comment\n  ?c bg:x ?y ?z }", 2, 14, "'?z'"),
    ],
    ids=["inside-a-filter", "inside-optional", "misspelt-keyword", "cut-short", "after-a-comment"],
)
def test_a_syntax_error_points_where_the_parser_stopped(text, line, column, near, debate):
    """Not at the start of the clause it could not finish, but at the token it could not read."""
    with pytest.raises(InputError) as err:
        query(debate.dataset, text)
    problem = err.value.problems[0]
    assert problem.line == line
    assert problem.message.startswith(f"column {column}: SPARQL syntax error at {near}")


def test_a_from_named_outside_the_dataset_is_refused_by_its_name(debate):
    with pytest.raises(QueryRefused, match=r"FROM NAMED <urn:elsewhere> refused"):
        query(debate.dataset, "SELECT * FROM NAMED <urn:elsewhere> WHERE { GRAPH ?g { ?s ?p ?o } }")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * WHERE { GRAPH <file:///etc/passwd> { ?s ?p ?o } }",
        "LOAD <file:///etc/passwd>",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    ],
)
def test_queries_that_reach_outside_or_write_are_refused(text, debate):
    for engine in ("oxigraph", "rdflib"):
        with pytest.raises(QueryRefused):
            query(debate.dataset, text, engine=engine)


def test_from_a_graph_of_the_dataset_is_allowed(debate):
    graph = "https://example.org/corpus/debate/graph/source/skyco-letter"
    text = f"SELECT ?c FROM <{graph}> WHERE {{ ?c a bg:Claim }}"
    assert len(query(debate.dataset, text)) == 2


# --- the command -----------------------------------------------------------------------------


def _run(*args: str):
    return CliRunner().invoke(main, ["query", *args], catch_exceptions=False)


def test_list_shows_every_question_and_its_parameters():
    out = _run("--list").output
    for q in canned_queries().values():
        assert q.name in out and q.question in out
    assert "claims-about-section  [--param section=...]" in out


def test_query_command_prints_a_table():
    out = _run("contested-sections", "--corpus", str(DEBATE)).output
    lines = [re.split(r"\s{2,}", line) for line in out.splitlines()]
    assert lines[0][:3] == ["citation", "attackingClaims", "organizations"]
    assert lines[2][:3] == ["SEC. 1(a)", "2", "2"]
    assert out.splitlines()[-1] == "(2 rows)"


def test_query_command_json_csv_and_turtle():
    data = json.loads(
        _run(
            "coalitions",
            "--corpus",
            str(DEBATE),
            "-f",
            "json",
            "-p",
            "coalition=Drone Makers Coalition",
        ).output
    )
    members = {b["member"]["value"] for b in data["results"]["bindings"]}
    assert members == {"Aerial Labs", "SkyCo"}
    csv_out = _run(
        "claims-about-section", "--corpus", str(DEBATE), "-f", "csv", "-p", "section=SEC. 2"
    ).output
    assert csv_out.splitlines()[0] == "section,concerns,statement,claim,document"
    assert "Funded inspections catch defects before drones fly." in csv_out
    turtle = _run(
        "CONSTRUCT { ?c a bg:Claim } WHERE { ?c a bg:Claim }",
        "--corpus",
        str(DEBATE),
        "-f",
        "turtle",
    ).output
    assert "bg:Claim" in turtle and turtle.count(" a bg:Claim") == 11


def test_query_command_on_a_trig_file_answers_as_on_the_corpus(tmp_path):
    build(DEBATE, tmp_path)
    from_file = _run("unanswered-claims", "--data", str(tmp_path / "debate.trig"), "-f", "csv")
    from_corpus = _run("unanswered-claims", "--corpus", str(DEBATE), "-f", "csv")
    assert from_file.output == from_corpus.output


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv", "xml"])
def test_every_format_prints_a_typed_value_alike_on_both_engines(fmt, tmp_path):
    # Oxigraph's answers are written from its own terms, which write a number or a time in
    # forms of their own ("1" for the double 1e0, "Z" for UTC); they must read as rdflib's
    # engine gives them, whichever engine answered.
    data = tmp_path / "votes.ttl"
    data.write_text(
        "@prefix bg: <https://w3id.org/billgraph/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<urn:vote:1> bg:share "1e0"^^xsd:double ; bg:ayes "007"^^xsd:integer ;\n'
        '    bg:heldAt "2024-08-29T10:00:00Z"^^xsd:dateTime ; bg:note "aye"@en , "plain" .\n',
        encoding="utf-8",
    )
    text = "SELECT ?p ?o WHERE { <urn:vote:1> ?p ?o } ORDER BY STR(?p) STR(?o)"

    def printed(engine: str) -> str:
        return _run(text, "--data", str(data), "-f", fmt, "--engine", engine).output

    oxigraph = printed("oxigraph")
    assert "1.0" in oxigraph and "10:00:00+00:00" in oxigraph and "007" not in oxigraph
    assert oxigraph == printed("rdflib")


def test_query_command_reports_a_syntax_error_and_exits_1():
    result = CliRunner().invoke(
        main, ["query", "SELECT ?c WHERE {\n ?c a bg:Claim\n ?d }", "--corpus", str(DEBATE)]
    )
    assert result.exit_code == 1
    assert "query:3: column 2: SPARQL syntax error at '?d'" in result.output


def test_query_command_names_an_unknown_question():
    result = CliRunner().invoke(main, ["query", "stance"])
    assert result.exit_code == 1
    assert "did you mean stance-matrix?" in result.output


def test_query_command_wants_a_graph_format_for_construct():
    result = CliRunner().invoke(
        main, ["query", "CONSTRUCT WHERE { ?s a bg:Claim }", "--corpus", str(DEBATE), "-f", "csv"]
    )
    assert result.exit_code == 2
    assert "gives a graph" in result.output


def test_query_files_ship_with_the_package():
    import graph

    folder = Path(graph.__file__).parent / "queries"
    assert len(list(folder.glob("*.rq"))) >= len(ISSUE_QUESTIONS)


def test_a_broken_data_file_is_reported_with_its_line():
    result = CliRunner().invoke(
        main, ["query", "votes", "--data", str(FIXTURES / "query" / "object-missing.ttl")]
    )
    assert result.exit_code == 1
    assert "object-missing.ttl:4: column" in result.output and "Traceback" not in result.output


# --- parameters in the corpus's own words ----------------------------------------------------


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize(
    ("question", "name", "canonical", "spellings"),
    [
        ("positions", "stance", "bg:OpposeStance", ["oppose", "Oppose", "OPPOSE"]),
        (
            "positions",
            "stance",
            "bg:SupportIfAmendedStance",
            ["support-if-amended", "support if amended", "Support_If_Amended"],
        ),
        ("organization-claims", "organization", "SkyCo", ["skyco", "debate:org/skyco"]),
        ("organization-claims", "organization", "Safety First", ["safety-first", "safety first"]),
        ("claims-by-topic", "topic", "Safety", ["safety", "SAFETY", "debate:topic/safety"]),
        ("coalitions", "coalition", "Drone Makers Coalition", ["drone-coalition"]),
        (
            "counterclaims",
            "claim",
            "https://example.org/corpus/debate/claim/coalition-letter/opposes-ab7",
            [
                "debate:claim/coalition-letter/opposes-ab7",
                "coalition-letter/opposes-ab7",
                "<https://example.org/corpus/debate/claim/coalition-letter/opposes-ab7>",
            ],
        ),
    ],
)
def test_a_parameter_in_the_corpus_words_gives_the_rows_of_its_canonical_form(
    debate, engine, question, name, canonical, spellings
):
    expected = query(debate.dataset, question, {name: canonical}, engine=engine).records()
    assert expected, "the canonical form must give rows, or the test proves nothing"
    for spelling in spellings:
        got = query(debate.dataset, question, {name: spelling}, engine=engine).records()
        assert got == expected, spelling


def test_a_prefixed_name_copied_from_a_table_is_taken_back():
    table = CliRunner().invoke(main, ["query", "counterclaims", "--corpus", str(DEBATE)]).output
    copied = re.search(r"debate:claim/\S+", table)[0]
    again = CliRunner().invoke(
        main, ["query", "counterclaims", "--corpus", str(DEBATE), "--param", f"claim={copied}"]
    )
    assert again.exit_code == 0, again.output
    assert copied in again.output and again.output.count("\n") >= 3


@pytest.mark.parametrize(
    ("question", "param", "says"),
    [
        (
            "positions",
            "stance=opose",
            "stance='opose' matches no stance in this graph; the closest: oppose",
        ),
        ("organization-claims", "organization=Sky Corp", "the closest: 'SkyCo'"),
        ("claims-by-topic", "topic=saftey", "the closest: 'Safety'"),
        ("positions", "stance=veto", "matches no stance in this graph; it holds"),
        ("counterclaims", "claim=debate:claim/nowhere/at-all", "matches no claim in this graph"),
    ],
)
def test_a_value_that_matches_nothing_names_the_closest(question, param, says):
    result = CliRunner().invoke(
        main, ["query", question, "--corpus", str(DEBATE), "--param", param]
    )
    assert result.exit_code == 1
    assert says in result.output
    assert "sb1047" not in result.output and "Traceback" not in result.output
