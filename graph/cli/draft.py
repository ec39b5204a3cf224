"""``draft`` and ``import-analysis``: a first map of a statement, letter, testimony or
committee analysis, for its author to review."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from ..defaults import DEFAULT_CORPUS
from ..errors import InputError
from .app import main, out_file_option


def _document_options(joins: str) -> Callable[[Callable], Callable]:
    """The options ``draft`` and ``import-analysis`` share: the corpus the document joins
    (``joins`` says what of it they use), its bill, the source file to write."""

    def decorate(command: Callable) -> Callable:
        for option in reversed(
            [
                click.argument("file", type=click.Path(path_type=Path)),
                click.option(
                    "--corpus",
                    "corpus_dir",
                    type=click.Path(file_okay=False, path_type=Path),
                    default=DEFAULT_CORPUS,
                    show_default="the SB 1047 corpus",
                    help=f"The corpus the document joins: {joins}.",
                ),
                click.option(
                    "--bill",
                    default=None,
                    help="The id of the bill it is on (a corpus of several).",
                ),
                out_file_option(
                    "Write the source file here (default: CORPUS/sources/<the file's name>.yaml); "
                    "its name is the document's id."
                ),
            ]
        ):
            command = option(command)
        return command

    return decorate


@main.command("draft")
@_document_options("its registry, topics, bill and other documents")
@click.option(
    "--begins-after",
    default=None,
    metavar="WORDS",
    help="Words that end a header which is not the document's own (a copy's summary); "
    "claims are looked for after them.",
)
@click.option("--force", is_flag=True, help="Replace a source file or text that is there.")
def draft_command(
    file: Path,
    corpus_dir: Path,
    bill: str | None,
    out_file: Path | None,
    begins_after: str | None,
    force: bool,
) -> None:
    """Draft a map of FILE (plain text, HTML, PDF or Word; or a folder of them) for review.

    Stores its text in CORPUS/texts/ and writes a source file marked `draft: true`: title,
    date, authors (matched against organizations.yaml by name, alias or acronym, or
    proposed), stance, claims with verbatim quotes, the bill parts they cite, topics and
    the supports the text marks; comments say what to check, and which claims of other
    documents may answer each claim. A build refuses the file until you have reviewed it
    and deleted `draft: true` (or, with --drafts, builds it marked as a draft).
    """
    _draft(file, corpus_dir, bill, out_file, begins_after, force, analysis=False)


@main.command("import-analysis")
@_document_options("its registry of organizations, topics and bill")
@click.option("--force", is_flag=True, help="Replace a source file or text that is there.")
def import_analysis_command(
    file: Path, corpus_dir: Path, bill: str | None, out_file: Path | None, force: bool
) -> None:
    """Import a committee or floor analysis (Markdown, HTML, Word or PDF; or a folder).

    Stores its text in CORPUS/texts/ and writes a source file marked `draft: true`: the
    analysis (committee, hearing date, the version it reads); every organization in its
    registered support and opposition lists as a position at this stage, matched against
    organizations.yaml by name, alias or acronym (the match shown in a comment) or proposed
    with a stable id; and every paragraph its "Arguments in Support" and "Arguments in
    Opposition" quote as a claim of the organizations it names as writers (`by:`), with
    the quote's offsets and the bill parts it cites. Review it, then delete `draft: true`.
    """
    _draft(file, corpus_dir, bill, out_file, None, force, analysis=True)


def _draft(
    file: Path,
    corpus_dir: Path,
    bill: str | None,
    out_file: Path | None,
    begins_after: str | None,
    force: bool,
    *,
    analysis: bool,
) -> None:
    from ..drafting import draft, draft_folder

    if file.is_dir():
        if out_file is not None or begins_after is not None:
            raise InputError.single(file, 0, "is a folder: -o and --begins-after name one file")
        with click.progressbar(length=0, label="Drafting", file=sys.stderr, show_pos=True) as bar:

            def progress(files):  # noqa: ANN001, ANN202
                bar.length = len(files)
                for f in files:
                    yield f
                    bar.update(1)

            done, problems = draft_folder(
                file, corpus_dir, bill=bill, force=force, progress=progress, analysis=analysis
            )
        for d in done:
            click.echo(d.summary())
        for p in problems:
            click.echo(f"error: {p}", err=True)
        click.echo(
            f"Drafted {len(done)} documents into {corpus_dir}"
            + (
                f"; {len(problems)} could not be drafted (nothing written for them)."
                if problems
                else "."
            )
        )
        if problems:
            sys.exit(1)
        return
    result = draft(
        file,
        corpus_dir,
        bill=bill,
        out=out_file,
        begins_after=begins_after,
        force=force,
        analysis=analysis,
    )
    click.echo(result.summary())
