"""The ontology and its shapes as data: where they live, how to read them, their documentation.

``ontology/billgraph.ttl`` defines every ``bg:`` term the tool writes, ``ontology/shapes.ttl``
says what a graph must hold (read by :mod:`graph.validate`), and
``ontology/reused-terms.ttl`` lists the terms of other vocabularies we use. :func:`ontology_html`
renders the ontology as one self-contained HTML page with pyLODE, offline.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    from rdflib import Graph

#: The folder of the ontology files, beside the package (as the corpus folder is).
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
#: The OWL ontology.
ONTOLOGY_FILE = ONTOLOGY_DIR / "billgraph.ttl"
#: The SHACL shapes.
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
#: The terms of other vocabularies that our data, ontology and shapes use.
REUSED_TERMS_FILE = ONTOLOGY_DIR / "reused-terms.ttl"


@cache
def _parsed(path: Path) -> Graph:
    from rdflib import Graph

    return Graph().parse(path, format="turtle")


def _copy(graph: Graph) -> Graph:
    from rdflib import Graph

    copy = Graph()
    for prefix, ns in graph.namespaces():
        copy.bind(prefix, ns, override=True, replace=True)
    for triple in graph:
        copy.add(triple)
    return copy


def ontology_graph() -> Graph:
    """The OWL ontology as a graph of its own (a copy: change it freely).

    >>> from graph.vocab import BG
    >>> from rdflib.namespace import RDFS
    >>> str(ontology_graph().value(BG.Claim, RDFS.label))
    'claim'
    """
    return _copy(_parsed(ONTOLOGY_FILE))


def shapes_graph() -> Graph:
    """The SHACL shapes that every graph of ours must conform to (a copy)."""
    return _copy(_parsed(SHAPES_FILE))


def reused_terms_graph() -> Graph:
    """The declarations of the other vocabularies' terms we use (a copy)."""
    return _copy(_parsed(REUSED_TERMS_FILE))


def ontology_html() -> str:
    """The ontology's documentation as one HTML page (pyLODE 3.3.4; no network needed).

    Classes, properties and named individuals with their labels, definitions, domains,
    ranges and superclasses, for a reader from any of the vocabularies we align with.
    Raises :class:`~graph.errors.InputError` when pyLODE is not installed.
    """
    # pyLODE calls logging.basicConfig(level=DEBUG) when it loads, which would print its
    # debug chatter (and everyone else's) for the rest of the process; a handler on the root
    # logger while it runs makes that call do nothing.
    root, guard = logging.getLogger(), logging.NullHandler()
    root.addHandler(guard)
    try:
        return _pylode_html()
    finally:
        root.removeHandler(guard)


def _pylode_html() -> str:
    try:
        from pylode import OntPub
    except ImportError:
        raise InputError.single(
            "pylode",
            0,
            "pyLODE is not installed; install the docs extra: "
            "pip install -e '.[docs]' (pyLODE 3.3.4, the last release that works offline)",
        ) from None
    return OntPub(ontology=str(ONTOLOGY_FILE)).make_html()


def docs(out_dir: str | Path = "docs/ontology") -> dict[Path, str]:
    """The files of the ontology's documentation, by path under ``out_dir``, ready to write.

    ``index.html`` (from :func:`ontology_html`) and, beside it, the Turtle files it
    documents (ontology, shapes, reused terms), so the folder can be published as it is.
    """
    out = Path(out_dir)
    return {
        out / "index.html": ontology_html(),
        **{
            out / f.name: f.read_text(encoding="utf-8")
            for f in (ONTOLOGY_FILE, SHAPES_FILE, REUSED_TERMS_FILE)
        },
    }
