"""Compiled templates are kept on disk for the next build ($XDG_CACHE_HOME/build-course/…), only
in a private folder of this user, only for the templates that ship with the package, and never
change a byte of the output."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from builder.build import build
from builder.render import environment

MINIMAL = Path(__file__).parent / "roots" / "minimal"


def test_second_build_takes_the_compiled_templates_and_builds_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    compiled = []
    compile_ = environment.SafeSandbox.compile
    monkeypatch.setattr(environment.SafeSandbox, "compile",
                        lambda self, *a, **k: compiled.append(a[1] if len(a) > 1 else k.get("name")) or compile_(self, *a, **k))
    monkeypatch.setenv("BUILD_COURSE_JOBS", "1")  # one process: every compilation is seen here
    first = build(MINIMAL, tmp_path / "a", ["scorm12", "cc1.1"])
    folder = environment._cache_folder(environment.make_environment())
    assert compiled and folder is not None and any(folder.glob("*.cache"))
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    compiled.clear()
    second = build(MINIMAL, tmp_path / "b", ["scorm12", "cc1.1"])
    assert compiled == []
    for a, b in zip(first.outputs, second.outputs):
        assert a.path.read_bytes() == b.path.read_bytes()


def test_a_course_template_is_compiled_afresh_not_kept_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = shutil.copytree(MINIMAL, tmp_path / "c")
    (root / "templates/partials").mkdir(parents=True)
    (root / "templates/partials/sources.html").write_text("<p>our own sources list</p>\n", encoding="utf-8")
    build(root, tmp_path / "a", ["html"])
    env = environment.make_environment(root)
    before = set(env.bytecode_cache.folder.glob("*.cache"))
    (root / "templates/partials/sources.html").write_text("<p>changed</p>\n", encoding="utf-8")
    out = build(root, tmp_path / "b", ["html"]).outputs[0].path
    assert "changed" in (out / "sources.html").read_text(encoding="utf-8")
    assert set(env.bytecode_cache.folder.glob("*.cache")) == before  # nothing of the course's on disk


def test_a_folder_others_can_write_to_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = environment._cache_folder(environment.make_environment())
    os.chmod(folder, 0o777)
    assert environment._cache_folder(environment.make_environment()) is None
    assert environment.make_environment().bytecode_cache.folder is None
