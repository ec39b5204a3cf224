"""Exporting: the RDF dataset as text in the formats other tools read.

Functions here take graphs and return strings; writing files is the build's job. Turtle and
TriG are written so that the same graph always gives the same bytes, which makes a changed
corpus show as a readable diff.
"""

from __future__ import annotations

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID


def to_turtle(graph: Graph) -> str:
    """The graph as Turtle, subjects and predicates in a stable order."""
    return graph.serialize(format="turtle")


def to_trig(dataset: Dataset) -> str:
    """The dataset as TriG: one block per named graph, graphs sorted by IRI.

    rdflib's own TriG writer orders graphs by hash, which changes from run to run; here each
    graph is written with the (sorted) Turtle writer and the blocks are put in IRI order.
    """
    prefixes: set[str] = set()
    blocks: list[str] = []
    named = sorted(
        (g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)),
        key=lambda g: str(g.identifier),
    )
    for ctx in named:
        sub = Graph()
        for prefix, ns in dataset.namespaces():
            sub.bind(prefix, ns, override=True, replace=True)
        for triple in ctx:
            sub.add(triple)
        body: list[str] = []
        for line in sub.serialize(format="turtle").splitlines():
            if line.startswith("@prefix"):
                prefixes.add(line)
            elif line.strip() or (body and body[-1]):
                # Not indented: a multi-line literal must keep its lines as they are.
                body.append(line)
        while body and not body[-1]:
            body.pop()
        blocks.append(f"<{ctx.identifier}> {{\n" + "\n".join(body) + "\n}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)
