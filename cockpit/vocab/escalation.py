"""The black-list escalation ladder (SPEC "The meeting loop": 约谈 by the leader in charge, by the
organisation department, then 问责): which action a black-list streak brings. The steps are settings
([escalation] in settings.toml, editable on 设置); the bulletin and the scorecard word them from here.
"""

from __future__ import annotations

from collections.abc import Sequence

# (weeks on the black list in a row, first placing = 1; the action the bulletin writes). A unit's
# first bottom placing already brings a talk.
DEFAULT_LADDER: tuple[tuple[int, str], ...] = (
    (1, "由分管领导予以约谈"),
    (2, "由组织部门予以约谈"),
    (3, "按规定启动问责程序"),
)
STEPS = ("talk", "organisation", "accountability")  # the settings keys: <step>_weeks, <step>_text


def action(weeks, ladder: Sequence[tuple[int, str]] = DEFAULT_LADDER) -> str | None:
    """The action of the highest step the streak reaches (a step of 0 weeks is not used); None below
    the first step."""
    reached = [text for step_weeks, text in ladder if step_weeks and weeks is not None and weeks >= step_weeks]
    return reached[-1] if reached else None


def first_weeks(ladder: Sequence[tuple[int, str]] = DEFAULT_LADDER) -> int | None:
    """The streak that brings the first action, or None when no step is used."""
    used = [step_weeks for step_weeks, _ in ladder if step_weeks]
    return min(used) if used else None


def talks_text(count) -> str:
    """已约谈 N 次, or '' when the unit has had none."""
    return f"已约谈 {int(count)} 次" if count else ""
