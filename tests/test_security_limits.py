"""Every resource limit of docs/security.md, at the limit (accepted) and one past it (a clear error)."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner

from builder.diagnostics import Diagnostics
from builder.load import limits
from builder.load.markdown_limits import Budget
from builder.load.yamlpos import load_yaml
from builder.render.sandbox import MAX_TEMPLATE_VALUE, CourseTemplateLoader, UnsafeTemplate
from cli import main

MINIMAL = Path(__file__).parent / "roots" / "minimal"
QUIZ = "quizzes/first.yaml"
MODULE = "course/modules/01-first.md"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "c")
    return tmp_path / "c"


def validate(course: Path):
    return CliRunner().invoke(main, ["validate", "--source", str(course)])


def pad_to(path: Path, size: int) -> None:
    """Grow a YAML file to exactly ``size`` bytes with a trailing comment."""
    text = (MINIMAL / path.relative_to(path.parents[1])).read_bytes().rstrip(b"\n") + b"\n#"
    path.write_bytes(text + b"x" * (size - len(text) - 1) + b"\n")
    assert path.stat().st_size == size


def test_largest_text_file(course):
    pad_to(course / QUIZ, limits.MAX_TEXT_FILE_BYTES)
    assert validate(course).exit_code == 0
    pad_to(course / QUIZ, limits.MAX_TEXT_FILE_BYTES + 1)
    result = validate(course)
    assert result.exit_code == 1
    assert "course/course.yaml:11:11: error: quizzes/first.yaml is 1,048,577 bytes, more than the limit of 1,048,576" \
        in result.output


def test_largest_module_is_refused_before_it_is_read(course):
    module = course / MODULE
    module.write_bytes(module.read_bytes() + b"\n" + b"w" * limits.MAX_TEXT_FILE_BYTES)
    result = validate(course)
    assert result.exit_code == 1, result.output
    assert "course/course.yaml:10:13: error: course/modules/01-first.md is 1,048,9" in result.output
    assert "bytes, more than the limit of 1,048,576" in result.output


def nested(depth: int) -> str:
    return "a: " + "[" * (depth - 1) + "1" + "]" * (depth - 1)


def test_deepest_yaml_nesting():
    d = Diagnostics()
    data, ok = load_yaml(nested(limits.MAX_YAML_DEPTH), "q.yaml", d)
    assert ok and not d.items
    data, ok = load_yaml(nested(limits.MAX_YAML_DEPTH + 1), "q.yaml", d)
    assert not ok and [str(x) for x in d] == [
        "q.yaml:1:23: error: lists and mappings are nested more than 20 levels deep — a course file never needs "
        "this much nesting: check the indentation"]


def test_deepest_yaml_nesting_in_a_quiz_file(course):
    quiz = course / QUIZ
    quiz.write_text(quiz.read_text().replace("title: First quiz", "title: " + "[" * 25 + "]" * 25))
    result = validate(course)
    assert result.exit_code == 1 and "quizzes/first.yaml:1:27: error: lists and mappings are nested" in result.output


def quiz_with(questions: int) -> str:
    lines = ["title: Many", "questions:"]
    for n in range(questions):
        lines += [f"  - type: true_false", f"    id: q{n}", f"    prompt: Statement {n}", "    answer: true"]
    return "\n".join(lines) + "\n"


def test_most_questions_per_quiz(course):
    (course / QUIZ).write_text(quiz_with(limits.MAX_QUESTIONS_PER_QUIZ))
    result = validate(course)
    assert result.exit_code == 0, result.output
    assert "(500 questions)" in result.output
    (course / QUIZ).write_text(quiz_with(limits.MAX_QUESTIONS_PER_QUIZ + 1))
    result = validate(course)
    assert result.exit_code == 1
    assert "quizzes/first.yaml:3:3: error: the quiz has 501 questions, more than the limit of 500" in result.output


def with_modules(course: Path, count: int) -> None:
    outline = ["outline:"]
    for n in range(count):
        (course / f"course/modules/m{n:03}.md").write_text(f"---\ntitle: Module {n}\n---\n\nText {n}.\n")
        outline.append(f"  - module: modules/m{n:03}.md")
    text = (course / "course/course.yaml").read_text()
    head, _, tail = text.partition("outline:")
    tail = tail[tail.index("sources:"):]
    (course / "course/course.yaml").write_text(head + "\n".join(outline) + "\n" + tail)


def test_most_modules(course):
    with_modules(course, limits.MAX_MODULES)
    result = validate(course)
    assert result.exit_code == 0 and "200 modules" in result.output, result.output
    with_modules(course, limits.MAX_MODULES + 1)
    result = validate(course)
    assert result.exit_code == 1
    assert "course/course.yaml:10:3: error: the outline lists 201 modules, more than the limit of 200" in result.output


def test_deepest_markdown_nesting(course):
    budget = Budget()
    assert budget.find_problem("> " * limits.MAX_MARKDOWN_NESTING + "deep") is None
    assert budget.find_problem("    " * limits.MAX_MARKDOWN_NESTING + "- deep") is None
    problem = budget.find_problem("text\n" + "> " * (limits.MAX_MARKDOWN_NESTING + 1) + "deep")
    assert problem[0] == 1 and "nested more than 20 levels deep" in problem[1]
    module = course / MODULE
    module.write_text(module.read_text() + "\n" + "".join("    " * i + "- x\n" for i in range(22)))
    result = validate(course)
    assert result.exit_code == 1 and "course/modules/01-first.md:" in result.output
    assert "error: quotes and lists are nested more than 20 levels deep" in result.output


def test_most_links_in_one_paragraph(course):
    module = course / MODULE
    original = module.read_text()
    module.write_text(original + "\n" + "[x](https://example.org) " * limits.MAX_BRACKETS_PER_PARAGRAPH + "\n")
    assert validate(course).exit_code == 0
    module.write_text(original + "\n" + "[x](https://example.org) " * (limits.MAX_BRACKETS_PER_PARAGRAPH + 1) + "\n")
    result = validate(course)
    assert result.exit_code == 1
    assert "error: more than 100 '[' (links, images, citations) in one paragraph" in result.output
    # a list of many links is many short runs, not one paragraph
    module.write_text(original + "\n" + "- [x](https://example.org)\n" * 300)
    assert validate(course).exit_code == 0


def test_most_links_in_a_course():
    budget = Budget()
    paragraph = "[" * limits.MAX_BRACKETS_PER_PARAGRAPH
    for _ in range(limits.MAX_BRACKETS_PER_COURSE // limits.MAX_BRACKETS_PER_PARAGRAPH):
        assert budget.find_problem(paragraph) is None
    problem = budget.find_problem("[")
    assert problem is not None and "more than 20,000 '['" in problem[1]


def test_course_text_total(course, monkeypatch):
    import builder.load as load

    total = sum((course / p).stat().st_size for p in
                ("course/course.yaml", "course/modules/01-first.md", "course/modules/02-second.md", QUIZ))
    monkeypatch.setattr(load, "MAX_COURSE_TEXT_BYTES", total)  # the real limit (8 MiB) would be slow to fill
    assert validate(course).exit_code == 0
    monkeypatch.setattr(load, "MAX_COURSE_TEXT_BYTES", total - 1)
    result = validate(course)
    assert result.exit_code == 1
    assert f"the course's text files together are larger than the limit of {total - 1:,} bytes" in result.output


def test_media_size_warning_threshold(course):
    (course / "course/course.yaml").write_text((course / "course/course.yaml").read_text() + "media:\n  warn_above_mb: 0.001\n")
    module = course / MODULE
    module.write_text(module.read_text() + "\n[Handout](../media/handout.pdf)\n")
    (course / "course/media/handout.pdf").write_bytes(b"%PDF-" + b"0" * (1000 - 5))
    result = validate(course)
    assert result.exit_code == 0 and "is large" not in result.output
    (course / "course/media/handout.pdf").write_bytes(b"%PDF-" + b"0" * (1001 - 5))
    result = validate(course)
    assert "warning: '../media/handout.pdf' is large: 0.0 MB (warning above 0.001 MB)" in result.output


def test_largest_template(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    loader = CourseTemplateLoader([(folder, tmp_path)])
    env = jinja2.Environment(loader=loader)
    (folder / "page.html").write_bytes(b"x" * limits.MAX_TEXT_FILE_BYTES)
    assert len(loader.get_source(env, "page.html")[0]) == limits.MAX_TEXT_FILE_BYTES
    (folder / "page.html").write_bytes(b"x" * (limits.MAX_TEXT_FILE_BYTES + 1))
    with pytest.raises(UnsafeTemplate, match="larger than the limit of 1,048,576 bytes"):
        loader.get_source(env, "page.html")


def test_largest_value_a_template_may_make():
    from builder.render import make_environment

    env = make_environment()
    assert len(env.from_string("{{ 'x' * n }}").render(n=MAX_TEMPLATE_VALUE)) == MAX_TEMPLATE_VALUE
    with pytest.raises(jinja2.sandbox.SecurityError):
        env.from_string("{{ 'x' * n }}").render(n=MAX_TEMPLATE_VALUE + 1)


def test_most_lines_without_a_blank_line():
    assert Budget().find_problem("- x\n" * limits.MAX_BLOCK_LINES + "\n- y\n") is None
    problem = Budget().find_problem("intro\n\n" + "- x\n" * (limits.MAX_BLOCK_LINES + 1))
    assert problem[0] == 2 and problem[1] == "more than 1000 lines without a blank line"


@pytest.mark.parametrize("line", ["---", "# Heading", "***", "==="])
def test_most_rules_and_headings_without_a_blank_line(line):
    # the fuzz campaign's find: 20,000 lines of '---' took 73 s (Python-Markdown re-reads the block after each)
    assert Budget().find_problem(f"{line}\n" * limits.MAX_RULES_PER_BLOCK + "\n" + f"{line}\n") is None
    problem = Budget().find_problem("text\n\n" + f"{line}\n" * (limits.MAX_RULES_PER_BLOCK + 1))
    assert problem[0] == 2 and "more than 20 headings or horizontal rules" in problem[1]


def test_most_abbreviations():
    definitions = "".join(f"*[A{n}]: a\n\n" for n in range(limits.MAX_ABBREVIATIONS))
    assert Budget().find_problem(definitions) is None
    problem = Budget().find_problem(definitions + "*[B]: b\n")
    assert problem[0] == 2 * limits.MAX_ABBREVIATIONS and "more than 100 abbreviation definitions" in problem[1]


def test_the_slow_fuzz_case_is_refused_before_rendering(course):
    module = course / "course/modules/02-second.md"
    module.write_text("---\n" * 20_000 + module.read_text())
    result = validate(course)
    assert result.exit_code == 1 and "course/modules/02-second.md:3: error: more than 20 headings or horizontal " \
        "rules ('---') without a blank line between them" in result.output, result.output
