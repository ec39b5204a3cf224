"""Real SPARQL servers for the push tests: Oxigraph's (from PyPI) and Virtuoso (Debian's).

Each server starts in a fresh temporary folder, on free loopback ports, and is stopped by its
process id when the tests are done; nothing outside its folder is touched. A server the
machine lacks skips the tests that need it, with the reason, except in CI (``CI`` set), where
it fails them: there, ``scripts/setup-tests.sh`` installs both.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

#: How long a server may take to answer its first query.
START_TIMEOUT = 90.0


def missing(reason: str) -> None:
    """Skip the test that needs what is missing, or fail it in CI, where it must be there."""
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SparqlServer:
    """A running server: where to ask it (``query_url``), where to push (``store_url``),
    and the options of :func:`graph.push.push` it needs (``push_options``)."""

    kind: str
    base_url: str
    query_url: str
    store_url: str
    process: subprocess.Popen
    folder: Path
    push_options: dict[str, str] = field(default_factory=dict)
    log: Path | None = None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def cli_options(self) -> list[str]:
        """The ``push`` command's options for this server, bar the password (which the
        command reads from BILL_GRAPH_PASSWORD)."""
        options = ["--endpoint", self.store_url]
        if "graph_param" in self.push_options:
            options += ["--graph-param", self.push_options["graph_param"]]
        if "user" in self.push_options:
            options += ["--user", self.push_options["user"]]
        return options


def _log_tail(log: Path | None) -> str:
    if log is None or not log.exists():
        return ""
    lines = log.read_text("utf-8", "replace").splitlines()[-15:]
    return "\n".join(lines)


def _wait_for(server: SparqlServer) -> None:
    """Return once the server answers a query; fail with its log if it dies or never does."""
    ask = server.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"the {server.kind} server exited with {server.process.returncode}:\n"
                + _log_tail(server.log),
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(ask, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    server.stop()
    pytest.fail(
        f"the {server.kind} server did not answer within {START_TIMEOUT:.0f} s:\n"
        + _log_tail(server.log),
        pytrace=False,
    )


def oxigraph_binary() -> Path | None:
    """The ``oxigraph`` server of the PyPI package beside this Python, or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return beside
    found = shutil.which("oxigraph")
    return Path(found) if found else None


def start_oxigraph(folder: Path) -> SparqlServer:
    """Oxigraph's server on loopback, its default graph the union of its named graphs (as
    the README starts it)."""
    binary = oxigraph_binary()
    if binary is None:
        missing("needs the oxigraph server (pip package oxigraph): run scripts/setup-tests.sh")
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(binary),
                "serve",
                "--location",
                str(folder / "db"),
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    server = SparqlServer("oxigraph", url, url + "/query", url + "/store", process, folder, log=log)
    _wait_for(server)
    return server


VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"

#: A database of its own in the server's folder, both ports on loopback, and no more memory
#: than a small CI machine spares (10,000 pages of 8 KiB).
_VIRTUOSO_INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa

[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = .
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 100000
"""


def isql(sql_port: int, password: str, statements: str) -> None:
    """Run SQL statements on a Virtuoso server as ``dba``, failing the test on an error."""
    command = [shutil.which(ISQL) or ISQL, f"127.0.0.1:{sql_port}", "dba", password]
    done = subprocess.run(
        [*command, f"exec={statements}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        pytest.fail(f"{ISQL} failed on {statements!r}:\n{done.stdout}{done.stderr}", pytrace=False)


def start_virtuoso(folder: Path) -> SparqlServer:
    """Virtuoso (Debian's virtuoso-opensource) on loopback with a fresh database, and a
    user who may write graphs, made as the README says (``USER_CREATE``, then ``GRANT
    SPARQL_UPDATE``); pushes go to its authenticated Graph Store endpoint with Digest."""
    if shutil.which(VIRTUOSO) is None or shutil.which(ISQL) is None:
        missing(
            f"needs Virtuoso ({VIRTUOSO} and {ISQL}, Debian's virtuoso-opensource): "
            "run scripts/setup-tests.sh"
        )
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(
        _VIRTUOSO_INI.format(sql_port=sql_port, http_port=http_port), "utf-8"
    )
    with (folder / "console.log").open("wb") as out:
        process = subprocess.Popen(
            [shutil.which(VIRTUOSO) or VIRTUOSO, "+configfile", "virtuoso.ini", "+foreground"],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{http_port}"
    server = SparqlServer(
        "virtuoso",
        url,
        url + "/sparql",
        url + "/sparql-graph-crud-auth",
        process,
        folder,
        log=folder / "virtuoso.log",
    )
    _wait_for(server)
    # A new database's dba password is "dba": replace it, so that no one else on the machine
    # can use the server while it runs.
    dba = secrets.token_hex(12)
    isql(sql_port, "dba", f"USER_SET_PASSWORD('dba', '{dba}');")
    writer = secrets.token_hex(12)
    isql(
        sql_port,
        dba,
        f"DB.DBA.USER_CREATE('kg_writer', '{writer}'); GRANT SPARQL_UPDATE TO \"kg_writer\";",
    )
    server.push_options = {"graph_param": "graph-uri", "user": "kg_writer", "password": writer}
    return server
