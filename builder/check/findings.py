"""What ``build-course check`` reports: findings that say what the LMS will do and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Finding:
    severity: str  # error: an LMS refuses or breaks it; warning: it imports with losses; info
    code: str  # stable, for machines and for looking it up in docs/check.md
    message: str  # what is wrong and what the LMS will do with it
    fix: str = ""
    file: str = ""  # entry inside the package ("" = the package itself)
    line: int = 0

    def where(self, package: str) -> str:
        place = f"{package}!{self.file}" if self.file else package
        return f"{place}:{self.line}" if self.line else place

    def text(self, package: str) -> str:
        out = f"{self.where(package)}: {self.severity}: {self.message}"
        return f"{out} — {self.fix}" if self.fix else out

    def as_dict(self) -> dict:
        return {"severity": self.severity, "code": self.code, "file": self.file, "line": self.line,
                "message": self.message, "fix": self.fix}


@dataclass
class Report:
    path: str
    kind: str = "unknown"  # scorm12, scorm2004, cc1.0 … cc1.3, qti, unknown
    findings: list[Finding] = field(default_factory=list)
    validated: list[str] = field(default_factory=list)  # documents checked against an XSD

    def add(self, severity: str, code: str, message: str, fix: str = "", file: str = "",
            line: Optional[int] = 0) -> None:
        finding = Finding(severity, code, message, fix, file, line or 0)
        if finding not in self.findings:
            self.findings.append(finding)

    def error(self, code: str, message: str, fix: str = "", file: str = "", line: Optional[int] = 0) -> None:
        self.add(ERROR, code, message, fix, file, line)

    def warning(self, code: str, message: str, fix: str = "", file: str = "", line: Optional[int] = 0) -> None:
        self.add(WARNING, code, message, fix, file, line)

    def info(self, code: str, message: str, fix: str = "", file: str = "", line: Optional[int] = 0) -> None:
        self.add(INFO, code, message, fix, file, line)

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    def sorted(self) -> list[Finding]:
        order = {ERROR: 0, WARNING: 1, INFO: 2}
        return sorted(self.findings, key=lambda f: (f.file, f.line, order[f.severity], f.code))

    def as_dict(self) -> dict:
        return {"package": self.path, "kind": self.kind, "errors": self.count(ERROR),
                "warnings": self.count(WARNING), "validated_documents": self.validated,
                "findings": [f.as_dict() for f in self.sorted()]}
