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
