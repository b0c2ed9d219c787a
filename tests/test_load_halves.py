"""Loading on two cores (builder/load/halves.py): the outline's second half is loaded in a forked
child. Whatever the course, the model and the messages are those of one process; where the halves
meet (an id in both, a file both use, a course-wide limit), the whole outline is loaded again in
one process, and these tests check that it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import builder.load as load_pkg
from builder import forked
from builder.load import halves, load_course, markdown_limits

MINIMAL = Path(__file__).parent / "roots" / "minimal"
MODULES = 8

pytestmark = pytest.mark.skipif(not forked.available(), reason="needs fork (Linux, two cores)")


def module_text(n: int, reflection_id: str, media: str) -> str:
    return (f"---\ntitle: Module {n}\n---\n\nParagraph {n} cites a source.[@1] And *emphasis* [here](https://example.org).\n\n"
            f"![Diagram {n}](../media/{media})\n\n```reflection\nid: {reflection_id}\nprompt: Thoughts {n}?\n```\n")


def quiz_text(n: int, first_id: str) -> str:
    return (f"title: Quiz {n}\nquestions:\n  - type: multiple_choice\n    id: {first_id}\n    prompt: Pick {n}\n"
            f"    choices:\n      - text: Right {n}\n        correct: true\n      - text: Wrong {n}\n"
            f"  - type: true_false\n    id: tf{n}\n    prompt: True {n}?\n    answer: true\n")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """Eight modules, each with a quiz, a reflection, a citation and an image of its own."""
    root = tmp_path / "c"
    shutil.copytree(MINIMAL, root)
    for old in (root / "course/modules").glob("*.md"):
        old.unlink()
    (root / "quizzes/first.yaml").unlink()
    outline = ""
    for n in range(1, MODULES + 1):
        shutil.copy(root / "course/media/dot.png", root / f"course/media/dot{n}.png")
        (root / f"course/modules/m{n}.md").write_text(module_text(n, f"r{n}", f"dot{n}.png"), encoding="utf-8")
        (root / f"quizzes/q{n}.yaml").write_text(quiz_text(n, f"mc{n}"), encoding="utf-8")
        outline += f"  - module: modules/m{n}.md\n    quiz: q{n}\n"
    yaml = (root / "course/course.yaml").read_text(encoding="utf-8")
    start, end = yaml.index("outline:\n") + len("outline:\n"), yaml.index("sources:")
    (root / "course/course.yaml").write_text(yaml[:start] + outline + yaml[end:], encoding="utf-8")
    return root


@pytest.fixture
def runs(monkeypatch) -> list[int]:
    """How many entries each loading pass took: [parent half, child half] when split and merged,
    and a last pass of all of them when the halves met and the outline was loaded again."""
    seen: list[int] = []
    original = load_pkg._Loading.run

    def run(self, entries):
        seen.append(len(entries))
        return original(self, entries)

    monkeypatch.setattr(load_pkg._Loading, "run", run)
    return seen


def test_a_clean_course_is_split_and_merged(course, monkeypatch, runs):
    monkeypatch.setenv("BUILD_COURSE_JOBS", "1")
    one, d_one = load_course(course)
    assert runs == [MODULES] and not d_one.items
    runs.clear()
    monkeypatch.setenv("BUILD_COURSE_JOBS", "2")
    two, d_two = load_course(course)
    # the parent's half is counted here; the child's pass happened in the child
    assert len(runs) == 1 and 0 < runs[0] < MODULES, runs
    assert two == one and not d_two.items
    assert [m.title for m in two.modules] == [f"Module {n}" for n in range(1, MODULES + 1)]
    assert [len(m.references) for m in two.modules] == [1] * MODULES
    assert [f.path for f in two.media] == sorted(f"media/dot{n}.png" for n in range(1, MODULES + 1))


def test_mistakes_within_each_half_are_merged_in_order(course, monkeypatch, runs):
    (course / "quizzes/q1.yaml").write_text(quiz_text(1, "mc1").replace("answer: true", "answer: maybe"))
    (course / "quizzes/q8.yaml").write_text(quiz_text(8, "mc8").replace("type: multiple_choice", "type: multi"))
    monkeypatch.setenv("BUILD_COURSE_JOBS", "2")
    _, d = load_course(course)
    assert len(runs) == 1, "no fallback: nothing crossed the halves"
    monkeypatch.setenv("BUILD_COURSE_JOBS", "1")
    _, d_one = load_course(course)
    assert [str(x) for x in d.items] == [str(x) for x in d_one.items]
    assert [x.pos.file for x in d.items] == ["quizzes/q1.yaml", "quizzes/q8.yaml"]


@pytest.mark.parametrize("case", ["question id", "reflection id"])
def test_an_id_in_both_halves_loads_again_in_one_process(course, monkeypatch, runs, case):
    if case == "question id":
        (course / "quizzes/q8.yaml").write_text(quiz_text(8, "mc1"), encoding="utf-8")
        expected = "quizzes/q8.yaml:4:9: error: duplicate question id 'mc1' (also at quizzes/q1.yaml:4:9)"
    else:
        (course / "course/modules/m8.md").write_text(module_text(8, "r1", "dot8.png"), encoding="utf-8")
        expected = "course/modules/m8.md:10:5: error: duplicate reflection id 'r1' (also at course/modules/m1.md:10:5)"
    monkeypatch.setenv("BUILD_COURSE_JOBS", "2")
    _, d = load_course(course)
    assert len(runs) == 2 and runs[-1] == MODULES, f"expected the half, then all again: {runs}"
    assert [str(x).split(" — ")[0] for x in d.items] == [expected]
    monkeypatch.setenv("BUILD_COURSE_JOBS", "1")
    assert [str(x) for x in load_course(course)[1].items] == [str(x) for x in d.items]


def test_a_media_file_both_halves_use_is_reported_once(course, monkeypatch, runs):
    """The same large image in the first and the last module: one warning, at its first use."""
    big = course / "course/media/big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64 * 1024))
    yaml = (course / "course/course.yaml").read_text(encoding="utf-8")
    (course / "course/course.yaml").write_text(yaml + "media:\n  warn_above_mb: 0.01\n", encoding="utf-8")
    for n in (1, MODULES):
        (course / f"course/modules/m{n}.md").write_text(module_text(n, f"r{n}", "big.png"), encoding="utf-8")
    monkeypatch.setenv("BUILD_COURSE_JOBS", "2")
    two, d = load_course(course)
    assert len(runs) == 1, "merged: a shared file is not a reason to load again"
    assert [x.pos.file for x in d.items] == ["course/modules/m1.md"]
    assert "'../media/big.png' is large" in str(d.items[0])
    monkeypatch.setenv("BUILD_COURSE_JOBS", "1")
    one, d_one = load_course(course)
    assert [str(x) for x in d.items] == [str(x) for x in d_one.items] and two == one
    assert [f.pos for f in two.media if f.path == "media/big.png"] == [d.items[0].pos]


@pytest.mark.parametrize("limit", ["course text bytes", "Markdown brackets"])
def test_a_course_wide_limit_only_both_halves_pass_loads_again(course, monkeypatch, runs, limit):
    """Each half alone is within the limit, the two together are not: one process reports it."""
    monkeypatch.setenv("BUILD_COURSE_JOBS", "1")
    load_course(course)
    if limit == "course text bytes":
        total = sum(p.stat().st_size for p in [course / "course/course.yaml", *(course / "course/modules").glob("*.md"),
                                                *(course / "quizzes").glob("*.yaml")])
        monkeypatch.setattr(load_pkg, "MAX_COURSE_TEXT_BYTES", total - 10)
    else:
        # each module page spends a few '['; allow a little more than half the course's
        monkeypatch.setattr(markdown_limits.Budget.__init__, "__defaults__", (MODULES * 3 // 2,))
    runs.clear()
    one, d_one = load_course(course)
    assert d_one.errors, "the limit is met in one process"
    runs.clear()
    monkeypatch.setenv("BUILD_COURSE_JOBS", "2")
    two, d_two = load_course(course)
    assert len(runs) == 2 and runs[-1] == MODULES, runs
    assert [str(x) for x in d_two.items] == [str(x) for x in d_one.items] and two == one


def test_a_small_course_loads_in_one_process(course, monkeypatch, runs):
    monkeypatch.delenv("BUILD_COURSE_JOBS", raising=False)
    load_course(course)
    assert runs == [MODULES]
    assert sum(p.stat().st_size for p in course.rglob("*.*") if p.suffix in (".md", ".yaml")) < halves.SPLIT_FROM_BYTES
