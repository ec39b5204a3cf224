"""The validate stage: the graphs a build made, checked against the shapes (:mod:`graph.validate`).

Only graphs made anew are checked: a graph the cache gave unchanged was checked when it was
made. A rebuild checks the graphs of the documents that changed, with the graphs they refer
to beside them (:func:`graph.pipeline.emit.emit_changed`), by the shapes' queries its index kept.
Either raises :class:`~graph.errors.InputError` at the corpus lines of what is wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..shacl import Check
from ..validate import validate_build

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ..model import Corpus
    from .emit import Change, Emitted
    from .index import LastBuild


def validate_all(corpus: Corpus, store: ox.Store, emitted: Emitted) -> None:
    """Check the graphs of ``emitted`` that were made anew, in ``store`` (all of them if
    every one was)."""
    fresh = emitted.fresh
    validate_build(corpus, store, None if len(fresh) == len(emitted.kept) else fresh)


def validate_changed(corpus: Corpus, change: Change, last: LastBuild) -> None:
    """Check the graphs of the documents that changed."""
    checks = [Check(*c) for c in last.index["checks"]]
    validate_build(corpus, change.store, change.names, checks)
