"""SHACL on Oxigraph: the compiled queries give pySHACL's report, constraint by constraint.

pySHACL is the oracle. A small valid graph (the minimal fixture corpus, plus a few statements
it lacks: an undercut, a stance, a homepage, a broader topic) is broken in one way per
constraint of ``ontology/shapes.ttl``, and both engines must give the same set of violations,
including the rule the mutation aims at. Most mutations are derived from the shapes themselves
(remove the values of a property, add one too many, put a value of the wrong kind); the rest,
for paths, node-level rules and SPARQL targets, are written out below.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph import InputError, build
from graph.ontology import shapes_graph
from graph.shacl import Check, UnsupportedShapes, compile_shapes, run_checks
from graph.validate import to_store, validate, validate_build
from graph.vocab import SH
from tests.conftest import FIXTURES

BASE = "https://example.org/corpus/minimal/"
PREFIXES = f"""
PREFIX bg: <https://w3id.org/billgraph/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX m: <{BASE}>
"""
#: What the minimal corpus lacks for every shape to have a focus node with values.
EXTRAS = """
INSERT DATA {
  bg:SupportStance a bg:Stance ; rdfs:label "support" .
  <https://example.org/corpus/minimal/org/acme> foaf:homepage <https://acme.example/> .
  <https://example.org/corpus/minimal/topic/safety> skos:broader
      <https://example.org/corpus/minimal/topic/cost> .
  <https://example.org/corpus/minimal/bill/ab1> bg:billCoauthor
      <https://example.org/corpus/minimal/org/acme> .
  <https://example.org/corpus/minimal/bill/ab1/event/committee-vote> bg:notVoting 0 .
  <https://example.org/corpus/minimal/relation/reply/cost-is-not-why> a bg:Undercut, bg:Attack ;
      bg:premise <https://example.org/corpus/minimal/claim/reply/fee-is-small> ;
      bg:conclusion
          <https://example.org/corpus/minimal/relation/statement/cost-grounds-opposition> ;
      bg:assertedIn <https://example.org/corpus/minimal/source/reply> .
  <https://example.org/corpus/minimal/locution/reply/l-1>
      a <http://www.arg.dundee.ac.uk/aif#L-node> ; rdfs:label "Ann Lee: the fee is small" ;
      bg:spokenBy <https://example.org/corpus/minimal/participant/reply/1> ;
      bg:locutionStart "2024-03-05T10:15:00"^^xsd:dateTime ;
      bg:locutionEnd "2024-03-05T10:15:09"^^xsd:dateTime .
  <https://example.org/corpus/minimal/participant/reply/1> a foaf:Person ; rdfs:label "Ann Lee" .
  <https://example.org/corpus/minimal/bill/ab1/version/introduced/part/sec-1> a bg:VersionPart ;
      bg:inVersion <https://example.org/corpus/minimal/bill/ab1/version/introduced> ;
      eli:realizes <https://example.org/corpus/minimal/bill/ab1/section/sec-1> ;
      bg:citation "SEC. 1" ;
      bg:partText "SECTION 1. Widget makers shall register." .
  <https://example.org/corpus/minimal/bill/ab1/change/introduced--introduced/sec-1>
      a bg:PartChange ;
      bg:changedProvision <https://example.org/corpus/minimal/bill/ab1/section/sec-1> ;
      bg:changeKind bg:PartChanged ;
      bg:fromVersion <https://example.org/corpus/minimal/bill/ab1/version/introduced> ;
      bg:toVersion <https://example.org/corpus/minimal/bill/ab1/version/introduced> ;
      bg:wordsStruck 1 ;
      bg:wordsInserted 2 .
  bg:PartChanged a bg:ChangeKind ; rdfs:label "changed" .
  <https://example.org/corpus/minimal/bill/ab1/counterpart/introduced/sec-1/1> a bg:Counterpart ;
      bg:counterpartPart
          <https://example.org/corpus/minimal/bill/ab1/version/introduced/part/sec-1> ;
      bg:counterpartOf <https://example.org/corpus/other/bill/ab9/section/sec-4> .
  <https://example.org/corpus/minimal/position/reply/acme> a bg:Position ;
      rdfs:label "oppose, as the reply records" ;
      bg:positionOf <https://example.org/corpus/minimal/org/acme> ;
      bg:stance bg:OpposeStance ;
      bg:recordedIn <https://example.org/corpus/minimal/source/reply> ;
      bg:onBill <https://example.org/corpus/minimal/bill/ab1> ;
      bg:onVersion <https://example.org/corpus/minimal/bill/ab1/version/introduced> .
  <https://example.org/corpus/minimal/edge/reply/1>
      a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> ;
      <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>
          <https://example.org/corpus/minimal/relation/reply/cost-is-not-why> ;
      <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> bg:premise ;
      <http://www.w3.org/1999/02/22-rdf-syntax-ns#object>
          <https://example.org/corpus/minimal/claim/reply/fee-is-small> ;
      dcterms:identifier "1" .
}"""

#: Constraint parameters and the components they make (the rule's name is its shape's).
COMPONENTS = {
    "minCount": "MinCount",
    "maxCount": "MaxCount",
    "class": "Class",
    "datatype": "Datatype",
    "nodeKind": "NodeKind",
    "in": "In",
    "pattern": "Pattern",
    "uniqueLang": "UniqueLang",
    "minInclusive": "MinInclusive",
    "lessThan": "LessThan",
    "equals": "Equals",
    "disjoint": "Disjoint",
    "node": "Node",
    "or": "Or",
    "not": "Not",
    "qualifiedMinCount": "QualifiedMinCount",
    "qualifiedMaxCount": "QualifiedMaxCount",
}

#: Mutations written out: (rule, component, SPARQL update on the base graph).
WRITTEN = [
    ("ClaimQuotedOrParaphrased", "Or",
     "INSERT DATA { m:claim\\/statement\\/opposes-ab1 bg:isParaphrase true }"),
    ("SupportIsNotAttack", "Not",
     "INSERT DATA { m:relation\\/statement\\/cost-grounds-opposition a bg:Attack }"),
    ("AttackHasOneKind", "QualifiedMaxCount",
     "INSERT DATA { m:relation\\/reply\\/fee-rebuts-cost a bg:Undermining }"),
    ("AnchorInClaimDocument", "Equals",
     "DELETE { ?a oa:hasSource ?d } INSERT { ?a oa:hasSource m:source\\/reply } WHERE {"
     " BIND(m:claim\\/statement\\/opposes-ab1\\/anchor AS ?a) ?a oa:hasSource ?d }"),
    ("AnchorInClaimDocument", "Equals",
     "DELETE { ?c bg:hasAnchor ?a } WHERE { BIND(m:claim\\/statement\\/opposes-ab1 AS ?c)"
     " ?c bg:hasAnchor ?a }"),
    ("AnchorWithinText", "Not",
     "DELETE { ?d bg:textLength ?n } INSERT { ?d bg:textLength 100 } WHERE {"
     " BIND(m:source\\/statement AS ?d) ?d bg:textLength ?n }"),
    ("AnchorSelectorsAgree", "Not",
     "DELETE { ?s oa:exact ?e } INSERT { ?s oa:exact \"The Widget Guild\" } WHERE {"
     " BIND(m:claim\\/statement\\/opposes-ab1\\/anchor\\/quote AS ?s) ?s oa:exact ?e }"),
    ("PositionSelectorOffsets", "MinCount",
     "DELETE WHERE { m:claim\\/statement\\/opposes-ab1\\/anchor\\/position oa:end ?e }"),
    ("PositionSelectorOffsets", "Or",
     "DELETE { ?s oa:start ?e } INSERT { ?s oa:start 1.5 } WHERE {"
     " BIND(m:claim\\/statement\\/opposes-ab1\\/anchor\\/position AS ?s) ?s oa:start ?e }"),
    ("PositionSelectorOffsets", "MinInclusive",
     "DELETE { ?s oa:start ?e } INSERT { ?s oa:start -1 } WHERE {"
     " BIND(m:claim\\/statement\\/opposes-ab1\\/anchor\\/position AS ?s) ?s oa:start ?e }"),
    ("VoteCountsNonNegative", "Or",
     "DELETE { ?e bg:ayes ?n } INSERT { ?e bg:ayes 5.5 } WHERE {"
     " BIND(m:bill\\/ab1\\/event\\/committee-vote AS ?e) ?e bg:ayes ?n }"),
    ("VoteCountsNonNegative", "MinInclusive",
     "DELETE { ?e bg:notVoting ?n } INSERT { ?e bg:notVoting -2 } WHERE {"
     " BIND(m:bill\\/ab1\\/event\\/committee-vote AS ?e) ?e bg:notVoting ?n }"),
    # Ill-typed literals: what pySHACL makes of them (through rdflib) and Oxigraph agree.
    ("VoteCountsNonNegative", "Or",
     "DELETE { ?e bg:noes ?n } INSERT { ?e bg:noes \"-3\"^^xsd:nonNegativeInteger } WHERE {"
     " BIND(m:bill\\/ab1\\/event\\/committee-vote AS ?e) ?e bg:noes ?n }"),
    ("VoteCountsNonNegative", "Or",
     "DELETE { ?e bg:noes ?n } INSERT { ?e bg:noes \"two\"^^xsd:integer } WHERE {"
     " BIND(m:bill\\/ab1\\/event\\/committee-vote AS ?e) ?e bg:noes ?n }"),
    ("DocumentTextLength", "Or",
     "DELETE { ?d bg:textLength ?n } INSERT { ?d bg:textLength \"long\"^^xsd:integer } WHERE {"
     " BIND(m:source\\/statement AS ?d) ?d bg:textLength ?n }"),
    ("DocumentDate", "Or",
     "DELETE { ?d dcterms:date ?n } INSERT { ?d dcterms:date \"2025-02-30\"^^xsd:date } WHERE {"
     " BIND(m:source\\/reply AS ?d) ?d dcterms:date ?n }"),
    ("BillAuthors", "Or",
     "DELETE { ?b bg:billAuthor ?a } INSERT { ?b bg:billAuthor <urn:test:nobody> } WHERE {"
     " BIND(m:bill\\/ab1 AS ?b) ?b bg:billAuthor ?a }"),
    ("BillAuthors", "Or",
     "INSERT DATA { m:bill\\/ab1 bg:billCoauthor \"a name, not a node\" }"),
    ("SectionLeadsToBill", "QualifiedMinCount",
     "DELETE { ?s eli:is_part_of ?b } INSERT { ?s eli:is_part_of m:bill\\/ab1\\/section\\/sec-1-a }"
     " WHERE { BIND(m:bill\\/ab1\\/section\\/sec-1 AS ?s) ?s eli:is_part_of ?b }"),
    ("SectionParentInSameBill", "Or",
     "INSERT DATA { m:bill\\/ab2 a bg:Bill ; dcterms:identifier \"AB 2\" ; rdfs:label \"AB 2\" }"
     " ; DELETE { ?s bg:inBill ?b } INSERT { ?s bg:inBill m:bill\\/ab2 } WHERE {"
     " BIND(m:bill\\/ab1\\/section\\/sec-1-a AS ?s) ?s bg:inBill ?b }"),
    ("EventVersionOfItsBill", "Or",
     "INSERT DATA { m:bill\\/ab2 a bg:Bill ; dcterms:identifier \"AB 2\" ; rdfs:label \"AB 2\" ;"
     " eli:is_realized_by m:bill\\/ab2\\/version\\/introduced ."
     " m:bill\\/ab2\\/version\\/introduced a bg:BillVersion ; eli:realizes m:bill\\/ab2 ;"
     " eli:version_date \"2025\"^^xsd:gYear } ;"
     " DELETE { ?e bg:concernsVersion ?v } INSERT { ?e bg:concernsVersion"
     " m:bill\\/ab2\\/version\\/introduced } WHERE {"
     " BIND(m:bill\\/ab1\\/event\\/introduced AS ?e) ?e bg:concernsVersion ?v }"),
]  # fmt: skip

#: Changes every shape allows, which the two engines must still agree on (and find nothing).
ALLOWED = [
    # pySHACL (through rdflib) does not check a gYear's lexical form, so neither do we.
    'DELETE { ?d dcterms:date ?n } INSERT { ?d dcterms:date "25"^^xsd:gYear } WHERE {'
    " BIND(m:source\\/reply AS ?d) ?d dcterms:date ?n }",
    # Oxigraph keeps a nonNegativeInteger as an xsd:integer: the datatype rules still pass.
    'DELETE { ?e bg:ayes ?n } INSERT { ?e bg:ayes "5"^^xsd:nonNegativeInteger } WHERE {'
    " BIND(m:bill\\/ab1\\/event\\/committee-vote AS ?e) ?e bg:ayes ?n }",
    'DELETE { ?d bg:textLength ?n } INSERT { ?d bg:textLength "175"^^xsd:nonNegativeInteger }'
    " WHERE { BIND(m:source\\/statement AS ?d) ?d bg:textLength ?n }",
    # A quote anchor's selectors may be one of the two kinds.
    "DELETE WHERE { m:claim\\/statement\\/opposes-ab1\\/anchor oa:hasSelector"
    " m:claim\\/statement\\/opposes-ab1\\/anchor\\/quote }",
]


@pytest.fixture(scope="module")
def base() -> Graph:
    """The minimal corpus's graph with what it lacks for every shape; it conforms."""
    g = Graph()
    for triple in build(FIXTURES / "corpora" / "minimal", None).graph:
        g.add(triple)
    g.update(PREFIXES + EXTRAS)
    return g


def mutated(g: Graph, update: str) -> Graph:
    """A copy of ``g`` changed by a SPARQL update (``m:claim\\/x`` names a corpus IRI)."""
    # rdflib's SPARQL does not unescape "\\/" in a prefixed name: spell the IRIs out.
    text = re.sub(
        r"m:((?:[\w-]|\\/)+)", lambda m: "<" + BASE + m.group(1).replace("\\/", "/") + ">", update
    )
    out = copy(g)
    out.update(PREFIXES + text)
    return out


def copy(g: Graph) -> Graph:
    out = Graph()
    for triple in g:
        out.add(triple)
    return out


def both(g: Graph):
    """The reports of both engines on ``g``: they must be the same."""
    oxigraph = validate(g)
    reference = validate(g, engine="pyshacl")
    assert oxigraph.violations == reference.violations, (
        f"Oxigraph:\n{oxigraph.text()}\n\npySHACL:\n{reference.text()}"
    )
    assert oxigraph.conforms == reference.conforms
    return oxigraph


# --- the rules of ontology/shapes.ttl, and a mutation for each of their constraints -------------

SHAPES = shapes_graph()


def checked_shapes() -> dict[URIRef, list[URIRef]]:
    """Each shape that reports a rule, with the classes its focus nodes are targeted by."""
    out: dict[URIRef, list[URIRef]] = {}
    for shape in set(SHAPES.subjects(SH.targetClass, None)) | set(SHAPES.subjects(SH.target)):
        classes = sorted(SHAPES.objects(shape, SH.targetClass))
        out.setdefault(shape, classes)
        for prop in SHAPES.objects(shape, SH.property):
            out.setdefault(prop, [])
            out[prop] = sorted(set(out[prop]) | set(classes))
    return out


def required() -> set[tuple[str, str]]:
    """(rule, component) for every constraint of every rule in the shapes."""
    pairs = set()
    for shape in checked_shapes():
        for p in SHAPES.predicates(shape):
            name = str(p).rsplit("#", 1)[-1]
            if name in COMPONENTS:
                pairs.add((str(shape).rsplit("#", 1)[-1], COMPONENTS[name]))
    return pairs


def derived(base_graph: Graph) -> list[tuple[str, str, Graph]]:
    """A mutation of the base per constraint of each property shape with a one-property path:
    the rule, the component it breaks, and the broken graph."""
    out = []
    nothing = URIRef("urn:test:not-a-thing")
    for shape, classes in sorted(checked_shapes().items()):
        path = SHAPES.value(shape, SH.path)
        if not isinstance(path, URIRef) or path == RDF.type:
            continue
        rule = str(shape).rsplit("#", 1)[-1]
        focus = sorted({f for c in classes for f in base_graph.subjects(RDF.type, c)})
        with_values = [f for f in focus if (f, path, None) in base_graph] or focus
        if not focus:
            continue
        f = with_values[0]
        values = sorted(base_graph.objects(f, path))
        for p in SHAPES.predicates(shape):
            name = str(p).rsplit("#", 1)[-1]
            if name not in COMPONENTS:
                continue
            g = copy(base_graph)
            param = SHAPES.value(shape, p)
            if name == "minCount":
                g.remove((f, path, None))
            elif name == "maxCount":
                for i in range(int(param) + 1):
                    g.add((f, path, Literal(f"another value {i}")))
            elif name in ("class", "or", "node", "in", "pattern", "datatype", "nodeKind",
                          "minInclusive"):  # fmt: skip
                g.remove((f, path, None))
                wrong = {
                    "datatype": Literal("words", lang="en"),
                    "minInclusive": Literal(-1),
                    "nodeKind": nothing if param == SH.Literal else Literal("urn:test:x"),
                }.get(name, nothing)
                g.add((f, path, wrong))
            elif name == "disjoint":
                g.add((f, param, values[0]))
            elif name == "lessThan":
                bound = base_graph.value(f, param)
                g.set((f, path, Literal(int(bound) + 1)))
            elif name == "uniqueLang":
                g.add((f, path, Literal("Another label", lang=values[0].language)))
            else:
                continue
            out.append((rule, COMPONENTS[name], g))
    return out


def test_the_minimal_base_conforms_on_both_engines(base):
    assert both(base).conforms


def test_sb1047_conforms_on_both_engines(sb1047_build, sb1047_graph):
    assert validate(sb1047_build.store).conforms
    report = validate(sb1047_graph, engine="pyshacl")
    assert report.conforms, report.text()


def test_every_constraint_of_the_shapes_has_a_mutation(base):
    covered = {(rule, c) for rule, c, _ in derived(base)} | {(r, c) for r, c, _ in WRITTEN}
    assert required() - covered == set()


def test_derived_mutations_break_their_rule_alike_on_both_engines(base):
    """One test for the ~100 derived mutations, so a failure names the rule it is about."""
    failures = []
    for rule, component, g in derived(base):
        try:
            report = both(g)
            assert rule in report.rules(), f"{rule} not broken"
        except AssertionError as exc:
            failures.append(f"{rule} {component}: {exc}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize(
    "rule, component, update", WRITTEN, ids=[f"{r}-{c}" for r, c, _ in WRITTEN]
)
def test_written_mutations_break_their_rule_alike_on_both_engines(base, rule, component, update):
    report = both(mutated(base, update))
    assert rule in report.rules()


@pytest.mark.parametrize("update", ALLOWED)
def test_allowed_changes_conform_on_both_engines(base, update):
    assert both(mutated(base, update)).conforms


def test_sb1047_with_a_claim_without_source_is_reported_alike(sb1047_graph):
    """A mutation of the real graph: a claim loses its source document."""
    g = copy(sb1047_graph)
    claim = sorted(g.subjects(URIRef("https://w3id.org/billgraph/ontology#assertedIn"), None))[0]
    g.remove((claim, URIRef("https://w3id.org/billgraph/ontology#assertedIn"), None))
    report = both(g)
    assert {v.rule for v in report.violations if v.focus == str(claim)} >= {"ClaimSource"}


# --- features beyond what ontology/shapes.ttl uses today ------------------------------------

OTHER_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property ex:Age, ex:Nick, ex:Friend, ex:Born, ex:Email .
ex:Age sh:path ex:age ; sh:maxInclusive 150 ; sh:minExclusive 0 ; sh:severity sh:Warning .
ex:Nick sh:path ex:nick ; sh:maxCount 2 ; sh:xone ( [ sh:datatype xsd:string ]
    [ sh:nodeKind sh:IRI ] ) .
ex:Friend sh:path [ sh:zeroOrMorePath ex:knows ] ; sh:and ( [ sh:class ex:Person ]
    [ sh:node ex:Named ] ) .
ex:Named a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:Born sh:path ex:born ; sh:datatype xsd:date ; sh:maxExclusive "2030-01-01"^^xsd:date .
ex:Email sh:path ex:email ; sh:pattern "^[a-z]+@" ; sh:flags "i" ; sh:deactivated true .
ex:Knowing a sh:NodeShape ; sh:targetSubjectsOf ex:knows ; sh:targetObjectsOf ex:likes ;
    sh:targetNode ex:zed ; sh:property [ sh:path ex:knows ; sh:nodeKind sh:IRI ] .
"""
OTHER_DATA = """
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:ann a ex:Person ; ex:name "Ann" ; ex:age 0, 151 ; ex:nick "a", ex:a, 3 ;
    ex:knows ex:bob ; ex:born "2031-05-01"^^xsd:date ; ex:email "nope" .
ex:bob a ex:Person ; ex:knows ex:cy, "text" .
ex:cy ex:name "Cy" .
ex:dan ex:likes ex:eve . ex:eve ex:knows _:b1 .
ex:zed ex:knows ex:ann .
"""


def test_other_features_agree_with_pyshacl():
    """Range bounds, xone, and, zero-or-more paths, severities, deactivated shapes, and
    the other kinds of targets: the same report as pySHACL's on a small graph."""
    shapes = Graph().parse(data=OTHER_SHAPES, format="turtle")
    data = Graph().parse(data=OTHER_DATA, format="turtle")
    oxigraph = validate(data, shapes)
    reference = validate(data, shapes, engine="pyshacl")
    assert oxigraph.violations == reference.violations, (
        f"Oxigraph:\n{oxigraph.text()}\n\npySHACL:\n{reference.text()}"
    )
    assert {v.rule for v in oxigraph.violations} >= {"Age", "Nick", "Friend", "Born"}
    assert "Email" not in oxigraph.rules()
    assert {v.severity for v in oxigraph.violations if v.rule == "Age"} == {"warning"}


def test_a_sparql_constraint_agrees_with_pyshacl():
    shapes = Graph().parse(
        format="turtle",
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/> .
        ex:ShortNames a sh:NodeShape ; sh:targetClass ex:Person ;
            sh:sparql ex:NameNotTooLong .
        ex:NameNotTooLong a sh:SPARQLConstraint ;
            sh:message "a name has at most five letters" ;
            sh:select \"\"\"SELECT $this ?value WHERE {
                $this <https://example.org/name> ?value . FILTER(STRLEN(?value) > 5) }\"\"\" .
        ex:NoSelfKnowing a sh:NodeShape ; sh:targetClass ex:Person ;
            sh:sparql [ sh:select \"\"\"SELECT ?value WHERE {
                $this <https://example.org/knows> $this . BIND($this AS ?value) }\"\"\" ] .
        """,
    )
    data = Graph().parse(
        format="turtle",
        data="""@prefix ex: <https://example.org/> .
        ex:ann a ex:Person ; ex:name "Annabelle" . ex:bob a ex:Person ; ex:name "Bob" ;
        ex:knows ex:bob .""",
    )
    oxigraph = validate(data, shapes)
    assert oxigraph.violations == validate(data, shapes, engine="pyshacl").violations
    assert oxigraph.rules() == {"NameNotTooLong", "NoSelfKnowing"}
    (long_name,) = [v for v in oxigraph.violations if v.rule == "NameNotTooLong"]
    assert (long_name.focus, long_name.value) == ("https://example.org/ann", "'Annabelle'")
    assert long_name.message == "a name has at most five letters"


# --- refusals, restriction to graphs, the store as input -------------------------------------


@pytest.mark.parametrize(
    "feature, shape",
    [
        ("sh:closed", "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:closed true ."),
        ("sh:hasValue", "ex:S sh:targetClass ex:T ; sh:path ex:p ; sh:hasValue 1 ."),
        ("sh:languageIn", "ex:S sh:targetClass ex:T ; sh:path ex:p ; sh:languageIn ('en') ."),
        ("sh:SPARQLRule", "ex:S sh:targetClass ex:T ; sh:rule [ a sh:SPARQLRule ] ."),
    ],
)
def test_an_unsupported_feature_is_refused_by_name(feature, shape):
    shapes = Graph().parse(
        format="turtle",
        data="@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        f"@prefix ex: <https://example.org/> .\n{shape}",
    )
    with pytest.raises(UnsupportedShapes) as err:
        validate(Graph(), shapes)
    (problem,) = err.value.problems
    assert feature in problem.message or "sh:rule" in problem.message
    assert "does not support" in problem.message
    assert isinstance(err.value, InputError)  # so the CLI prints it without a traceback


def test_a_recursive_shape_is_refused():
    shapes = Graph().parse(
        format="turtle",
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:Chain a sh:NodeShape ; sh:targetClass ex:T ;
            sh:property [ sh:path ex:next ; sh:node ex:Chain ] .""",
    )
    with pytest.raises(UnsupportedShapes, match="recursive"):
        validate(Graph(), shapes)


def test_shapes_are_compiled_once():
    assert compile_shapes(shapes_graph()) is compile_shapes(shapes_graph())


# --- checks on several threads, and checks asked together -----------------------------------


def _answers(store: ox.Store, checks: list[Check], workers: int) -> list[tuple]:
    """What the report is made of: each row's rule, words, node and value; the rows must come
    in the checks' order."""
    rows = list(run_checks(store, checks, workers=workers))
    position = {id(check): i for i, check in enumerate(checks)}
    order = [position[id(row.check)] for row in rows]
    assert order == sorted(order), "rows out of the checks' order"
    return sorted(
        (r.check.rule, r.check.message, r.check.severity, r.path, r.focus.value, str(r.value))
        for r in rows
    )


def test_the_report_is_the_same_on_one_thread_or_several(base):
    """Every written mutation at once: many rules broken, the same rows with 1, 2 or 3 workers
    and when each check is asked alone (not together with the others of its shape)."""
    g = base
    for _, _, update in WRITTEN:
        g = mutated(g, update)
    store = to_store(g)
    checks = compile_shapes(shapes_graph())
    one = _answers(store, checks, workers=1)
    assert len({rule for rule, *_ in one}) >= 10
    assert _answers(store, checks, workers=2) == one
    assert _answers(store, checks, workers=3) == one
    alone = sorted(a for check in checks for a in _answers(store, [check], workers=1))
    assert alone == one
    assert both(g).rules() == {rule for rule, *_ in one}


def test_an_error_in_a_check_on_a_worker_reaches_the_caller(base):
    checks = compile_shapes(shapes_graph())
    broken = Check(
        rule="Broken",
        message="never asked",
        path=None,
        severity="violation",
        targets="?this a <https://example.org/Thing> .",
        body="FILTER(",  # not SPARQL
    )
    with pytest.raises(SyntaxError):
        list(run_checks(to_store(base), [*checks[:5], broken, *checks[5:]], workers=2))


def _store_with_two_broken_claims() -> tuple[ox.Store, str, str]:
    corpus = build(FIXTURES / "corpora" / "minimal", None)
    store = ox.Store()
    store.bulk_extend(corpus.store.quads_for_pattern(None, None, None, None))
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    broken = {}
    for graph_name in ("source/statement", "source/reply"):
        g = ox.NamedNode(BASE + "graph/" + graph_name)
        claim = next(
            q.subject
            for q in store.quads_for_pattern(None, label, None, g)
            if "/claim/" in q.subject.value and "/anchor" not in q.subject.value
        )
        for q in list(store.quads_for_pattern(claim, label, None, g)):
            store.remove(q)
        broken[graph_name] = claim.value
    return store, broken["source/statement"], broken["source/reply"]


def test_graphs_restricts_the_focus_nodes():
    store, in_statement, in_reply = _store_with_two_broken_claims()
    named = {g.value for g in store.named_graphs()}
    statement_graph = next(g for g in named if g.endswith("graph/source/statement"))
    assert {v.focus for v in validate(store).violations} == {in_statement, in_reply}
    corpus = build(FIXTURES / "corpora" / "minimal", None).corpus
    with pytest.raises(InputError) as err:
        validate_build(corpus, store, graphs=[statement_graph])
    (problem,) = err.value.problems
    assert problem.file.endswith("statement.yaml")
    assert "[rule ClaimText]" in problem.message
    assert problem.line > 0
    reply_graph = next(g for g in named if g.endswith("graph/source/reply"))
    with pytest.raises(InputError) as err:
        validate_build(corpus, store, graphs=[reply_graph])
    assert all("reply" in p.file for p in err.value.problems)
    # A graph with no broken node: nothing to report.
    topics = next(g for g in named if g.endswith("graph/topics"))
    assert validate_build(corpus, store, graphs=[topics]).conforms


def test_a_dataset_is_checked_as_the_union_of_its_graphs(sb1047_build):
    store = to_store(sb1047_build.dataset)
    assert len(store) == len(sb1047_build.store)
    assert validate(sb1047_build.dataset).conforms


def test_an_integer_kept_by_oxigraph_still_meets_a_nonnegativeinteger_datatype():
    """Oxigraph stores "5"^^xsd:nonNegativeInteger as xsd:integer; sh:datatype still agrees."""
    shapes = Graph().parse(
        format="turtle",
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:Count a sh:NodeShape ; sh:targetSubjectsOf ex:count ;
            sh:property [ sh:path ex:count ; sh:datatype xsd:nonNegativeInteger ] .""",
    )
    data = Graph()
    ex = "https://example.org/"
    for name, lexical in (("a", "5"), ("b", "-3"), ("c", "many")):
        data.add(
            (
                URIRef(ex + name),
                URIRef(ex + "count"),
                Literal(lexical, datatype=XSD.nonNegativeInteger),
            )
        )
    store = to_store(data)
    kept = {q.object.datatype.value for q in store.quads_for_pattern(None, None, None, None)}
    assert str(XSD.integer) in kept  # what Oxigraph does with the valid ones
    oxigraph = validate(store, shapes)
    assert oxigraph.violations == validate(data, shapes, engine="pyshacl").violations
    assert {v.focus.rsplit("/", 1)[-1] for v in oxigraph.violations} == {"b", "c"}
