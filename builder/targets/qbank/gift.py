"""GIFT: Moodle's plain-text question format, escaped by its own rules (qformat_gift).

In GIFT, ``~ = # { } :`` and the backslash are syntax and are written ``\\~ \\= \\# \\{ \\} \\: \\\\``;
a line break ends nothing only when written ``\\n`` (a blank line ends a question). Texts are
HTML (``[html]`` on the question text sets the format of everything in the question).
What GIFT cannot say (case-sensitive answers, right/wrong feedback on choice questions, penalties)
is reported as a warning or left to Moodle's defaults, never dropped silently.
"""

from __future__ import annotations

import jinja2

from ...diagnostics import Diagnostics
from ...model import Course, QuestionType
from ..base import Target
from .common import BankQuestion, bank_questions, category_path, choice_fractions, course_category, fraction_text

_RESERVED = {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:",
             "\n": "\\n", "\r": ""}


def escape(text: str) -> str:
    """Escape one piece of text the way Moodle's GIFT exporter does (qformat_gift::repchar)."""
    return "".join(_RESERVED.get(ch, ch) for ch in text)


def _part(html: str) -> str:
    """An answer or a feedback: escaped; a leading '[' would be read as a format name, so name one."""
    text = escape(html.strip())
    return f"[html]{text}" if text.startswith("[") else text


def _feedback(html: str) -> str:
    return f"#{_part(html)}" if html.strip() else ""


def question_gift(bq: BankQuestion, diagnostics: Diagnostics) -> str:
    q = bq.question
    lines = [f"// [id:{q.id}]", f"::{escape(q.title)}::[html]{escape(bq.text_html)} {{"]
    fb = q.feedback
    if q.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        for choice, percent in zip(q.choices, choice_fractions(q)):
            # multiple response: always a weight, since one '=' would make Moodle read a single-answer question
            mark = ("=" if choice.correct else "~") if q.type is QuestionType.MULTIPLE_CHOICE else f"~%{fraction_text(percent)}%"
            lines.append(f"\t{mark}{_part(choice.text_html)}{_feedback(choice.feedback_html)}")
        if fb.correct_html or fb.incorrect_html:
            diagnostics.warning(q.pos, "GIFT has no place for the right/wrong feedback of a choice question; "
                                "it is left out of the .gift file", "give each choice its own feedback, "
                                "or use -f moodle-xml, which keeps it", code="gift-combined-feedback")
    elif q.type is QuestionType.TRUE_FALSE:
        right = next(c for c in q.choices if c.correct)
        wrong = next(c for c in q.choices if not c.correct)
        # {TRUE#shown when wrong#shown when right}
        parts = ["TRUE" if q.answer else "FALSE", f"#{_part(wrong.feedback_html)}" if (wrong.feedback_html or right.feedback_html) else "",
                 f"#{_part(right.feedback_html)}" if right.feedback_html else ""]
        lines.append("\t" + "".join(parts))
    elif q.type is QuestionType.FILL_IN_BLANK:
        for accepted in q.answers:
            lines.append(f"\t={escape(accepted).replace('*', chr(92) + '*')}{_feedback(fb.correct_html)}")
        if fb.incorrect_html:
            lines.append(f"\t=%0%*{_feedback(fb.incorrect_html)}")  # any other answer
        if q.case_sensitive:
            diagnostics.warning(q.pos, "GIFT cannot mark a short answer case-sensitive; Moodle will accept any case",
                                "use -f moodle-xml, which keeps case sensitivity", code="gift-case-sensitive")
    if bq.general_html:
        lines.append(f"\t####{_part(bq.general_html)}")
    lines.append("}")
    return "\n".join(lines)


def gift(course: Course, questions: list[BankQuestion], diagnostics: Diagnostics) -> bytes:
    blocks = [f"$CATEGORY: {course_category(course)}"]
    current = None
    for bq in questions:
        if bq.quiz is not current:
            current = bq.quiz
            blocks.append(f"$CATEGORY: {category_path(course, current)}")
        blocks.append(question_gift(bq, diagnostics))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


class GiftTarget(Target):
    name = "gift"
    label = "GIFT question bank"
    output = "file"
    after_import = {"Moodle": ("Question bank > Import > GIFT format (penalties and case sensitivity: use Moodle XML).",)}

    def filename(self, course: Course) -> str:
        return f"{course.id}-questions.gift"

    def build(self, course: Course, env: jinja2.Environment, diagnostics: Diagnostics) -> dict[str, bytes]:
        return {self.filename(course): gift(course, bank_questions(course, env, diagnostics), diagnostics)}
