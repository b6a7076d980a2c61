"""Start Streamlit on dashboard.py: `python -m cockpit.server [streamlit flags]`.

Streamlit treats a `pages/` folder beside the entry script as an old-style multipage app until the
first st.navigation call in the process, so the first visitor of a bookmarked page such as
/progress would get the page without the cockpit's frame. Declaring the new style before the
server starts avoids that (streamlit/streamlit#10276 describes the flag).

The server also starts the watcher that, after each import, asks the new data the queries the pages
were asked today (cockpit/warmup.py), so the next visitor does not wait for them.
"""

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from cockpit.settings import PROJECT_DIR


def main(flags: list[str]) -> None:
    PagesManager.uses_pages_directory = False
    from cockpit import ui  # the pages' own module: the watcher fills their cache

    ui.start_warm_up()
    cli.main(args=["run", str(PROJECT_DIR / "dashboard.py"), *flags], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
