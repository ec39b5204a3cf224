"""``validate`` and ``docs``: check any RDF file against our shapes; document the ontology."""

from __future__ import annotations

from pathlib import Path

import click

from ..plumbing.staging import write_atomically
from .app import main, out_dir_option


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--shapes",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="SHACL shapes to check against, in Turtle [default: ontology/shapes.ttl].",
)
def validate(file: Path, shapes: Path | None) -> None:
    """Check FILE (Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML) against the shapes.

    Any graph will do: one we built, an imported AIF map, or someone else's Turtle. If it
    does not conform, each problem is printed at the line of FILE where the offending node
    is written, with the rule it breaks, and the exit status is 1.
    """
    from ..validate import validate_file

    report = validate_file(file, shapes)
    click.echo(f"{file}: {report.text()}")


@main.command()
@out_dir_option(
    "Folder for index.html and the ontology's Turtle files.", default=Path("docs/ontology")
)
def docs(out_dir: Path) -> None:
    """Write the ontology's HTML documentation (pyLODE, offline) and its Turtle files to OUT.

    Needs the docs extra: pip install -e '.[docs]'.
    """
    from ..ontology import docs as ontology_docs

    files = ontology_docs(out_dir)
    write_atomically(files)
    click.echo("Wrote the ontology's documentation:")
    for path in files:
        click.echo(f"  {path}")
