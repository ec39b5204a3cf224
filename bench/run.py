"""The scale benchmark: build a synthetic legislature and measure every stage against issue 9.

    .venv/bin/python bench/run.py                 # full size (~2M triples), 10 to 20 minutes
    .venv/bin/python bench/run.py --scale 0.05    # a twentieth, in about a minute

It generates the corpus (``bench/generate.py``) and then measures, each in a fresh Python
process so that no run inherits another's memory or warm caches:

- **stages**: the package's public functions in the order a build runs them (load and check,
  emit, union, SHACL validation, Turtle, TriG, NetworkX view, a focused HTML view, each canned
  SPARQL query on pyoxigraph and on rdflib's in-memory engine, with their answers compared).
  A function the package does not have yet is reported as "not available".
- **build**: ``graph.build`` itself, writing Turtle, TriG and HTML: the full build.
- **floor**: pyoxigraph parsing the Turtle that build wrote and serialising it again, the
  least any build on this stack can cost.
- **rebuild**: one source file changed, ``graph.build`` again into the same folder.
- **draw**: the focused HTML view opened in headless Chromium until the map has drawn.

Wall time is ``time.perf_counter`` around the call. Memory is the peak resident set size of
the process (Linux ``VmHWM``), reset before each stage through ``/proc/self/clear_refs``: it
is what the process needed while the stage ran, including what earlier stages still hold (as
in a real build), and unlike tracemalloc it sees the memory of Rust and C libraries too.

The table is printed and the same figures are written as JSON (``--json``); the targets of
issue 9 follow, each met or missed and by how much.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

#: Issue 9's targets.
BUILD_OVER_FLOOR = 3.0
PEAK_MEMORY_MB = 1500.0
QUERY_SPEEDUP = 10.0
REBUILD_SHARE = 0.1
DRAW_SECONDS = 5.0
#: Issue 19's target for `analyze` on the built corpus, as a user runs it.
ANALYZE_SECONDS = 60.0
#: Issue 19's targets for the commands a user runs after a build, each a fresh process.
QUERY_SECONDS = 1.5
FOCUS_SECONDS = 3.0
EXPORT_OVER_FLOOR = 2.0
SERVE_SECONDS = 2.0

#: The headings of every `analyze` report (graph/analyze.py, Analysis.to_text), in order.
ANALYZE_SECTIONS = (
    "Stance matrix",
    "Most contested sections",
    "Unanswered claims",
    "Longest chains of claim and counterclaim",
    "Coalition overlap",
    "Most central claims",
    "Most central organizations",
    "Argument evaluation",
    "  Preferred semantics",
)

#: What a report says where an analysis stopped at its limit (graph/analyze.py).
ANALYZE_STOPS = ("the search stopped", "not settled", "estimated from", "did not converge")

NOT_AVAILABLE = "not available"


# --- measuring ---------------------------------------------------------------------------


def _peak_mb() -> float | None:
    """The process's peak resident set size since the last reset, in MB (Linux only)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_peak_mb() -> float:
    """The largest peak resident set size of this process's finished children, in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        pass  # the peak then runs from the start of the process: an upper bound


class StageTimeout(Exception):
    """A stage ran past its time limit (raised from SIGALRM, so pure-Python work stops)."""


def _alarm(signum: int, frame: Any) -> None:
    raise StageTimeout


class Stages:
    """Runs named stages in one process, keeping wall time, peak memory and a note for each.

    A stage that runs longer than ``limit`` seconds is stopped and reported as timed out,
    with the limit as a lower bound of its time: rdflib's SPARQL and pySHACL can take hours
    on a large graph, and a benchmark must still finish and say so.
    """

    def __init__(self, limit: float = 0, save: Path | None = None) -> None:
        self.rows: list[dict[str, Any]] = []
        self.limit = limit
        self.save = save  # rows are written here after each stage, should the process die
        self.children_peak_mb = _children_peak_mb()

    def _saved(self) -> None:
        if self.save is not None:
            self.save.write_text(json.dumps({"rows": self.rows}, indent=2), encoding="utf-8")

    def run(self, name: str, fn: Callable[[], Any] | None, note: str = "") -> Any:
        if not fn:
            self.rows.append({"stage": name, "status": NOT_AVAILABLE, "note": note})
            print(f"  {name}: {NOT_AVAILABLE}", file=sys.stderr, flush=True)
            return None
        _reset_peak()
        start = time.perf_counter()
        if self.limit:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, self.limit)
        try:
            value = fn()
        except StageTimeout:
            self.rows.append(
                {
                    "stage": name,
                    "status": "timed out",
                    "seconds": self.limit,
                    "peak_mb": _peak_mb(),
                    "note": f"stopped after {self.limit:.0f} s",
                }
            )
            print(f"  {name}: timed out", file=sys.stderr, flush=True)
            self._saved()
            return None
        except Exception as exc:  # a broken stage is a finding, not the end of the run
            traceback.print_exc()
            self.rows.append(
                {"stage": name, "status": "failed", "note": f"{type(exc).__name__}: {exc}"[:300]}
            )
            return None
        finally:
            if self.limit:
                signal.setitimer(signal.ITIMER_REAL, 0)
        seconds = time.perf_counter() - start
        row = {"stage": name, "status": "ok", "seconds": seconds, "peak_mb": _peak_mb()}
        workers = _children_peak_mb()
        # A child process: a build's worker (graph/plumbing/parallel.py), Chromium
        if workers > self.children_peak_mb:
            self.children_peak_mb = workers
            row["children_peak_mb"] = workers
            note = f"{note}; " if note else ""
            note += f"+ {workers:,.0f} MB peak in a child process"
        if note:
            row["note"] = note
        self.rows.append(row)
        print(f"  {name}: {seconds:.2f} s", file=sys.stderr, flush=True)
        self._saved()
        return value


def _function(module: str, name: str) -> Callable | None:
    """``module.name`` if the package has it yet, else None."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


# --- the children: each runs in a fresh process and writes its rows as JSON ----------------


def child_stages(corpus: Path, out: Path, limit: float = 0) -> dict[str, Any]:
    """The build's stages in order, the views a user draws, then the canned queries on both
    engines."""
    import graph

    out.mkdir(parents=True, exist_ok=True)
    st = Stages(float(limit), save=out / "stages-so-far.json")
    c = st.run("load and check", lambda: graph.load_corpus(corpus))
    # The path graph.build takes: statements as Turtle text, the TriG and Turtle files,
    # Oxigraph's store parsed from the TriG, SHACL on it, the map from it.
    from graph import emit

    graphs = st.run("emit RDF", lambda: emit.emit_graphs(c))
    trig = st.run("write TriG", graphs is not None and (lambda: emit.trig_of(graphs)))
    turtle = st.run("write Turtle", graphs is not None and (lambda: emit.turtle_of(graphs)))
    if turtle is not None:  # for the floor, should the full build not finish
        (out / "graph.ttl").write_text(turtle, encoding="utf-8")
    graphs = turtle = None
    import pyoxigraph as ox

    def load_store() -> Any:
        store = ox.Store()
        store.bulk_load(trig.encode("utf-8"), format=ox.RdfFormat.TRIG)
        return store

    store = st.run("load the store (Oxigraph)", trig is not None and load_store)
    trig = None
    facts = {"triples": len(store)} if store is not None else {}
    validate_build = _function("graph.validate", "validate_build")
    st.run(
        "validate (SHACL)",
        validate_build and store is not None and (lambda: validate_build(c, store)),
    )
    build_map = _function("graph.visualize", "build_map")
    st.run(
        "HTML map of the build",
        build_map and store is not None and (lambda: build_map(store, title=c.title)),
    )
    nxg = st.run("NetworkX view", store is not None and (lambda: graph.to_networkx(store)))
    focus = _function("graph.visualize", "focus")
    target = focus_target(c) if c is not None else None
    if focus is None or nxg is None:
        st.run("HTML of a focused view", None)
    else:
        page = st.run(
            "HTML of a focused view",
            lambda: graph.render_html(focus(nxg, target)[0], title=f"Around {target}"),
            note=f"focus {target}, depth 2",
        )
        if page is not None:
            (out / "focused.html").write_text(page, encoding="utf-8")
    if nxg is not None:
        facts["network nodes"] = nxg.number_of_nodes()
    nxg = None  # the view is large; free it before the queries

    queries = canned_queries()
    if not queries:
        st.run("canned SPARQL queries", None)
    elif store is not None:
        from graph.emit import dataset_of, union

        g = st.run(
            "rdflib graph (for rdflib's engine)",
            lambda: union(dataset_of(store.quads_for_pattern(None, None, None, None))),
        )
        for name, text in queries:
            ox_rows = st.run(f"query {name} (pyoxigraph)", lambda t=text: _ox_rows(ox, store, t))
            rd_rows = st.run(
                f"query {name} (rdflib)", g is not None and (lambda t=text: _rdflib_rows(g, t))
            )
            if ox_rows is not None and rd_rows is not None:
                st.rows[-2]["same_answers"] = ox_rows == rd_rows
                st.rows[-2]["answers"] = len(ox_rows)
    return {"rows": st.rows, "facts": facts}


def focus_target(corpus: Any) -> str:
    """The claim the focused view is drawn around: the most attacked one, a hub of debate."""
    from collections import Counter

    from graph.vocab import Minter

    attacked = Counter(r.conclusion for r in corpus.relations if r.kind != "supports")
    key = attacked.most_common(1)[0][0] if attacked else corpus.claims[0].key
    source, claim = key.split("/", 1)
    return str(Minter(corpus.base).claim(source, claim))


def canned_queries(across_debates: bool = False) -> list[tuple[str, str]]:
    """The package's canned SPARQL queries, (name, text), from ``graph/queries/*.rq``, but
    those only several debates answer (the synthetic legislature is one), unless
    ``across_debates``: a user may ask those of one debate too, and is answered."""
    from graph.questions import ACROSS_DEBATES

    folder = ROOT / "graph" / "queries"
    return [
        (p.stem, p.read_text(encoding="utf-8"))
        for p in sorted(folder.glob("*.rq"))
        if across_debates or p.stem not in ACROSS_DEBATES
    ]


def _ox_store(ox: Any, turtle: str) -> Any:
    store = ox.Store()
    store.load(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return store


_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Oxigraph's store keeps integers of a derived type (our tallies and text offsets are
#: xsd:nonNegativeInteger) as xsd:integer; the value is the same, so answers compare alike.
_INTEGERS = {
    _XSD + t
    for t in [
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
}


def _term_key(kind: str, value: str, datatype: str | None, language: str | None) -> tuple:
    if kind == "literal" and not language and datatype in (None, _XSD + "string"):
        datatype = _XSD + "string"
    if datatype in _INTEGERS:
        datatype = _XSD + "integer"
    return (kind, value, datatype or "", (language or "").lower())


def _ox_rows(ox: Any, store: Any, text: str) -> list:
    result = store.query(text, use_default_graph_as_union=True)
    if isinstance(result, bool):
        return [result]
    if isinstance(result, ox.QueryTriples):
        return sorted(
            tuple(_ox_term(t) for t in (r.subject, r.predicate, r.object)) for r in result
        )
    names = [v.value for v in result.variables]
    return sorted(tuple(_ox_term(row[n]) for n in names) for row in result)


def _ox_term(t: Any) -> tuple:
    import pyoxigraph as ox

    if t is None:
        return ("unbound", "", "", "")
    if isinstance(t, ox.Literal):
        return _term_key("literal", t.value, t.datatype.value, t.language)
    if isinstance(t, ox.BlankNode):
        return ("bnode", "", "", "")
    return ("iri", t.value, "", "")


def _rdflib_rows(g: Any, text: str) -> list:
    result = g.query(text)
    if result.type == "ASK":
        return [bool(result.askAnswer)]
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return sorted(tuple(_rdflib_term(t) for t in triple) for triple in result.graph)
    names = [str(v) for v in result.vars]
    return sorted(tuple(_rdflib_term(row[n]) for n in names) for row in result)


def _rdflib_term(t: Any) -> tuple:
    from rdflib import BNode, Literal

    if t is None:
        return ("unbound", "", "", "")
    if isinstance(t, Literal):
        return _term_key("literal", str(t), str(t.datatype) if t.datatype else None, t.language)
    if isinstance(t, BNode):
        return ("bnode", "", "", "")
    return ("iri", str(t), "", "")


def child_build(corpus: Path, out: Path) -> dict[str, Any]:
    """``graph.build``: what a user runs, all files written."""
    import graph

    st = Stages()
    result = st.run("full build", lambda: graph.build(corpus, out))
    files = {k: str(p) for k, p in result.files.items()} if result else {}
    if result is not None:
        from graph.store import remember_build

        remember_build(corpus, out)  # as `build_graph.py build` does, for `--corpus`
    how = ""
    if isinstance(result, graph.RebuiltResult):
        how = "incremental (graph/pipeline/run.py)"
    elif result is not None and result.declined:
        how = f"the whole build: {result.declined}"
    return {"rows": st.rows, "files": files, "how": how}


def child_floor(turtle: Path) -> dict[str, Any]:
    """pyoxigraph parsing our Turtle and writing it again: the least a build can cost."""
    import pyoxigraph as ox

    st = Stages()
    store = st.run("floor: pyoxigraph parse", lambda: _ox_store(ox, turtle.read_text("utf-8")))
    st.run(
        "floor: pyoxigraph serialise",
        lambda: store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()),
    )
    return {"rows": st.rows, "facts": {"floor triples": len(store)}}


def child_export_floor(trig: Path) -> dict[str, Any]:
    """pyoxigraph parsing the build's TriG and writing its triples as Turtle: the least an
    export of that file to Turtle can cost (issue 19's floor for ``export``)."""
    import pyoxigraph as ox

    st = Stages()
    store = ox.Store()
    st.run(
        "export floor: pyoxigraph parse of the TriG",
        lambda: store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG),
    )
    st.run(
        "export floor: pyoxigraph serialise as Turtle",
        lambda: ox.serialize(
            (q.triple for q in store.quads_for_pattern(None, None, None)),
            format=ox.RdfFormat.TURTLE,
        ),
    )
    return {"rows": st.rows}


def child_draw(page: Path) -> dict[str, Any]:
    """The focused HTML view opened in headless Chromium until vis-network has drawn it.

    Chromium is started by the tests' launcher (``tests/browser.py``): Debian's
    /usr/bin/chromium with the flags our toolchain notes settled on for a small CI machine
    (no sandbox, no GPU, no background networking, a fresh profile), offline, every request
    outside the file refused; so the benchmark draws the page as the browser tests do.
    """
    st = Stages()
    try:
        import playwright.sync_api  # noqa: F401  (the launcher needs it)

        from tests.browser import CHROMIUM, Browser
    except ImportError:
        st.run("draw focused view (Chromium)", None, note="playwright is not installed")
        return {"rows": st.rows}
    if not CHROMIUM.exists() or not page.exists():
        st.run("draw focused view (Chromium)", None, note="no chromium or no focused page")
        return {"rows": st.rows}

    def draw() -> None:
        browser = Browser()
        try:
            # open() returns once the map has painted its first frame (map.js marks the
            # page ready on vis-network's first afterDrawing).
            opened = browser.open(page)
            if opened.errors or opened.outside:
                raise RuntimeError(f"the page failed: {(opened.errors + opened.outside)[:3]}")
        finally:
            browser.close()

    st.run("draw focused view (Chromium)", draw, note="launch, load, first paint")
    return {"rows": st.rows}


def _high_water_kb(pid: int) -> int:
    """The peak resident set size of a running process so far, in kB (Linux; 0 elsewhere,
    or once it has ended)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def run_command(argv: list[str], limit: float, out: Path) -> dict[str, Any]:
    """``build_graph.py ARGV`` as a user runs it, in a fresh process: its wall time, its peak
    resident set size and its output, written to ``out``. Stopped after ``limit`` seconds.

    The peak is the process's own high-water mark (``VmHWM``), read while it runs: the
    kernel's account of a finished child (``wait4``) starts from this process's size at the
    fork, so a small command would be reported as large as the benchmark that started it.
    """
    cmd = [sys.executable, str(ROOT / "build_graph.py"), *argv]
    peak_kb = 0
    with out.open("wb") as f:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=ROOT)
        while True:
            peak_kb = max(peak_kb, _high_water_kb(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > limit:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                return {
                    "status": "timed out",
                    "seconds": limit,
                    "note": f"stopped after {limit:.0f} s",
                }
            time.sleep(0.01)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    row: dict[str, Any] = {"seconds": seconds, "peak_mb": (peak_kb or usage.ru_maxrss) / 1024}
    if proc.returncode != 0:
        tail = out.read_text(encoding="utf-8", errors="replace")[-500:]
        return row | {"status": "failed", "note": f"exit {proc.returncode}: {tail}"}
    return row | {"status": "ok"}


def analyze_row(trig: Path, limit: float, work: Path) -> dict[str, Any]:
    """``analyze`` on the build's TriG, as a user runs it, and whether its report has every
    section (and which of them say they stopped at a limit)."""
    row = {"stage": "analyze (command)"} | run_command(
        ["analyze", str(trig)], limit, work / "analyze-report.txt"
    )
    if row["status"] != "ok":
        return row
    text = (work / "analyze-report.txt").read_text(encoding="utf-8")
    missing = [h for h in ANALYZE_SECTIONS if f"\n{h}" not in text]
    stops = [s for s in ANALYZE_STOPS if s in text]
    row["sections_missing"] = missing
    row["note"] = (
        f"sections missing: {', '.join(missing)}" if missing else "every section present"
    ) + (f"; says: {', '.join(stops)}" if stops else "")
    return row


# --- the commands after a build (issue 19) -------------------------------------------------


def _command_row(stage: str, argv: list[str], limit: float, work: Path, note: str = "") -> dict:
    log = work / "logs" / (re.sub(r"[^\w.-]+", "-", stage).strip("-") + ".txt")
    row = {"stage": stage} | run_command(argv, limit, log)
    if note and row["status"] == "ok":
        row["note"] = note
    return row


def parameter_values(trig: Path) -> dict[str, str]:
    """A value for each parameter of the canned questions, from the graph itself: the first
    that the parameter's own list of values (graph/queries/values/*.rq) gives."""
    from graph.query import query
    from graph.store import open_store

    store = open_store(trig, quiet=True)
    values = {}
    for p in sorted((ROOT / "graph" / "queries" / "values").glob("*.rq")):
        rows = query(store, str(p)).records()
        if rows:
            first = rows[0]
            values[p.stem] = first.get("key") if p.stem == "stance" else first["value"]
    return values


def serve_row(trig: Path, limit: float) -> dict[str, Any]:
    """``serve --data TRIG`` started as a user starts it, and the time until it has answered
    its first query (a count of the triples), from the moment the process started."""
    import urllib.parse
    import urllib.request

    cmd = [sys.executable, str(ROOT / "build_graph.py"), "serve", "--data", str(trig)]
    cmd += ["--port", "0", "--quiet"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
    row: dict[str, Any] = {"stage": "serve: first query answered", "peak_mb": 0.0}
    try:
        line = proc.stdout.readline().decode("utf-8", "replace") if proc.stdout else ""
        m = re.search(r"at (http://\S+)", line)
        if not m:
            row |= {"status": "failed", "note": line.strip()[-300:]}
        else:
            body = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
            request = urllib.request.Request(
                m.group(1) + "?" + body, headers={"Accept": "text/csv"}
            )
            with urllib.request.urlopen(request, timeout=limit) as answer:
                text = answer.read().decode("utf-8")
            triples = text.split()[-1] if text.split() else "?"
            row |= {
                "status": "ok",
                "seconds": time.perf_counter() - start,
                "note": f"{triples} triples counted; peak of the server process, not its workers",
            }
    finally:
        proc.terminate()
        with contextlib.suppress(ChildProcessError):
            _, _, usage = os.wait4(proc.pid, 0)
            row["peak_mb"] = usage.ru_maxrss / 1024
    return row


def command_rows(corpus: Path, trig: Path, limit: float, work: Path) -> list[dict[str, Any]]:
    """Each command a user runs after the build, as they run it (a fresh process each, on the
    built corpus), with its wall time and peak memory: the first command (which indexes the
    build's TriG, graph.store), every canned question with and without its first parameter,
    a question by corpus, the focused map, the export (and right after it, its floor:
    :func:`child_export_floor`), and serve's first answer."""
    from graph.neighbourhood import node_index_file
    from graph.store import Fingerprint, index_dir

    shutil.rmtree(index_dir(trig), ignore_errors=True)
    rows = [
        _command_row(
            "first command: index the TriG, then votes",
            ["query", "votes", "--data", str(trig)],
            limit,
            work,
        )
    ]
    values = parameter_values(trig)
    for name, text in canned_queries(across_debates=True):
        rows.append(
            _command_row(f"query {name} --data", ["query", name, "--data", str(trig)], limit, work)
        )
        params = re.findall(r"^#\s+(\w+) \(", text, flags=re.M)
        param = next((p for p in params if p in values), None)
        if param is None:
            continue
        argv = ["query", name, "--data", str(trig), "--param", f"{param}={values[param]}"]
        rows.append(
            _command_row(
                f"query {name} --param {param}", argv, limit, work, note=f"{param}={values[param]}"
            )
        )
    rows.append(
        _command_row(
            "query votes --corpus", ["query", "votes", "--corpus", str(corpus)], limit, work
        )
    )
    # Twice: the first focused map of a file writes its node index (once per change of the
    # file, graph.neighbourhood), so it starts without one; a user meets the second far
    # more often.
    node_index_file(Fingerprint.of(trig).sha256).unlink(missing_ok=True)
    claim = values.get("claim", "")
    focus = ["map", str(trig), "--focus", claim, "--depth", "2", "-o", str(work / "focus.html")]
    first = "first map --focus, depth 2 (writes the file's node index)"
    rows.append(_command_row(first, focus, limit, work, note=claim))
    rows.append(_command_row("map --focus, depth 2", focus, limit, work, note=claim))
    rows.append(
        _command_row(
            "export -f turtle",
            ["export", str(trig), "-f", "turtle", "-o", str(work / "export")],
            limit,
            work,
        )
    )
    # Its floor in the same minutes: on a shared machine the load changes by the minute.
    floor = _spawn("export-floor", trig, log=work / "logs" / "export-floor.log", timeout=limit)
    rows += floor["rows"]
    rows.append(serve_row(trig, limit))
    return rows


CHILDREN = {
    "stages": child_stages,
    "build": child_build,
    "floor": child_floor,
    "export-floor": child_export_floor,
    "draw": child_draw,
}


def _spawn(mode: str, *args: Any, log: Path, timeout: float | None = None) -> dict[str, Any]:
    """Run one child in a fresh Python process; give its JSON result.

    A child still running after ``timeout`` seconds is stopped and reported as timed out.
    """
    result_path = log.with_suffix(".json")
    result_path.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, str(result_path)]
    cmd += [str(a) for a in args]
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(cmd, stderr=err, stdout=err, cwd=ROOT)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            note = f"stopped after {timeout:.0f} s"
            row = {"stage": mode, "status": "timed out", "seconds": timeout, "note": note}
            so_far = Path(args[1]) / "stages-so-far.json" if mode == "stages" else None
            if so_far is not None and so_far.exists():  # what finished before the stop
                rows = json.loads(so_far.read_text(encoding="utf-8"))["rows"]
                return {"rows": [*rows, row | {"stage": "the remaining stages"}]}
            return {"rows": [row]}
    if proc.returncode != 0 or not result_path.exists():
        tail = log.read_text(encoding="utf-8")[-2000:]
        return {"rows": [{"stage": mode, "status": "failed", "note": tail}]}
    return json.loads(result_path.read_text(encoding="utf-8"))


# --- the report --------------------------------------------------------------------------


def change_one_source(corpus: Path) -> str:
    """Edit one source document the way an author would: reword one claim's statement."""
    path = sorted((corpus / "sources").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'(statement: ")', r"\1Reworded: ", text, count=1)
    path.write_text(text, encoding="utf-8")
    return f"changed {path.name}: a claim reworded"


def add_a_relation(corpus: Path) -> str:
    """Edit one source document so that the map's skeleton changes: a support added
    between two of its claims."""
    for path in sorted((corpus / "sources").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "\nrelations:\n" in text and "id: claim-1\n" in text:
            added = "  - {id: bench-added, kind: supports, from: [claim-1], to: claim-0}\n"
            path.write_text(text.replace("\nrelations:\n", "\nrelations:\n" + added, 1), "utf-8")
            return f"changed {path.name}: a relation added"
    raise RuntimeError("no source document with relations and two claims")


def add_a_document(corpus: Path) -> str:
    """A new source document: a copy of the first, under another id."""
    first = sorted((corpus / "sources").glob("*.yaml"))[0]
    text = first.read_text(encoding="utf-8")
    new = first.with_name("zz-bench-added.yaml")
    new.write_text(text.replace(f"id: {first.stem}\n", "id: zz-bench-added\n", 1), "utf-8")
    return f"added {new.name}, a copy of {first.name}"


#: What the rebuild stages change, one after the other, each built again in a new process.
EDITS = (
    ("rebuild after one changed source", change_one_source),
    ("rebuild after a relation added", add_a_relation),
    ("rebuild after a document added", add_a_document),
)


def _row(rows: list[dict], stage: str, timed_out: bool = False) -> dict[str, Any] | None:
    """The measured row of a stage; with ``timed_out``, a stopped one too (a lower bound)."""
    ok = ("ok", "timed out") if timed_out else ("ok",)
    return next((r for r in rows if r["stage"] == stage and r["status"] in ok), None)


def targets(rows: list[dict[str, Any]], validated: bool) -> list[dict[str, Any]]:
    """Issue 9's targets, each with the measured figure, met or missed, and by how much.

    A stage stopped at the time limit counts with the limit as its time, so a miss is then
    "at least" that much.
    """
    out: list[dict[str, Any]] = []
    build = _row(rows, "full build", timed_out=True)
    parse, dump = _row(rows, "floor: pyoxigraph parse"), _row(rows, "floor: pyoxigraph serialise")
    if build and parse and dump:
        floor = parse["seconds"] + dump["seconds"]
        note = "includes SHACL validation" if validated else "SHACL validation not in the build"
        t = _target("full build / floor", build["seconds"] / floor, BUILD_OVER_FLOOR, "x", note)
        t["floor_seconds"] = floor
        out.append(_bounded(t, build))
    if build and build.get("peak_mb") is not None:
        # With its worker's peak added: an upper bound, as pages the two share (the corpus
        # read before the fork) count in both.
        peak = build["peak_mb"] + build.get("children_peak_mb", 0)
        t = _target("full build peak memory", peak, PEAK_MEMORY_MB, " MB")
        if build.get("children_peak_mb"):
            t["note"] = "with its worker process's peak"
        out.append(_bounded(t, build))
    for stage, _ in EDITS:
        rebuild = _row(rows, stage, timed_out=True)
        if build and rebuild and build["status"] == "ok":
            share = rebuild["seconds"] / build["seconds"]
            name = f"{stage} / full build"
            out.append(_bounded(_target(name, share, REBUILD_SHARE, ""), rebuild))
    for r in rows:
        m = re.fullmatch(r"query (.+) \(pyoxigraph\)", r["stage"])
        rd = _row(rows, f"query {m.group(1)} (rdflib)", timed_out=True) if m else None
        if not (m and r["status"] == "ok" and rd):
            continue
        speedup = rd["seconds"] / max(r["seconds"], 1e-6)
        t = _target(f"query {m.group(1)}: rdflib / pyoxigraph", speedup, QUERY_SPEEDUP, "x")
        t["lower_is_better"] = False
        t["by"] = speedup / QUERY_SPEEDUP
        same = r.get("same_answers")
        t["met"] = speedup >= QUERY_SPEEDUP and same is not False
        if rd["status"] != "ok":
            t["at_least"] = True
            t["note"] = "rdflib stopped at the limit; answers not compared"
        elif not same:
            t["note"] = "answers differ"
        out.append(t)
    analyzed = _row(rows, "analyze (command)", timed_out=True)
    if analyzed:
        t = _target("analyze (command; issue 19)", analyzed["seconds"], ANALYZE_SECONDS, " s")
        if analyzed.get("sections_missing"):
            t["met"] = False
            t["note"] = "sections missing: " + ", ".join(analyzed["sections_missing"])
        out.append(_bounded(t, analyzed))
    out += command_targets(rows)
    draw = _row(rows, "draw focused view (Chromium)", timed_out=True)
    if draw:
        t = _target("focused view drawn in Chromium", draw["seconds"], DRAW_SECONDS, " s")
        out.append(_bounded(t, draw))
    return out


def command_targets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Issue 19's targets for the commands after a build, each against its row."""
    out = []
    for r in rows:
        if r["status"] not in ("ok", "timed out"):
            continue
        stage = r["stage"]
        if stage.startswith("query "):
            out.append(_bounded(_target(stage, r["seconds"], QUERY_SECONDS, " s"), r))
        elif stage.startswith("map --focus"):
            out.append(_bounded(_target(stage, r["seconds"], FOCUS_SECONDS, " s"), r))
        elif stage.startswith("serve"):
            out.append(_bounded(_target(stage, r["seconds"], SERVE_SECONDS, " s"), r))
    exported = _row(rows, "export -f turtle", timed_out=True)
    parse = _row(rows, "export floor: pyoxigraph parse of the TriG")
    dump = _row(rows, "export floor: pyoxigraph serialise as Turtle")
    if exported and parse and dump:
        floor = parse["seconds"] + dump["seconds"]
        t = _target("export -f turtle / floor", exported["seconds"] / floor, EXPORT_OVER_FLOOR, "x")
        t["floor_seconds"] = floor
        t["note"] = (
            f"{exported['seconds']:.1f} s, {exported.get('peak_mb', 0):.0f} MB, against a floor "
            f"of {floor:.1f} s (parse {parse['seconds']:.1f} + serialise {dump['seconds']:.1f})"
        )
        out.append(_bounded(t, exported))
    return out


def _bounded(t: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """Mark a target measured on a stopped stage: its figure is a lower bound."""
    if row["status"] != "ok":
        t["at_least"] = True
        t["note"] = (t.get("note", "") + "; " if t.get("note") else "") + row.get("note", "")
    return t


def _target(name: str, value: float, limit: float, unit: str, note: str = "") -> dict[str, Any]:
    t = {
        "target": name,
        "value": value,
        "limit": limit,
        "unit": unit,
        "lower_is_better": True,
        "met": value <= limit,
        "by": value / limit,
    }
    if note:
        t["note"] = note
    return t


def _fmt(value: float, unit: str) -> str:
    return f"{value:.0f}{unit}" if unit == " MB" else f"{value:.2f}{unit}"


def render(report: dict[str, Any]) -> str:
    """The report as the plain-text tables printed at the end of a run."""
    lines = [
        f"corpus: {report['corpus']} (scale {report['scale']})",
        "  " + ", ".join(f"{k} {v:,}" for k, v in report["facts"].items()),
        f"machine: {report['machine']['summary']}",
        "",
        f"{'stage':<46} {'wall s':>9} {'peak MB':>9}  note",
    ]
    for r in report["rows"]:
        if r["status"] == "ok":
            seconds, peak = f"{r['seconds']:9.2f}", f"{r['peak_mb']:9.0f}"
        elif r["status"] == "timed out":
            seconds, peak = f"≥{r['seconds']:.0f}", ""
        else:
            seconds, peak = f"{r['status']:>19}", ""
        note = r.get("note", "")
        if "same_answers" in r:
            same = "same answers" if r["same_answers"] else "ANSWERS DIFFER"
            note = f"{r['answers']} rows, {same}"
        lines.append(
            f"{r['stage']:<46} {seconds:>9} {peak:>9}  {note.splitlines()[-1] if note else ''}"
        )
    lines += ["", f"{'target (issue 9)':<46} {'measured':>12} {'limit':>10}  verdict"]
    for t in report["targets"]:
        at_least = ">=" if t.get("at_least") else ""
        if t["met"]:
            verdict = "met"
        elif t.get("note") == "answers differ":
            verdict = "MISSED"
        elif t["lower_is_better"]:
            verdict = f"MISSED by {at_least}{t['by']:.1f}x"
        else:
            verdict = f"MISSED: {t['by']:.2f} of the target"
        if t.get("note"):
            verdict += f" ({t['note']})"
        bound = "<=" if t["lower_is_better"] else ">="
        value = ("≥" if t.get("at_least") else "") + _fmt(t["value"], t["unit"])
        lines.append(
            f"{t['target']:<46} {value:>12} "
            f"{bound + ' ' + _fmt(t['limit'], t['unit']):>10}  {verdict}"
        )
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            names = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    versions = {}
    for pkg in ("rdflib", "pyoxigraph", "networkx", "pyshacl", "PyYAML"):
        try:
            from importlib.metadata import version

            versions[pkg] = version(pkg)
        except Exception:  # noqa: BLE001 (a missing package is just not listed)
            continue
    cores = os.cpu_count()
    return {
        "summary": f"{cores} cores ({cpu}), {mem_gb:.0f} GB RAM, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}",
        "cores": cores,
        "cpu": cpu,
        "memory_gb": round(mem_gb, 1),
        "python": platform.python_version(),
        "packages": versions,
    }


def run(
    scale: float,
    work: Path,
    corpus: Path | None = None,
    seed: int = 1047,
    limit: float = 600,
    only: str | None = None,
) -> dict[str, Any]:
    """Generate (unless ``corpus`` is given), measure every stage, and give the report.

    ``limit`` bounds each stage and each build, in seconds; what runs longer is reported as
    timed out, the limit standing as a lower bound of its time. ``only="analyze"`` measures
    the full build and the ``analyze`` command on it, and nothing else.
    """
    from generate import generate

    work.mkdir(parents=True, exist_ok=True)
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    facts: dict[str, Any] = {}
    if corpus is None:
        corpus = work / "corpus"
        print(f"generating the corpus at scale {scale} ...", file=sys.stderr, flush=True)
        facts.update(generate(corpus, scale, seed))
    out = work / "out"
    for folder in (out, work / "stages-out"):
        if folder.exists():
            shutil.rmtree(folder)
    rows: list[dict[str, Any]] = []
    if only is None:
        print("stages:", file=sys.stderr, flush=True)
        stages = _spawn(
            "stages",
            corpus,
            work / "stages-out",
            limit,
            log=logs / "stages.log",
            timeout=limit * 12,
        )
        rows += stages["rows"]
        facts.update(stages.get("facts", {}))
    print("full build:", file=sys.stderr, flush=True)
    built = _spawn("build", corpus, out, log=logs / "build.log", timeout=limit)
    for r in built["rows"]:
        r["stage"] = "full build"
    rows += built["rows"]
    trig = built.get("files", {}).get("trig")
    if trig and only in (None, "analyze", "commands"):
        print("analyze:", file=sys.stderr, flush=True)
        rows.append(analyze_row(Path(trig), limit, work))
    if trig and only in (None, "commands"):
        print("commands:", file=sys.stderr, flush=True)
        rows += command_rows(corpus, Path(trig), limit, work)
    if only is not None:
        return _report(corpus, scale, seed, limit, facts, rows, validated=False)
    turtle = Path(built.get("files", {}).get("ttl", work / "stages-out" / "graph.ttl"))
    if turtle.exists():
        floor = _spawn("floor", turtle, log=logs / "floor.log", timeout=limit)
        rows += floor["rows"]
        facts.update(floor.get("facts", {}))
    for n, (stage, change) in enumerate(EDITS if built.get("files") else ()):
        note = change(corpus)
        print(f"{stage}:", file=sys.stderr, flush=True)
        again = _spawn("build", corpus, out, log=logs / f"rebuild-{n}.log", timeout=limit)
        for r in again["rows"]:
            r["stage"] = stage
            r["note"] = "; ".join(filter(None, [note, again.get("how")]))
        rows += again["rows"]
    page = work / "stages-out" / "focused.html"
    rows += _spawn("draw", page, log=logs / "draw.log", timeout=limit)["rows"]
    validated = _row(rows, "validate (SHACL)", timed_out=True) is not None and _validate_in_build()
    return _report(corpus, scale, seed, limit, facts, rows, validated)


def _report(
    corpus: Path,
    scale: float,
    seed: int,
    limit: float,
    facts: dict[str, Any],
    rows: list[dict[str, Any]],
    validated: bool,
) -> dict[str, Any]:
    return {
        "corpus": str(corpus),
        "scale": scale,
        "seed": seed,
        "limit_seconds": limit,
        "facts": facts,
        "machine": machine(),
        "rows": rows,
        "targets": targets(rows, validated),
    }


def _validate_in_build() -> bool:
    """Whether ``graph.build`` runs SHACL validation (so the build figure includes it)."""
    return "validate" in (ROOT / "graph" / "build.py").read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        mode, result_path, *args = argv[1:]
        result = CHILDREN[mode](*(Path(a) if "/" in a else a for a in args))
        Path(result_path).write_text(json.dumps(result, indent=2), encoding="utf-8")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="corpus size (1: ~2M triples)")
    parser.add_argument("--seed", type=int, default=1047)
    parser.add_argument(
        "--corpus", type=Path, help="measure this corpus folder instead of generating one"
    )
    parser.add_argument(
        "--work", type=Path, default=Path("/tmp/bill-graph-bench"), help="scratch folder"
    )
    parser.add_argument("--json", type=Path, help="write the report here as JSON")
    parser.add_argument(
        "--limit",
        type=float,
        default=600,
        help="seconds allowed to each stage and each build before it is stopped (default 600)",
    )
    parser.add_argument(
        "--only",
        choices=["analyze", "commands"],
        help="measure only the full build and, on it, analyze (issue 19's analyze row) or "
        "every command a user runs after a build (issue 19's commands part, analyze included)",
    )
    args = parser.parse_args(argv)
    corpus = None
    if args.corpus:
        # The rebuild stage edits a source file: work on a copy, never on the user's corpus.
        corpus = args.work / "corpus"
        if corpus.exists():
            shutil.rmtree(corpus)
        shutil.copytree(args.corpus, corpus)
    report = run(args.scale, args.work, corpus, args.seed, args.limit, args.only)
    print(render(report))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
