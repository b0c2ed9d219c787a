"""Load one quiz file (``quizzes/<id>.yaml``), written by instructors who are not programmers.

Every mistake is reported at its line with a plain-words fix; loading goes on after a mistake so
the instructor sees them all at once.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from typing import Optional

from ..diagnostics import Diagnostics, did_you_mean
from ..model import Choice, Feedback, Position, Question, QuestionType, Quiz
from ..textutil import short_hash, strip_markdown
from .fields import Fields, type_name
from .filesafety import read_text
from .limits import MAX_QUESTIONS_PER_QUIZ
from .markdown_render import MarkdownRenderer
from .yamlpos import PosDict, load_yaml

QUIZ_KEYS = ("title", "description", "attempts", "shuffle", "questions")
COMMON_KEYS = ("type", "id", "prompt", "points", "feedback")
TYPE_KEYS = {
    QuestionType.MULTIPLE_CHOICE: ("choices",),
    QuestionType.MULTIPLE_RESPONSE: ("choices",),
    QuestionType.TRUE_FALSE: ("answer",),
    QuestionType.FILL_IN_BLANK: ("answers", "case_sensitive"),
    QuestionType.ESSAY: ("guidance", "sample_answer"),
}
TYPE_NAMES = tuple(t.value for t in QuestionType)
ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
# Canvas files any feedback whose id contains one of these as general feedback (canvas-import.md).
RESERVED_ID_WORDS = re.compile(r"correct|wrong|general|_all", re.I)


def check_id(ident: str, pos: Position, d: Diagnostics, what: str) -> bool:
    if not ID_PATTERN.match(ident):
        d.error(pos, f"{what} id '{ident}' is not valid", "use letters, digits, '-' and '_', starting with a letter")
        return False
    if RESERVED_ID_WORDS.search(ident):
        d.error(pos, f"{what} id '{ident}' contains a reserved word ({RESERVED_ID_WORDS.search(ident).group(0)})",
                "Canvas would file its feedback in the wrong place: choose an id without correct, wrong, general or _all")
        return False
    return True


class QuizLoader:
    def __init__(self, renderer: MarkdownRenderer, diagnostics: Diagnostics, question_ids: dict,
                 true_false: tuple[str, str] = ("True", "False")):
        self.r = renderer
        self.d = diagnostics
        self.question_ids = question_ids  # id -> Position, unique across the course
        self.true_false = true_false  # the two choices' texts, in the course language

    def load(self, path: Path, file: str, quiz_id: str) -> Optional[Quiz]:
        try:
            text = read_text(path).lstrip("\ufeff")  # checked by the caller; never blocks
        except UnicodeDecodeError as exc:
            self.d.error(Position(file, 1), f"file is not UTF-8 text ({exc.reason})", "save the file as UTF-8")
            return None
        data, ok = load_yaml(text, file, self.d)
        if not ok:
            return None
        if not isinstance(data, PosDict):
            self.d.error(Position(file, 1, 1), "a quiz file must be 'key: value' lines",
                         "start with 'title: …' and 'questions:' (see docs/source-format.md)")
            return None
        f = Fields(data, self.d, "the quiz", QUIZ_KEYS)
        title = f.title("title", hint="add 'title: …' at the top of the file") or quiz_id
        attempts = self._attempts(f)
        questions_data = f.sequence("questions", required=True, hint="add 'questions:' followed by a list of questions")
        if questions_data is not None and len(questions_data) > MAX_QUESTIONS_PER_QUIZ:
            self.d.error(f.where("questions"), f"the quiz has {len(questions_data)} questions, more than the limit "
                         f"of {MAX_QUESTIONS_PER_QUIZ}", "split it into several quizzes (docs/security.md lists the limits)")
            return None
        questions = []
        for index, item in enumerate(questions_data or []):
            where = questions_data.where(index)
            if not isinstance(item, PosDict):
                self.d.error(where, f"question {index + 1} must be 'key: value' lines",
                             "start each question with '- type: …' and indent its other lines")
                continue
            question = self._question(item, index + 1, quiz_id)
            if question is not None:
                questions.append(question)
        if questions_data is not None and not questions_data:
            self.d.error(f.where("questions"), "the quiz has no questions", "add at least one question")
        description = f.text("description") or ""
        return Quiz(
            id=quiz_id, title=title,
            description_html=self.r.block(description, f.where("description")) if description else "",
            questions=tuple(questions), pos=Position(file, 1, 1), attempts=attempts,
            shuffle=f.boolean("shuffle", False),
        )

    def _attempts(self, f: Fields) -> Optional[int]:
        value = f.raw("attempts")
        if value is None or (isinstance(value, str) and value.strip().lower() == "unlimited"):
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.d.error(f.where("attempts"), f"attempts must be a whole number of at least 1 or 'unlimited', not {value!r}",
                         "write for example 'attempts: 3' or 'attempts: unlimited'")
            return None
        return value

    def _question(self, data: PosDict, number: int, quiz_id: str) -> Optional[Question]:
        what = f"question {number}"
        type_value = data.get("type")
        qtype = None
        if type_value is None:
            self.d.error(data.pos, f"{what} has no 'type'", f"add 'type:' with one of {', '.join(TYPE_NAMES)}")
        else:
            try:
                qtype = QuestionType(str(type_value).strip().lower())
            except ValueError:
                guess = did_you_mean(str(type_value), TYPE_NAMES)
                hint = f"did you mean '{guess}'?" if guess else f"use one of {', '.join(TYPE_NAMES)}"
                self.d.error(data.where("type"), f"unknown question type '{type_value}'", hint)
        allowed = COMMON_KEYS + (TYPE_KEYS[qtype] if qtype else tuple(k for keys in TYPE_KEYS.values() for k in keys))
        f = Fields(data, self.d, what, allowed)
        prompt = f.text("prompt", required=True, hint="add 'prompt:' — the question the learner reads")
        points = f.number("points", 1.0, minimum=0, exclusive_min=True)
        ident = self._question_id(f, prompt or str(number), quiz_id)
        if qtype is None or prompt is None:
            return None
        prompt_html = self.r.inline(prompt, lambda: f.where("prompt"))
        feedback = self._general_feedback(f, qtype)
        common = dict(id=ident, type=qtype, prompt=prompt, prompt_html=prompt_html, points=points,
                      pos=data.pos, feedback=feedback)
        if qtype in (QuestionType.MULTIPLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
            choices = self._choices(f, qtype, ident, what)
            return Question(choices=choices, **common) if choices is not None else None
        if qtype is QuestionType.TRUE_FALSE:
            return self._true_false(f, common, what)
        if qtype is QuestionType.FILL_IN_BLANK:
            answers = tuple(a.strip() for a in f.text_list("answers", required=True,
                            hint="add 'answers:' with every answer you accept, e.g. answers: [talk]"))
            if any(not a for a in answers):
                self.d.error(f.where("answers"), "an accepted answer is empty", "remove the empty answer")
            return Question(answers=answers, case_sensitive=f.boolean("case_sensitive", False), **common)
        guidance, sample = f.text("guidance") or "", f.text("sample_answer") or ""
        return Question(guidance_html=self.r.block(guidance, f.where("guidance")) if guidance else "",
                        sample_answer_html=self.r.block(sample, f.where("sample_answer")) if sample else "",
                        **common)

    def _question_id(self, f: Fields, prompt: str, quiz_id: str) -> str:
        ident = f.text("id")
        if ident is not None:
            if not check_id(ident, f.where("id"), self.d, "question"):
                ident = None
        if ident is None:
            # Derived from the prompt, so editing one question never renumbers the others.
            ident = f"q-{short_hash(quiz_id, strip_markdown(prompt))}"
        if ident in self.question_ids:
            self.d.error(f.where("id") if f.has("id") else f.pos,
                         f"duplicate question id '{ident}' (also at {self.question_ids[ident]})",
                         "give each question its own id (ids must be unique across all quizzes)")
        else:
            self.question_ids[ident] = f.where("id") if f.has("id") else f.pos
        return ident

    def _general_feedback(self, f: Fields, qtype: QuestionType) -> Feedback:
        data = f.raw("feedback")
        if data is None:
            return Feedback()
        if qtype is QuestionType.TRUE_FALSE:
            return Feedback()  # true/false feedback is per answer, read in _true_false
        if not isinstance(data, PosDict):
            self.d.error(f.where("feedback"), f"'feedback' must be correct/incorrect/general lines, not {type_name(data)}",
                         "write it as 'feedback:' followed by indented 'correct: …' and 'incorrect: …' lines")
            return Feedback()
        g = Fields(data, self.d, "the feedback", ("correct", "incorrect", "general"))
        render = lambda key: self.r.block(g.text(key), lambda: g.where(key)) if g.has(key) else ""  # noqa: E731
        return Feedback(correct_html=render("correct"), incorrect_html=render("incorrect"), general_html=render("general"))

    def _choices(self, f: Fields, qtype: QuestionType, qid: str, what: str) -> Optional[tuple[Choice, ...]]:
        items = f.sequence("choices", required=True, hint="add 'choices:' with a list of '- text: …' lines")
        if items is None:
            return None
        choices = []
        for index, item in enumerate(items):
            if isinstance(item, str):
                item_pos = items.where(index)
                self.d.error(item_pos, f"choice {index + 1} of {what} is plain text",
                             "write it as '- text: …' (and add 'correct: true' to the right one)")
                continue
            if not isinstance(item, PosDict):
                self.d.error(items.where(index), f"choice {index + 1} of {what} must be 'text: …' lines", "")
                continue
            c = Fields(item, self.d, f"choice {index + 1} of {what}", ("text", "correct", "feedback"))
            text = c.text("text", required=True, hint="add 'text:' — what the learner sees")
            if text is None:
                continue
            feedback = c.text("feedback") or ""
            choices.append(Choice(id=f"{qid}_a{index + 1}", text=text, text_html=self.r.inline(text, lambda: c.where("text")),
                                  correct=c.boolean("correct", False),
                                  feedback_html=self.r.block(feedback, lambda: c.where("feedback")) if feedback else "",
                                  pos=item.pos))
        if len(items) < 2:
            self.d.error(f.where("choices"), f"{what} has {len(items)} choice(s)", "give at least two choices")
        correct = sum(c.correct for c in choices)
        if qtype is QuestionType.MULTIPLE_CHOICE and len(choices) == len(items) and correct != 1:
            if correct == 0:
                self.d.error(f.where("choices"), f"{what} (multiple_choice) has no correct choice",
                             "add 'correct: true' to the right choice")
            else:
                self.d.error(f.where("choices"), f"{what} (multiple_choice) has {correct} correct choices",
                             "a multiple_choice question has exactly one; use 'type: multiple_response' for more")
        if qtype is QuestionType.MULTIPLE_RESPONSE and len(choices) == len(items) and correct == 0:
            self.d.error(f.where("choices"), f"{what} (multiple_response) has no correct choice",
                         "add 'correct: true' to each right choice")
        return tuple(choices)

    def _true_false(self, f: Fields, common: dict, what: str) -> Optional[Question]:
        answer = f.raw("answer")
        if not isinstance(answer, bool):
            if answer is None:
                self.d.error(f.pos, f"{what} (true_false) has no 'answer'", "add 'answer: true' or 'answer: false'")
            else:
                self.d.error(f.where("answer"), f"'answer' must be true or false, not {answer!r}",
                             "write answer: true or answer: false (without quotes)")
            return None
        per_answer = {True: "", False: ""}
        general_html = ""
        data = f.raw("feedback")
        if isinstance(data, PosDict):
            given: dict = {}  # truth -> the key that gave its feedback, to catch 'true:' with 'correct:'
            for key, value in data.items():
                truth = key if isinstance(key, bool) else {"true": True, "false": False}.get(str(key).lower())
                if truth is None and key in ("correct", "incorrect"):
                    # the keys every other type takes: feedback for a right / a wrong answer
                    truth = answer if key == "correct" else not answer
                if truth is None and key != "general":
                    self.d.error(data.where_key(key), f"unknown key '{key}' in the feedback",
                                 "a true_false question takes 'correct:' and 'incorrect:' (or 'true:' and 'false:', "
                                 "feedback for each answer) and 'general:'")
                elif truth is not None and truth in given:
                    self.d.error(data.where_key(key), f"'{key}' gives the same feedback as '{given[truth]}'",
                                 "use either correct/incorrect or true/false, not both")
                elif value is not None and truth is not None:
                    given[truth] = str(key).lower() if isinstance(key, bool) else key
                    per_answer[truth] = self.r.block(str(value), lambda: data.where(key))
                elif value is not None:
                    general_html = self.r.block(str(value), data.where(key))
        elif data is not None:
            self.d.error(f.where("feedback"), f"'feedback' must be correct/incorrect lines, not {type_name(data)}",
                         "write it as 'feedback:' followed by indented 'correct: …' and 'incorrect: …' lines")
        pos = common["pos"]
        choices = tuple(
            Choice(id=value, text=label, text_html=html_lib.escape(label), correct=(truth == answer),
                   feedback_html=per_answer[truth], pos=pos)
            for truth, value, label in ((True, "true", self.true_false[0]), (False, "false", self.true_false[1]))
        )
        common["feedback"] = Feedback(general_html=general_html)
        return Question(choices=choices, answer=answer, **common)
