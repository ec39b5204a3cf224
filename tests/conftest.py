"""Shared fixtures: the SB 1047 corpus built once per test session, and paths to test data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import graph.validate
from graph import DEFAULT_CORPUS, BuildResult, build
from graph.ontology import shapes_graph
from graph.shacl import compile_shapes

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: Real inputs no one on this project wrote (official bill text, AIF maps), beside the repo.
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """A cache folder of the session's own (graph.store keeps stores and builds there), so
    that the tests neither read nor fill the cache of the user who runs them."""
    with pytest.MonkeyPatch.context() as mp:
        folder = tmp_path_factory.mktemp("cache")
        mp.setenv("XDG_CACHE_HOME", str(folder))
        yield folder / "billgraph"


@pytest.fixture(scope="session")
def sb1047_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The SB 1047 corpus, built into a temporary folder (Turtle, TriG, HTML)."""
    return build(DEFAULT_CORPUS, tmp_path_factory.mktemp("sb1047-out"))


@pytest.fixture(scope="session")
def sb1047_corpus(sb1047_build: BuildResult):
    return sb1047_build.corpus


@pytest.fixture(scope="session")
def sb1047_graph(sb1047_build: BuildResult):
    """The union graph of the SB 1047 build (an rdflib Graph)."""
    return sb1047_build.graph


def write_letter(corpus: Path, doc_id: str, date: str, claims: str) -> None:
    """A test source document (a letter of a made-up organization) with claims about parts."""
    (corpus / "sources" / f"{doc_id}.yaml").write_text(
        f"id: {doc_id}\ntitle: A letter\nkind: letter\nauthors: [acme]\ndate: {date}\n"
        f"stance: oppose\nclaims:\n{claims}",
        encoding="utf-8",
    )


@pytest.fixture(scope="session")
def sb53_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus made as a user makes one: import-bill on SB 53's ten official versions, then a
    made-up letter whose claims cite parts (one in the version in print on its date, one in
    the version it names)."""
    from click.testing import CliRunner

    from graph.cli import main

    corpus = tmp_path_factory.mktemp("sb53")
    (corpus / "sources").mkdir()
    (corpus / "corpus.yaml").write_text("name: sb53\ntitle: SB 53\n", encoding="utf-8")
    (corpus / "organizations.yaml").write_text(
        "organizations:\n  - {id: acme, name: Acme, kind: company, source: https://acme.example/}\n",
        encoding="utf-8",
    )
    versions = SHARED_DATA / "sb53" / "versions"
    out = corpus / "bills" / "sb53.yaml"
    result = CliRunner().invoke(main, ["import-bill", str(versions), "-o", str(out)])
    assert result.exit_code == 0, result.output
    write_letter(
        corpus,
        "acme-letter",
        "2025-07-10",
        "  - {id: threshold, statement: The risk threshold is too low., paraphrase: true,\n"
        "     where: p. 1, sections: ['22757.11(b)']}\n"
        "  - {id: calcompute, statement: CalCompute belongs elsewhere., paraphrase: true,\n"
        "     where: p. 2, version: amended-senate-2025-05-23, sections: ['11547.6.1(a)']}\n",
    )
    return corpus


@pytest.fixture(scope="session")
def sb53_versions_build(sb53_versions: Path, tmp_path_factory: pytest.TempPathFactory):
    """That corpus, built."""
    return build(sb53_versions, tmp_path_factory.mktemp("sb53-out"))


@pytest.fixture
def minimal_corpus(tmp_path: Path) -> Path:
    """A copy of the minimal corpus (tests/fixtures/corpora/minimal) that a test may edit."""
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpora" / "minimal", folder)
    return folder


def outputs(result: BuildResult) -> dict[str, bytes]:
    """The bytes of each file a build wrote, by kind (ttl, trig, html)."""
    return {kind: path.read_bytes() for kind, path in result.files.items()}


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file with ``new``, as an author's edit."""
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def stricter_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds check their graphs against our shapes and one more rule, that every claim is
    quoted (tests/fixtures/stricter-shapes): the paraphrases of the minimal corpus break it.
    No corpus the loader lets through breaks our own shapes, so this is how a test sees what
    a build does with a graph that breaks one."""
    shapes = shapes_graph()
    shapes.parse(FIXTURES / "stricter-shapes" / "every-claim-quoted.ttl", format="turtle")
    checks = compile_shapes(shapes, "stricter shapes")
    monkeypatch.setattr(graph.validate, "shape_checks", lambda: checks)
