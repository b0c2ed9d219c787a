"""`build-course new`: a starter course that builds at once with no warning, never overwriting."""

from __future__ import annotations

import json
import re
import zipfile

import jsonschema
import yaml
from click.testing import CliRunner

from builder.load import load_course
from cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_new_course_loads_clean_and_has_what_was_promised(tmp_path):
    result = run("new", tmp_path / "my-course")
    assert result.exit_code == 0, result.output
    course, diagnostics = load_course(tmp_path / "my-course")
    assert not diagnostics.items, [str(d) for d in diagnostics]
    assert course.id == "my-course" and course.title == "My course"
    (module,) = course.modules
    assert len(module.videos) == 1 and len(module.reflections) == 1
    assert sorted(q.type.value for q in module.quiz.questions) == [
        "essay", "fill_in_blank", "multiple_choice", "multiple_response", "true_false"]
    text = (tmp_path / "my-course" / "course" / "course.yaml").read_text()
    assert text.count("\n#") >= 3 and "  # " in text  # explained with comments


def test_every_yaml_file_names_its_schema_and_meets_it(tmp_path):
    run("new", tmp_path / "c")
    files = list((tmp_path / "c").rglob("*.yaml"))
    assert len(files) == 2
    for path in files:
        first = path.read_text().splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path}: no schema line"
        schema = json.loads((path.parent / match.group(1)).read_text())
        jsonschema.validate(yaml.safe_load(path.read_text()), schema)


def test_new_course_builds_every_format_strictly(tmp_path):
    run("new", tmp_path / "c", "--title", "Working together")
    result = run("--source", tmp_path / "c", "--strict", "--check")
    assert result.exit_code == 0, result.output
    result = run("--source", tmp_path / "c", "--strict", "--check", "-f", "moodle-xml", "-f", "gift", "-f", "qti")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output.lower().replace("0 warning(s)", "")
    dist = tmp_path / "c" / "dist"
    with zipfile.ZipFile(dist / "c-scorm12.zip") as z:
        assert "Working together" in z.read("index.html").decode()


def test_refuses_to_overwrite(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = run("new", target)
    assert result.exit_code == 1
    assert "already exists and is not empty; nothing was written" in result.output
    assert [p.name for p in target.iterdir()] == ["notes.txt"] and (target / "notes.txt").read_text() == "mine"
    (tmp_path / "file").write_text("x")
    assert run("new", tmp_path / "file").exit_code == 1


def test_an_empty_folder_is_fine_and_odd_names_give_a_valid_id(tmp_path):
    (tmp_path / "2026 Course").mkdir()
    assert run("new", tmp_path / "2026 Course").exit_code == 0
    course, diagnostics = load_course(tmp_path / "2026 Course")
    assert not diagnostics.items and course.id == "course-2026-course"


def test_accented_and_non_latin_folder_names_keep_their_letters(tmp_path):
    # "café-été" must not become "caf"; a name with no Latin letters still gives a valid id.
    assert run("new", tmp_path / "café-été").exit_code == 0
    course, diagnostics = load_course(tmp_path / "café-été")
    assert not diagnostics.items and course.id == "cafe-ete" and course.title == "Café été"
    assert run("new", tmp_path / "دورة").exit_code == 0
    course, diagnostics = load_course(tmp_path / "دورة")
    assert not diagnostics.items and course.id == "course" and course.title == "دورة"


def test_a_title_with_yaml_characters_stays_the_title(tmp_path):
    title = 'Allies: a course "for" #all'
    assert run("new", tmp_path / "c", "--title", title).exit_code == 0
    course, diagnostics = load_course(tmp_path / "c")
    assert not diagnostics.items, [str(d) for d in diagnostics]
    assert course.title == title
