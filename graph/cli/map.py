"""``map``: the interactive HTML map of the debate, whole or around one claim, section or group."""

from __future__ import annotations

from pathlib import Path

import click

from ..defaults import MAX_NODES
from ..plumbing.staging import write_atomically
from .app import main, out_file_option
from .export import read_source, source_argument


@main.command("map")
@source_argument
@click.option(
    "--focus",
    "focus_on",
    metavar="ID",
    default=None,
    help="Draw only the neighbourhood of this node: a claim (document/claim id), an "
    "organization, a section citation such as 22603, a topic, or an IRI.",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="How many links away from the focus to draw.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=MAX_NODES,
    show_default=True,
    help="The most nodes to hand the browser; the rest is left out, and named.",
)
@out_file_option(
    "HTML file to write [default: out/<name>.html, or out/<name>-map.html with --focus]."
)
def map_(
    source: Path, focus_on: str | None, depth: int, max_nodes: int, out_file: Path | None
) -> None:
    """Draw SOURCE (a corpus folder, an RDF file or an AIF map) as an interactive HTML map.

    SOURCE defaults to the SB 1047 corpus. The page is one file that opens from disk with no
    network. It opens on the overview (who is for and against, about which parts of the
    bill, and when); the argument map beside it: click a node for its details (quote,
    source, supporters and attackers, whether it stands); filter by kind, stance,
    organization, topic and bill section; search; and the bill's text, each version with
    what changed and the claims about each part in its margin. Prints how many nodes the
    map shows and what it left out.
    """
    from ..emit import union
    from ..network import to_networkx
    from ..reader import bill_text
    from ..visualize import render_map

    dataset, name, title = read_source(source)
    graph = union(dataset)
    page = render_map(
        to_networkx(graph),
        focus_on,
        depth=depth,
        max_nodes=max_nodes,
        title=title,
        bill_text=bill_text(graph),
    )
    out = out_file or Path("out") / (f"{name}-map.html" if focus_on else f"{name}.html")
    write_atomically({out: page.html})
    click.echo(page.summary())
    click.echo(f"Wrote {out}")
