"""bill-argument-graph: the public argument over a bill as a knowledge graph.

The stages of the data flow, each a function a notebook can call:

>>> from graph import load_corpus, emit_graph, union, to_networkx
"""

from .build import DEFAULT_CORPUS, BuildResult, RebuiltResult, build
from .emit import emit_graph, union
from .errors import InputError, Problem
from .export import to_trig, to_turtle
from .load import load_corpus
from .network import to_networkx
from .visualize import build_map, render_html

__all__ = [
    "DEFAULT_CORPUS",
    "BuildResult",
    "RebuiltResult",
    "InputError",
    "Problem",
    "build",
    "build_map",
    "emit_graph",
    "load_corpus",
    "render_html",
    "to_networkx",
    "to_trig",
    "to_turtle",
    "union",
]
