"""The wall (?screen=big) inside a page: whether it is on, how a page ends its wall layout, and the
wall's titled charts and rolling boards."""

from __future__ import annotations

import contextvars
import html

import streamlit as st

from cockpit.web import screen


def big_screen() -> bool:
    return screen.is_big_screen(st.query_params)


class WallDone(Exception):
    """Raised by a page when its wall layout is drawn (see wall_done)."""


# Set by the frame (dashboard.py) while it runs a page on the wall.
IN_WALL_FRAME = contextvars.ContextVar("in_wall_frame", default=False)


def wall_done():
    """The end of a page's wall layout. Not st.stop() inside the frame: after a stop nothing more
    can be drawn, and the frame still has to write its notices once the page has run. A page run
    on its own (AppTest's switch_page runs the file without the frame) just stops."""
    if IN_WALL_FRAME.get():
        raise WallDone
    st.stop()


def wall_chart(container, title: str, svg: str) -> None:
    """A titled chart on the wall (see cockpit/draw/wallcharts.py)."""
    container.html(f"<div class='wall-title'>{html.escape(title)}</div>{svg}")


def wall_board(title: str, columns: list, rows: list[list[str]], visible: int, empty: str = "无") -> None:
    """A titled rolling board on the wall (see screen.board)."""
    st.html(f"<div class='wall-title'>{html.escape(title)}</div>" + screen.board(columns, rows, visible, empty))
