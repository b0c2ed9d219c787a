"""What each SCO of a SCORM package holds: its modules, their quizzes, and maybe the sources page.

A package is one SCO for the whole course (the default, ``scorm: {sco: course}``) or one SCO per
module (``scorm: {sco: module}``). Everything a SCO keeps for itself — its pages, the layout of its
``suspend_data``, the room its text answers get, its score and completion — is computed over its
unit, so a SCO of a 200-module course budgets only its own module's reflections.

With one SCO per module the Sources page rides in the last module's SCO, as a second page that is
not required: every module page already lists the sources it cites (a page never links to another
page file), the full list stays one click away, and the LMS counts exactly one SCO per module (Moodle's
"learning objects" grade is the number of modules done).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Course, Module, Quiz

LAUNCH = "index.html"  # the single SCO's page


@dataclass(frozen=True)
class Unit:
    """The content of one SCO."""

    id: str  # stable NCName, used in manifest identifiers: "course" or the module's id
    title: str
    modules: tuple[Module, ...]
    has_sources: bool  # carries the course's Sources page (after its modules)
    launch: str = LAUNCH  # its page in the package

    @property
    def quizzes(self) -> tuple[Quiz, ...]:
        return tuple(m.quiz for m in self.modules if m.quiz is not None)


def whole_course(course: Course) -> Unit:
    """The single SCO: every module, then the Sources page when the course cites anything."""
    return Unit("course", course.title, course.modules, bool(course.sources))


def units(course: Course) -> list[Unit]:
    """The SCOs of the course's SCORM packages, in order, as ``course.yaml``'s ``scorm.sco`` asks."""
    if course.scorm.sco != "module" or len(course.modules) < 2:  # one module: the one SCO is the same
        return [whole_course(course)]
    last = len(course.modules) - 1
    return [Unit(m.id, m.title, (m,), bool(course.sources) and i == last, m.page_filename)
            for i, m in enumerate(course.modules)]
