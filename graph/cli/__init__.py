"""The command line: a thin click layer, one subcommand per public function of the package.

Each module here registers the subcommands of one stage on :data:`main`; importing them is
what makes the subcommands exist.
"""

from . import build  # noqa: F401  (registers build, check)
from .app import main

__all__ = ["main"]
