"""The cmi5 package without an LRS: cmi5.xml valid against the cmi5 XSD and stable, the AU page
is the SCO page with the cmi5 adapter in place of the SCORM one, ids derived from id + version."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lxml import etree

from builder.diagnostics import Diagnostics
from builder.load import load_course
from builder.model import Completion
from builder.package import write_zip
from builder.targets import DEFAULT_FORMATS, get_target
from conftest import assert_valid

NS = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}
FIXTURE = Path(__file__).parent / "roots" / "cmi5-fr"
ADAPTER = Path(__file__).resolve().parents[1] / "templates" / "cmi5" / "js" / "cmi5.js"


def _build(course, env, dest: Path) -> Path:
    target = get_target("cmi5")
    return write_zip(target.build(course, env, Diagnostics()), dest / target.filename(course))


def _structure(package: Path) -> etree._Element:
    with zipfile.ZipFile(package) as zf:
        return etree.fromstring(zf.read("cmi5.xml"))


class _Config(HTMLParser):
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "sco-config":
            self.config = json.loads(attrs["data-config"])
        if tag == "script":
            self.scripts = getattr(self, "scripts", []) + [attrs["src"]]


def _page(package: Path) -> tuple[str, _Config]:
    with zipfile.ZipFile(package) as zf:
        html = zf.read("index.html").decode("utf-8")
    parser = _Config()
    parser.feed(html)
    return html, parser


def test_cmi5_is_a_default_format():
    assert "cmi5" in DEFAULT_FORMATS


def test_embedded_course_package_is_valid(embedded_course, env, validate_package, tmp_path):
    package = _build(embedded_course, env, tmp_path)
    assert package.name == f"{embedded_course.id}-cmi5.zip"
    report = validate_package(package)
    assert report["packages"][0]["kind"] == "cmi5"
    assert_valid(report)
    root = _structure(package)
    (au,) = root.xpath("c:au", namespaces=NS)
    assert au.get("moveOn") == "Completed"  # no passing score: nothing to pass
    assert au.get("masteryScore") is None
    assert au.get("launchMethod") == "AnyWindow"
    assert au.xpath("string(c:url)", namespaces=NS) == "index.html"
    course_id = root.xpath("string(c:course/@id)", namespaces=NS)
    assert course_id == f"urn:build-course:{embedded_course.id}:{embedded_course.version}"
    assert au.get("id") == course_id + ":au"
    assert root.xpath("string(c:course/c:title/c:langstring)", namespaces=NS) == embedded_course.title
    assert root.xpath("string(c:course/c:title/c:langstring/@lang)", namespaces=NS) == embedded_course.language


def test_passing_score_becomes_mastery_score_and_move_on(embedded_course, env, validate_package, tmp_path):
    course = dataclasses.replace(embedded_course, completion=Completion(passing_score=0.755))
    package = _build(course, env, tmp_path)
    assert_valid(validate_package(package))
    (au,) = _structure(package).xpath("c:au", namespaces=NS)
    assert (au.get("moveOn"), au.get("masteryScore")) == ("CompletedAndPassed", "0.755")


def test_build_is_byte_identical_and_ids_follow_the_version(embedded_course, env, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = _build(embedded_course, env, tmp_path / "a").read_bytes()
    again = _build(embedded_course, env, tmp_path / "b").read_bytes()
    assert first == again
    newer = dataclasses.replace(embedded_course, version="9.9 beta")
    ids = _structure(_build(newer, env, tmp_path / "c")).xpath("//@id")
    assert ids == [f"urn:build-course:{embedded_course.id}:9.9%20beta", f"urn:build-course:{embedded_course.id}:9.9%20beta:au"]


def test_au_page_is_the_sco_page_with_the_cmi5_adapter(embedded_course, env, tmp_path):
    package = _build(embedded_course, env, tmp_path)
    scorm = write_zip(get_target("scorm2004").build(embedded_course, env, Diagnostics()), tmp_path / "s.zip")
    html, page = _page(package)
    scorm_html, scorm_page = _page(scorm)
    assert page.scripts == [s.replace("lms.js", "cmi5.js") for s in scorm_page.scripts]
    with zipfile.ZipFile(package) as zf, zipfile.ZipFile(scorm) as zs:
        names = set(zf.namelist())
        assert names - set(zs.namelist()) == {"cmi5.xml", "js/cmi5.js"}
        assert set(zs.namelist()) - names == {"imsmanifest.xml", "js/lms.js"}
        for shared in ("js/course.js", "js/quiz.js", "js/state.js", "js/scoring.js", "js/formats.js", "course.css"):
            assert zf.read(shared) == zs.read(shared)
    # the same pages, quizzes and text boxes as the SCO
    for marker in ("data-page-index", "data-quiz-index", "data-text-index", "data-question-index"):
        assert re.findall(f'{marker}="[^"]*"', html) == re.findall(f'{marker}="[^"]*"', scorm_html)
    for control in ("cmi5-exit", "cmi5-save-failed", "cmi5-launch-failed", "cmi5-mode-browse", "cmi5-mode-review"):
        assert f'id="{control}"' in html
    config = page.config
    assert config["edition"] == "cmi5"
    au = f"urn:build-course:{embedded_course.id}:{embedded_course.version}:au"
    assert config["cmi5"]["auIri"] == au
    ids = [q["interactionId"] for quiz in config["quizzes"] for q in quiz["questions"]]
    assert ids and all(i.startswith(au + ":quiz:") for i in ids) and len(set(ids)) == len(ids)
    assert set(config["cmi5"]["reflections"]) == {f"r:{r.id}" for r in embedded_course.reflections}


def test_french_fixture_with_a_passing_score(env, validate_package, tmp_path):
    course, diagnostics = load_course(FIXTURE)
    assert course is not None and not diagnostics.errors
    package = _build(course, env, tmp_path)
    assert_valid(validate_package(package))
    root = _structure(package)
    (au,) = root.xpath("c:au", namespaces=NS)
    assert (au.get("moveOn"), au.get("masteryScore")) == ("CompletedAndPassed", "0.8")
    assert root.xpath("string(c:course/c:title/c:langstring/@lang)", namespaces=NS) == "fr"
    html, page = _page(package)
    assert '<html lang="fr"' in html
    assert page.config["cmi5"]["lang"] == "fr"


def _node(script: str):
    node = shutil.which("node") or "/usr/bin/node"
    if not Path(node).exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI=true but node is not installed")
        pytest.skip("node is not installed")
    driver = f"const c = require({json.dumps(str(ADAPTER))});\nprocess.stdout.write(JSON.stringify(({script})));"
    proc = subprocess.run([node, "-e", driver], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_adapter_pure_parts_in_node():
    """Launch parameters in any order, the context template kept, the pass/fail judgement."""
    out = _node("""{
      params: c.launchParams("?registration=r-1&activityId=https%3A%2F%2Flms%2Fa%3Fx%3D1&actor="
        + encodeURIComponent(JSON.stringify({objectType: "Agent", account: {homePage: "h", name: "n"}}))
        + "&fetch=https%3A%2F%2Flms%2Ft%3Fk%3D2&endpoint=https%3A%2F%2Flrs%2FxAPI"),
      missing: c.launchParams("?endpoint=x&fetch=y&actor=%7B%7D&registration=r"),
      badActor: c.launchParams("?endpoint=x&fetch=y&actor=nope&registration=r&activityId=a"),
      ctx: c.context({registration: "r-1", contextActivities: {grouping: [{id: "pub"}],
        category: [{id: c.CATEGORY.cmi5}]}, extensions: {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s"}},
        "other", [c.CATEGORY.cmi5, c.CATEGORY.moveon], "au"),
      judged: [c.judge(0.8, 0.8, false), c.judge(0.8, 0.79, false), c.judge(0.8, 0.79, true), c.judge(null, 1, true),
               c.judge(0, 0, false)],
      final: [c.isFinal({quizzes: [{attempts: 2}, {attempts: null}]}, {quizzes: [{attempts: 2}, {attempts: 5}]}),
              c.isFinal({quizzes: [{attempts: 2}]}, {quizzes: [{attempts: 2}]})],
      ids: [c.uuid(), c.uuid()]
    }""")
    assert out["params"] == {"endpoint": "https://lrs/xAPI/", "fetch": "https://lms/t?k=2",
                             "actor": {"objectType": "Agent", "account": {"homePage": "h", "name": "n"}},
                             "registration": "r-1", "activityId": "https://lms/a?x=1"}
    assert out["missing"] is None and out["badActor"] is None
    ctx = out["ctx"]
    assert ctx["registration"] == "r-1"  # the template's value is never overwritten
    assert ctx["contextActivities"]["grouping"] == [{"id": "pub"}]
    assert [a["id"] for a in ctx["contextActivities"]["category"]] == [
        "https://w3id.org/xapi/cmi5/context/categories/cmi5", "https://w3id.org/xapi/cmi5/context/categories/moveon"]
    assert ctx["contextActivities"]["parent"] == [{"id": "au", "objectType": "Activity"}]
    assert ctx["extensions"] == {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s"}
    assert out["judged"] == ["passed", None, "failed", None, "passed"]
    assert out["final"] == [False, True]
    uuid4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    assert all(re.fullmatch(uuid4, i) for i in out["ids"]) and out["ids"][0] != out["ids"][1]


def test_the_lrs_rules_catch_a_wrong_verb_iri_and_an_au_sending_satisfied():
    """tests/cmi5_lms.check_cmi5, the rules the LRS tests apply, on statements made by hand."""
    from cmi5_lms import ADL, CATEGORY, MOVEON, SESSION, Registration, check_cmi5

    actor = {"objectType": "Agent", "account": {"homePage": "https://lms.test", "name": "l"}}
    reg = Registration("0d7c5c2a-5a8e-4a34-9f65-2c1b0d6e0a11", actor, "urn:uuid:lms-au")

    def st(n: int, verb_iri: str, result=None, cats=(CATEGORY,)) -> dict:
        return {"id": f"00000000-0000-4000-8000-{n:012d}", "actor": actor, "verb": {"id": verb_iri},
                "object": {"id": reg.activity_id}, "timestamp": f"2026-12-01T10:00:0{n}Z", "result": result or {},
                "context": {"registration": reg.id, "extensions": {SESSION: "s"},
                            "contextActivities": {"category": [{"id": c} for c in cats], "grouping": [{"id": "pub"}]}}}

    def session(middle: list) -> list:
        return ([st(0, ADL + "launched"), st(1, ADL + "initialized")] + middle
                + [st(8, ADL + "terminated", {"duration": "PT1S"})])

    completed = {"completion": True, "duration": "PT1S"}
    assert check_cmi5(session([st(2, ADL + "completed", completed, (CATEGORY, MOVEON))]), reg, "pub", None)
    with pytest.raises(AssertionError, match="verb IRI"):
        check_cmi5(session([st(2, "https://w3id.org/xapi/adl/verbs/completed", completed, (CATEGORY, MOVEON))]),
                   reg, "pub", None)
    with pytest.raises(AssertionError, match="only the LMS"):
        check_cmi5(session([st(2, "https://w3id.org/xapi/adl/verbs/satisfied")]), reg, "pub", None)
