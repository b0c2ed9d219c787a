"""`build-course check PACKAGE…`: our packages pass, real third-party packages get the findings a
real Moodle proved (moodle-import.md), and each kind of broken package is caught with a fix."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.check import check_package
from cli import main
from conftest import IN_CI, SHARED

MINIMAL = Path(__file__).parent / "roots" / "minimal"
SCHEMAS = SHARED / "schemas"
REFERENCE = SHARED / "reference-packages"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("dist")
    result = run("--source", MINIMAL, "--out", out, "-q", "-f", "scorm12", "-f", "scorm2004", "-f", "cc1.1",
                 "-f", "cc1.3", "-f", "qti")
    assert result.exit_code == 0, result.output
    return {p.name: p for p in out.iterdir()}


def codes(report) -> list[str]:
    return sorted({f.code for f in report.findings if f.severity in ("error", "warning")})


def schemas_dir() -> Path:
    if SCHEMAS.is_dir():
        return SCHEMAS
    if IN_CI:
        pytest.fail(f"CI=true but the official XSDs are not at {SCHEMAS}")
    pytest.skip(f"the official XSDs are not here ({SCHEMAS})")


# -- our own packages --------------------------------------------------------------------------


@pytest.mark.parametrize("name,kind", [("minimal-scorm12.zip", "scorm12"), ("minimal-scorm2004.zip", "scorm2004"),
                                       ("minimal.imscc", "cc1.1"), ("minimal-qti.zip", "qti")])
def test_our_packages_pass_with_the_official_schemas(built, name, kind):
    report = check_package(built[name], schemas_dir())
    assert report.kind == kind
    assert codes(report) == [], [f.text(name) for f in report.findings]
    assert "imsmanifest.xml" in report.validated


def test_cc13_is_fine_but_moodle_is_told_about(built):
    report = check_package(built["minimal-cc13.imscc"], schemas_dir())
    assert codes(report) == []
    assert "moodle-cc-version" in {f.code for f in report.findings if f.severity == "info"}


def test_an_unpacked_package_is_checked_too(built, tmp_path):
    with zipfile.ZipFile(built["minimal-scorm2004.zip"]) as z:
        z.extractall(tmp_path / "unpacked")
    assert codes(check_package(tmp_path / "unpacked")) == []
    (tmp_path / "unpacked" / "index.html").unlink()
    assert "file-missing" in codes(check_package(tmp_path / "unpacked"))


def test_build_with_check_checks_every_package_written(tmp_path):
    result = run("--source", MINIMAL, "--out", tmp_path, "--check", "-f", "scorm12", "-f", "cc1.1", "-f", "html")
    assert result.exit_code == 0, result.output
    assert "minimal-scorm12.zip: scorm12 — 0 error(s), 0 warning(s)" in result.output
    assert "minimal.imscc: cc1.1 — 0 error(s), 0 warning(s)" in result.output
    assert "minimal-preview" not in result.output.split("Built")[-1].split("After import")[-1]


def test_build_check_reads_cmi5_and_mbz_zip_entries(tmp_path):
    result = run("--source", MINIMAL, "--out", tmp_path, "--check", "-f", "cmi5", "-f", "mbz")
    assert result.exit_code == 0, result.output
    assert "minimal-cmi5.zip: cmi5 — 0 error(s)" in result.output and "minimal.mbz: mbz — 0 error(s)" in result.output


# -- broken packages, made from a good one -------------------------------------------------------


def rezip(src: Path, dest: Path, replace: dict | None = None, add: list | None = None, drop: tuple = ()) -> Path:
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            if info.filename in replace:
                data = replace[info.filename](data)
            zout.writestr(info.filename, data)
        for name, data in add or []:
            zout.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return dest


def manifest_edit(old: str, new: str):
    def edit(data: bytes) -> bytes:
        text = data.decode()
        assert old in text, old
        return text.replace(old, new, 1).encode()
    return edit


def test_unsafe_zip_entries(built, tmp_path):
    with pytest.warns(UserWarning):  # zipfile warns about the duplicate name it is asked to write
        pkg = rezip(built["minimal-scorm12.zip"], tmp_path / "bad.zip", add=[
            ("/etc/passwd", b"x"), ("../../escape.html", b"x"), ("index.html", b"again"),
            ("bomb.bin", b"\0" * (4 * 1024 * 1024))])
    report = check_package(pkg)
    assert {"zip-unsafe-path", "zip-duplicate", "zip-bomb"} <= set(codes(report))
    messages = " ".join(f.message for f in report.findings)
    assert "'/etc/passwd' is an absolute path" in messages and "'../../escape.html' climbs out" in messages


def test_an_unsafe_path_is_reported_with_every_other_problem(built, tmp_path):
    # One run lists all that is wrong: the unsafe entry is left out, the rest is still read.
    pkg = rezip(built["minimal.imscc"], tmp_path / "bad.imscc", drop=("wiki_content/first.html",),
                add=[("../escape.txt", b"x")])
    assert {"zip-unsafe-path", "file-missing"} <= set(codes(check_package(pkg)))


def test_missing_and_undeclared_files_and_bad_identifiers(built, tmp_path):
    pkg = rezip(built["minimal.imscc"], tmp_path / "bad.imscc", drop=("wiki_content/first.html",),
                add=[("stray.txt", b"x")], replace={"imsmanifest.xml": manifest_edit('identifier="org_1"', 'identifier="1org"')})
    report = check_package(pkg)
    assert {"file-missing", "file-undeclared", "identifier-invalid"} <= set(codes(report))
    (missing,) = [f for f in report.findings if f.code == "file-missing"]
    assert "wiki_content/first.html" in missing.message and missing.fix
    (invalid,) = [f for f in report.findings if f.code == "identifier-invalid"]
    assert "starts with a digit" in invalid.message and "Moodle" in invalid.message and invalid.line > 0


def test_moodle_and_canvas_rules_on_a_cartridge(built, tmp_path):
    def late_namespace(data: bytes) -> bytes:
        return data.replace(b"<manifest ", b"<!-- " + b"x" * 1100 + b" -->\n<manifest ", 1)

    pkg = rezip(built["minimal.imscc"], tmp_path / "late.imscc", replace={"imsmanifest.xml": late_namespace})
    assert "moodle-namespace-late" in codes(check_package(pkg))
    pkg = rezip(built["minimal.imscc"], tmp_path / "v.imscc",
                replace={"imsmanifest.xml": manifest_edit("<schemaversion>1.1.0<", "<schemaversion>1.1<")})
    assert "canvas-schemaversion" in codes(check_package(pkg))


def _qti_name(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return next(n for n in z.namelist() if n.endswith("/assessment_qti.xml"))


def test_qti_items_without_a_right_answer_and_bad_true_false(built, tmp_path):
    cart = built["minimal.imscc"]
    name = _qti_name(cart)

    def break_qti(data: bytes) -> bytes:
        text = data.decode()
        text = text.replace('ident="true"', 'ident="T1"').replace(">true</varequal>", ">T1</varequal>")
        return text.replace('<setvar action="Set" varname="SCORE">100</setvar>', "", 1).encode()

    report = check_package(rezip(cart, tmp_path / "q.imscc", replace={name: break_qti}))
    assert {"qti-no-correct-answer", "qti-true-false-idents"} <= set(codes(report))
    (tf,) = [f for f in report.findings if f.code == "qti-true-false-idents"]
    assert "Moodle stops the whole import" in tf.message and tf.file == name


def test_schemas_catch_an_invalid_manifest(built, tmp_path):
    pkg = rezip(built["minimal-scorm12.zip"], tmp_path / "x.zip",
                replace={"imsmanifest.xml": manifest_edit("<organizations", "<oops/><organizations")})
    report = check_package(pkg, schemas_dir())
    assert "xsd" in codes(report)


# -- the command -------------------------------------------------------------------------------


def test_exit_codes_json_and_strict(built, tmp_path):
    good = built["minimal-scorm12.zip"]
    assert run("check", good).exit_code == 0
    warned = rezip(good, tmp_path / "w.zip", add=[("stray.txt", b"x")])
    assert run("check", warned).exit_code == 0
    assert run("check", "--strict", warned).exit_code == 1
    broken = rezip(good, tmp_path / "b.zip", drop=("index.html",))
    result = run("check", "--json", good, broken)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [p["errors"] > 0 for p in report["packages"]] == [False, True]
    finding = report["packages"][1]["findings"][0]
    assert set(finding) == {"severity", "code", "file", "line", "message", "fix"}
    assert run("check", tmp_path / "nope.zip").exit_code == 2
    not_a_zip = tmp_path / "n.zip"
    not_a_zip.write_bytes(b"hello")
    result = run("check", not_a_zip)
    assert result.exit_code == 1 and "not a readable zip file" in result.output


def test_quiet_prints_only_problems(built, tmp_path):
    good = built["minimal-scorm12.zip"]
    assert run("check", "-q", good).output == ""  # a clean package: nothing to say (CI logs)
    broken = rezip(good, tmp_path / "b.zip", drop=("index.html",))
    result = run("check", "-q", good, broken)
    assert result.exit_code == 1 and "b.zip" in result.output and "minimal-scorm12.zip" not in result.output
    result = run("--source", MINIMAL, "--out", tmp_path / "out", "-q", "--check", "-f", "scorm12")
    assert result.exit_code == 0 and result.output == ""


def test_validate_is_no_longer_called_check(tmp_path):
    assert run("check", "--source", MINIMAL).exit_code == 2


# -- other tools' packages (what a real Moodle did with them: shared/docs/moodle-import.md) --------


REFERENCE_EXPECTED = {
    "cc/approaches_to_lit.imscc": ("cc1.1", set()),  # imported by Moodle
    "cc/py4e_export.imscc": ("cc1.1", set()),  # imported by Moodle
    "cc/ccv-canvas_cc_gem_course.imscc": ("cc1.1", {"identifier-invalid"}),  # refused: ids with a leading digit
    "cc/sample-public-sandbox-course-export.imscc": ("cc1.1", {"qti-empty-for-moodle", "qti-true-false-idents"}),
    "cc/test_01.imscc": ("cc1.3", {"moodle-cc-version"}),  # "Unknown backup format" (an info)
    "scorm/scorm_badscorm.zip": ("unknown", {"manifest-not-at-root"}),  # refused by the SCORM form
    "scorm/golf-scorm12-basicruntime.zip": ("scorm12", set()),
    "scorm/golf-scorm2004-multisco-minimumcalls.zip": ("scorm2004", {"moodle-2004-multi-sco"}),
}


@pytest.mark.parametrize("rel", sorted(REFERENCE_EXPECTED))
def test_reference_packages(rel):
    path = REFERENCE / rel
    if not path.is_file():
        if IN_CI:  # ../shared is there in CI (the schema tests need it): a missing sample is a fault
            pytest.fail(f"CI=true but the reference package is not here: {path}")
        pytest.skip(f"reference package not here: {path}")
    kind, expected = REFERENCE_EXPECTED[rel]
    report = check_package(path)
    assert report.kind == kind
    errors = {f.code for f in report.findings if f.severity == "error"}
    assert expected <= {f.code for f in report.findings}
    if not expected:
        assert not errors, [f.text(rel) for f in report.findings]
