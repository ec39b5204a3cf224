"""The build on two cores gives what it gives on one: the same files, the same errors."""

from __future__ import annotations

import gc
import os
import signal
from pathlib import Path

import pytest

import graph.plumbing.parallel
from graph import DEFAULT_CORPUS, InputError, build, load_corpus
from graph.plumbing.cache import BuildCache
from graph.plumbing.parallel import Child, can_fork, halves

from .conftest import FIXTURES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send even a small corpus to the forked worker, as a large one is."""
    assert can_fork(), "the tests run in one thread on two cores or more"
    monkeypatch.setattr(graph.plumbing.parallel, "MIN_ITEMS", 1)


@pytest.fixture
def one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph.plumbing.parallel, "MIN_ITEMS", 10**9)


def _files(result) -> dict[str, bytes]:
    return {kind: path.read_bytes() for kind, path in result.files.items()}


def test_halves_gives_every_item_once_in_two_parts(two_cores):
    parts = halves(lambda items: [x * x for x in items], list(range(9)))
    assert len(parts) == 2
    assert sorted(x for part in parts for x in part) == [x * x for x in range(9)]


def test_a_failure_in_the_child_is_raised_here(two_cores):
    def work(items):
        raise ValueError(f"cannot read {items[0]}")

    with pytest.raises((RuntimeError, ValueError), match="cannot read"):
        halves(work, ["a.yaml", "b.yaml"])


def test_child_streams_bytes_while_this_process_reads_them():
    def work(stream):
        for i in range(1000):
            stream.write(f"line {i}\n".encode())  # far more than a pipe holds
        return "done"

    child = Child(work)
    with os.fdopen(child.stream, "rb", closefd=False) as stream:
        lines = stream.read().decode().splitlines()
    assert child.result() == "done"
    assert lines[0] == "line 0" and lines[-1] == "line 999" and len(lines) == 1000


def test_sb1047_built_on_two_cores_is_byte_identical_to_one(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(graph.plumbing.parallel, "MIN_ITEMS", 10**9)
    alone = build(DEFAULT_CORPUS, tmp_path / "one")
    monkeypatch.setattr(graph.plumbing.parallel, "MIN_ITEMS", 1)
    assert can_fork()
    shared = build(DEFAULT_CORPUS, tmp_path / "two")
    assert _files(shared) == _files(alone)
    assert len(shared.store) == len(alone.store)
    assert shared.counts() == alone.counts()


def test_the_cache_made_on_two_cores_serves_a_rebuild(tmp_path: Path, two_cores):
    first = build(DEFAULT_CORPUS, tmp_path / "out")
    again = build(DEFAULT_CORPUS, tmp_path / "out")
    assert _files(again) == _files(first)
    cache = BuildCache.open(tmp_path / "out", DEFAULT_CORPUS)
    assert len(cache.graphs) == len(first.corpus.sources) + len(first.corpus.bills) + 2


def test_corpus_read_on_two_cores_is_the_one_read_on_one(two_cores):
    shared = load_corpus(DEFAULT_CORPUS, BuildCache())
    alone = load_corpus(DEFAULT_CORPUS)
    assert shared == alone


def test_a_graph_breaking_a_shape_on_two_cores_writes_nothing(
    tmp_path: Path, two_cores, stricter_shapes
):
    out = tmp_path / "out"
    with pytest.raises(InputError) as err:
        build(FIXTURES / "corpora" / "minimal", out)
    assert "[rule ClaimHasQuote]" in str(err.value)
    assert not out.exists()  # not even the folder, nor a temporary file in it


def test_a_yaml_error_found_on_two_cores_is_reported_at_its_line(tmp_path: Path, two_cores):
    with pytest.raises(InputError) as err:
        build(FIXTURES / "corpora" / "yaml-syntax-error", tmp_path / "out")
    (problem,) = err.value.problems
    assert problem.file.endswith(".yaml") and problem.line > 0
    assert "YAML syntax" in problem.message


def _children() -> set[str]:
    """This process's child processes, zombies too (Linux's /proc)."""
    tasks = Path("/proc/self/task")
    return {pid for t in tasks.iterdir() for pid in (t / "children").read_text().split()}


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_a_build_without_files_leaves_no_worker_process_or_pipe_behind(two_cores):
    children, fds = _children(), _open_fds()
    result = build(DEFAULT_CORPUS, None)  # a notebook's build: the store, no files
    assert _children() == children  # the worker was waited for, not left a zombie
    assert _open_fds() == fds
    assert len(result.store) == len(build(DEFAULT_CORPUS, None).store)


def test_ctrl_c_during_a_shared_stage_is_a_keyboard_interrupt(two_cores):
    def work(items):
        raise KeyboardInterrupt  # as both processes get it from the terminal

    with pytest.raises(KeyboardInterrupt):
        halves(work, ["a.yaml", "b.yaml"])


def test_a_failure_in_this_half_is_reported_rather_than_the_workers(two_cores):
    def work(items):
        raise ValueError(f"cannot read {items[0]}")

    with pytest.raises(ValueError, match="cannot read a.yaml"):
        halves(work, ["a.yaml", "b.yaml"])  # the worker has b.yaml, and fails too


def test_a_failure_in_the_worker_says_where_it_happened():
    def emit_a_broken_record(stream):
        raise ValueError("no IRI for record 'x'")

    child = Child(emit_a_broken_record)
    with pytest.raises(RuntimeError, match="worker process failed: ValueError: no IRI") as err:
        child.result()
    assert "emit_a_broken_record" in "\n".join(err.value.__notes__)  # its traceback


def test_a_worker_killed_is_reported_by_its_signal():
    child = Child(lambda stream: os.kill(os.getpid(), signal.SIGKILL))  # as out of memory
    with pytest.raises(RuntimeError, match="worker process was killed by SIGKILL"):
        child.result()


def test_a_failed_build_on_two_cores_turns_garbage_collection_back_on(
    tmp_path, two_cores, stricter_shapes
):
    for collecting in (True, False):
        (gc.enable if collecting else gc.disable)()
        try:
            with pytest.raises(InputError):
                build(FIXTURES / "corpora" / "minimal", tmp_path / "out")
            assert gc.isenabled() == collecting  # as the caller had it
        finally:
            gc.enable()


@pytest.mark.skipif(not hasattr(os, "waitid"), reason="needs waitid")
def test_giving_up_on_a_worker_that_was_interrupted_raises_nothing():
    def work(stream):
        raise KeyboardInterrupt

    child = Child(work)
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # it has answered, and ended
    child.stop()  # a failed build cleans up after this: it must not raise the worker's Ctrl-C
    with pytest.raises(RuntimeError, match="already waited for"):
        child.result()
