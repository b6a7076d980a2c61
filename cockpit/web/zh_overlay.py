"""Streamlit's own English, in Chinese: the words its widgets, dialogs and toolbars print by themselves.

Streamlit 1.67 has no locale setting: the file uploader says "Upload" and "50MB per file", the date
picker names its months in English and offers "Date range / Select...", a mistyped address opens a
"Page not found" dialog, the data grid's toolbar offers "Download as CSV" and "Search". The cockpit's
users read Chinese only, so the frame adds, once per browser page, a stylesheet and a small script:

- the stylesheet hides what the cockpit replaces: the data grid's own CSV download and search (the
  pages' 导出 Excel / 导出 CSV buttons are the exports, with their 说明 sheet and their filters in the
  file name), the date picker's English quick-select, and the ⋮ menu (hidden by client.toolbarMode
  "minimal" as well);
- the script translates, as they appear, the texts and the labels (aria-label, title, placeholder)
  listed below; the text a page writes is never touched, because it is Chinese already.

The lists are exact strings and patterns of Streamlit 1.67's frontend; test_product_browser.py scans
every page for English left over, so an upgrade that changes a string is caught there.
"""

from __future__ import annotations

import json
import re

# Exact texts (trimmed) → Chinese.
EXACT = {
    # frame
    "Skip to main content": "跳到正文",
    "Sidebar": "侧边栏",
    "Collapse sidebar": "收起侧边栏",
    "Expand sidebar": "展开侧边栏",
    "App pages": "页面导航",
    "Main menu": "菜单",
    "Link to heading": "链接到此标题",
    "Running...": "正在计算…",
    "Stop": "停止",
    "Rerun": "重新运行",
    "Always rerun": "总是重新运行",
    "Please wait...": "请稍候…",
    "Connecting": "正在连接",
    "Connection error": "连接中断",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:":
        "与驾驶舱服务器的连接中断。请确认服务器仍在运行（在服务器上运行 python -m cockpit serve），页面会自动重新连接。",
    "streamlit run yourscript.py": "python -m cockpit serve",
    "Page not found": "没有这个页面",
    "Close": "关闭",
    "Dismiss": "关闭",
    "Open": "展开",
    # file uploader
    "Upload": "选择文件",
    "Browse files": "选择文件",
    "file upload": "上传文件",
    "Drag and drop files here": "把文件拖到这里",
    "Drag and drop file here": "把文件拖到这里",
    "Remove file": "移除文件",
    # selects and inputs
    "Choose an option": "请选择",
    "Choose options": "请选择",
    "No results": "没有匹配的选项",
    "No options to select": "没有可选的选项",
    "No options to select.": "没有可选的选项",
    "Clear all": "全部清除",
    "Clear": "清除",
    "Press Enter to apply": "按回车键确认",
    "Press Enter to submit form": "按回车键提交",
    "Show password": "显示输入的字符",
    "Hide password": "隐藏输入的字符",
    # date picker
    "Choose date range": "选择日期范围",
    "Choose date": "选择日期",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": "用方向键选择日期，回车确定，Esc 关闭。",
    "Previous month": "上个月",
    "Next month": "下个月",
    "month": "月",
    "year": "年",
    "day": "日",
    "yyyy": "年",
    "mm": "月",
    "dd": "日",
    "Date range": "日期范围",
    "Select...": "请选择…",
    "Quick select a date range": "快速选择日期范围",
    # element toolbars (charts, maps, the settings page's editable tables)
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Show/hide columns": "显示/隐藏列",
    "Add row": "添加一行",
    "Delete row": "删除行",
    "Delete rows": "删除行",
    # data grid column menu
    "Sort ascending": "升序排列",
    "Sort descending": "降序排列",
    "Pin column": "固定此列",
    "Unpin column": "取消固定",
    "Hide column": "隐藏此列",
    "Autosize": "自动列宽",
    "Format": "格式",
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
EXACT.update({month: f"{number}月" for number, month in enumerate(MONTHS, start=1)})

# Patterns (whole trimmed text) → Chinese; $1, $2 are the groups.
PATTERNS = [
    (r"^(\d+(?:\.\d+)?)\s*([KMG]B) per file$", "每个文件不超过 $1 $2"),
    (r"^Help for (.+)$", "$1：说明"),
    (r"^(.+) start date$", "$1：开始日期"),
    (r"^(.+) end date$", "$1：结束日期"),
    (r"^(year|month|day), (.+)$", "$2"),
    (r"^(?:Choose date range|Choose date), (" + "|".join(MONTHS) + r") (\d{4})$", "$2年 $1"),
    (r"^(" + "|".join(MONTHS) + r") (\d{4})$", "$2年 $1"),
    (r"^Add row: (.+)$", "添加一行：$1"),
    (r"^Show/hide columns: (.+)$", "显示/隐藏列：$1"),
    (r"^Fullscreen: (.+)$", "全屏：$1"),
    (r"^• (.+)$", "· $1"),
    (r"^You have requested page /(.*), but no corresponding file was found in the app's pages/ directory\. "
     r"Running the app's main page\.$", "没有网址 /$1 对应的页面，已打开首页（整改进度）。"),
    (r"^The page that you have requested does not seem to exist\. Running the app's main page\.$",
     "要打开的页面不存在，已打开首页（整改进度）。"),
    (r"^Press (?:⌘|Ctrl)\+Enter to (.+)$", "按 Ctrl+回车 $1"),
]
# The English strings no page may show once the overlay runs (the browser test's list).
MUST_NOT_SHOW = ["Upload", "200MB per file", "MB per file", "Select...", "Date range", "Print", "Record screen",
                 "Made with Streamlit", "Download as CSV", "Search", "Page not found", "Browse files",
                 "Drag and drop", "Choose an option", "Skip to main content", "Press Enter"]

CSS = """
/* the grid's own CSV download and search: the page's 导出 buttons are the exports */
[data-testid="stBaseButton-elementToolbar"][aria-label^="Download as CSV"],
[data-testid="stBaseButton-elementToolbar"][aria-label^="Search"],
[data-testid="stElementToolbar"] [aria-label^="Download as CSV"],
[data-testid="stElementToolbar"] [aria-label^="Search"] { display: none !important; }
/* English quick ranges (Past week, Past month...) under the date picker */
[data-testid="stDateInputQuickSelect"] { display: none !important; }
/* the ⋮ menu (Print, Record screen, Made with Streamlit) */
[data-testid="stMainMenu"], [data-testid="stMainMenuButton"] { display: none !important; }
"""

_SCRIPT = """
(() => {
  if (window.__cockpitZh) return;
  window.__cockpitZh = true;
  const EXACT = %(exact)s;
  const PATTERNS = %(patterns)s.map(([p, r]) => [new RegExp(p), r]);
  const ATTRS = ["aria-label", "title", "placeholder"];
  const WEEKDAYS = ["日", "一", "二", "三", "四", "五", "六"];
  const latin = /[A-Za-z]/;
  const translate = (text) => {
    const trimmed = text.trim();
    if (!trimmed || !latin.test(trimmed)) return null;
    let out = EXACT[trimmed];
    if (out === undefined) {
      for (const [pattern, replacement] of PATTERNS) {
        if (pattern.test(trimmed)) {
          out = trimmed.replace(pattern, replacement);
          out = out.replace(/(\\d+年) (\\S+)$/, (m, y, month) => y + (EXACT[month] || month));
          break;
        }
      }
    }
    if (out === undefined) return null;
    return text.replace(trimmed, out);
  };
  const fixNode = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentElement;
      if (!parent || parent.closest("script,style,code,pre,.js-plotly-plot,.leaflet-container")) return;
      const out = translate(node.nodeValue);
      if (out !== null && out !== node.nodeValue) node.nodeValue = out;
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    for (const name of ATTRS) {
      const value = node.getAttribute(name);
      if (value && !(name === "aria-label" && /^(Download as CSV|Search)/.test(value))) {
        const out = translate(value);
        if (out !== null && out !== value) node.setAttribute(name, out);
      }
    }
    // Weekday initials in the calendar's header row: S M T W T F S, by position.
    if (node.tagName === "TR" && node.closest("[data-testid=stDateInputCalendar]")) {
      const cells = [...node.children];
      if (cells.length === 7 && cells.every((c) => /^[SMTWF]$/.test(c.textContent.trim()))) {
        cells.forEach((c, i) => { c.textContent = WEEKDAYS[i]; });
      }
    }
  };
  const fixTree = (root) => {
    fixNode(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) fixNode(walker.currentNode);
  };
  let pending = new Set();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const roots = pending;
    pending = new Set();
    for (const root of roots) if (root.isConnected) fixTree(root);
  };
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "childList") m.addedNodes.forEach((n) => pending.add(n));
      else pending.add(m.target);
    }
    if (!scheduled) { scheduled = true; requestAnimationFrame(flush); setTimeout(flush, 50); }
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true,
                                        attributes: true, attributeFilter: ATTRS});
  fixTree(document.body);
})();
"""


def _js_patterns() -> list[list[str]]:
    """The patterns for JavaScript's RegExp (Python's syntax used here is the common subset)."""
    for pattern, _ in PATTERNS:
        re.compile(pattern)
    return [[pattern, replacement] for pattern, replacement in PATTERNS]


def translate(text: str) -> str | None:
    """What the script makes of one text, in Python: for tests and for the list's own sanity."""
    trimmed = text.strip()
    if trimmed in EXACT:
        return EXACT[trimmed]
    for pattern, replacement in PATTERNS:
        found = re.match(pattern, trimmed)
        if found:
            out = re.sub(r"\$(\d)", lambda m: found.group(int(m.group(1))), replacement)
            return re.sub(r"(\d+年) (\S+)$", lambda m: m.group(1) + EXACT.get(m.group(2), m.group(2)), out)
    return None


def overlay_html() -> str:
    """The stylesheet and the script, for st.html(..., unsafe_allow_javascript=True) in the frame."""
    script = _SCRIPT % {"exact": json.dumps(EXACT, ensure_ascii=False),
                        "patterns": json.dumps(_js_patterns(), ensure_ascii=False)}
    return f"<style>{CSS}</style><script>{script}</script>"
