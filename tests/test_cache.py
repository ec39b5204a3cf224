"""The build cache: a rebuild redoes only what changed and gives the bytes of a fresh build."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import InputError, build
from graph.pipeline.index import index_file
from graph.plumbing.cache import BuildCache

from .conftest import edit, outputs


def test_rebuild_after_an_edit_gives_the_bytes_of_a_fresh_build(
    minimal_corpus: Path, tmp_path: Path
):
    out = tmp_path / "out"
    first = outputs(build(minimal_corpus, out))
    edit(minimal_corpus / "sources" / "reply.yaml", "statement: ", "statement: Reworded, ")
    again = build(minimal_corpus, out)
    fresh = build(minimal_corpus, tmp_path / "fresh", use_cache=False)
    assert outputs(again) == outputs(fresh)
    assert outputs(again)["ttl"] != first["ttl"]
    assert b"Reworded, " in outputs(again)["ttl"]


def test_rebuild_reuses_what_did_not_change(minimal_corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    edit(minimal_corpus / "sources" / "reply.yaml", "statement: ", "statement: Reworded, ")
    cache = BuildCache.open(out, minimal_corpus)
    assert cache.files and cache.graphs
    # Without the index, the whole build runs (not a rebuild), with its cache.
    index_file(BuildCache.file_for(out, minimal_corpus)).unlink()
    result = build(minimal_corpus, out)
    assert result.declined == "no index of a build by this version of the tool"
    saved = BuildCache.open(out, minimal_corpus)
    # Every graph is in the new cache; only the edited source's has a new key.
    changed = {n for n in saved.graphs if saved.graphs[n][0] != cache.graphs.get(n, ("",))[0]}
    reply = [d for d in result.corpus.sources if d.id == "reply"][0]
    assert changed == {str(result.corpus.base) + f"graph/source/{reply.id}"}


def test_rebuild_still_checks_references_into_what_changed(minimal_corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    before = outputs(build(minimal_corpus, out))
    # The statement's claim that the reply answers is renamed: the reply, unchanged and
    # cached, now points at a claim that is not there.
    statement = minimal_corpus / "sources" / "statement.yaml"
    target = "registration-is-costly"  # the claim reply.yaml's fee-rebuts-cost rebuts
    edit(statement, f"id: {target}", f"id: {target}-renamed")
    with pytest.raises(InputError) as caught:
        build(minimal_corpus, out)
    assert any("reply.yaml" in p.file and target in p.message for p in caught.value.problems)
    assert {k: p.read_bytes() for k, p in _files(out).items()} == before


def _files(out: Path) -> dict[str, Path]:
    return {p.suffix.lstrip("."): p for p in out.iterdir() if p.is_file()}


def test_a_broken_or_foreign_cache_is_ignored(minimal_corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    expected = outputs(build(minimal_corpus, out))
    cache_file = BuildCache.file_for(out, minimal_corpus)
    cache_file.write_bytes(b"not a cache at all")
    assert outputs(build(minimal_corpus, out)) == expected
    cache_file.write_bytes(b"")
    assert outputs(build(minimal_corpus, out)) == expected


def test_cache_lives_in_the_output_folder_only(minimal_corpus: Path, tmp_path: Path):
    build(minimal_corpus, tmp_path / "out")
    assert BuildCache.file_for(tmp_path / "out", minimal_corpus).exists()
    assert not any(p.name == ".cache" for p in minimal_corpus.rglob("*"))
    build(minimal_corpus, None)  # no output folder, no cache
