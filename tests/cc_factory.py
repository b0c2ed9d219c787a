"""Hand-made model objects for the Common Cartridge tests (no loader needed).

``make_course`` builds a small course that uses every part a cartridge carries: an image, a
video, two reflections in one module, quizzes with all five question types, per-choice and
general feedback, points 1 and 2, limited and unlimited attempts, sources with and without URL.
``TRICKY`` is text that breaks naive XML/HTML writers; ``tricky=True`` puts it everywhere.
"""

from __future__ import annotations

import html
from pathlib import Path

from builder.model import (
    Choice,
    Course,
    Feedback,
    HtmlBlock,
    LmsSettings,
    MediaFile,
    Module,
    Position,
    Question,
    QuestionType,
    Quiz,
    ReflectionBlock,
    Source,
    VideoBlock,
)

# <, &, both quotes, a CDATA terminator, Arabic and Hebrew (RTL), CJK, emoji (astral plane).
TRICKY = "a < b && \"x\" 'y' ]]> العربية עברית 中文 日本語 🙂👍🏽"
# 1x1 transparent PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _pos(name: str, line: int = 1) -> Position:
    return Position(name, line)


def _h(text: str) -> str:
    """Inline HTML for plain text, as the loader would render it (escaped)."""
    return html.escape(text, quote=False)


def _raw(text: str, tricky: bool) -> str:
    """HTML fields in the tricky course hold the tricky text *unescaped* where XML allows it,
    so a literal ``]]>`` reaches the writers (the loader would write ``]]&gt;``)."""
    return f"{_h(text)} <b>{_h(TRICKY)}</b> ]]>" if tricky else _h(text)


def _choice(cid: str, text: str, correct: bool, feedback: str, tricky: bool) -> Choice:
    return Choice(cid, text, _raw(text, tricky), correct, _raw(feedback, tricky) if feedback else "", _pos("q.yaml"))


def _quiz_one(tricky: bool) -> Quiz:
    t = (lambda s: f"{s} {TRICKY}") if tricky else (lambda s: s)
    fb = Feedback(correct_html=_raw("Well done.", tricky), incorrect_html=_raw("Not quite.", tricky),
                  general_html=_raw("Read the page again.", tricky))
    questions = (
        Question("water-source", QuestionType.MULTIPLE_CHOICE, t("What heats surface water?"),
                 _raw("What heats surface water?", tricky), 1, _pos("q1.yaml", 3),
                 choices=(_choice("sun", t("The sun"), True, "Yes: solar energy.", tricky),
                          _choice("moon", t("The moon"), False, "The moon drives tides.", tricky),
                          _choice("wind", t("Wind"), False, "", tricky)),
                 feedback=fb),
        Question("pick-two", QuestionType.MULTIPLE_RESPONSE, t("Pick the two states of water in clouds."),
                 _raw("Pick the two states of water in clouds.", tricky), 2, _pos("q1.yaml", 10),
                 choices=(_choice("droplets", t("Droplets"), True, "Right.", tricky),
                          _choice("steam", t("Steam"), False, "Too hot.", tricky),
                          _choice("ice", t("Ice crystals"), True, "Right.", tricky),
                          _choice("sand", t("Sand"), False, "", tricky)),
                 feedback=fb),
        Question("rain-is-fresh", QuestionType.TRUE_FALSE, t("Rain is fresh water."),
                 _raw("Rain is fresh water.", tricky), 1, _pos("q1.yaml", 20),
                 choices=(_choice("true", "True", True, "Evaporation leaves salt behind.", tricky),
                          _choice("false", "False", False, "It is fresh.", tricky)),
                 answer=True, feedback=Feedback(general_html=_raw("Salt stays in the sea.", tricky))),
        Question("name-process", QuestionType.FILL_IN_BLANK, t("Water turning into vapour is ____."),
                 _raw("Water turning into vapour is ____.", tricky), 2, _pos("q1.yaml", 30),
                 answers=("evaporation", "Evaporation & boiling" if not tricky else TRICKY),
                 feedback=Feedback(correct_html=_raw("Yes.", tricky), general_html=_raw("See the diagram.", tricky))),
        Question("explain", QuestionType.ESSAY, t("Explain the cycle in your words."),
                 _raw("Explain the cycle in your words.", tricky), 1, _pos("q1.yaml", 40),
                 guidance_html=f"<p>{_raw('Three sentences.', tricky)}</p>",
                 sample_answer_html=f"<p>{_raw('Sun, clouds, rain.', tricky)}</p>",
                 feedback=Feedback(general_html=_raw("Thanks for writing.", tricky))),
    )
    return Quiz("water-cycle-check", t("Check: the water cycle"), "<p>Try as often as you like.</p>",
                questions, _pos("quizzes/water-cycle-check.yaml"), attempts=None, shuffle=True)


def _quiz_two(tricky: bool) -> Quiz:
    q = Question("clouds-form", QuestionType.MULTIPLE_CHOICE, "Where do clouds form?", "Where do clouds form?", 1,
                 _pos("q2.yaml", 3),
                 choices=(_choice("up", "In cooler air higher up", True, "", tricky),
                          _choice("down", "In the ground", False, "", tricky)))
    tf = Question("snow-is-water", QuestionType.TRUE_FALSE, "Snow is water.", "Snow is water.", 1, _pos("q2.yaml", 9),
                  choices=(_choice("true", "True", False, "", tricky), _choice("false", "False", True, "", tricky)),
                  answer=False)
    return Quiz("clouds-check", "Check: clouds", "", (q, tf), _pos("quizzes/clouds-check.yaml"), attempts=2)


def make_course(media_dir: Path, *, tricky: bool = False, reflections: str = "discussion", publish: bool = True) -> Course:
    media_dir.mkdir(parents=True, exist_ok=True)
    png = media_dir / "diagram.png"
    png.write_bytes(PNG)
    t = (lambda s: f"{s} {TRICKY}") if tricky else (lambda s: s)
    video = VideoBlock(provider="youtube", video_id="_dg86g-QlM0", title=t("The water cycle"),
                       summary_html=f"<p>{_raw('The sun heats water; vapour rises and cools.', tricky)}</p>",
                       pos=_pos("course/modules/01-water.md", 8), author="A. Teacher", year="2020")
    reflections_blocks = (
        ReflectionBlock("where-water", t("Where did the water you drank today come from?"),
                        _raw("Where did the water you drank today come from?", tricky),
                        f"<p>{_raw('A few sentences.', tricky)}</p>", _pos("course/modules/01-water.md", 20)),
        ReflectionBlock("rain-memory", t("Describe a memorable rain."), _raw("Describe a memorable rain.", tricky),
                        "", _pos("course/modules/01-water.md", 30)),
    )
    module_one = Module(
        id="m01_water", slug="water", title=t("The water cycle"), objectives=("Name the stages.",),
        blocks=(HtmlBlock(f'<p>{_raw("Look at the diagram.", tricky)}</p><p><img src="media/diagram.png" alt="Diagram"></p>'
                          '<p>Next: <a href="clouds.html">clouds</a>; source <a href="sources.html#source-1">[1]</a>.</p>',
                          _pos("course/modules/01-water.md", 5)),
                video, reflections_blocks[0], reflections_blocks[1]),
        pos=_pos("course/modules/01-water.md"), quiz=_quiz_one(tricky),
    )
    module_two = Module(
        id="m02_clouds", slug="clouds", title="Clouds", objectives=(),
        blocks=(HtmlBlock("<p>Clouds are water. Back to <a href=\"water.html\">water</a>.</p>", _pos("course/modules/02-clouds.md", 4)),),
        pos=_pos("course/modules/02-clouds.md"), quiz=_quiz_two(tricky),
    )
    module_three = Module(
        id="m03_review", slug="review", title="Review", objectives=(),
        blocks=(HtmlBlock("<p>No quiz here.</p>", _pos("course/modules/03-review.md", 4)),),
        pos=_pos("course/modules/03-review.md"),
    )
    return Course(
        id="water-course", title=t("The water cycle"), language="en", version="1.0.0",
        description=t("A short course about water."), authors=("A. Teacher",), license="CC BY-SA 4.0",
        keywords=("water", "weather"), modules=(module_one, module_two, module_three),
        sources=(Source(1, t("Water Atlas (2020)."), _pos("course/course.yaml", 30), url="https://example.org/atlas?a=1&b=2"),
                 Source(2, "A book without URL.", _pos("course/course.yaml", 31)),
                 Source(3, "Cloud guide.", _pos("course/course.yaml", 32), url="https://example.org/clouds")),
        pos=_pos("course/course.yaml"),
        lms=LmsSettings(publish=publish, reflections=reflections),
        media=(MediaFile("media/diagram.png", png, _pos("course/modules/01-water.md", 5)),),
    )


__all__ = ["TRICKY", "build_cartridge", "make_course"]


def build_cartridge(course: Course, fmt: str, dest_dir: Path, env=None) -> Path:
    """Build one cartridge with the real target and the real zip writer; return its path."""
    from builder.diagnostics import Diagnostics
    from builder.package import write_zip
    from builder.render import make_environment
    from builder.targets import get_target

    target = get_target(fmt)
    diagnostics = Diagnostics()
    files = target.build(course, env or make_environment(course.source_dir), diagnostics)
    assert not diagnostics.items, "\n".join(map(str, diagnostics))
    return write_zip(files, Path(dest_dir) / target.filename(course))
