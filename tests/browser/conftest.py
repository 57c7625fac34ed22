"""Fixtures for the browser tests: headless Chromium through Selenium, and a local HTTP server.

The tests need the Debian packages ``chromium`` and ``chromium-driver`` and the
Python package ``selenium``. Without them they are skipped, unless
``P2P_REQUIRE_BROWSER=1`` (set by CI): then a missing piece is an error.
``P2P_CHROMIUM`` and ``P2P_CHROMEDRIVER`` may point at other binaries.
"""

from __future__ import annotations

import sys
from pathlib import Path

# tests/exercise_answers.py (the plain answers) for the exercise pages' tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

REQUIRED = os.environ.get("P2P_REQUIRE_BROWSER") == "1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs JavaScript in headless Chromium (tests/browser)")
    config.addinivalue_line("markers", "site: tests the built book in $P2P_SITE_DIR (make site-test)")


def unavailable(reason: str) -> None:
    """Skip the test for ``reason``, or fail it when ``P2P_REQUIRE_BROWSER=1``."""
    if REQUIRED:
        pytest.fail(f"{reason} (P2P_REQUIRE_BROWSER=1 makes this an error, not a skip)",
                    pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def browser_unavailable():
    """``unavailable(reason)`` for tests that need more than the browser (e.g. axe-core)."""
    return unavailable


def _binaries() -> tuple[str | None, str | None]:
    chromium = os.environ.get("P2P_CHROMIUM") or next(
        filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    driver = os.environ.get("P2P_CHROMEDRIVER") or shutil.which("chromedriver")
    return chromium, driver


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (system binary and chromedriver) that records the console log."""
    missing = []
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("the Python package selenium (pip install selenium)")
    chromium, driver_path = _binaries()
    if not chromium:
        missing.append("Chromium (apt-get install chromium)")
    if not driver_path:
        missing.append("chromedriver (apt-get install chromium-driver)")
    if missing:
        unavailable("Browser tests need " + ", ".join(missing) + ".")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--hide-scrollbars"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    except Exception as err:  # noqa: BLE001 - any start-up failure means "no browser here"
        unavailable(f"Chromium could not start through Selenium: {err}")
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def http_server():
    """``serve(directory)`` -> base URL of that directory on 127.0.0.1 at a free port."""
    servers = []

    def serve(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()
