"""The build-course command: exit codes, output, strictness, and that a failed build writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

MINIMAL = Path(__file__).parent / "roots" / "minimal"


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "c")
    return tmp_path / "c"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_validate_clean_course_writes_nothing(course_dir):
    result = run("validate", "--source", str(course_dir))
    assert result.exit_code == 0, result.output
    assert "OK: A minimal course — 2 modules, 1 quizzes (5 questions), 1 reflections, 2 sources." in result.output
    assert not (course_dir / "dist").exists()


def test_errors_exit_1_and_list_every_problem(course_dir):
    quiz = course_dir / "quizzes/first.yaml"
    quiz.write_text(quiz.read_text().replace("type: essay", "type: esay").replace("answer: false", "answer: nope"))
    result = run("validate", "--source", str(course_dir))
    assert result.exit_code == 1
    assert "quizzes/first.yaml:27:13: error: 'answer' must be true or false, not 'nope'" in result.output
    assert "quizzes/first.yaml:35:11: error: unknown question type 'esay' — did you mean 'essay'?" in result.output
    assert "2 error(s), 0 warning(s)" in result.output


def test_warnings_pass_unless_strict(course_dir):
    shutil.copy(course_dir / "quizzes/first.yaml", course_dir / "quizzes/unused.yaml")
    assert run("validate", "--source", str(course_dir)).exit_code == 0
    strict = run("--strict", "validate", "--source", str(course_dir))
    assert strict.exit_code == 1 and "quizzes/unused.yaml:1: warning: quiz is not used" in strict.output


def test_build_preview_and_failed_build_keeps_previous_output(course_dir, tmp_path):
    out = tmp_path / "out"
    first = run("--source", str(course_dir), "--out", str(out), "-f", "html")
    assert first.exit_code == 0, first.output
    index = out / "minimal-preview" / "index.html"
    before = index.read_bytes()
    (course_dir / "course/modules/02-second.md").write_text("no front matter")
    second = run("--source", str(course_dir), "--out", str(out), "-f", "html")
    assert second.exit_code == 1
    assert "Nothing was written" in second.output
    assert index.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["minimal-preview"]  # no temporary leftovers


def test_usage_error_exit_2(course_dir):
    result = CliRunner().invoke(main, ["--format", "pdf", "--source", str(course_dir)])
    assert result.exit_code == 2 and "Invalid value for '--format'" in result.output


def test_help_and_version():
    assert "Examples:" in run("--help").output
    assert "Examples:" in run("validate", "--help").output
    assert run("--version").output.startswith("build-course, version ")
