"""The scale benchmark at a tiny size, so that the generator and the harness cannot rot.

Nothing here is about speed (figures belong in bench/README.md); these tests check that the
synthetic corpus is a valid corpus of the shape asked for, and that the benchmark runs every
stage and reports every target.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from graph import build, load_corpus

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402  (bench/ is scripts, not a package)
import run  # noqa: E402

SCALE = 0.004  # 8 bills, 80 documents, 20 organizations


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("synthetic") / "corpus"
    return folder, generate.generate(folder, scale=SCALE)


def test_generated_corpus_loads_with_the_counts_the_generator_reports(synthetic):
    folder, counts = synthetic
    corpus = load_corpus(folder)
    assert len(corpus.bills) == counts["bills"]
    assert len(corpus.sources) == counts["source documents"]
    assert len(corpus.claims) == counts["claims"]
    assert len(corpus.organizations) == counts["organizations"]
    assert sum(len(b.sections) for b in corpus.bills) == counts["bill sections"]
    attacks = [r for r in corpus.relations if r.kind != "supports"]
    assert len(attacks) == counts["attacks"]


def test_generated_corpus_has_the_shape_of_a_session(synthetic):
    folder, _ = synthetic
    corpus = load_corpus(folder)
    # Attacks cross documents: the debate is between sources, not within one.
    attacks = [r for r in corpus.relations if r.kind != "supports"]
    assert attacks
    assert all(r.conclusion.split("/")[0] != r.source_id for r in attacks)
    # Quotes are checked against texts, and coalitions have members.
    assert any(cl.anchor is not None for cl in corpus.claims)
    assert any(cl.paraphrase for cl in corpus.claims)
    coalitions = {o.id for o in corpus.organizations if o.kind == "coalition"}
    assert {m.organization for m in corpus.memberships} <= coalitions
    votes = [e for b in corpus.bills for e in b.events if e.ayes is not None]
    assert votes and all(e.noes is not None for e in votes)


def test_same_seed_gives_the_same_files(tmp_path: Path, synthetic):
    folder, _ = synthetic
    generate.generate(tmp_path / "again", scale=SCALE)
    first = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    again = tmp_path / "again"
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_generated_corpus_builds(tmp_path: Path, synthetic):
    folder, counts = synthetic
    result = build(folder, tmp_path / "out")
    assert result.counts()["claims"] == counts["claims"]
    assert result.files["ttl"].stat().st_size > 0


def test_benchmark_reports_every_stage_and_target(tmp_path: Path):
    report = run.run(scale=SCALE, work=tmp_path / "work", limit=120)
    stages = [r["stage"] for r in report["rows"]]
    build_path = (
        "load and check",
        "emit RDF",
        "write TriG",
        "write Turtle",
        "load the store (Oxigraph)",
        "validate (SHACL)",
        "HTML map of the build",
    )
    for stage in (
        *build_path,
        "NetworkX view",
        "HTML of a focused view",
        "rdflib graph (for rdflib's engine)",
        "full build",
        "floor: pyoxigraph parse",
        "floor: pyoxigraph serialise",
        *(stage for stage, _ in run.EDITS),
        "draw focused view (Chromium)",
        "analyze (command)",
    ):
        assert stage in stages, stage
    rows = {r["stage"]: r for r in report["rows"]}
    for stage in (
        *build_path,
        "full build",
        *(stage for stage, _ in run.EDITS),
        "analyze (command)",
    ):
        assert rows[stage]["status"] == "ok", rows[stage]
    assert rows["analyze (command)"]["note"].startswith("every section present")
    for row in report["rows"]:
        assert row["status"] in ("ok", "not available", "timed out", "failed"), row
    ok = [r for r in report["rows"] if r["status"] == "ok"]
    assert all(r["seconds"] >= 0 and r["peak_mb"] > 0 for r in ok)
    named = {t["target"] for t in report["targets"]}
    assert {"full build / floor", "full build peak memory"} <= named
    assert {f"{stage} / full build" for stage, _ in run.EDITS} <= named
    assert "analyze (command; issue 19)" in named
    # Printed as a table and written as JSON, with the same rows.
    text = run.render(report)
    for stage in stages:
        assert stage in text
    assert "target (issue 9)" in text
    assert json.loads(json.dumps(report))["rows"] == report["rows"]


def test_canned_queries_give_the_same_answers_on_both_engines(tmp_path: Path, synthetic):
    if not run.canned_queries():
        pytest.skip("no canned queries in graph/queries yet")
    folder, _ = synthetic
    result = build(folder, None)
    import pyoxigraph as ox

    from graph import to_turtle

    store = run._ox_store(ox, to_turtle(result.graph))
    for name, text in run.canned_queries():
        try:
            theirs = run._rdflib_rows(result.graph, text)
        except TypeError:
            continue  # rdflib cannot ORDER BY an unbound value; the benchmark reports it
        assert run._ox_rows(ox, store, text) == theirs, name
