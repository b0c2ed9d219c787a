"""The benchmark keeps working: a tiny run prints the full table (times are not asserted)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from builder.bench.synthetic import Spec, make_course, questions, text2qti_markdown

REPO = Path(__file__).resolve().parents[1]


def test_synthetic_course_has_the_asked_shape(tmp_path):
    from builder.load import load_course

    root = make_course(tmp_path, Spec(modules=20, questions=200, media_bytes=3 << 20, image_bytes=1 << 20))
    course, diagnostics = load_course(root)
    assert course is not None and not diagnostics.errors, "\n".join(map(str, diagnostics))
    assert len(course.modules) == 20
    assert sum(len(q.questions) for q in course.quizzes) == 200
    assert {q.type.value for q in course.quizzes[0].questions} == {
        "multiple_choice", "true_false", "multiple_response", "fill_in_blank", "essay"}
    assert sum(len(m.reflections) for m in course.modules) == 2  # every tenth module
    assert len(course.media) == 3 and all(m.source.stat().st_size == 1 << 20 for m in course.media)


def test_text2qti_input_has_every_question():
    text = text2qti_markdown(questions(10))
    assert [line for line in text.splitlines() if line.startswith("Title:")] == [f"Title: q{n}" for n in range(1, 11)]


def test_tiny_benchmark_prints_the_table(tmp_path):
    run = subprocess.run([sys.executable, "-m", "builder.bench", "--tiny", "--work", str(tmp_path)],
                         capture_output=True, text=True, cwd=REPO, timeout=240)
    assert run.returncode == 0, run.stderr
    table = [line for line in run.stdout.splitlines() if line.startswith("| ")]
    names = [line.split("|")[1].strip() for line in table[1:]]
    assert names[0].startswith("4 packages, 5 modules, 50 questions, 2 MiB")
    assert any(n.startswith("zipfile floor") for n in names)
    assert any(n.startswith("embedded course") for n in names)
    assert any(n.startswith("50 questions: ours, `-f cc1.1`") for n in names)
    assert any(n.startswith("50 questions: ours, `-f qti`") for n in names)
    theirs = [line for line in table if "50 questions: text2qti" in line]
    assert len(theirs) == 1 and ("as fast" in theirs[0] or "not installed" in theirs[0])
    assert "x the floor" in table[1]
    assert "peak = largest RSS" in run.stdout
    targets = run.stdout.split("Targets of issue 10, as measured in this run:")[1]
    for target in ("the zipfile floor (2 MiB)", "peak memory under 150 MB", "embedded course under 0.3 s"):
        assert target in targets
