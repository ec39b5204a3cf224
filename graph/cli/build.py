"""``build`` and ``check``: turn a corpus folder into Turtle, TriG and an HTML map."""

from __future__ import annotations

from pathlib import Path

import click

from ..build import build as build_corpus
from ..load import load_corpus
from .app import corpus_argument, main, out_dir_option


@main.command()
@corpus_argument
@out_dir_option("Folder for the Turtle, TriG and HTML files.", default=Path("out"))
def build(corpus: Path, out_dir: Path) -> None:
    """Build CORPUS (default: the SB 1047 corpus) into Turtle, TriG and an HTML map.

    Checks the whole corpus first (YAML, schema, ids, references, quotes); if anything is
    wrong it lists every problem and writes nothing.
    """
    result = build_corpus(corpus, out_dir)
    click.echo(result.summary())


@main.command()
@corpus_argument
def check(corpus: Path) -> None:
    """Check CORPUS without writing anything: YAML, schema, ids, references and quotes."""
    c = load_corpus(corpus)
    click.echo(
        f"{c.name}: {len(c.sources)} source documents, {len(c.claims)} claims, "
        f"{len(c.relations)} relations; no problems found."
    )
