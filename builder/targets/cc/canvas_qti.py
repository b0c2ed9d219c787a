"""Canvas-flavoured QTI 1.2 (``non_cc_assessments/<quiz>.xml.qti``), the shape Canvas exports.

Canvas reads the question type and points from item metadata (``question_type``,
``points_possible``) and sorts feedback by id: ``general_fb`` -> neutral, ``correct_fb`` ->
correct, ``general_incorrect_fb`` -> incorrect, ``<answer>_fb`` -> that answer (only when the
answer's own condition shows it, and the id holds none of its general keywords). Conditions, in
Canvas's order: general, one per answer (its feedback), the scoring one, then incorrect. The
scoring condition must be the last one naming a correct answer: the last match keeps its score.
Same assessment and item idents as the CC file.
"""

from __future__ import annotations

from typing import Optional

import jinja2
from lxml import etree

from ...model import QuestionType
from .ids import CORRECT_FB, GENERAL_FB, INCORRECT_FB
from .outline import QuizRes
from .qti import max_attempts
from .versions import CcVersion
from .qti_xml import (
    ITEM,
    ItemSpec,
    condition,
    copy_itemfeedbacks,
    copy_presentation,
    feedback_list,
    item_specs,
    itemfeedbacks,
    metadata,
    new_item,
    otherwise,
    points_text,
    presentation,
    resprocessing,
    root,
    serialize,
    set_score,
    show_feedback,
    sub,
    varequal,
)

QUESTION_TYPE = {
    QuestionType.MULTIPLE_CHOICE: "multiple_choice_question",
    QuestionType.MULTIPLE_RESPONSE: "multiple_answers_question",
    QuestionType.TRUE_FALSE: "true_false_question",
    QuestionType.FILL_IN_BLANK: "short_answer_question",
    QuestionType.ESSAY: "essay_question",
}


def canvas_attempts(attempts) -> str:
    return "-1" if attempts is None else str(attempts)


def _resprocessing(item, spec: ItemSpec) -> None:
    have = {ident for ident, _ in feedback_list(spec)}
    rp = resprocessing(item)
    if GENERAL_FB in have:
        show_feedback(otherwise(rp, cont=True), GENERAL_FB)
    if spec.type is QuestionType.ESSAY:
        otherwise(rp, cont=False)
        return

    for answer in spec.answers:
        if answer.feedback_ident in have:
            cond, var = condition(rp, cont=True)
            varequal(var, answer.ident)
            show_feedback(cond, answer.feedback_ident)

    cond, var = condition(rp, cont=False)
    if spec.type is QuestionType.FILL_IN_BLANK:
        # Every varequal becomes an accepted answer in Canvas: never a wrong one here.
        for text in spec.question.answers:
            varequal(var, text)
    elif spec.type is QuestionType.MULTIPLE_RESPONSE:
        both = sub(var, "and")
        for answer in spec.answers:
            if answer.correct:
                varequal(both, answer.ident)
            else:
                varequal(sub(both, "not"), answer.ident)
    else:
        (correct,) = [a for a in spec.answers if a.correct]
        varequal(var, correct.ident)
    set_score(cond)
    if CORRECT_FB in have:
        show_feedback(cond, CORRECT_FB)

    if INCORRECT_FB in have:
        show_feedback(otherwise(rp, cont=True), INCORRECT_FB)


def assessment_xml(res: QuizRes, version: CcVersion, env: jinja2.Environment) -> bytes:
    return serialize(assessment(res, version, item_specs(res.quiz, res.item_idents, env)))


def assessment(res: QuizRes, version: CcVersion, specs: list[ItemSpec],
               twin: Optional[etree._Element] = None) -> etree._Element:
    """Canvas's QTI document. ``twin``, the same quiz's Common Cartridge document when there is
    one, lends its items' presentation and feedback (the same in both files) to copy."""
    quiz = res.quiz
    doc = root(version.profile_xsd("qtiasiv1p2p1_v1p0"))
    assessment = sub(doc, "assessment", ident=res.ident, title=quiz.title)
    metadata(assessment, [("cc_maxattempts", max_attempts(quiz.attempts))])
    section = sub(assessment, "section", ident="root_section")
    twins = twin.iter(ITEM) if twin is not None else None
    for spec in specs:
        item, itemmetadata = new_item(section, spec)
        metadata(itemmetadata, [
            ("question_type", QUESTION_TYPE[spec.type]),
            ("points_possible", points_text(spec.points)),
        ])
        other = next(twins) if twins is not None else None
        if other is not None:
            assert other.get("ident") == spec.ident
            copy_presentation(item, other)
        else:
            presentation(item, spec)
        _resprocessing(item, spec)
        if other is not None:
            copy_itemfeedbacks(item, other)
        else:
            itemfeedbacks(item, feedback_list(spec))
    return doc
