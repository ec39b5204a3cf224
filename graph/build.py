"""Building: corpus folder in, Turtle, TriG and an HTML map out, all or nothing.

:func:`build` is the build as the command line, the store and notebooks call it; it runs
the pipeline of stages in :mod:`graph.pipeline` (see :mod:`graph.pipeline.run`).
"""

from __future__ import annotations

from .pipeline.result import BuildResult, RebuiltResult
from .pipeline.run import build
from .plumbing.staging import (
    write_atomically,  # noqa: F401  (notebooks import it from here)
)

__all__ = ["BuildResult", "RebuiltResult", "build"]
