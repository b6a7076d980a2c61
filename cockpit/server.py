"""Start Streamlit on dashboard.py: `python -m cockpit.server [streamlit flags]`.

Streamlit treats a `pages/` folder beside the entry script as an old-style multipage app until the
first st.navigation call in the process, so the first visitor of a bookmarked page such as
/progress would get the page without the cockpit's frame. Declaring the new style before the
server starts avoids that (streamlit/streamlit#10276 describes the flag).

The server also starts the watcher that, after each import, asks the new data the queries the pages
were asked today (cockpit/warmup.py), so the next visitor does not wait for them.
"""

import sys
import threading
import time

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from cockpit.settings import PROJECT_DIR


def _start_warm_up_once_running() -> None:
    """cockpit.ui imported only once Streamlit's runtime is up, so its caches are the runtime's
    (imported earlier, Streamlit makes them without it and says so in the log)."""
    from streamlit.runtime import Runtime

    while not Runtime.exists():
        time.sleep(0.5)
    from cockpit import ui  # the pages' own module: the watcher fills their cache

    ui.start_warm_up()


def main(flags: list[str]) -> None:
    PagesManager.uses_pages_directory = False
    threading.Thread(target=_start_warm_up_once_running, name="cockpit-warmup-start", daemon=True).start()
    cli.main(args=["run", str(PROJECT_DIR / "dashboard.py"), *flags], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
