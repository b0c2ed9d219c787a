"""``cmi5.xml``: the cmi5 course structure (cmi5 Quartz, section 13), valid against its XSD.

One assignable unit holds the whole course, as the SCORM packages have one SCO: the course's
completion and passing rules (every page, every quiz, one passing score over all quizzes) are
rules about the whole course, and one AU keeps them in one session with one set of statements.
A block around a single AU would add nothing for an LMS to track, so there is none.
"""

from __future__ import annotations

from lxml import etree

from ...model import Course
from ..xmlfile import child, xml_bytes
from .ids import au_iri, course_iri

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
LAUNCH_METHOD = "AnyWindow"  # the page works in a frame or a window; it never navigates its parent


def move_on(course: Course) -> str:
    """What satisfies the AU: completed, and passed too when the course has a passing score."""
    return "CompletedAndPassed" if course.completion.passing_score is not None else "Completed"


def mastery_score(course: Course):
    """The passing score as the XSD's decimal 0..1 with at most 4 decimal places, or None."""
    passing = course.completion.passing_score
    return None if passing is None else f"{round(passing, 4):g}"


def _text(parent: etree._Element, tag: str, text: str, lang: str) -> None:
    holder = child(parent, NS, tag)
    child(holder, NS, "langstring", text, lang=lang)


def course_structure(course: Course, launch: str) -> bytes:
    root = etree.Element(f"{{{NS}}}courseStructure", nsmap={None: NS})
    element = child(root, NS, "course", id=course_iri(course))
    _text(element, "title", course.title, course.language)
    _text(element, "description", course.description, course.language)
    attrs = {"id": au_iri(course), "moveOn": move_on(course), "launchMethod": LAUNCH_METHOD}
    if mastery_score(course) is not None:
        attrs["masteryScore"] = mastery_score(course)
    au = child(root, NS, "au", **attrs)
    _text(au, "title", course.title, course.language)
    _text(au, "description", course.description, course.language)
    child(au, NS, "url", launch)
    return xml_bytes(root)
