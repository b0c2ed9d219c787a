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

from . import forked
from .diagnostics import BuildError, Diagnostics
from .load import load_course
from .model import Course
from .package import Staged, content_size, forget_stored_media, stage_file, stage_folder, stage_zip
from .render import make_environment, report_template_problem
from .targets import DEFAULT_FORMATS, Target, get_target
from .targets.shared import plan_formats

Progress = Callable[[str], None]


@dataclass
class Output:
    target: Target
    path: Path
    size: int  # bytes (sum of files for a folder)
    seconds: float  # time to build this target and write its package


@dataclass
class Built:
    """A target built and staged, not yet in place."""

    name: str
    package: Staged
    size: int
    seconds: float


# Built in a second process when there is other work for this one: the cartridges (they share
# pages and QTI files), and the Moodle backup and the preview, which share nothing with the SCORM
# family left here (its two editions and cmi5 share the SCO page and its scripts' strings): about
# half the work each way for the default formats.
CHILD_FAMILY = frozenset({"cc1.1", "cc1.3", "mbz", "html"})


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
    formats = list(formats)
    plan_formats(env, course, formats)
    forget_stored_media()

    def failing() -> bool:
        return bool(diagnostics.errors or (strict and diagnostics.warnings))

    def build_some(names: list[str]) -> list[Built]:
        """Build these targets in order; each package is written to its temporary file as soon as
        the target is built, so no target's files stay in memory while the next one builds."""
        done: list[Built] = []
        try:
            for name in names:
                target = get_target(name)
                progress(f"Building {target.label}")
                started = time.perf_counter()
                try:
                    files = target.build(course, env, diagnostics)
                except Exception as exc:  # noqa: BLE001 - only a course template's fault is kept
                    if not report_template_problem(exc, source_dir, diagnostics):
                        raise
                    continue
                if not failing():  # still build the rest: every problem is reported in one run
                    package, size = _stage(target, files, Path(out_dir) / target.filename(course))
                    done.append(Built(name, package, size, time.perf_counter() - started))
                del files
        except BaseException:
            for built in done:
                built.package.discard()
            raise
        return done

    def in_child(names: list[str]) -> tuple[list[Built], list]:
        before = len(diagnostics.items)
        done = build_some(names)
        return done, diagnostics.items[before:]

    # The two cores: the child family builds in a forked child while this process builds the rest.
    theirs = [n for n in formats if n in CHILD_FAMILY] if forked.available() and _worth_forking(course) else []
    mine = [n for n in formats if n not in theirs]
    staged: list[Built] = []
    child = None
    if theirs and mine:
        try:
            child = forked.Child(lambda: in_child(theirs))
        except OSError:  # no process to be had (a container's process limit): all of it here
            child = None
    try:
        try:
            staged += build_some(mine if child else formats)
        finally:
            if child is not None:
                done, items = child.result()
                staged += done
                diagnostics.extend(items)
        if failing():
            raise BuildError(diagnostics)
        # all built: rename every package into place, in the order asked for
        staged.sort(key=lambda b: formats.index(b.name))
        result = BuildResult(course, diagnostics)
        while staged:
            built = staged[0]
            dest = built.package.commit()
            staged.pop(0)
            progress(f"Wrote {dest} ({built.size:,} bytes)")
            result.outputs.append(Output(get_target(built.name), dest, built.size, built.seconds))
    finally:
        for built in staged:
            built.package.discard()
    return result


# A course smaller than this builds faster in one process: the fork and the work both sides then
# repeat (imports, templates) cost more than the second core gives back. Measured on 2 cores
# (docs/performance.md, "Start-up"): the embedded course (3 modules) and 10 modules / 100
# questions were faster in one process, 40 modules / 400 questions faster forked.
FORK_FROM_MODULES, FORK_FROM_QUESTIONS = 20, 200


def _worth_forking(course: Course) -> bool:
    if forked.forced():
        return True
    questions = sum(len(quiz.questions) for quiz in course.quizzes)
    return len(course.modules) >= FORK_FROM_MODULES or questions >= FORK_FROM_QUESTIONS


def _stage(target: Target, files: dict, dest: Path) -> tuple[Staged, int]:
    if target.output == "folder":
        return stage_folder(files, dest), sum(content_size(data) for data in files.values())
    if target.output == "file":
        (data,) = files.values()
        return stage_file(data, dest), len(data)
    package = stage_zip(files, dest)
    return package, package.tmp.stat().st_size
