"""The Canvas description of the cartridge: what Canvas reads instead of the organization.

``course_settings/canvas_export.txt`` switches Canvas to its own importer, which ignores the
organization and the CC QTI and reads ``module_meta.xml`` (modules, items, publish state),
``wiki_content/`` (Pages), ``non_cc_assessments/`` (quizzes) and ``<quiz>/assessment_meta.xml``
(practice quiz, attempts, shuffle, availability). Every identifier is the plan's, so both
descriptions name the same things.
"""

from __future__ import annotations

from lxml import etree

from ... import i18n
from ...model import Course
from .canvas_qti import canvas_attempts
from .outline import LinkRes, OutlineItem, Plan, QuizRes
from .versions import XSI_NS
from .qti_xml import points_text
from ..xmlfile import child, xml_bytes

CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
CANVAS_XSD = "https://canvas.instructure.com/xsd/cccv1p0.xsd"

SETTINGS_DIR = "course_settings"
MARKER = f"{SETTINGS_DIR}/canvas_export.txt"
MODULE_META = f"{SETTINGS_DIR}/module_meta.xml"
COURSE_SETTINGS = f"{SETTINGS_DIR}/course_settings.xml"
ASSIGNMENT_GROUPS = f"{SETTINGS_DIR}/assignment_groups.xml"
SETTINGS_FILES = (ASSIGNMENT_GROUPS, MARKER, COURSE_SETTINGS, MODULE_META)

CONTENT_TYPE = {"page": "WikiPage", "topic": "DiscussionTopic", "quiz": "Quizzes::Quiz", "link": "ExternalUrl"}

# Canvas's licence codes for the common Creative Commons licences.
CANVAS_LICENSES = {
    "cc by": "cc_by", "cc by-sa": "cc_by_sa", "cc by-nd": "cc_by_nd", "cc by-nc": "cc_by_nc",
    "cc by-nc-sa": "cc_by_nc_sa", "cc by-nc-nd": "cc_by_nc_nd", "cc0": "public_domain",
}


def _root(tag: str, **attrs: str) -> etree._Element:
    el = etree.Element(f"{{{CANVAS_NS}}}{tag}", attrs, nsmap={None: CANVAS_NS, "xsi": XSI_NS})
    el.set(f"{{{XSI_NS}}}schemaLocation", f"{CANVAS_NS} {CANVAS_XSD}")
    return el


def _sub(parent: etree._Element, tag: str, text=None, **attrs: str) -> etree._Element:
    return child(parent, CANVAS_NS, tag, text, **attrs)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _bytes(el: etree._Element) -> bytes:
    return xml_bytes(el)


def workflow_state(course: Course) -> str:
    return "active" if course.lms.publish else "unpublished"


def canvas_license(text: str) -> str:
    words = text.lower().replace("4.0", "").replace("3.0", "").strip()
    return CANVAS_LICENSES.get(words, "private")


def marker() -> bytes:
    # Canvas only checks that the file exists; its own exports hold a joke here.
    return b"Q: What is this file?\nA: It tells Canvas to read the Canvas course files in this cartridge.\n"


def module_meta(plan: Plan) -> bytes:
    state = workflow_state(plan.course)
    modules = _root("modules")
    for position, module in enumerate(plan.modules, start=1):
        el = _sub(modules, "module", identifier=module.ident)
        _sub(el, "title", module.title)
        _sub(el, "workflow_state", state)
        _sub(el, "position", str(position))
        _sub(el, "require_sequential_progress", "false")
        items = _sub(el, "items")
        for item_position, item in enumerate(module.items, start=1):
            _module_item(items, item, item_position, state)
    return _bytes(modules)


def _module_item(items: etree._Element, item: OutlineItem, position: int, state: str) -> None:
    el = _sub(items, "item", identifier=item.ident)
    _sub(el, "content_type", CONTENT_TYPE[item.kind])
    _sub(el, "workflow_state", state)
    _sub(el, "title", item.title)
    _sub(el, "identifierref", item.resource.ident)
    if isinstance(item.resource, LinkRes):
        _sub(el, "url", item.resource.source.url)
    _sub(el, "position", str(position))
    _sub(el, "new_tab", "true" if isinstance(item.resource, LinkRes) else "false")
    _sub(el, "indent", "0")


def course_settings(plan: Plan) -> bytes:
    course = plan.course
    el = _root("course", identifier=plan.manifest_ident + "_settings")
    _sub(el, "title", course.title)
    _sub(el, "course_code", course.id)
    _sub(el, "default_view", "modules")
    _sub(el, "license", canvas_license(course.license))
    _sub(el, "is_public", "false")
    _sub(el, "allow_student_wiki_edits", "false")
    _sub(el, "default_wiki_editing_roles", "teachers")
    _sub(el, "allow_student_discussion_topics", "false")
    return _bytes(el)


def assignment_groups(plan: Plan) -> bytes:
    el = _root("assignmentGroups")
    group = _sub(el, "assignmentGroup", identifier=plan.manifest_ident + "_quizzes")
    _sub(group, "title", i18n.for_course(plan.course).gettext("Quizzes"))
    _sub(group, "position", "1")
    _sub(group, "group_weight", "0")
    return _bytes(el)


def assessment_meta(plan: Plan, res: QuizRes) -> bytes:
    """Formative quizzes: Canvas practice quizzes (no gradebook column), published per course.yaml."""
    quiz = res.quiz
    el = _root("quiz", identifier=res.ident)
    _sub(el, "title", quiz.title)
    _sub(el, "description", quiz.description_html)
    _sub(el, "shuffle_answers", _bool(quiz.shuffle))
    _sub(el, "scoring_policy", "keep_highest")
    _sub(el, "quiz_type", "practice_quiz")
    _sub(el, "points_possible", points_text(quiz.points_possible))
    _sub(el, "show_correct_answers", "true")
    _sub(el, "anonymous_submissions", "false")
    _sub(el, "could_be_locked", "false")
    _sub(el, "allowed_attempts", canvas_attempts(quiz.attempts))
    _sub(el, "one_question_at_a_time", "false")
    _sub(el, "cant_go_back", "false")
    _sub(el, "available", _bool(plan.course.lms.publish))
    _sub(el, "one_time_results", "false")
    _sub(el, "show_correct_answers_last_attempt", "false")
    return _bytes(el)


def meta_path(res: QuizRes) -> str:
    # Canvas finds the meta only at exactly <assessment ident>/assessment_meta.xml.
    return f"{res.ident}/assessment_meta.xml"


def canvas_qti_path(res: QuizRes) -> str:
    return f"non_cc_assessments/{res.ident}.xml.qti"
