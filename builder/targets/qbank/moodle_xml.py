"""Moodle XML: the question bank format Moodle imports with everything kept.

One category per quiz under one for the course; every type with its feedback (per choice, right,
partly right, wrong, general), penalty, shuffling and case sensitivity. Written with lxml; HTML
goes in CDATA (Moodle's own exports do the same).
"""

from __future__ import annotations

import jinja2
from lxml import etree

from ...diagnostics import Diagnostics
from ...model import Course, QuestionType
from ..base import Target
from ..cc.qti_xml import set_html
from ..xmlfile import xml_bytes
from .common import (
    BankQuestion,
    bank_questions,
    category_path,
    choice_fractions,
    course_category,
    fraction_text,
    penalty,
)

QTYPE = {
    QuestionType.MULTIPLE_CHOICE: "multichoice",
    QuestionType.MULTIPLE_RESPONSE: "multichoice",
    QuestionType.TRUE_FALSE: "truefalse",
    QuestionType.FILL_IN_BLANK: "shortanswer",
    QuestionType.ESSAY: "essay",
}


def _sub(parent: etree._Element, tag: str, text=None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _text(parent: etree._Element, tag: str, html: str, **attrs: str) -> etree._Element:
    """``<tag format="html"><text>HTML</text></tag>``."""
    box = _sub(parent, tag, format="html", **attrs)
    text = _sub(box, "text")
    if html:
        set_html(text, html)
    return box


def _category(root: etree._Element, path: str) -> None:
    question = _sub(root, "question", type="category")
    _sub(_sub(question, "category"), "text", path)
    _text(question, "info", "")


def _answer(parent: etree._Element, fraction: float, text: str, feedback_html: str, html: bool = True) -> None:
    answer = _sub(parent, "answer", fraction=fraction_text(fraction), format="html" if html else "plain_text")
    if html:
        set_html(_sub(answer, "text"), text)
    else:
        _sub(answer, "text", text)
    _text(answer, "feedback", feedback_html)


def _question(root: etree._Element, bq: BankQuestion) -> None:
    q, quiz = bq.question, bq.quiz
    el = _sub(root, "question", type=QTYPE[q.type])
    _sub(_sub(el, "name"), "text", q.title)
    _text(el, "questiontext", bq.text_html)
    _text(el, "generalfeedback", bq.general_html)
    _sub(el, "defaultgrade", f"{q.points:g}")
    _sub(el, "penalty", f"{penalty(q):.7f}")
    _sub(el, "hidden", "0")
    _sub(el, "idnumber", q.id)
    fb = q.feedback
    if q.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        _sub(el, "single", "true" if q.type is QuestionType.MULTIPLE_CHOICE else "false")
        _sub(el, "shuffleanswers", "true" if quiz.shuffle else "false")
        _sub(el, "answernumbering", "abc")
        _sub(el, "showstandardinstruction", "0")
        _text(el, "correctfeedback", fb.correct_html)
        # partly right (multiple response): the wrong-answer feedback says what is missing
        _text(el, "partiallycorrectfeedback", fb.incorrect_html)
        _text(el, "incorrectfeedback", fb.incorrect_html)
        if q.type is QuestionType.MULTIPLE_RESPONSE:
            _sub(el, "shownumcorrect")
        for choice, fraction in zip(q.choices, choice_fractions(q)):
            _answer(el, fraction, choice.text_html, choice.feedback_html)
    elif q.type is QuestionType.TRUE_FALSE:
        for choice in q.choices:  # ids "true" and "false": the texts Moodle matches on
            answer = _sub(el, "answer", fraction="100" if choice.correct else "0", format="moodle_auto_format")
            _sub(answer, "text", choice.id)
            _text(answer, "feedback", choice.feedback_html)
    elif q.type is QuestionType.FILL_IN_BLANK:
        _sub(el, "usecase", "1" if q.case_sensitive else "0")
        for accepted in q.answers:
            # '*' is Moodle's wildcard in short answers: a literal one is written '\*'
            _answer(el, 100, accepted.replace("*", "\\*"), fb.correct_html, html=False)
        if fb.incorrect_html:
            _answer(el, 0, "*", fb.incorrect_html, html=False)  # any other answer
    else:
        _sub(el, "responseformat", "editor")
        _sub(el, "responserequired", "1")
        _sub(el, "responsefieldlines", "10")
        _sub(el, "attachments", "0")
        _sub(el, "attachmentsrequired", "0")
        _text(el, "graderinfo", q.sample_answer_html)
        _text(el, "responsetemplate", "")


def moodle_xml(course: Course, questions: list[BankQuestion]) -> bytes:
    root = etree.Element("quiz")
    _category(root, course_category(course))
    current = None
    for bq in questions:
        if bq.quiz is not current:
            current = bq.quiz
            _category(root, category_path(course, current))
        _question(root, bq)
    return xml_bytes(root)


class MoodleXmlTarget(Target):
    name = "moodle-xml"
    label = "Moodle XML question bank"
    output = "file"
    after_import = {
        "Moodle": ("Question bank > Import > Moodle XML format: one category per quiz under the course's.",),
    }

    def filename(self, course: Course) -> str:
        return f"{course.id}-questions.xml"

    def build(self, course: Course, env: jinja2.Environment, diagnostics: Diagnostics) -> dict[str, bytes]:
        return {self.filename(course): moodle_xml(course, bank_questions(course, env, diagnostics))}
