"""The text budget warning of a big course (issue 10): said once per package, with the numbers and
the fixes, instead of once per text answer (840 lines for the benchmark course before)."""

from __future__ import annotations

import re

from click.testing import CliRunner

from builder.bench.synthetic import Spec, make_course
from cli import main

LINE = re.compile(r"^course/course\.yaml:1:1: warning: (SCORM 1\.2|SCORM 2004 4th edition|cmi5): the ([\d,]+)-character "
                  r"suspend_data leaves (\d+) of the (\d+) text answers .* only about (\d+) characters each, fewer than "
                  r"the 300 a learner needs \(when every answer is written; (\d+) guaranteed .*first: quizzes/quiz-1\.yaml:"
                  r"\d+:\d+\) — (.*)$")


def test_benchmark_course_prints_one_budget_line_per_package(tmp_path):
    root = make_course(tmp_path / "bench", Spec(media_bytes=0))  # 200 modules, 2,000 questions, 420 text answers
    for options in (["-f", "scorm12", "-f", "scorm2004", "-f", "cmi5"], ["-f", "scorm12", "-v"]):
        result = CliRunner().invoke(main, ["--source", str(root), "--out", str(tmp_path / "dist"), *options],
                                    catch_exceptions=False)
        budget = [LINE.match(line) for line in result.output.splitlines() if "suspend_data leaves" in line]
        expected = ["SCORM 1.2", "SCORM 2004 4th edition", "cmi5"] if "-v" not in options else ["SCORM 1.2"]
        assert all(budget) and [m.group(1) for m in budget] == expected, result.output
        for m in budget:
            assert m.group(3) == m.group(4) == "420"
            assert int(m.group(5)) < 300 and int(m.group(6)) <= int(m.group(5))
        fixes = {m.group(1): m.group(7) for m in budget}
        assert "use SCORM 2004" in fixes["SCORM 1.2"] and "'scorm: {sco: module}'" in fixes["SCORM 1.2"]
        assert "times like this" not in result.output
        if "-v" not in options:
            assert "'scorm: {sco: module}'" in fixes["SCORM 2004 4th edition"]
            assert "sco: module" not in fixes["cmi5"] and "fewer or shorter text answers" in fixes["cmi5"]
            print("\n" + "\n".join(m.group(0)[:200] for m in budget))
