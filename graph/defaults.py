"""The defaults a user meets on the command line and in the API, in one light module.

The corpus that ships with the tool, the formats ``export`` writes, the map's cap, the
endpoint's address and limits, the Graph Store parameter: each is defined here once, and
the stage that uses it imports it from here. The command line shows them in ``--help``
without importing any stage (``--help`` starts in a tenth of a second; the stages pull in
rdflib, pyoxigraph, NetworkX and pyvis, which take over a second).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The corpus that ships with the tool: the SB 1047 debate.
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "sb1047"

#: Formats ``export`` writes, with what each is for (shown in ``export --help``).
EXPORT_FORMATS: dict[str, str] = {
    "turtle": "Turtle (.ttl)",
    "ntriples": "N-Triples (.nt), sorted",
    "trig": "TriG (.trig), a named graph per source document",
    "jsonld": "compact JSON-LD (.jsonld) and its reusable context (.context.jsonld)",
    "rdfxml": "RDF/XML (.rdf)",
    "graphml": "GraphML (.graphml) for Gephi, igraph, Cytoscape, yEd",
    "gexf": "GEXF (.gexf) for Gephi",
    "csv": "CSV of nodes and edges (-nodes.csv, -edges.csv)",
    "aif": "AIF JSON (.aif.json) for OVA and AIFdb",
}

#: The most nodes a page hands the browser: vis-network draws 2,000 positioned nodes in
#: about a second on a small machine; beyond that, ask for a focused view.
MAX_NODES = 2000

#: A focused map walks through a node linked to at most this many nodes; one linked to more
#: (a bill, a topic, a coalition of thousands) is a hub: drawn, its links counted, not walked
#: through, so a neighbourhood stays the argument around its focus.
HUB_LINKS = 100

#: Where ``serve`` listens unless told otherwise: this machine only.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

#: The URL parameter that names a graph in the Graph Store Protocol.
DEFAULT_GRAPH_PARAM = "graph"


@dataclass(frozen=True)
class Limits:
    """What one client may take: seconds of work and rows (or triples) of result per query,
    bytes and seconds to send a request, connections open at once, and the memory a query
    may use beyond the graph (``None``: no limit)."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_request_bytes: int = 1_000_000
    request_seconds: float = 10.0
    max_connections: int = 64
    max_query_memory: int | None = 2_000_000_000
    max_response_bytes: int = 100_000_000


#: The most bytes an endpoint's answer may hold (``query``, ``analyze``, ``map`` and
#: ``export`` with ``--endpoint``): an answer is held in memory whole, several times over
#: once parsed, so a larger one is refused rather than read.
MAX_ENDPOINT_BYTES = 512 * 1024 * 1024

#: The most bytes of an endpoint's error answer read: enough for its message.
MAX_ENDPOINT_ERROR_BYTES = 4096
