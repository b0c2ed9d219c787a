"""builder/forked.py: work split between this process and a forked child gives what one process
gives, in order; and the quiz formats that use it write the same bytes either way."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from builder import forked
from builder.build import build

pytestmark = pytest.mark.skipif(not forked.available(), reason="needs fork (Linux, two cores)")
MINIMAL = Path(__file__).parent / "roots" / "minimal"


def test_map_in_two_keeps_the_order_and_computes_the_later_part_in_a_child():
    items = list(range(10))
    results = forked.map_in_two(lambda n: (n * n, os.getpid()), items, weight=lambda n: 1, split_from=4)
    assert [r for r, _ in results] == [n * n for n in items]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid() and pids[-1] != os.getpid(), "the later items come from the child"
    # below the threshold, one process
    assert {pid for _, pid in forked.map_in_two(lambda n: (n, os.getpid()), items, lambda n: 1, 100)} == {os.getpid()}


def test_map_in_two_does_not_split_while_another_worker_runs():
    """Both cores are busy while a build worker runs (in the worker too): no third process."""
    def inner() -> set:
        return {pid for _, pid in forked.map_in_two(lambda n: (n, os.getpid()), list(range(10)), lambda n: 1, 2)}

    worker = forked.Child(inner)
    here = inner()  # while the worker runs
    theirs = worker.result()
    assert here == {os.getpid()} and len(theirs) == 1 and os.getpid() not in theirs
    assert len(inner()) == 2, "once the worker is done, the split happens again"


def test_an_error_in_the_child_part_is_raised_here():
    def square(n: int) -> int:
        if n == 9:
            raise ValueError("nine is refused")
        return n * n

    with pytest.raises(ValueError, match="nine is refused") as raised:
        forked.map_in_two(square, list(range(10)), lambda n: 1, split_from=2)
    assert isinstance(raised.value.__cause__, forked.WorkerTraceback)


@pytest.mark.parametrize("fmt", ["qti", "cc1.1", "cc1.3"])
def test_quiz_files_written_on_two_cores_are_byte_identical(tmp_path, monkeypatch, fmt):
    source = tmp_path / "src"
    shutil.copytree(MINIMAL, source)
    # a second quiz, so there are two assessments to share out
    shutil.copy(source / "quizzes/first.yaml", source / "quizzes/second.yaml")
    (source / "quizzes/second.yaml").write_text(
        (source / "quizzes/second.yaml").read_text().replace("id: ", "id: s-"), encoding="utf-8")
    yaml = source / "course/course.yaml"
    yaml.write_text(yaml.read_text().replace("  - module: modules/02-second.md\n",
                                             "  - module: modules/02-second.md\n    quiz: second\n"))
    packages = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("BUILD_COURSE_JOBS", jobs)
        result = build(source, tmp_path / f"out{jobs}", [fmt])
        assert not result.diagnostics.errors
        (output,) = result.outputs
        packages[jobs] = output.path.read_bytes()
    assert packages["1"] == packages["2"]


def test_no_process_to_be_had_means_one_process(tmp_path, monkeypatch):
    """A container's process limit (fork raises EAGAIN): loading and quiz writing go on in this
    process, with the same result, and the count of running workers is left as it was."""
    import errno

    from builder.load import load_course

    def no_fork():
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setenv("BUILD_COURSE_JOBS", "2")
    source = tmp_path / "src"
    shutil.copytree(MINIMAL, source)
    expected = load_course(source)
    monkeypatch.setattr(os, "fork", no_fork)
    course, diagnostics = load_course(source)
    assert course == expected[0] and diagnostics.items == expected[1].items
    assert forked.map_in_two(lambda n: n + 1, list(range(6)), lambda n: 1, split_from=1) == [1, 2, 3, 4, 5, 6]
    assert forked.idle_core(), "the failed forks left no worker counted"
    result = build(source, tmp_path / "out", ["qti", "cc1.1"])
    assert not result.diagnostics.errors and len(result.outputs) == 2
