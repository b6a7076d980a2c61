"""cockpit.server: no request out of the intranet; its preload: the modules the pages import,
imported once the server is up, except a module that declares a Streamlit component (it registers
it only when a page imports it; the whole-cockpit browser test shows the map drawing after the
preload); and the sessions of closed tabs shut down when Streamlit drops them."""

import subprocess
import sys

from cockpit.settings import PROJECT_DIR
from cockpit.web import server


def test_the_pages_modules_are_read_from_the_page_files():
    modules = server.page_modules()
    # `from cockpit import charts, maps, ...` in pages/hotspots.py, `from cockpit import bulletin, ...` in brief.py
    assert {"cockpit.draw.maps", "cockpit.outputs.bulletin", "cockpit.draw.charts", "cockpit.web.widgets", "pandas", "streamlit"} <= set(modules)
    # `from cockpit.settings import ...` names a module; `from streamlit_folium import st_folium` a function
    assert "cockpit.settings" in modules
    assert not any(name.startswith("cockpit.settings.") for name in modules)


def test_a_module_that_declares_a_component_is_left_to_its_page():
    assert "from streamlit_folium import st_folium" in (PROJECT_DIR / "pages" / "hotspots.py").read_text(encoding="utf-8")
    assert not any(name.split(".")[0] == "streamlit_folium" for name in server.page_modules())


def test_the_preload_imports_them_and_not_the_component():
    code = ("import sys; from cockpit.web import server; server.preload_page_modules(); "
            "print(sorted(m for m in ('folium', 'docx', 'cockpit.draw.maps', 'streamlit_folium') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "['cockpit.draw.maps', 'docx', 'folium']"


def test_the_server_never_asks_the_internet_for_its_address(monkeypatch):
    from streamlit import net_util

    asked = []
    monkeypatch.setattr(net_util, "_make_blocking_http_get", lambda url, timeout: asked.append(url))
    monkeypatch.setattr(net_util, "get_external_ip", net_util.get_external_ip)  # put back after the test
    assert net_util.get_external_ip() is None and asked  # Streamlit's own asks (checkip.amazonaws.com)
    asked.clear()
    server.never_ask_the_internet_for_our_address()
    assert net_util.get_external_ip() is None and asked == []


class Tab:
    """A session as the storage sees it: its id, and whether it was shut down."""

    def __init__(self, name: str):
        self.id, self.shut_down = name, False

    def shutdown(self) -> None:
        self.shut_down = True


def stored(storage, *names: str) -> list[Tab]:
    from streamlit.runtime.session_manager import SessionInfo

    tabs = [Tab(name) for name in names]
    for tab in tabs:
        storage.save(SessionInfo(client=None, session=tab, script_run_count=1))
    return tabs


def test_a_closed_tab_forgotten_by_streamlit_is_shut_down(monkeypatch):
    from streamlit.runtime.memory_session_storage import MemorySessionStorage

    monkeypatch.setattr(MemorySessionStorage, "__init__", MemorySessionStorage.__init__)  # put back after
    unpatched = MemorySessionStorage(ttl_seconds=0)
    first, _ = stored(unpatched, "a", "b")
    assert unpatched.get("a") is None and not first.shut_down  # Streamlit's own: dropped, never shut down

    server.shut_down_the_sessions_streamlit_forgets()
    # Past its time to live (0 s here, 120 s in the server): dropped at the next save, and shut down.
    first, second = stored(MemorySessionStorage(ttl_seconds=0), "a", "b")
    assert (first.shut_down, second.shut_down) == (True, False)
    # Pushed out by newer ones when the storage is full.
    first, second = stored(MemorySessionStorage(maxsize=1, ttl_seconds=600), "a", "b")
    assert (first.shut_down, second.shut_down) == (True, False)
    # Taken back by its browser: deleted from the storage, and it keeps running.
    storage = MemorySessionStorage(ttl_seconds=600)
    [back] = stored(storage, "a")
    assert storage.get("a").session is back
    storage.delete("a")
    assert storage.get("a") is None and not back.shut_down
