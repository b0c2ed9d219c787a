"""A small hand-made course for the SCORM unit tests: every question type, reflections with and
without max_length, a passing score, and text that must be escaped."""

from __future__ import annotations

import dataclasses

from builder.model import (
    Choice,
    Completion,
    Course,
    Feedback,
    HtmlBlock,
    Module,
    Position,
    Question,
    QuestionType,
    Quiz,
    ReflectionBlock,
    Source,
)

POS = Position("course/modules/01-one.md", 1)


def _choice(cid: str, text: str, correct: bool) -> Choice:
    return Choice(cid, text, text, correct, f"<p>About {text}</p>", POS)


def questions() -> tuple[Question, ...]:
    return (
        Question("mc", QuestionType.MULTIPLE_CHOICE, "Pick one", "<p>Pick one</p>", 1.0, POS,
                 choices=(_choice("a1", "One", True), _choice("a2", "Two", False), _choice("a3", "Three", False)),
                 feedback=Feedback("<p>Yes</p>", "<p>No</p>", "<p>Always</p>")),
        Question("mr", QuestionType.MULTIPLE_RESPONSE, "Pick some", "<p>Pick some</p>", 2.0, POS,
                 choices=(_choice("b1", "A", True), _choice("b2", "B", False), _choice("b3", "C", True))),
        Question("tf", QuestionType.TRUE_FALSE, "Is it?", "<p>Is it?</p>", 1.0, POS,
                 choices=(_choice("true", "True", False), _choice("false", "False", True)), answer=False),
        Question("fill", QuestionType.FILL_IN_BLANK, "Walk the ___", "<p>Walk the ___</p>", 1.0, POS,
                 answers=("talk", "walk"), case_sensitive=False),
        Question("essay", QuestionType.ESSAY, "Say more", "<p>Say more</p>", 1.0, POS,
                 guidance_html="<p>A few lines.</p>", sample_answer_html="<p>Like this.</p>"),
    )


def make_course(passing_score: float | None = 0.75, reflections: int = 2, **changes) -> Course:
    blocks = [HtmlBlock("<p>Hello &amp; welcome. See <a href=\"two.html\">page two</a>.</p>", POS)]
    for n in range(reflections):
        blocks.append(ReflectionBlock(f"r{n}", f"Reflect {n}", f"Reflect {n}", "", POS,
                                      max_length=200 if n == 0 else None))
    quiz = Quiz("q-one", "Check one", "<p>Try it.</p>", questions(), POS, attempts=3, shuffle=True)
    modules = (
        Module("m01-one", "one", "One <script>alert(1)</script>", ("Learn",), tuple(blocks), POS, quiz=quiz),
        Module("m02-two", "two", "Two", (), (HtmlBlock("<p>Second page.</p>", POS),), POS),
    )
    course = Course(
        id="demo-course", title="Demo <course> & co", language="en-CA", version="2.1.0",
        description="A demo course.", authors=("A. Author",), license="CC BY 4.0",
        keywords=("alpha", "beta"), modules=modules,
        sources=(Source(1, "A source", POS, "https://example.org/a"),), pos=POS,
        completion=Completion(passing_score=passing_score),
    )
    return dataclasses.replace(course, **changes) if changes else course
