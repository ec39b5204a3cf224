"""Drafting: a first map of a document, for its author to review (``build_graph.py draft``).

A position letter takes an hour to map by hand. :func:`draft` reads the letter (plain text,
HTML or PDF), stores its text in the corpus's ``texts/`` and writes a source file marked
``draft: true``: its metadata, its claims with verbatim quotes and offsets, the bill parts it
cites, its topics, the supports its words mark, and, as comments, the claims of other
documents that may answer each claim. Everything is found by rules (no model, nothing
fetched), so the same text gives the same bytes, and every quote is the text's own.

The stages, one module each: :mod:`.text` (the text of the file), :mod:`.sentences`,
:mod:`.claims`, :mod:`.citations`, :mod:`.metadata` (kind, title, date, stance, signers),
:mod:`.relations`, :mod:`.document` (all of them, :func:`draft_text`) and :mod:`.write`
(the YAML).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem
from ..load import load_corpus
from ..model import Corpus
from ..plumbing.staging import write_atomically
from ..reading import MAX_FILE_MB, Allowed, Refused, read_corpus_file
from ..vocab import id_of
from .analysis import draft_analysis
from .document import Draft, draft_text
from .text import DocumentText, read_document, text_of
from .write import to_yaml

__all__ = [
    "Draft",
    "Drafted",
    "DocumentText",
    "draft",
    "draft_folder",
    "draft_text",
    "read_document",
    "text_of",
    "to_yaml",
]

#: The files of a folder that ``draft`` reads, by the ends of their names.
DOCUMENT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".pdf", ".docx")


@dataclass
class Drafted:
    """What :func:`draft` did: the draft, and the files it wrote (or would have)."""

    draft: Draft
    source_file: Path
    text_file: Path
    yaml: str
    wrote: bool

    def summary(self) -> str:
        d = self.draft
        if d.made_by == "import-analysis":
            writers = {w for c in d.claims for w in c.by}
            unplaced = sum(1 for c in d.claims if c.unplaced)
            return (
                f"Imported {self.source_file}: {len(d.positions)} positions, "
                f"{len(d.claims)} quoted claims of {len(writers)} writers"
                + (f" ({unplaced} whose writer the analysis does not name)" if unplaced else "")
                + f", {sum(1 for c in d.citations if c.resolved)} citations in the bill, "
                f"authors {', '.join(d.authors)}"
                + (f"; {len(d.proposed)} organizations proposed as new" if d.proposed else "")
                + "; marked draft: true, review it."
            )
        resolved = sum(1 for c in d.citations if c.resolved)
        to_review = sum(1 for c in d.claims if not c.rephrased)
        return (
            f"Drafted {self.source_file}: {len(d.claims)} claims ({to_review} statements to put "
            f"in your words), {len(d.relations)} supports, {len(d.citations)} citations "
            f"({resolved} in the bill), authors {', '.join(d.authors)}"
            + (f" ({len(d.proposed)} proposed as new)" if d.proposed else "")
            + f", stance {d.stance or 'not found'}; marked draft: true, review it."
        )


def draft(
    file: str | Path,
    corpus_dir: str | Path,
    *,
    bill: str | None = None,
    out: str | Path | None = None,
    begins_after: str | None = None,
    force: bool = False,
    write: bool = True,
    corpus: Corpus | None = None,
    max_file_mb: float = MAX_FILE_MB,
    analysis: bool = False,
) -> Drafted:
    """Draft the document ``file`` into the corpus at ``corpus_dir``: its text goes to
    ``texts/<id>.txt`` and the source file to ``out`` (default ``sources/<id>.yaml``; the id
    is ``out``'s name, or the file's). Nothing is written if anything is wrong (an
    :class:`~graph.errors.InputError`), nor with ``write=False``; a file already there is
    replaced only with ``force`` (a text with the same bytes is left as it is).

    ``corpus``: the corpus loaded already (drafting a folder loads it once). ``analysis``:
    read it as a committee or floor analysis (:mod:`.analysis`, ``import-analysis``): the
    positions its lists record and the letters its arguments quote.
    """
    file = Path(file)
    root = Path(corpus_dir)
    if corpus is None:
        corpus = load_corpus(root, drafts=True, need_sources=False)
    found = read_document(file, max_file_mb)
    out_path = Path(out) if out is not None else root / "sources" / f"{id_of(file.stem)}.yaml"
    doc_id = id_of(out_path.stem)
    if not doc_id or doc_id != out_path.stem:
        raise InputError.single(
            out_path, 0, "name the source file with lowercase letters, digits and hyphens, "
            "e.g. sources/acme-letter-2024-06.yaml"
        )  # fmt: skip
    text_file = root / "texts" / f"{doc_id}.txt"
    if analysis:
        made = draft_analysis(found, doc_id, corpus=corpus, bill=bill, source_name=file.name).draft
    else:
        made = draft_text(
            found,
            doc_id,
            corpus=corpus,
            bill=bill,
            begins_after=begins_after,
            source_name=file.name,
        )
    text_rel = os.path.relpath(text_file.resolve(), out_path.resolve().parent)
    yaml_text = to_yaml(made, Path(text_rel).as_posix())
    files: dict[Path, str | bytes] = {}
    if out_path.exists() and not force:
        raise InputError.single(
            out_path, 0, "exists already; name another file with -o, or pass --force to replace it"
        )
    files[out_path] = yaml_text
    data = made.text.encode("utf-8")
    same_text = False
    if text_file.exists():
        try:
            held = read_corpus_file(text_file, Allowed.of(root)).data
        except (Refused, OSError) as exc:
            raise InputError.single(text_file, 0, f"cannot be read ({exc})") from None
        same_text = held == data
        if not same_text and not force:
            raise InputError.single(
                text_file,
                0,
                "exists already with another text; name the draft otherwise with -o, or pass "
                "--force to replace it",
            )
    if not same_text:
        files[text_file] = data
    if write:
        write_atomically(files)
    return Drafted(made, out_path, text_file, yaml_text, write)


def draft_folder(
    folder: str | Path,
    corpus_dir: str | Path,
    *,
    bill: str | None = None,
    force: bool = False,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
    analysis: bool = False,
) -> tuple[list[Drafted], list[Problem]]:
    """Draft every document of ``folder`` (its ``.txt``, ``.md``, ``.html``, ``.pdf`` and
    ``.docx`` files, in name order) into the corpus: the drafts made, and one problem per file that
    could not be drafted (the others are drafted all the same). ``progress`` wraps the list
    of files, to show a progress bar; ``analysis``: each is an analysis (see :func:`draft`)."""
    corpus = load_corpus(Path(corpus_dir), drafts=True, need_sources=False)
    files = sorted(
        p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
    )
    done: list[Drafted] = []
    problems: list[Problem] = []
    for path in progress(files) if progress else files:
        try:
            done.append(
                draft(path, corpus_dir, bill=bill, force=force, corpus=corpus, analysis=analysis)
            )
        except InputError as exc:
            problems.extend(exc.problems)
    return done, problems
