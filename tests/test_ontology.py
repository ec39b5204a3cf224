"""The ontology: it parses, defines every term we write, stays consistent, and documents itself."""

from __future__ import annotations

import re
from pathlib import Path

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, DefinedNamespaceMeta

from graph import build
from graph.aif import import_aif_file
from graph.emit import camel, stance_iri
from graph.model import DOCUMENT_KINDS, EVENT_KINDS, ORGANIZATION_KINDS, SECTION_KINDS, STANCES
from graph.ontology import (
    ONTOLOGY_FILE,
    ontology_graph,
    ontology_html,
    reused_terms_graph,
    shapes_graph,
)
from graph.vocab import BG
from tests.conftest import FIXTURES, ROOT, SHARED_DATA

ONTOLOGY_IRI = URIRef("https://w3id.org/billgraph/ontology")
#: Vocabularies rdflib knows whole: their terms are checked against rdflib's lists.
# (Module attributes of this test file are not rdflib namespaces that warn when pytest
# looks into them; hence rns.SDO and the like.)
LANGUAGE = (RDF, RDFS, OWL, rns.XSD, SH)
#: Reused vocabularies rdflib also knows whole: reused-terms.ttl must agree with them.
KNOWN = (DCTERMS, rns.FOAF, rns.ORG, rns.PROV, SKOS, rns.SDO)
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)


def in_closed(ns: DefinedNamespaceMeta, iri: str) -> bool:
    """Whether rdflib's closed namespace ``ns`` defines ``iri`` (rdflib lists every term)."""
    return iri.startswith(str(ns._NS)) and iri in ns


def defined_terms() -> set[str]:
    """Every term our ontology defines, and every reused term we accept."""
    onto, reused = ontology_graph(), reused_terms_graph()
    ours = {str(s) for t in TERM_TYPES for s in onto.subjects(RDF.type, t) if str(s) in BG}
    return ours | {str(s) for s in reused.subjects(RDFS.isDefinedBy, None)}


def undefined(iris: set[str]) -> set[str]:
    """The IRIs in our namespace or a reused one that nothing defines: typos, until shown not."""
    known = defined_terms()
    reused_namespaces = {str(ns) for ns in (BG,)} | {
        re.match(r"^(.*[#/])", str(s))[1] for s in reused_terms_graph().subjects(RDFS.isDefinedBy)
    }
    out = set()
    for iri in iris:
        if any(in_closed(ns, iri) for ns in LANGUAGE):
            continue
        if iri in known:
            continue
        if any(iri.startswith(ns) for ns in reused_namespaces) or any(
            iri.startswith(str(ns._NS)) for ns in LANGUAGE
        ):
            out.add(iri)
    return out


def vocabulary_used(graph: Graph) -> set[str]:
    """The predicates and classes a graph uses."""
    preds = {str(p) for p in graph.predicates()}
    classes = {str(o) for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)}
    return preds | classes


def iris_in(graph: Graph) -> set[str]:
    return {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}


# --- the files ----------------------------------------------------------------------------


def test_ontology_parses_with_its_metadata():
    g = ontology_graph()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(
        f"https://w3id.org/billgraph/ontology/{g.value(ONTOLOGY_IRI, OWL.versionInfo)}"
    )
    assert g.value(ONTOLOGY_IRI, DCTERMS.license) is not None
    assert g.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert len(shapes_graph()) > 0 and len(reused_terms_graph()) > 0


def test_every_class_property_and_individual_has_a_label_and_a_definition():
    g = ontology_graph()
    terms = {s for t in TERM_TYPES for s in g.subjects(RDF.type, t) if str(s) in BG}
    assert len(terms) > 50
    for term in terms:
        label = g.value(term, RDFS.label)
        definition = g.value(term, SKOS.definition) or g.value(term, RDFS.comment)
        assert isinstance(label, Literal) and label.language == "en", term
        assert isinstance(definition, Literal) and len(str(definition)) > 10, term
        assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in g, term


def test_every_kind_stance_and_relation_of_the_model_is_defined():
    g = ontology_graph()
    kinds = DOCUMENT_KINDS + EVENT_KINDS + SECTION_KINDS
    for kind in kinds + tuple(k for k in ORGANIZATION_KINDS if k != "organization"):
        assert (BG[camel(kind)], RDF.type, OWL.Class) in g, kind
    for stance in STANCES:
        assert (stance_iri(stance), RDF.type, BG.Stance) in g, stance
    for cls in (BG.Claim, BG.Support, BG.Attack, BG.Rebuttal, BG.Undercut, BG.Undermining):
        assert (cls, RDF.type, OWL.Class) in g


def test_every_bg_term_the_code_names_is_defined():
    """``BG.x`` anywhere in the package: a term a module writes or reads must be defined."""
    named = set()
    for path in (ROOT / "graph").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        named |= {BG[name] for name in re.findall(r"\bBG\.([A-Za-z]\w*)", text)}
        named |= {BG[name] for name in re.findall(r"\bBG\[\"([A-Za-z]\w*)\"\]", text)}
    assert named
    assert undefined({str(t) for t in named}) == set()


def test_reused_terms_exist_in_the_vocabularies_rdflib_knows():
    for term in reused_terms_graph().subjects(RDFS.isDefinedBy, None):
        for ns in KNOWN:
            if str(term).startswith(str(ns._NS)):
                assert in_closed(ns, str(term)), f"{term} is not a term of {ns._NS}"


def test_ontology_and_shapes_use_only_defined_terms():
    assert undefined(iris_in(ontology_graph())) == set()
    assert undefined(iris_in(shapes_graph())) == set()


def test_every_class_of_ours_is_the_target_of_a_shape():
    targets = set(shapes_graph().objects(None, SH.targetClass))
    g = ontology_graph()
    classes = {c for c in g.subjects(RDF.type, OWL.Class) if str(c) in BG}
    assert classes - targets == set()


# --- the data ------------------------------------------------------------------------------


def test_every_term_in_the_sb1047_graph_is_defined(sb1047_graph):
    assert undefined(vocabulary_used(sb1047_graph)) == set()


@pytest.mark.parametrize("corpus", ["minimal", "contested-bill"])
def test_every_term_in_fixture_corpora_is_defined(corpus):
    graph = build(FIXTURES / "corpora" / corpus, None).graph
    assert undefined(vocabulary_used(graph)) == set()


def test_every_term_of_an_imported_aif_map_is_defined():
    ds = import_aif_file(SHARED_DATA / "aif" / "araucaria-nodeset664.json").dataset
    graph = Graph()
    for s, p, o, _ in ds.quads():
        graph.add((s, p, o))
    assert undefined(vocabulary_used(graph)) == set()


def test_a_typo_in_an_iri_is_caught():
    g = Graph()
    claim = URIRef("https://example.org/c")
    g.add((claim, RDF.type, BG.Claim))
    g.add((claim, BG.premis, claim))
    g.add((claim, URIRef(f"{DCTERMS}subjekt"), claim))
    g.add((claim, RDF.type, URIRef("http://data.europa.eu/eli/ontology#LegalResourse")))
    assert undefined(vocabulary_used(g)) == {
        str(BG.premis),
        str(DCTERMS) + "subjekt",
        "http://data.europa.eu/eli/ontology#LegalResourse",
    }


# --- reasoning ------------------------------------------------------------------------------


def closure(data: Graph) -> Graph:
    """The OWL RL closure of the ontology and ``data``."""
    g = ontology_graph()
    for triple in data:
        g.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return g


def inconsistencies(closed: Graph) -> list[str]:
    """What owlrl found inconsistent, and any member of owl:Nothing."""
    errors = [
        str(closed.value(e, ERRNS.error)) for e in closed.subjects(RDF.type, ERRNS.ErrorMessage)
    ]
    return errors + [f"{n} is owl:Nothing" for n in closed.subjects(RDF.type, OWL.Nothing)]


@pytest.fixture(scope="module")
def sb1047_closure(sb1047_graph) -> Graph:
    return closure(sb1047_graph)


def test_owl_rl_closure_of_ontology_and_sb1047_is_consistent(sb1047_closure):
    assert inconsistencies(sb1047_closure) == []


def test_owl_rl_closure_aligns_our_terms_with_aif_eli_and_schema(sb1047_graph, sb1047_closure):
    aif = "http://www.arg.dundee.ac.uk/aif#"
    claims = set(sb1047_graph.subjects(RDF.type, BG.Claim))
    assert claims and claims <= set(sb1047_closure.subjects(RDF.type, URIRef(aif + "I-node")))
    assert claims <= set(sb1047_closure.subjects(RDF.type, rns.SDO.Claim))
    supports = set(sb1047_graph.subjects(RDF.type, BG.Support))
    assert supports <= set(sb1047_closure.subjects(RDF.type, URIRef(aif + "RA-node")))
    bills = set(sb1047_graph.subjects(RDF.type, BG.Bill))
    assert bills <= set(sb1047_closure.subjects(RDF.type, rns.SDO.Legislation))


def test_owl_rl_closure_finds_a_claim_that_is_also_a_support():
    """The consistency check is not vacuous: disjoint classes are enforced."""
    g = Graph()
    node = URIRef("https://example.org/c")
    g.add((node, RDF.type, BG.Claim))
    g.add((node, RDF.type, BG.Support))
    assert inconsistencies(closure(g))


# --- documentation ---------------------------------------------------------------------------


def test_ontology_html_documents_every_class_offline():
    html = ontology_html()
    g = ontology_graph()
    for cls in g.subjects(RDF.type, OWL.Class):
        if str(cls) in BG:
            assert str(g.value(cls, RDFS.label)) in html, cls
    # Self-contained: no script, style sheet or image is fetched from the network.
    assert not re.search(r"<(script|link|img)[^>]*(src|href)=\"https?://", html)


def test_cli_docs_writes_the_page_and_the_turtle(tmp_path: Path):
    from click.testing import CliRunner

    from graph.cli import main

    out = tmp_path / "docs"
    result = CliRunner().invoke(main, ["docs", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").read_text().count("Bill argument graph ontology") >= 1
    assert (out / ONTOLOGY_FILE.name).read_text() == ONTOLOGY_FILE.read_text()
    assert (out / "shapes.ttl").exists()
