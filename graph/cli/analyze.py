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


#: RDF files parsed by Oxigraph (a million triples in seconds, where rdflib takes a minute
#: or more); other files (JSON-LD, AIF) are read as `export` reads them.
OXIGRAPH_SUFFIXES = {".ttl", ".trig", ".nt", ".nq", ".rdf", ".owl"}


def read_graph(path: Path):  # noqa: ANN201 (an rdflib Graph or a pyoxigraph Store)
    """The graph a user points ``analyze`` at, with a name for output files and a title.

    A corpus folder is built (checked first) and its store analysed; an RDF file is parsed
    into an Oxigraph store; an AIF map or a JSON-LD file is read by rdflib, as ``export``
    reads it. The analyses read either the same way, so the report is the same.
    """
    from ..build import build
    from ..emit import union
    from ..query import load_store

    if path.is_dir():
        result = build(path, None)
        return result.store, result.corpus.name, result.corpus.title
    if path.suffix.lower() in OXIGRAPH_SUFFIXES and path.is_file():
        return load_store(path), path.name.split(".")[0] or "graph", path.name
    dataset, name, title = read_source(path)
    return union(dataset), name, title


@main.command()
@source_argument
@out_dir_option(
    "Also write the stance matrix (CSV), its heatmap (PNG) and a table of claims (CSV) "
    "to this folder."
)
def analyze(source: Path, out_dir: Path | None) -> None:
    """Analyze SOURCE (a corpus folder, an RDF file or an AIF map) and print the report.

    The stance matrix of organizations by bill section; the most contested sections;
    unanswered claims; the longest chains of claim and counterclaim; coalition overlap; the
    most central claims and organizations (with the measure named); and the grounded and
    preferred semantics of the attacks, explaining why each rejected claim is out.
    """
    from ..analyze import analyze as analyze_graph
    from ..analyze import stance_heatmap

    graph, name, title = read_graph(source)
    result = analyze_graph(graph, title)
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
