"""A real Moodle 4.3 restores the cartridge: no dead link in what it imported (issue 7 §1), for
the embedded course and for tests/test_links.py's course made to stress the rules (an image, a
citation in a quiz and a reflection prompt, links to other modules, a footnote).

Every ``href``/``src`` in every imported Page, forum intro and quiz text (question, answers,
feedback) is absolute http(s), an in-page ``#anchor`` that exists in that same text, or a file
Moodle stored for that activity (``@@PLUGINFILE@@/…``); the restore log has no "error migrating
file" line; and of ours only the Canvas-only files land in Moodle's legacy course files
(docs/lms-import.md says why the format does not let them out).

The import harness's JSON keeps only the head of a Page, so the full HTML is read from Moodle's
database by ``tests/moodle/course_html.php``. Skips where no Moodle is installed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from builder.diagnostics import Diagnostics
from builder.package import write_zip
from builder.targets import get_target
from linkcheck import check, links, parse

HERE = Path(__file__).resolve().parent
RUN = Path(os.environ.get("MOODLE_HARNESS", HERE.parents[1] / "shared" / "tools" / "moodle" / "run.sh"))
BASE = Path(os.environ.get("MOODLE_BASE", "/var/lib/moodle-harness"))
COURSE_HTML = HERE / "moodle" / "course_html.php"
# The Canvas-only files of the cartridge (canvas_export.py).
CANVAS_ONLY = re.compile(r"^/(course_settings/[a-z_]+\.(xml|txt)|non_cc_assessments/[A-Za-z0-9_]+\.xml\.qti|"
                         r"[A-Za-z0-9_]+/assessment_meta\.xml)$")


def moodle_dir() -> Path:
    env = BASE / "harness.env"
    if not RUN.is_file() or not env.is_file():
        pytest.skip(f"no Moodle harness installed ({RUN}, {env}): see ../shared/tools/moodle/README.md")
    values = dict(line.split("=", 1) for line in env.read_text().splitlines() if "=" in line)
    path = Path(values.get("MOODLE_DIR", ""))
    if not (path / "config.php").is_file():
        pytest.skip(f"Moodle not installed at {path}")
    return path


def restore(package: Path, out: Path) -> tuple[dict, dict]:
    """Moodle's restore of ``package``: (the harness report, the full HTML of every activity)."""
    www = moodle_dir()
    result = subprocess.run([str(RUN), str(package), str(out)], capture_output=True, text=True, timeout=600)
    assert out.is_file(), result.stdout + result.stderr
    report = json.loads(out.read_text())
    assert report["import"]["ok"], (result.stdout, report.get("errors"))
    dump = subprocess.run(["php", str(COURSE_HTML), f"--moodle={www}", str(report["import"]["courseid"])],
                          capture_output=True, text=True, timeout=120, check=True)
    return report, json.loads(dump.stdout)


@pytest.fixture(scope="module")
def moodle_course(embedded_course, env, tmp_path_factory):
    moodle_dir()
    root = tmp_path_factory.mktemp("moodle-links")
    target = get_target("cc1.1")
    package = write_zip(target.build(embedded_course, env, Diagnostics()), root / target.filename(embedded_course))
    return restore(package, root / "moodle.json")


@pytest.fixture(scope="module")
def moodle_linked_course(env, tmp_path_factory):
    """The course of tests/test_links.py made to stress the rules (citations in a quiz and a
    reflection prompt, a source without address, an image, links to other modules, a footnote)."""
    moodle_dir()
    from builder.load import load_course
    from test_links import linked_course_dir

    root = tmp_path_factory.mktemp("moodle-linked")
    course, diagnostics = load_course(linked_course_dir(root / "src"))
    assert course is not None and not diagnostics.errors
    target = get_target("cc1.1")
    package = write_zip(target.build(course, env, Diagnostics()), root / target.filename(course))
    return restore(package, root / "moodle.json")


def dead_links(activity: dict) -> tuple[list, int]:
    """Problems and link count over every HTML text of one imported activity."""
    stored = {unquote(f["path"]) for f in activity["files"]}

    def resolve(url: str):
        prefix = "@@PLUGINFILE@@"  # Moodle's token for a file of this activity
        return "" if url.startswith(prefix) and url[len(prefix):] in stored else None

    problems, count = [], 0
    for field, html in activity["texts"].items():
        count += len(links(parse(html or "")))
        problems += check(html or "", f"{activity['modname']} '{activity['name']}' {field}", resolve=resolve)
    return problems, count


@pytest.mark.parametrize("which", ["moodle_course", "moodle_linked_course"])
def test_every_imported_link_works(which, request):
    report, course = request.getfixturevalue(which)
    kinds = {a["modname"] for a in course["activities"]}
    assert {"page", "forum", "quiz"} <= kinds, kinds
    problems, count = [], 0
    for activity in course["activities"]:
        found, n = dead_links(activity)
        problems += found
        count += n
    print(f"\nMoodle 4.3 restore: {len(course['activities'])} activities, {count} links checked, {len(problems)} dead")
    assert not problems, "\n".join(map(str, problems))
    if which == "moodle_linked_course":  # its image is a file Moodle stored for the Page
        (page,) = [a for a in course["activities"] if a["modname"] == "page" and a["name"] == "Build solidarity"]
        assert '<img alt="A small picture" src="@@PLUGINFILE@@/web_resources/media/pixel.png"' in page["texts"]["content"]
        assert {"/web_resources/media/pixel.png"} == {f["path"] for f in page["files"]}
    log = report["import"]["log"]
    lines = log.get("notable", []) + log.get("tail", [])
    assert not [line for line in lines if "error migrating file" in line]


def test_citations_land_in_page(moodle_course, embedded_course):
    """Each Moodle Page ends with the sources it cites, verbatim, and its citations link to
    them by address (Moodle drops ids, so no citation may rely on an anchor)."""
    _, course = moodle_course
    pages = {a["name"]: a["texts"]["content"] for a in course["activities"] if a["modname"] == "page"}
    for module in embedded_course.modules:
        html = pages[module.title].replace("&amp;", "&")
        for source in module.references:
            assert source.text in html
            if source.url:
                assert html.count(f'href="{source.url}"') >= 2  # the citation and the list entry


def test_canvas_only_files_in_moodle_are_only_what_canvas_needs(moodle_course):
    """Moodle copies every non-HTML file of a ``webcontent`` or ``learning-application-resource``
    resource into the course's legacy files. The Canvas-only files are declared there because
    Canvas finds them through the manifest (docs/lms-import.md); nothing else of ours lands there."""
    report, course = moodle_course
    legacy = sorted(f["path"] for f in course["course_files"] if f["filearea"] == "legacy")
    print(f"\nMoodle legacy course files ({len(legacy)}): {legacy}")
    assert legacy and all(CANVAS_ONLY.match(path) for path in legacy), legacy
    assert {f["path"] for f in report["files"]} >= set(legacy)
