"""Incremental rebuilds (graph/pipeline/run.py): what changed is rebuilt alone, and the outputs are
the bytes of a fresh build; anything else is left to the whole build, which says why."""

from __future__ import annotations

import marshal
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import DEFAULT_CORPUS, InputError, build
from graph.build import RebuiltResult
from graph.emit import document
from graph.network import Skeleton
from graph.pipeline.index import index_file, read_index
from graph.plumbing.cache import BuildCache
from graph.plumbing.splice import splice, write_blocks
from graph.visualize import MapState, _render, drawn_map, redraw, repage

from .conftest import edit, outputs


def _fresh(minimal_corpus: Path, tmp_path: Path):
    return build(minimal_corpus, tmp_path / "fresh", use_cache=False)


def test_an_edited_document_is_rebuilt_alone_into_the_bytes_of_a_fresh_build(
    minimal_corpus: Path, tmp_path: Path
):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    edit(minimal_corpus / "sources" / "reply.yaml", "statement: ", "statement: Reworded, ")
    again = build(minimal_corpus, out)
    assert isinstance(again, RebuiltResult)
    assert again.rebuilt.changed == ["reply"]
    fresh = _fresh(minimal_corpus, tmp_path)
    assert outputs(again) == outputs(fresh)
    assert b"Reworded, " in outputs(again)["ttl"]
    assert again.counts() == fresh.counts()
    assert "rebuilt 1 changed source document (reply)" in again.summary().splitlines()[0]
    # What a notebook asks of a build, read when asked for.
    assert len(again.store) == fresh.counts()["triples"]
    assert [d.id for d in again.corpus.sources] == ["reply", "statement"]


def test_edits_in_a_row_each_give_the_bytes_of_a_fresh_build(minimal_corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    reply, statement = (
        minimal_corpus / "sources" / "reply.yaml",
        minimal_corpus / "sources" / "statement.yaml",
    )
    edits = [
        (reply, "statement: ", "statement: First, "),
        (statement, "title: The Guild on AB 1", "title: The Widget Guild on AB 1"),
        (reply, "where: paragraph 2", "where: the second paragraph"),
    ]
    for path, old, new in edits:
        edit(path, old, new)
        again = build(minimal_corpus, out)
        assert isinstance(again, RebuiltResult), again.declined
        assert outputs(again) == outputs(_fresh(minimal_corpus, tmp_path))


def test_an_edited_text_rebuilds_the_documents_that_quote_it(minimal_corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    text = minimal_corpus / "texts" / "statement.txt"
    text.write_text("A new first line.\n" + text.read_text("utf-8"), "utf-8")
    again = build(minimal_corpus, out)
    assert isinstance(again, RebuiltResult)
    assert again.rebuilt.changed == ["statement"]
    assert outputs(again) == outputs(_fresh(minimal_corpus, tmp_path))  # the quotes' new offsets


def test_nothing_changed_writes_nothing(minimal_corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    first = build(minimal_corpus, out)
    times = {k: os.stat(p).st_mtime_ns for k, p in first.files.items()}
    again = build(minimal_corpus, out)
    assert isinstance(again, RebuiltResult)
    assert again.rebuilt.changed == []
    assert {k: os.stat(p).st_mtime_ns for k, p in again.files.items()} == times
    assert again.counts() == first.counts()
    assert "nothing changed since the last build" in again.summary()
    assert "Up to date:" in again.summary() and "Wrote:" not in again.summary()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("edit the bill", "ab1.yaml changed"),
        ("edit the Turtle", "the ttl output was changed or removed"),
        ("remove the map", "the html output was changed or removed"),
    ],
)
def test_other_changes_are_left_to_the_whole_build(
    minimal_corpus: Path, tmp_path: Path, change: str, reason: str
):
    out = tmp_path / "out"
    first = build(minimal_corpus, out)
    reply = minimal_corpus / "sources" / "reply.yaml"
    if change == "edit the bill":
        edit(minimal_corpus / "bills" / "ab1.yaml", "title: An act", "title: The act")
    elif change == "edit the Turtle":
        first.files["ttl"].write_text("# edited by hand\n", "utf-8")
    else:
        first.files["html"].unlink()
    again = build(minimal_corpus, out)
    assert not isinstance(again, RebuiltResult)
    assert reason in again.declined
    assert outputs(again) == outputs(_fresh(minimal_corpus, tmp_path))
    # The whole build leaves an index the next edit is rebuilt from.
    edit(reply, "statement: ", "statement: Reworded, ")
    assert isinstance(build(minimal_corpus, out), RebuiltResult)


def test_a_problem_in_the_edited_document_is_reported_as_the_whole_build_reports_it(
    minimal_corpus: Path, tmp_path: Path
):
    out = tmp_path / "out"
    first = outputs(build(minimal_corpus, out))
    reply = minimal_corpus / "sources" / "reply.yaml"
    edit(reply, "topics: [safety]", "topics: [safty]")
    with pytest.raises(InputError) as caught:
        build(minimal_corpus, out)
    [problem] = caught.value.problems
    assert problem.file.endswith("reply.yaml") and problem.line == 15
    assert "unknown topic 'safty'; did you mean 'safety'?" in problem.message
    assert {p.suffix[1:]: p.read_bytes() for p in out.iterdir() if p.is_file()} == first
    # Fixed, the next build is a rebuild again.
    edit(reply, "topics: [safty]", "topics: [safety]")
    assert isinstance(build(minimal_corpus, out), RebuiltResult)


RELATION = (
    "relations:\n  - {id: extra, kind: supports, from: [fee-is-small], to: testing-is-unverified}\n"
)
CLAIM = (
    "claims:\n  - id: new-claim\n    statement: A claim added.\n    paraphrase: true\n"
    "    where: the end\n    whole_bill: true\n    topics: [cost]\n"
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("relations:\n", RELATION),
        ("claims:\n", CLAIM),
        ('sections: ["SEC. 1(a)"]', 'sections: ["SEC. 1"]'),
        ("  - {id: unverified-undermines-testing", "  - {id: unverified-rebuts-testing"),
    ],
    ids=["a relation added", "a claim added", "a section changed", "a relation renamed"],
)
def test_new_nodes_and_links_are_rebuilt_alone_too(
    minimal_corpus: Path, tmp_path: Path, old: str, new: str
):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    edit(minimal_corpus / "sources" / "reply.yaml", old, new)
    again = build(minimal_corpus, out)
    assert isinstance(again, RebuiltResult), again.declined
    assert again.rebuilt.redrawn
    assert outputs(again) == outputs(_fresh(minimal_corpus, tmp_path))


def test_documents_added_and_removed_are_rebuilt_alone_too(minimal_corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    sources = minimal_corpus / "sources"
    text = (sources / "reply.yaml").read_text("utf-8").replace("id: reply", "id: another-reply", 1)
    (sources / "another-reply.yaml").write_text(text, "utf-8")
    added = build(minimal_corpus, out)
    assert isinstance(added, RebuiltResult), added.declined
    assert (added.rebuilt.added, added.rebuilt.changed) == (["another-reply"], [])
    fresh = _fresh(minimal_corpus, tmp_path)
    assert outputs(added) == outputs(fresh)
    assert added.counts() == fresh.counts()
    assert "added 1 new source document (another-reply)" in added.summary()

    (sources / "reply.yaml").unlink()
    removed = build(minimal_corpus, out)
    assert isinstance(removed, RebuiltResult), removed.declined
    assert removed.rebuilt.removed == ["reply"]
    fresh = _fresh(minimal_corpus, tmp_path)
    assert outputs(removed) == outputs(fresh)
    assert removed.counts() == fresh.counts()


def test_a_document_another_answers_is_removed_by_the_whole_build(
    minimal_corpus: Path, tmp_path: Path
):
    out = tmp_path / "out"
    first = outputs(build(minimal_corpus, out))
    (minimal_corpus / "sources" / "statement.yaml").unlink()  # reply.yaml answers it
    with pytest.raises(InputError) as caught:
        build(minimal_corpus, out)
    assert any("registration-is-costly" in p.message for p in caught.value.problems)
    assert {p.suffix[1:]: p.read_bytes() for p in out.iterdir() if p.is_file()} == first


@pytest.fixture(scope="module")
def legislature(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic legislature large enough that its map is cut (bench/generate.py)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import generate  # noqa: PLC0415

    folder = tmp_path_factory.mktemp("legislature") / "corpus"
    generate.generate(folder, scale=0.02)
    return folder


def test_a_cut_map_follows_each_edit_as_a_fresh_build_draws_it(legislature: Path, tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(legislature, corpus)
    out = tmp_path / "out"
    first = build(corpus, out)
    assert b"most connected" in outputs(first)["html"]
    # A claim the map does not show, reworded: the page stays as it is.
    read = MapState.from_data(read_index(index_file(BuildCache.file_for(out, corpus)))["map"]).read
    unseen = next(
        (doc, f"claim-{i}")
        for doc in (f"doc-{n}" for n in range(400))
        for i in range(3)
        if f"{first.corpus.base}claim/{doc}/claim-{i}" not in read
    )
    edit(
        corpus / "sources" / f"{unseen[0]}.yaml",
        f'id: {unseen[1]}\n    statement: "',
        f'id: {unseen[1]}\n    statement: "Reworded: ',
    )
    again = build(corpus, out)
    assert isinstance(again, RebuiltResult) and not again.rebuilt.redrawn
    assert outputs(again) == outputs(_fresh(corpus, tmp_path))
    # Edits to a document the map shows: its title, a claim added, a relation added.
    doc = corpus / "sources" / "doc-100.yaml"
    assert f"{first.corpus.base}source/doc-100" in read
    edits = [
        ('title: "', 'title: "Retitled: '),
        ("claims:\n", CLAIM.replace("topics: [cost]", "topics: [burden-7]")),
        (
            "relations:\n",
            "relations:\n  - {id: added, kind: supports, from: [claim-1], to: claim-0}\n",
        ),
    ]
    drawn = []
    for old, new in edits:
        edit(doc, old, new)
        again = build(corpus, out)
        assert isinstance(again, RebuiltResult), again.declined
        drawn.append(again.rebuilt.redrawn)
        assert outputs(again) == outputs(_fresh(corpus, tmp_path))
    assert drawn == [True, True, True]
    # A new document, then one gone.
    text = doc.read_text("utf-8").replace("id: doc-100", "id: doc-new", 1)
    (corpus / "sources" / "doc-new.yaml").write_text(text, "utf-8")
    (corpus / "sources" / "doc-399.yaml").unlink()
    again = build(corpus, out)
    assert isinstance(again, RebuiltResult), again.declined
    assert (again.rebuilt.added, again.rebuilt.removed) == (["doc-new"], ["doc-399"])
    assert outputs(again) == outputs(_fresh(corpus, tmp_path))


def test_the_sb1047_map_is_drawn_again_when_what_it_shows_changed(tmp_path: Path):
    corpus = tmp_path / "sb1047"
    shutil.copytree(DEFAULT_CORPUS, corpus)
    out = tmp_path / "out"
    build(corpus, out)
    source = sorted((corpus / "sources").glob("*.yaml"))[0]
    edit(source, "statement: ", "statement: Reworded, ")
    again = build(corpus, out)
    assert isinstance(again, RebuiltResult)
    assert again.rebuilt.redrawn
    fresh = _fresh(corpus, tmp_path)
    assert outputs(again) == outputs(fresh)
    assert b"Reworded, " in outputs(again)["html"]


def test_a_capped_map_is_drawn_again_from_the_statements_it_read():
    store = build(DEFAULT_CORPUS, None).store
    for max_nodes in (40, 200, 10_000):
        page, state = drawn_map(store, "SB 1047", max_nodes=max_nodes)
        shown = ox.Store()
        shown.extend(
            q for s in state.read for q in store.quads_for_pattern(ox.NamedNode(s), None, None)
        )
        assert len(shown) < len(store) or max_nodes == 10_000
        again, read = redraw(state, shown, "SB 1047")
        assert again == page
        assert read == state.read


BLOCKS = ["<g1> {\n\ta b c .\n}\n\n", "", "<g3> {\n\té f g .\n}\n\n", "\n\n"]


def test_blocks_written_one_at_a_time_are_the_document(tmp_path: Path):
    path = tmp_path / "out.trig"
    spans = write_blocks(path, BLOCKS)
    data = path.read_bytes()
    assert data == document(BLOCKS).encode("utf-8")
    assert [n for _, n in spans] == [len(b.encode()) for b in BLOCKS]
    # Each block where the span says; the last line breaks of the file are trimmed to one.
    assert [data[s : s + n] for s, n in spans[:2]] == [b.encode() for b in BLOCKS[:2]]


@pytest.mark.parametrize("at", [0, 1, 2, 3])
def test_a_block_replaced_in_place_gives_the_document_of_the_new_blocks(tmp_path: Path, at: int):
    old = tmp_path / "old.trig"
    spans = write_blocks(old, BLOCKS)
    for new_block in ["<gX> {\n\tx y z .\n}\n\n", "", "<gY> {\n\tq r s .\n}\n\n\n\n"]:
        blocks = list(BLOCKS)
        blocks[at] = new_block
        new = tmp_path / "new.trig"
        plan: list[int | bytes] = list(range(len(BLOCKS)))
        plan[at] = new_block.encode()
        starts, lengths = splice(old, str(new), [s for s, _ in spans], [n for _, n in spans], plan)
        data = new.read_bytes()
        assert data == document(blocks).encode("utf-8")
        expected = write_blocks(tmp_path / "expected.trig", blocks)
        assert list(zip(starts, lengths, strict=True)) == expected


def test_a_page_whose_counts_of_what_it_left_out_changed_is_the_page_drawn_anew():
    store = build(DEFAULT_CORPUS, None).store
    page, state = drawn_map(store, "SB 1047", max_nodes=40)
    assert state.notes
    view = Skeleton.of(state.kinds, state.edges, state.bills, store).view(state.kinds)
    assert _render(view, "SB 1047", state.notes) == page
    for notes in (["12 <claims> & 3 'others' left out"], [], [state.notes[0], "a second note"]):
        assert repage(page, state.notes, notes) == _render(view, "SB 1047", notes)
    assert repage(page.replace("</header>", "</header></header>"), state.notes, []) is None


def test_a_source_file_that_cannot_be_read_is_one_problem_either_way(
    minimal_corpus: Path, tmp_path: Path
):
    out = tmp_path / "out"
    first = outputs(build(minimal_corpus, out))
    reply = minimal_corpus / "sources" / "reply.yaml"
    reply.unlink()
    reply.symlink_to(minimal_corpus / "nowhere.yaml")  # a link to nothing (out: refused)
    for target, use_cache in ((out, True), (tmp_path / "fresh", False)):
        with pytest.raises(InputError) as caught:
            build(minimal_corpus, target, use_cache=use_cache)
        [problem] = caught.value.problems
        assert problem.file.endswith("reply.yaml")
        assert problem.message == "cannot be read (No such file or directory)"
    assert {p.suffix[1:]: p.read_bytes() for p in out.iterdir() if p.is_file()} == first
    assert not (tmp_path / "fresh").exists()


def test_a_damaged_index_is_left_for_the_whole_build(minimal_corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(minimal_corpus, out)
    path = index_file(BuildCache.file_for(out, minimal_corpus))
    index = read_index(path)
    index["docs"]["id"] += "\nextra"  # one column a line longer than the others
    path.write_bytes(marshal.dumps(index))
    edit(minimal_corpus / "sources" / "reply.yaml", "statement: ", "statement: Reworded, ")
    again = build(minimal_corpus, out)
    assert again.declined == "the index is damaged"
    assert outputs(again) == outputs(_fresh(minimal_corpus, tmp_path))
    edit(minimal_corpus / "sources" / "reply.yaml", "Reworded, ", "Reworded again, ")
    assert isinstance(build(minimal_corpus, out), RebuiltResult)
