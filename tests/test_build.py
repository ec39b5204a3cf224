"""Building a corpus end to end: the files a user gets, byte for byte, and nothing on failure."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from graph import DEFAULT_CORPUS, InputError, build
from graph.cli import main
from graph.emit import emit_graphs, trig_of, turtle_of

from .conftest import FIXTURES

MINIMAL = FIXTURES / "corpora" / "minimal"


def test_build_writes_turtle_trig_and_html(sb1047_build):
    files = sb1047_build.files
    assert set(files) == {"ttl", "trig", "html"}
    for path in files.values():
        assert path.stat().st_size > 0
    assert files["ttl"].name == "sb1047.ttl"


def test_same_corpus_gives_byte_identical_files(tmp_path: Path):
    first = build(DEFAULT_CORPUS, tmp_path / "a").files
    second = build(DEFAULT_CORPUS, tmp_path / "b").files
    for kind in ("ttl", "trig", "html"):
        assert first[kind].read_bytes() == second[kind].read_bytes(), kind


def _oxigraph_to_rdflib(quads) -> Graph:
    """Triples parsed by pyoxigraph, re-expressed as an rdflib graph for comparison."""
    g = Graph()
    lines = []
    for q in quads:
        lines.append(f"{q.subject} {q.predicate} {q.object} .")
    g.parse(data="\n".join(lines), format="nt")
    return g


def test_turtle_parses_in_pyoxigraph_to_the_same_graph(sb1047_build):
    turtle = sb1047_build.files["ttl"]
    ours = Graph().parse(turtle)
    theirs = _oxigraph_to_rdflib(ox.parse(path=str(turtle), format=ox.RdfFormat.TURTLE))
    assert len(theirs) == len(sb1047_build.graph)
    assert isomorphic(ours, theirs)
    assert isomorphic(theirs, sb1047_build.graph)


def test_trig_has_one_named_graph_per_source_document(sb1047_build):
    store = ox.Store()
    store.load(path=str(sb1047_build.files["trig"]), format=ox.RdfFormat.TRIG)
    graphs = {str(g.value) for g in store.named_graphs()}
    for source in sb1047_build.corpus.sources:
        assert f"{sb1047_build.corpus.base}graph/source/{source.id}" in graphs
    assert len(store) == len(sb1047_build.graph)
    ds = Dataset()
    ds.parse(sb1047_build.files["trig"], format="trig")
    assert sum(len(g) for g in ds.graphs()) == len(sb1047_build.graph)


def test_counts_in_the_summary_match_the_map():
    result = build(MINIMAL, None)
    counts = result.counts()
    assert counts["claims"] == 5
    assert counts["supports"] == 1
    assert counts["attacks"] == 2
    assert counts["organizations"] == 3
    assert counts["memberships"] == 1
    assert counts["bill sections"] == 2
    assert counts["legislative events"] == 2


def test_broken_corpus_writes_nothing_and_keeps_old_output(tmp_path: Path):
    out = tmp_path / "out"
    build(MINIMAL, out)
    before = {str(p): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(InputError):
        build(FIXTURES / "corpora" / "quote-not-in-text", out)
    after = {str(p): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # no new files, no temporary files, nothing half-written


def test_cli_build_prints_summary_and_where_files_went(tmp_path: Path):
    result = CliRunner().invoke(main, ["build", str(MINIMAL), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert re.search(r"claims\s+5", result.output)
    assert str(tmp_path / "minimal.ttl") in result.output


def test_cli_reports_problems_without_traceback_and_exits_1(tmp_path: Path):
    out = tmp_path / "out"
    bad = FIXTURES / "corpora" / "unknown-topic"
    result = CliRunner().invoke(main, ["build", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert "unknown topic 'safty'; did you mean 'safety'?" in result.output
    assert "Traceback" not in result.output
    assert "nothing was written" in result.output
    assert not out.exists()


def test_html_map_loads_nothing_from_the_network(sb1047_build):
    page = sb1047_build.files["html"].read_text(encoding="utf-8")
    external = re.findall(r"""(?:src|href)\s*=\s*["']?(https?:)?//""", page)
    assert external == []
    assert "vis.Network" in page or "vis-network" in page


def test_any_text_survives_the_turtle_and_trig_we_write(tmp_path: Path):
    """Quotes, backslashes, line breaks, tabs and non-ASCII come back as they were written."""
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(MINIMAL, corpus)
    tricky = 'He said "no" \\ then:\n\tline two, café, 法案, 🗳️, \r end'
    reply = corpus / "sources" / "reply.yaml"
    text = reply.read_text("utf-8")
    old = "statement: The registration fee is small next to a maker's revenue."
    assert old in text
    escaped = tricky.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    reply.write_text(
        text.replace(old, 'statement: "' + escaped.replace("\t", "\\t").replace("\r", "\\r") + '"'),
        "utf-8",
    )
    result = build(corpus, tmp_path / "out")
    claim = next(c for c in result.corpus.claims if c.id == "fee-is-small")
    assert claim.statement == tricky
    for kind, fmt in (("ttl", ox.RdfFormat.TURTLE), ("trig", ox.RdfFormat.TRIG)):
        path = result.files[kind]
        values = {q.object.value for q in ox.parse(path=str(path), format=fmt)}
        assert tricky in values, kind
    rdflib_values = {str(o) for o in Graph().parse(result.files["ttl"]).objects()}
    assert tricky in rdflib_values
    assert isomorphic(Graph().parse(result.files["ttl"]), result.graph)
    # The build makes its Turtle from its TriG: the emitter's own Turtle, byte for byte.
    assert result.files["ttl"].read_text("utf-8") == turtle_of(emit_graphs(result.corpus))


def test_turtle_and_trig_are_the_emitters_own(sb1047_build):
    graphs = emit_graphs(sb1047_build.corpus)
    assert sb1047_build.files["ttl"].read_text("utf-8") == turtle_of(graphs)
    assert sb1047_build.files["trig"].read_text("utf-8") == trig_of(graphs)
