"""Every address answers in Chinese: which page a typed or bookmarked address leads to.

Streamlit answers the default page only at "/": its own name (/progress, the name the wall's
rotation and people's bookmarks use) and any mistyped address open an English "Page not found"
dialog. The server (cockpit/web/server.py) asks `redirect_for` about each single-name address before
Streamlit sees it:

- the default page's name leads to "/" (the query kept, so ?screen=big&as_of=… still apply);
- a page's Chinese title (/单位排名) or a name in other letter case (/Rankings) leads to that page;
- any other name leads to "/" with ?missing=<name>, and the frame says in Chinese that there is
  no such page.

Addresses with a dot or a slash inside (Streamlit's scripts, styles, media, the map's files) and
names starting with "_" (Streamlit's and the cockpit's own endpoints) are never touched.

The pages are read from dashboard.py's PAGES (url_path, title, default), so a page added there is
known here without a second list.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

from cockpit.settings import PROJECT_DIR

MISSING_PARAM = "missing"


@dataclass(frozen=True)
class PageAddress:
    url_path: str
    title: str
    is_default: bool


def read_pages(entry: Path) -> list[PageAddress]:
    """The st.Page(...) calls of the entry script's PAGES dict, without running it."""
    pages = []
    for node in ast.walk(ast.parse(entry.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page":
            keywords = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            script = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else ""
            url_path = keywords.get("url_path") or Path(str(script)).stem
            pages.append(PageAddress(str(url_path), str(keywords.get("title") or url_path),
                                     bool(keywords.get("default", False))))
    if pages and not any(p.is_default for p in pages):  # st.navigation's default is the first page
        pages[0] = PageAddress(pages[0].url_path, pages[0].title, True)
    return pages


@lru_cache(maxsize=1)
def cockpit_pages() -> tuple[PageAddress, ...]:
    return tuple(read_pages(PROJECT_DIR / "dashboard.py"))


def redirect_for(path: str, query: str, pages: tuple[PageAddress, ...] | list[PageAddress] | None = None,
                 base: str = "") -> str | None:
    """Where to send a GET of path (with its raw query string), or None to let Streamlit answer.

    base is server.baseUrlPath ("" or "cockpit"); path is the request's full path."""
    pages = cockpit_pages() if pages is None else pages
    prefix = "/" + base.strip("/") if base.strip("/") else ""
    if prefix and not (path == prefix or path.startswith(prefix + "/")):
        return None
    name = unquote(path[len(prefix):].strip("/"))
    if not name or "/" in name or "." in name or name.startswith("_"):
        return None

    def to(url_path: str, extra: dict | None = None) -> str:
        parts = [p for p in [query, urlencode(extra or {}, quote_via=quote)] if p]
        target = f"{prefix}/{quote(url_path)}" if url_path else (prefix or "") + "/"
        return target + ("?" + "&".join(parts) if parts else "")

    for page in pages:
        if name == page.url_path:
            return to("") if page.is_default else None
    for page in pages:
        if name.lower() == page.url_path.lower() or name == page.title:
            return to("" if page.is_default else page.url_path)
    return to("", {MISSING_PARAM: name[:60]})


def missing_notice(name: str, default_title: str) -> str:
    """What the frame says after an address that names no page."""
    return f"没有“{name}”这个页面，已打开“{default_title}”。其他页面见左侧的页面列表。"
