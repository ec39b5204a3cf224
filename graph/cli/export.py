"""``export`` and ``import-aif``: carry the graph to other tools, and bring AIF maps in.

Both read what the user points them at: a corpus folder, an RDF file (Turtle, TriG,
N-Triples, N-Quads, JSON-LD, RDF/XML) or an AIF JSON map; ``analyze`` reads the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..defaults import DEFAULT_CORPUS
from ..defaults import EXPORT_FORMATS as FORMATS
from ..errors import InputError
from ..plumbing.staging import write_atomically
from .app import main, out_dir_option, out_file_option

if TYPE_CHECKING:
    from rdflib import Dataset

    from ..export import Statements

#: The RDF file suffixes we read, each with its parser's name in rdflib and in pyoxigraph.
RDF_SUFFIXES = {
    ".ttl": ("turtle", "TURTLE"),
    ".nt": ("nt", "N_TRIPLES"),
    ".trig": ("trig", "TRIG"),
    ".nq": ("nquads", "N_QUADS"),
    ".jsonld": ("json-ld", "JSON_LD"),
    ".rdf": ("xml", "RDF_XML"),
    ".owl": ("xml", "RDF_XML"),
    ".xml": ("xml", "RDF_XML"),
}

#: Formats that can hold named graphs; the others fill the default graph.
QUAD_FORMATS = {"trig", "nquads", "json-ld"}


def read_source(path: Path) -> tuple[Dataset, str, str]:
    """The dataset a user points at, with a name for output files and a title for reports.

    A folder is built as a corpus (checked first); ``.json`` is read as an AIF map; other
    suffixes as RDF. Raises :class:`InputError` when the input cannot be read.
    """
    from rdflib import Dataset
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from ..aif import import_aif_file
    from ..build import build

    if path.is_dir():
        result = build(path, None)
        return result.dataset, result.corpus.name, result.corpus.title
    if path.suffix == ".json" and path.exists():
        return import_aif_file(path).dataset, path.stem, f"the AIF map {path.name}"
    fmt, _ = RDF_SUFFIXES[_rdf_suffix(path)]
    ds = Dataset(default_union=True)
    try:
        if fmt in QUAD_FORMATS:
            ds.parse(path, format=fmt)
        else:
            ds.graph(DATASET_DEFAULT_GRAPH_ID).parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many kinds; each means the file is bad
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError.single(path, 0, f"cannot be read as {fmt}: {first}") from None
    name = path.name.split(".")[0] or "graph"
    return ds, name, path.name


@dataclass
class Source:
    """What ``export`` reads: the dataset's statements and a name for the files."""

    statements: Statements
    name: str


def read_source_statements(path: Path) -> Source:
    """The statements of what a user points ``export`` at, read by pyoxigraph: an RDF file
    parsed straight from disk, a corpus folder from its last build's TriG (brought up to
    date first, as ``query --corpus`` does), an AIF map through :func:`read_source`.

    Parsing a million triples takes pyoxigraph seconds where rdflib takes minutes; reading
    them from the file's on-disk index (graph.store) takes longer still, term by term.
    Raises :class:`InputError` naming the file and line when it cannot be read.
    """
    import pyoxigraph as ox

    if path.is_dir():
        trig, name = _last_build(path)
        return _parsed(trig, ox.RdfFormat.TRIG, name)
    if path.is_file() and path.suffix == ".json":
        from ..export import Statements, statements_of

        dataset, name, _ = read_source(path)
        prefixes = {prefix: str(ns) for prefix, ns in dataset.namespaces()}
        return Source(Statements(statements_of(dataset), prefixes), name)
    _, ox_name = RDF_SUFFIXES[_rdf_suffix(path)]
    fmt = getattr(ox.RdfFormat, ox_name)
    return _parsed(path, fmt, path.name.split(".")[0] or "graph")


def _last_build(corpus: Path) -> tuple[Path, str]:
    """The TriG of the last build of ``corpus`` brought up to date, and the corpus's name."""
    from ..build import build
    from ..store import build_dir_of, remember_build, result_names

    out = build_dir_of(corpus)
    result = build(corpus, out)
    remember_build(corpus, out)
    return result.files["trig"], result_names(result)[0]


def _parsed(path: Path, fmt: Any, name: str) -> Source:
    import pyoxigraph as ox

    from ..export import Statements
    from ..plumbing.collector import gc_paused

    parser = ox.parse(path=str(path), format=fmt)
    try:
        with gc_paused():
            statements = list(parser)
    except SyntaxError as exc:
        line, message = _syntax_error_at(str(exc))
        if "remote contexts" in message:  # pyoxigraph's words for a context it would fetch
            message = (
                "its @context is a document on the web, which is not fetched: "
                "put the context in the file"
            )
        raise InputError.single(path, line, f"cannot be read as {fmt.name}: {message}") from None
    return Source(Statements(statements, dict(parser.prefixes)), name)


def _syntax_error_at(message: str) -> tuple[int, str]:
    """The line of a pyoxigraph syntax error, and its message from the column on.

    >>> _syntax_error_at("Parser error at line 3 column 1: Unexpected end (a.ttl, line 3)")
    (3, 'column 1: Unexpected end')
    """
    m = re.search(r"line (\d+)(?: between columns| column) (\d+)[^:]*: ", message)
    if not m:
        return 0, message
    rest = re.sub(r"\s*\([^()]*line \d+\)$", "", message[m.end() :])
    return int(m[1]), f"column {m[2]}: {rest}"


def _rdf_suffix(path: Path) -> str:
    """The suffix of the RDF file at ``path``, or :class:`InputError` saying what to give
    when there is no such file or its suffix names no format we read."""
    if not path.exists():
        raise InputError.single(path, 0, "no such file or folder")
    suffix = path.suffix.lower()
    if suffix not in RDF_SUFFIXES:
        known = ", ".join(sorted(RDF_SUFFIXES))
        raise InputError.single(
            path,
            0,
            f"cannot tell the format from {path.suffix!r}; use a corpus folder, "
            f"an AIF .json file or an RDF file ({known})",
        )
    return suffix


source_argument = click.argument(
    "source",
    type=click.Path(path_type=Path),
    default=DEFAULT_CORPUS,
    required=False,
)


@main.command()
@click.argument("source", type=click.Path(path_type=Path), required=False)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice([*FORMATS, "all"]),
    default=("turtle",),
    show_default=True,
    help="Format to write; repeat for several, or 'all'. "
    + "; ".join(f"{k}: {v}" for k, v in FORMATS.items()),
)
@out_dir_option("Folder for the exported files.", default=Path("out"))
@click.option(
    "--endpoint",
    metavar="URL",
    help="Export the graph a SPARQL endpoint holds instead (e.g. http://127.0.0.1:7878/query).",
)
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    metavar="IRI",
    help="With --endpoint: a named graph to export (repeatable) "
    "[default: the graphs `push` wrote there, or else every named graph].",
)
@click.option(
    "--name",
    default=None,
    help="Name of the exported files [default: the corpus's or the file's; 'graph' for "
    "--endpoint].",
)
def export(
    source: Path | None,
    formats: tuple[str, ...],
    out_dir: Path,
    endpoint: str | None,
    graphs: tuple[str, ...],
    name: str | None,
) -> None:
    """Export SOURCE (a corpus folder, an RDF file or an AIF map) for other tools.

    SOURCE defaults to the SB 1047 corpus; a corpus is exported from its last build, brought
    up to date first. With --endpoint, the graph a SPARQL server holds is exported instead,
    read page by page. Files are named after the corpus or the input file and written
    atomically to OUT.
    """
    from ..export import export_statements
    from ..plumbing.collector import gc_paused

    if endpoint is None and graphs:
        raise click.UsageError("--graph goes with --endpoint")
    if endpoint is not None and source is not None:
        raise click.UsageError("give SOURCE or --endpoint, not both")
    if endpoint is not None:
        read = _remote_statements(endpoint, graphs)
    else:
        read = read_source_statements(source or DEFAULT_CORPUS)
    name = name or read.name
    wanted = list(FORMATS) if "all" in formats else list(formats)
    with gc_paused():
        files = export_statements(read.statements, name, wanted)
    write_atomically({out_dir / fname: text for fname, text in files.items()})
    click.echo(f"Exported {name} ({len(read.statements.union)} triples):")
    for fname in files:
        click.echo(f"  {out_dir / fname}")


def _remote_statements(endpoint: str, graphs: tuple[str, ...]) -> Source:
    """The statements of the graphs a server holds (graph.remote), or the server's failure
    as the command's error."""
    import pyoxigraph as ox

    from ..export import Statements
    from ..query import EndpointError, SparqlEndpoint
    from ..remote import read_dataset

    for name in graphs:
        try:
            ox.NamedNode(name)
        except ValueError as exc:
            raise click.UsageError(f"--graph: {exc}") from None
    try:
        quads = read_dataset(SparqlEndpoint(endpoint), graphs or None)
    except EndpointError as exc:
        raise click.ClickException(str(exc)) from None
    return Source(Statements(quads), "graph")


@main.command("import-aif")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@out_file_option("Turtle file to write [default: out/<FILE's name>.ttl].")
@click.option(
    "--base",
    default=None,
    help="Base IRI of the imported nodes [default: https://w3id.org/billgraph/corpus/<name>/].",
)
def import_aif(file: Path, out_file: Path | None, base: str | None) -> None:
    """Import an AIF JSON argument map (from OVA or AIFdb) as Turtle in our vocabulary.

    I-nodes become claims, RA-nodes supports, CA-nodes attacks; L, YA, TA, PA and MA nodes,
    locutions with their speakers, participants and scheme ids are kept in AIF's own terms,
    so exporting with '--format aif' gives the map back. What the file holds beyond that
    (OVA's layout, xAIF's text, HEVY nodes, ...) is named, with counts, as not kept.
    """
    from rdflib.namespace import RDF

    from ..aif import import_aif_file
    from ..emit import union
    from ..export import to_turtle
    from ..network import argument_relations
    from ..vocab import BG

    imported = import_aif_file(file, base)
    graph = union(imported.dataset)
    out_file = out_file or Path("out") / f"{file.stem}.ttl"
    write_atomically({out_file: to_turtle(graph)})
    relations = argument_relations(graph)
    attacks = sum(r.is_attack for r in relations)
    claims = len(set(graph.subjects(RDF.type, BG.Claim)))
    click.echo(
        f"Imported {file.name}: {claims} claims, {len(relations) - attacks} supports, "
        f"{attacks} attacks ({len(graph)} triples)"
    )
    summary = imported.summary()
    click.echo(f"{summary[0].upper()}{summary[1:]}\nWrote: {out_file}")
