"""Several corpora built into one dataset: each as it builds alone, the whole beside them,
the links between them (same organization, same topic) kept, and nothing written when any
of them is wrong."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import DEFAULT_CORPUS, InputError, build
from graph.pipeline.together import build_together

from .conftest import FIXTURES, ROOT

MINIMAL = FIXTURES / "corpora" / "minimal"
SB1047_BASE = "https://w3id.org/billgraph/corpus/sb1047/"


@pytest.fixture
def second(tmp_path: Path) -> Path:
    """The minimal corpus, whose Safety League is SB 1047's Center for AI Safety and whose
    topic 'safety' is SB 1047's (declared, as a second debate's registry would)."""
    folder = tmp_path / "second"
    shutil.copytree(MINIMAL, folder)
    orgs = folder / "organizations.yaml"
    orgs.write_text(
        orgs.read_text().replace(
            "{id: safety-league, name: Safety League, kind: nonprofit, source: https://example.org/reply}",
            "{id: safety-league, name: Safety League, kind: nonprofit, source: https://example.org/reply,"
            f" same_as: ['{SB1047_BASE}org/center-for-ai-safety']}}",
        )
    )
    topics = folder / "topics.yaml"
    topics.write_text(
        topics.read_text().replace(
            "safer.}",
            f"safer., exact_match: ['{SB1047_BASE}topic/safety']}}",
        )
    )
    return folder


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file())


def test_each_corpus_builds_as_alone_and_the_whole_holds_both(tmp_path: Path, second: Path):
    together = build_together([DEFAULT_CORPUS, second], tmp_path / "out")
    alone = {
        "sb1047": build(DEFAULT_CORPUS, tmp_path / "a").files,
        "minimal": build(second, tmp_path / "b").files,
    }
    out = tmp_path / "out"
    assert _files(out) == sorted(
        f"{n}.{k}" for n in ("sb1047", "minimal", "sb1047+minimal") for k in ("ttl", "trig", "html")
    )
    for name, files in alone.items():
        for kind in ("ttl", "trig"):
            assert (out / f"{name}.{kind}").read_bytes() == files[kind].read_bytes(), (name, kind)
    each = []
    for name in ("sb1047", "minimal"):
        s = ox.Store()
        s.bulk_load(path=str(out / f"{name}.trig"), format=ox.RdfFormat.TRIG)
        each.append(set(s))
    whole = ox.Store()
    whole.bulk_load(path=str(together.files["trig"]), format=ox.RdfFormat.TRIG)
    assert set(whole) == each[0] | each[1]
    turtle = ox.parse(path=str(together.files["ttl"]), format=ox.RdfFormat.TURTLE)
    assert {q.triple for q in turtle} == {q.triple for q in whole}
    assert together.triples == len(whole)
    # The declared links between the debates are in the whole.
    league = ox.NamedNode("https://example.org/corpus/minimal/org/safety-league")
    same = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
    assert ox.NamedNode(f"{SB1047_BASE}org/center-for-ai-safety") in {
        q.object for q in whole.quads_for_pattern(league, same, None)
    }
    topic = ox.NamedNode("https://example.org/corpus/minimal/topic/safety")
    match = ox.NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")
    assert [q.object for q in whole.quads_for_pattern(topic, match, None)] == [
        ox.NamedNode(f"{SB1047_BASE}topic/safety")
    ]
    html = together.files["html"].read_text()
    assert "A minimal corpus" in html and "SB 1047" in html


def test_the_whole_is_the_same_bytes_every_time(tmp_path: Path, second: Path):
    a = build_together([DEFAULT_CORPUS, second], tmp_path / "a").files
    b = build_together([DEFAULT_CORPUS, second], tmp_path / "b", use_cache=False).files
    for kind in ("ttl", "trig", "html"):
        assert a[kind].read_bytes() == b[kind].read_bytes(), kind


def test_a_problem_in_any_corpus_writes_nothing_of_any(tmp_path: Path, second: Path):
    (second / "sources" / "reply.yaml").write_text(
        (second / "sources" / "reply.yaml").read_text().replace("safety-league", "safety-leag", 1)
    )
    out = tmp_path / "out"
    with pytest.raises(InputError) as e:
        build_together([DEFAULT_CORPUS, second], out)
    assert any("safety-leag" in p.message for p in e.value.problems)
    assert not out.exists() or _files(out) == []


def test_corpora_that_would_mix_are_refused_once_each(tmp_path: Path, second: Path):
    twin = tmp_path / "twin"
    shutil.copytree(second, twin)
    with pytest.raises(InputError) as e:
        build_together([second, twin, second], tmp_path / "out")
    messages = [(Path(p.file).parent.name, p.message.split(" as ")[0]) for p in e.value.problems]
    assert messages == [
        ("second", "this corpus has the same folder"),
        ("twin", "this corpus has the same base IRI"),
        ("twin", "this corpus has the same name"),
    ]
    assert not (tmp_path / "out").exists()


def test_the_command_builds_and_checks_several(tmp_path: Path, second: Path):
    run = [sys.executable, str(ROOT / "build_graph.py")]
    checked = subprocess.run(
        [*run, "check", str(DEFAULT_CORPUS), str(second)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines()[-1].startswith("minimal: 2 source documents")
    built = subprocess.run(
        [*run, "build", str(DEFAULT_CORPUS), str(second), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    assert f"html    {tmp_path / 'out' / 'sb1047+minimal.html'}" in built.stdout
    refused = subprocess.run(
        [*run, "build", str(second), str(second), "-o", str(tmp_path / "again")],
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "the same folder" in refused.stderr and not (tmp_path / "again").exists()
