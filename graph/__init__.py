"""bill-argument-graph: the public argument over a bill as a knowledge graph.

The stages of the data flow, each a function a notebook can call:

>>> from graph import load_corpus, emit_graph, union, to_networkx

Each is imported when first asked for (PEP 562), so that a command imports only the stages
it runs: the command line's ``--help`` needs none of them.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

#: Where each public name lives.
_HOMES = {
    "DEFAULT_CORPUS": "defaults",
    "BuildResult": "build",
    "RebuiltResult": "build",
    "build": "build",
    "emit_graph": "emit",
    "union": "emit",
    "InputError": "errors",
    "Problem": "errors",
    "to_trig": "export",
    "to_turtle": "export",
    "load_corpus": "load",
    "to_networkx": "network",
    "open_store": "store",
    "corpus_store": "store",
    "build_map": "visualize",
    "render_html": "visualize",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


class _Package(types.ModuleType):
    """The package, whose ``build`` stays the function when its module is imported."""

    def __setattr__(self, name: str, value: Any) -> None:
        # Importing the module graph.build sets this attribute to the module; ``graph.build``
        # has always been the function (``from graph import build``), whatever ran first.
        if name == "build" and isinstance(value, types.ModuleType):
            value = value.build
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
