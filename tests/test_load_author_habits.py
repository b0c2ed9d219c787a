"""Issue 11's small things authors trip on: `# Heading`, correct/incorrect on true/false, an unclosed
quote, a course without sources, and -q/-v/--strict on every subcommand."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.load import load_course
from cli import main

MINIMAL = Path(__file__).parent / "roots" / "minimal"


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "c")
    return tmp_path / "c"


def replace(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")


def test_hash_headings_shift_down_so_the_page_title_stays_the_only_h1(course_dir):
    replace(course_dir, "course/modules/01-first.md", "Some **text**",
            "# My heading\n\nIntro.\n\n## A sub-heading\n\nSome **text**")
    course, diagnostics = load_course(course_dir)
    assert not diagnostics.items, [str(d) for d in diagnostics]
    html = course.modules[0].blocks[0].html
    assert "<h2>My heading</h2>" in html and "<h3>A sub-heading</h3>" in html and "<h1" not in html


def test_setext_heading_shifts_too_and_modules_without_h1_keep_their_levels(course_dir):
    replace(course_dir, "course/modules/02-second.md", "---\n\n", "---\n\nTitle\n=====\n\n## Part\n\n")
    course, diagnostics = load_course(course_dir)
    assert not diagnostics.items, [str(d) for d in diagnostics]
    html = course.modules[1].blocks[0].html
    assert "<h2>Title</h2>" in html and "<h3>Part</h3>" in html
    replace(course_dir, "course/modules/02-second.md", "Title\n=====\n\n", "")
    course, _ = load_course(course_dir)
    assert "<h2>Part</h2>" in course.modules[1].blocks[0].html


def test_true_false_takes_correct_and_incorrect_feedback(course_dir):
    replace(course_dir, "quizzes/first.yaml", "      true: It is not green.\n      false: Right, it is not green.",
            "      correct: Right, it is not green.\n      incorrect: It is not green.\n      general: Skies vary.")
    course, diagnostics = load_course(course_dir)
    assert not diagnostics.items, [str(d) for d in diagnostics]
    tf = course.modules[0].quiz.questions[2]
    feedback = {c.id: c.feedback_html for c in tf.choices}
    # the answer is false: "correct" is what a learner answering false sees
    assert feedback == {"true": "<p>It is not green.</p>", "false": "<p>Right, it is not green.</p>"}
    assert tf.feedback.general_html == "<p>Skies vary.</p>"


def test_true_false_refuses_both_spellings_for_one_answer(course_dir):
    replace(course_dir, "quizzes/first.yaml", "      false: Right, it is not green.",
            "      false: Right, it is not green.\n      correct: Right.")
    _, diagnostics = load_course(course_dir)
    assert [str(d) for d in diagnostics] == [
        "quizzes/first.yaml:31:7: error: 'correct' gives the same feedback as 'false' — "
        "use either correct/incorrect or true/false, not both"]


def test_json_schema_accepts_correct_incorrect_on_true_false(repo_root):
    import json

    import jsonschema
    import yaml

    schema = json.loads((repo_root / "builder/schemas/quiz.schema.json").read_text())
    quiz = yaml.safe_load((MINIMAL / "quizzes/first.yaml").read_text())
    quiz["questions"][2]["feedback"] = {"correct": "a", "incorrect": "b", "general": "c"}
    jsonschema.validate(quiz, schema)


def test_unclosed_quote_is_reported_where_it_opened(course_dir):
    replace(course_dir, "quizzes/first.yaml", "prompt: Pick two", 'prompt: "Pick two')
    _, diagnostics = load_course(course_dir)
    messages = [str(d) for d in diagnostics]
    assert len(messages) == 1, messages
    assert messages[0].startswith("quizzes/first.yaml:16:13: error: YAML syntax error: this quote is never closed "
                                  "(the parser gave up at line 40, column 1)"), messages


def _drop_sources(course_dir: Path) -> None:
    text = (course_dir / "course/course.yaml").read_text()
    (course_dir / "course/course.yaml").write_text(text.split("sources:")[0])
    replace(course_dir, "course/modules/01-first.md", "citation.[@1]", "citation.")
    replace(course_dir, "course/modules/02-second.md", "text.[@2]", "text.")


def test_no_sources_means_no_sources_page_in_any_format(course_dir, tmp_path):
    _drop_sources(course_dir)
    result = CliRunner().invoke(main, ["--source", str(course_dir), "--out", str(tmp_path / "out"), "--strict"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert not (out / "minimal-preview" / "sources.html").exists()
    assert "Sources" not in (out / "minimal-preview" / "index.html").read_text()
    packages = sorted(p.name for p in out.iterdir() if p.is_file())
    assert {"minimal-scorm12.zip", "minimal-scorm2004.zip", "minimal.imscc", "minimal-cc13.imscc"} <= set(packages)
    for name in packages:  # every zipped format, present and future (cmi5, mbz…)
        with zipfile.ZipFile(out / name) as z:
            assert not [n for n in z.namelist() if n.rsplit("/", 1)[-1].startswith("sources")], name
            for member in z.namelist():
                if member.endswith((".html", ".xml")):
                    text = z.read(member).decode()
                    assert "page-sources" not in text and ">Sources<" not in text and "_sources" not in text, (name, member)


@pytest.mark.parametrize("flag", ["-q", "-v", "--strict"])
def test_validate_takes_the_build_options(course_dir, flag):
    result = CliRunner().invoke(main, ["validate", flag, "--source", str(course_dir)])
    assert result.exit_code == 0, result.output
    assert ("OK:" in result.output) == (flag != "-q")


def test_validate_strict_fails_on_a_warning(course_dir):
    (course_dir / "quizzes" / "unused.yaml").write_text("title: x\nquestions: []\n")
    assert CliRunner().invoke(main, ["validate", "--source", str(course_dir)]).exit_code == 0
    result = CliRunner().invoke(main, ["validate", "--strict", "--source", str(course_dir)])
    assert result.exit_code == 1 and "quiz is not used by the course" in result.output


def test_unclosed_quote_ended_by_a_later_quote_names_where_it_opened(course_dir):
    # The quote of line 2 runs on until the first quote of line 4, where the parser then fails.
    replace(course_dir, "course/course.yaml", "title: A minimal course", 'title: "A minimal course')
    _, diagnostics = load_course(course_dir)
    messages = [str(d) for d in diagnostics]
    assert len(messages) == 1, messages
    assert messages[0].startswith("course/course.yaml:4:11: error: YAML syntax error: "), messages
    assert "the quoted text that opened at line 2, column 8 ends here" in messages[0], messages


def test_titles_longer_than_an_lms_name_field_are_warned(course_dir):
    # Moodle's name columns hold 255 characters: a longer title makes its cartridge and SCORM
    # imports fail outright ("value too long", seen on Moodle 4.3).
    long = " ".join(["word"] * 60)  # 299 characters
    replace(course_dir, "course/course.yaml", "title: A minimal course", f"title: {long}")
    replace(course_dir, "course/modules/01-first.md", "title: First module", f"title: {long}")
    replace(course_dir, "quizzes/first.yaml", "title: First quiz", f"title: {long}")
    course, diagnostics = load_course(course_dir)
    assert course is not None and course.title == long  # a warning: kept as written
    warned = sorted(str(w).split(":")[0] for w in diagnostics.warnings if "255" in str(w))
    assert warned == ["course/course.yaml", "course/modules/01-first.md", "quizzes/first.yaml"], \
        [str(d) for d in diagnostics]
