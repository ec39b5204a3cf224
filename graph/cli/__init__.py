"""The command line: a thin click layer, one subcommand per public function of the package.

Each module here registers the subcommands of one stage on :data:`main`; importing them is
what makes the subcommands exist.
"""

# One import per line, so each stage adds its own line without touching the others.
# isort: off
from . import analyze  # noqa: F401  (registers analyze)
from . import build  # noqa: F401  (registers build, check)
from . import diff  # noqa: F401  (registers diff)
from . import draft  # noqa: F401  (registers draft, import-analysis)
from . import export  # noqa: F401  (registers export, import-aif)
from . import import_bill  # noqa: F401  (registers import-bill)
from . import map  # noqa: F401  (registers map)
from . import query  # noqa: F401  (registers query, serve, push)
from . import validate  # noqa: F401  (registers validate, docs)

# isort: on
from .app import main

__all__ = ["main"]
