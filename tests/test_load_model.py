"""Loader: the model built from good sources (every question type, ids, positions, media)."""

from __future__ import annotations

import shutil
from pathlib import Path

from builder.load import load_course
from builder.model import QuestionType

MINIMAL = Path(__file__).parent / "roots" / "minimal"


def load(root=MINIMAL):
    course, diagnostics = load_course(root)
    assert not diagnostics.items, [str(d) for d in diagnostics]
    return course


def test_each_question_type_is_modelled():
    quiz = load().modules[0].quiz
    mc, mr, tf, fib, essay = quiz.questions
    assert (quiz.attempts, quiz.shuffle, quiz.points_possible) == (2, False, 5.0)  # essay not scored
    assert mc.type is QuestionType.MULTIPLE_CHOICE and [c.correct for c in mc.choices] == [True, False]
    assert mc.choices[0].feedback_html == "<p>Yes, because.</p>" and mc.choices[0].id == "mc_a1"
    assert mr.points == 2 and [c.id for c in mr.correct_choices] == ["mr_a1", "mr_a2"]
    assert tf.answer is False and [c.id for c in tf.choices] == ["true", "false"]
    assert [c.correct for c in tf.choices] == [False, True]
    assert tf.choices[1].feedback_html == "<p>Right, it is not green.</p>"
    assert fib.answers == ("talk",) and fib.case_sensitive is False
    assert essay.type is QuestionType.ESSAY and not essay.type.auto_graded
    assert essay.guidance_html == "<p>A paragraph.</p>" and essay.sample_answer_html == "<p>Like this.</p>"


def test_positions_on_every_node():
    course = load()
    module = course.modules[0]
    assert str(module.pos) == "course/modules/01-first.md:1:1"
    video = module.videos[0]
    assert str(video.pos) == "course/modules/01-first.md:11:1"
    assert str(module.reflections[0].pos) == "course/modules/01-first.md:19:1"
    assert str(module.quiz.questions[1].pos) == "quizzes/first.yaml:14:5"
    assert str(module.quiz.questions[0].choices[1].pos) == "quizzes/first.yaml:12:9"
    assert str(course.sources[1].pos) == "course/course.yaml:16:5"


def test_links_citations_and_media_are_resolved():
    course = load()
    html = course.modules[0].blocks[0].html
    # a citation jumps to the page's own list of sources (ids carry the module, unique in one SCO)
    assert 'href="#first-source-1"' in html and 'href="second.html"' in html
    assert 'src="media/dot.png"' in course.modules[0].blocks[0].html
    assert [m.path for m in course.media] == ["media/dot.png"]
    assert course.modules[1].page_filename == "second.html"


def test_derived_question_ids_are_stable_and_independent(tmp_path):
    root = tmp_path / "c"
    shutil.copytree(MINIMAL, root)
    path = root / "quizzes/first.yaml"
    path.write_text(path.read_text().replace("    id: mc\n", "").replace("    id: mr\n", ""))
    first = [q.id for q in load(root).modules[0].quiz.questions]
    assert first[0].startswith("q-") and first[1].startswith("q-") and first[0] != first[1]
    path.write_text(path.read_text().replace("prompt: Pick two", "prompt: Pick the two right ones"))
    second = [q.id for q in load(root).modules[0].quiz.questions]
    assert second[0] == first[0] and second[1] != first[1] and second[2:] == first[2:]


def test_embedded_course(embedded_course):
    course = embedded_course
    assert course.id == "imperfect-allies" and len(course.modules) == 3 and len(course.sources) == 6
    types = {q.type for quiz in course.quizzes for q in quiz.questions}
    assert types == set(QuestionType)
    assert all(4 <= len(quiz.questions) <= 6 for quiz in course.quizzes)
    for quiz in course.quizzes:
        for question in quiz.questions:
            for choice in question.choices:
                assert choice.feedback_html, f"{choice.pos}: a choice without feedback"
    video = course.modules[1].videos[0]
    assert (video.video_id, video.title) == ("_dg86g-QlM0", "5 Tips for Being an Ally")
    prompts = {r.prompt for r in course.reflections}
    assert {"How can we serve to shoulder each other up in this work?",
            "How do we build a collective sense of responsibility?", "Am I walking the talk?"} <= prompts
    assert all(r.guidance_html for r in course.reflections)


def test_plain_text_fast_path_renders_like_markdown():
    import markdown

    from builder.diagnostics import Diagnostics
    from builder.load.markdown_render import LinkContext, MarkdownRenderer
    from builder.model import Position

    renderer = MarkdownRenderer(LinkContext(course_dir=MINIMAL / "course", source_file_prefix="course/"), Diagnostics())
    for text in ["Someone who never makes mistakes", "Yes. “Quoted” and ‘single’ — dash, 100% sure?",
                 "It's \"plain\" (really); isn't it", "2020 was a year", "Accept our differences."]:
        assert renderer.block(text, Position("x")) == markdown.markdown(text), text
