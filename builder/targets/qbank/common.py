"""What the three question-bank writers share: which questions, their texts, the category names."""

from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2

from ...diagnostics import Diagnostics
from ...model import Course, Question, QuestionType, Quiz
from ...textutil import clip

# Moodle's grade and penalty menus: an imported value off these lists shows as "custom" in the
# editing form, and the multiple-response check (fractions adding to 100%) rounds to 2 decimals.
PENALTIES = (1.0, 0.5, 0.3333333, 0.25, 0.2, 0.1, 0.0)
_MEDIA = re.compile(r"""(?:src|href)="media/""")


@dataclass(frozen=True)
class BankQuestion:
    """One question with the texts every bank format writes."""

    quiz: Quiz
    question: Question
    text_html: str  # the question text (an essay's guidance included)
    general_html: str  # general feedback (an essay's sample answer included)

    @property
    def type(self) -> QuestionType:
        return self.question.type


def bank_questions(course: Course, env: jinja2.Environment, diagnostics: Diagnostics) -> list[BankQuestion]:
    """Every quiz question of the course, in outline order; warns about what a bank cannot carry."""
    warn_media(course, diagnostics)
    fragments = env.get_template("cc/fragments.html").module
    found = []
    for quiz in course.quizzes:
        for q in quiz.questions:
            if q.type is QuestionType.ESSAY:
                text, general = str(fragments.essay_prompt(q)), str(fragments.essay_general_feedback(q))
            else:
                text, general = q.prompt_html, q.feedback.general_html
            found.append(BankQuestion(quiz, q, text.strip(), general.strip()))
    return found


def warn_media(course: Course, diagnostics: Diagnostics) -> None:
    """A question that shows a file from course/media/: a bank file cannot carry it."""
    for quiz in course.quizzes:
        for q in quiz.questions:
            if any(_MEDIA.search(html) for html in texts_of(q)):
                diagnostics.warning(q.pos, "this question shows a file from course/media/, which a question bank "
                                    "file does not carry", "upload the file to the LMS and link it there, or use "
                                    "the cartridge (cc1.1), which carries media", code="qbank-media")


def texts_of(q: Question) -> list[str]:
    """Every text of a question as the author wrote it (an essay's guidance and sample answer too)."""
    f = q.feedback
    return [q.prompt_html, q.guidance_html, q.sample_answer_html, f.general_html, f.correct_html, f.incorrect_html] + [
        c.text_html for c in q.choices] + [c.feedback_html for c in q.choices]


def choice_fractions(question: Question) -> list[float]:
    """Percent of the mark each choice gives, Moodle's way.

    Multiple response: the right choices share 100%; each wrong one takes it all away again (Moodle
    never goes below 0), the nearest Moodle gets to the all-or-nothing scoring of the packages.
    """
    if question.type is not QuestionType.MULTIPLE_RESPONSE:
        return [100.0 if c.correct else 0.0 for c in question.choices]
    right = max(1, len(question.correct_choices))
    return [round(100 / right, 5) if c.correct else -100.0 for c in question.choices]


def fraction_text(percent: float) -> str:
    return f"{percent:.5f}".rstrip("0").rstrip(".")


def penalty(question: Question) -> float:
    """Penalty for each wrong try (interactive/adaptive modes): guessing should not pay."""
    if question.type is QuestionType.ESSAY:
        return 0.0
    if question.type is QuestionType.TRUE_FALSE:
        return 1.0
    if question.type is QuestionType.FILL_IN_BLANK:
        return PENALTIES[2]
    wrong = max(1, sum(not c.correct for c in question.choices))
    return min(PENALTIES, key=lambda p: abs(p - 1 / wrong))


def _category_name(text: str) -> str:
    # Moodle's name column holds 255 characters (a longer one stops the whole import);
    # then Moodle's escape for a '/' inside a category name.
    return clip(text.strip(), 255).replace("/", "//")


def course_category(course: Course) -> str:
    """``$course$/top/<course>``: the course's category in the bank of the course imported into."""
    return f"$course$/top/{_category_name(course.title)}"


def category_path(course: Course, quiz: Quiz) -> str:
    """``$course$/top/<course>/<quiz>``: one category per quiz under the course's."""
    return f"{course_category(course)}/{_category_name(quiz.title)}"
