"""Run the whole pipeline: load -> render/targets -> package.

Every target is built in memory first; files are written only when all of them succeeded, each
one atomically, so a failing build leaves ``dist/`` exactly as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from .diagnostics import BuildError, Diagnostics
from .load import load_course
from .model import Course
from .package import content_size, write_file, write_folder, write_zip
from .render import make_environment
from .targets import DEFAULT_FORMATS, Target, get_target

Progress = Callable[[str], None]


@dataclass
class Output:
    target: Target
    path: Path
    size: int  # bytes (sum of files for a folder)
    seconds: float  # time to build this target in memory


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

    built: list[tuple[Target, dict, float]] = []
    for name in formats:
        target = get_target(name)
        progress(f"Building {target.label}")
        started = time.perf_counter()
        files = target.build(course, env, diagnostics)
        built.append((target, files, time.perf_counter() - started))
    if diagnostics.errors or (strict and diagnostics.warnings):
        raise BuildError(diagnostics)

    result = BuildResult(course, diagnostics)
    out_dir = Path(out_dir)
    for target, files, seconds in built:
        dest = out_dir / target.filename(course)
        if target.output == "folder":
            write_folder(files, dest)
            size = sum(content_size(data) for data in files.values())
        elif target.output == "file":
            (data,) = files.values()
            write_file(data, dest)
            size = len(data)
        else:
            write_zip(files, dest)
            size = dest.stat().st_size
        progress(f"Wrote {dest} ({size:,} bytes)")
        result.outputs.append(Output(target, dest, size, seconds))
    return result
