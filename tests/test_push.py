"""Pushing to real SPARQL servers and asking them the canned questions.

Oxigraph's server (from PyPI) and Virtuoso (Debian's virtuoso-opensource) are started on free
loopback ports for these tests and stopped after them (tests/sparql_servers.py); without one,
its tests skip, except in CI, where they fail.
"""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Literal
from rdflib.namespace import XSD
from SPARQLWrapper import JSON, SPARQLWrapper

from graph import DEFAULT_CORPUS, build
from graph.cli import main
from graph.push import PushError, manifest_iri, push
from graph.query import canned_queries, query, to_store
from graph.questions import ACROSS_DEBATES

from .conftest import FIXTURES, ROOT, SHARED_DATA, write_letter
from .sparql_servers import free_port, start_oxigraph, start_virtuoso

DEBATE = FIXTURES / "query" / "debate"
BASE = "https://example.org/corpus/debate/"
SB1047_BASE = "https://w3id.org/billgraph/corpus/sb1047/"


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """An Oxigraph server on loopback holding the debate fixture corpus, its default graph the
    union of its named graphs."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    push(build(DEBATE, None).dataset, server.store_url, manifest=str(manifest_iri(BASE)))
    yield server.base_url
    server.stop()


def _graphs(url: str) -> dict[str, int]:
    return _graph_sizes(url + "/query")


def _graph_sizes(query_url: str) -> dict[str, int]:
    """Each graph the server holds, with its triples, asked with an independent client."""
    sw = SPARQLWrapper(query_url)
    sw.setQuery("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def _put(url: str, graph: str, turtle: str) -> None:
    request = urllib.request.Request(
        f"{url}/store?graph={graph}",
        data=turtle.encode(),
        headers={"Content-Type": "text/turtle"},
        method="PUT",
    )
    urllib.request.urlopen(request, timeout=30).close()


def _corpus_without_skyco_letter(tmp_path: Path) -> Path:
    """The fixture corpus after SkyCo withdrew its letter (the rest unchanged)."""
    copy = tmp_path / "debate"
    shutil.copytree(DEBATE, copy)
    (copy / "sources" / "skyco-letter.yaml").unlink()
    orgs = copy / "organizations.yaml"
    orgs.write_text(orgs.read_text().replace("source: skyco-letter", "source: coalition-letter"))
    return copy


def test_push_writes_one_graph_per_source_and_replaces_the_last_push(oxigraph, tmp_path):
    store = f"{oxigraph}/store"
    # A graph someone else keeps on the same server: a push never touches it.
    _put(oxigraph, "https://example.org/not-ours", "<urn:a> <urn:b> <urn:c> .")

    result = CliRunner().invoke(main, ["push", "--endpoint", store, "--corpus", str(DEBATE)])
    assert result.exit_code == 0, result.output
    first = build(DEBATE, None).dataset
    expected = {
        str(g.identifier): len(g)
        for g in first.graphs()
        if len(g) and "graph/" in str(g.identifier)
    }
    on_server = _graphs(oxigraph)
    manifest = str(manifest_iri(BASE))
    assert {g: n for g, n in on_server.items() if g in expected} == expected
    assert manifest in on_server and "https://example.org/not-ours" in on_server
    assert f"Pushed {len(expected)} graphs" in result.output

    # SkyCo withdraws its letter: the next push removes its graph, and only that.
    smaller = _corpus_without_skyco_letter(tmp_path)
    result = CliRunner().invoke(main, ["push", "--endpoint", store, "--corpus", str(smaller)])
    assert result.exit_code == 0, result.output
    on_server = _graphs(oxigraph)
    gone = BASE + "graph/source/skyco-letter"
    assert gone not in on_server
    assert gone in result.output
    assert "https://example.org/not-ours" in on_server
    assert BASE + "graph/source/safety-reply" in on_server

    # The manifest lists exactly what the last push wrote.
    sw = SPARQLWrapper(oxigraph + "/query")
    sw.setQuery(
        f"SELECT ?g WHERE {{ GRAPH <{manifest}> {{ <{manifest}> "
        "<http://purl.org/dc/terms/hasPart> ?g } }"
    )
    sw.setReturnFormat(JSON)
    listed = {b["g"]["value"] for b in sw.query().convert()["results"]["bindings"]}
    assert listed == {g for g in expected if g != gone}

    # Push the full corpus back, for the query tests below.
    push(first, store, manifest=manifest)
    assert gone in _graphs(oxigraph)


def _normal(term):
    if isinstance(term, Literal) and term.datatype in (XSD.integer, XSD.nonNegativeInteger):
        return ("integer", int(term))
    return term


@pytest.mark.parametrize("name", sorted(canned_queries()))
def test_query_endpoint_gives_the_local_answers(oxigraph, name):
    local = build(DEBATE, None).dataset
    push(local, f"{oxigraph}/store", manifest=str(manifest_iri(BASE)))
    remote = query(f"{oxigraph}/query", name)
    here = query(local, name)
    assert remote.vars == here.vars
    assert [tuple(map(_normal, r)) for r in remote] == [tuple(map(_normal, r)) for r in here]


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("claims-about-section", {"section": "SEC. 1(a)"}),
        ("organization-claims", {"organization": "SkyCo"}),
        ("positions", {"stance": "bg:SupportStance"}),
        ("claims-by-topic", {"topic": "Safety"}),
        ("claim-provenance", {"claim": BASE + "claim/coalition-letter/opposes-ab7"}),
    ],
)
def test_parameters_on_an_endpoint_give_the_local_answers(oxigraph, name, params):
    local = build(DEBATE, None).dataset
    remote = query(f"{oxigraph}/query", name, params)
    assert len(remote) > 0
    assert [tuple(map(_normal, r)) for r in remote] == [
        tuple(map(_normal, r)) for r in query(local, name, params)
    ]


def test_query_command_on_an_endpoint(oxigraph):
    result = CliRunner().invoke(
        main, ["query", "contested-sections", "--endpoint", f"{oxigraph}/query", "-f", "csv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("citation,attackingClaims,organizations")
    assert lines[1].startswith("SEC. 1(a),2,2")


def test_an_unreachable_endpoint_is_reported_plainly(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(main, ["query", "positions", "--endpoint", url + "/query"])
    assert result.exit_code == 1
    assert "could not reach" in result.output and "Traceback" not in result.output
    with pytest.raises(PushError, match="could not reach"):
        push(build(DEBATE, None).dataset, url + "/store", manifest=str(manifest_iri(BASE)))


# --- the SB 1047 graph on each server ---------------------------------------------------------

SB1047_MANIFEST = str(manifest_iri(SB1047_BASE))


@pytest.fixture(scope="module")
def oxigraph_sb1047(tmp_path_factory, sb1047_build):
    """An Oxigraph server holding the SB 1047 graph and nothing else."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-sb1047"))
    push(sb1047_build.dataset, server.store_url, manifest=SB1047_MANIFEST, **server.push_options)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def virtuoso_sb1047(tmp_path_factory, sb1047_build):
    """A Virtuoso server holding the SB 1047 graph, pushed as the README says (Digest, as a
    user with the SPARQL_UPDATE role, the graph named by graph-uri)."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-sb1047"))
    push(sb1047_build.dataset, server.store_url, manifest=SB1047_MANIFEST, **server.push_options)
    yield server
    server.stop()


@pytest.fixture(params=["oxigraph", "virtuoso"])
def sb1047_server(request):
    """Each server in turn, holding the SB 1047 graph."""
    return request.getfixturevalue(f"{request.param}_sb1047")


#: The questions about what changed between versions: SB 1047's corpus holds one version's
#: tree, so they are asked of a corpus with every version of SB 53 (tests/conftest.py).
VERSION_QUESTIONS = ("claims-before-amendment", "most-changed-parts", "part-changes")
#: The questions only several debates answer: asked of SB 1047 and SB 53 built together.
CROSS_QUESTIONS = ACROSS_DEBATES
SB53_MANIFEST = str(manifest_iri("https://w3id.org/billgraph/corpus/sb53/"))


@pytest.fixture(scope="module")
def oxigraph_sb53(tmp_path_factory, sb53_versions_build):
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-sb53"))
    push(sb53_versions_build.dataset, server.store_url, manifest=SB53_MANIFEST,
         **server.push_options)  # fmt: skip
    yield server
    server.stop()


@pytest.fixture(scope="module")
def virtuoso_sb53(tmp_path_factory, sb53_versions_build):
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-sb53"))
    push(sb53_versions_build.dataset, server.store_url, manifest=SB53_MANIFEST,
         **server.push_options)  # fmt: skip
    yield server
    server.stop()


@pytest.fixture(params=["oxigraph", "virtuoso"])
def sb53_server(request):
    """Each server in turn, holding the SB 53 graph with every version."""
    return request.getfixturevalue(f"{request.param}_sb53")


def _our_graphs(dataset) -> dict[str, int]:
    return {
        str(g.identifier): len(g)
        for g in dataset.graphs()
        if len(g) and str(g.identifier).startswith(SB1047_BASE + "graph/")
    }


def test_push_as_the_readme_says_writes_every_graph_and_replaces_the_last_push(
    sb1047_server, sb1047_build
):
    server = sb1047_server
    expected = _our_graphs(sb1047_build.dataset)
    result = CliRunner().invoke(
        main,
        ["push", "--corpus", str(DEFAULT_CORPUS), *server.cli_options()],
        env={"BILL_GRAPH_PASSWORD": server.push_options.get("password", "")},
    )
    assert result.exit_code == 0, result.output
    assert f"Pushed {len(expected)} graphs" in result.output
    on_server = _graph_sizes(server.query_url)
    assert {g: n for g, n in on_server.items() if g in expected} == expected
    assert SB1047_MANIFEST in on_server

    # One source document's graph gone from the corpus: the next push removes it, and only it.
    gone = min(g for g in expected if "/graph/source/" in g)
    smaller = to_store(sb1047_build.dataset)
    smaller.remove_graph(ox.NamedNode(gone))
    try:
        report = push(smaller, server.store_url, manifest=SB1047_MANIFEST, **server.push_options)
        assert report.removed == [gone]
        on_server = _graph_sizes(server.query_url)
        assert gone not in on_server
        assert {g for g in expected if g != gone} <= set(on_server)
    finally:
        push(
            sb1047_build.dataset,
            server.store_url,
            manifest=SB1047_MANIFEST,
            **server.push_options,
        )
    assert _graph_sizes(server.query_url)[gone] == expected[gone]


_NUMBERS = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.decimal,
    XSD.double,
    XSD.float,
}


def _value(term):
    """A term as a reader compares it: a number by its value (Virtuoso may type a count
    differently), a boolean as true or false, anything else as it is."""
    if isinstance(term, Literal) and term.datatype in _NUMBERS:
        return ("number", term.toPython())
    if isinstance(term, Literal) and term.datatype == XSD.boolean:
        return ("boolean", term.toPython())
    return term


def _answers(result) -> Counter:
    """The rows of a result, order aside (a row counts as often as it comes)."""
    return Counter(tuple(_value(term) for term in row) for row in result)


def _assert_same_answers(there, here, where: str) -> None:
    assert there.vars == here.vars, where
    ours, theirs = _answers(here), _answers(there)
    only_here = list((ours - theirs).elements())[:3]
    only_there = list((theirs - ours).elements())[:3]
    assert ours == theirs, (
        f"{where}: {len(here)} rows here, {len(there)} there; "
        f"only here: {only_here}; only there: {only_there}"
    )


@pytest.mark.parametrize(
    "name", sorted(set(canned_queries()) - set(VERSION_QUESTIONS) - set(CROSS_QUESTIONS))
)
def test_every_canned_question_gives_the_local_answers_on_each_server(
    sb1047_server, sb1047_build, name
):
    here = query(sb1047_build.dataset, name)
    assert len(here) > 0, f"{name} has no answer for SB 1047 to compare"
    there = query(sb1047_server.query_url, name)
    _assert_same_answers(there, here, f"{name} on {sb1047_server.kind}")


@pytest.fixture(scope="module")
def sb53_spring(tmp_path_factory):
    """SB 53 as the Senate amended it in spring 2025 (its first four versions), and a letter
    of April about a section the May amendment changed: small enough for rdflib's engine,
    which takes half a minute on all ten versions."""
    folder = tmp_path_factory.mktemp("spring-versions")
    for f in sorted((SHARED_DATA / "sb53" / "versions").iterdir())[:4]:
        shutil.copy(f, folder)
    corpus = tmp_path_factory.mktemp("sb53-spring")
    (corpus / "sources").mkdir()
    (corpus / "corpus.yaml").write_text("name: sb53\ntitle: SB 53 in spring\n", encoding="utf-8")
    (corpus / "organizations.yaml").write_text(
        "organizations:\n  - {id: acme, name: Acme, kind: company, source: https://acme.example/}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["import-bill", str(folder), "-o", str(corpus / "bills" / "sb53.yaml")]
    )
    assert result.exit_code == 0, result.output
    write_letter(
        corpus,
        "acme-letter",
        "2025-04-01",
        "  - {id: process, statement: The internal process is vague., paraphrase: true,\n"
        "     where: p. 1, sections: ['1107.1']}\n",
    )
    return build(corpus, tmp_path_factory.mktemp("sb53-spring-out"))


@pytest.mark.parametrize("name", sorted(set(canned_queries()) - set(CROSS_QUESTIONS)))
def test_every_canned_question_gives_the_same_answers_with_rdflib(sb1047_build, sb53_spring, name):
    built = sb53_spring if name in VERSION_QUESTIONS else sb1047_build
    here = query(built.dataset, name)
    assert len(here) > 0, f"{name} has no answer to compare"
    _assert_same_answers(query(built.dataset, name, engine="rdflib"), here, name)


#: A value in the SB 53 corpus for each parameter of the questions on versions.
SB53_PARAMETERS = [
    ("claims-before-amendment", {"section": "22757.11(c)(1)"}),
    ("part-changes", {"section": "22757.12", "toVersion": "amended-assembly-2025-09-05"}),
]


@pytest.mark.parametrize("name", VERSION_QUESTIONS)
def test_the_questions_on_versions_give_the_local_answers_on_each_server(
    sb53_server, sb53_versions_build, name
):
    here = query(sb53_versions_build.dataset, name)
    assert len(here) > 0, f"{name} has no answer for SB 53 to compare"
    _assert_same_answers(query(sb53_server.query_url, name), here, f"{name} on {sb53_server.kind}")


@pytest.mark.parametrize(("name", "params"), SB53_PARAMETERS)
def test_version_parameters_give_the_local_answers_on_each_server(
    sb53_server, sb53_versions_build, name, params
):
    here = query(sb53_versions_build.dataset, name, params)
    assert len(here) > 0
    there = query(sb53_server.query_url, name, params)
    _assert_same_answers(there, here, f"{name} {params} on {sb53_server.kind}")


# --- the two debates together on each server ------------------------------------------------

SB53_BASE = "https://w3id.org/billgraph/corpus/sb53/"
#: One made-up position, so that switched-sides has an answer to compare: Chamber of Progress,
#: which opposed SB 1047, recorded as supporting SB 53 (the corpus records no such thing).
MADE_UP = f"""
@prefix bg: <https://w3id.org/billgraph/ontology#> .
<urn:test:made-up> {{
  <urn:test:made-up/position> a bg:Position ;
    bg:positionOf <{SB53_BASE}org/chamber-of-progress> ;
    bg:stance bg:SupportStance ;
    bg:recordedIn <{SB53_BASE}source/2025-09-11-assembly-floor-on-09-05-text> ;
    bg:onBill <{SB53_BASE}bill/sb53> .
}}
"""


@pytest.fixture(scope="module")
def joint(tmp_path_factory):
    """SB 1047 and SB 53 built together (the joint TriG the build writes), with MADE_UP."""
    from graph.emit import dataset_of
    from graph.pipeline.together import build_together

    together = build_together([DEFAULT_CORPUS, ROOT / "corpus" / "sb53"],
                              tmp_path_factory.mktemp("both"))  # fmt: skip
    trig = together.files["trig"].read_bytes() + MADE_UP.encode()
    return dataset_of(ox.parse(trig, format=ox.RdfFormat.TRIG))


@pytest.fixture(scope="module")
def oxigraph_joint(tmp_path_factory, joint):
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-joint"))
    push(joint, server.store_url, manifest="urn:test:joint", **server.push_options)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def virtuoso_joint(tmp_path_factory, joint):
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-joint"))
    push(joint, server.store_url, manifest="urn:test:joint", **server.push_options)
    yield server
    server.stop()


@pytest.fixture(params=["oxigraph", "virtuoso"])
def joint_server(request):
    """Each server in turn, holding the two debates together."""
    return request.getfixturevalue(f"{request.param}_joint")


@pytest.mark.parametrize("name", CROSS_QUESTIONS)
def test_the_questions_across_debates_give_the_local_answers(joint_server, joint, name):
    here = query(joint, name)
    assert len(here) > 0, f"{name} has no answer to compare"
    # (Not on rdflib's engine: its joins of these took more than 16 GB on the two debates.)
    _assert_same_answers(
        query(joint_server.query_url, name), here, f"{name} on {joint_server.kind}"
    )


#: A value in the two debates for each parameter of the questions across them.
JOINT_PARAMETERS = [
    ("both-bills", {"organization": "Chamber of Progress"}),
    ("dropped-provisions", {"bill": f"<{SB1047_BASE}bill/sb1047>"}),
    ("recurring-objections",
     {"organization": "Chamber of Progress", "topic": "Innovation"}),
    ("switched-sides", {"organization": "Chamber of Progress"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "params"), JOINT_PARAMETERS)
def test_parameters_across_debates_give_the_local_answers(joint_server, joint, name, params):
    here = query(joint, name, params)
    assert len(here) > 0
    there = query(joint_server.query_url, name, params)
    _assert_same_answers(there, here, f"{name} {params} on {joint_server.kind}")


#: A value in SB 1047 for each parameter of each canned question.
SB1047_PARAMETERS = [
    ("claim-provenance",
     {"claim": "claim/a16z-podcast-2024-06-06/developers-cannot-foresee-downstream-uses"}),
    ("claims-about-section", {"section": "22603"}),
    ("claims-by-topic", {"topic": "Open source"}),
    ("coalitions", {"coalition": "The AI Alliance"}),
    ("counterclaims",
     {"claim": "claim/a16z-podcast-2024-06-06/developers-liable-for-downstream-use"}),
    ("organization-claims", {"organization": "Anthropic"}),
    ("positions", {"stance": "bg:OpposeStance"}),
    ("position-changes", {"organization": "Anthropic"}),
    ("position-history", {"organization": "Anthropic"}),
    ("stance-matrix", {"organization": "Anthropic"}),
]  # fmt: skip


def test_the_parameter_cases_cover_every_parameter_of_every_question():
    cases = SB1047_PARAMETERS + SB53_PARAMETERS + JOINT_PARAMETERS
    covered = {(name, p) for name, params in cases for p in params}
    declared = {(q.name, p.name) for q in canned_queries().values() for p in q.parameters}
    assert covered == declared


@pytest.mark.parametrize(("name", "params"), SB1047_PARAMETERS)
def test_parameters_give_the_local_answers_on_each_server(
    sb1047_server, sb1047_build, name, params
):
    # Virtuoso ignored the VALUES clause that fixes a parameter when it trailed a pattern
    # with a BIND (every organization's claims came back): these cases keep it honest.
    params = {k: SB1047_BASE + v if v.startswith("claim/") else v for k, v in params.items()}
    here = query(sb1047_build.dataset, name, params)
    assert len(here) > 0
    there = query(sb1047_server.query_url, name, params)
    _assert_same_answers(there, here, f"{name} {params} on {sb1047_server.kind}")


def _refused_push(endpoint: str, *options: str, password: str = "") -> str:
    """The one line a refused push prints."""
    result = CliRunner().invoke(
        main,
        ["push", "--corpus", str(DEFAULT_CORPUS), "--endpoint", endpoint, *options],
        env={"BILL_GRAPH_PASSWORD": password},
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert not any(tag in lines[0].lower() for tag in ("<html", "<h1", "<xmp", "doctype", "</"))
    return lines[0]


def test_a_push_virtuoso_refuses_shows_its_message_in_one_line(virtuoso_sb1047):
    anonymous = virtuoso_sb1047.base_url + "/sparql-graph-crud"
    # What the server answers is an HTML page...
    request = urllib.request.Request(
        anonymous + "?graph-uri=urn:x",
        data=b"<urn:a> <urn:b> <urn:c> .",
        headers={"Content-Type": "text/turtle"},
        method="PUT",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
    assert refused.value.read().lstrip().startswith(b"<!DOCTYPE HTML")
    # ... and what the user reads is its message, on one line, with what to do.
    line = _refused_push(anonymous, "--graph-param", "graph-uri")
    assert "403 Forbidden: Error 42000 SQ110:SECURITY: Permission denied" in line
    assert "as a user with the SPARQL_UPDATE role" in line

    options = virtuoso_sb1047.cli_options()[2:]  # --graph-param graph-uri --user kg_writer
    line = _refused_push(virtuoso_sb1047.store_url, *options, password="not-the-password")
    assert "401" in line and "did not accept the password of --user kg_writer" in line

    line = _refused_push(virtuoso_sb1047.store_url, "--graph-param", "graph-uri")
    assert "401 Unauthorized" in line and "give --user and --password" in line


def test_a_push_to_a_path_that_is_not_the_graph_store_fails_and_says_so(oxigraph_sb1047):
    before = _graph_sizes(oxigraph_sb1047.query_url)
    line = _refused_push(oxigraph_sb1047.base_url + "/nothing")
    assert "404 Not Found: PUT /nothing is not supported by this server" in line
    assert "the server's Graph Store endpoint? Oxigraph's is /store" in line
    assert _graph_sizes(oxigraph_sb1047.query_url) == before
