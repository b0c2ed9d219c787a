"""Loader: every mistake an author can make is reported as path:line:column with a fix, all at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.load import load_course

MINIMAL = Path(__file__).parent / "roots" / "minimal"


@pytest.fixture(params=["one process", "two halves"])
def course_dir(request, tmp_path: Path, monkeypatch) -> Path:
    """Every mistake below is also loaded with the outline split between two processes (the
    second module in a forked child, builder/load/halves.py): the same messages, in the same order."""
    monkeypatch.setenv("BUILD_COURSE_JOBS", "1" if request.param == "one process" else "2")
    shutil.copytree(MINIMAL, tmp_path / "c")
    return tmp_path / "c"


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")


def replace(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(root: Path) -> list[str]:
    _, diagnostics = load_course(root)
    return [str(d) for d in diagnostics]


def test_minimal_course_loads_clean(course_dir):
    course, diagnostics = load_course(course_dir)
    assert not diagnostics.items
    assert [m.title for m in course.modules] == ["First module", "Second module"]
    assert [q.type.value for q in course.modules[0].quiz.questions] == [
        "multiple_choice", "multiple_response", "true_false", "fill_in_blank", "essay"]


def test_multiple_choice_with_two_correct_choices(course_dir):
    replace(course_dir, "quizzes/first.yaml", "      - text: Wrong\n", "      - text: Wrong\n        correct: true\n")
    assert messages(course_dir) == [
        "quizzes/first.yaml:9:7: error: question 1 (multiple_choice) has 2 correct choices — "
        "a multiple_choice question has exactly one; use 'type: multiple_response' for more"
    ]


def test_unknown_question_type_suggests_the_nearest(course_dir):
    replace(course_dir, "quizzes/first.yaml", "type: multiple_response", "type: multiple_responce")
    assert messages(course_dir) == [
        "quizzes/first.yaml:14:11: error: unknown question type 'multiple_responce' — did you mean 'multiple_response'?"
    ]


def test_typo_in_a_key_suggests_the_right_one(course_dir):
    replace(course_dir, "quizzes/first.yaml", "        correct: true\n        feedback: Yes", "        corect: true\n        feedback: Yes")
    msgs = messages(course_dir)
    assert "quizzes/first.yaml:10:9: error: unknown key 'corect' in choice 1 of question 1 — did you mean 'correct'?" in msgs
    # …and, in the same run, the consequence: the question now has no correct choice.
    assert any("has no correct choice" in m for m in msgs)


def test_malformed_yaml_shows_the_parser_position(course_dir):
    replace(course_dir, "quizzes/first.yaml", "    prompt: Pick one", "    prompt: Pick one: or two")
    assert messages(course_dir) == [
        "quizzes/first.yaml:7:21: error: YAML syntax error: mapping values are not allowed in this context — "
        "a value that contains ': ' must be put in quotes"
    ]


def test_duplicate_ids(course_dir):
    replace(course_dir, "quizzes/first.yaml", "id: mr", "id: mc")
    replace(course_dir, "course/modules/02-second.md", "More text.[@2]",
            "More text.[@2]\n\n```reflection\nid: first-thoughts\nprompt: Again?\n```")
    assert messages(course_dir) == [
        "course/modules/02-second.md:8:5: error: duplicate reflection id 'first-thoughts' "
        "(also at course/modules/01-first.md:20:5) — give each reflection its own id",
        "quizzes/first.yaml:15:9: error: duplicate question id 'mc' (also at quizzes/first.yaml:6:9) — "
        "give each question its own id (ids must be unique across all quizzes)",
    ]


def test_duplicate_yaml_key(course_dir):
    replace(course_dir, "quizzes/first.yaml", "attempts: 2\n", "attempts: 2\nattempts: 3\n")
    assert messages(course_dir) == [
        "quizzes/first.yaml:3:1: error: duplicate key 'attempts' (first written at line 2) — keep only one of them"
    ]


def test_bad_youtube_id(course_dir):
    replace(course_dir, "course/modules/01-first.md", "id: _dg86g-QlM0", "id: _dg86g-QlM")
    assert messages(course_dir) == [
        "course/modules/01-first.md:13:5: error: '_dg86g-QlM' is not a YouTube video id — a YouTube id is exactly "
        "11 letters, digits, '-' or '_': copy it from the watch?v= part of the URL"
    ]


def test_video_without_text_alternative(course_dir):
    replace(course_dir, "course/modules/01-first.md", "summary: |\n  What the video says.\n", "")
    assert messages(course_dir) == [
        "course/modules/01-first.md:11:1: error: the video has no text alternative — add 'summary: |' with what "
        "the video says, for learners who cannot play it"
    ]


def test_missing_image_and_missing_module_file(course_dir):
    replace(course_dir, "course/modules/01-first.md", "../media/dot.png", "../media/Dot.png")
    replace(course_dir, "course/course.yaml", "modules/02-second.md", "modules/02-secnd.md")
    msgs = messages(course_dir)
    assert "course/course.yaml:12:13: error: module file course/modules/02-secnd.md not found — check the file " \
           "name (paths are relative to the course/ folder)" in msgs
    assert "course/modules/01-first.md:9:20: error: image '../media/Dot.png' not found (looked for " \
           "course/media/Dot.png) — check the spelling and case of the file name, and that the file is in " \
           "course/media/" in msgs


def test_media_path_escaping_the_course_folder(course_dir):
    replace(course_dir, "course/modules/01-first.md", "../media/dot.png", "../../secret.png")
    assert messages(course_dir) == [
        "course/modules/01-first.md:9:20: error: '../../secret.png' points outside the course folder — keep "
        "images and files in course/media/ and link to them relatively, e.g. ../media/file.png"
    ]


def test_quiz_not_referenced_is_a_warning(course_dir):
    shutil.copy(course_dir / "quizzes/first.yaml", course_dir / "quizzes/spare.yaml")
    course, diagnostics = load_course(course_dir)
    assert course is not None and not diagnostics.errors
    assert [str(d) for d in diagnostics.warnings] == [
        "quizzes/spare.yaml:1: warning: quiz is not used by the course — add 'quiz: spare' to a module in "
        "course/course.yaml's outline, or delete the file"
    ]


def test_missing_quiz_file_suggests_existing_one(course_dir):
    replace(course_dir, "course/course.yaml", "quiz: first", "quiz: frist")
    assert "course/course.yaml:11:11: error: quiz file quizzes/frist.yaml not found — did you mean 'first'?" \
        in messages(course_dir)


@pytest.mark.parametrize("html, expected", [
    ("<script>alert(1)</script>", "7:1: error: raw HTML <script> is not allowed — scripts and styles are not allowed"),
    ('<iframe src="https://example.org"></iframe>', "7:1: error: raw HTML <iframe> is not allowed — use a ```video``` block"),
    ('<span onclick="x()">hi</span>', "7:1: error: attribute 'onclick' on <span> is not allowed"),
    ("[click](javascript:alert(1))", "7:9: error: link 'javascript:alert(1)' uses a scheme that is not allowed"),
    ("Some text\n{: onclick=\"x()\" }", "8:4: error: attribute 'onclick' is not allowed in course text"),
])
def test_raw_html_policy(course_dir, html, expected):
    replace(course_dir, "course/modules/02-second.md", "More text.[@2]", f"More text.[@2]\n\n{html}")
    msgs = messages(course_dir)
    assert len(msgs) == 1 and msgs[0].startswith(f"course/modules/02-second.md:{expected}"), msgs


def test_allowed_inline_html_and_html_in_code_are_kept(course_dir):
    replace(course_dir, "course/modules/02-second.md", "More text.[@2]",
            'More <abbr title="for example">e.g.</abbr> text.[@2] Code: `<script>` stays text.')
    course, diagnostics = load_course(course_dir)
    assert not diagnostics.items
    html = course.modules[1].blocks[0].html
    assert '<abbr title="for example">e.g.</abbr>' in html and "<code>&lt;script&gt;</code>" in html


def test_citation_of_a_missing_source(course_dir):
    replace(course_dir, "course/modules/02-second.md", "[@2]", "[@7]")
    assert messages(course_dir) == [
        "course/modules/02-second.md:5:11: error: citation [@7] names no source — course.yaml lists sources 1, 2; "
        "add one or fix the number"
    ]


def test_every_error_is_reported_in_one_run(course_dir):
    replace(course_dir, "quizzes/first.yaml", "type: multiple_response", "type: multi")
    replace(course_dir, "quizzes/first.yaml", "answer: false", "answer: maybe")
    replace(course_dir, "quizzes/first.yaml", "attempts: 2", "attempts: 0")
    replace(course_dir, "course/modules/01-first.md", "id: _dg86g-QlM0", "id: nope")
    replace(course_dir, "course/course.yaml", "language: en", "language: english!")
    msgs = messages(course_dir)
    assert len(msgs) == 5, msgs
    assert [m.split(": error")[0] for m in msgs] == [
        "course/course.yaml:3:11", "course/modules/01-first.md:13:5", "quizzes/first.yaml:2:11",
        "quizzes/first.yaml:14:11", "quizzes/first.yaml:27:13"]


def test_no_course_file(tmp_path):
    assert messages(tmp_path) == [
        f"course/course.yaml: error: no course file in {tmp_path.resolve()} — run build-course in the folder "
        "that holds course/course.yaml, or pass --source DIR"
    ]
