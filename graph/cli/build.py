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
@click.option(
    "--no-cache",
    is_flag=True,
    help="Build everything afresh, ignoring what the last build into OUT_DIR left.",
)
def build(corpus: Path, out_dir: Path, no_cache: bool) -> None:
    """Build CORPUS (default: the SB 1047 corpus) into Turtle, TriG and an HTML map.

    Checks the whole corpus first (YAML, schema, ids, references, quotes); if anything is
    wrong it lists every problem and writes nothing. A build keeps a cache in OUT_DIR/.cache,
    so building again after editing a few files redoes only what they changed.
    """
    result = build_corpus(corpus, out_dir, use_cache=not no_cache)
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
