"""The build cache: a rebuild redoes only what changed and gives the bytes of a fresh build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import InputError, build
from graph.cache import BuildCache

from .conftest import FIXTURES

MINIMAL = FIXTURES / "corpora" / "minimal"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the minimal corpus that a test may edit."""
    folder = tmp_path / "corpus"
    shutil.copytree(MINIMAL, folder)
    return folder


def _outputs(result) -> dict[str, bytes]:
    return {kind: path.read_bytes() for kind, path in result.files.items()}


def _reword(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_rebuild_after_an_edit_gives_the_bytes_of_a_fresh_build(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    first = _outputs(build(corpus, out))
    _reword(corpus / "sources" / "reply.yaml", "statement: ", "statement: Reworded, ")
    again = build(corpus, out)
    fresh = build(corpus, tmp_path / "fresh", use_cache=False)
    assert _outputs(again) == _outputs(fresh)
    assert _outputs(again)["ttl"] != first["ttl"]
    assert b"Reworded, " in _outputs(again)["ttl"]


def test_rebuild_reuses_what_did_not_change(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(corpus, out)
    _reword(corpus / "sources" / "reply.yaml", "statement: ", "statement: Reworded, ")
    cache = BuildCache.open(out, corpus)
    assert cache.files and cache.graphs
    result = build(corpus, out)
    saved = BuildCache.open(out, corpus)
    # Every graph is in the new cache; only the edited source's has a new key.
    changed = {n for n in saved.graphs if saved.graphs[n][0] != cache.graphs.get(n, ("",))[0]}
    reply = [d for d in result.corpus.sources if d.id == "reply"][0]
    assert changed == {str(result.corpus.base) + f"graph/source/{reply.id}"}


def test_rebuild_still_checks_references_into_what_changed(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    before = _outputs(build(corpus, out))
    # The statement's claim that the reply answers is renamed: the reply, unchanged and
    # cached, now points at a claim that is not there.
    statement = corpus / "sources" / "statement.yaml"
    target = "registration-is-costly"  # the claim reply.yaml's fee-rebuts-cost rebuts
    _reword(statement, f"id: {target}", f"id: {target}-renamed")
    with pytest.raises(InputError) as caught:
        build(corpus, out)
    assert any("reply.yaml" in p.file and target in p.message for p in caught.value.problems)
    assert {k: p.read_bytes() for k, p in _files(out).items()} == before


def _files(out: Path) -> dict[str, Path]:
    return {p.suffix.lstrip("."): p for p in out.iterdir() if p.is_file()}


def test_a_broken_or_foreign_cache_is_ignored(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    expected = _outputs(build(corpus, out))
    cache_file = BuildCache.file_for(out, corpus)
    cache_file.write_bytes(b"not a cache at all")
    assert _outputs(build(corpus, out)) == expected
    cache_file.write_bytes(b"")
    assert _outputs(build(corpus, out)) == expected


def test_cache_lives_in_the_output_folder_only(corpus: Path, tmp_path: Path):
    build(corpus, tmp_path / "out")
    assert BuildCache.file_for(tmp_path / "out", corpus).exists()
    assert not any(p.name == ".cache" for p in corpus.rglob("*"))
    build(corpus, None)  # no output folder, no cache
