"""``build`` and ``check``: turn a corpus folder into Turtle, TriG and an HTML map."""

from __future__ import annotations

from pathlib import Path

import click

from ..defaults import DEFAULT_CORPUS
from ..reading import MAX_FILE_MB
from .app import main, out_dir_option

corpora_argument = click.argument(
    "corpora",
    nargs=-1,
    type=click.Path(file_okay=False, path_type=Path),
)

allow_dir_option = click.option(
    "--allow-dir",
    "allow_dirs",
    multiple=True,
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder outside CORPUS whose files the corpus may read (texts kept elsewhere); "
    "repeat for more. Without it, every file the corpus names must be inside CORPUS.",
)

max_file_mb_option = click.option(
    "--max-file-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=MAX_FILE_MB,
    show_default=True,
    metavar="MB",
    help="The largest corpus file (YAML or text) that is read, in MB.",
)


drafts_option = click.option(
    "--drafts",
    is_flag=True,
    help="Build the drafts that `draft` wrote (draft: true) too, marked as drafts on the "
    "map; without it a draft is refused until it is reviewed.",
)


@main.command()
@corpora_argument
@out_dir_option("Folder for the Turtle, TriG and HTML files.", default=Path("out"))
@click.option(
    "--no-cache",
    is_flag=True,
    help="Build everything afresh, ignoring what the last build into OUT_DIR left.",
)
@click.option(
    "--index",
    is_flag=True,
    help="Also index the TriG into the on-disk store that query, map, analyze, export and "
    "serve open, now rather than on the first of them (on a large corpus, about twice a build).",
)
@allow_dir_option
@max_file_mb_option
@drafts_option
def build(
    corpora: tuple[Path, ...],
    out_dir: Path,
    no_cache: bool,
    index: bool,
    allow_dirs: tuple[Path, ...],
    max_file_mb: float,
    drafts: bool,
) -> None:
    """Build CORPORA (default: the SB 1047 corpus) into Turtle, TriG and an HTML map.

    Checks the whole corpus first (YAML, schema, ids, references, quotes); if anything is
    wrong it lists every problem and writes nothing. A build keeps a cache in OUT_DIR/.cache,
    so building again after editing a few files redoes only what they changed.

    A corpus may be someone else's: only regular files inside CORPUS (or an --allow-dir
    folder) are read, of --max-file-mb at most; a text or source that links elsewhere, a
    named pipe or a device is a problem at its line.

    Given several corpora (two debates, say SB 1047's and SB 53's), builds each as it builds
    alone, and writes the dataset of all of them beside: OUT_DIR/<a>+<b>.ttl, .trig and
    .html. Every corpus is checked first; a problem in any writes nothing.

    The commands that read the build (query, map, analyze, export, serve) open the TriG's
    on-disk store, made by the first of them (or by --index) and kept current from then on.
    """
    if len(corpora) > 1:
        from ..pipeline.together import build_together as build_corpus
    else:
        from ..build import build as build_corpus
    result = build_corpus(
        corpora if len(corpora) > 1 else (corpora or (DEFAULT_CORPUS,))[0],
        out_dir,
        use_cache=not no_cache,
        allow_dirs=allow_dirs,
        max_file_mb=max_file_mb,
        drafts=drafts,
    )
    if len(corpora) <= 1:
        from ..store import remember_build

        # `query --corpus`, `serve --corpus` and the rest use this build from now on.
        remember_build((corpora or (DEFAULT_CORPUS,))[0], out_dir)
    for warning in result.warnings:
        click.echo(warning, err=True)
    click.echo(result.summary())
    if index:
        from ..store import store_of

        # Once made, the incremental rebuild keeps the store in step with the TriG.
        click.echo(f"Store: {store_of(result.files['trig'], quiet=True)}")


@main.command()
@corpora_argument
@allow_dir_option
@max_file_mb_option
@drafts_option
def check(
    corpora: tuple[Path, ...], allow_dirs: tuple[Path, ...], max_file_mb: float, drafts: bool
) -> None:
    """Check CORPORA (default: the SB 1047 corpus) without writing anything: YAML,
    schema, ids, references and quotes.

    It reads what build reads, and refuses what build refuses (see build --help), several
    corpora built together included.
    """
    from ..errors import InputError
    from ..load import load_corpus
    from ..pipeline.together import clashes

    checked, problems = [], []
    for corpus in corpora or (DEFAULT_CORPUS,):
        try:
            checked.append(
                load_corpus(corpus, allow_dirs=allow_dirs, max_file_mb=max_file_mb, drafts=drafts)
            )
        except InputError as e:
            problems += e.problems
    problems = problems or clashes(checked)
    if problems:
        raise InputError(problems)
    for c in checked:
        for warning in c.warnings:
            click.echo(str(warning), err=True)
        click.echo(
            f"{c.name}: {len(c.sources)} source documents, {len(c.claims)} claims, "
            f"{len(c.relations)} relations; no problems found."
        )
