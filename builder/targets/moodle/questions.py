"""``questions.xml``: each quiz's questions, in Moodle's own question types.

Every quiz gets its own category in the quiz's context (Moodle's "Default for <quiz>" place;
Moodle 5 keeps a quiz's own questions there too), named after the course and the quiz, under
that context's ``top`` category. One question bank entry per question, version 1, ready.

Scoring, the Moodle way (fractions of the question's mark):

* multiple choice: the correct choice 1, the others 0;
* multiple response: each correct choice 1/k, each wrong choice -1/w (so ticking everything
  scores 0; Moodle clamps the total to 0..1) — partial credit, where SCORM is all-or-nothing;
* true/false: the right answer 1;
* fill in the blank (shortanswer): each accepted answer 1, then a ``*`` wildcard scoring 0 that
  carries the "incorrect" feedback; a literal ``*`` in an accepted answer is escaped;
* essay: 0 marks in the quiz (the course never scores essays); the guidance and the sample
  answer go to the grader information, the sample answer to the general feedback as well.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from ... import i18n
from ...model import Course, Question, QuestionType, Quiz
from .ids import Ids
from .media import FileArea, MediaLinks
from .mxml import decimal, name_field, node, to_bytes

CONTEXT_MODULE = 70
FORMAT_PLAIN, FORMAT_HTML = 0, 1  # FORMAT_MOODLE = 0 is plain text in answer fields
PENALTY = {  # Moodle's defaults (only the adaptive behaviours use them)
    QuestionType.MULTIPLE_CHOICE: 0.3333333, QuestionType.MULTIPLE_RESPONSE: 0.3333333,
    QuestionType.TRUE_FALSE: 1.0, QuestionType.FILL_IN_BLANK: 0.3333333, QuestionType.ESSAY: 0.0,
}
QTYPE = {
    QuestionType.MULTIPLE_CHOICE: "multichoice", QuestionType.MULTIPLE_RESPONSE: "multichoice",
    QuestionType.TRUE_FALSE: "truefalse", QuestionType.FILL_IN_BLANK: "shortanswer",
    QuestionType.ESSAY: "essay",
}


def mark(question: Question) -> float:
    """The question's mark in the quiz: its points; essays 0, as the course never scores them."""
    return float(question.points) if question.type.auto_graded else 0.0


@dataclass(frozen=True)
class BankedQuestion:
    question: Question
    entry: int  # question_bank_entry id: what a quiz slot refers to
    id: int  # question id


@dataclass(frozen=True)
class QuizBank:
    top: int  # the context's "top" category
    category: int
    name: str
    questions: tuple[BankedQuestion, ...]

    @property
    def category_ids(self) -> list[int]:
        return [self.top, self.category]


def allocate(ids: Ids, course: Course, quiz: Quiz) -> QuizBank:
    return QuizBank(
        top=ids.next("question_category"),
        category=ids.next("question_category"),
        name=name_field(f"{course.title}: {quiz.title}"),
        questions=tuple(BankedQuestion(q, ids.next("question_bank_entry"), ids.next("question")) for q in quiz.questions),
    )


def escape_wildcard(answer: str) -> str:
    return answer.replace("\\", "\\\\").replace("*", "\\*")


class QuestionsWriter:
    def __init__(self, course: Course, env: jinja2.Environment, ids: Ids, media: MediaLinks, timestamp: int) -> None:
        self.course, self.ids, self.media, self.timestamp = course, ids, media, timestamp
        self.context = 0  # of the category being written: question files live there
        self.qid = 0  # the question being written
        self.cc_fragments = env.get_template("cc/fragments.html").module
        self.fragments = env.get_template("moodle/fragments.html").module
        self.root = node(None, "question_categories")

    def stamp(self, *parts: object) -> str:
        return "+".join(["build-course", self.course.id, *map(str, parts)])

    def add_bank(self, bank: QuizBank, context: int, cmid: int, quiz_key: str) -> None:
        self.context = context
        common = [("contextid", context), ("contextlevel", CONTEXT_MODULE), ("contextinstanceid", cmid)]
        top = node(self.root, "question_category", {"id": bank.top}, [
            ("name", "top"), *common, ("info", ""), ("infoformat", FORMAT_PLAIN),
            ("stamp", self.stamp(quiz_key, "top")), ("parent", 0), ("sortorder", 0), ("idnumber", None)])
        node(top, "question_bank_entries")
        category = node(self.root, "question_category", {"id": bank.category}, [
            ("name", bank.name), *common, ("info", ""), ("infoformat", FORMAT_HTML),
            ("stamp", self.stamp(quiz_key)), ("parent", bank.top), ("sortorder", 999), ("idnumber", None)])
        entries = node(category, "question_bank_entries")
        for banked in bank.questions:
            entry = node(entries, "question_bank_entry", {"id": banked.entry}, [
                ("questioncategoryid", bank.category), ("idnumber", None), ("ownerid", None)])
            version = node(node(entry, "question_version"), "question_versions", {"id": banked.entry},
                           [("version", 1), ("status", "ready")])
            self.question(node(version, "questions"), banked)

    def html(self, text: str, filearea: str, itemid: int, component: str = "question") -> str:
        # in the course's direction whatever Moodle's interface language (builder/i18n)
        return self.media.rewrite(i18n.lms_html(text), FileArea(self.context, component, filearea, itemid))

    def question(self, parent, banked: BankedQuestion) -> None:
        q = banked.question
        self.qid = banked.id
        qtype = QTYPE[q.type]
        text, general = q.prompt_html, q.feedback.general_html
        if q.type is QuestionType.ESSAY:
            text = str(self.cc_fragments.essay_prompt(q)).strip()
            general = str(self.cc_fragments.essay_general_feedback(q)).strip()
        element = node(parent, "question", {"id": banked.id}, [
            ("parent", 0), ("name", q.title), ("questiontext", self.html(text, "questiontext", banked.id)),
            ("questiontextformat", FORMAT_HTML), ("generalfeedback", self.html(general, "generalfeedback", banked.id)), ("generalfeedbackformat", FORMAT_HTML),
            ("defaultmark", decimal(mark(q))), ("penalty", decimal(PENALTY[q.type])), ("qtype", qtype),
            ("length", 1), ("stamp", self.stamp("question", q.id)),
            ("timecreated", self.timestamp), ("timemodified", self.timestamp),
            ("createdby", None), ("modifiedby", None),
        ])
        plugin = node(element, f"plugin_qtype_{qtype}_question")
        getattr(self, qtype)(plugin, q)
        node(element, "question_hints")
        node(element, "tags")

    def answers(self, plugin, rows) -> list[int]:
        answers = node(plugin, "answers")
        idents = []
        for text, textformat, fraction, feedback in rows:
            ident = self.ids.next("question_answer")
            idents.append(ident)
            if textformat == FORMAT_HTML:
                text = self.html(text, "answer", ident)
            node(answers, "answer", {"id": ident}, [
                ("answertext", text), ("answerformat", textformat), ("fraction", decimal(fraction)),
                ("feedback", self.html(feedback, "answerfeedback", ident)), ("feedbackformat", FORMAT_HTML)])
        return idents

    def multichoice(self, plugin, q: Question) -> None:
        single = q.type is QuestionType.MULTIPLE_CHOICE
        right = sum(1 for c in q.choices if c.correct)
        wrong = len(q.choices) - right
        rows = []
        for c in q.choices:
            if single:
                fraction = 1.0 if c.correct else 0.0
            else:
                fraction = 1.0 / right if c.correct else -1.0 / wrong
            rows.append((c.text_html, FORMAT_HTML, fraction, c.feedback_html))
        self.answers(plugin, rows)
        fb = q.feedback
        node(plugin, "multichoice", {"id": self.ids.next("qtype_multichoice_options")}, [
            ("layout", 0), ("single", single), ("shuffleanswers", 1),
            ("correctfeedback", self.html(fb.correct_html, "correctfeedback", self.qid)),
            ("correctfeedbackformat", FORMAT_HTML),
            # Partly right is not right: the learner gets the "incorrect" feedback and the count.
            ("partiallycorrectfeedback", self.html(fb.incorrect_html, "partiallycorrectfeedback", self.qid)),
            ("partiallycorrectfeedbackformat", FORMAT_HTML),
            ("incorrectfeedback", self.html(fb.incorrect_html, "incorrectfeedback", self.qid)),
            ("incorrectfeedbackformat", FORMAT_HTML),
            ("answernumbering", "abc"), ("shownumcorrect", 1), ("showstandardinstruction", 1),
        ])

    def truefalse(self, plugin, q: Question) -> None:
        labels = {c.id: c for c in q.choices}
        rows = []
        for key in ("true", "false"):
            choice = labels[key]
            right = (key == "true") == bool(q.answer)
            feedback = choice.feedback_html or (q.feedback.correct_html if right else q.feedback.incorrect_html)
            rows.append((str(self.fragments.truefalse_label(key)).strip(), FORMAT_PLAIN, 1.0 if right else 0.0, feedback))
        true_id, false_id = self.answers(plugin, rows)
        node(plugin, "truefalse", {"id": self.ids.next("question_truefalse")}, [
            ("trueanswer", true_id), ("falseanswer", false_id), ("showstandardinstruction", 0)])

    def shortanswer(self, plugin, q: Question) -> None:
        rows = [(escape_wildcard(a), FORMAT_PLAIN, 1.0, q.feedback.correct_html) for a in q.answers]
        if q.feedback.incorrect_html:
            rows.append(("*", FORMAT_PLAIN, 0.0, q.feedback.incorrect_html))
        self.answers(plugin, rows)
        node(plugin, "shortanswer", {"id": self.ids.next("qtype_shortanswer_options")},
             [("usecase", q.case_sensitive)])

    def essay(self, plugin, q: Question) -> None:
        node(plugin, "essay", {"id": self.ids.next("qtype_essay_options")}, [
            ("responseformat", "editor"), ("responserequired", 1), ("responsefieldlines", 10),
            ("minwordlimit", None), ("maxwordlimit", None), ("attachments", 0), ("attachmentsrequired", 0),
            ("graderinfo", self.html(str(self.fragments.essay_graderinfo(q)).strip(), "graderinfo", self.qid, "qtype_essay")),
            ("graderinfoformat", FORMAT_HTML),
            ("responsetemplate", ""), ("responsetemplateformat", FORMAT_HTML),
            ("filetypeslist", ""), ("maxbytes", 0),
        ])

    def to_bytes(self) -> bytes:
        return to_bytes(self.root)
