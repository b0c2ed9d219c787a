"""The cartridge plan: every module, item and resource with its identifier, decided once.

The organization (standard description) and ``module_meta.xml`` (Canvas description) are both
written from this one plan, which is what keeps the two descriptions identical.

Layout: an "Overview" module first (Moodle makes the first organization item section 0, so the
course's modules land in sections 1..n), one module per course module holding its page, its
reflection(s) and its quiz in order, then a Sources module with the sources page and a web link
per source that has a URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

from ... import i18n
from ...model import Course, Module, Question, QuestionType, Quiz, ReflectionBlock, Source
from ...textutil import plain_title
from .ids import IdAllocator



@dataclass(frozen=True)
class PageRes:
    ident: str
    filename: str  # inside wiki_content/
    title: str
    module: Optional[Module]  # None: the overview or the sources page
    role: str  # "overview" | "module" | "sources"


@dataclass(frozen=True)
class TopicRes:
    ident: str
    reflection: ReflectionBlock
    title: str


@dataclass(frozen=True)
class LinkRes:
    ident: str
    source: Source
    title: str


@dataclass(frozen=True)
class QuizRes:
    ident: str  # resource id = <assessment ident> in both QTI files = Canvas quiz identifier
    meta_ident: str  # the Canvas resource holding assessment_meta.xml + the Canvas QTI
    quiz: Quiz
    item_idents: tuple[str, ...]  # one per question, unique across the cartridge


Resource = Union[PageRes, TopicRes, LinkRes, QuizRes]


@dataclass(frozen=True)
class OutlineItem:
    ident: str  # organization leaf item = module_meta <item identifier>
    title: str
    resource: Resource  # identifierref = resource.ident

    @property
    def kind(self) -> str:
        return {PageRes: "page", TopicRes: "topic", LinkRes: "link", QuizRes: "quiz"}[type(self.resource)]


@dataclass(frozen=True)
class OutlineModule:
    ident: str  # organization folder item = module_meta <module identifier>
    title: str
    items: tuple[OutlineItem, ...]


@dataclass
class Plan:
    course: Course
    manifest_ident: str
    org_ident: str
    ids: IdAllocator  # still open: the builder takes the ids of media and Canvas-only resources
    modules: list[OutlineModule] = field(default_factory=list)

    @property
    def items(self) -> list[OutlineItem]:
        return [item for module in self.modules for item in module.items]

    def resources(self, kind: type) -> list:
        return [item.resource for item in self.items if isinstance(item.resource, kind)]


def reflection_title(course: Course, reflection: ReflectionBlock) -> str:
    return i18n.for_course(course).gettext("Reflection: %(prompt)s") % {"prompt": plain_title(reflection.prompt)}


def reflection_quiz(course: Course, reflection: ReflectionBlock) -> Quiz:
    """``lms.reflections: essay``: the reflection as a one-question practice quiz (a private essay)."""
    question = Question(
        id=reflection.id,
        type=QuestionType.ESSAY,
        prompt=reflection.prompt,
        prompt_html=reflection.prompt_html,
        points=0,
        pos=reflection.pos,
        guidance_html=reflection.guidance_html,
    )
    return Quiz(
        id=reflection.id,
        title=reflection_title(course, reflection),
        description_html="",
        questions=(question,),
        pos=reflection.pos,
        attempts=None,
    )


def _overview_filename(course: Course) -> str:
    taken = {m.page_filename for m in course.modules} | {course.sources_page_filename}
    name, n = "course-overview.html", 2
    while name in taken:
        name, n = f"course-overview-{n}.html", n + 1
    return name


def make_plan(course: Course) -> Plan:
    ids = IdAllocator()
    item_ids = IdAllocator()  # QTI item idents live in their own space, unique across the cartridge
    plan = Plan(course, manifest_ident=ids.take("man", course.id), org_ident=ids.take("org_1"), ids=ids)
    ids.take("LearningModules")  # the root item

    def quiz_res(quiz: Quiz, key: str) -> QuizRes:
        ident = ids.take("q", key)
        return QuizRes(
            ident=ident,
            meta_ident=ids.take(ident, "meta"),
            quiz=quiz,
            item_idents=tuple(item_ids.take("i", q.id) for q in quiz.questions),
        )

    overview = PageRes(ids.take("r_overview_page"), _overview_filename(course), course.title, None, "overview")
    plan.modules.append(
        OutlineModule(ids.take("m_overview"), i18n.for_course(course).gettext("Overview"), (OutlineItem(ids.take("it_overview_page"), course.title, overview),))
    )

    for module in course.modules:
        module_ident = ids.take(module.id)
        items = [OutlineItem(ids.take("it", module.id, "page"), module.title,
                             PageRes(ids.take("r", module.id, "page"), module.page_filename, module.title, module, "module"))]
        for reflection in module.reflections:
            title = reflection_title(course, reflection)
            if course.lms.reflections == "essay":
                resource: Resource = quiz_res(reflection_quiz(course, reflection), f"reflection_{reflection.id}")
            else:
                resource = TopicRes(ids.take("r", module.id, "reflection", reflection.id), reflection, title)
            items.append(OutlineItem(ids.take("it", module.id, "reflection", reflection.id), title, resource))
        if module.quiz is not None:
            items.append(OutlineItem(ids.take("it", module.id, "quiz"), module.quiz.title, quiz_res(module.quiz, module.quiz.id)))
        plan.modules.append(OutlineModule(module_ident, module.title, tuple(items)))

    if not course.sources:
        return plan  # a course that cites nothing gets no empty Sources module
    sources_page = PageRes(ids.take("r_sources_page"), course.sources_page_filename, course.sources_title, None, "sources")
    items = [OutlineItem(ids.take("it_sources_page"), course.sources_title, sources_page)]
    for source in course.sources:
        if source.url:
            title = plain_title(source.text)
            link = LinkRes(ids.take("r_source", str(source.number)), source, title)
            items.append(OutlineItem(ids.take("it_source", str(source.number)), title, link))
    plan.modules.append(OutlineModule(ids.take("m_sources"), course.sources_title, tuple(items)))
    return plan
