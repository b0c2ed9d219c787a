"""Hostile course files (issue 8): each attack of the issue, and its neighbours, is refused with a
diagnostic at file:line, exit status 1, nothing leaked and nothing written; what is legitimate
(a link inside the course) still builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import EXIT_INTERNAL, main
from security_support import limited_run

REPO = Path(__file__).resolve().parents[1]
MINIMAL = Path(__file__).parent / "roots" / "minimal"
SECRET = "TOKEN-d1c3-never-in-a-package"
MODULE = "course/modules/01-first.md"

# The alias bomb: nine levels of nine aliases, 9**9 = 387 million "lol" once expanded.
BOMB = ['x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'] + [
    f"x{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]


@pytest.fixture
def course(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "c")
    return tmp_path / "c"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n")
    return path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def build(course: Path, out: Path, *formats: str):
    fmt = [a for f in (formats or ("html",)) for a in ("-f", f)]
    return run("--source", str(course), "--out", str(out), *fmt)


def assert_not_leaked(out: Path) -> None:
    for path in out.rglob("*") if out.exists() else ():
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), f"secret leaked into {path}"


# -- YAML ---------------------------------------------------------------------------------------

def test_alias_bomb_is_refused_at_the_alias_in_bounded_time_and_memory(course):
    quiz = course / "quizzes/first.yaml"
    quiz.write_text("\n".join(BOMB) + "\n" + quiz.read_text())
    proc, seconds = limited_run(["validate", "--source", str(course)], limit_bytes=1 << 30)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "quizzes/first.yaml:2:10: error: YAML alias '*a0' is not allowed (its anchor is at line 1)" in output
    assert "Traceback" not in output and "MemoryError" not in output
    assert seconds < 60  # before the fix: 4 GB and a MemoryError after 49 s


def test_anchor_alone_merge_key_and_second_document_are_refused(course):
    quiz = course / "quizzes/first.yaml"
    original = quiz.read_text()
    for text, expected in [
        ("defaults: &d {points: 1}\n", "quizzes/first.yaml:1:11: error: YAML anchor '&d' is not allowed"),
        ("<<: {points: 1}\n", "quizzes/first.yaml:1:1: error: YAML merge keys ('<<') are not supported"),
        (original + "---\ntitle: again\n", "error: a second YAML document starts here"),
    ]:
        quiz.write_text(text + original if not text.startswith(original) else text)
        result = run("validate", "--source", str(course))
        assert result.exit_code == 1 and expected in result.output, result.output


def test_front_matter_gets_the_same_yaml_rules(course):
    module = course / MODULE
    module.write_text(module.read_text().replace("title: First module", "title: &t First module\nalt: *t"))
    result = run("validate", "--source", str(course))
    assert result.exit_code == 1
    assert f"{MODULE}:3:6: error: YAML alias '*t' is not allowed (its anchor is at line 2)" in result.output


def test_values_pyyaml_would_crash_on_are_diagnostics(course):
    quiz = course / "quizzes/first.yaml"
    quiz.write_text(quiz.read_text().replace("attempts: 2", "attempts: " + "9" * 5000)
                    .replace("title: First quiz", "title: 2024-13-45"))
    result = run("validate", "--source", str(course))
    assert result.exit_code == 1, result.output
    assert "quizzes/first.yaml:1:8: error: '2024-13-45' is not a valid timestamp (month must be in 1..12)" in result.output
    assert "quizzes/first.yaml:2:11: error: '999999999" in result.output and "is not a valid int" in result.output


def test_python_tags_are_refused(course):
    quiz = course / "quizzes/first.yaml"
    quiz.write_text("x: !!python/object/apply:os.system ['touch /tmp/pwned-by-yaml']\n" + quiz.read_text())
    result = run("validate", "--source", str(course))
    assert result.exit_code == 1, result.output
    assert "quizzes/first.yaml:1:4: error: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed" in result.output


# -- files --------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["absolute", "relative"])
def test_media_link_out_of_the_course_is_an_error_at_the_reference(course, secret, tmp_path, how):
    link = course / "course/media/leak.png"
    link.symlink_to(secret if how == "absolute" else os.path.relpath(secret, link.parent))
    module = course / MODULE
    module.write_text(module.read_text() + "\n![x](../media/leak.png)\n")
    line = module.read_text().split("\n").index("![x](../media/leak.png)") + 1
    out = tmp_path / "out"
    result = build(course, out, "html", "scorm12")
    assert result.exit_code == 1, result.output
    assert f"{MODULE}:{line}:6: error: '../media/leak.png' is a link to {secret.resolve()}, outside the course folder" \
        in result.output
    assert not out.exists() or not any(out.iterdir())
    assert_not_leaked(out)


def test_media_link_inside_the_course_is_allowed(course, tmp_path):
    (course / "course/media/same-dot.png").symlink_to("dot.png")
    module = course / MODULE
    module.write_text(module.read_text() + "\n![Same dot](../media/same-dot.png)\n")
    out = tmp_path / "out"
    result = build(course, out, "html")
    assert result.exit_code == 0, result.output
    copied = next(out.rglob("same-dot.png"))
    assert copied.read_bytes() == (MINIMAL / "course/media/dot.png").read_bytes() and not copied.is_symlink()


def test_media_link_into_git_folder_is_refused(course, tmp_path):
    (course / ".git").mkdir()
    (course / ".git/config").write_text(f"[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n")
    (course / "course/media/config.png").symlink_to("../../.git/config")
    module = course / MODULE
    module.write_text(module.read_text() + "\n![x](../media/config.png)\n")
    result = build(course, tmp_path / "out")
    assert result.exit_code == 1 and "is a link into the .git folder" in result.output, result.output
    assert_not_leaked(tmp_path / "out")


def test_module_quiz_and_course_file_links_out_are_errors(course, secret, tmp_path):
    (course / "course/modules/02-second.md").unlink()
    (course / "course/modules/02-second.md").symlink_to(secret)
    (course / "quizzes/first.yaml").unlink()
    (course / "quizzes/first.yaml").symlink_to(secret)
    result = run("validate", "--source", str(course))
    assert result.exit_code == 1
    assert f"course/course.yaml:12:13: error: course/modules/02-second.md is a link to {secret.resolve()}" in result.output
    assert f"course/course.yaml:11:11: error: quizzes/first.yaml is a link to {secret.resolve()}" in result.output
    assert SECRET not in result.output
    (course / "course/course.yaml").rename(course / "course/real.yaml")
    (course / "course/course.yaml").symlink_to(secret)
    result = run("validate", "--source", str(course))
    assert result.exit_code == 1 and "course/course.yaml:1: error: course/course.yaml is a link to" in result.output
    assert SECRET not in result.output


def test_fifo_is_refused_without_blocking(course, tmp_path):
    os.mkfifo(course / "course/media/pipe.png")
    module = course / MODULE
    module.write_text(module.read_text() + "\n![x](../media/pipe.png)\n")
    os.mkfifo(course / "quizzes/second.yaml")
    text = (course / "course/course.yaml").read_text()
    (course / "course/course.yaml").write_text(text.replace("  - module: modules/02-second.md",
                                                            "  - module: modules/02-second.md\n    quiz: second"))
    proc, seconds = limited_run(["--source", str(course), "--out", str(tmp_path / "out"), "-f", "html"], timeout=60)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "'../media/pipe.png' is a named pipe (FIFO)" in output
    assert "course/course.yaml:13:11: error: quizzes/second.yaml is a named pipe (FIFO)" in output


def test_device_file_is_refused(course, tmp_path):
    (course / "course/media/zero.png").symlink_to("/dev/zero")  # a device, and outside the course
    (course / "course/media/null.png").symlink_to("/dev/null")
    module = course / MODULE
    module.write_text(module.read_text() + "\n![x](../media/zero.png)\n")
    result = build(course, tmp_path / "out")
    assert result.exit_code == 1 and "'../media/zero.png' is a link to /dev/zero" in result.output


def test_text_named_png_is_a_warning_and_strict_fails(course, tmp_path):
    (course / "course/media/fake.png").write_text("this is not an image\n")
    module = course / MODULE
    module.write_text(module.read_text() + "\n![Fake](../media/fake.png)\n")
    result = run("validate", "--source", str(course))
    assert result.exit_code == 0, result.output
    assert "warning: '../media/fake.png' is named like a PNG image but its content is text" in result.output
    assert run("validate", "--strict", "--source", str(course)).exit_code == 1


def test_large_media_warning_with_size_and_configurable_threshold(course):
    (course / "course/media/big.pdf").write_bytes(b"%PDF-1.7\n" + b"0" * 2_500_000)
    module = course / MODULE
    module.write_text(module.read_text() + "\n[Handout](../media/big.pdf)\n")
    assert "is large" not in run("validate", "--source", str(course)).output  # default: 10 MB
    text = (course / "course/course.yaml").read_text()
    (course / "course/course.yaml").write_text(text + "media:\n  warn_above_mb: 2\n")
    result = run("validate", "--source", str(course))
    assert result.exit_code == 0
    assert "warning: '../media/big.pdf' is large: 2.5 MB (warning above 2 MB)" in result.output


# -- templates ----------------------------------------------------------------------------------

PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('cat SECRET').read() }}",
    "{{ joiner.__init__.__globals__.os.popen('cat SECRET').read() }}",
    "{{ lipsum.__globals__['os'].popen('cat SECRET').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__.os.popen('cat SECRET').read() }}",
    "{{ (course|attr('__class__')).__init__.__globals__ }}",
    "{{ 'x' * 100000000 }}",
    "{{ 9 ** 999999999 }}",
    # str.format reaches attributes itself: the sandbox escapes fixed in Jinja2 3.1.5 and 3.1.6
    "{{ '{0.__init__.__globals__}'|attr('format')(cycler) }}",
    "{% set f = '{0.__init__.__globals__[os]}'.format %}{{ f(cycler) }}",
]


def override_base(course: Path, line: str) -> int:
    """Copy the default base.html into the course with ``line`` inserted; returns its line number."""
    (course / "templates").mkdir(exist_ok=True)
    lines = (REPO / "templates/base.html").read_text().split("\n")
    at = next(i for i, text in enumerate(lines) if "<body" in text) + 1
    lines.insert(at, line)
    (course / "templates/base.html").write_text("\n".join(lines))
    return at + 1


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sandboxed_template_cannot_read_files_or_run_code(course, secret, tmp_path, payload):
    line = override_base(course, payload.replace("SECRET", str(secret)))
    result = build(course, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert f"templates/base.html:{line}: error: template refused by the sandbox" in result.output
    assert SECRET not in result.output
    assert_not_leaked(tmp_path / "out")


def test_template_include_of_a_file_outside_is_not_found(course, secret, tmp_path):
    line = override_base(course, f"{{% include '../../{secret.name}' %}}")
    result = build(course, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert f"templates/base.html:{line}: error: template '../../secret.txt' not found" in result.output
    assert_not_leaked(tmp_path / "out")


def test_template_symlinked_out_of_the_course_is_refused(course, secret, tmp_path):
    (course / "templates").mkdir()
    (course / "templates/base.html").symlink_to(secret)
    result = build(course, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert f"templates/base.html: error: template 'base.html' is a link to {secret.resolve()}" in result.output
    assert_not_leaked(tmp_path / "out")


def test_template_fifo_is_refused(course, tmp_path):
    (course / "templates").mkdir()
    os.mkfifo(course / "templates/base.html")
    proc, _ = limited_run(["--source", str(course), "--out", str(tmp_path / "out"), "-f", "html"], timeout=60)
    assert proc.returncode == 1 and "template 'base.html' is a named pipe (FIFO)" in proc.stderr, proc.stderr


def test_an_honest_override_still_renders(course, tmp_path):
    override_base(course, '<p class="banner">{{ _("Skip to content") }} {{ course.title|upper }}</p>')
    result = build(course, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "A MINIMAL COURSE" in next((tmp_path / "out").rglob("index.html")).read_text()


# -- unexpected failures: exit 3 ----------------------------------------------------------------

@pytest.mark.parametrize("error", [MemoryError(), RecursionError("maximum recursion depth exceeded"),
                                   KeyError("boom")])
@pytest.mark.parametrize("command", [["validate"], []])
def test_unexpected_failure_is_exit_3_with_one_paragraph(course, monkeypatch, error, command):
    import builder.build

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(builder.build, "check", fail)
    out = [] if command else ["--out", str(course / "dist")]
    result = CliRunner().invoke(main, command + ["--source", str(course)] + out)
    assert result.exit_code == EXIT_INTERNAL, result.output
    message = result.output.strip().split("\n")[-1]  # after the progress lines of a build
    assert message.startswith("build-course stopped because of an unexpected internal error "
                              f"({type(error).__name__}")
    assert "This is a bug in build-course" in message and "--debug" in message and "issue tracker" in message
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback(course, monkeypatch):
    import builder.build

    monkeypatch.setattr(builder.build, "check", lambda *a, **k: (_ for _ in ()).throw(MemoryError()))
    for flags in (["--debug", "validate"], ["validate", "--debug"], ["-v", "validate"]):
        result = CliRunner().invoke(main, flags + ["--source", str(course)])
        assert isinstance(result.exception, MemoryError), (flags, result.output)


def test_exit_3_in_a_real_process_prints_no_traceback(course):
    code = ("import sys, builder.build as b\n"
            "def boom(*a, **k): raise RecursionError('maximum recursion depth exceeded')\n"
            "b.check = boom\nfrom cli import main\nmain()\n")
    proc = subprocess.run([sys.executable, "-c", code, "validate", "--source", str(course)], cwd=REPO,
                          capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=60)
    assert proc.returncode == EXIT_INTERNAL, proc.stderr
    assert "Traceback" not in proc.stderr and "RecursionError" in proc.stderr
    assert len(proc.stderr.strip().split("\n")) == 1  # one paragraph
    debug = subprocess.run([sys.executable, "-c", code, "validate", "--debug", "--source", str(course)], cwd=REPO,
                           capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=60)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_any_subcommand_present_or_future_gets_exit_3(course):
    import click

    @click.command("explode")
    def explode():
        raise RecursionError("maximum recursion depth exceeded")

    main.add_command(explode)
    try:
        result = CliRunner().invoke(main, ["explode"])
    finally:
        main.commands.pop("explode")
    assert result.exit_code == EXIT_INTERNAL, result.output
    assert result.output.startswith("build-course stopped because of an unexpected internal error (RecursionError")
    assert "while running 'build-course explode'" in result.output
