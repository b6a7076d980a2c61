"""Start Streamlit on dashboard.py: `python -m cockpit.server [streamlit flags]`.

Streamlit treats a `pages/` folder beside the entry script as an old-style multipage app until the
first st.navigation call in the process, so the first visitor of a bookmarked page such as
/progress would get the page without the cockpit's frame. Declaring the new style before the
server starts avoids that (streamlit/streamlit#10276 describes the flag).

It serves the map's tiles from a local tile package at cockpit.tiles.LOCAL_TILE_URL (settings
map.tiles = "local"), so an office's basemap needs no tile server and no network.

It never asks the internet for the machine's address (Streamlit's external-IP probe), and it shuts
down the sessions of closed browser tabs when Streamlit forgets them (Streamlit keeps what they
registered for good otherwise).

It serves two endpoints of its own for lasting logins (cockpit/web/access.py): the page trades a one-time
ticket for the HttpOnly login cookie at /_cockpit/login, and clears it at /_cockpit/logout; a page
script cannot set an HttpOnly cookie, and Streamlit's websocket cannot set any.

It answers every address (cockpit/web/addresses.py): /progress, the default page's own name, and a
page's Chinese title lead to the page, a mistyped name to the first page with a Chinese notice,
never to Streamlit's English "Page not found".

The server also starts the watcher that, after each import, asks the new data the queries the pages
were asked today (cockpit/web/warmup.py), so the next visitor does not wait for them; and it imports,
once it is up, the modules the pages import, so that the first visitor of a page does not wait for
them either (folium alone took a quarter of a second of the first visit to 热点地图,
docs/PERFORMANCE.md).
"""

import ast
import importlib.util
import logging
import sys
import threading
import time
from pathlib import Path

from streamlit import config, net_util
from streamlit.runtime.caching.ttl_cleanup_cache import TTLCleanupCache
from streamlit.runtime.memory_session_storage import MemorySessionStorage
from streamlit.runtime.pages_manager import PagesManager
from streamlit.url_util import make_url_path
from streamlit.web import cli
from streamlit.web.server.starlette import starlette_app

from cockpit.settings import PROJECT_DIR

log = logging.getLogger("cockpit.server")


# Imported by its page only: a module that declares a Streamlit component registers it only when
# imported during a page's run, and a module is imported once (the map would never draw).
REGISTERED_IN_A_PAGE = {"streamlit_folium"}


def page_modules() -> list[str]:
    """The modules the entry script and the pages import at their top (`from cockpit import maps`
    names cockpit.maps too), read from the files so the list follows the pages; without
    REGISTERED_IN_A_PAGE."""
    names = set()
    for path in [PROJECT_DIR / "dashboard.py", *sorted((PROJECT_DIR / "pages").glob("*.py"))]:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names
                             if _is_submodule(node.module, alias.name))
    return sorted(name for name in names if name.split(".")[0] not in REGISTERED_IN_A_PAGE)


def _is_submodule(package: str, name: str) -> bool:
    """Whether package.name is a module file, found without importing package.name (nor package,
    when it is a top-level one)."""
    if package.split(".")[0] in REGISTERED_IN_A_PAGE:
        return False
    spec = importlib.util.find_spec(package)
    folders = (spec.submodule_search_locations or []) if spec else []
    return any(Path(folder, f"{name}.py").is_file() or Path(folder, name, "__init__.py").is_file()
               for folder in folders)


def preload_page_modules() -> None:
    """Import what the pages import. A module that fails here is left to its page, which says why."""
    for name in page_modules():
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the page shows the error to its visitor
            log.warning("预先载入模块失败：%s", name, exc_info=True)


def _start_warm_up_once_running() -> None:
    """cockpit.web.cached imported only once Streamlit's runtime is up, so its caches are the runtime's
    (imported earlier, Streamlit makes them without it and says so in the log)."""
    from streamlit.runtime import Runtime

    while not Runtime.exists():
        time.sleep(0.5)
    from cockpit.web import cached  # the pages' own module: the watcher fills their cache

    cached.start_warm_up()
    preload_page_modules()


def never_ask_the_internet_for_our_address() -> None:
    """Streamlit asks an AWS service for the machine's public address when it starts headless (to
    print it), and again for each websocket whose page came from another origin than the server's
    own (behind a proxy that changes the host name): an HTTP request out of the intranet, and up to
    2 s of waiting each time it fails, which there it always does. The cockpit has no public address
    to find."""
    net_util.get_external_ip = lambda: None


def shut_down_the_sessions_streamlit_forgets() -> None:
    """A closed tab's session is kept server.disconnectedSessionTTL (2 minutes) in case the browser
    comes back, then dropped from Streamlit's session storage without being shut down (Streamlit
    1.67). Shutting down is what releases what the session's last run registered: its downloads,
    which hold the page's functions and so everything the page computed, and its uploaded files.
    Without it each closed tab kept these for the server's life: 1.66 GB after 30 visits at a
    million problems (docs/PERFORMANCE.md). A session taken back by its browser is deleted from the
    storage, not dropped, and keeps running."""
    original_init = MemorySessionStorage.__init__

    def init(self, *args, **kwargs) -> None:
        original_init(self, *args, **kwargs)
        made = self._cache  # Streamlit's own, with its size, time to live and clock
        self._cache = TTLCleanupCache(maxsize=made.maxsize, ttl=made.ttl, timer=made.timer,
                                      on_release=lambda info: info.session.shutdown())

    MemorySessionStorage.__init__ = init


async def set_login_cookie(request):
    """The login cookie for a ticket the page got at its login; 403 for a used or unknown ticket."""
    from starlette.responses import Response

    from cockpit.web import access

    found = access.redeem_ticket((await request.body()).decode("ascii", "replace").strip())
    if found is None:
        return Response(status_code=403)
    token, lasts_seconds = found
    response = Response(status_code=204)
    response.set_cookie(access.COOKIE_NAME, token, max_age=lasts_seconds, path=_cookie_path(), httponly=True,
                        samesite="strict", secure=bool(config.get_option("server.sslCertFile")))
    return response


async def clear_login_cookie(request):
    from starlette.responses import Response

    from cockpit.web import access

    response = Response(status_code=204)
    response.delete_cookie(access.COOKIE_NAME, path=_cookie_path(), httponly=True, samesite="strict",
                           secure=bool(config.get_option("server.sslCertFile")))
    return response


def _cookie_path() -> str:
    return make_url_path(config.get_option("server.baseUrlPath") or "", "/") or "/"


def serve_the_login_cookie_endpoints() -> None:
    """Our routes ahead of Streamlit's own, whose last one answers every other path with the app."""
    from starlette.routing import Route

    streamlit_routes = starlette_app.create_streamlit_routes

    def routes(runtime):
        base = config.get_option("server.baseUrlPath") or ""
        return [Route(make_url_path(base, "/_cockpit/login"), set_login_cookie, methods=["POST"]),
                Route(make_url_path(base, "/_cockpit/logout"), clear_login_cookie, methods=["POST"]),
                *streamlit_routes(runtime)]

    starlette_app.create_streamlit_routes = routes


def serve_local_tiles() -> None:
    """Add the route of the local tiles before Streamlit's own (its last route answers every other
    path with the app's page)."""
    from starlette.responses import Response
    from starlette.routing import Route

    from cockpit.web import tiles

    def tile(request) -> Response:
        p = request.path_params
        status, body, content_type = tiles.serve_tile(p["z"], p["x"], p["y"])
        headers = {"Cache-Control": "max-age=3600"} if status == 200 else {"Cache-Control": "no-store"}
        return Response(body, status_code=status, media_type=content_type, headers=headers)

    original = starlette_app.create_streamlit_routes

    def routes(runtime):
        base = (config.get_option("server.baseUrlPath") or "").strip("/")
        path = tiles.LOCAL_TILE_URL.format(z="{z:int}", x="{x:int}", y="{y:int}")
        return [Route(f"/{base}{path}" if base else path, tile, methods=["GET"]), *original(runtime)]

    starlette_app.create_streamlit_routes = routes


class EveryAddressAnswers:
    """ASGI middleware: a GET of a page's name, title or a mistyped name is redirected as
    cockpit.addresses decides, instead of reaching Streamlit's English "Page not found"."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope.get("method") == "GET":
            from cockpit.web import addresses

            target = addresses.redirect_for(scope.get("path", ""), scope.get("query_string", b"").decode("latin-1"),
                                            base=config.get_option("server.baseUrlPath") or "")
            if target is not None:
                from starlette.responses import RedirectResponse

                await RedirectResponse(target, status_code=302)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def answer_every_address() -> None:
    """Our middleware after Streamlit's own (its path security runs first)."""
    from starlette.middleware import Middleware

    streamlit_middleware = starlette_app.create_streamlit_middleware

    def middleware():
        return [*streamlit_middleware(), Middleware(EveryAddressAnswers)]

    starlette_app.create_streamlit_middleware = middleware


# Streamlit's console lines, as the cockpit's users read them.
CONSOLE_WORDS = {"  Stopping...": "  正在停止驾驶舱……"}


def speak_chinese_on_the_console() -> None:
    """The start and stop lines in Chinese: where to open the cockpit, and that it is stopping;
    Streamlit's "Uvicorn server started" info line is left out (the addresses follow anyway)."""
    from streamlit import cli_util
    from streamlit.web import bootstrap
    from streamlit.web.server import server_util

    print_to_cli = cli_util.print_to_cli

    def translated(message: str, *args, **kwargs) -> None:
        print_to_cli(CONSOLE_WORDS.get(message, message), *args, **kwargs)

    def print_url(is_running_hello: bool) -> None:
        if config.get_option("logger.hideWelcomeMessage"):
            return
        address = config.get_option("server.address")
        if config.is_manually_set("browser.serverAddress"):
            urls = [server_util.get_url(config.get_option("browser.serverAddress"))]
        elif address and address not in {"0.0.0.0", "::"}:  # noqa: S104 - names the wildcards
            urls = [server_util.get_url(address)]
        else:
            internal = net_util.get_internal_ip()
            urls = [server_util.get_url("localhost"), *([server_util.get_url(internal)] if internal else [])]
        print_to_cli("")
        print_to_cli("  驾驶舱已启动，请在浏览器打开：", fg="blue", bold=True)
        for url in urls:
            print_to_cli(f"  {url}", bold=True)
        print_to_cli("  停止：在这个窗口按 Ctrl+C。")
        print_to_cli("")

    cli_util.print_to_cli = translated
    bootstrap._print_url = print_url
    # A filter, not a level: Streamlit sets its loggers' levels again when it reads its config.
    logging.getLogger("streamlit.web.server.starlette.starlette_server").addFilter(
        lambda record: not str(record.msg).startswith("Uvicorn server started"))


def main(flags: list[str]) -> None:
    PagesManager.uses_pages_directory = False
    serve_local_tiles()
    never_ask_the_internet_for_our_address()
    shut_down_the_sessions_streamlit_forgets()
    serve_the_login_cookie_endpoints()
    answer_every_address()
    speak_chinese_on_the_console()
    threading.Thread(target=_start_warm_up_once_running, name="cockpit-warmup-start", daemon=True).start()
    cli.main(args=["run", str(PROJECT_DIR / "dashboard.py"), *flags], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
