"""``analyze``: the stance matrix, contested sections, chains, rankings and argument evaluation."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from ..plumbing.staging import write_atomically
from .app import main, out_dir_option
from .export import read_source, source_argument


def _write_bytes(path: Path, data: bytes) -> None:
    """Write a binary file through a temporary file beside it, so it is never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


#: RDF files Oxigraph reads, analysed from their store on disk (graph.store: indexed once per
#: change of the file); other files (JSON-LD, AIF) are read as `export` reads them.
OXIGRAPH_SUFFIXES = {".ttl", ".trig", ".nt", ".nq", ".rdf", ".owl"}


def read_graph(path: Path):  # noqa: ANN201 (an rdflib Graph or a pyoxigraph Store)
    """The graph a user points ``analyze`` at, with a name for output files and a title.

    A corpus folder is analysed from the store of its last build, brought up to date first
    (checked as ``build`` checks it); an RDF file from its store on disk, indexed once per
    change of the file, so a large graph is neither built nor parsed again on the way to an
    answer; an AIF map or a JSON-LD file is read by rdflib, as ``export`` reads it. The
    analyses read any of them the same way, so the report is the same.
    """
    from ..emit import union
    from ..store import corpus_store, file_store

    if path.is_dir():
        opened = corpus_store(path)
        return opened.store, opened.name, opened.title
    if path.suffix.lower() in OXIGRAPH_SUFFIXES and path.is_file():
        opened = file_store(path)
        return opened.store, opened.name, opened.title
    dataset, name, title = read_source(path)
    return union(dataset), name, title


#: What output files are named after when the graph is a SPARQL server's.
ENDPOINT_NAME = "endpoint"


@main.command()
@source_argument
@click.option(
    "--endpoint",
    metavar="URL",
    help="Analyze the graph a SPARQL endpoint holds instead "
    "(e.g. http://127.0.0.1:7878/query), as `query --endpoint` asks it.",
)
@click.option(
    "--default-graph",
    "default_graphs",
    multiple=True,
    metavar="IRI",
    help="With --endpoint: a graph to analyze as the default graph (repeatable).",
)
@out_dir_option(
    "Also write the stance matrix (CSV), its heatmap (PNG) and a table of claims (CSV) "
    "to this folder."
)
@click.pass_context
def analyze(
    ctx: click.Context,
    source: Path,
    endpoint: str | None,
    default_graphs: tuple[str, ...],
    out_dir: Path | None,
) -> None:
    """Analyze SOURCE (a corpus folder, an RDF file or an AIF map) and print the report.

    The stance matrix of organizations by bill section; the most contested sections;
    unanswered claims; the longest chains of claim and counterclaim; coalition overlap; the
    most central claims and organizations (with the measure named); and the grounded and
    preferred semantics of the attacks, explaining why each rejected claim is out. With
    --endpoint, the graph a SPARQL server holds (pushed there with `push`), analysed alike.
    """
    from ..analyze import analyze as analyze_graph
    from ..analyze import stance_heatmap
    from ..query import EndpointError, SparqlEndpoint

    if endpoint is not None:
        if ctx.get_parameter_source("source") is not click.core.ParameterSource.DEFAULT:
            raise click.UsageError("give SOURCE or --endpoint, not both")
        graph = SparqlEndpoint(endpoint, default_graphs=default_graphs)
        name, title = ENDPOINT_NAME, endpoint
    elif default_graphs:
        raise click.UsageError("--default-graph goes with --endpoint")
    else:
        graph, name, title = read_graph(source)
    try:
        result = analyze_graph(graph, title)
    except EndpointError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result.to_text(), nl=False)
    if out_dir is None:
        return
    texts = {
        out_dir / f"{name}-stance-matrix.csv": result.matrix.to_csv(),
        out_dir / f"{name}-claims.csv": result.claims_csv(),
    }
    heatmap = out_dir / f"{name}-stance-heatmap.png"
    write_atomically(texts)
    _write_bytes(heatmap, stance_heatmap(result.matrix, f"Stance by section: {title}"))
    click.echo("Wrote:")
    for path in [*texts, heatmap]:
        click.echo(f"  {path}")
