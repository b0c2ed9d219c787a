"""What the backup contains, decided once: sections, activities and their ids.

The layout is the cartridge's (``cc.outline.make_plan``), so both Moodle files give the teacher
the same course: section 0 holds the overview page, one section per course module (its page,
its reflections, its quiz, in order), and a last section with the sources page and one URL
activity per source that has a link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from ...model import Course
from ..cc.outline import LinkRes, PageRes, Plan, QuizRes, TopicRes, make_plan
from .ids import Ids
from .mxml import name_field

Resource = Union[PageRes, TopicRes, LinkRes, QuizRes]
MODNAME = {PageRes: "page", TopicRes: "forum", LinkRes: "url", QuizRes: "quiz"}


@dataclass
class Activity:
    cmid: int  # course_modules.id = <moduleid> in moodle_backup.xml
    modname: str
    instance: int  # id of the row in the module's own table (page.id, quiz.id, ...)
    context: int
    section: "Section"
    title: str
    resource: Resource

    @property
    def key(self) -> str:
        return f"{self.modname}_{self.cmid}"

    @property
    def directory(self) -> str:
        return f"activities/{self.key}"


@dataclass
class Section:
    id: int
    number: int
    name: str
    activities: list[Activity] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"section_{self.id}"

    @property
    def directory(self) -> str:
        return f"sections/{self.key}"


@dataclass
class MbzPlan:
    course: Course
    outline: Plan
    ids: Ids
    sections: list[Section]

    @property
    def activities(self) -> list[Activity]:
        return [a for s in self.sections for a in s.activities]

    def of(self, kind: type) -> list[Activity]:
        return [a for a in self.activities if isinstance(a.resource, kind)]

    def page_for(self, filename: str):
        """The Page activity showing ``filename`` (links between pages point at it), or None."""
        for activity in self.of(PageRes):
            if activity.resource.filename == filename:
                return activity
        return None


def make_mbz_plan(course: Course) -> MbzPlan:
    outline = make_plan(course)
    ids = Ids()
    sections = []
    for number, module in enumerate(outline.modules):
        section = Section(ids.next("section"), number, name_field(module.title))
        for item in module.items:
            modname = MODNAME[type(item.resource)]
            section.activities.append(Activity(
                cmid=ids.next("course_module"), modname=modname, instance=ids.next(modname),
                context=ids.next("context"), section=section, title=name_field(item.title), resource=item.resource,
            ))
        sections.append(section)
    return MbzPlan(course, outline, ids, sections)
