"""``build-course check``: is this SCORM or Common Cartridge package (ours or anyone's) safe to
upload, and what will Moodle and Canvas do with it?

Each check adds findings to a ``Report``; every finding says what the LMS will do and how to fix it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from .archive import Package
from .findings import ERROR, INFO, WARNING, Finding, Report
from .importers import check_cartridge, check_scorm
from .manifest import MANIFEST, check_files, check_identifiers, read_manifest
from .qti import check_qti, qti_files

__all__ = ["ERROR", "INFO", "WARNING", "Finding", "Report", "check_package", "exit_status", "render_text"]


def check_package(path: Path, schemas: Optional[Path] = None) -> Report:
    path = Path(path)
    report = Report(str(path))
    pkg = Package(path, report)
    try:
        if pkg.unsafe:
            return report  # nothing more is read from an unsafe zip
        manifest = read_manifest(pkg, report)
        if manifest is None:
            return report
        check_identifiers(manifest, report)
        check_files(manifest, pkg, report)
        if manifest.kind.startswith("cc"):
            check_cartridge(manifest, pkg, report)
        elif manifest.kind.startswith("scorm"):
            check_scorm(manifest, pkg, report)
        check_qti(manifest, pkg, report)
        if schemas is not None:
            from .schemas import validate

            documents = [MANIFEST] + [name for name, flavour in qti_files(manifest, pkg) if flavour == "cc"]
            for res in manifest.resources.values():  # discussion topics and web links have schemas too
                name = res.href or (res.files[0] if res.files else "")
                if res.type.startswith(("imsdt", "imswl")) and name in pkg.names:
                    documents.append(name)
            validate(pkg, documents, schemas, manifest.kind, report)
    finally:
        pkg.close()
    return report


def exit_status(reports: list[Report], strict: bool) -> int:
    """As for the build: 1 when a package has errors (or warnings with --strict), else 0."""
    failing = any(r.count(ERROR) or (strict and r.count(WARNING)) for r in reports)
    return 1 if failing else 0


def render_text(report: Report, verbosity: int) -> list[str]:
    """The lines printed for one package: each finding, then a one-line summary (with -q, only
    the errors and warnings of a package that has some)."""
    name = Path(report.path).name
    lines = [f.text(name) for f in report.sorted() if verbosity >= 0 or f.severity != INFO]
    if verbosity < 0 and not lines:
        return []
    checked = f", {len(report.validated)} document(s) checked against the XSDs" if report.validated else ""
    lines.append(f"{name}: {report.kind} — {report.count(ERROR)} error(s), {report.count(WARNING)} warning(s){checked}")
    return lines
