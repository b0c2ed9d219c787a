"""One SCO per module (course.yaml ``scorm: {sco: module}``): the option, the manifests, and the
learner state each SCO keeps for itself.

The big course is the benchmark's synthetic one (builder/bench/synthetic.py): 200 modules, 10
questions each (two essays per quiz), a reflection every tenth module, a little media.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from builder.bench.synthetic import MIB, Spec, make_course
from builder.build import build
from builder.diagnostics import Diagnostics
from builder.load import load_course
from builder.model import ScormSettings
from builder.targets import get_target
from builder.targets.scorm.units import units
from conftest import assert_valid

EDITIONS = ("scorm12", "scorm2004")
MINIMAL = Path(__file__).parent / "roots" / "minimal"
MODULES = 200
PER_MODULE = "\nscorm:\n  sco: module\n"


def config_of(page: bytes) -> dict:
    return json.loads(html.unescape(re.search(rb'data-config="([^"]*)"', page).group(1).decode("utf-8")))


def test_a_bad_sco_option_is_an_error_at_its_line(tmp_path):
    root = shutil.copytree(MINIMAL, tmp_path / "c")
    (root / "course/course.yaml").write_text(
        (root / "course/course.yaml").read_text(encoding="utf-8") + "scorm:\n  sco: modules\n", encoding="utf-8")
    course, diagnostics = load_course(root)
    assert [str(d) for d in diagnostics] == [
        "course/course.yaml:18:8: error: scorm.sco: 'modules' is not an option — use course (one SCO for the "
        "whole course) or module (one SCO per module)"]


def test_the_option_is_read(tmp_path):
    root = shutil.copytree(MINIMAL, tmp_path / "c")
    assert load_course(root)[0].scorm.sco == "course"
    (root / "course/course.yaml").write_text(
        (root / "course/course.yaml").read_text(encoding="utf-8") + PER_MODULE, encoding="utf-8")
    course, diagnostics = load_course(root)
    assert course.scorm.sco == "module" and not diagnostics.items


@pytest.fixture(scope="session")
def big_course(tmp_path_factory) -> Path:
    """The 200-module synthetic course with one SCO per module (2 MiB of media, for speed)."""
    root = make_course(tmp_path_factory.mktemp("big"), Spec(modules=MODULES, questions=10 * MODULES,
                                                             media_bytes=2 * MIB))
    with (root / "course/course.yaml").open("a", encoding="utf-8") as f:
        f.write(PER_MODULE)
    return root


@pytest.fixture(scope="session")
def big_packages(big_course, tmp_path_factory) -> tuple[dict[str, Path], list[str]]:
    out = tmp_path_factory.mktemp("big-dist")
    result = build(big_course, out, formats=EDITIONS)
    assert not result.diagnostics.errors, [str(d) for d in result.diagnostics]
    packages = {e: out / f"bench-{e}.zip" for e in EDITIONS}
    assert all(p.is_file() for p in packages.values())
    return packages, [str(d) for d in result.diagnostics]


@pytest.mark.parametrize("edition", EDITIONS)
def test_200_module_package_passes_the_official_schemas(big_packages, validate_package, edition):
    assert_valid(validate_package(big_packages[0][edition]))


@pytest.mark.parametrize("edition", EDITIONS)
def test_one_item_and_one_sco_per_module_sharing_one_asset(big_packages, edition):
    with zipfile.ZipFile(big_packages[0][edition]) as zf:
        names = set(zf.namelist())
        root = etree.fromstring(zf.read("imsmanifest.xml"))
    ns = {"cp": root.nsmap[None]}
    items = root.xpath("//cp:organization/cp:item", namespaces=ns)
    assert len(items) == MODULES
    assert [i.findtext("cp:title", namespaces=ns) for i in items[:2]] == ["Module 1", "Module 2"]
    resources = {r.get("identifier"): r for r in root.xpath("//cp:resource", namespaces=ns)}
    scos = [resources[i.get("identifierref")] for i in items]
    kind = next(k for k in scos[0].attrib if k.lower().endswith("}scormtype"))
    assert {r.get(kind) for r in scos} == {"sco"} and resources["RES-SHARED"].get(kind) == "asset"
    assert len(resources) == MODULES + 1
    for r in scos:  # each SCO: its own page, and the shared files through the dependency
        assert [f.get("href") for f in r.findall("cp:file", ns)] == [r.get("href")]
        assert [d.get("identifierref") for d in r.findall("cp:dependency", ns)] == ["RES-SHARED"]
    declared = [f.get("href") for f in root.xpath("//cp:file", namespaces=ns)]
    assert sorted(declared) == sorted(names - {"imsmanifest.xml"})  # every file once, nothing else
    if edition == "scorm2004":
        mode = root.xpath("//cp:organization/*[local-name()='sequencing']/*[local-name()='controlMode']",
                          namespaces=ns)[0]
        assert (mode.get("choice"), mode.get("flow")) == ("true", "true")


@pytest.mark.parametrize("edition", EDITIONS)
def test_each_sco_keeps_and_budgets_only_its_own_module(big_packages, edition):
    packages, diagnostics = big_packages
    assert not [d for d in diagnostics if "scorm-text-budget" in d or "suspend_data" in d], diagnostics
    with zipfile.ZipFile(packages[edition]) as zf:
        root = etree.fromstring(zf.read("imsmanifest.xml"))
        ns = {"cp": root.nsmap[None]}
        launches = [r.get("href") for r in root.xpath("//cp:resource[@href]", namespaces=ns)]
        configs = [config_of(zf.read(name)) for name in launches]
    assert len({c["layout"]["id"] for c in configs}) > 1
    for n, config in enumerate(configs):
        assert config["sco"] == {"id": config["pages"][0]["id"], "count": MODULES}
        assert [p["title"] for p in config["pages"]][:1] == [f"Module {n + 1}"]
        assert len(config["quizzes"]) == 1 and len(config["quizzes"][0]["questions"]) == 10
        texts = config["texts"]  # two essays, and a reflection every tenth module
        assert len(texts) == (3 if (n + 1) % 10 == 0 else 2)
        # SCORM 1.2's 4,096 characters are shared by this module's texts alone: each reserves
        # (bytes of packed text, about 2 characters each in prose) its half of an even share
        assert config["textRoom"] >= (3000 if edition == "scorm12" else 50000)
        assert min(t["budget"] for t in texts) >= config["textRoom"] // len(texts) // 2 - 1
    assert [p["id"] for p in configs[-1]["pages"]][1:] == ["sources"]  # the sources ride in the last SCO
    assert all(len(c["pages"]) == 1 for c in configs[:-1])


def test_the_budget_warning_names_the_option(tmp_path, env):
    """A single SCO with too many text answers for 4,096 characters: the one warning says how to fix it."""
    course, _ = load_course(make_course(tmp_path, Spec(modules=40, questions=400, media_bytes=0)))
    diagnostics = Diagnostics()
    get_target("scorm12").build(course, env, diagnostics)
    warnings = [str(d) for d in diagnostics if "scorm-text-budget" in str(d) or "suspend_data" in str(d)]
    assert len(warnings) == 1 and "scorm: {sco: module}" in warnings[0], warnings


def test_a_one_module_course_stays_one_sco(tmp_path):
    course, _ = load_course(make_course(tmp_path, Spec(modules=1, questions=10, media_bytes=0)))
    course = dataclasses.replace(course, scorm=ScormSettings("module"))
    assert [(u.id, u.launch) for u in units(course)] == [("course", "index.html")]
