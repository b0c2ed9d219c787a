"""A real Moodle 4.3 restores the cartridge and the .mbz of the Arabic course and of the French
course (which holds an Arabic paragraph, prompt, question and choice) and keeps every direction:
in the Arabic course every Page, forum intro and quiz text says dir="rtl" and the English paragraph
and choice keep dir="ltr"; in the French course each Arabic text keeps dir="rtl". Both as stored
and once through Moodle's own cleaner (HTMLPurifier, which keeps only ltr/rtl on most elements:
why the builder writes those rather than "auto"). Skips where no Moodle is installed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics
from builder.package import write_zip
from builder.render import make_environment
from builder.targets import get_target
from i18n_support import load
from test_moodle_links import BASE, moodle_dir, restore

PURIFY = Path(__file__).resolve().parent / "moodle" / "purify.php"


def restored(name: str, fmt: str, root: Path) -> dict:
    course = load(name)
    target = get_target(fmt)
    package = write_zip(target.build(course, make_environment(course.source_dir), Diagnostics()),
                        root / target.filename(course))
    return restore(package, root / "moodle.json")[1]


def texts_of(restored_course: dict) -> dict:
    """{(kind, activity, field): html} as stored, and each once more through Moodle's cleaner."""
    texts = {(a["modname"], a["name"], field): html or "" for a in restored_course["activities"]
             for field, html in a["texts"].items()}
    keys = list(texts)
    cleaned = subprocess.run(["php", str(PURIFY), f"--moodle={moodle_dir()}"], input=json.dumps([texts[k] for k in keys]),
                             capture_output=True, text=True, timeout=120, check=True)
    return {"stored": texts, "cleaned": dict(zip(keys, json.loads(cleaned.stdout)))}


@pytest.fixture(scope="module", params=["cc1.1", "mbz"])
def arabic_in_moodle(request, tmp_path_factory):
    moodle_dir()
    return restored("ar", request.param, tmp_path_factory.mktemp("moodle-i18n-ar"))


@pytest.fixture(scope="module", params=["cc1.1", "mbz"])
def french_in_moodle(request, tmp_path_factory):
    moodle_dir()
    return restored("fr", request.param, tmp_path_factory.mktemp("moodle-i18n-fr"))


def test_direction_survives_the_restore(arabic_in_moodle):
    activities = arabic_in_moodle["activities"]
    kinds = {a["modname"] for a in activities}
    assert {"page", "forum", "quiz"} <= kinds, kinds
    for version, texts in texts_of(arabic_in_moodle).items():
        pages = [html for (kind, _, _), html in texts.items() if kind == "page" and html.strip()]
        assert pages and all('dir="rtl"' in html for html in pages), version
        forums = [html for (kind, _, field), html in texts.items() if kind == "forum" and html.strip()]
        assert forums and all('dir="rtl"' in html for html in forums), (version, forums)
        quiz = " ".join(html for (kind, _, _), html in texts.items() if kind == "quiz")
        assert quiz.count('dir="rtl"') >= 5, (version, quiz[:2000])
        everything = " ".join(texts.values())
        assert 'dir="ltr">Solidarity is built together' in everything, version
        assert 'dir="ltr">Working alone' in everything, version
    print(f"\nMoodle ({BASE}): {len(activities)} activities, {everything.count('dir=')} dir attributes kept")


def test_other_direction_text_survives_the_restore(french_in_moodle):
    for version, texts in texts_of(french_in_moodle).items():
        by_kind = {kind: " ".join(html for (k, _, _), html in texts.items() if k == kind) for kind in ("page", "forum", "quiz")}
        assert 'dir="rtl">التضامن يُبنى معًا' in by_kind["page"], version
        assert 'dir="rtl">ماذا تودّ أن تجرّب' in by_kind["page"] + by_kind["forum"], version
        assert 'dir="rtl">العمل الفردي' in by_kind["quiz"], version
        assert 'dir="rtl">أي الأفعال تضامنية' in by_kind["quiz"], version
        assert 'dir="rtl"><p>ليس تمامًا' in by_kind["quiz"], version
