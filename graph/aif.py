"""AIF JSON in and out: argument maps made in OVA or taken from AIFdb corpora, as our RDF.

The Argument Interchange Format's JSON (as AIFdb exports it and OVA saves it) is a list of
nodes and a list of untyped edges; a node's type gives an edge its meaning. :func:`import_aif`
turns a map into the same RDF terms a corpus gives (see :mod:`graph.emit`), so an imported
map is queried, drawn and analysed like any corpus:

=========  ====================================================================
AIF node   RDF
=========  ====================================================================
I          ``bg:Claim`` with ``rdfs:label`` = the node's text
RA         ``bg:Support``: ``bg:premise`` (each I-node into it), ``bg:conclusion``
CA         ``bg:Attack`` and ``bg:Rebuttal``; ``bg:Undercut`` when it attacks an RA
           or CA node or its scheme names an undercut, ``bg:Undermining`` when its
           scheme names an undermining
PA, MA     ``aif:PA-node`` / ``aif:MA-node`` (a preference, a rephrase), with
           ``aif:Premise`` and ``aif:Conclusion``
L          ``aif:L-node``: a locution, the words as spoken
YA         ``aif:YA-node``: ``aif:Locution`` (its locution), ``aif:IllocutionaryContent``
TA         ``aif:TA-node``: ``aif:StartLocution``, ``aif:EndLocution``
=========  ====================================================================

Every node keeps its AIF ``nodeID`` as ``dcterms:identifier`` and its timestamp as
``dcterms:created``, so :func:`to_aif` gives back the same nodes and edges. The whole map
goes into one named graph, as one source document.

:func:`to_aif` writes any of our graphs as AIF JSON: claims become I-nodes, supports RA-nodes
and attacks CA-nodes, plus whatever L, YA, TA, PA and MA nodes the graph holds.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from .errors import InputError, Problem
from .vocab import AIF, BG, DEFAULT_BASE, PREFIXES, Minter, slug

#: The node types of AIF JSON that we read and write.
NODE_TYPES = ("I", "L", "RA", "CA", "PA", "MA", "YA", "TA")
#: S-nodes (scheme applications) carry the edges between the others.
S_NODES = ("RA", "CA", "PA", "MA", "YA", "TA")

#: Our classes of attack, by the words a CA node's scheme uses for them.
_CA_SCHEMES = (("undercut", BG.Undercut), ("undermin", BG.Undermining))

#: The AIF class of the node types that have no class of our own.
_AIF_CLASS = {t: AIF[f"{t}-node"] for t in ("L", "PA", "MA", "YA", "TA")}

#: Predicates linking an S-node to its antecedents (edges into it) and consequents (out of it).
_ANTECEDENT = (BG.premise, AIF.Premise, AIF.Locution, AIF.StartLocution, AIF.Anchor)
_CONSEQUENT = (BG.conclusion, AIF.Conclusion, AIF.IllocutionaryContent, AIF.EndLocution)

_TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$")


def _antecedent_predicate(s_type: str, other: str) -> URIRef:
    if s_type in ("RA", "CA") and other == "I":
        return BG.premise
    if s_type == "YA":
        return AIF.Locution if other == "L" else AIF.Anchor
    if s_type == "TA" and other == "L":
        return AIF.StartLocution
    return AIF.Premise


def _consequent_predicate(s_type: str, other: str) -> URIRef:
    if s_type in ("RA", "CA"):
        return BG.conclusion
    if s_type == "YA":
        return AIF.IllocutionaryContent
    if s_type == "TA" and other == "L":
        return AIF.EndLocution
    return AIF.Conclusion


# --- import -------------------------------------------------------------------------------


def read_aif(path: str | Path) -> dict[str, Any]:
    """The AIF JSON in a file: the plain form, or OVA's xAIF with the map under ``AIF``.

    Raises :class:`InputError` when the file is not JSON or holds no AIF nodes and edges.
    """
    shown = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError.single(shown, 0, "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError.single(shown, 0, f"is not UTF-8 text ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise InputError.single(shown, exc.lineno, f"is not valid JSON: {exc.msg}") from None
    if isinstance(data, dict) and isinstance(data.get("AIF"), dict):
        data = data["AIF"]
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise InputError.single(
            shown, 0, "is not an AIF map: expected a JSON object with 'nodes' and 'edges' lists"
        )
    return data


def import_aif(
    data: dict[str, Any], name: str, base: str | None = None, shown: str | None = None
) -> Dataset:
    """An AIF map as an RDF dataset: one named graph holding the map as one source document.

    ``name`` names the map (the file's stem, say) and its IRIs, under ``base`` (by default
    ``https://w3id.org/billgraph/corpus/<name>/``). Raises :class:`InputError` listing every
    node and edge that cannot be read, in the file's terms (node and edge ids).
    """
    shown = shown or name
    map_id = slug(name) or "aif-map"
    m = Minter(base or f"{DEFAULT_BASE}{map_id}/")
    problems: list[Problem] = []
    nodes: dict[str, dict[str, Any]] = {}
    iris: dict[str, URIRef] = {}
    minted: dict[URIRef, str] = {}
    for i, node in enumerate(data.get("nodes", [])):
        if not isinstance(node, dict) or "nodeID" not in node:
            problems.append(Problem(shown, 0, f"node {i + 1} has no 'nodeID'"))
            continue
        nid, ntype = str(node["nodeID"]), node.get("type")
        if ntype not in NODE_TYPES:
            problems.append(
                Problem(
                    shown,
                    0,
                    f"node {nid}: type {ntype!r} is not one we read; "
                    f"use one of {', '.join(NODE_TYPES)}",
                )
            )
            continue
        if nid in nodes:
            problems.append(Problem(shown, 0, f"node {nid} appears twice; node ids must be unique"))
            continue
        local = f"{ntype.lower()}-{slug(nid) or 'node'}"
        if ntype == "I":
            iri = m.claim(map_id, local)
        elif ntype == "L":
            iri = m.locution(map_id, local)
        else:
            iri = m.relation(map_id, local)
        if iri in minted:
            problems.append(
                Problem(shown, 0, f"nodes {minted[iri]} and {nid} have ids too alike to tell apart")
            )
            continue
        minted[iri] = nid
        nodes[nid], iris[nid] = node, iri
    edges: list[tuple[str, str, str]] = []
    for i, edge in enumerate(data.get("edges", [])):
        eid = str(edge.get("edgeID", i + 1)) if isinstance(edge, dict) else str(i + 1)
        if not isinstance(edge, dict) or "fromID" not in edge or "toID" not in edge:
            problems.append(Problem(shown, 0, f"edge {eid} needs 'fromID' and 'toID'"))
            continue
        a, b = str(edge["fromID"]), str(edge["toID"])
        missing = [x for x in (a, b) if x not in nodes]
        if missing:
            problems.append(
                Problem(shown, 0, f"edge {eid} joins node {missing[0]}, which is not in 'nodes'")
            )
            continue
        if nodes[a]["type"] not in S_NODES and nodes[b]["type"] not in S_NODES:
            problems.append(
                Problem(
                    shown,
                    0,
                    f"edge {eid} joins {nodes[a]['type']}-node {a} to {nodes[b]['type']}-node "
                    f"{b} directly; AIF links them only through an S-node (RA, CA, YA, ...)",
                )
            )
            continue
        edges.append((eid, a, b))
    if problems:
        raise InputError(problems)

    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    g = ds.graph(m.source_graph(map_id))
    doc = m.source(map_id)
    title = f"AIF argument map {name}"
    g.add((doc, RDF.type, BG.SourceDocument))
    g.add((doc, RDFS.label, Literal(title)))
    g.add((doc, DCTERMS.title, Literal(title)))
    g.add((doc, RDFS.comment, Literal("Imported from an AIF JSON argument map.")))

    undercuts = {
        a for _, a, b in edges if nodes[a]["type"] == "CA" and nodes[b]["type"] in ("RA", "CA")
    }
    for nid, node in nodes.items():
        iri, ntype = iris[nid], node["type"]
        text = str(node.get("text", ""))
        g.add((iri, DCTERMS.identifier, Literal(nid)))
        g.add((iri, RDFS.label, Literal(text)))
        g.add((iri, BG.assertedIn, doc))
        stamp = node.get("timestamp")
        if stamp:
            match = _TIMESTAMP.match(str(stamp))
            value = (
                Literal(f"{match[1]}T{match[2]}", datatype=XSD.dateTime)
                if match
                else Literal(str(stamp))
            )
            g.add((iri, DCTERMS.created, value))
        if ntype == "I":
            g.add((iri, RDF.type, BG.Claim))
        elif ntype == "RA":
            g.add((iri, RDF.type, BG.Support))
        elif ntype == "CA":
            g.add((iri, RDF.type, BG.Attack))
            scheme = f"{node.get('scheme', '')} {text}".lower()
            cls = BG.Undercut if nid in undercuts else BG.Rebuttal
            for word, scheme_cls in _CA_SCHEMES:
                if word in scheme and nid not in undercuts:
                    cls = scheme_cls
            g.add((iri, RDF.type, cls))
        else:
            g.add((iri, RDF.type, _AIF_CLASS[ntype]))
        if node.get("scheme") and ntype in S_NODES:
            g.add((iri, BG.scheme, Literal(str(node["scheme"]))))
    conclusions: dict[str, list[str]] = defaultdict(list)
    for _eid, a, b in edges:
        ta, tb = nodes[a]["type"], nodes[b]["type"]
        # The edge belongs to an S-node: an RA or CA node's conclusion goes out of it; an
        # I-node premise comes into it; other S-nodes carry their edges by role.
        if ta in ("RA", "CA"):
            g.add((iris[a], _consequent_predicate(ta, tb), iris[b]))
            conclusions[a].append(b)
        elif tb in ("RA", "CA") and ta not in S_NODES:
            g.add((iris[b], _antecedent_predicate(tb, ta), iris[a]))
        elif ta in S_NODES:
            g.add((iris[a], _consequent_predicate(ta, tb), iris[b]))
        else:
            g.add((iris[b], _antecedent_predicate(tb, ta), iris[a]))
    many = [
        Problem(shown, 0, f"{nodes[n]['type']}-node {n} has {len(c)} conclusions; AIF allows one")
        for n, c in conclusions.items()
        if len(c) > 1
    ]
    if many:
        raise InputError(many)
    return ds


def import_aif_file(path: str | Path, base: str | None = None) -> Dataset:
    """Read an AIF JSON file into an RDF dataset; the map is named after the file."""
    path = Path(path)
    return import_aif(read_aif(path), path.stem, base, shown=str(path))


# --- export -------------------------------------------------------------------------------


def _node_type(types: set[URIRef]) -> str | None:
    if BG.Claim in types:
        return "I"
    if BG.Support in types:
        return "RA"
    if types & {BG.Attack, BG.Rebuttal, BG.Undercut, BG.Undermining}:
        return "CA"
    for t, cls in _AIF_CLASS.items():
        if cls in types:
            return t
    return None


_DEFAULT_TEXT = {"RA": "Default Inference", "CA": "Default Conflict", "PA": "Default Preference"}
_ORDER = {t: i for i, t in enumerate(NODE_TYPES)}


def _id_key(node_id: str) -> tuple[int, int | str]:
    return (0, int(node_id)) if node_id.isdigit() else (1, node_id)


def to_aif(graph: Graph) -> dict[str, Any]:
    """Any of our graphs as an AIF map (``nodes``, ``edges``, ``locutions``) for OVA and AIFdb.

    Claims become I-nodes (text: the claim's statement), supports RA-nodes, attacks
    CA-nodes (a rebuttal, undercut or undermining named in ``scheme``), and L, YA, TA, PA
    and MA nodes are written back as they were imported. Nodes keep their AIF ids where
    they have one; the others are numbered after the largest.
    """
    types: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            types[s].add(o)
    kinds = {n: t for n, ts in types.items() if (t := _node_type(ts))}
    ids: dict[URIRef, str] = {}
    taken: set[str] = set()
    for n in sorted(kinds):
        ident = graph.value(n, DCTERMS.identifier)
        if ident is not None and str(ident) not in taken:
            ids[n] = str(ident)
            taken.add(str(ident))
    numbers = [int(i) for i in taken if i.isdigit()]
    next_id = max(numbers, default=0) + 1
    for n in sorted(kinds, key=lambda n: (_ORDER[kinds[n]], str(n))):
        if n not in ids:
            while str(next_id) in taken:
                next_id += 1
            ids[n] = str(next_id)
            taken.add(ids[n])
    nodes = []
    for n in sorted(kinds, key=lambda n: (_ORDER[kinds[n]], _id_key(ids[n]))):
        t = kinds[n]
        label = graph.value(n, RDFS.label)
        text = str(label) if label is not None else _DEFAULT_TEXT.get(t, t)
        node: dict[str, Any] = {"nodeID": ids[n], "text": text, "type": t}
        created = graph.value(n, DCTERMS.created)
        if created is not None:
            node["timestamp"] = str(created).replace("T", " ")
        scheme = graph.value(n, BG.scheme)
        if scheme is not None:
            node["scheme"] = str(scheme)
        elif t == "CA" and label is None:
            for cls, name in (
                (BG.Undercut, "Undercut"),
                (BG.Undermining, "Undermining"),
                (BG.Rebuttal, "Rebuttal"),
            ):
                if cls in types[n]:
                    node["scheme"] = name
                    break
        nodes.append(node)
    pairs: set[tuple[str, str]] = set()
    for n in kinds:
        for pred in _ANTECEDENT:
            for o in graph.objects(n, pred):
                if o in ids:
                    pairs.add((ids[o], ids[n]))
        for pred in _CONSEQUENT:
            for o in graph.objects(n, pred):
                if o in ids:
                    pairs.add((ids[n], ids[o]))
    edges = [
        {"edgeID": str(i), "fromID": a, "toID": b, "formEdgeID": None}
        for i, (a, b) in enumerate(sorted(pairs, key=lambda p: (_id_key(p[0]), _id_key(p[1]))), 1)
    ]
    return {"nodes": nodes, "edges": edges, "locutions": []}


def to_aif_json(graph: Graph) -> str:
    """:func:`to_aif` as JSON text, indented, ready to open in OVA or load into AIFdb."""
    return json.dumps(to_aif(graph), indent=2, ensure_ascii=False) + "\n"


def count_nodes(aif: dict[str, Any], types: Iterable[str] = NODE_TYPES) -> dict[str, int]:
    """How many nodes of each type an AIF map holds: ``{"I": 26, "RA": 22, ...}``."""
    wanted = set(types)
    counts: dict[str, int] = {}
    for node in aif.get("nodes", []):
        if node.get("type") in wanted:
            counts[node["type"]] = counts.get(node["type"], 0) + 1
    return counts
