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
