"""The read-only endpoint as a user starts it: `build_graph.py serve` in a subprocess.

One home for starting and stopping it, for the tests that talk to it over HTTP
(test_serve, test_serve_limits, test_confined_queries).
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT


@contextlib.contextmanager
def running_endpoint(corpus: Path, *options: str) -> Iterator[str]:
    """The URL of ``serve --corpus CORPUS --port 0 --quiet OPTIONS...`` once it listens.

    On leaving, the server is stopped with SIGTERM; it must exit 0 and have printed no
    traceback.
    """
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build_graph.py"), "serve", "--corpus", str(corpus)]
        + ["--port", "0", "--quiet", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(120)
    match = re.search(r"at (http://\S+/sparql)", line[0] if line else "")
    if not match:
        process.kill()
        pytest.fail(f"the endpoint did not start: {line} {process.stderr.read()}")
    try:
        yield match[1]
    finally:
        process.terminate()
        code = process.wait(30)
        stderr = process.stderr.read()
    assert code == 0, stderr
    assert "Traceback" not in stderr, stderr
