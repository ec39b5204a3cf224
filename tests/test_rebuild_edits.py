"""The incremental rebuild (graph/pipeline/run.py), edit by edit: whatever the edit, a
build into a folder that holds a previous build gives the bytes and counts of a fresh build,
or, when the corpus is broken, the problems a fresh build reports, having written nothing."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from graph import DEFAULT_CORPUS, InputError, build
from graph.build import BuildResult, RebuiltResult
from graph.kinds import RELATION_EDGE_KIND
from graph.network import skeleton
from graph.visualize import MAX_NODES

from .conftest import edit, outputs

Problems = list[tuple[str, int, str]]


def _problems(corpus: Path, out: Path | None) -> Problems | None:
    """What a build reports (file, line, message), or None if it succeeds."""
    try:
        if out is None:
            build(corpus, None, use_cache=False)
        else:
            build(corpus, out)
    except InputError as e:
        return [(p.file, p.line, p.message) for p in e.problems]
    return None


def _written(out: Path) -> dict[str, bytes]:
    """Every file in the output folder and its cache, as they are."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _as_fresh(corpus: Path, out: Path, tmp_path: Path) -> BuildResult | None:
    """Build ``corpus`` into ``out``, checked against a fresh build: the same bytes and counts;
    or if the corpus is broken, the same problems, and nothing in ``out`` changed (None)."""
    expected = _problems(corpus, None)
    if expected is not None:
        before = _written(out)
        assert _problems(corpus, out) == expected
        assert _written(out) == before
        return None
    again = build(corpus, out)
    fresh = build(corpus, tmp_path / "fresh", use_cache=False)
    assert outputs(again) == outputs(fresh)
    assert again.counts() == fresh.counts()
    return again


def _rebuilt(result: BuildResult | None) -> RebuiltResult:
    """The result, which must be an incremental rebuild's."""
    assert isinstance(result, RebuiltResult), getattr(result, "declined", result)
    return result


RELATION = "relations:\n  - {id: added, kind: supports, from: [fee-is-small], to: %s}\n"
UNDERCUT = (
    "relations:\n"
    "  - {id: uc, kind: undercuts, from: [fee-is-small], to: statement/cost-grounds-opposition}\n"
)
MEMBERS_TEST = (
    "  - id: members-already-test\n    statement: Members already test every widget.\n"
    '    quote: already test every widget they sell\n    sections: ["SEC. 1"]\n'
    "    topics: [safety]\n"
)
GROUNDS = (
    "  - {id: cost-grounds-opposition, kind: supports, from: [registration-is-costly], "
    "to: opposes-ab1}\n"
)


def test_two_documents_edited_at_once_one_answering_the_other(minimal_corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    statement = minimal_corpus / "sources" / "statement.yaml"
    reply = minimal_corpus / "sources" / "reply.yaml"
    # The claim the reply rebuts is renamed, and the reply follows it, in one rebuild.
    edit(statement, "id: registration-is-costly", "id: registering-is-costly")
    edit(statement, "from: [registration-is-costly]", "from: [registering-is-costly]")
    edit(reply, "statement/registration-is-costly", "statement/registering-is-costly")
    again = _rebuilt(_as_fresh(minimal_corpus, out, tmp_path))
    assert again.rebuilt.changed == ["reply", "statement"]
    assert b"claim/statement/registering-is-costly" in outputs(again)["ttl"]


def test_an_undercut_added_then_removed(minimal_corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    reply = minimal_corpus / "sources" / "reply.yaml"
    edit(reply, "relations:\n", UNDERCUT)
    assert _rebuilt(_as_fresh(minimal_corpus, out, tmp_path)).counts()["attacks"] == 3
    edit(reply, UNDERCUT, "relations:\n")
    assert _rebuilt(_as_fresh(minimal_corpus, out, tmp_path)).counts()["attacks"] == 2


def test_a_document_removed_and_another_added_in_one_rebuild(minimal_corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    sources = minimal_corpus / "sources"
    text = (sources / "statement.yaml").read_text("utf-8")
    (sources / "another.yaml").write_text(text.replace("id: statement", "id: another", 1), "utf-8")
    (sources / "reply.yaml").unlink()
    again = _rebuilt(_as_fresh(minimal_corpus, out, tmp_path))
    assert (again.rebuilt.added, again.rebuilt.removed) == (["another"], ["reply"])


def test_a_text_two_documents_quote_rebuilds_both_when_it_changes(
    minimal_corpus: Path, tmp_path: Path
):
    sources = minimal_corpus / "sources"
    text = (sources / "statement.yaml").read_text("utf-8")
    (sources / "copy.yaml").write_text(text.replace("id: statement", "id: copy", 1), "utf-8")
    out = tmp_path / "out"
    build(minimal_corpus, out)
    shared = minimal_corpus / "texts" / "statement.txt"
    shared.write_text("A new first line.\n" + shared.read_text("utf-8"), "utf-8")
    again = _rebuilt(_as_fresh(minimal_corpus, out, tmp_path))
    assert again.rebuilt.changed == ["copy", "statement"]  # both quotes' offsets moved


def test_a_deleted_text_is_reported_as_a_fresh_build_reports_it(
    minimal_corpus: Path, tmp_path: Path
):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    (minimal_corpus / "texts" / "statement.txt").unlink()
    assert _as_fresh(minimal_corpus, out, tmp_path) is None
    assert "statement.txt" in _problems(minimal_corpus, out)[0][2]


def test_a_claim_another_document_answers_turned_into_a_relation_is_reported(
    minimal_corpus: Path, tmp_path: Path
):
    # The key 'statement/members-already-test' stays, but names a relation now: the reply's
    # 'undermines' no longer names a claim.
    out = tmp_path / "out"
    build(minimal_corpus, out)
    statement = minimal_corpus / "sources" / "statement.yaml"
    edit(statement, MEMBERS_TEST, "")
    edit(
        statement,
        "relations:\n",
        "relations:\n  - {id: members-already-test, kind: supports, "
        "from: [registration-is-costly], to: opposes-ab1}\n",
    )
    assert _as_fresh(minimal_corpus, out, tmp_path) is None
    [(file, _, message)] = _problems(minimal_corpus, out)
    assert file.endswith("reply.yaml")
    assert "'statement/members-already-test' is not a known claim" in message


def test_a_relation_another_document_undercuts_turned_into_a_claim_is_reported(
    minimal_corpus: Path, tmp_path: Path
):
    out = tmp_path / "out"
    reply, statement = (minimal_corpus / "sources" / f"{n}.yaml" for n in ("reply", "statement"))
    edit(reply, "relations:\n", UNDERCUT)
    build(minimal_corpus, out)
    edit(statement, GROUNDS, GROUNDS.replace("cost-grounds-opposition", "grounds"))
    edit(
        statement,
        "claims:\n",
        "claims:\n  - id: cost-grounds-opposition\n    statement: A claim now.\n"
        "    paraphrase: true\n    where: the end\n    whole_bill: true\n    topics: [cost]\n",
    )
    assert _as_fresh(minimal_corpus, out, tmp_path) is None
    [(_, _, message)] = _problems(minimal_corpus, out)
    assert "so 'to' must name a relation" in message


def test_removing_a_document_an_organization_cites_is_reported(
    minimal_corpus: Path, tmp_path: Path
):
    organizations = minimal_corpus / "organizations.yaml"
    edit(organizations, "source: https://example.org/reply", "source: reply")
    out = tmp_path / "out"
    build(minimal_corpus, out)
    (minimal_corpus / "sources" / "reply.yaml").unlink()  # no document answers it
    assert _as_fresh(minimal_corpus, out, tmp_path) is None
    [(file, _, message)] = _problems(minimal_corpus, out)
    assert file.endswith("organizations.yaml")
    assert "source 'reply' is not a source document of this corpus" in message


def test_removing_a_document_a_bill_cites_is_reported(minimal_corpus: Path, tmp_path: Path):
    bill = minimal_corpus / "bills" / "ab1.yaml"
    edit(bill, "source: https://example.org/bills/ab1/votes}", "source: reply}")
    out = tmp_path / "out"
    build(minimal_corpus, out)
    (minimal_corpus / "sources" / "reply.yaml").unlink()
    assert _as_fresh(minimal_corpus, out, tmp_path) is None
    [(file, line, message)] = _problems(minimal_corpus, out)
    assert file.endswith("ab1.yaml") and line == 20
    assert message == "source 'reply' is not a source document of this corpus"


def test_the_bill_key_added_and_dropped_in_a_one_bill_corpus(minimal_corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    first = outputs(build(minimal_corpus, out))
    reply = minimal_corpus / "sources" / "reply.yaml"
    edit(reply, "stance: support\n", "stance: support\nbill: ab1\n")
    _rebuilt(_as_fresh(minimal_corpus, out, tmp_path))
    edit(reply, "bill: ab1\n", "")
    assert outputs(_rebuilt(_as_fresh(minimal_corpus, out, tmp_path))) == first


def test_an_edit_the_shapes_would_refuse_is_refused_by_the_loader(
    minimal_corpus: Path, tmp_path: Path
):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    edit(minimal_corpus / "sources" / "reply.yaml", "date: 2025-03-10", "date: 2025-02-30")
    assert _as_fresh(minimal_corpus, out, tmp_path) is None
    [(file, line, message)] = _problems(minimal_corpus, out)
    assert file.endswith("reply.yaml") and line == 6
    assert message == "'date': '2025-02-30' is not a date: February has 28 or 29 days"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("reply.yaml", b""),
        ("reply.yaml", b"- a list\n- not a document\n"),
        ("reply.yaml", b"\xff\xfe\x00 not text"),
        ("new.yaml", b""),
        ("new.yaml", b"id: new\n"),
    ],
    ids=["emptied", "a list", "not UTF-8", "a new empty file", "a new file half written"],
)
def test_a_broken_source_file_is_reported_as_a_fresh_build_reports_it(
    minimal_corpus: Path, tmp_path: Path, name: str, content: bytes
):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    (minimal_corpus / "sources" / name).write_bytes(content)
    assert _as_fresh(minimal_corpus, out, tmp_path) is None


def test_a_corpus_whose_base_ends_with_a_hash(minimal_corpus: Path, tmp_path: Path):
    edit(
        minimal_corpus / "corpus.yaml",
        "base: https://example.org/corpus/minimal/",
        'base: "https://example.org/corpus/minimal#"',
    )
    out = tmp_path / "out"
    build(minimal_corpus, out)
    reply = minimal_corpus / "sources" / "reply.yaml"
    edit(reply, "relations:\n", RELATION % "testing-is-unverified")
    again = _rebuilt(_as_fresh(minimal_corpus, out, tmp_path))
    assert b"minimal#relation/reply/added" in outputs(again)["ttl"]


def test_many_rebuilds_in_a_row_each_match_a_fresh_build(minimal_corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    sources = minimal_corpus / "sources"
    reply, statement = sources / "reply.yaml", sources / "statement.yaml"

    def copy(to: str):
        text = reply.read_text("utf-8").replace("id: reply", f"id: {to}", 1)
        (sources / f"{to}.yaml").write_text(text, "utf-8")

    steps = [
        lambda: edit(reply, "statement: ", "statement: First, "),
        lambda: copy("a-reply"),
        lambda: edit(reply, "relations:\n", RELATION % "testing-is-unverified"),
        lambda: (sources / "a-reply.yaml").unlink(),
        lambda: edit(statement, "topics: [safety]", "topics: [safety, cost]"),
        lambda: copy("z-reply"),
        lambda: edit(reply, 'sections: ["SEC. 1(a)"]', "whole_bill: true"),
        lambda: edit(reply, "kind: letter", "kind: statement"),
        lambda: edit(reply, "authors: [safety-league]", "authors: [safety-league, acme]"),
        lambda: edit(reply, "stance: support", "stance: oppose"),
        lambda: (sources / "z-reply.yaml").unlink(),
    ]
    for step in steps:
        step()
        _rebuilt(_as_fresh(minimal_corpus, out, tmp_path))


# --- SB 1047 and a cut map ------------------------------------------------------------------

OPEN_SOURCE = (
    "  - id: open-source-has-been-essential\n"
    "    statement: Open source has been essential to the AI ecosystem.\n"
)


def test_sb1047_claims_and_documents_added_and_removed(tmp_path: Path):
    corpus = tmp_path / "sb1047"
    shutil.copytree(DEFAULT_CORPUS, corpus)
    out = tmp_path / "out"
    build(corpus, out)
    sources = corpus / "sources"
    # A paraphrased claim no one answers, to take out again.
    podcast = sources / "a16z-podcast-2024-06-06.yaml"
    text = podcast.read_text("utf-8")
    found = re.search(re.escape(OPEN_SOURCE) + r"(    .*\n)*", text)
    assert found is not None and "paraphrase: true" in found.group(0)
    claim = found.group(0)
    edit(podcast, claim, "")
    _rebuilt(_as_fresh(corpus, out, tmp_path))
    edit(podcast, "claims:\n", "claims:\n" + claim)
    _rebuilt(_as_fresh(corpus, out, tmp_path))
    # A new document (a copy of the first, under another id), then gone.
    first = sorted(sources.glob("*.yaml"))[0]
    copy = sources / "zz-copy.yaml"
    copy.write_text(
        first.read_text("utf-8").replace(f"id: {first.stem}", "id: zz-copy", 1), "utf-8"
    )
    again = _rebuilt(_as_fresh(corpus, out, tmp_path))
    assert again.rebuilt.added == ["zz-copy"]
    copy.unlink()
    _rebuilt(_as_fresh(corpus, out, tmp_path))


def _drawn_nodes(result: BuildResult) -> int:
    """How many nodes a whole map of the build would draw."""
    return sum(1 for k in skeleton(result.store).kinds.values() if k not in RELATION_EDGE_KIND)


@pytest.fixture(scope="module")
def at_the_cap(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A synthetic legislature that just fits a whole map (bench/generate.py), and a source
    document, unanswered, that takes it past the cap: the corpus, its file name and text."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import generate  # noqa: PLC0415

    folder = tmp_path_factory.mktemp("at-the-cap") / "corpus"
    generate.generate(folder, scale=0.012)
    over = _drawn_nodes(build(folder, None, use_cache=False)) - MAX_NODES
    assert over > 0
    answered = set()
    for path in (folder / "sources").glob("*.yaml"):
        answered.update(re.findall(r"(doc-\d+)/", path.read_text("utf-8")))
    for path in sorted((folder / "sources").glob("*.yaml")):
        if path.stem in answered:
            continue
        text = path.read_text("utf-8")
        path.unlink()
        over -= 1 + len(re.findall(r"^  - id: claim-", text, re.MULTILINE))
        if over <= 0:
            return folder, path.name, text
    raise AssertionError("not enough documents to take out")


def test_a_map_past_its_cap_is_cut_and_whole_again_as_a_fresh_build_draws_it(
    at_the_cap: tuple[Path, str, str], tmp_path: Path
):
    folder, name, text = at_the_cap
    corpus = tmp_path / "corpus"
    shutil.copytree(folder, corpus)
    out = tmp_path / "out"
    assert b"most connected" not in outputs(build(corpus, out))["html"]
    (corpus / "sources" / name).write_text(text, "utf-8")
    assert b"most connected" in outputs(_rebuilt(_as_fresh(corpus, out, tmp_path)))["html"]
    (corpus / "sources" / name).unlink()
    assert b"most connected" not in outputs(_rebuilt(_as_fresh(corpus, out, tmp_path)))["html"]


def test_a_text_whose_name_has_a_line_break_leaves_builds_that_work(
    minimal_corpus: Path, tmp_path: Path
):
    # The index keeps file names a line each: a rebuild that wrote this one into it left an
    # index every later build crashed on (ValueError in graph.pipeline.index._changes).
    out = tmp_path / "out"
    build(minimal_corpus, out)
    texts = minimal_corpus / "texts"
    (texts / "odd\nname.txt").write_bytes((texts / "statement.txt").read_bytes())
    statement = minimal_corpus / "sources" / "statement.yaml"
    edit(statement, "text: ../texts/statement.txt", 'text: "../texts/odd\\nname.txt"')
    _as_fresh(minimal_corpus, out, tmp_path)
    edit(minimal_corpus / "sources" / "reply.yaml", "statement: ", "statement: Reworded, ")
    _as_fresh(minimal_corpus, out, tmp_path)
    edit(statement, 'text: "../texts/odd\\nname.txt"', "text: ../texts/statement.txt")
    _as_fresh(minimal_corpus, out, tmp_path)
    edit(minimal_corpus / "sources" / "reply.yaml", "statement: ", "statement: Again, ")
    _rebuilt(_as_fresh(minimal_corpus, out, tmp_path))  # an index again
