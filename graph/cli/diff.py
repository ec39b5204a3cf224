"""``diff``: what changed between versions of a bill, word by word, in the terminal or a page."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import InputError
from .app import main, out_file_option
from .import_bill import read_bill_files


@main.command("diff")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--from", "before", metavar="VERSION", help="The earlier version's id.")
@click.option("--to", "after", metavar="VERSION", help="The later version's id.")
@click.option(
    "--part", metavar="CITATION", help="Only this part and its own parts: 22757.12, SEC. 2(d)."
)
@click.option("--bill", "bill_id", metavar="ID", help="The bill, in a corpus of several.")
@click.option(
    "--unchanged", is_flag=True, help="List the parts that did not change too (terminal)."
)
@out_file_option("Write a side-by-side HTML page here (offline, like the map) instead.")
def diff_command(
    sources: tuple[Path, ...],
    before: str | None,
    after: str | None,
    part: str | None,
    bill_id: str | None,
    unchanged: bool,
    out_file: Path | None,
) -> None:
    """Show what changed between versions of a bill, part by part and word by word.

    SOURCES is a corpus folder, a bill file of one (bills/<id>.yaml, whose versions have
    their parts and texts), or the published files of the versions themselves (several
    files or a folder, as import-bill reads them). Struck words are shown [-like this-] and
    inserted ones {+like this+}, as `git diff --word-diff` does; a part renumbered between
    versions is matched by its words and shown as one part.

    With neither --from nor --to, every amendment in turn; with one, the amendment into or
    out of that version; with both, any two versions.
    """
    from ..diff import amendments, word_diff_text
    from ..plumbing.staging import write_atomically

    bill, versions = _versions(sources, bill_id)
    try:
        found = amendments(bill, versions, before=before, after=after, part=part)
    except ValueError as exc:
        raise InputError.single(str(sources[0]), 0, str(exc)) from None
    if out_file is not None:
        from ..diffview import render_diff_html

        write_atomically({out_file: render_diff_html(found)})
        changed = sum(1 for a in found for c in a.changes if c.kind != "unchanged")
        n = len(found)
        click.echo(
            f"Wrote {out_file}: {n} amendment{'s' * (n != 1)} of {bill}, {changed} parts changed."
        )
        return
    color = sys.stdout.isatty()
    click.echo(
        "\n".join(word_diff_text(a, color=color, unchanged=unchanged) for a in found), nl=False
    )


def _versions(sources: tuple[Path, ...], bill_id: str | None) -> tuple[str, list]:
    """The bill's identifier and its versions that have parts (graph.diff.Version), from
    whatever was named."""
    from ..diff import Version

    first = sources[0]
    if len(sources) == 1 and (first / "corpus.yaml").is_file():
        from ..load import load_corpus

        corpus = load_corpus(first)
        bills = [b for b in corpus.bills if bill_id in (None, b.id)]
        if bill_id is not None and not bills:
            known = ", ".join(b.id for b in corpus.bills)
            raise InputError.single(first, 0, f"no bill {bill_id!r} in this corpus ({known})")
        with_parts = [b for b in bills if any(v.parts for v in b.versions)]
        if len(with_parts) > 1:
            raise InputError.single(
                first, 0, "the corpus has several bills with versions: name one with --bill"
            )
        if not with_parts:
            raise InputError.single(
                first,
                0,
                "no bill of this corpus has versions with their parts and texts; "
                "import them with import-bill (several files or a folder of versions)",
            )
        return with_parts[0].identifier, _of_bill(with_parts[0])
    if len(sources) == 1 and first.suffix in (".yaml", ".yml") and first.is_file():
        from ..load import load_bill

        bill = load_bill(first)
        return bill.identifier, _of_bill(bill)
    from ..import_bill import import_versions

    imported = import_versions(read_bill_files(sources))
    versions = [
        Version(vid, v.label, v.date, tuple((p.cite, p.text) for p in v.walk()))
        for vid, v in imported.versions
    ]
    return imported.bill["identifier"], versions


def _of_bill(bill) -> list:  # noqa: ANN001 (graph.model.Bill)
    from ..diff import Version

    return [
        Version(v.id, v.label, v.date, tuple((p.citation, p.text or "") for p in v.parts))
        for v in bill.versions
        if v.parts
    ]
