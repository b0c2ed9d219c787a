"""The SCOs both SCORM editions ship: by default one HTML page holding every module, its runtime
and data; with ``scorm: {sco: module}`` one such page per module (``units.py``), sharing the
stylesheet, scripts and media.

Both editions render the same pages from the same model; only the configuration the runtime
reads differs (edition, ``suspend_data`` limit, interaction identifiers, text budgets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping, Optional, Sequence

import jinja2
from lxml import etree

from ... import i18n
from ...diagnostics import Diagnostics
from ...model import Course, Question, QuestionType, Quiz
from ..pagefiles import media_files, stylesheet
from .state import (
    MIN_USEFUL_BUDGET,
    SUSPEND_LIMITS,
    TextField,
    budgets,
    layout_hash,
    page_ids,
    text_room,
)
from .units import LAUNCH, Unit, whole_course
from .page_once import render_sco_page
from ..xmlfile import child

# What a teacher does after uploading either edition, in the LMSs where the edition changes nothing.
AFTER_IMPORT_ELSEWHERE = {
    "Canvas": ("Only on Instructure-hosted Canvas: Settings > Navigation > enable 'SCORM', then upload.",),
    "Blackboard": ("Content area > Build Content > Content Package (SCORM); set grading on.",),
    "D2L": ("Content > Upload/Create > Add a SCORM package (Content Service); add a grade item.",),
}


def single_sco(root: etree._Element, cp: str, course: Course, files, scorm_type: str) -> tuple:
    """The organization (one item) and the one SCO resource declaring every file, in either edition.

    ``scorm_type`` is the qualified name of the SCO-type attribute (``adlcp:scormtype`` in 1.2,
    ``adlcp:scormType`` in 2004). Returns (organization, item) for the edition's own additions.
    """
    organizations = child(root, cp, "organizations", default="ORG-1")
    organization = child(organizations, cp, "organization", identifier="ORG-1")
    child(organization, cp, "title", course.title)
    item = child(organization, cp, "item", identifier="ITEM-1", identifierref="RES-SCO", isvisible="true")
    child(item, cp, "title", course.title)
    resources = child(root, cp, "resources")
    resource = child(resources, cp, "resource", **{"identifier": "RES-SCO", "type": "webcontent",
                                                    scorm_type: "sco", "href": LAUNCH})
    for name in sorted(files):
        child(resource, cp, "file", href=name)
    return organization, item


def sco_per_unit(root: etree._Element, cp: str, course: Course, files, scorm_type: str,
                 scos: Sequence[Unit]) -> tuple:
    """One item and one SCO resource per unit, each SCO depending on one asset resource that
    declares the shared files (stylesheet, scripts, media), as ADL's multi-SCO examples do.

    Returns (organization, [(unit, item), ...]) for the edition's own additions.
    """
    organizations = child(root, cp, "organizations", default="ORG-1")
    organization = child(organizations, cp, "organization", identifier="ORG-1")
    child(organization, cp, "title", course.title)
    resources = child(root, cp, "resources")
    items = []
    for unit in scos:
        item = child(organization, cp, "item", identifier=f"ITEM-{unit.id}", identifierref=f"RES-{unit.id}",
                     isvisible="true")
        child(item, cp, "title", unit.title)
        items.append((unit, item))
        resource = child(resources, cp, "resource", **{"identifier": f"RES-{unit.id}", "type": "webcontent",
                                                        scorm_type: "sco", "href": unit.launch})
        child(resource, cp, "file", href=unit.launch)
        child(resource, cp, "dependency", identifierref="RES-SHARED")
    launches = {unit.launch for unit in scos}
    shared = child(resources, cp, "resource", **{"identifier": "RES-SHARED", "type": "webcontent",
                                                  scorm_type: "asset"})
    for name in sorted(files):
        if name not in launches and name != "imsmanifest.xml":
            child(shared, cp, "file", href=name)
    return organization, items


# Loaded in this order by the launch page; copied verbatim (never rendered: they are not Jinja).
SCRIPTS = ("js/textpack.js", "js/state.js", "js/formats.js", "js/scoring.js", "js/lms.js", "js/i18n.js", "js/quiz.js", "js/course.js")
DESCRIPTION_LIMIT = 250  # SCORM 2004 localized_string_type (interaction description)


@dataclass(frozen=True)
class Edition:
    name: str  # "scorm12" | "scorm2004"
    label: str

    @property
    def suspend_limit(self) -> int:
        return SUSPEND_LIMITS[self.name]


SCORM12 = Edition("scorm12", "SCORM 1.2")
SCORM2004 = Edition("scorm2004", "SCORM 2004 4th edition")


def interaction_id(edition: Edition, course: Course, quiz: Quiz, question: Question) -> str:
    """1.2: a CMIIdentifier (ASCII, no spaces, <= 255); 2004: a URN (long_identifier_type)."""
    if edition.name == "scorm12":
        return re.sub(r"[^A-Za-z0-9_.-]", "_", f"{quiz.id}.{question.id}")[:255]
    return f"urn:build-course:{course.id}:{quiz.id}:{question.id}"


RESPONSE_ID_LIMIT = 250  # SCORM 2004 short_identifier_type


def response_ids(question: Question) -> list[str]:
    """The identifier each choice is reported by in cmi.interactions (2004 learner_response and
    correct_responses pattern), in authored order.

    Only ASCII letters, digits, '_' and '.': Moodle's 2004 runtime checks short identifiers
    against ``^[\\w.]{1,250}$`` (stricter than the standard's URI-like form, which scorm-again
    follows), so a hyphen is a type mismatch there. Choice ids are "<question id>_a<n>": unique
    within the question, stable while choices keep their order; the tail is kept when cut.
    """
    ids = [re.sub(r"[^A-Za-z0-9_.]", "_", c.id)[-RESPONSE_ID_LIMIT:] for c in question.choices]
    if len(set(ids)) != len(ids):  # unreachable with generated ids; never send an ambiguous answer
        ids = [f"a{n + 1}" for n in range(len(ids))]
    return ids


def _question_data(edition: Edition, course: Course, quiz: Quiz, q: Question) -> dict:
    data = {
        "id": q.id,
        "type": q.type.value,
        "points": q.points if q.type.auto_graded else 0,
        "interactionId": interaction_id(edition, course, quiz, q),
        "description": q.title[:DESCRIPTION_LIMIT],
        "choices": [c.id for c in q.choices],
        "responses": response_ids(q),
        "correct": [c.id for c in q.correct_choices],
    }
    if q.type is QuestionType.TRUE_FALSE and q.answer is not None:
        data["correct"] = ["true" if q.answer else "false"]
    if q.type is QuestionType.FILL_IN_BLANK:
        data["answers"] = list(q.answers)
        data["caseSensitive"] = q.case_sensitive
    return data


def sco_config(course: Course, edition: Edition, fields: list[TextField], unit: Optional[Unit] = None,
               sco_count: int = 1) -> dict:
    """Everything the runtime of one SCO needs, embedded in its page as JSON (autoescaped attribute)."""
    unit = unit or whole_course(course)
    ids = page_ids(unit)
    pages = [{"id": m.id, "title": m.title, "required": True} for m in unit.modules]
    page_files = {m.page_filename: i for i, m in enumerate(unit.modules)}
    if unit.has_sources:  # no empty Sources page in a course that cites nothing
        pages.append({"id": "sources", "title": course.sources_title, "required": False})
        page_files[course.sources_page_filename] = len(unit.modules)
    config = {
        "edition": edition.name,
        "courseId": course.id,
        "layout": {"id": layout_hash(unit), "pages": len(ids), "quizzes": len(unit.quizzes), "texts": len(fields)},
        "suspendLimit": edition.suspend_limit,
        "passingScore": course.completion.passing_score,
        "requirePages": course.completion.require_pages,
        "requireQuizzes": course.completion.require_quizzes,
        "pages": pages,
        "pageFiles": page_files,
        "quizzes": [
            {
                "id": quiz.id,
                "attempts": quiz.attempts,
                "shuffle": quiz.shuffle,
                "pointsPossible": quiz.points_possible,
                "questions": [_question_data(edition, course, quiz, q) for q in quiz.questions],
            }
            for quiz in unit.quizzes
        ],
        "texts": [{"key": f.key, "budget": f.budget, "maxLength": f.max_length} for f in fields],
        "textRoom": text_room(unit, edition.suspend_limit),  # bytes all answers share (js/state.js)
    }
    if sco_count > 1:  # one SCO of several: its own browser copy, Moodle's shared player API (course.js)
        config["sco"] = {"id": unit.id, "count": sco_count}
    return config


def _span(values) -> str:
    values = sorted(values)
    return f"{values[0]}" if values[0] == values[-1] else f"{values[0]}-{values[-1]}"


def text_budgets(course: Course, edition: Edition, diagnostics: Diagnostics,
                 scos: Optional[Sequence[Unit]] = None) -> list[list[TextField]]:
    """Each SCO's text fields with their budgets (each SCO has its own ``suspend_data``)."""
    scos = scos or [whole_course(course)]
    per_sco = [budgets(unit, edition.suspend_limit) for unit in scos]
    fields = [f for unit_fields in per_sco for f in unit_fields]
    # an author's own small max_length is a choice, not a squeeze
    squeezed = [f for f in fields if f.typical < MIN_USEFUL_BUDGET and (f.max_length is None or f.typical < f.max_length)]
    if squeezed:
        # Said once, with the numbers and the fixes: one warning per answer drowns the build log.
        fixes = "ask for fewer or shorter text answers (fewer reflections/essay questions, or max_length on some)"
        if len(scos) == 1 and len(course.modules) > 1 and edition.name in SUSPEND_LIMITS:  # a SCORM edition
            fixes = f"give each module its own SCO (course.yaml: 'scorm: {{sco: module}}'), or {fixes}"
        if edition.name == "scorm12":
            fixes = f"use SCORM 2004 ({SUSPEND_LIMITS['scorm2004']:,} characters), or {fixes}"
        diagnostics.warning(
            course.pos,
            f"{edition.label}: the {edition.suspend_limit:,}-character suspend_data leaves {len(squeezed)} of the "
            f"{len(fields)} text answers (reflections and essay questions) only about "
            f"{_span(f.typical for f in squeezed)} characters each, fewer than the {MIN_USEFUL_BUDGET} a learner "
            f"needs (when every answer is written; {_span(f.guaranteed for f in squeezed)} guaranteed whatever "
            f"the others hold; first: {squeezed[0].pos})",
            hint=fixes,
            code="scorm-text-budget",
        )
    return per_sco


def sco_files(
    course: Course,
    env: jinja2.Environment,
    edition: Edition,
    diagnostics: Diagnostics,
    page: str = "scorm/sco.html",
    scripts: Optional[Mapping[str, str]] = None,
    configure: Optional[Callable[[dict], None]] = None,
    scos: Optional[Sequence[Unit]] = None,
) -> dict[str, bytes]:
    """The files of the SCOs: one launch page per unit (``scos``, default: the whole course as one
    SCO), the stylesheet, runtime scripts and media they share.

    Another runtime of the same page (cmi5) passes its own ``page`` template, ``scripts``
    ({path in package: template path}, in load order) and ``configure`` (adds to the config).
    """
    scos = scos or [whole_course(course)]
    if scripts is None:
        scripts = {script: f"scorm/{script}" for script in SCRIPTS}
    if course.completion.passing_score is not None and not course.quizzes:
        diagnostics.warning(
            course.pos,
            "completion.passing_score is set but the course has no quiz, so no score is ever recorded",
            code="scorm-passing-without-quiz",
        )
    sources = {script: env.loader.get_source(env, template)[0] for script, template in scripts.items()}
    strings = i18n.for_scripts(course, sources.values())  # the scripts' strings, in the course language
    files: dict[str, bytes] = {}
    for unit, fields in zip(scos, text_budgets(course, edition, diagnostics, scos)):
        texts = {f.key: {"index": i, "budget": f.budget, "dom_id": f"text-{i + 1}"} for i, f in enumerate(fields)}
        config = sco_config(course, edition, fields, unit, len(scos))
        if configure is not None:
            configure(config)
        config["i18n"] = strings
        html = render_sco_page(env, course, page, unit, dict(
            course=course,
            unit=unit,
            config=config,
            pages=config["pages"],
            texts=texts,
            quiz_indexes={quiz.id: i for i, quiz in enumerate(unit.quizzes)},
            edition_label=edition.label,
            scripts=tuple(scripts),
        ), shareable=configure is None)  # both editions: rendered once, filled in per edition
        files[unit.launch] = html.encode("utf-8")
    files["course.css"] = stylesheet(env)
    for script, source in sources.items():
        files[script] = source.encode("utf-8")
    files.update(media_files(course))
    return files
