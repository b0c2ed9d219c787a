"""Both SCORM editions in one build render the SCO page once and fill in what differs
(builder/targets/scorm/page_once.py): each package must equal the same edition built alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.bench.synthetic import Spec, make_course
from builder.build import build
from builder.render import late

ROOTS = Path(__file__).parent / "roots"
EDITIONS = ("scorm12", "scorm2004")


def course(kind: str, tmp_path: Path) -> Path:
    if kind == "synthetic-per-module":
        root = make_course(tmp_path / "c", Spec(modules=12, questions=60, media_bytes=0))
        with (root / "course/course.yaml").open("a", encoding="utf-8") as f:
            f.write("\nscorm:\n  sco: module\n")
        return root
    if kind == "synthetic":
        return make_course(tmp_path / "c", Spec(modules=12, questions=60, media_bytes=0))
    return shutil.copytree(ROOTS / kind, tmp_path / "c")


@pytest.mark.parametrize("kind", ["synthetic", "synthetic-per-module", "minimal", "i18n-ar"])
def test_editions_built_together_equal_each_built_alone(kind, tmp_path, monkeypatch):
    root = course(kind, tmp_path)
    filled = []
    fill = late.LatePage.fill
    monkeypatch.setattr(late.LatePage, "fill", lambda self, *a, **k: filled.append(fill(self, *a, **k)) or filled[-1])
    together = {o.target.name: o.path.read_bytes() for o in build(root, tmp_path / "both", EDITIONS).outputs}
    assert filled and all(page is not None for page in filled)  # the shared rendering was used
    filled.clear()
    for edition in EDITIONS:
        alone = build(root, tmp_path / edition, [edition]).outputs[0].path.read_bytes()
        assert together[edition] == alone, edition
    assert not filled  # alone: rendered the plain way


def test_a_late_value_printed_another_way_falls_back_to_plain_rendering(tmp_path):
    """A course template printing the edition's label through a filter: never spliced wrongly."""
    import jinja2

    env = jinja2.Environment(autoescape=True, loader=jinja2.DictLoader({
        "page.html": "<p>{{ edition_label|upper }}</p>{% include 'box.html' %}",
        "box.html": "<i>{{ n }}</i>"}))
    from markupsafe import escape
    once = late.LatePage.render(env, "page.html", {"n": 1}, {"edition_label": escape}, "box.html")
    assert once is None
