"""The notebooks in notebooks/: each runs from a clean kernel and shows what it promises.

Every notebook is executed top to bottom in a fresh Jupyter kernel (nbclient), as a user who
opens it and picks "Run all" does, with a temporary folder as its working directory; a cell
that raises fails the test. The tests then read the outputs a user would read: the tables,
the heatmap, the checker's messages, the exported files, and the map, drawn in Chromium.
Committed notebooks must carry no outputs, so their diffs stay small.
"""

from __future__ import annotations

import ast
import html
import importlib.metadata
import importlib.util
import os
import re
import sys
import tomllib
from pathlib import Path

import nbformat
import networkx as nx
import pyoxigraph as ox
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from rdflib import RDFS, URIRef

from graph.argumentation import framework_from_graph
from graph.query import query

from .browser import CHROMIUM, FLAGS, VIEWPORT
from .conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
ALL = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
EXPLORE = "01-explore-sb1047.ipynb"
NEW_BILL = "02-map-a-new-bill.ipynb"


def canonical(distribution: str) -> str:
    """A distribution's name as pip compares them (PyYAML and pyyaml are one)."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


class Run:
    """A notebook executed in a fresh kernel: the notebook with its outputs, or its error."""

    def __init__(self, name: str, cwd: Path) -> None:
        self.name = name
        self.cwd = cwd
        self.notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
        self.error: CellExecutionError | None = None
        client = NotebookClient(
            self.notebook,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(cwd)}},
        )
        try:
            client.execute()
        except CellExecutionError as exc:
            self.error = exc

    def cell(self, cell_id: str) -> nbformat.NotebookNode:
        if self.error is not None:
            pytest.fail(f"{self.name} failed to run:\n{self.error}", pytrace=False)
        return next(c for c in self.notebook.cells if c.get("id") == cell_id)

    def text(self, cell_id: str) -> str:
        """What a cell shows as text: printed lines, and the plain form of its results."""
        parts = []
        for out in self.cell(cell_id).outputs:
            if out.output_type == "stream":
                parts.append(out.text)
            elif out.output_type in ("execute_result", "display_data"):
                parts.append(out.data.get("text/plain", ""))
        return "".join(parts)

    def data(self, cell_id: str, mime: str) -> list[str]:
        """The cell's rich outputs of one type (text/html, image/png, ...)."""
        return [
            out.data[mime]
            for out in self.cell(cell_id).outputs
            if out.output_type in ("execute_result", "display_data") and mime in out.data
        ]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    """Each notebook run once for the module, in its own working folder, when first asked.

    TMPDIR points the kernels' temporary folders (where notebook 02 writes its corpus) into
    the test's own folder, so a run leaves nothing behind.
    """
    cache: dict[str, Run] = {}
    tmp = tmp_path_factory.mktemp("notebook-tmp")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TMPDIR", str(tmp))

        def run(name: str) -> Run:
            if name not in cache:
                cache[name] = Run(name, tmp_path_factory.mktemp(name.removesuffix(".ipynb")))
            return cache[name]

        yield run


def test_the_two_walkthroughs_are_there():
    assert {EXPLORE, NEW_BILL} <= set(ALL)


@pytest.mark.parametrize("name", ALL)
def test_notebook_runs_from_a_clean_kernel(runs, name):
    run = runs(name)
    assert run.error is None, f"{name} failed to run:\n{run.error}"


@pytest.mark.parametrize("name", ALL)
def test_committed_notebook_carries_no_outputs(name):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    carrying = [
        cell.get("id", i)
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert carrying == [], (
        f"{name}: cells {carrying} carry outputs; clear them with "
        f"`.venv/bin/jupyter nbconvert --clear-output --inplace notebooks/{name}`"
    )


def test_readme_links_every_notebook_and_says_how_to_open_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ALL:
        assert f"(notebooks/{name})" in readme, f"README does not link {name}"
    assert ".venv/bin/pip install -e '.[notebooks]' && .venv/bin/jupyter lab notebooks/" in readme


@pytest.mark.parametrize("name", ALL)
def test_notebook_imports_only_what_the_notebooks_extra_installs(name):
    """A user installs the package with its notebooks extra: that must be all a notebook needs."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {
        canonical(re.match(r"[A-Za-z0-9_.-]+", req).group())
        for req in project["dependencies"] + project["optional-dependencies"]["notebooks"]
    }
    providers = importlib.metadata.packages_distributions()
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    missing = set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top == "graph":
                    continue
                if not {canonical(d) for d in providers.get(top, [top])} & declared:
                    missing.add(top)
    assert missing == set(), f"{name} imports {missing}, which the notebooks extra does not declare"


@pytest.mark.parametrize("name", ALL)
def test_every_step_has_a_sentence_of_prose_before_it(name):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    previous = None
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert previous is not None and previous.cell_type == "markdown", (
                f"{name}: cell {cell.get('id')} has no prose before it"
            )
        previous = cell


# --- 01: exploring SB 1047 -----------------------------------------------------------------


def test_explore_counts_what_the_corpus_holds(runs, sb1047_corpus):
    counts = runs(EXPLORE).text("counts")
    assert re.search(rf"^claims\s+{len(sb1047_corpus.claims)}$", counts, re.M)
    assert re.search(rf"^source documents\s+{len(sb1047_corpus.sources)}$", counts, re.M)


def test_explore_shows_query_results_as_tables(runs, sb1047_build):
    run = runs(EXPLORE)
    cells = ("canned", "positions", "section", "counterclaims", "votes", "adhoc", "matrix")
    for cell_id in cells:
        tables = run.data(cell_id, "text/html")
        assert tables and "<table" in tables[0], cell_id
    first = query(sb1047_build.dataset, "positions").records()[0]
    assert first["name"] in run.text("positions")


def test_explore_reports_a_broken_query_by_line_and_column(runs):
    assert "query:1: column" in runs(EXPLORE).text("adhoc-error")


def test_explore_draws_the_stance_heatmap(runs):
    images = runs(EXPLORE).data("heatmap", "image/png")
    assert len(images) == 1
    assert images[0].startswith("iVBORw0KGgo")  # base64 of the PNG signature


def test_explore_explains_why_the_most_attacked_claims_are_out(runs, sb1047_graph):
    evaluation = framework_from_graph(sb1047_graph)
    out = {c for c, label in evaluation.labelling().items() if label == "out"}
    shown = runs(EXPLORE).text("why-out")
    explained = re.findall(r'^"(.+)" is out: it is attacked by ', shown, re.M)
    assert len(explained) == min(5, len(out))
    assert set(explained) <= {str(sb1047_graph.value(URIRef(c), RDFS.label)) for c in out}
    if len(out) > 5:
        assert f"... and {len(out) - 5} more claims out" in shown
    if not out:
        assert "No claim is out" in shown


def test_explore_writes_the_map_beside_its_working_folder_and_shows_it(runs):
    run = runs(EXPLORE)
    written = run.cwd / "out" / "sb1047-map.html"
    assert written.is_file()
    frames = [h for h in run.data("map", "text/html") if "<iframe" in h]
    assert len(frames) == 1
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', frames[0]).group(1))
    assert srcdoc == written.read_text(encoding="utf-8")


# --- 02: mapping a new bill ----------------------------------------------------------------


def test_new_bill_is_labelled_a_made_up_example_with_example_org_urls():
    notebook = nbformat.read(NOTEBOOKS / NEW_BILL, as_version=4)
    source = "\n".join(cell.source for cell in notebook.cells)
    assert "made up" in notebook.cells[0].source.lower()
    urls = re.findall(r"https?://([^/\s\"'}]+)", source)
    assert urls and set(urls) == {"example.org"}


def test_new_bill_builds_the_corpus_it_writes(runs):
    summary = runs(NEW_BILL).text("build")
    assert "Built 'The EX 12 debate (a made-up example)' (ex12)" in summary
    assert re.search(r"^\s+claims\s+8$", summary, re.M)


def test_new_bill_shows_the_checkers_message_for_each_mistake(runs):
    shown = runs(NEW_BILL).text("mistake")
    assert "2 problems found; nothing was built" in shown
    assert re.search(
        r"riders-letter\.yaml:\d+: claim 'limit-makes-commutes-slower': quote not found in "
        r"\S+riders-letter\.txt; copy it verbatim from the text",
        shown,
    )
    assert "unknown topic 'fairnes'; did you mean 'fairness'?" in shown


def test_new_bill_validates_and_names_the_rule_a_hand_edit_breaks(runs):
    run = runs(NEW_BILL)
    assert "conforms" in run.text("validate")
    broken = run.text("validate-broken")
    assert "claim/riders-letter/opposes-ex12>" in broken
    assert "[rule ClaimText]" in broken


def test_new_bill_answers_its_questions(runs):
    run = runs(NEW_BILL)
    assert "bg:SupportIfAmendedStance" in run.text("query-helper")
    assert "bg:Undercut" in run.text("query-counterclaims")
    section = run.text("query-section")
    assert "SEC. 1(a)" in section and "SEC. 1(b)" in section and "SEC. 2" not in section


def test_new_bill_exports_turtle_and_graphml_that_other_readers_load(runs):
    printed = runs(NEW_BILL).text("export")
    files = {Path(p) for p in re.findall(r"^(\S+)  \(", printed, re.M)}
    turtle = next(p for p in files if p.suffix == ".ttl")
    graphml = next(p for p in files if p.suffix == ".graphml")
    store = ox.Store()
    store.load(path=str(turtle), format=ox.RdfFormat.TURTLE)
    claims = list(
        store.query(
            "SELECT ?c WHERE { ?c a <https://w3id.org/billgraph/ontology#Claim> }",
        )
    )
    assert len(claims) == 8
    view = nx.read_graphml(graphml)
    assert sum(1 for _, d in view.nodes(data=True) if d.get("kind") == "claim") == 8


# --- the map, inline, in a real browser ----------------------------------------------------

needs_browser = pytest.mark.skipif(
    not os.environ.get("CI")
    and (not CHROMIUM.exists() or importlib.util.find_spec("playwright") is None),
    reason="needs /usr/bin/chromium and playwright: run scripts/setup-tests.sh",
)


@needs_browser
def test_new_bill_map_draws_inside_the_notebook_output_with_no_network(runs, tmp_path):
    """The cell's HTML output, put in a page as Jupyter does, draws the map offline."""
    from playwright.sync_api import sync_playwright

    frame_html = next(h for h in runs(NEW_BILL).data("map", "text/html") if "<iframe" in h)
    page_file = tmp_path / "output.html"
    page_file.write_text(f"<!DOCTYPE html><html><body>{frame_html}</body></html>", "utf-8")
    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)

            def route(route) -> None:  # noqa: ANN001 - playwright's Route
                url = route.request.url
                if url == page_file.as_uri() or url.startswith(("data:", "about:")):
                    route.continue_()
                else:
                    outside.append(url)
                    route.abort()

            page.route("**/*", route)
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            frame = page.frame_locator("iframe")
            frame.locator("body[data-ready=true]").wait_for(state="attached", timeout=20_000)
            title = frame.locator("#title").text_content()
            drawn = page.frames[1].evaluate("window.debateMap.network.body.nodeIndices.length")
        finally:
            browser.close()
    assert "The EX 12 debate (a made-up example)" in title
    # 8 claims, 3 documents, 5 organizations and people, 4 topics, the bill, its version,
    # 4 sections and 2 events: everything but the relations, which are drawn as arrows.
    assert drawn == 8 + 3 + 5 + 4 + 1 + 1 + 4 + 2
    assert outside == []
    assert errors == []
