"""Shared by the browser tests: Debian's Chromium, a free port, a Streamlit server on localhost."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Block until Streamlit answers its health check (or fail with its output)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited early:\n{proc.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail("streamlit did not become healthy in time")


_RUNNING: dict[str, subprocess.Popen] = {}  # base URL -> the server streamlit_server started there


@contextmanager
def streamlit_server(script: Path | None, env: dict | None = None):
    """`streamlit run script` on a free localhost port, from the project root; yields the base URL.

    script None: the cockpit itself, started the way its README starts it (cockpit.server).
    """
    port = free_port()
    env = {**os.environ, **(env or {}),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    launcher = ["-m", "cockpit.web.server"] if script is None else ["-m", "streamlit", "run", str(script)]
    cmd = [
        sys.executable, *launcher,
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--server.enableStaticServing", "true",
        "--browser.gatherUsageStats", "false", "--browser.serverAddress", "127.0.0.1",
        "--server.fileWatcherType", "none",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    _RUNNING[base] = proc
    try:
        wait_healthy(base, proc)
        yield base
    finally:
        del _RUNNING[base]
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def server_pid(base: str) -> int:
    """The process of the Streamlit server at base, while streamlit_server runs it."""
    return _RUNNING[base].pid


def open_files(pid: int) -> set[Path]:
    """The files a process holds open (Linux)."""
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            held.add(Path(os.readlink(fd)))
        except OSError:  # closed meanwhile
            continue
    return held


def only_local(blocked: list):
    """A playwright route handler: requests to this machine pass, every other one is refused and noted."""
    def route(r):
        parts = urlsplit(r.request.url)
        if parts.scheme in ("data", "blob") or parts.hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()
    return route


HEADER_PX, ROW_PX = 35, 35  # st.dataframe's default header and row heights


def settle(page) -> None:
    page.wait_for_timeout(800)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(500)


@contextmanager
def cockpit_browser(store):
    """The cockpit on a store, and a way to open Chromium pages on it that may not leave localhost."""
    from playwright.sync_api import sync_playwright  # only the browser tests need playwright

    blocked: list[str] = []
    with streamlit_server(None, env={"COCKPIT_DB": str(store)}) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def new_page(width=1920, height=1080):
            page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
            page.route("**/*", only_local(blocked))
            return page

        try:
            yield base, new_page
        finally:
            browser.close()
    assert blocked == [], f"requests left localhost: {blocked}"


def click_row(page, table_index: int, row: int) -> None:
    """Tick a row's selection box: the grid is a canvas, so click where the box is drawn."""
    table = page.locator("[data-testid='stDataFrame']").nth(table_index)
    table.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + HEADER_PX + ROW_PX * row + ROW_PX / 2)
    settle(page)
