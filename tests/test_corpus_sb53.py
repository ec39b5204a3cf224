"""The SB 53 debate (corpus/sb53) as a reader checks it: the history against the official
record, the positions each analysis records, the letters' quotes, and the questions that
only the two debates together can answer."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from rdflib import Graph

from graph import build
from graph.query import query

from .conftest import ROOT, SHARED_DATA, outputs

CORPUS = ROOT / "corpus" / "sb53"
HISTORY = SHARED_DATA / "sb53" / "history.md"
CHAPTERED = SHARED_DATA / "sb53" / "versions" / "10-2025-09-29-chaptered.xml"
SB53 = "https://w3id.org/billgraph/corpus/sb53/"
SB1047 = "https://w3id.org/billgraph/corpus/sb1047/"

#: What each action of the chaptered XML's history is, among our events' kinds.
ACTION_KINDS = {
    "INTRODUCED": "introduction",
    "AMENDED_SENATE": "amendment",
    "AMENDED_ASSEMBLY": "amendment",
    "PASSED_ASSEMBLY": "floor-vote",
    "PASSED_SENATE": "concurrence-vote",  # the Senate passed it in May too; this one concurs
    "ENROLLED": "enrollment",
    "CHAPTERED": "chaptered",
    "APPROVED": "approval",
    "FILED": "other",
}


@pytest.fixture(scope="module")
def sb53(tmp_path_factory: pytest.TempPathFactory):
    return build(CORPUS, tmp_path_factory.mktemp("sb53-out"))


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory):
    """The two debates built together, as `build corpus/sb1047 corpus/sb53 -o OUT` does."""
    from graph.pipeline.together import build_together

    return build_together([ROOT / "corpus" / "sb1047", CORPUS], tmp_path_factory.mktemp("both"))


@pytest.fixture(scope="module")
def joint(both):
    """The joint dataset the build wrote (OUT/sb1047+sb53.trig), as a user queries it."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(both.files["trig"]), format=ox.RdfFormat.TRIG)
    return store


def rows(ds, name, **params):
    return list(query(ds, name, params or None).records())


def local(iri: str) -> str:
    return re.split(r"[#/]", str(iri))[-1]


# --- the bill and its history ------------------------------------------------------------


def test_every_action_of_the_chaptered_xml_history_is_an_event(sb53):
    caml = "{http://lc.ca.gov/legalservices/schemas/caml.1#}"
    actions = [
        (a.findtext(f"{caml}ActionText"), a.findtext(f"{caml}ActionDate"))
        for a in ET.parse(CHAPTERED).getroot().iter(f"{caml}Action")
    ]
    assert len(actions) == 14
    (bill,) = sb53.corpus.bills
    events = {(e.kind, e.date) for e in bill.events}
    for text, date in actions:
        assert (ACTION_KINDS[text], date) in events, (text, date)


def test_every_vote_the_history_records_is_an_event_with_its_count(sb53):
    votes = set()
    for line in HISTORY.read_text("utf-8").splitlines():
        m = re.match(r"\| (\d{4}-\d\d-\d\d) \|.*\(Ayes (\d+)\. Noes (\d+)\.", line)
        if m:
            votes.add((int(m.group(2)), int(m.group(3))))
    assert len(votes) >= 8
    answered = {(r["ayes"], r["noes"]) for r in rows(sb53.dataset, "votes")}
    assert votes <= answered
    by_date = {str(r["date"]): (r["ayes"], r["noes"]) for r in rows(sb53.dataset, "votes")}
    assert by_date["2025-05-28"] == (37, 0)  # Senate floor
    assert by_date["2025-09-12"] == (59, 7)  # Assembly floor
    assert by_date["2025-09-13"] == (29, 8)  # Senate concurrence
    approved = [e for e in sb53.corpus.bills[0].events if e.kind == "approval"]
    assert [e.date for e in approved] == ["2025-09-29"]


def test_the_bill_has_its_ten_versions_with_their_trees(sb53):
    (bill,) = sb53.corpus.bills
    assert len(bill.versions) == 10 and all(v.parts for v in bill.versions)
    assert bill.versions[-1].id == "chaptered" and bill.versions[-1].date == "2025-09-29"


# --- what the analyses record --------------------------------------------------------------


def test_every_analysis_is_a_source_document_of_its_committee(sb53):
    analyses = sorted(p.stem for p in (SHARED_DATA / "sb53" / "analyses").glob("*.md"))
    documents = {d.id: d for d in sb53.corpus.sources}
    assert sorted(documents) == sorted(a.replace("77.2", "77-2") for a in analyses)
    for d in documents.values():
        assert d.kind in ("committee-analysis", "floor-analysis")
        assert d.version and d.text is not None and not d.draft
    assert documents["2025-04-04-senate-judiciary-cmte-on-03-27-text"].authors == [
        "senate-judiciary-committee"
    ]


def test_a_position_that_moved_is_a_history(sb53):
    history = [
        (str(r["date"]), local(r["stance"]))
        for r in rows(sb53.dataset, "position-history", organization="Chamber of Progress")
    ]
    # Support if amended (to the prior version) in Assembly Judiciary, then opposed.
    assert history[0] == ("2025-07-01", "SupportIfAmendedStance")
    assert {s for _, s in history[1:]} == {"OpposeStance"}
    changes = {
        (r["organization"], local(r["before"]), local(r["after"]))
        for r in rows(sb53.dataset, "position-changes")
    }
    assert ("Chamber of Progress", "SupportIfAmendedStance", "OpposeStance") in changes
    assert ("TechNet", "OpposeUnlessAmendedStance", "OpposeStance") in changes
    assert not any(o == "Anthropic" for o, _, _ in changes)


def test_the_sponsors_are_recorded_as_sponsors(sb53):
    roles = {
        (r["name"], r["role"]) for r in rows(sb53.dataset, "positions") if r["role"] is not None
    }
    assert ("Secure AI Project", "co-sponsor") in roles
    assert ("Economic Security California Action", "co-sponsor") in roles


def test_the_overview_places_each_organization_by_the_positions_on_record(sb53):
    from graph.network import to_networkx
    from graph.overview import agent_sides, claim_sides

    view = to_networkx(sb53.store)
    sides = {view.nodes[a]["label"]: s.side for a, s in agent_sides(view).items()}
    assert sides["Chamber of Progress"] == "against"
    assert sides["TechNet"] == "against"
    assert sides["Anthropic"] == "for"
    assert sides["Secure AI Project"] == "for"
    assert sides["Assembly Committee on Judiciary"] is None  # it records; it takes no side
    claims = claim_sides(view)
    by = {n: d.get("source") for n, d in view.nodes(data=True) if d.get("kind") == "claim"}
    assert {claims[n] for n in by if "/claim/2025-09-11-" in n and "/coalition-" in n} == {
        "against"
    }
    assert claims[
        SB53 + "claim/2025-09-11-assembly-floor-on-09-05-text/govern-thoughtfully-now"
    ] == ("for")


def test_every_quote_is_the_analysis_text_and_every_claim_has_a_writer(sb53):
    for d in sb53.corpus.sources:
        for c in d.claims:
            assert c.quote and c.anchor is not None and c.anchor.exact == c.quote
            assert d.text[c.anchor.start : c.anchor.end] == c.quote
            assert c.by, c.key  # the letter's writers, not the committee
    anthropic = [c for c in sb53.corpus.claims if c.by == ["anthropic"]]
    assert anthropic and anthropic[0].quote.startswith("As you know, SB 53 would")


def test_every_fact_has_its_source():
    for path in [CORPUS / "organizations.yaml", CORPUS / "bills" / "sb53.yaml"]:
        data = yaml.safe_load(path.read_text("utf-8"))
        for key in ("organizations", "people", "events", "counterparts", "versions"):
            for item in data.get(key) or []:
                assert item.get("source"), (path.name, key, item.get("id"))


# --- the same questions as on SB 1047 --------------------------------------------------------


def test_every_canned_question_runs_on_sb53(sb53):
    from graph.questions import canned_queries

    empty = set()
    for name in canned_queries():
        result = query(sb53.dataset, name)
        if not result.rows:
            empty.add(name)
    # Questions only several debates answer, and the debate has no AIF dialogue.
    # Questions only several debates answer; and the analyses name no coalition's members.
    assert empty <= {
        "switched-sides", "recurring-objections", "dropped-provisions", "both-bills", "coalitions"
    }  # fmt: skip


def test_the_exports_read_back_in_rdflib(sb53):
    from graph.export import export

    files = export(sb53.dataset, "sb53", ["turtle", "ntriples", "jsonld", "rdfxml"])
    parsers = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml"}
    for name, text in files.items():
        if name.endswith(".context.jsonld"):
            continue
        g = Graph().parse(data=text, format=parsers[Path(name).suffix])
        assert len(g) == len(sb53.graph), name


# --- two debates, one graph ----------------------------------------------------------------


def test_each_debate_builds_alone_as_before_and_both_together(both, tmp_path):
    for together, corpus in zip(both.builds, [ROOT / "corpus" / "sb1047", CORPUS], strict=True):
        alone = build(corpus, tmp_path / corpus.name, use_cache=False)
        assert outputs(together)["ttl"] == outputs(alone)["ttl"]
    assert both.triples == sum(len(b.graph) for b in both.builds)


def test_who_spoke_on_both_bills_and_where_each_stood(joint):
    stood = {(r["organization"], r["bill"], local(r["stance"])) for r in rows(joint, "both-bills")}
    assert ("Chamber of Progress", "SB 1047", "OpposeStance") in stood
    assert ("Chamber of Progress", "SB 53", "OpposeStance") in stood
    assert ("Anthropic", "SB 53", "SupportStance") in stood
    assert ("Anthropic", "SB 1047", "SupportIfAmendedStance") in stood
    # One organization, not two: its SB 53 rows give the name SB 1047's registry gives it.
    calchamber = {
        (r["bill"], local(r["stance"]))
        for r in rows(joint, "both-bills")
        if "CalChamber" in (r["sameAs"] or r["organization"])
    }
    assert calchamber == {
        ("SB 1047", "OpposeStance"),
        ("SB 53", "OpposeUnlessAmendedStance"),
        ("SB 53", "OpposeStance"),
    }
    # No one in these two debates opposed one bill and supported the other.
    assert rows(joint, "switched-sides") == []


def test_objections_to_sb1047_that_return_against_sb53(joint):
    found = {
        (r["organization"], r["topic"], r["earlierBill"], r["laterBill"])
        for r in rows(joint, "recurring-objections")
    }
    assert ("Chamber of Progress", "Innovation", "SB 1047", "SB 53") in found
    assert ("California Chamber of Commerce (CalChamber)", "Liability", "SB 1047", "SB 53") in found


def test_the_most_fought_sb1047_provisions_sb53_let_go(joint):
    dropped = {r["citation"]: r["objections"] for r in rows(joint, "dropped-provisions")}
    assert "22603(a)(2)" in dropped  # the full shutdown: SB 53 has none
    assert "11547.6.1" not in dropped  # CalCompute: SB 53's 11546.8 does its job
    assert "22602(e)" not in dropped  # covered models: SB 53's frontier models
    assert all(n > 0 for n in dropped.values())
