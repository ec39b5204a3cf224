"""The store every command opens (graph.store): an RDF file indexed on disk once, current with
the file, and the last build of a corpus brought up to date."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph import DEFAULT_CORPUS
from graph.cli import main
from graph.errors import InputError
from graph.query import query
from graph.store import (
    corpus_store,
    current_index,
    file_store,
    index_dir,
    make_index,
    open_store,
    remember_build,
)

TURTLE = """@prefix bg: <https://w3id.org/billgraph/ontology#> .
<urn:claim:{n}> a bg:Claim ; bg:assertedIn <urn:doc:1> .
"""

CLAIMS = "SELECT ?c WHERE { ?c a bg:Claim } ORDER BY ?c"


def claims(store: ox.Store) -> list[str]:
    return [r["c"] for r in query(store, CLAIMS).records()]


def test_a_file_is_indexed_once_and_reopened(tmp_path: Path, user_cache: Path) -> None:
    f = tmp_path / "g.ttl"
    f.write_text(TURTLE.format(n=1), encoding="utf-8")
    assert current_index(f) is None
    assert claims(open_store(f)) == ["urn:claim:1"]
    folder = index_dir(f)
    # Not beside a build: the index goes to the user's cache, not beside the user's file.
    assert folder.is_relative_to(user_cache)
    assert list(tmp_path.iterdir()) == [f]
    made = (folder / "billgraph-index.json").stat().st_mtime_ns
    assert current_index(f) == folder
    assert claims(open_store(f)) == ["urn:claim:1"]
    assert (folder / "billgraph-index.json").stat().st_mtime_ns == made


def test_an_index_that_no_longer_matches_its_file_is_never_used(tmp_path: Path) -> None:
    f = tmp_path / "g.ttl"
    f.write_text(TURTLE.format(n=1), encoding="utf-8")
    open_store(f)
    # The same size, another claim: only the content tells them apart.
    f.write_text(TURTLE.format(n=2), encoding="utf-8")
    os.utime(f, ns=(1, 1))
    assert current_index(f) is None
    assert claims(open_store(f)) == ["urn:claim:2"]


def test_a_copy_or_a_touch_is_not_indexed_again(tmp_path: Path) -> None:
    f = tmp_path / "g.ttl"
    f.write_text(TURTLE.format(n=1), encoding="utf-8")
    open_store(f)
    store = index_dir(f) / "store"
    before = sorted(p.name for p in store.iterdir())
    os.utime(f, ns=(10**18, 10**18))
    assert current_index(f) == index_dir(f)
    assert sorted(p.name for p in store.iterdir()) == before


def test_a_file_that_does_not_parse_is_refused_at_its_line_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    f = tmp_path / "bad.ttl"
    f.write_text(TURTLE.format(n=1) + "<urn:x> <urn:p> .\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        open_store(f)
    (problem,) = err.value.problems
    assert problem.line == 3
    folder = index_dir(f)
    assert not folder.exists()
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}")]


def test_the_cli_says_what_is_wrong_without_a_traceback(tmp_path: Path) -> None:
    f = tmp_path / "bad.trig"
    f.write_text("<urn:g> { <urn:x> <urn:p> }\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", "votes", "--data", str(f)])
    assert result.exit_code != 0
    assert "bad.trig:1: column 27" in result.output
    assert "Traceback" not in result.output
    missing = CliRunner().invoke(main, ["query", "votes", "--data", str(tmp_path / "no.ttl")])
    assert missing.exit_code != 0 and "no such file" in missing.output


def test_a_build_keeps_its_files_index_in_its_own_cache(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(DEFAULT_CORPUS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    trig = out / "sb1047.trig"
    opened = file_store(trig)
    assert index_dir(trig) == out / ".cache" / "sb1047.trig.oxigraph"
    assert opened.folder == out / ".cache" / "sb1047.trig.oxigraph" / "store"
    local = ox.Store()
    local.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    assert len(opened.store) == len(local)
    assert set(opened.store.named_graphs()) == set(local.named_graphs())


def test_a_cache_folder_that_links_elsewhere_is_not_written_into(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    here = tmp_path / "here"
    here.mkdir()
    (here / ".cache").symlink_to(elsewhere)
    f = here / "g.ttl"
    f.write_text(TURTLE.format(n=1), encoding="utf-8")
    open_store(f)
    assert list(elsewhere.iterdir()) == []


def test_two_commands_indexing_one_file_end_with_one_whole_index(tmp_path: Path) -> None:
    f = tmp_path / "g.ttl"
    f.write_text(TURTLE.format(n=1), encoding="utf-8")
    make_index(f)
    make_index(f)  # the second replaces the first whole
    folder = index_dir(f)
    assert claims(ox.Store.read_only(str(folder / "store"))) == ["urn:claim:1"]
    assert [p.name for p in folder.parent.iterdir() if folder.name in p.name] == [folder.name]


def copy_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "sb1047"
    shutil.copytree(DEFAULT_CORPUS, corpus)
    return corpus


def test_a_corpus_is_asked_through_its_last_build_brought_up_to_date(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out)])
    assert built.exit_code == 0, built.output
    opened = corpus_store(corpus)
    assert opened.trig == out / "sb1047.trig"
    assert opened.title and opened.prefixes == {
        "sb1047": "https://w3id.org/billgraph/corpus/sb1047/"
    }
    ask = ["query", "SELECT ?t WHERE { ?d dcterms:title ?t } ORDER BY ?t", "--corpus", str(corpus)]
    titles = CliRunner().invoke(main, [*ask, "-f", "csv"])
    assert titles.exit_code == 0, titles.output
    # An edit to the corpus is in the next answer: the build is brought up to date first.
    source = sorted((corpus / "sources").glob("*.yaml"))[0]
    text = source.read_text(encoding="utf-8")
    first_title = next(line for line in text.splitlines() if line.startswith("title:"))
    source.write_text(text.replace(first_title, "title: A title no one wrote"), encoding="utf-8")
    again = CliRunner().invoke(main, [*ask, "-f", "csv"])
    assert again.exit_code == 0, again.output
    assert "A title no one wrote" in again.output
    assert "A title no one wrote" not in titles.output
    assert "A title no one wrote" in (out / "sb1047.trig").read_text(encoding="utf-8")


def test_a_corpus_never_built_is_built_into_the_cache(tmp_path: Path, user_cache: Path) -> None:
    corpus = copy_corpus(tmp_path)
    opened = corpus_store(corpus)
    assert opened.trig.is_relative_to(user_cache / "builds")
    assert len(opened.store) > 1000
    builds = json.loads((user_cache / "builds.json").read_text(encoding="utf-8"))
    assert builds[str(corpus.resolve())] == str(opened.trig.parent)


def test_a_corpus_with_problems_opens_nothing(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    out = tmp_path / "out"
    remember_build(corpus, out)
    (corpus / "sources" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", "votes", "--corpus", str(corpus)])
    assert result.exit_code != 0
    assert "broken.yaml" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_an_incremental_rebuild_keeps_the_store_in_step(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(corpus), "-o", str(out)]).exit_code == 0
    trig = out / "sb1047.trig"
    store_dir = open_store(trig) and index_dir(trig) / "store"
    made = store_dir.stat().st_ino
    source = sorted((corpus / "sources").glob("*.yaml"))[0]
    text = source.read_text(encoding="utf-8")
    first_title = next(line for line in text.splitlines() if line.startswith("title:"))
    source.write_text(text.replace(first_title, "title: A title no one wrote"), encoding="utf-8")
    rebuilt = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out)])
    assert "rebuilt 1 changed source document" in rebuilt.output
    # The store was changed where it stands, not indexed again, and holds what the file holds.
    assert current_index(trig) == index_dir(trig)
    assert store_dir.stat().st_ino == made
    local = ox.Store()
    local.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    on_disk = ox.Store.read_only(str(store_dir))
    assert set(on_disk.quads_for_pattern(None, None, None, None)) == set(
        local.quads_for_pattern(None, None, None, None)
    )


def test_build_index_leaves_the_store_the_commands_open(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out), "--index"])
    assert built.exit_code == 0, built.output
    trig = out / "sb1047.trig"
    assert current_index(trig) == index_dir(trig)
    assert f"Store: {index_dir(trig) / 'store'}" in built.output
    # The first question opens that store: nothing is indexed on the way to the answer.
    made = (index_dir(trig) / "store").stat().st_ino
    asked = CliRunner().invoke(main, ["query", "votes", "--data", str(trig)])
    assert asked.exit_code == 0, asked.output
    assert (index_dir(trig) / "store").stat().st_ino == made
