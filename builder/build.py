"""Run the whole pipeline: load -> render/targets -> package.

Each target's package is written to a temporary file beside its destination as soon as the target
is built (its files leave memory before the next target starts); the temporary files are renamed
into place only when every target succeeded, so a failing build leaves ``dist/`` exactly as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from .diagnostics import BuildError, Diagnostics
from .load import load_course
from .model import Course
from .package import Staged, content_size, stage_file, stage_folder, stage_zip
from .render import make_environment
from .targets import DEFAULT_FORMATS, Target, get_target

Progress = Callable[[str], None]


@dataclass
class Output:
    target: Target
    path: Path
    size: int  # bytes (sum of files for a folder)
    seconds: float  # time to build this target and write its package


@dataclass
class BuildResult:
    course: Course
    diagnostics: Diagnostics
    outputs: list[Output] = field(default_factory=list)


def check(source_dir: Path, strict: bool = False) -> tuple[Optional[Course], Diagnostics]:
    """Load and validate only. Raises ``BuildError`` on errors (or warnings when strict)."""
    course, diagnostics = load_course(Path(source_dir))
    if diagnostics.errors or (strict and diagnostics.warnings) or course is None:
        raise BuildError(diagnostics)
    return course, diagnostics


def build(
    source_dir: Path,
    out_dir: Path,
    formats: Iterable[str] = DEFAULT_FORMATS,
    strict: bool = False,
    progress: Progress = lambda message: None,
) -> BuildResult:
    source_dir = Path(source_dir)
    progress(f"Loading {source_dir.resolve()}")
    course, diagnostics = check(source_dir, strict)
    env = make_environment(source_dir)

    def failing() -> bool:
        return bool(diagnostics.errors or (strict and diagnostics.warnings))

    # Each package is written to its temporary file as soon as it is built, so no target's files
    # stay in memory while the next one builds; all are renamed into place at the end, and only
    # if every target succeeded (nothing in dist/ changes otherwise).
    out_dir = Path(out_dir)
    staged: list[tuple[Target, Staged, int, float]] = []
    try:
        for name in formats:
            target = get_target(name)
            progress(f"Building {target.label}")
            started = time.perf_counter()
            files = target.build(course, env, diagnostics)
            if not failing():  # still build the rest: every problem is reported in one run
                dest = out_dir / target.filename(course)
                package, size = _stage(target, files, dest)
                staged.append((target, package, size, time.perf_counter() - started))
            del files
        if failing():
            raise BuildError(diagnostics)
        result = BuildResult(course, diagnostics)
        while staged:
            target, package, size, seconds = staged[0]
            dest = package.commit()
            staged.pop(0)
            progress(f"Wrote {dest} ({size:,} bytes)")
            result.outputs.append(Output(target, dest, size, seconds))
    finally:
        for _, package, _, _ in staged:
            package.discard()
    return result


def _stage(target: Target, files: dict, dest: Path) -> tuple[Staged, int]:
    if target.output == "folder":
        return stage_folder(files, dest), sum(content_size(data) for data in files.values())
    if target.output == "file":
        (data,) = files.values()
        return stage_file(data, dest), len(data)
    package = stage_zip(files, dest)
    return package, package.tmp.stat().st_size
