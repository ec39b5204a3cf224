"""The command group and what every subcommand shares: error reporting, common arguments.

Bad input (a broken corpus, an unreadable Turtle file, a malformed query) is reported as one
line per problem, without a traceback, and the command exits with status 1; what a message
quotes of the input is shown as words (a line break in it as [U+000A]).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import InputError


class _Group(click.Group):
    """Prints :class:`InputError` as plain lines and exits 1, for every subcommand."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        try:
            return super().invoke(ctx)
        except InputError as exc:
            from ..diff import visible

            for problem in exc.problems:
                # A message may quote the input: a line break or a control character of the
                # input's would print a line of its making or drive the terminal.
                click.echo(f"error: {visible(str(problem))}", err=True)
            n = len(exc.problems)
            click.echo(f"{n} problem{'s' if n != 1 else ''} found; nothing was written.", err=True)
            sys.exit(1)


@click.group(
    cls=_Group,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="bill-argument-graph")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Map the public argument over a bill as a knowledge graph.

    Build a corpus of position letters, statements and analyses into RDF (Turtle, TriG) and
    an interactive HTML map; then query, validate, analyze and export it. With no command,
    builds the SB 1047 corpus into out/ (as `build` does).
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(main.get_command(ctx, "build"))


def out_dir_option(help: str, default: Path | None = None):  # noqa: A002 (click's word)
    """``-o/--out FOLDER``, the same on every command that writes several files."""
    return click.option(
        "-o",
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=default,
        show_default=default is not None,
        help=help,
    )


def out_file_option(help: str):  # noqa: A002 (click's word)
    """``-o/--out FILE``, the same on every command that writes one file."""
    return click.option(
        "-o",
        "--out",
        "out_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=help,
    )
