"""The learner state a SCO keeps in ``suspend_data``, and the room each text answer gets in it.

The runtime (``templates/scorm/js/state.js``) writes one compact string::

    1 <layout> | <visited> | <page> | <quiz>,<quiz>,... | <text><text>...

``layout`` is a 4-character fingerprint of the course's pages, quizzes and text fields, so state
saved by another version of the course is never restored into the wrong boxes. ``visited`` is a
bitset (5 pages per base-32 character), ``page`` the current page index, each quiz
``<attempts>.<best points x 100>`` in base 36, and each text is length-prefixed
(``<length in base 36>:<text>``) so it needs no escaping and costs 2-5 characters of overhead.

SCORM 1.2 allows 4,096 characters, SCORM 2004 64,000. Everything except the texts has a fixed
maximum width, computed here; what remains is shared between the text answers (reflections and
essay questions), and the runtime stops typing at each field's budget, so the encoded state can
never exceed the limit. The JS encoder must stay in step with ``fixed_width`` (a test checks it).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Optional

from ...model import Course, Position, QuestionType

SUSPEND_LIMITS = {"scorm12": 4096, "scorm2004": 64000}
UNLIMITED_ATTEMPTS_CAP = 36**2 - 1  # the runtime stops counting here: two base-36 digits
MIN_USEFUL_BUDGET = 300  # below this a text answer is too short to be worth writing


def base36_width(value: int) -> int:
    """Characters ``value.toString(36)`` takes in JS."""
    width = 1
    while value >= 36**width:
        width += 1
    return width


@dataclass(frozen=True)
class TextField:
    """A box the learner types into: a reflection, or an essay question of a quiz."""

    key: str  # stable, unique: "r:<reflection id>" or "e:<quiz id>:<question id>"
    label: str
    pos: Position
    max_length: Optional[int] = None
    budget: int = 0  # characters this field may hold (UTF-16 code units, as JS counts)


def text_fields(course: Course) -> list[TextField]:
    """Every text field in page order (the order the state stores them in)."""
    fields = []
    for module in course.modules:
        for reflection in module.reflections:
            fields.append(TextField(f"r:{reflection.id}", reflection.prompt, reflection.pos, reflection.max_length))
        if module.quiz:
            for q in module.quiz.questions:
                if q.type is QuestionType.ESSAY:
                    fields.append(TextField(f"e:{module.quiz.id}:{q.id}", q.title, q.pos))
    return fields


def page_ids(course: Course) -> list[str]:
    """The SCO's pages, in order: one per module, then the sources page (when there are sources)."""
    return [m.id for m in course.modules] + (["sources"] if course.sources else [])


def layout_hash(course: Course) -> str:
    """4 characters that change when pages, quizzes or text fields change (not their wording)."""
    parts = page_ids(course) + [q.id for q in course.quizzes] + [f.key for f in text_fields(course)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:4]


def quiz_width(points_possible: float, attempts: Optional[int]) -> int:
    max_attempts = attempts if attempts is not None else UNLIMITED_ATTEMPTS_CAP
    best = round(points_possible * 100)
    return base36_width(max_attempts) + 1 + base36_width(best)


def fixed_width(course: Course, limit: int) -> int:
    """The most characters the state can take besides the texts themselves."""
    pages = len(page_ids(course))
    quizzes = course.quizzes
    width = 1 + 4 + 1  # version, layout, "|"
    width += math.ceil(pages / 5) + 1  # visited bitset, "|"
    width += base36_width(pages - 1) + 1  # current page, "|"
    width += sum(quiz_width(q.points_possible, q.attempts) for q in quizzes) + max(len(quizzes) - 1, 0) + 1
    width += len(text_fields(course)) * (base36_width(limit) + 1)  # "<length>:" per text
    return width


def budgets(course: Course, limit: int) -> list[TextField]:
    """Share the room left after the fixed part between the text fields.

    Fields whose author set a smaller ``max_length`` keep it; the rest is divided evenly among
    the others (water-filling), so no room is wasted and the total can never pass ``limit``.
    """
    fields = text_fields(course)
    room = limit - fixed_width(course, limit)
    result: dict[str, int] = {}
    open_fields = list(fields)
    while open_fields:
        share = max(room, 0) // len(open_fields)
        capped = [f for f in open_fields if f.max_length is not None and f.max_length <= share]
        if not capped:
            for f in open_fields:
                result[f.key] = share
            break
        for f in capped:
            result[f.key] = f.max_length
            room -= f.max_length
            open_fields.remove(f)
    return [TextField(f.key, f.label, f.pos, f.max_length, result[f.key]) for f in fields]
