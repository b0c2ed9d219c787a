"""Repeated warnings of one cause print as one line with a count and the first places (all with
-v); the SCORM text budget is said once per edition, with the numbers and the fixes."""

from __future__ import annotations

from builder.diagnostics import Diagnostics, Severity
from builder.model import Position
from builder.render import make_environment
from builder.targets import get_target
from scorm_factory import make_course


def many(n: int, code="same", hint="do this") -> Diagnostics:
    d = Diagnostics()
    for i in range(n):
        d.warning(Position("quizzes/q.yaml", i + 1, 3), f"thing {i} is odd", hint, code=code)
    return d


def test_repeated_warnings_fold_into_one_line_with_count_and_first_places():
    d = many(6)
    d.warning(Position("course/course.yaml", 2, 1), "other cause", "fix it", code="other")
    d.error(Position("quizzes/q.yaml", 9, 1), "broken", "mend it", code="same")
    lines = d.lines()
    assert len(lines) == 3  # the folded warnings, the lone warning, the error
    folded = next(text for sev, text in lines if "thing 0" in text)
    assert "6 times like this" in folded
    assert "quizzes/q.yaml:2:3, quizzes/q.yaml:3:3, quizzes/q.yaml:4:3, …; -v lists all" in folded
    assert "thing 5" not in " ".join(text for _, text in lines)
    assert [sev for sev, _ in lines].count(Severity.ERROR) == 1


def test_verbose_lists_every_warning_and_a_different_fix_is_another_cause():
    assert len(many(6).lines(verbose=True)) == 6
    d = many(2)
    d.warning(Position("quizzes/q.yaml", 7, 1), "thing 7 is odd", "another fix", code="same")
    assert len(d.lines()) == 2
    assert len(many(1).lines()) == 1 and "times" not in many(1).lines()[0][1]


def test_scorm_text_budget_is_one_warning_with_numbers_and_fixes():
    course = make_course(reflections=40)
    for edition, limit in (("scorm12", "4,096"), ("scorm2004", None)):
        diagnostics = Diagnostics()
        get_target(edition).build(course, make_environment(), diagnostics)
        budget = [w for w in diagnostics.warnings if w.code == "scorm-text-budget"]
        if limit is None:
            assert not budget  # 64,000 characters are enough for 41 answers
            continue
        (warning,) = budget
        assert f"{limit}-character suspend_data leaves 41 of the 41 text answers" in warning.message
        assert "characters each, fewer than the 300" in warning.message
        assert "SCORM 2004" in warning.hint and "max_length" in warning.hint


def test_extend_does_not_repeat_a_finding_already_there():
    from builder.diagnostics import Diagnostic, Diagnostics, Severity
    from builder.model import Position

    same = Diagnostic(Severity.ERROR, Position("templates/base.html", 3), "refused by the sandbox")
    other = Diagnostic(Severity.ERROR, Position("templates/base.html", 4), "refused by the sandbox")
    diagnostics = Diagnostics([same])
    diagnostics.extend([same, other, other])
    assert diagnostics.items == [same, other]
