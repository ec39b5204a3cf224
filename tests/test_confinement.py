"""A corpus folder is someone else's (graph/reading.py): it reads only regular files inside
it, or inside a folder the user names with --allow-dir, of --max-file-mb at most. Each
attempt to read anything else is one line at the place that names it, through ``build``
and ``check`` alike, in a whole build and a rebuild, and nothing is written; no message
shows what a file outside the corpus holds.

The hostile source documents are tests/fixtures/confinement/*.yaml, each named for what it
tries, copied into a copy of the minimal corpus as sources/leak.yaml; links and named pipes
are made here. A named pipe or /dev/zero used to hang the build or fill its memory, so those
run the command line in a child process, with a time limit and a memory limit.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import build
from graph.cli import main
from graph.errors import InputError
from graph.load import load_corpus
from graph.reading import Allowed, Refused, read_corpus_file

from .conftest import FIXTURES, ROOT

HOSTILE = FIXTURES / "confinement"
#: What the file outside the corpus holds that no message may show.
SECRET = "hunter2"
#: The line of ``text:`` in every fixture.
TEXT_LINE = 11
REFUSED_OUT = "resolves outside the corpus folder"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the minimal corpus, with tests/fixtures/confinement/outside/ beside it."""
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpora" / "minimal", folder)
    shutil.copytree(HOSTILE / "outside", tmp_path / "outside")
    return folder


def with_leak(corpus: Path, case: str) -> Path:
    """The corpus with the hostile source document ``case`` as sources/leak.yaml."""
    shutil.copy(HOSTILE / f"{case}.yaml", corpus / "sources" / "leak.yaml")
    return corpus


class Run:
    """What a command printed and how it ended."""

    def __init__(self, code: int, stdout: str, stderr: str, crashed: bool) -> None:
        self.code, self.stdout, self.stderr, self.crashed = code, stdout, stderr, crashed

    def problems(self) -> list[str]:
        """The problems it reported, having checked they are all it said: one line each, the
        count, no traceback, nothing of the secret."""
        assert self.code == 1, (self.code, self.stdout, self.stderr)
        assert not self.crashed and "Traceback" not in self.stderr, self.stderr
        assert SECRET not in self.stdout + self.stderr
        *lines, last = self.stderr.strip().splitlines()
        assert all(line.startswith("error: ") for line in lines), lines
        n = len(lines)
        assert last == f"{n} problem{'s' if n != 1 else ''} found; nothing was written."
        return [line.removeprefix("error: ") for line in lines]


def cli(*args: str | Path) -> Run:
    """The command line, in this process."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    return Run(result.exit_code, result.stdout, result.stderr, crashed)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def cli_process(*args: str | Path, cwd: Path) -> Run:
    """The command line in a child process that may take a minute and 2 GB, no more: what
    used to wait on a named pipe for ever, or read /dev/zero until memory ran out, fails
    the test instead of hanging it (with the build's own worker process, if it has one)."""
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "build_graph.py"), *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_limit_memory,
    )
    try:
        stdout, stderr = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail(f"{' '.join(map(str, args))} was still running after a minute")
    return Run(child.returncode, stdout, stderr, False)


def refused(run: Run, out: Path | None, *expected: tuple[str, str]) -> None:
    """``run`` reported exactly the problems ``expected`` (the end of the place, some words
    of the message), and wrote nothing to ``out``."""
    found = run.problems()
    assert len(found) == len(expected), found
    for problem, (where, words) in zip(sorted(found), sorted(expected), strict=True):
        assert f"{where}: " in problem and words in problem, (problem, where, words)
    if out is not None:
        assert not out.exists()


LEAK = f"sources/leak.yaml:{TEXT_LINE}"


# --- a text named outside the corpus ----------------------------------------------------


@pytest.mark.parametrize(
    ("case", "to"),
    [
        ("text-absolute-path", "/etc/passwd"),
        ("text-proc-environ", "/proc/"),
        ("text-dot-dot-chain", "/etc/passwd"),
        ("text-up-through-texts", "outside/secret.txt"),
        ("text-beside-the-corpus", "outside/secret.txt"),
    ],
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_text_named_outside_the_corpus_is_one_problem_at_its_line(
    corpus: Path, tmp_path: Path, case: str, to: str, command: str
):
    with_leak(corpus, case)
    out = tmp_path / "out"
    run = cli(command, corpus, *(["-o", out] if command == "build" else []))
    refused(run, out, (LEAK, "text '"))
    [problem] = run.problems()
    assert f"{REFUSED_OUT} (to " in problem and to in problem
    assert "--allow-dir" in problem


@pytest.mark.parametrize(
    "links",
    [
        # texts/linked.txt -> ...; each a link made relative to its own folder, as ln -s does
        {"linked.txt": "/etc/passwd"},
        {"linked.txt": "../../outside/secret.txt"},
        {"linked.txt": "hop-1.txt", "hop-1.txt": "hop-2.txt", "hop-2.txt": "/etc/passwd"},
        {"linked.txt": "hop.txt", "hop.txt": "../../outside/secret.txt"},
        {"linked.txt": "/proc/self/environ"},
    ],
    ids=["to-etc-passwd", "to-a-folder-beside", "chain-to-etc-passwd", "chain-out", "to-proc"],
)
def test_a_text_that_links_out_is_one_problem_at_its_line(
    corpus: Path, tmp_path: Path, links: dict[str, str]
):
    with_leak(corpus, "text-link")
    for name, target in links.items():
        (corpus / "texts" / name).symlink_to(target)
    out = tmp_path / "out"
    refused(cli("build", corpus, "-o", out), out, (LEAK, REFUSED_OUT))
    refused(cli("check", corpus), None, (LEAK, REFUSED_OUT))


def test_a_texts_folder_that_links_out_is_refused_for_each_text(corpus: Path, tmp_path: Path):
    with_leak(corpus, "text-link")
    outside = tmp_path / "outside"
    shutil.copy(corpus / "texts" / "statement.txt", outside)
    shutil.copy(outside / "secret.txt", outside / "linked.txt")
    shutil.rmtree(corpus / "texts")
    (corpus / "texts").symlink_to(outside)
    out = tmp_path / "out"
    expected = ((LEAK, REFUSED_OUT), ("sources/statement.yaml:8", REFUSED_OUT))
    refused(cli("build", corpus, "-o", out), out, *expected)
    refused(cli("check", corpus), None, *expected)


def test_a_sources_folder_that_links_out_is_one_problem_and_is_not_listed(
    corpus: Path, tmp_path: Path
):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(corpus / "sources", elsewhere)
    (elsewhere / "a-name-from-outside.yaml").write_text("id: " + SECRET)
    (corpus / "sources").symlink_to(elsewhere)
    out = tmp_path / "out"
    for run in (cli("build", corpus, "-o", out), cli("check", corpus)):
        refused(run, out, ("corpus/sources", REFUSED_OUT))
        assert "a-name-from-outside" not in run.stderr


@pytest.mark.parametrize(
    "name",
    [
        "sources/leak.yaml",
        "sources/statement.yaml",
        "bills/ab1.yaml",
        "organizations.yaml",
        "topics.yaml",
        "corpus.yaml",
    ],
)
def test_a_corpus_file_that_links_out_is_refused_without_showing_what_it_holds(
    corpus: Path, tmp_path: Path, name: str
):
    """Before, the file outside was parsed, and the schema's message quoted it."""
    path = corpus / name
    path.unlink(missing_ok=True)
    path.symlink_to(tmp_path / "outside" / "secret.txt")
    out = tmp_path / "out"
    for run in (cli("build", corpus, "-o", out), cli("check", corpus)):
        # A missing bill or organizations file also leaves references unknown: those are
        # problems too, but the first is the link, and nothing shows what it leads to.
        problems = run.problems()
        assert any(p.startswith(f"{path}: {REFUSED_OUT}") for p in problems), problems
        assert not out.exists()


# --- what is not a regular file ---------------------------------------------------------


def test_a_named_pipe_as_a_text_is_refused_without_waiting_on_it(corpus: Path, tmp_path: Path):
    with_leak(corpus, "text-link")
    os.mkfifo(corpus / "texts" / "linked.txt")
    for command in (["check", corpus], ["build", corpus, "-o", tmp_path / "out"]):
        run = cli_process(*command, cwd=tmp_path)
        refused(run, tmp_path / "out", (LEAK, "text '../texts/linked.txt' is a named pipe"))


def test_a_named_pipe_as_a_source_file_is_refused_without_waiting_on_it(
    corpus: Path, tmp_path: Path
):
    os.mkfifo(corpus / "sources" / "leak.yaml")
    for command in (["check", corpus], ["build", corpus, "-o", tmp_path / "out"]):
        run = cli_process(*command, cwd=tmp_path)
        refused(run, tmp_path / "out", ("sources/leak.yaml", "is a named pipe (FIFO)"))


def test_a_named_pipe_among_many_files_is_refused_by_the_build_on_two_cores(
    corpus: Path, tmp_path: Path
):
    """A corpus of 400 files and more is parsed, and its quotes looked up, ahead, half of it
    in a forked worker (graph/plumbing/: cache.py, parallel.py): that reads through
    the same checks."""
    reply = (corpus / "sources" / "reply.yaml").read_text("utf-8")
    for i in range(420):
        (corpus / "sources" / f"reply-{i}.yaml").write_text(
            reply.replace("id: reply", f"id: reply-{i}", 1), "utf-8"
        )
    with_leak(corpus, "text-link")
    os.mkfifo(corpus / "texts" / "linked.txt")
    os.mkfifo(corpus / "sources" / "reply-pipe.yaml")
    run = cli_process("build", corpus, "-o", tmp_path / "out", cwd=tmp_path)
    refused(
        run,
        tmp_path / "out",
        (LEAK, "is a named pipe"),
        ("sources/reply-pipe.yaml", "is a named pipe"),
    )


def test_a_link_to_dev_zero_is_refused_and_never_read(corpus: Path, tmp_path: Path):
    with_leak(corpus, "text-link")
    (corpus / "texts" / "linked.txt").symlink_to("/dev/zero")
    run = cli_process("check", corpus, cwd=tmp_path)
    refused(run, None, (LEAK, f"{REFUSED_OUT} (to /dev/zero)"))
    # Even where /dev may be read, a device is not a file.
    run = cli_process("build", corpus, "-o", tmp_path / "out", "--allow-dir", "/dev", cwd=tmp_path)
    refused(run, tmp_path / "out", (LEAK, "is a device, not a regular file"))


def test_a_source_file_that_links_to_dev_zero_is_refused(corpus: Path, tmp_path: Path):
    (corpus / "sources" / "leak.yaml").symlink_to("/dev/zero")
    run = cli_process("check", corpus, "--allow-dir", "/dev", cwd=tmp_path)
    refused(run, None, ("sources/leak.yaml", "is a device, not a regular file"))


# --- how large -----------------------------------------------------------------------------


def test_a_text_over_the_limit_is_refused_and_the_limit_can_be_raised(corpus: Path, tmp_path: Path):
    with_leak(corpus, "text-link")
    text = corpus / "texts" / "linked.txt"
    text.write_text("root:x:0:0 " + "a line of the text\n" * 80_000, "utf-8")  # 1.5 MB
    out = tmp_path / "out"
    run = cli("build", corpus, "-o", out, "--max-file-mb", "1")
    refused(run, out, (LEAK, "is 1.52 MB, more than the 1 MB a corpus file may be"))
    assert "--max-file-mb" in run.problems()[0]
    run = cli("build", corpus, "-o", out, "--max-file-mb", "2")
    assert run.code == 0, run.stderr
    assert cli("check", corpus, "--max-file-mb", "2").code == 0
    assert build(corpus, None, max_file_mb=2).corpus.sources


def test_a_text_over_50_mb_is_refused_unless_the_limit_is_raised(corpus: Path, tmp_path: Path):
    with_leak(corpus, "text-link")
    with open(corpus / "texts" / "linked.txt", "wb") as f:
        f.truncate(51_000_000)  # sparse: nothing to write, nothing read
    refused(cli("check", corpus), None, (LEAK, "is 51 MB, more than the 50 MB"))
    with pytest.raises(InputError) as caught:
        load_corpus(corpus, max_file_mb=40)
    assert "is 51 MB, more than the 40 MB" in str(caught.value)


def test_no_more_than_the_limit_is_read_whatever_the_file_says_its_size_is():
    """/proc's files say they are empty and are not: reading stops one byte past the limit."""
    environ = Path("/proc/self/environ")
    if not environ.exists() or len(environ.read_bytes()) < 20:
        pytest.skip("no /proc/self/environ to read")
    assert environ.stat().st_size == 0
    with pytest.raises(Refused, match="more than the 1e-05 MB"):
        read_corpus_file(environ, Allowed.of("/proc", max_file_mb=0.00001))


# --- what is let in ---------------------------------------------------------------------


def test_a_text_in_a_folder_named_with_allow_dir_is_read(corpus: Path, tmp_path: Path):
    with_leak(corpus, "text-beside-the-corpus")
    out = tmp_path / "out"
    run = cli("build", corpus, "-o", out, "--allow-dir", tmp_path / "outside")
    assert run.code == 0, run.stderr
    assert "root:x:0:0" in (out / "minimal.ttl").read_text("utf-8")
    assert cli("check", corpus, "--allow-dir", tmp_path / "outside").code == 0
    result = build(corpus, None, allow_dirs=[tmp_path / "outside"])
    assert any(s.id == "leak" for s in result.corpus.sources)
    # ... and the same folder named to the loader's Python API
    assert load_corpus(corpus, allow_dirs=[str(tmp_path / "outside")]).sources


def test_links_that_stay_inside_and_a_linked_corpus_folder_are_read(corpus: Path, tmp_path: Path):
    with_leak(corpus, "text-link")
    (corpus / "texts" / "kept").mkdir()
    shutil.copy(tmp_path / "outside" / "secret.txt", corpus / "texts" / "kept" / "real.txt")
    (corpus / "texts" / "hop.txt").symlink_to("kept/real.txt")
    (corpus / "texts" / "linked.txt").symlink_to("hop.txt")
    shutil.move(corpus / "sources" / "reply.yaml", corpus / "reply-kept-here.yaml")
    (corpus / "sources" / "reply.yaml").symlink_to("../reply-kept-here.yaml")
    linked = tmp_path / "a-link-to-the-corpus"
    linked.symlink_to(corpus)
    out = tmp_path / "out"
    run = cli("build", linked, "-o", out)
    assert run.code == 0, run.stderr
    assert cli("check", linked).code == 0


# --- through a rebuild ------------------------------------------------------------------


def _written(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _link_text_out(corpus: Path, tmp_path: Path) -> tuple[str, str]:
    text = corpus / "texts" / "linked.txt"
    text.unlink()
    text.symlink_to("/etc/passwd")
    return LEAK, REFUSED_OUT


def _link_source_out(corpus: Path, tmp_path: Path) -> tuple[str, str]:
    source = corpus / "sources" / "leak.yaml"
    source.unlink()
    source.symlink_to(tmp_path / "outside" / "secret.txt")
    return "sources/leak.yaml", REFUSED_OUT


def _add_source_out(corpus: Path, tmp_path: Path) -> tuple[str, str]:
    (corpus / "sources" / "new.yaml").symlink_to(tmp_path / "outside" / "secret.txt")
    return "sources/new.yaml", REFUSED_OUT


def _link_text_beside(corpus: Path, tmp_path: Path) -> tuple[str, str]:
    (corpus / "texts" / "linked.txt").unlink()
    (corpus / "texts" / "linked.txt").symlink_to(tmp_path / "outside" / "secret.txt")
    return LEAK, REFUSED_OUT


@pytest.mark.parametrize(
    "change",
    [_link_text_out, _link_source_out, _add_source_out, _link_text_beside],
    ids=["text-links-out", "source-links-out", "source-added-links-out", "text-links-beside"],
)
def test_a_link_out_made_after_a_build_is_refused_by_the_next(corpus: Path, tmp_path: Path, change):
    with_leak(corpus, "text-link")
    shutil.copy(tmp_path / "outside" / "secret.txt", corpus / "texts" / "linked.txt")
    out = tmp_path / "out"
    assert cli("build", corpus, "-o", out).code == 0
    before = _written(out)
    expected = change(corpus, tmp_path)
    refused(cli("build", corpus, "-o", out), None, expected)
    assert _written(out) == before


def test_a_named_pipe_made_after_a_build_is_refused_by_the_next(corpus: Path, tmp_path: Path):
    with_leak(corpus, "text-link")
    shutil.copy(tmp_path / "outside" / "secret.txt", corpus / "texts" / "linked.txt")
    out = tmp_path / "out"
    assert cli("build", corpus, "-o", out).code == 0
    before = _written(out)
    (corpus / "texts" / "linked.txt").unlink()
    os.mkfifo(corpus / "texts" / "linked.txt")
    refused(cli_process("build", corpus, "-o", out, cwd=tmp_path), None, (LEAK, "named pipe"))
    assert _written(out) == before


def test_a_bill_linked_out_after_a_build_is_refused_by_the_next(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert cli("build", corpus, "-o", out).code == 0
    before = _written(out)
    bill = corpus / "bills" / "ab1.yaml"
    bill.unlink()
    bill.symlink_to(tmp_path / "outside" / "secret.txt")
    problems = cli("build", corpus, "-o", out).problems()
    assert any(p.startswith(f"{bill}: {REFUSED_OUT}") for p in problems), problems
    assert _written(out) == before


def test_a_folder_allowed_once_is_not_allowed_the_next_time_it_is_not_named(
    corpus: Path, tmp_path: Path
):
    """The rebuild keeps what the last build was allowed to read: a build without the
    option is not the rebuild of one with it."""
    with_leak(corpus, "text-beside-the-corpus")
    out = tmp_path / "out"
    assert cli("build", corpus, "-o", out, "--allow-dir", tmp_path / "outside").code == 0
    before = _written(out)
    refused(cli("build", corpus, "-o", out), None, (LEAK, REFUSED_OUT))
    assert _written(out) == before
    run = cli("build", corpus, "-o", out, "--allow-dir", tmp_path / "outside")
    assert run.code == 0 and "nothing changed since the last build" in run.stdout
