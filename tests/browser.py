"""Debian's headless Chromium, driven by Playwright, for the tests of the HTML map.

:class:`Browser` starts /usr/bin/chromium once (never a downloaded browser) with a fresh
profile and the flags that work on a small CI machine. :meth:`Browser.open` loads a page from
a file with every request outside the file recorded and refused, and every console error and
uncaught exception recorded, so a test can assert that the page needed nothing else.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
]

VIEWPORT = {"width": 1280, "height": 900}


@dataclass
class OpenedPage:
    """A page loaded from a file, with what it asked of the network and what went wrong."""

    page: object  # playwright.sync_api.Page
    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def node_point(self, node_id: str) -> tuple[float, float]:
        """Where a node is drawn, in page coordinates: where a user would click it."""
        return tuple(
            self.page.evaluate(
                """(id) => {
                    const net = window.debateMap.network;
                    const p = net.canvasToDOM(net.getPositions([id])[id]);
                    const box = document.getElementById("map").getBoundingClientRect();
                    return [box.left + p.x, box.top + p.y];
                }""",
                node_id,
            )
        )

    def click_node(self, node_id: str) -> None:
        """A real mouse click on a node where it is drawn on the canvas."""
        x, y = self.node_point(node_id)
        self.page.mouse.click(x, y)

    def drawn_nodes(self) -> int:
        """How many nodes vis-network draws now (hidden ones are not drawn)."""
        return self.page.evaluate("window.debateMap.network.body.nodeIndices.length")

    def drawn(self, node_id: str) -> bool:
        return self.page.evaluate(
            "(id) => window.debateMap.network.body.nodeIndices.includes(id)", node_id
        )

    def panel_text(self) -> str:
        return self.page.inner_text("#panel")

    def show(self, view: str) -> None:
        """Open one of the page's views as a reader does, by its button in the header:
        ``overview`` (the first screen), ``map`` (the argument map) or ``reader`` (the
        bill's text)."""
        self.page.click(f'nav.views button[data-view="{view}"]')
        self.page.wait_for_function(
            "(v) => document.body.getAttribute('data-view') === v", arg=view
        )


class Browser:
    """One Chromium for a test session; each :meth:`open` gets a fresh page."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._profile = tempfile.mkdtemp(prefix="map-test-chromium-")
        self._playwright = sync_playwright().start()
        # Playwright refuses --user-data-dir in args: a persistent context is how to pass it.
        self.context = self._playwright.chromium.launch_persistent_context(
            self._profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport=VIEWPORT,
            offline=True,
        )

    def open(self, path: Path) -> OpenedPage:
        """Load ``path`` and wait until the map has drawn; nothing but the file may load."""
        page = self.context.new_page()
        opened = OpenedPage(page)
        file_url = path.resolve().as_uri()

        def route(route) -> None:  # noqa: ANN001 - playwright's Route
            url = route.request.url
            if url == file_url or url.startswith("data:"):
                route.continue_()
            else:
                opened.outside.append(url)
                route.abort()

        page.route("**/*", route)
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.goto(file_url, wait_until="domcontentloaded")
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=20_000)
        return opened

    def close(self) -> None:
        self.context.close()
        self._playwright.stop()
        shutil.rmtree(self._profile, ignore_errors=True)
