"""SCORM 1.2 and 2004 packages: valid against the official schemas, manifests that say what the
course says, every file declared, and byte-identical rebuilds."""

from __future__ import annotations

import html
import json
import re
import zipfile

import pytest
from lxml import etree

from builder.diagnostics import Diagnostics
from builder.package import write_zip
from builder.render import make_environment
from builder.targets import get_target
from builder.targets.scorm.state import CHECK_BYTES, budgets, chars_for, fixed_width, text_room
from conftest import assert_valid
from scorm_factory import make_course

EDITIONS = ("scorm12", "scorm2004")
NS12 = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "md": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"}
NS2004 = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
          "ss": "http://www.imsglobal.org/xsd/imsss", "lom": "http://ltsc.ieee.org/xsd/LOM"}


def build(course, edition: str, env=None) -> tuple[dict[str, bytes], Diagnostics]:
    diagnostics = Diagnostics()
    files = get_target(edition).build(course, env or make_environment(), diagnostics)
    return files, diagnostics


def manifest(files: dict[str, bytes]) -> etree._Element:
    return etree.fromstring(files["imsmanifest.xml"])


@pytest.mark.parametrize("edition", EDITIONS)
def test_embedded_course_packages_are_valid(embedded_course, env, validate_package, tmp_path, edition):
    target = get_target(edition)
    files, diagnostics = build(embedded_course, edition, env)
    assert not diagnostics.items, [str(d) for d in diagnostics]
    package = write_zip(files, tmp_path / target.filename(embedded_course))
    assert package.name == f"{embedded_course.id}-{edition}.zip"
    assert_valid(validate_package(package))


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("passing", [0.75, None])
def test_factory_course_packages_are_valid(validate_package, tmp_path, edition, passing):
    course = make_course(passing_score=passing)
    files, diagnostics = build(course, edition)
    assert not diagnostics.items, [str(d) for d in diagnostics]
    assert_valid(validate_package(write_zip(files, tmp_path / f"demo-{edition}.zip")))


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_file_declared_and_launch(edition):
    files, _ = build(make_course(), edition)
    root = manifest(files)
    ns = NS12 if edition == "scorm12" else NS2004
    declared = root.xpath("//cp:resource/cp:file/@href", namespaces=ns)
    assert sorted(declared) == sorted(set(files) - {"imsmanifest.xml"})
    assert root.xpath("//cp:resource/@href", namespaces=ns) == ["index.html"]
    assert len(root.xpath("//cp:resource", namespaces=ns)) == 1  # one SCO
    scormtype = "scormtype" if edition == "scorm12" else "scormType"
    assert root.xpath(f"//cp:resource/@adlcp:{scormtype}", namespaces=ns) == ["sco"]
    assert root.xpath("//cp:organization/cp:title/text()", namespaces=ns) == ["Demo <course> & co"]
    assert root.xpath("//cp:item/cp:title/text()", namespaces=ns) == ["Demo <course> & co"]


def test_scorm12_manifest_metadata_and_mastery():
    root = manifest(build(make_course(passing_score=0.75), "scorm12")[0])
    x = lambda path: root.xpath(path, namespaces=NS12)  # noqa: E731
    assert x("/cp:manifest/cp:metadata/cp:schema/text()") == ["ADL SCORM"]
    assert x("/cp:manifest/cp:metadata/cp:schemaversion/text()") == ["1.2"]
    assert x("//md:general/md:title/md:langstring/text()") == ["Demo <course> & co"]
    assert x("//md:general/md:language/text()") == ["en-CA"]
    assert x("//md:general/md:description/md:langstring/text()") == ["A demo course."]
    assert x("//md:general/md:keyword/md:langstring/text()") == ["alpha", "beta"]
    assert x("//md:lifecycle/md:version/md:langstring/text()") == ["2.1.0"]
    assert x("//cp:item/adlcp:masteryscore/text()") == ["75"]
    root = manifest(build(make_course(passing_score=None), "scorm12")[0])
    assert not root.xpath("//adlcp:masteryscore", namespaces=NS12)


def test_scorm2004_manifest_objective_and_completion():
    root = manifest(build(make_course(passing_score=0.75), "scorm2004")[0])
    x = lambda path: root.xpath(path, namespaces=NS2004)  # noqa: E731
    assert x("/cp:manifest/cp:metadata/cp:schemaversion/text()") == ["2004 4th Edition"]
    assert x("//lom:general/lom:title/lom:string/text()") == ["Demo <course> & co"]
    assert x("//lom:general/lom:title/lom:string/@language") == ["en-CA"]
    assert x("//lom:general/lom:keyword/lom:string/text()") == ["alpha", "beta"]
    assert x("//lom:lifeCycle/lom:version/lom:string/text()") == ["2.1.0"]
    primary = x("//cp:item/ss:sequencing/ss:objectives/ss:primaryObjective")
    assert len(primary) == 1 and primary[0].get("satisfiedByMeasure") == "true"
    assert x("//ss:primaryObjective/ss:minNormalizedMeasure/text()") == ["0.75"]
    controls = x("//cp:item/ss:sequencing/ss:deliveryControls")[0]
    assert controls.get("completionSetByContent") == "true" and controls.get("objectiveSetByContent") == "true"
    root = manifest(build(make_course(passing_score=None), "scorm2004")[0])
    assert root.xpath("//ss:primaryObjective/@satisfiedByMeasure", namespaces=NS2004) == ["false"]
    assert not root.xpath("//ss:minNormalizedMeasure", namespaces=NS2004)


@pytest.mark.parametrize("edition", EDITIONS)
def test_reproducible_and_source_date_epoch(tmp_path, monkeypatch, edition):
    course = make_course()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = write_zip(build(course, edition)[0], tmp_path / "a.zip").read_bytes()
    second = write_zip(build(course, edition)[0], tmp_path / "b.zip").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        assert zf.namelist()[0] == "imsmanifest.xml"
        assert {info.date_time for info in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert write_zip(build(course, edition)[0], tmp_path / "c.zip").read_bytes() != first


@pytest.mark.parametrize("edition", EDITIONS)
def test_page_escapes_and_embeds_config(edition):
    files, _ = build(make_course(), edition)
    page = files["index.html"].decode()
    assert "<script>alert(1)" not in page and "One &lt;script&gt;alert(1)&lt;/script&gt;" in page
    config = json.loads(html.unescape(re.search(r'data-config="([^"]*)"', page).group(1)))
    assert config["edition"] == edition
    assert config["passingScore"] == 0.75
    assert [p["id"] for p in config["pages"]] == ["m01-one", "m02-two", "sources"]
    assert config["pageFiles"] == {"one.html": 0, "two.html": 1, "sources.html": 2}
    ids = [q["interactionId"] for q in config["quizzes"][0]["questions"]]
    if edition == "scorm12":
        assert ids[0] == "q-one.mc" and all(re.fullmatch(r"[A-Za-z0-9_.-]{1,255}", i) for i in ids)
    else:
        assert ids[0] == "urn:build-course:demo-course:q-one:mc"
    assert config["quizzes"][0]["questions"][4]["points"] == 0  # essays are never scored
    for script in ("js/state.js", "js/formats.js", "js/scoring.js", "js/lms.js", "js/quiz.js", "js/course.js"):
        assert f'<script src="{script}"></script>' in page and script in files
    assert page.count('class="text-answer"') == 3  # two reflections and the essay
    assert 'src="https://www.youtube-nocookie.com/' not in page  # no video in this course


@pytest.mark.parametrize("limit", [4096, 64000])
def test_text_budgets_fill_but_never_pass_the_limit(limit):
    course = make_course(reflections=3)
    fields = budgets(course, limit)
    room = text_room(course, limit)  # bytes of packed answers beside the fixed part
    assert [f.key for f in fields] == ["r:r0", "r:r1", "r:r2", "e:q-one:essay"]
    assert fields[0].budget == fields[0].share == 2 + 3 * 200  # its own max_length, 3 UTF-8 bytes a character at worst
    assert len({(f.budget, f.share) for f in fields[1:]}) == 1  # the rest share what is left evenly
    assert all(f.budget == f.share // 2 for f in fields[1:])  # reserving half; the other half is a pool
    assert room - len(fields) < sum(f.share for f in fields) <= room
    packed = room + CHECK_BYTES  # the answers, then their hash
    assert fixed_width(course, limit) + chars_for(packed) <= limit < fixed_width(course, limit) + chars_for(packed + 1)


def test_too_many_text_answers_warn_for_scorm12_only():
    course = make_course(reflections=30)
    _, diagnostics = build(course, "scorm12")
    warnings = [d for d in diagnostics.warnings if d.code == "scorm-text-budget"]
    assert warnings and "SCORM 1.2" in warnings[0].message
    _, diagnostics = build(course, "scorm2004")
    assert not diagnostics.items
