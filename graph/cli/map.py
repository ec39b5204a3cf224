"""``map``: the interactive HTML map of the debate, whole or around one claim, section or group."""

from __future__ import annotations

from pathlib import Path

import click

from ..defaults import HUB_LINKS, MAX_NODES
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
    "--hub-links",
    type=click.IntRange(min=0),
    default=HUB_LINKS,
    show_default=True,
    help="With --focus: a node linked to more nodes than this (a bill, a topic, a large "
    "coalition) is drawn but not walked through; the map names each such hub.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=MAX_NODES,
    show_default=True,
    help="The most nodes to hand the browser; the rest is left out, and named.",
)
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="With --focus: draw the neighbourhood from a SPARQL endpoint that holds the graph "
    "(e.g. http://127.0.0.1:7878/query) instead of SOURCE.",
)
@out_file_option(
    "HTML file to write [default: out/<name>.html, or out/<name>-map.html with --focus]."
)
@click.pass_context
def map_(
    ctx: click.Context,
    source: Path,
    focus_on: str | None,
    depth: int,
    hub_links: int,
    max_nodes: int,
    endpoint: str | None,
    out_file: Path | None,
) -> None:
    """Draw SOURCE (a corpus folder, an RDF file or an AIF map) as an interactive HTML map.

    SOURCE defaults to the SB 1047 corpus. The page is one file that opens from disk with no
    network. It opens on the overview (who is for and against, about which parts of the
    bill, and when); the argument map beside it: click a node for its details (quote,
    source, supporters and attackers, whether it stands); filter by kind, stance,
    organization, topic and bill section; search; and the bill's text, each version with
    what changed and the claims about each part in its margin. Prints how many nodes the
    map shows and what it left out.

    With --focus, the neighbourhood is found in the graph's store (an RDF file's, or a
    corpus's last build) without reading the rest, so a legislature of a million statements
    draws in seconds; hubs are drawn but not walked through.
    """
    if endpoint is not None:
        if focus_on is None:
            raise click.UsageError("--endpoint draws a neighbourhood: give --focus ID too")
        if ctx.get_parameter_source("source") is not click.core.ParameterSource.DEFAULT:
            raise click.UsageError("give SOURCE or --endpoint, not both")
    if focus_on is not None and (endpoint is not None or source.suffix != ".json"):
        _focused(source, endpoint, focus_on, depth, hub_links, max_nodes, out_file)
        return
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


def _focused(
    source: Path,
    endpoint: str | None,
    focus_on: str,
    depth: int,
    hub_links: int,
    max_nodes: int,
    out_file: Path | None,
) -> None:
    """``map --focus``: the neighbourhood drawn from the source's store, or an endpoint."""
    from ..neighbourhood import Asker, bill_text_of, cached_index, focused_map
    from ..query import EndpointError, SparqlEndpoint

    index = None
    if endpoint is not None:
        graph, name, title = SparqlEndpoint(endpoint), "endpoint", endpoint
    else:
        from ..store import corpus_store, file_store

        opened = corpus_store(source) if source.is_dir() else file_store(_rdf_file(source))
        graph, name, title = opened.store, opened.name, opened.title
        index = cached_index(Asker(graph), opened.folder)
    try:
        bill = bill_text_of(graph)
        drawn = focused_map(
            graph,
            focus_on,
            depth=depth,
            hub_links=hub_links,
            max_nodes=max_nodes,
            title=title,
            bill_text=bill,
            index=index,
        )
    except EndpointError as exc:
        raise click.ClickException(str(exc)) from None
    out = out_file or Path("out") / f"{name}-map.html"
    write_atomically({out: drawn.page.html})
    click.echo(drawn.summary())
    click.echo(f"Wrote {out}")


def _rdf_file(path: Path) -> Path:
    """``path``, if it is an RDF file ``map`` reads (the message ``read_source`` gives if not)."""
    from ..errors import InputError
    from .export import RDF_SUFFIXES

    if not path.exists():
        raise InputError.single(path, 0, "no such file or folder")
    if path.suffix.lower() not in RDF_SUFFIXES:
        read_source(path)  # raises the message every command gives for an unknown format
    return path
