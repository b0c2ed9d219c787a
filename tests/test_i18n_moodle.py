"""A real Moodle 4.3 restores the Arabic course's cartridge and .mbz and keeps its direction: every Page,
forum intro and quiz text says dir="rtl" (Moodle's HTMLPurifier keeps only ltr/rtl values, which
is why the builder writes them rather than "auto"), and the English paragraph and choice keep
dir="ltr". Skips where no Moodle is installed."""

from __future__ import annotations

import pytest

from builder.diagnostics import Diagnostics
from builder.package import write_zip
from builder.render import make_environment
from builder.targets import get_target
from i18n_support import load
from test_moodle_links import BASE, moodle_dir, restore


@pytest.fixture(scope="module", params=["cc1.1", "mbz"])
def arabic_in_moodle(request, tmp_path_factory):
    moodle_dir()
    course = load("ar")
    root = tmp_path_factory.mktemp("moodle-i18n")
    target = get_target(request.param)
    package = write_zip(target.build(course, make_environment(course.source_dir), Diagnostics()),
                        root / target.filename(course))
    return restore(package, root / "moodle.json")[1]


def test_direction_survives_the_restore(arabic_in_moodle):
    activities = arabic_in_moodle["activities"]
    kinds = {a["modname"] for a in activities}
    assert {"page", "forum", "quiz"} <= kinds, kinds
    texts = {(a["modname"], a["name"], field): html or "" for a in activities for field, html in a["texts"].items()}
    pages = [html for (kind, _, _), html in texts.items() if kind == "page" and html.strip()]
    assert pages and all('dir="rtl"' in html for html in pages)
    forums = [html for (kind, _, field), html in texts.items() if kind == "forum" and html.strip()]
    assert forums and all('dir="rtl"' in html for html in forums), forums
    quiz = " ".join(html for (kind, _, _), html in texts.items() if kind == "quiz")
    assert quiz.count('dir="rtl"') >= 5, quiz[:2000]
    everything = " ".join(texts.values())
    assert 'dir="ltr">Solidarity is built together' in everything
    assert 'dir="ltr">Working alone' in everything
    print(f"\nMoodle ({BASE}): {len(activities)} activities, {everything.count('dir=')} dir attributes kept")
