"""Stable activity IRIs of a cmi5 package, derived from the course id and version.

They are URNs, not URLs: nothing is published at them, and an LRS that looks activity ids up
(the ADL LRS does, after each statement) is not sent to a host nobody controls. The same course
id and version always give the same ids, so an LMS recognises a re-uploaded package, and a new
version is a new course in the learning records.
"""

from __future__ import annotations

from urllib.parse import quote

from ...model import Course


def _part(text: str) -> str:
    # RFC 8141 NSS characters; anything else percent-encoded (a version may hold spaces)
    return quote(text, safe="-._~!$&'()*+,;=@")


def course_iri(course: Course) -> str:
    return f"urn:build-course:{_part(course.id)}:{_part(course.version)}"


def au_iri(course: Course) -> str:
    return f"{course_iri(course)}:au"


def question_iri(course: Course, quiz_id: str, question_id: str) -> str:
    return f"{au_iri(course)}:quiz:{_part(quiz_id)}:{_part(question_id)}"


def reflection_iri(course: Course, reflection_id: str) -> str:
    return f"{au_iri(course)}:reflection:{_part(reflection_id)}"
