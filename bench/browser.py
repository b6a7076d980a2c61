"""The cockpit in headless Chromium: time to a fully drawn page, bytes sent, memory with 10 sessions.

    python -m bench.browser --db FOLDER --as-of YYYY-MM-DD [--sessions 10]

One cockpit server (python -m cockpit.server) on localhost reads a scratch store folder whose database
file is a hard link to the live one. Before each cold measurement the link is published again under a
new name: the server sees a new database version, so its caches and DuckDB buffers start empty while
its Python modules stay loaded, as after an import. Each visit is a new browser context (empty browser
cache), so its bytes include Streamlit's own scripts; then the page again in a second tab of that
context (browser and server caches warm); then, after another new version, in a third tab (a returning
browser after an import: scripts cached, server caches cold). The websocket bytes are the page's data.
Each of these times, the warmed one and the floor's is the fastest of VISITS rounds, as the imports
and the server's cold runs are the fastest of theirs: a round is only ever slowed by the machine.
"Warmed": a server with the warm-up on (the cockpit's default, cockpit/web/warmup.py), each page visited
once so the server remembers its queries, then a new version, the warm-up's round waited for, and
the page opened in a new browser context: the first visit after an import as the cockpit ships.
"By navigation": each page reached by a click in the sidebar of one open tab (server caches cold for
it), as a user moves from page to page. The floor: bench/floor_app.py (a bare Streamlit page; a
small chart, by st.plotly_chart or as the cockpit draws charts, and a table) measured the same way
on its own server. "Drawn": the script has finished, no skeleton is left, every chart has plotly's
SVG and the map's frame has drawn its Leaflet layers. Memory: the server process tree's resident
set, sampled every 0.1 s while the sessions open and draw, and then held open. Nothing may leave
localhost. Prints JSON.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

from bench.common import FLOOR_PAGES, PAGES, ROOT, emit, tree_rss_bytes
from cockpit.store import versions

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
DRAWN_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stStatusWidget"]')) return false;
  for (const c of document.querySelectorAll('[data-testid="stPlotlyChart"], .cockpit-chart'))
    if (!c.querySelector('.main-svg')) return false;
  for (const f of document.querySelectorAll('iframe')) {
    let d; try { d = f.contentDocument; } catch (e) { continue; }
    if (!d || d.readyState !== 'complete') return false;
    if ((f.src || '').includes('folium') &&
        !d.querySelector('.leaflet-overlay-pane canvas, .leaflet-overlay-pane svg, .leaflet-marker-icon'))
      return false;
  }
  return true;
}"""
SESSION_URLS = ["", "hotspots", "rankings", "countdown", "points", "brief", "?district=城西区", "hotspots",
                "rankings", "brief"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ScratchStore:
    """A store folder whose versions are hard links to one live file: a new version costs nothing."""

    def __init__(self, live: Path):
        self.live, self.folder, self.count = live, Path(tempfile.mkdtemp(prefix="bench-browser-")), 0

    def publish_again(self) -> Path:
        self.count += 1
        target = self.folder / f"cockpit-bench-{self.count:03d}.duckdb"
        try:
            os.link(self.live, target)
        except OSError:  # another file system: a copy does too
            shutil.copyfile(self.live, target)
        versions.publish(self.folder, target)
        return target

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


SERVER_OPTIONS = ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats",
                  "false", "--browser.serverAddress", "127.0.0.1", "--server.fileWatcherType", "none"]


def start_server(store: Path, port: int, app: list[str] | None = None, settings: Path | None = None,
                 log: Path | None = None) -> subprocess.Popen:
    """The cockpit on the store (or, with app, another Streamlit script) on localhost:port; settings:
    another settings file than the benchmark's; log: where its standard error goes."""
    env = {**os.environ, "COCKPIT_DB": str(store),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    if settings is not None:
        env["COCKPIT_SETTINGS"] = str(settings)
    cmd = [sys.executable, "-m", *(app or ["cockpit.web.server"]), "--server.port", str(port), *SERVER_OPTIONS]
    stderr = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115 - the child holds it
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    if log is not None:
        stderr.close()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("the cockpit server exited at start")
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the cockpit server did not answer in time")


class Visit:
    """One page in a new browser context: time to drawn, websocket and HTTP bytes received."""

    def __init__(self, browser, url: str, blocked: list[str]):
        self.context = browser.new_context(viewport={"width": 1920, "height": 1080})
        self.page = self.context.new_page()
        self.ws_bytes, self.requests, self.blocked = 0, [], blocked
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        self.context.on("requestfinished", lambda r: self.requests.append(r))
        self.context.on("requestfailed", lambda r: self.blocked.append(r.url) if "127.0.0.1" not in r.url else None)
        self.url = url

    def _frame(self, payload) -> None:
        self.ws_bytes += len(payload if isinstance(payload, bytes) else payload.encode("utf-8"))

    def open(self, timeout_ms: int = 300_000) -> float:
        started = time.perf_counter()
        self.page.goto(self.url, wait_until="commit")
        self.page.wait_for_function(DRAWN_JS, polling=50, timeout=timeout_ms)
        return time.perf_counter() - started

    def http_bytes(self) -> int:
        total = 0
        for request in self.requests:
            try:
                total += max(request.sizes()["responseBodySize"], 0)  # -1: from the browser's cache
            except Exception:  # a request the browser no longer knows
                continue
        return total

    def again(self) -> None:
        """A second tab of the same browser: its cache holds Streamlit's scripts; counters restart."""
        self.page.close()
        self.page = self.context.new_page()
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        self.ws_bytes, self.requests[:] = 0, []

    def close(self) -> None:
        self.context.close()


def visit_once(browser, url: str, blocked: list) -> float:
    """The page opened in a new browser context until drawn, then closed: seconds to drawn."""
    visit = Visit(browser, url, blocked)
    try:
        return visit.open()
    finally:
        visit.close()


def page_url(base: str, path: str, as_of: str) -> str:
    if path.startswith("?"):
        return f"{base}/{path}&as_of={as_of}"
    return f"{base}/{path}?as_of={as_of}"


VISITS = 2  # each visit's time is the fastest of this many: a visit is only ever slowed by the machine


def measure_pages(browser, base: str, store: ScratchStore, as_of: str, blocked: list, wanted: list[str],
                  visits: int = VISITS) -> dict:
    """Each page's first visit, a second tab and a returning browser, each the fastest of `visits`
    rounds (each round a new browser context and new versions); the bytes are the first round's."""
    results = {}
    for name, _, path, _ in (p for p in PAGES if p[0] in wanted):
        results[name] = fastest([_visit_round(browser, base, store, as_of, blocked, path) for _ in range(visits)])
    return results


def fastest(rounds: list[dict]) -> dict:
    """The first round's figures, with each time (drawn_*) the fastest of all rounds."""
    return {**rounds[0], **{key: min(r[key] for r in rounds) for key in rounds[0] if key.startswith("drawn_")}}


def _visit_round(browser, base: str, store: ScratchStore, as_of: str, blocked: list, path: str) -> dict:
    store.publish_again()  # caches cold, as after an import
    out, visit = {}, Visit(browser, page_url(base, path, as_of), blocked)
    for label in ("cold", "warm", "returning"):
        if label == "returning":
            store.publish_again()  # another import: the browser has the scripts, the server's caches are cold
        out[f"drawn_{label}_s"] = visit.open()
        visit.page.wait_for_timeout(500)  # late frames (the map's layers) still count as bytes
        out[f"ws_bytes_{label}"] = visit.ws_bytes
        out[f"http_bytes_{label}"] = visit.http_bytes()
        visit.again()
    visit.close()
    return out


HEADED_JS = """(title) => {
  const heading = document.querySelector('[data-testid="stMain"] h2');
  return !!heading && heading.textContent.trim().startsWith(title);
}"""


def measure_navigation(browser, base: str, store: ScratchStore, as_of: str, blocked: list, wanted: list[str]) -> dict:
    """Each page reached by a click in the navigation of one open tab, as a user moves around: the
    browser has Streamlit's scripts running already, the server's caches are cold for the page (a new
    version published before each click). The first page with plotly charts also loads plotly.js."""
    visit = Visit(browser, page_url(base, "settings", as_of), blocked)
    visit.open()
    results = {}
    for name, _, path, title in (p for p in PAGES if p[0] in wanted):
        store.publish_again()
        link = visit.page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first
        started = time.perf_counter()
        link.click()
        visit.page.wait_for_function(HEADED_JS, arg=title, polling=50, timeout=300_000)
        visit.page.wait_for_function(DRAWN_JS, polling=50, timeout=300_000)
        results[name] = time.perf_counter() - started
    visit.close()
    return results


WARM_UP_WAIT_S = 600


def warm_up_settings(folder: Path) -> Path:
    """The benchmark's settings (or the project's) with the warm-up after an import on."""
    source = Path(os.environ.get("COCKPIT_SETTINGS") or ROOT / "settings.toml")
    text = re.sub(r"(?m)^warm_up\s*=.*$", "warm_up = true", source.read_text(encoding="utf-8"))
    path = folder / "settings-warm-up.toml"
    path.write_text(text, encoding="utf-8")
    return path


def wait_for_warm_up(log: Path, version: Path, server: subprocess.Popen) -> None:
    """Until the server's warm-up logs its round for this version (cockpit/web/warmup.py's line)."""
    deadline = time.monotonic() + WARM_UP_WAIT_S
    while time.monotonic() < deadline:
        if any("预热" in line and version.name in line
               for line in log.read_text(encoding="utf-8", errors="replace").splitlines()):
            return
        if server.poll() is not None:
            raise RuntimeError("the cockpit server exited while warming up")
        time.sleep(0.2)
    raise RuntimeError(f"no warm-up for {version.name} within {WARM_UP_WAIT_S} s")


def measure_warmed(browser, store: ScratchStore, as_of: str, blocked: list, wanted: list[str],
                   visits: int = VISITS) -> dict:
    """The first visit after an import as the cockpit ships: its warm-up on. Each page is visited once
    (the server remembers the queries asked today), then for each page a new version is published, the
    warm-up's round waited for and the page opened in a new browser context (empty browser cache)."""
    log = store.folder / "warm-up-server.log"
    port = free_port()
    server = start_server(store.folder, port, settings=warm_up_settings(store.folder), log=log)
    base, results = f"http://127.0.0.1:{port}", {}
    try:
        chosen = [p for p in PAGES if p[0] in wanted]
        for _, _, path, _ in chosen:
            visit_once(browser, page_url(base, path, as_of), blocked)
        for name, _, path, _ in chosen:
            seconds = []
            for _ in range(visits):
                wait_for_warm_up(log, store.publish_again(), server)
                seconds.append(visit_once(browser, page_url(base, path, as_of), blocked))
            results[name] = min(seconds)
    finally:
        stop_server(server)
    return results


def measure_floor(browser, blocked: list, visits: int = VISITS) -> dict:
    """bench/floor_app.py drawn, first visit and again, as the cockpit's pages are measured."""
    port = free_port()
    # Streamlit serves the static/ folder beside the main script: a copy of the floor app beside a
    # link to the cockpit's static/, so its basic page loads the same plotly.js bundle.
    folder = Path(tempfile.mkdtemp(prefix="bench-floor-"))
    shutil.copy(ROOT / "bench" / "floor_app.py", folder)
    (folder / "static").symlink_to(ROOT / "static", target_is_directory=True)
    server = start_server(Path(tempfile.gettempdir()), port, ["streamlit", "run", str(folder / "floor_app.py")])
    results = {}
    try:
        for name in FLOOR_PAGES:
            # the server's first run of the script (module loading) is not the browser's
            visit_once(browser, f"http://127.0.0.1:{port}/?page={name}", blocked)
            rounds = []
            for _ in range(visits):
                visit, out = Visit(browser, f"http://127.0.0.1:{port}/?page={name}", blocked), {}
                for label in ("cold", "warm"):
                    out[f"drawn_{label}_s"] = visit.open()
                    visit.again()
                visit.close()
                rounds.append(out)
            results[name] = fastest(rounds)
    finally:
        stop_server(server)
        shutil.rmtree(folder, ignore_errors=True)
    return results


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


def measure_sessions(browser, base: str, server: subprocess.Popen, store: ScratchStore, as_of: str,
                     count: int, blocked: list) -> dict:
    store.publish_again()
    idle = tree_rss_bytes(server.pid)
    peak, stop = [idle], threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss_bytes(server.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    visits = [Visit(browser, page_url(base, SESSION_URLS[i % len(SESSION_URLS)], as_of), blocked)
              for i in range(count)]
    for visit in visits:  # all requested at once, as a meeting room opening the cockpit together
        visit.page.goto(visit.url, wait_until="commit")
    for visit in visits:
        visit.page.wait_for_function(DRAWN_JS, polling=100, timeout=600_000)
    all_drawn = time.perf_counter() - started
    time.sleep(3)
    stop.set()
    sampler.join()
    held = tree_rss_bytes(server.pid)
    for visit in visits:
        visit.close()
    return {"sessions": count, "idle_rss": idle, "peak_rss": peak[0], "held_rss": held, "all_drawn_s": all_drawn}


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--pages", default=",".join(p[0] for p in PAGES))
    args = parser.parse_args()
    store = ScratchStore(versions.current_file(args.db))
    store.publish_again()
    port = free_port()
    server = start_server(store.folder, port)
    base, blocked = f"http://127.0.0.1:{port}", []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # the server's modules loaded, as on a server that has been up a while
            visit_once(browser, page_url(base, "settings", args.as_of.isoformat()), blocked)
            pages = measure_pages(browser, base, store, args.as_of.isoformat(), blocked, args.pages.split(","))
            clicked = measure_navigation(browser, base, store, args.as_of.isoformat(), blocked, args.pages.split(","))
            for name, seconds in clicked.items():
                pages[name]["drawn_nav_s"] = seconds
            warmed = measure_warmed(browser, store, args.as_of.isoformat(), blocked, args.pages.split(","))
            for name, seconds in warmed.items():
                pages[name]["drawn_warmed_s"] = seconds
            sessions = measure_sessions(browser, base, server, store, args.as_of.isoformat(), args.sessions, blocked)
            floor = measure_floor(browser, blocked)
            browser.close()
    finally:
        stop_server(server)
        store.remove()
    if blocked:
        raise SystemExit(f"requests left localhost or failed: {blocked[:5]}")
    emit({"pages": pages, "sessions": sessions, "floor": floor})


if __name__ == "__main__":
    main()
