"""The installed command works from any folder, with the templates that travel with the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import IN_CI

MINIMAL = Path(__file__).parent / "roots" / "minimal"


def installed_command() -> Path:
    command = Path(sys.executable).parent / "build-course"
    if not command.exists():
        reason = f"build-course is not installed beside {sys.executable} (tests/run-all.sh installs it)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return command


def test_installed_command_builds_from_another_folder(tmp_path):
    command = installed_command()
    course = tmp_path / "my-course"
    shutil.copytree(MINIMAL, course)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # Run from the course folder, far from this checkout: nothing may come from the repository.
    proc = subprocess.run([str(command)], cwd=course, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(p.name for p in (course / "dist").iterdir()) == [
        "minimal-cc13.imscc", "minimal-cmi5.zip", "minimal-preview", "minimal-scorm12.zip", "minimal-scorm2004.zip", "minimal.imscc", "minimal.mbz"]
    page = (course / "dist" / "minimal-preview" / "first.html").read_text()
    assert "youtube-nocookie.com/embed/_dg86g-QlM0" in page
    origin = subprocess.run([str(Path(sys.executable)), "-c", "import builder; print(builder.__file__)"],
                            cwd=tmp_path, env=env, capture_output=True, text=True).stdout
    assert "site-packages" in origin
    installed = Path(origin.strip()).parent / "templates"
    repo_templates = Path(__file__).resolve().parents[1] / "templates"
    shipped = sorted(p.relative_to(installed).as_posix() for p in installed.rglob("*")
                     if p.is_file() and "__pycache__" not in p.parts)
    assert shipped == sorted(p.relative_to(repo_templates).as_posix() for p in repo_templates.rglob("*") if p.is_file())


def test_course_templates_override_defaults_file_by_file(tmp_path):
    command = installed_command()
    course = tmp_path / "my-course"
    shutil.copytree(MINIMAL, course)
    (course / "templates" / "partials").mkdir(parents=True)
    (course / "templates" / "partials" / "sources.html").write_text("<p>OUR OWN SOURCES LIST</p>\n")
    proc = subprocess.run([str(command), "-q", "-f", "html"], cwd=course, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    preview = course / "dist" / "minimal-preview"
    assert "OUR OWN SOURCES LIST" in (preview / "sources.html").read_text()
    assert "course.css" in (preview / "first.html").read_text()  # the other templates are still the defaults


def test_installed_author_commands_work_from_another_folder(tmp_path):
    """Issue 11 from the installed command: new, the build with question banks and --check, check,
    preview (its page and script come from the installed package)."""
    import re
    import time
    import urllib.request

    command = str(installed_command())
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def run(*args, cwd):
        return subprocess.run([command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=180)

    assert run("new", "my-course", cwd=tmp_path).returncode == 0
    course = tmp_path / "my-course"
    proc = run("--strict", "-q", "--check", "-f", "mbz", "-f", "moodle-xml", "-f", "gift", "-f", "qti", cwd=course)
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout + proc.stderr
    assert sorted(p.name for p in (course / "dist").iterdir()) == [
        "my-course-qti.zip", "my-course-questions.gift", "my-course-questions.xml", "my-course.mbz"]
    assert run("check", "dist/my-course-qti.zip", "dist/my-course.mbz", cwd=course).returncode == 0
    preview = subprocess.Popen([command, "preview"], cwd=course, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        deadline, url = time.monotonic() + 60, None
        while url is None and time.monotonic() < deadline:
            line = preview.stdout.readline()
            assert line, "preview stopped before printing its URL"
            match = re.search(r"http://127\.0\.0\.1:\d+/", line)
            url = match.group(0) if match else None
        assert url, "no URL printed"
        shell = urllib.request.urlopen(url, timeout=30).read().decode()
        assert 'id="lms-panel"' in shell and "/live.js" in shell
        assert urllib.request.urlopen(url + "live.js", timeout=30).status == 200
        assert "My course" in urllib.request.urlopen(url + "sco/scorm12/index.html", timeout=30).read().decode()
    finally:
        preview.terminate()
        preview.wait(timeout=10)
