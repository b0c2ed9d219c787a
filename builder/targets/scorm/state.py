"""The learner state a SCO keeps in ``suspend_data``, and the room each text answer gets in it.

The runtime (``templates/scorm/js/state.js``) writes one compact ASCII string::

    2 <layout> | <visited> | <page> | <quiz>,<quiz>,... | <texts>

``layout`` is a 4-character fingerprint of the SCO's pages, quizzes and text fields, so state
saved by another version of the course is never restored into the wrong boxes. ``visited`` is a
bitset (5 pages per base-32 character), ``page`` the current page index, each quiz
``<attempts>.<best points x 100>`` in base 36. ``texts`` is one byte string in base 85 (4 bytes
-> 5 characters, ``chars_for``), holding each answer as ``<varint: length * 2 + packed?>`` then
its bytes: compressed by ``templates/scorm/js/textpack.js``, or plain UTF-8 when that is not
longer (so an answer never takes more than its UTF-8 length plus the header); then a 4-byte hash
of the texts (``CHECK_BYTES``), so a damaged value restores nothing rather than other words.
Format "1" (texts as typed, ``<length in base 36>:<text>``) from older builds is still read.

SCORM 1.2 allows 4,096 characters (ASCII, CMIString4096), SCORM 2004 64,000. Everything except
the texts has a fixed maximum width, computed here; the bytes that fit in the rest (``text_room``)
are shared between the text answers (reflections and essay questions): each keeps a reserved
minimum (its ``budget``), and the runtime lets an answer grow into the room the others neither
reserve nor use, counting the real packed size as the learner types, so the encoded state can
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
WORST_UTF8 = 3  # bytes per UTF-16 code unit at worst (a surrogate pair is 4 bytes for 2 units)
RESERVED_PART = 2  # each field reserves 1/2 of its even share; the rest is a pool the first writers use
CHECK_BYTES = 4  # the texts' hash after them (state.js checkBytes)
TYPICAL_BYTES_PER_CHAR = 0.5  # packed prose (measured, docs/scorm.md); also the runtime's first guess


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
    budget: int = 0  # bytes reserved for it in the packed texts (header included): its minimum
    share: int = 0  # bytes it holds when every field is written alike (its even share of the room)

    @property
    def guaranteed(self) -> int:
        """Characters of plain ASCII text its reserved bytes hold whatever the others write."""
        return max(self.budget - header_width(self.budget), 0)

    @property
    def typical(self) -> int:
        """Characters of ordinary prose its even share holds, packed (docs/scorm.md: 0.43-0.6
        bytes a character in English, French and Arabic answers)."""
        return int(max(self.share - header_width(self.share), 0) / TYPICAL_BYTES_PER_CHAR)


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
    return width


def chars_for(size: int) -> int:
    """Characters ``size`` bytes take in the runtime's base 85."""
    return size // 4 * 5 + (size % 4 + 1 if size % 4 else 0)


def varint_width(value: int) -> int:
    width = 1
    while value >= 128:
        value //= 128
        width += 1
    return width


def header_width(payload: int) -> int:
    """Bytes of the header in front of an answer of ``payload`` bytes."""
    return varint_width(payload * 2 + 1)


def text_room(sco: Union[Unit, Course], limit: int) -> int:
    """Bytes of packed text answers that fit beside the fixed part."""
    chars = limit - fixed_width(sco, limit)
    if chars <= 0:
        return 0
    fitting = chars // 5 * 4 + max(chars % 5 - 1, 0)  # a last group of k + 1 characters holds k bytes
    return max(fitting - CHECK_BYTES, 0)


def _need(max_length: int) -> int:
    """Bytes that hold any answer of ``max_length`` characters, as plain UTF-8 at worst."""
    return header_width(max_length * WORST_UTF8) + max_length * WORST_UTF8


def budgets(sco: Union[Unit, Course], limit: int) -> list[TextField]:
    """Each text field's reserved minimum (``budget``) and even share of the SCO's text room.

    The room is shared out evenly (water-filling): a field whose author set a ``max_length``
    small enough gets what any answer of that length needs, and reserves it all. The others
    reserve half their share; the other half of every share is a pool. As the learner types
    (state.js ``allowance``), an answer may use its reservation plus whatever the other fields
    neither reserve nor use, so early answers can be long, every field keeps its minimum, and
    the total never passes ``text_room``.
    """
    unit = _unit(sco)
    fields = text_fields(unit)
    room = text_room(unit, limit)
    result: dict[str, tuple[int, int]] = {}
    open_fields = list(fields)
    while open_fields:
        share = max(room, 0) // len(open_fields)
        capped = [f for f in open_fields if f.max_length is not None and _need(f.max_length) <= share]
        if not capped:
            for f in open_fields:
                result[f.key] = (share // RESERVED_PART, share)
            break
        for f in capped:
            need = _need(f.max_length)
            result[f.key] = (need, need)
            room -= need
            open_fields.remove(f)
    return [TextField(f.key, f.label, f.pos, f.max_length, *result[f.key]) for f in fields]
