"""Building a corpus end to end: the files a user gets, byte for byte, and nothing on failure."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from graph import DEFAULT_CORPUS, InputError, build, load_corpus
from graph.cli import main
from graph.emit import emit_graphs, trig_of, turtle_of

from .conftest import FIXTURES, ROOT

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


# --- check finds what build finds (issue 15, item 5) ---------------------------------------

CORPORA = FIXTURES / "corpora"
#: The fixture corpora that are not broken: two that try what must be let be.
SOUND = {"minimal", "contested-bill", "byte-order-mark", "text-with-a-form-feed", "attack-cycles"}
BROKEN = sorted(
    [p for p in CORPORA.iterdir() if p.name not in SOUND]
    + [FIXTURES / "shapes" / "corpus-member-of-itself"]
)
REPOSITORY = FIXTURES.parent.parent

#: Runs the command line as ``build_graph.py`` does, once for each command given (a JSON
#: list of argument lists), in one process: its own output, and then a line saying how it
#: ended, on both streams. What a library prints (a warning, a traceback) is seen as a user
#: would see it.
_RUN_EACH = """
import json, sys, traceback
from graph.cli import main
for i, args in enumerate(json.loads(sys.argv[1])):
    try:
        main(args, prog_name="build_graph.py", standalone_mode=False)
        code = 0
    except SystemExit as exc:
        code = exc.code
    except BaseException:
        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        print(f"--- {i} exit {code}", file=stream, flush=True)
"""


def _run_each(commands: list[list[str]]) -> list[tuple[int, str, str]]:
    """Each command's exit status, standard output and standard error."""
    done = subprocess.run(
        [sys.executable, "-c", _RUN_EACH, json.dumps(commands)],
        capture_output=True,
        text=True,
        cwd=REPOSITORY,
        check=True,
    )
    outs = re.split(r"^--- \d+ exit (\d+)\n", done.stdout, flags=re.M)
    errs = re.split(r"^--- \d+ exit \d+\n", done.stderr, flags=re.M)
    assert len(outs) == 2 * len(commands) + 1 and outs[-1] == "", done.stdout
    assert len(errs) == len(commands) + 1 and errs[-1] == "", done.stderr
    return [(int(outs[2 * i + 1]), outs[2 * i], errs[i]) for i in range(len(commands))]


@pytest.fixture(scope="module")
def checked_and_built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """What ``check`` and ``build`` say of every fixture corpus, by corpus name."""
    out = tmp_path_factory.mktemp("built")
    corpora = [*BROKEN, *(CORPORA / name for name in sorted(SOUND))]
    commands = []
    for corpus in corpora:
        shown = str(corpus.relative_to(REPOSITORY))
        commands += [["check", shown], ["build", shown, "-o", str(out / corpus.name)]]
    runs = _run_each(commands)
    return {c.name: (runs[2 * i], runs[2 * i + 1], out / c.name) for i, c in enumerate(corpora)}


@pytest.mark.parametrize("corpus", BROKEN, ids=[p.name for p in BROKEN])
def test_check_finds_what_build_finds_in_the_words_of_the_loader(corpus: Path, checked_and_built):
    (check_code, check_out, check_err), (build_code, build_out, build_err), out = checked_and_built[
        corpus.name
    ]
    assert (check_code, build_code, check_out, build_out) == (1, 1, "", "")
    assert check_err == build_err  # the same problems, at the same lines
    with pytest.raises(InputError) as caught:
        load_corpus(corpus)
    n = len(caught.value.problems)
    assert build_err.splitlines() == [
        *(f"error: {p}" for p in _shown_from(REPOSITORY, caught.value.problems)),
        f"{n} problem{'s' if n != 1 else ''} found; nothing was written.",
    ]  # and nothing else: no traceback, no library's warning
    assert not out.exists()


@pytest.mark.parametrize("corpus", sorted(SOUND))
def test_a_sound_corpus_is_checked_and_built_in_silence(corpus: str, checked_and_built):
    (check_code, check_out, check_err), (build_code, build_out, build_err), out = checked_and_built[
        corpus
    ]
    assert (check_code, check_err, build_code, build_err) == (0, "", 0, "")
    assert check_out.endswith("no problems found.\n") and build_out.startswith("Built ")
    assert sorted(p.suffix for p in out.iterdir() if p.is_file()) == [".html", ".trig", ".ttl"]


def _shown_from(folder: Path, problems: list) -> list[str]:
    """The problems as the command line shows them when run from ``folder``."""
    prefix = f"{folder}/"
    return [str(p).removeprefix(prefix).replace(f" {prefix}", " ") for p in problems]


def test_a_control_character_of_a_text_is_escaped_in_the_turtle(tmp_path: Path):
    """A source's text may hold a form feed (between pages); the quote anchors around it
    carry it into the graph, written as an escape, and read back as it was."""
    result = build(CORPORA / "text-with-a-form-feed", tmp_path)
    for kind, fmt in (("ttl", ox.RdfFormat.TURTLE), ("trig", ox.RdfFormat.TRIG)):
        written = result.files[kind].read_bytes()
        assert b"\x0c" not in written and b'opposes AB 1.\\u000C"' in written
        values = {q.object.value for q in ox.parse(path=str(result.files[kind]), format=fmt)}
        assert "The Widget Guild opposes AB 1.\x0c" in values, kind
    prefixes = {str(o) for o in Graph().parse(result.files["ttl"]).objects()}
    assert "\x0cRegistration would cost every s" in prefixes


def test_the_command_with_no_subcommand_builds_sb1047(tmp_path, sb1047_build):
    """`python build_graph.py` does the obvious thing: the build the README's first command runs."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "build_graph.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert "Wrote:" in run.stdout
    ttl = tmp_path / "out" / "sb1047.ttl"
    assert ttl.read_bytes() == sb1047_build.files["ttl"].read_bytes()
    assert (tmp_path / "out" / "sb1047.html").is_file()
