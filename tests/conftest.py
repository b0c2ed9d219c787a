"""Shared fixtures: the embedded course, the Jinja environment, and the official package checker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
VALIDATOR = SHARED / "tools" / "validate_package.py"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def embedded_course():
    """The course in this repository, loaded once (it must load without errors or warnings)."""
    from builder.load import load_course

    course, diagnostics = load_course(REPO)
    assert course is not None and not diagnostics.items, "\n".join(map(str, diagnostics))
    return course


@pytest.fixture(scope="session")
def env():
    from builder.render import make_environment

    return make_environment(REPO)


def _require_validator() -> Path:
    if VALIDATOR.is_file():
        return VALIDATOR
    reason = f"the official package checker is not here ({VALIDATOR}); it lives in ../shared beside the clone"
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def validate_package():
    """Run ../shared/tools/validate_package.py --strict --json on a package; return its report.

    Skips with a clear reason where ../shared is missing (a clone elsewhere), fails under CI.
    """
    validator = _require_validator()

    def run(package: Path, strict: bool = True) -> dict:
        args = [sys.executable, str(validator), "--json"]
        if strict:
            args.append("--strict")
        proc = subprocess.run(args + [str(package)], capture_output=True, text=True, timeout=300)
        assert proc.returncode in (0, 1), proc.stderr
        report = json.loads(proc.stdout)
        return report

    return run


def assert_valid(report: dict) -> None:
    """Fail with every problem the checker found (warnings included: we build with --strict)."""
    problems = [
        f"{p.get('file')}:{p.get('line')}: {p.get('severity')}: {p.get('message')} [{p.get('code')}]"
        for pkg in report.get("packages", [report])
        for p in pkg.get("problems", [])
        if p.get("severity") in ("error", "warning")
    ]
    assert not problems, "\n".join(problems)


# -- running on two workers (pytest-xdist; tests/run-all.sh passes -n 2) --------------------------
# Each test file stays whole on one worker (its module fixtures build and play once), and every
# file that drives the one local Moodle shares a worker, so two restores or player runs never
# compete for its database and web server; the LRS files share theirs likewise. A scheduler of
# our own rather than xdist_group marks: xdist 3.8 cannot rename pytest 9.2's node ids.
SHARED_SERVICE_FILES = {
    "moodle": {"test_i18n_moodle", "test_mbz_moodle", "test_moodle_links", "test_moodle_scorm",
               "test_moodle_scorm_multi", "test_qbank"},
    "lrs": {"test_cmi5_lrs"},
}


def worker_scope(nodeid: str) -> str:
    """The unit one worker runs whole: the shared service's name, or the test file."""
    path = nodeid.split("::", 1)[0]
    stem = Path(path).stem
    return next((name for name, files in SHARED_SERVICE_FILES.items() if stem in files), path)


# Longest first (serial times of 2026-12-02: Moodle ~190 s, LRS ~140 s, the others 60-80 s), so
# neither worker is left finishing a long file alone at the end.
LONGEST_FIRST = ["moodle", "lrs", "test_scorm_e2e", "test_scorm_multi_walk", "test_i18n_e2e"]


@pytest.hookimpl(trylast=True)  # after pytest has grouped the tests by their fixtures' parameters
def pytest_collection_modifyitems(config, items):
    if os.environ.get("PYTEST_XDIST_WORKER"):  # the workers' collection is the scheduler's order
        rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
        items.sort(key=lambda item: rank.get(Path(worker_scope(item.nodeid)).stem, len(rank)))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False  # keep the order above, not the count of tests

    class ByFileAndService(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_scope(nodeid)

    return ByFileAndService(config, log)
