"""AIF JSON in and out: argument maps made in OVA or taken from AIFdb corpora, as our RDF.

The Argument Interchange Format's JSON (as AIFdb exports it and OVA saves it) is a list of
nodes and a list of untyped edges; a node's type gives an edge its meaning. :func:`import_aif`
turns a map into the same RDF terms a corpus gives (see :mod:`graph.emit`), so an imported
map is queried, drawn and analysed like any corpus:

=================  ===========================================================================
AIF                RDF
=================  ===========================================================================
I-node             ``bg:Claim`` with ``rdfs:label`` = the node's text
RA-node            ``bg:Support``: ``bg:premise`` (each I-node into it), ``bg:conclusion``
CA-node            ``bg:Attack`` and ``bg:Rebuttal``; ``bg:Undercut`` when it attacks an RA
                   or CA node or its scheme names an undercut, ``bg:Undermining`` when its
                   scheme names an undermining
PA-, MA-node       ``aif:PA-node`` / ``aif:MA-node`` (a preference, a rephrase), with
                   ``aif:Premise`` and ``aif:Conclusion``
L-node             ``aif:L-node``: a locution, the words as spoken
YA-node            ``aif:YA-node``: ``aif:Locution`` (its locution), ``aif:IllocutionaryContent``
                   (the proposition it introduces); so who said which claim is read
                   through the YA-node, as AIF has it
TA-node            ``aif:TA-node``: ``aif:StartLocution``, ``aif:EndLocution``
node ids, times    ``dcterms:identifier`` (a number stays a number), ``dcterms:created``
scheme, schemeID   ``bg:scheme`` (its name), ``bg:schemeID`` (also from ``schemefulfillments``)
edge               the triple it makes, and that triple as an ``rdf:Statement`` holding the
                   edge's ``edgeID`` (``dcterms:identifier``) and ``bg:formEdgeID``
participant        ``foaf:Person``: ``foaf:givenName``, ``foaf:familyName``, ``foaf:name``
locution           on its L-node: ``bg:spokenBy`` (the participant), ``bg:locutionStart``,
                   ``bg:locutionEnd``, ``bg:locutionRecorded``, ``dcterms:source``
=================  ===========================================================================

The whole map goes into one named graph, as one source document. What a file holds beyond
that (OVA's layout, xAIF's text and its other parts, nodes of types outside AIF's core such
as HEVY's events, fields we do not read) is left out and named, with counts, in the
:class:`AifImport`'s summary; such a file is read, not refused.

:func:`to_aif` writes any of our graphs as AIF JSON: claims become I-nodes, supports RA-nodes
and attacks CA-nodes, plus whatever L, YA, TA, PA and MA nodes, locutions, participants and
scheme fulfilments the graph holds, with the ids they were imported with; so an import, an
export and an import again give the same graph.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, XSD

from .errors import InputError, Problem
from .vocab import AIF, BG, DEFAULT_BASE, PREFIXES, Minter, slug

#: The node types of AIF JSON that we read and write.
NODE_TYPES = ("I", "L", "RA", "CA", "PA", "MA", "YA", "TA")
#: S-nodes (scheme applications) carry the edges between the others.
S_NODES = ("RA", "CA", "PA", "MA", "YA", "TA")
#: Node types of the HEVY extension (events and what describes them), named as such when skipped.
HEVY_TYPES = ("Event", "EventDescription", "Event Description", "LocutionEvent")

#: The fields of each kind of record that we keep; any other field is named as left out.
_FIELDS = {
    "node": {"nodeID", "text", "type", "timestamp", "scheme", "schemeID"},
    "edge": {"edgeID", "fromID", "toID", "formEdgeID"},
    "locution": {"nodeID", "personID", "timestamp", "start", "end", "source"},
    "participant": {"participantID", "firstname", "surname"},
    "scheme fulfilment": {"nodeID", "schemeID"},
}
#: The lists of an AIF map that we read.
_CORE_LISTS = ("nodes", "edges", "locutions", "participants", "schemefulfillments")
#: Lists of an AIF map that have no home in our RDF, in the summary's words.
_UNREAD_LISTS = {
    "descriptorfulfillments": "descriptor fulfilment",
    "cqdescriptorfulfillments": "critical-question descriptor fulfilment",
}

#: A locution's times, and the property that keeps each on its L-node.
_LOCUTION_TIMES = (
    ("timestamp", BG.locutionRecorded),
    ("start", BG.locutionStart),
    ("end", BG.locutionEnd),
)

#: Our classes of attack, by the words a CA node's scheme uses for them.
_CA_SCHEMES = (("undercut", BG.Undercut), ("undermin", BG.Undermining))

#: The AIF class of the node types that have no class of our own.
_AIF_CLASS = {t: AIF[f"{t}-node"] for t in ("L", "PA", "MA", "YA", "TA")}

#: Predicates linking an S-node to its antecedents (edges into it) and consequents (out of it).
_ANTECEDENT = (BG.premise, AIF.Premise, AIF.Locution, AIF.StartLocution, AIF.Anchor)
_CONSEQUENT = (BG.conclusion, AIF.Conclusion, AIF.IllocutionaryContent, AIF.EndLocution)

#: AIF's way of writing a time; kept as an xsd:dateTime and written back the same way.
_TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$")
#: Datatypes whose literals are JSON numbers or booleans.
_JSON_SCALARS = (XSD.integer, XSD.double, XSD.decimal, XSD.boolean)


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


def _identifier(value: Any) -> Literal:
    """An id as a literal that gives back its JSON type: ``5`` an integer, ``"5"`` text."""
    if isinstance(value, bool | int | float):
        return Literal(value)
    return Literal(str(value))


def _value(value: Any) -> Literal:
    """A JSON scalar as a literal that gives it back; AIF's times become xsd:dateTime.

    >>> _value("2024-01-02 03:04:05").datatype == XSD.dateTime
    True
    >>> _json(_value("2024-01-02 03:04:05")), _json(_value("2024-02-30 03:04:05")), _json(_value(7))
    ('2024-01-02 03:04:05', '2024-02-30 03:04:05', 7)
    """
    if not isinstance(value, str):
        return _identifier(value)
    match = _TIMESTAMP.match(value)
    if match:
        try:
            datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        except ValueError:  # not a time that exists: kept as written
            return Literal(value)
        return Literal(f"{match[1]}T{match[2]}", datatype=XSD.dateTime)
    return Literal(value)


def _json(term: Any) -> Any:
    """A literal as the JSON value it was read from (see :func:`_value`)."""
    if isinstance(term, Literal):
        if term.datatype == XSD.dateTime:
            return str(term).replace("T", " ", 1)
        if term.datatype in _JSON_SCALARS:
            value = term.toPython()
            if isinstance(value, bool | int | float):
                return value
    return str(term)


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else words or word + 's'}"


# --- import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AifImport:
    """An AIF map read into RDF: the dataset, and what of the file was kept and what was not.

    ``left_out`` names each part of the file that has no home in our RDF, with its count
    ("OVA layout of 13 nodes", "xAIF text (1 document)"); it is empty when nothing was.
    :meth:`summary` says both in one line, as ``import-aif`` prints it.
    """

    dataset: Dataset
    nodes: int
    edges: int
    locutions: int = 0
    participants: int = 0
    unnamed_participants: int = 0  # speakers a locution names who are not in 'participants'
    scheme_ids: int = 0  # nodes with an AIFdb scheme id
    left_out: tuple[str, ...] = ()

    def summary(self) -> str:
        """What was kept and what was not: ``kept 12 nodes and 14 edges, 2 locutions of 2
        participants; not kept: OVA layout of 12 nodes, xAIF text (1 document)``."""
        kept = [f"{_plural(self.nodes, 'node')} and {_plural(self.edges, 'edge')}"]
        if self.locutions or self.participants:
            who = f"{_plural(self.locutions, 'locution')} of "
            who += _plural(self.participants, "participant")
            if self.unnamed_participants:
                who += f" ({self.unnamed_participants} known only by id)"
            kept.append(who)
        if self.scheme_ids:
            kept.append(f"the scheme ids of {_plural(self.scheme_ids, 'node')}")
        rest = f"not kept: {', '.join(self.left_out)}" if self.left_out else "nothing left out"
        return f"kept {', '.join(kept)}; {rest}"


def read_aif(path: str | Path) -> dict[str, Any]:
    """The JSON of an AIF file as it is: the plain form, or OVA's xAIF with the map under ``AIF``.

    Raises :class:`InputError` when the file is not JSON or holds no AIF nodes.
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
    core = aif_core(data) if isinstance(data, dict) else None
    if not isinstance(core, dict) or not isinstance(core.get("nodes"), list):
        raise InputError.single(
            shown, 0, "is not an AIF map: expected a JSON object with 'nodes' and 'edges' lists"
        )
    return data


def aif_core(data: dict[str, Any]) -> dict[str, Any]:
    """The AIF map itself: what xAIF holds under ``AIF``, or a plain AIF file whole."""
    return data["AIF"] if isinstance(data.get("AIF"), dict) else data


def _xaif_left_out(data: dict[str, Any]) -> list[str]:
    """What an xAIF file holds beside its AIF map (the text, OVA's layout, ...), in words."""
    if not isinstance(data.get("AIF"), dict):
        return []
    out = []
    for key, value in data.items():
        if key == "AIF" or value in (None, "", [], {}, False):
            continue
        if key == "text":
            text = value.get("txt") if isinstance(value, dict) else value
            if text:
                out.append("xAIF text (1 document)")
        elif key in ("OVA", "ova") and isinstance(value, dict):
            layout = [_plural(len(value[k]), k[:-1]) for k in ("nodes", "edges") if value.get(k)]
            if layout:
                out.append(f"OVA layout of {' and '.join(layout)}")
        elif isinstance(value, dict) and isinstance(value.get("nodes"), list):
            out.append(f"xAIF '{key}' ({_plural(len(value['nodes']), 'node')})")
        elif isinstance(value, list):
            out.append(f"xAIF '{key}' ({_plural(len(value), 'entry', 'entries')})")
        else:
            out.append(f"xAIF '{key}' ({json.dumps(value)})")
    return out


def import_aif(
    data: dict[str, Any], name: str, base: str | None = None, shown: str | None = None
) -> AifImport:
    """An AIF map as an RDF dataset (one named graph holding the map as one source document),
    with what was kept and what was left out.

    ``data`` is the file's JSON, plain AIF or xAIF. ``name`` names the map (the file's stem,
    say) and its IRIs, under ``base`` (by default ``https://w3id.org/billgraph/corpus/<name>/``).
    Nodes of types outside AIF's core (HEVY's events, say), the edges and records that refer to
    them, and parts of the file with no home in our RDF are skipped and named in the result's
    ``left_out``. Raises :class:`InputError` listing every node, edge and record of the core
    that cannot be read, in the file's terms (node and edge ids).
    """
    shown = shown or name
    map_id = slug(name) or "aif-map"
    m = Minter(base or f"{DEFAULT_BASE}{map_id}/")
    core = aif_core(data)
    problems: list[Problem] = []
    left_out = _xaif_left_out(data)

    def records(key: str, what: str) -> list[tuple[int, dict[str, Any]]]:
        value = core.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            problems.append(Problem(shown, 0, f"'{key}' must be a list of {what}s"))
            return []
        out = []
        for i, record in enumerate(value):
            if isinstance(record, dict):
                out.append((i, record))
            else:
                problems.append(Problem(shown, 0, f"{what} {i + 1} is not a JSON object"))
        return out

    unread_fields: dict[str, Counter[str]] = defaultdict(Counter)

    def note_fields(what: str, record: dict[str, Any], fields: set[str] | None = None) -> None:
        for key in sorted(set(record) - (fields or _FIELDS[what])):
            unread_fields[what][key] += 1

    nodes: dict[str, dict[str, Any]] = {}
    iris: dict[str, URIRef] = {}
    minted: dict[URIRef, str] = {}
    skipped: Counter[str] = Counter()  # nodes of other types, by type
    skipped_ids: set[str] = set()
    for i, node in records("nodes", "node"):
        if "nodeID" not in node:
            problems.append(Problem(shown, 0, f"node {i + 1} has no 'nodeID'"))
            continue
        nid, ntype = str(node["nodeID"]), node.get("type")
        if nid in nodes or nid in skipped_ids:
            problems.append(Problem(shown, 0, f"node {nid} appears twice; node ids must be unique"))
            continue
        if not isinstance(ntype, str) or not ntype:
            problems.append(
                Problem(
                    shown, 0, f"node {nid} has no 'type'; give it one of {', '.join(NODE_TYPES)}"
                )
            )
            continue
        if ntype not in NODE_TYPES:
            skipped[ntype] += 1
            skipped_ids.add(nid)
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
        schemed = _FIELDS["node"] if ntype in S_NODES else _FIELDS["node"] - {"scheme", "schemeID"}
        note_fields("node", node, schemed)

    edges: list[tuple[Any, URIRef, str, str]] = []
    edge_iris: dict[URIRef, str] = {}
    skipped_edges = 0
    for i, edge in records("edges", "edge"):
        eid = edge.get("edgeID")
        shown_id = str(eid) if eid is not None else str(i + 1)
        if "fromID" not in edge or "toID" not in edge:
            problems.append(Problem(shown, 0, f"edge {shown_id} needs 'fromID' and 'toID'"))
            continue
        a, b = str(edge["fromID"]), str(edge["toID"])
        if a in skipped_ids or b in skipped_ids:
            skipped_edges += 1
            continue
        missing = [x for x in (a, b) if x not in nodes]
        if missing:
            problems.append(
                Problem(
                    shown, 0, f"edge {shown_id} joins node {missing[0]}, which is not in 'nodes'"
                )
            )
            continue
        if nodes[a]["type"] not in S_NODES and nodes[b]["type"] not in S_NODES:
            problems.append(
                Problem(
                    shown,
                    0,
                    f"edge {shown_id} joins {nodes[a]['type']}-node {a} to {nodes[b]['type']}-node "
                    f"{b} directly; AIF links them only through an S-node (RA, CA, YA, ...)",
                )
            )
            continue
        local = slug(str(eid)) if eid is not None else ""
        statement = m.edge(map_id, local or f"unnumbered-{i + 1}")
        if statement in edge_iris:
            problems.append(
                Problem(
                    shown,
                    0,
                    f"edges {edge_iris[statement]} and {shown_id} have the same id or ids "
                    "too alike to tell apart; edge ids must be unique",
                )
            )
            continue
        edge_iris[statement] = shown_id
        note_fields("edge", edge)
        edges.append((edge, statement, a, b))

    people: dict[str, dict[str, Any]] = {}
    for i, person in records("participants", "participant"):
        pid = person.get("participantID")
        if pid is None:
            problems.append(Problem(shown, 0, f"participant {i + 1} has no 'participantID'"))
        elif str(pid) in people:
            problems.append(
                Problem(
                    shown, 0, f"participant {pid} appears twice; participant ids must be unique"
                )
            )
        else:
            people[str(pid)] = person
            note_fields("participant", person)

    locutions: dict[str, dict[str, Any]] = {}
    skipped_locutions = second_locutions = 0
    for i, locution in records("locutions", "locution"):
        nid = locution.get("nodeID")
        if nid is None:
            problems.append(Problem(shown, 0, f"locution {i + 1} has no 'nodeID'"))
        elif str(nid) in skipped_ids:
            skipped_locutions += 1
        elif str(nid) not in nodes:
            problems.append(
                Problem(shown, 0, f"locution {i + 1} names node {nid}, which is not in 'nodes'")
            )
        elif str(nid) in locutions:
            second_locutions += 1
        else:
            locutions[str(nid)] = locution
            note_fields("locution", locution)

    fulfilments: dict[str, list[Any]] = defaultdict(list)
    skipped_fulfilments = 0
    for i, fulfilment in records("schemefulfillments", "scheme fulfilment"):
        nid, sid = fulfilment.get("nodeID"), fulfilment.get("schemeID")
        if nid is None or sid is None:
            problems.append(
                Problem(shown, 0, f"scheme fulfilment {i + 1} needs 'nodeID' and 'schemeID'")
            )
        elif str(nid) in skipped_ids:
            skipped_fulfilments += 1
        elif str(nid) not in nodes:
            problems.append(
                Problem(
                    shown, 0, f"scheme fulfilment {i + 1} names node {nid}, which is not in 'nodes'"
                )
            )
        else:
            fulfilments[str(nid)].append(sid)
            note_fields("scheme fulfilment", fulfilment)
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

    speakers: dict[str, URIRef] = {}
    person_iris: dict[URIRef, str] = {}

    def speaker(pid: Any) -> URIRef:
        """The participant with this id, added to the graph the first time it is named."""
        key = str(pid)
        if key in speakers:
            return speakers[key]
        iri = m.participant(map_id, slug(key) or "participant")
        if iri in person_iris:
            raise InputError.single(
                shown,
                0,
                f"participants {person_iris[iri]} and {key} have ids too alike to tell apart",
            )
        person_iris[iri] = key
        speakers[key] = iri
        listed = people.get(key, {})
        given, family = listed.get("firstname"), listed.get("surname")
        name = " ".join(str(x) for x in (given, family) if x not in (None, ""))
        label = name or f"participant {key}"
        g.add((iri, RDF.type, FOAF.Person))
        g.add((iri, RDFS.label, Literal(label)))
        g.add((iri, DCTERMS.identifier, _identifier(listed.get("participantID", pid))))
        if name:
            g.add((iri, FOAF.name, Literal(name)))
        if given is not None:
            g.add((iri, FOAF.givenName, Literal(str(given))))
        if family is not None:
            g.add((iri, FOAF.familyName, Literal(str(family))))
        return iri

    for person in people.values():
        speaker(person["participantID"])

    undercuts = {
        a for _, _, a, b in edges if nodes[a]["type"] == "CA" and nodes[b]["type"] in ("RA", "CA")
    }
    scheme_ids = silent_locutions = 0
    for nid, node in nodes.items():
        iri, ntype = iris[nid], node["type"]
        text = "" if node.get("text") is None else str(node["text"])
        g.add((iri, DCTERMS.identifier, _identifier(node["nodeID"])))
        g.add((iri, RDFS.label, Literal(text)))
        g.add((iri, BG.assertedIn, doc))
        if node.get("timestamp") is not None:
            g.add((iri, DCTERMS.created, _value(node["timestamp"])))
        if ntype == "I":
            g.add((iri, RDF.type, BG.Claim))
        elif ntype == "RA":
            g.add((iri, RDF.type, BG.Support))
        elif ntype == "CA":
            g.add((iri, RDF.type, BG.Attack))
            scheme = f"{node.get('scheme') or ''} {text}".lower()
            cls = BG.Undercut if nid in undercuts else BG.Rebuttal
            for word, scheme_cls in _CA_SCHEMES:
                if word in scheme and nid not in undercuts:
                    cls = scheme_cls
            g.add((iri, RDF.type, cls))
        else:
            g.add((iri, RDF.type, _AIF_CLASS[ntype]))
        if ntype in S_NODES and node.get("scheme") is not None:
            g.add((iri, BG.scheme, Literal(str(node["scheme"]))))
        ids = [node["schemeID"]] if ntype in S_NODES and node.get("schemeID") is not None else []
        ids += fulfilments.get(nid, [])
        written: set[str] = set()
        for sid in ids:
            if str(sid) not in written:
                written.add(str(sid))
                g.add((iri, BG.schemeID, _identifier(sid)))
        scheme_ids += bool(written)
        locution = locutions.get(nid)
        if locution is not None:
            said = False
            if locution.get("personID") is not None:
                g.add((iri, BG.spokenBy, speaker(locution["personID"])))
                said = True
            for key, prop in _LOCUTION_TIMES:
                if locution.get(key) is not None:
                    g.add((iri, prop, _value(locution[key])))
                    said = True
            if locution.get("source") is not None:
                g.add((iri, DCTERMS.source, _value(locution["source"])))
                said = True
            silent_locutions += not said

    conclusions: dict[str, list[str]] = defaultdict(list)
    for edge, statement, a, b in edges:
        ta, tb = nodes[a]["type"], nodes[b]["type"]
        # The edge belongs to an S-node: an RA or CA node's conclusion goes out of it; an
        # I-node premise comes into it; other S-nodes carry their edges by role.
        if ta in ("RA", "CA"):
            triple = (iris[a], _consequent_predicate(ta, tb), iris[b])
            conclusions[a].append(b)
        elif tb in ("RA", "CA") and ta not in S_NODES:
            triple = (iris[b], _antecedent_predicate(tb, ta), iris[a])
        elif ta in S_NODES:
            triple = (iris[a], _consequent_predicate(ta, tb), iris[b])
        else:
            triple = (iris[b], _antecedent_predicate(tb, ta), iris[a])
        g.add(triple)
        # The edge's own id (and the form edge it fulfils) on the statement it makes.
        g.add((statement, RDF.type, RDF.Statement))
        g.add((statement, RDF.subject, triple[0]))
        g.add((statement, RDF.predicate, triple[1]))
        g.add((statement, RDF.object, triple[2]))
        if edge.get("edgeID") is not None:
            g.add((statement, DCTERMS.identifier, _identifier(edge["edgeID"])))
        if edge.get("formEdgeID") is not None:
            g.add((statement, BG.formEdgeID, _identifier(edge["formEdgeID"])))
    many = [
        Problem(shown, 0, f"{nodes[n]['type']}-node {n} has {len(c)} conclusions; AIF allows one")
        for n, c in conclusions.items()
        if len(c) > 1
    ]
    if many:
        raise InputError(many)

    if skipped:
        hevy = {t: n for t, n in skipped.items() if t in HEVY_TYPES}
        other = {t: n for t, n in skipped.items() if t not in HEVY_TYPES}
        for of_type, one, many in (
            (hevy, "HEVY node", "HEVY nodes"),
            (other, "node of a type outside AIF's core", "nodes of types outside AIF's core"),
        ):
            if of_type:
                each = ", ".join(f"{n} {t!r}" for t, n in sorted(of_type.items()))
                left_out.append(f"{_plural(sum(of_type.values()), one, many)} ({each})")
        for n, what in (
            (skipped_edges, "edge"),
            (skipped_locutions, "locution"),
            (skipped_fulfilments, "scheme fulfilment"),
        ):
            if n:
                left_out.append(f"{_plural(n, what)} of those nodes")
    if second_locutions:
        left_out.append(f"{_plural(second_locutions, 'second locution')} of a node")
    if silent_locutions:
        left_out.append(f"{_plural(silent_locutions, 'locution')} naming no speaker or time")
    for key, value in core.items():
        if key in _CORE_LISTS or value in (None, [], {}, ""):
            continue
        if key in _UNREAD_LISTS and isinstance(value, list):
            left_out.append(_plural(len(value), _UNREAD_LISTS[key]))
        else:
            left_out.append(f"AIF '{key}'")
    for what, fields in unread_fields.items():
        for key, n in fields.items():
            left_out.append(f"field '{key}' of {_plural(n, what)}")
    listed = set(people)
    return AifImport(
        dataset=ds,
        nodes=len(nodes),
        edges=len(edges),
        locutions=len(locutions) - silent_locutions,
        participants=len(speakers),
        unnamed_participants=len(set(speakers) - listed),
        scheme_ids=scheme_ids,
        left_out=tuple(left_out),
    )


def import_aif_file(path: str | Path, base: str | None = None) -> AifImport:
    """Read an AIF JSON file into RDF (see :func:`import_aif`); the map is named after the file."""
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


def _id_key(value: Any) -> tuple[int, int | str]:
    text = str(value)
    return (0, int(text)) if text.isdigit() else (1, text)


class _Numbering:
    """Ids for things that have none, after the largest id already taken, of the same JSON type."""

    def __init__(self, taken: Iterable[Any]) -> None:
        taken = list(taken)
        self.taken = {str(t) for t in taken}
        self.as_int = bool(taken) and all(isinstance(t, int) for t in taken)
        self.next = max((int(t) for t in self.taken if t.isdigit()), default=0) + 1

    def new(self) -> Any:
        while str(self.next) in self.taken:
            self.next += 1
        self.taken.add(str(self.next))
        return self.next if self.as_int else str(self.next)


def to_aif(graph: Graph) -> dict[str, Any]:
    """Any of our graphs as an AIF map for OVA and AIFdb: ``nodes``, ``edges``, ``locutions``,
    ``participants`` and ``schemefulfillments``.

    Claims become I-nodes (text: the claim's statement), supports RA-nodes, attacks
    CA-nodes (a rebuttal, undercut or undermining named in ``scheme``), and L, YA, TA, PA
    and MA nodes, locutions and participants are written back as they were imported. Nodes,
    edges and participants keep their AIF ids (a number stays a number) and edges their
    ``formEdgeID``; the others are numbered after the largest. A scheme id is written both
    ways AIF tools read it: in ``schemefulfillments``, and on the node beside its scheme's name.
    """
    types: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            types[s].add(o)
    kinds = {n: t for n, ts in types.items() if (t := _node_type(ts))}
    ids: dict[URIRef, Any] = {}
    for n in sorted(kinds):
        ident = graph.value(n, DCTERMS.identifier)
        if ident is not None and str(ident) not in {str(i) for i in ids.values()}:
            ids[n] = _json(ident)
    numbering = _Numbering(ids.values())
    for n in sorted(kinds, key=lambda n: (_ORDER[kinds[n]], str(n))):
        if n not in ids:
            ids[n] = numbering.new()
    order = sorted(kinds, key=lambda n: (_ORDER[kinds[n]], _id_key(ids[n])))

    nodes = []
    for n in order:
        t = kinds[n]
        label = graph.value(n, RDFS.label)
        text = str(label) if label is not None else _DEFAULT_TEXT.get(t, t)
        node: dict[str, Any] = {"nodeID": ids[n], "text": text, "type": t}
        created = graph.value(n, DCTERMS.created)
        if created is not None:
            node["timestamp"] = _json(created)
        scheme = graph.value(n, BG.scheme)
        if scheme is not None:
            node["scheme"] = str(scheme)
            scheme_id = min(graph.objects(n, BG.schemeID), key=_id_key, default=None)
            if scheme_id is not None:
                node["schemeID"] = _json(scheme_id)
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

    edges: list[dict[str, Any]] = []
    unnumbered: list[dict[str, Any]] = []
    stated: set[tuple[URIRef, URIRef, URIRef]] = set()
    for st in sorted(graph.subjects(RDF.type, RDF.Statement), key=str):
        s, p, o = (graph.value(st, part) for part in (RDF.subject, RDF.predicate, RDF.object))
        if s not in ids or o not in ids or (s, p, o) not in graph:
            continue
        if p in _ANTECEDENT:
            a, b = o, s
        elif p in _CONSEQUENT:
            a, b = s, o
        else:
            continue
        stated.add((s, p, o))
        ident, form = graph.value(st, DCTERMS.identifier), graph.value(st, BG.formEdgeID)
        edge = {
            "edgeID": _json(ident) if ident is not None else None,
            "fromID": ids[a],
            "toID": ids[b],
            "formEdgeID": _json(form) if form is not None else None,
        }
        (edges if ident is not None else unnumbered).append(edge)
    pairs: set[tuple[URIRef, URIRef]] = set()
    for n in kinds:
        for preds, inward in ((_ANTECEDENT, True), (_CONSEQUENT, False)):
            for pred in preds:
                for o in graph.objects(n, pred):
                    if o in ids and (n, pred, o) not in stated:
                        pairs.add((o, n) if inward else (n, o))
    for a, b in sorted(pairs, key=lambda p: (_id_key(ids[p[0]]), _id_key(ids[p[1]]))):
        unnumbered.append({"edgeID": None, "fromID": ids[a], "toID": ids[b], "formEdgeID": None})
    edge_numbering = _Numbering(e["edgeID"] for e in edges)
    for edge in unnumbered:
        edge["edgeID"] = edge_numbering.new()
        edges.append(edge)
    edges.sort(key=lambda e: _id_key(e["edgeID"]))

    people: dict[URIRef, Any] = {}
    for person in sorted(
        {o for n in kinds for o in graph.objects(n, BG.spokenBy)}
        | set(graph.subjects(FOAF.givenName, None))
        | set(graph.subjects(FOAF.familyName, None)),
        key=str,
    ):
        ident = graph.value(person, DCTERMS.identifier)
        if ident is not None and str(ident) not in {str(i) for i in people.values()}:
            people[person] = _json(ident)
    person_numbering = _Numbering(people.values())
    locutions = []
    for n in order:
        speaker = graph.value(n, BG.spokenBy)
        times = {key: graph.value(n, prop) for key, prop in _LOCUTION_TIMES}
        if speaker is None and all(v is None for v in times.values()):
            continue
        if speaker is not None and speaker not in people:
            people[speaker] = person_numbering.new()
        locution: dict[str, Any] = {
            "nodeID": ids[n],
            "personID": people[speaker] if speaker is not None else None,
        }
        if times["timestamp"] is not None:
            locution["timestamp"] = _json(times["timestamp"])
        locution["start"] = _json(times["start"]) if times["start"] is not None else None
        locution["end"] = _json(times["end"]) if times["end"] is not None else None
        source = graph.value(n, DCTERMS.source)
        if source is not None:
            locution["source"] = _json(source)
        locutions.append(locution)
    participants = []
    for person, pid in sorted(people.items(), key=lambda p: _id_key(p[1])):
        given, family = graph.value(person, FOAF.givenName), graph.value(person, FOAF.familyName)
        if given is None and family is None:
            continue  # named by a locution only: AIF knows it by its id
        participant: dict[str, Any] = {"participantID": pid}
        if given is not None:
            participant["firstname"] = str(given)
        if family is not None:
            participant["surname"] = str(family)
        participants.append(participant)
    fulfilments = [
        {"nodeID": ids[n], "schemeID": _json(sid)}
        for n in order
        for sid in sorted(graph.objects(n, BG.schemeID), key=_id_key)
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "locutions": locutions,
        "participants": participants,
        "schemefulfillments": fulfilments,
    }


def to_aif_json(graph: Graph) -> str:
    """:func:`to_aif` as JSON text, indented, ready to open in OVA or load into AIFdb."""
    return json.dumps(to_aif(graph), indent=2, ensure_ascii=False) + "\n"


def count_nodes(aif: dict[str, Any], types: Iterable[str] = NODE_TYPES) -> dict[str, int]:
    """How many nodes of each type an AIF map holds: ``{"I": 26, "RA": 22, ...}``."""
    wanted = set(types)
    counts: dict[str, int] = {}
    for node in aif_core(aif).get("nodes", []):
        if node.get("type") in wanted:
            counts[node["type"]] = counts.get(node["type"], 0) + 1
    return counts
