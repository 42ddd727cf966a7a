"""A real headless Chromium for the tests, driven by Playwright for Python, and axe-core in it.

Playwright's own browser download cannot work on a closed network, so the tests use
the system's Chromium (Debian's ``chromium`` package, which ``scripts/setup.sh``
installs where it can). axe-core comes vendored in the ``axe-playwright-python``
package, so nothing is fetched while the tests run. Where no browser can be found the
browser tests skip, saying why.
"""

from __future__ import annotations

import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # without these it waits on the closed network
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
"""axe-core's tags for every WCAG 2.2 level A and AA rule (what the accessibility regulations ask)."""


def chromium_path() -> str | None:
    """The system Chromium (or Chrome), if there is one."""
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (starting one takes seconds)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed: run `make setup` (it is a test dependency)")
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "no Chromium on this machine: install it with `apt-get install chromium` "
            "(scripts/setup.sh does where it can) to run the browser tests"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def axe_violations(page: Any, tags: list[str] = WCAG_22_AA) -> list[dict[str, Any]]:
    """Run axe-core in the page and return its violations of the rules with these tags."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    return list(results.response["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    """Violations as lines a failing test can print: rule, impact, help and the first offending element."""
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes'][0]['html'][:200]}" for v in violations)


def png_size(path: Path) -> tuple[int, int]:
    """A screenshot's width and height in pixels, from its PNG header."""
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return int(width), int(height)
