"""``export`` and ``import-aif``: carry the graph to other tools, and bring AIF maps in.

Both read what the user points them at: a corpus folder, an RDF file (Turtle, TriG,
N-Triples, N-Quads, JSON-LD, RDF/XML) or an AIF JSON map; ``analyze`` reads the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..defaults import DEFAULT_CORPUS
from ..defaults import EXPORT_FORMATS as FORMATS
from ..errors import InputError
from ..plumbing.staging import write_atomically
from .app import main, out_dir_option, out_file_option

if TYPE_CHECKING:
    from rdflib import Dataset

#: rdflib's parser for each RDF file suffix we read.
RDF_SUFFIXES = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".trig": "trig",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
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
    if not path.exists():
        raise InputError.single(path, 0, "no such file or folder")
    if path.suffix == ".json":
        return import_aif_file(path).dataset, path.stem, f"the AIF map {path.name}"
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(RDF_SUFFIXES))
        raise InputError.single(
            path,
            0,
            f"cannot tell the format from {path.suffix!r}; use a corpus folder, "
            f"an AIF .json file or an RDF file ({known})",
        )
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


source_argument = click.argument(
    "source",
    type=click.Path(path_type=Path),
    default=DEFAULT_CORPUS,
    required=False,
)


@main.command()
@source_argument
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
def export(source: Path, formats: tuple[str, ...], out_dir: Path) -> None:
    """Export SOURCE (a corpus folder, an RDF file or an AIF map) for other tools.

    SOURCE defaults to the SB 1047 corpus. Files are named after the corpus or the input
    file and written atomically to OUT.
    """
    from ..emit import union
    from ..export import export as export_formats

    dataset, name, _ = read_source(source)
    wanted = list(FORMATS) if "all" in formats else list(formats)
    files = export_formats(dataset, name, wanted)
    write_atomically({out_dir / fname: text for fname, text in files.items()})
    click.echo(f"Exported {name} ({len(union(dataset))} triples):")
    for fname in files:
        click.echo(f"  {out_dir / fname}")


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
