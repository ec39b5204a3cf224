"""The questions the tool ships: ``graph/queries/*.rq``, one question a file.

Each file opens with a comment that asks its question in plain words and names its
parameters; :func:`canned_queries` reads those comments, so ``query --list`` and the endpoint's
page show the questions without loading a SPARQL engine (:mod:`graph.query` runs them).

>>> canned_queries()["claims-about-section"].parameters[0].name
'section'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import InputError

#: Where the canned questions live.
QUERIES_DIR = Path(__file__).resolve().parent / "queries"

#: The questions only several debates built together answer (``build A B -o OUT``): on one
#: debate they have nothing to join, so the benchmark of a single legislature leaves them out.
ACROSS_DEBATES = ("both-bills", "dropped-provisions", "recurring-objections", "switched-sides")

#: Engines :func:`query` can run a query on.
ENGINES = ("oxigraph", "rdflib")

#: Formats of SELECT and ASK results, with their media types.
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: Formats of CONSTRUCT and DESCRIBE results (graphs), with their media types.
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


@dataclass(frozen=True)
class Parameter:
    """A parameter of a canned question: a variable of the query a user may fix.

    ``kind`` is ``iri`` (an IRI, ``<...>`` or a prefixed name such as ``bg:OpposeStance``)
    or ``text`` (a plain string, such as a citation or a name).
    """

    name: str
    kind: str
    description: str
    optional: bool = True


@dataclass(frozen=True)
class CannedQuery:
    """A question the tool ships: its name, the question in plain words, and the query."""

    name: str
    question: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


_PARAM_LINE = re.compile(r"^(\w+) \((iri|text)(, optional)?\): (.+)$")


def _read_header(path: Path, text: str) -> CannedQuery:
    """The question, description and parameters from the comment a ``.rq`` file opens with."""
    comment: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comment.append(line[1:].strip())
    paragraphs: list[list[str]] = [[]]
    for line in comment:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise InputError.single(
            path, 1, "a canned query must open with a comment asking its question"
        )
    question = " ".join(paragraphs[0])
    description: list[str] = []
    parameters: list[Parameter] = []
    for para in paragraphs[1:]:
        if para[0].startswith("Parameters"):
            for line in para[1:]:
                m = _PARAM_LINE.match(line)
                if m:
                    parameters.append(Parameter(m[1], m[2], m[4], bool(m[3])))
                elif parameters:
                    last = parameters[-1]
                    parameters[-1] = Parameter(
                        last.name, last.kind, f"{last.description} {line}", last.optional
                    )
        else:
            description.append(" ".join(para))
    return CannedQuery(
        name=path.stem,
        question=question,
        description="\n\n".join(description),
        parameters=tuple(parameters),
        text=text,
        path=path,
    )


@cache
def canned_queries() -> dict[str, CannedQuery]:
    """The questions the tool ships, by name (the ``.rq`` file's stem), in name order.

    >>> "unanswered-claims" in canned_queries()
    True
    """
    out = {}
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        out[path.stem] = _read_header(path, path.read_text(encoding="utf-8"))
    return out
