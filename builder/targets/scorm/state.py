"""The learner state a SCO keeps in ``suspend_data``, and the room each text answer gets in it.

The runtime (``templates/scorm/js/state.js``) writes one compact string::

    1 <layout> | <visited> | <page> | <quiz>,<quiz>,... | <text><text>...

``layout`` is a 4-character fingerprint of the SCO's pages, quizzes and text fields, so state
saved by another version of the course is never restored into the wrong boxes. ``visited`` is a
bitset (5 pages per base-32 character), ``page`` the current page index, each quiz
``<attempts>.<best points x 100>`` in base 36, and each text is length-prefixed
(``<length in base 36>:<text>``) so it needs no escaping and costs 2-5 characters of overhead.

SCORM 1.2 allows 4,096 characters, SCORM 2004 64,000. Everything except the texts has a fixed
maximum width, computed here; what remains is shared between the text answers (reflections and
essay questions), and the runtime stops typing at each field's budget, so the encoded state can
never exceed the limit. The JS encoder must stay in step with ``fixed_width`` (a test checks it).

Everything here works on one SCO's ``Unit`` (``units.py``): the whole course by default, or one
module when the package has a SCO per module. A ``Course`` passed instead is taken as the single SCO.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Optional, Union

from ...model import Course, Position, QuestionType
from .units import Unit, whole_course

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


def _unit(sco: Union[Unit, Course]) -> Unit:
    return whole_course(sco) if isinstance(sco, Course) else sco


def text_fields(sco: Union[Unit, Course]) -> list[TextField]:
    """Every text field of the SCO in page order (the order the state stores them in)."""
    fields = []
    for module in _unit(sco).modules:
        for reflection in module.reflections:
            fields.append(TextField(f"r:{reflection.id}", reflection.prompt, reflection.pos, reflection.max_length))
        if module.quiz:
            for q in module.quiz.questions:
                if q.type is QuestionType.ESSAY:
                    fields.append(TextField(f"e:{module.quiz.id}:{q.id}", q.title, q.pos))
    return fields


def page_ids(sco: Union[Unit, Course]) -> list[str]:
    """The SCO's pages, in order: one per module, then the sources page (when it carries it)."""
    unit = _unit(sco)
    return [m.id for m in unit.modules] + (["sources"] if unit.has_sources else [])


def layout_hash(sco: Union[Unit, Course]) -> str:
    """4 characters that change when pages, quizzes or text fields change (not their wording)."""
    unit = _unit(sco)
    parts = page_ids(unit) + [q.id for q in unit.quizzes] + [f.key for f in text_fields(unit)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:4]


def quiz_width(points_possible: float, attempts: Optional[int]) -> int:
    max_attempts = attempts if attempts is not None else UNLIMITED_ATTEMPTS_CAP
    best = round(points_possible * 100)
    return base36_width(max_attempts) + 1 + base36_width(best)


def fixed_width(sco: Union[Unit, Course], limit: int) -> int:
    """The most characters the SCO's state can take besides the texts themselves."""
    unit = _unit(sco)
    pages = len(page_ids(unit))
    quizzes = unit.quizzes
    width = 1 + 4 + 1  # version, layout, "|"
    width += math.ceil(pages / 5) + 1  # visited bitset, "|"
    width += base36_width(pages - 1) + 1  # current page, "|"
    width += sum(quiz_width(q.points_possible, q.attempts) for q in quizzes) + max(len(quizzes) - 1, 0) + 1
    width += len(text_fields(unit)) * (base36_width(limit) + 1)  # "<length>:" per text
    return width


def budgets(sco: Union[Unit, Course], limit: int) -> list[TextField]:
    """Share the room the SCO has left after the fixed part between its text fields.

    Fields whose author set a smaller ``max_length`` keep it; the rest is divided evenly among
    the others (water-filling), so no room is wasted and the total can never pass ``limit``.
    """
    unit = _unit(sco)
    fields = text_fields(unit)
    room = limit - fixed_width(unit, limit)
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
