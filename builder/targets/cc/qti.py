"""QTI 1.2 in the Common Cartridge profile (``<quiz>/assessment_qti.xml``), tuned for Moodle.

Moodle reads only: the item's exact ``cc_profile``; items directly in the first <section>;
true/false answers idented exactly ``true``/``false``; multiple-response correct answers as
``varequal case="Yes"`` under ``setvar SCORE 100``; general feedback from ``continue="Yes"``
conditions. So, unlike Canvas's shape: only ``general_fb`` sits in a ``continue="Yes"``
condition (Moodle would glue every continue="Yes" feedback into the general feedback), and each
answer has one ``continue="No"`` condition with its score, its own feedback first, then
``correct_fb``/``general_incorrect_fb`` (Moodle has no slot for those and joins them onto the
answer's feedback). Other CC consumers read the same file.
"""

from __future__ import annotations

import jinja2
from lxml import etree

from ...diagnostics import Diagnostics
from ...model import QuestionType
from .ids import CORRECT_FB, GENERAL_FB, INCORRECT_FB
from .outline import QuizRes
from .versions import CcVersion
from .qti_xml import (
    ItemSpec,
    condition,
    feedback_list,
    item_specs,
    itemfeedbacks,
    metadata,
    new_item,
    otherwise,
    presentation,
    resprocessing,
    root,
    serialize,
    set_score,
    show_feedback,
    sub,
    varequal,
)

CC_PROFILE = {
    QuestionType.MULTIPLE_CHOICE: "cc.multiple_choice.v0p1",
    QuestionType.MULTIPLE_RESPONSE: "cc.multiple_response.v0p1",
    QuestionType.TRUE_FALSE: "cc.true_false.v0p1",
    QuestionType.FILL_IN_BLANK: "cc.fib.v0p1",
    QuestionType.ESSAY: "cc.essay.v0p1",
}


def max_attempts(attempts) -> str:
    return "unlimited" if attempts is None else str(attempts)


def weighting(spec: ItemSpec, diagnostics: Diagnostics) -> str:
    """``cc_weighting`` must be an integer; Canvas's own QTI keeps the exact points."""
    points = spec.points
    if points != int(points):
        diagnostics.warning(
            spec.question.pos,
            f"{points:g} points cannot be written in a Common Cartridge (whole points only); "
            f"the standard description says {round(points)}",
            "use whole points, or accept that Moodle and other CC importers round it",
            code="cc-weighting",
        )
    return str(int(round(points)))


def _resprocessing(item: etree._Element, spec: ItemSpec) -> None:
    have = {ident for ident, _ in feedback_list(spec)}
    rp = resprocessing(item)
    if GENERAL_FB in have:
        show_feedback(otherwise(rp, cont=True), GENERAL_FB)

    if spec.type is QuestionType.FILL_IN_BLANK:
        # Moodle: the accepted answers are the varequals of the condition setting exactly 100.
        cond, var = condition(rp, cont=False)
        for text in spec.question.answers:
            varequal(var, text, case="Yes" if spec.question.case_sensitive else "No")
        set_score(cond)
        if CORRECT_FB in have:
            show_feedback(cond, CORRECT_FB)
        return
    if spec.type is QuestionType.ESSAY:
        # Nothing to score, but the profile wants at least one condition.
        otherwise(rp, cont=False)
        return

    if spec.type is QuestionType.MULTIPLE_RESPONSE:
        # The scoring condition first; the per-option conditions after it carry feedback only.
        cond, var = condition(rp, cont=False)
        both = sub(var, "and")
        for answer in spec.answers:
            if answer.correct:
                varequal(both, answer.ident, case="Yes")
            else:
                varequal(sub(both, "not"), answer.ident)
        set_score(cond)

    for answer in spec.answers:
        cond, var = condition(rp, cont=False)
        varequal(var, answer.ident)
        if answer.correct and spec.type is not QuestionType.MULTIPLE_RESPONSE:
            set_score(cond)
        if answer.feedback_ident in have:
            show_feedback(cond, answer.feedback_ident)
        overall = CORRECT_FB if answer.correct else INCORRECT_FB
        if overall in have:
            show_feedback(cond, overall)


def assessment_xml(
    res: QuizRes, version: CcVersion, env: jinja2.Environment, diagnostics: Diagnostics
) -> bytes:
    return serialize(assessment(res, version, item_specs(res.quiz, res.item_idents, env), diagnostics))


def assessment(res: QuizRes, version: CcVersion, specs: list[ItemSpec], diagnostics: Diagnostics) -> etree._Element:
    quiz = res.quiz
    doc = root(version.profile_xsd("qtiasiv1p2p1_v1p0"))
    assessment = sub(doc, "assessment", ident=res.ident, title=quiz.title)
    metadata(assessment, [
        ("cc_profile", "cc.exam.v0p1"),
        ("qmd_assessmenttype", "Examination"),
        ("qmd_scoretype", "Percentage"),
        ("cc_maxattempts", max_attempts(quiz.attempts)),
    ])
    # One section, items directly in it: Moodle reads no other.
    section = sub(assessment, "section", ident="root_section")
    for spec in specs:
        item, itemmetadata = new_item(section, spec)
        fields = [("cc_profile", CC_PROFILE[spec.type]), ("cc_weighting", weighting(spec, diagnostics))]
        if spec.type is QuestionType.ESSAY:
            fields.append(("qmd_computerscored", "No"))
        metadata(itemmetadata, fields)
        presentation(item, spec)
        _resprocessing(item, spec)
        itemfeedbacks(item, feedback_list(spec))
    return doc
