"""``import-bill``: read a California bill's text page into a corpus bill file."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from ..import_bill import authors_line, citations, import_bill, to_yaml
from ..staging import write_atomically
from .app import main, out_file_option


@main.command("import-bill")
@click.argument("page", type=click.Path(dir_okay=False, path_type=Path))
@out_file_option(
    "Write the bill file here (e.g. corpus/NAME/bills/sb1047.yaml); default: print it."
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=None,
    help="Levels to keep below each bill or code section: 1 keeps subdivisions (a), "
    "2 adds paragraphs (1), and so on. Default: every level.",
)
def import_bill_command(page: Path, out_file: Path | None, depth: int | None) -> None:
    """Read PAGE, a bill's Text page from leginfo.legislature.ca.gov saved as HTML, and
    write the corpus bill file it holds: the bill, its versions and its section tree.

    Every bill section (SECTION 1., SEC. 2.), code section (22603.) and subdivision down to
    clauses is kept with its label as printed; add a one-line summary to the ones the
    debate cites, the authors and the legislative history.
    """
    try:
        html_text = page.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError.single(page, 0, "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError.single(page, 0, f"is not UTF-8 text ({exc.reason})") from None
    bill = import_bill(html_text, depth=depth, name=str(page))
    text = to_yaml(bill, page_name=page.name, authors=authors_line(html_text))
    if out_file is None:
        click.echo(text, nl=False)
        return
    write_atomically({out_file: text})
    click.echo(
        f"Wrote {out_file}: {bill.get('identifier', 'the bill')}, "
        f"{len(bill.get('versions', []))} versions, "
        f"{len(list(citations(bill['sections'])))} sections and parts."
    )
