"""``python -m builder.bench``: build the synthetic courses and print one table.

    python -m builder.bench                      # 50 MiB; quizzes of 1,000 and 5,000 questions
    python -m builder.bench --sizes 50M,500M,2G  # the memory runs
    python -m builder.bench --tiny               # seconds; what CI runs (no assertion on times)

For each media size: the four packages (SCORM 1.2, 2004, CC 1.1, 1.3) of the synthetic course,
and Python's ``zipfile`` writing the same entries (the floor). Then the embedded course through
the ``build-course`` command (wall time, start-up included), and our quiz path against text2qti
(PyPI, ``pip install text2qti``) on the same questions: ``-f cc1.1`` (two QTI flavours, pages,
manifest) and ``-f qti`` (one Canvas QTI 1.2 zip, what text2qti writes). Every measurement runs
in its own child process, RUNS times; the table shows medians and the largest peak RSS, and a
list under it holds each of issue 10's targets with the figure measured for it. Media are
generated on the fly into WORK (default: a temporary folder), never committed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .synthetic import MIB, Spec, make_course, questions, text2qti_markdown

PACKAGES = ("scorm12", "scorm2004", "cc1.1", "cc1.3")
MAX_MODULES = 200
REPO = Path(__file__).resolve().parents[2]


@dataclass
class Measure:
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    extra: dict = field(default_factory=dict)
    missing: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    def spread(self) -> str:
        return ", ".join(f"{s:.2f}" for s in self.seconds)

    def time_cells(self) -> tuple[str, str]:
        return f"{self.median:.2f} s ({self.spread()})", f"{self.cpu_median:.2f} s"


CHILD_ENV: dict = {}  # set by main(): the environment of every measured child


def child_env(work: Path) -> dict:
    """The children's environment: this checkout first on the path, and bytecode cached (in WORK)
    as an installed tool has it (pip compiles it): with PYTHONDONTWRITEBYTECODE, which some CI
    and container images set, every start-up would compile all of build-course's sources again."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
           "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measured(argv: list[str], cwd: Optional[Path] = None) -> tuple[dict, float, float, float]:
    """Run a child; return (its last JSON line or {}, wall seconds, its own peak RSS in MB, the CPU
    seconds of the whole process)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=cwd, env=CHILD_ENV or None)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:4])} failed ({proc.returncode}):\n{stderr[-2000:]}")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    return (json.loads(lines[-1]) if lines else {}), wall, peak_mb, usage.ru_utime + usage.ru_stime


def task(name: str, **args) -> list[str]:
    return [sys.executable, "-m", "builder.bench.tasks", name, json.dumps(args)]


def repeat(runs: int, argv: list[str], cwd: Optional[Path] = None, wall: bool = False) -> Measure:
    m = Measure()
    for _ in range(runs):
        data, seconds, peak, cpu = measured(argv, cwd)
        m.seconds.append(seconds if wall else data["seconds"])
        m.cpu.append(cpu if wall else data["cpu"])
        m.peak_mb = max(m.peak_mb, peak)
        m.extra = data
    return m


def parse_size(text: str) -> int:
    units = {"K": 1 << 10, "M": MIB, "G": 1 << 30}
    text = text.strip().upper().rstrip("IB")
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def size_label(n: int) -> str:
    return f"{n / (1 << 30):g} GiB" if n >= 1 << 30 else f"{n / MIB:g} MiB"


def text2qti_version() -> Optional[str]:
    """text2qti's version when it is installed, else None."""
    probe = subprocess.run([sys.executable, "-c", "import importlib.metadata as m, text2qti.qti; "
                            "print(m.version('text2qti'))"], capture_output=True, text=True)
    return probe.stdout.strip() if probe.returncode == 0 else None


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(l.split()[1]) for l in Path("/proc/meminfo").read_text().splitlines()
                   if l.startswith("MemTotal")) / (1 << 20)
        mem_text = f", {mem:.0f} GiB RAM"
    except (OSError, StopIteration):
        mem_text = ""
    return (f"{cpu}, {os.cpu_count()} cores{mem_text}; Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m builder.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="50M", help="media sizes, comma-separated (50M,500M,2G)")
    parser.add_argument("--modules", type=int, default=200)
    parser.add_argument("--questions", type=int, default=2000, help="questions in the course")
    parser.add_argument("--quiz-sizes", default="1000,5000", help="questions for the text2qti comparison")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="where courses and packages go (kept)")
    parser.add_argument("--tiny", action="store_true", help="a seconds-long run (CI)")
    args = parser.parse_args(argv)
    if args.tiny:
        args.sizes, args.modules, args.questions, args.quiz_sizes, args.runs = "2M", 5, 50, "20,50", 1

    work = args.work or Path(tempfile.mkdtemp(prefix="build-course-bench-"))
    CHILD_ENV.update(child_env(work))
    rows: list[tuple[str, ...]] = []
    targets = Targets()

    def add(*row: str) -> None:
        rows.append(row)  # and shown at once on stderr: the big sizes take minutes
        print("  " + " | ".join(cell for cell in row if cell), file=sys.stderr, flush=True)
    load_before = os.getloadavg()
    try:
        for size in [parse_size(s) for s in args.sizes.split(",")]:
            spec = Spec(modules=args.modules, questions=args.questions, media_bytes=size)
            root = make_course(work / "course", spec)
            label = f"{args.modules} modules, {args.questions} questions, {size_label(size)}"
            dist = work / "dist"
            built = repeat(args.runs, task("build", root=str(root), out=str(dist), formats=list(PACKAGES)))
            packages = [str(dist / name) for name in sorted(built.extra["sizes"])]
            floor = repeat(args.runs, task("floor", packages=packages, media_dir=str(root / "course/media"),
                                           out=str(work / "floor")))
            total = sum(built.extra["sizes"].values())
            wall_ratio, cpu_ratio = built.median / floor.median, built.cpu_median / floor.cpu_median
            add(f"4 packages, {label} ({total / MIB:,.0f} MiB of zips)", *built.time_cells(),
                f"{built.peak_mb:.0f} MB", f"{wall_ratio:.2f}x the floor (CPU {cpu_ratio:.2f}x)")
            add("zipfile floor, same entries (level 6)", *floor.time_cells(), f"{floor.peak_mb:.0f} MB", "")
            targets.floor.append((size_label(size), wall_ratio, cpu_ratio))
            targets.memory.append((size_label(size), built.peak_mb))
            shutil.rmtree(work / "floor", ignore_errors=True)
            shutil.rmtree(dist, ignore_errors=True)

        out = work / "embedded-dist"
        cli = [sys.executable, "-c", "from cli import main; main()", "-q", "-s", str(REPO), "-o", str(out)]
        measured(cli)  # not counted: writes the bytecode cache, as installing does
        # the target is for the four packages; every default format is shown beside it
        four = [arg for name in PACKAGES for arg in ("-f", name)]
        for what, argv in (("the 4 packages", cli + four), ("all default formats", cli)):
            embedded = repeat(args.runs, argv, wall=True)
            add(f"embedded course, `build-course` {what} (start-up included)", *embedded.time_cells(),
                f"{embedded.peak_mb:.0f} MB", "")
            if targets.embedded is None:
                targets.embedded = (embedded.median, embedded.cpu_median)

        version = text2qti_version()
        for n in [int(s) for s in args.quiz_sizes.split(",")]:
            # 10 questions a quiz, at most 200 modules (the loader's limit, docs/security.md); each
            # page one plain line: the comparison is about the quizzes, text2qti has no pages.
            spec = Spec(modules=min(MAX_MODULES, max(1, n // 10)), questions=n, media_bytes=0, paragraphs=0)
            root = make_course(work / f"quiz-{n}", spec)
            ours = {}
            for fmt, what in QUIZ_PATHS:
                m = ours[fmt] = repeat(args.runs, task("quizzes", root=str(root), out=str(work / f"quiz-{n}-{fmt}"),
                                                       formats=[fmt]))
                add(f"{n:,} questions: ours, `-f {fmt}` ({what}; load alone {m.extra['load_cpu']:.2f} s CPU)",
                    f"{m.median:.2f} s = {m.median / n * 1e6:.0f} µs/question", f"{m.cpu_median:.2f} s",
                    f"{m.peak_mb:.0f} MB", "")
            if version:
                md = work / f"quiz-{n}.md"
                md.write_text(text2qti_markdown(questions(n)), encoding="utf-8")
                theirs = repeat(args.runs, task("text2qti", markdown=str(md), out=str(work / f"quiz-{n}.zip")))
                ratios = {fmt: (theirs.median / m.median, theirs.cpu_median / m.cpu_median) for fmt, m in ours.items()}
                add(f"{n:,} questions: text2qti {version} (parse + one Canvas QTI 1.2 zip)",
                    f"{theirs.median:.2f} s = {theirs.median / n * 1e6:.0f} µs/question", f"{theirs.cpu_median:.2f} s",
                    f"{theirs.peak_mb:.0f} MB",
                    "; ".join(f"ours `{fmt}` {w:.2f}x as fast (CPU {c:.2f}x)" for fmt, (w, c) in ratios.items()))
                targets.quizzes.append((n, ratios))
            else:
                add(f"{n:,} questions: text2qti", "not installed (pip install text2qti)", "", "", "")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    load_after = os.getloadavg()
    print(f"machine: {machine()}")
    print(f"load average (1 min) before/after: {load_before[0]:.1f} / {load_after[0]:.1f}; "
          f"{args.runs} run(s) each, median (all runs); CPU = user + system seconds (median; the build's "
          f"worker process included); peak = largest RSS of the child process")
    print()
    print("| measurement | wall time, median (runs) | CPU time | peak RSS | ratio |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print("Targets of issue 10, as measured in this run:")
    for line in targets.lines():
        print(f"- {line}")
    return 0


QUIZ_PATHS = (
    ("cc1.1", "load, the CC and Canvas QTI of each quiz, pages, manifest, zip"),
    ("qti", "load, one Canvas QTI 1.2 zip: what text2qti writes"),
)


@dataclass
class Targets:
    """The issue's targets and what this run measured against each."""

    floor: list = field(default_factory=list)  # (media size, wall ratio, CPU ratio)
    memory: list = field(default_factory=list)  # (media size, peak MB)
    embedded: Optional[tuple[float, float]] = None  # (wall, CPU) seconds
    quizzes: list = field(default_factory=list)  # (questions, {format: (wall ratio, CPU ratio)})

    def lines(self) -> list[str]:
        met = lambda ok: "met" if ok else "NOT met"  # noqa: E731
        out = []
        for size, wall, cpu in self.floor:
            out.append(f"4 packages at most 1.5x the zipfile floor ({size}): {wall:.2f}x wall, {cpu:.2f}x CPU: "
                       f"{both(wall <= 1.5, cpu <= 1.5)}")
        if self.memory:
            peaks = ", ".join(f"{mb:.0f} MB ({size})" for size, mb in self.memory)
            out.append(f"peak memory under 150 MB whatever the media: {peaks}: "
                       f"{met(all(mb < 150 for _, mb in self.memory))}")
        if self.embedded:
            wall, cpu = self.embedded
            out.append(f"embedded course under 0.3 s wall (the 4 packages): {wall:.2f} s wall, {cpu:.2f} s CPU: "
                       f"{met(wall < 0.3)}")
        for n, ratios in self.quizzes:
            shown = "; ".join(f"`{fmt}` {w:.2f}x (CPU {c:.2f}x): {both(w >= 3, c >= 3)}"
                              for fmt, (w, c) in ratios.items())
            out.append(f"quiz path at least 3x text2qti's speed per question ({n:,} questions): {shown}")
        return out


def both(wall_ok: bool, cpu_ok: bool) -> str:
    """A verdict on wall and CPU time together: on a loaded machine the wall time alone misleads."""
    if wall_ok and cpu_ok:
        return "met"
    if wall_ok or cpu_ok:
        return f"met by {'wall' if wall_ok else 'CPU'} time only"
    return "NOT met"


if __name__ == "__main__":
    sys.exit(main())
