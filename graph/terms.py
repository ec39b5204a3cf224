"""RDF terms between rdflib and pyoxigraph: the one home for the conversions.

The build's graph lives in a pyoxigraph store; notebooks, exports and rdflib's engine want
rdflib terms. A plain literal is ``xsd:string`` in Oxigraph and has no datatype in rdflib;
these functions keep the two alike.

>>> to_rdflib(to_oxigraph(Literal("5", datatype=XSD.integer))) == Literal("5", datatype=XSD.integer)
True
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

XSD_STRING = str(XSD.string)


def to_rdflib(term: Any) -> Node | None:
    """A pyoxigraph term as the rdflib term a user of rdflib expects (None stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def to_oxigraph(term: Node) -> Any:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")
