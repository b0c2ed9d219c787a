"""What each SCO of a SCORM package holds: its modules, their quizzes, and maybe the sources page.

A package is one SCO for the whole course (the default, ``scorm: {sco: course}``) or one SCO per
module (``scorm: {sco: module}``). Everything a SCO keeps for itself — its pages, the layout of its
``suspend_data``, the room its text answers get, its score and completion — is computed over its
unit, so a SCO of a 200-module course budgets only its own module's reflections.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Course, Module, Quiz


@dataclass(frozen=True)
class Unit:
    """The content of one SCO."""

    id: str  # stable NCName, used in manifest identifiers: "course" or the module's id
    title: str
    modules: tuple[Module, ...]
    has_sources: bool  # carries the course's Sources page (after its modules)

    @property
    def quizzes(self) -> tuple[Quiz, ...]:
        return tuple(m.quiz for m in self.modules if m.quiz is not None)


def whole_course(course: Course) -> Unit:
    """The single SCO: every module, then the Sources page when the course cites anything."""
    return Unit("course", course.title, course.modules, bool(course.sources))
