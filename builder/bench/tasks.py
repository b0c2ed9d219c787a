"""What the benchmark measures, one task per child process (so each gets its own peak RSS).

Run as ``python -m builder.bench.tasks TASK JSON-ARGS``; prints one JSON line with the seconds the
work took inside the process (interpreter start-up and imports excluded, for both sides of every
comparison). The parent reads the child's peak RSS from ``os.wait4``.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

FLOOR_LEVEL = 6  # zlib's default, the level the floor figures used (and ours: zipwriter.py)


def _cpu() -> float:
    """CPU seconds of this process and of its children it has waited for (the build's worker)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@contextmanager
def timed(result: dict):
    """Wall and CPU seconds of the block. On a machine shared with other work the wall time
    stretches with the load; the CPU time much less, so the table shows both."""
    wall, cpu = time.perf_counter(), _cpu()
    yield result
    result["seconds"] = time.perf_counter() - wall
    result["cpu"] = _cpu() - cpu


def task_build(root: str, out: str, formats: list[str]) -> dict:
    from builder.build import build
    from builder.targets import get_target

    for name in formats:  # imported before the clock starts, as text2qti's and zipfile's modules are
        get_target(name)
    with timed({}) as measured:
        result = build(Path(root), Path(out), formats)
    return {**measured, "sizes": {o.path.name: o.size for o in result.outputs},
            "warnings": len(result.diagnostics.warnings)}


def _entries(package: Path, media_dir: Path) -> list[tuple[zipfile.ZipInfo, object]]:
    """The package's entries: stored media as their source file on disk, the rest as bytes."""
    found = []
    with zipfile.ZipFile(package) as zf:
        for info in zf.infolist():
            source = media_dir / Path(info.filename).name
            if info.compress_type == zipfile.ZIP_STORED and source.is_file():
                found.append((info, source))
            else:
                found.append((info, zf.read(info)))
    return found


def task_floor(packages: list[str], media_dir: str, out: str) -> dict:
    """Python's zipfile alone writing the same entries as our packages, with the same method per
    entry (media stored, streamed from disk; text deflated at level 6 from memory): what a zip of
    this course costs at the least, with nothing rendered."""
    jobs = [(Path(p), _entries(Path(p), Path(media_dir))) for p in packages]
    Path(out).mkdir(parents=True, exist_ok=True)
    with timed({}) as measured:
        _write_floor(jobs, Path(out))
    return measured


def _write_floor(jobs: list, out: Path) -> None:
    for package, entries in jobs:
        with zipfile.ZipFile(out / package.name, "w") as zf:
            for old, data in entries:
                info = zipfile.ZipInfo(old.filename, date_time=old.date_time)
                info.compress_type = old.compress_type
                if isinstance(data, Path):
                    with open(data, "rb") as src, zf.open(info, "w") as dst:
                        while chunk := src.read(1 << 20):
                            dst.write(chunk)
                else:
                    zf.writestr(info, data, compresslevel=FLOOR_LEVEL)


def task_quizzes(root: str, out: str, formats: list[str]) -> dict:
    """Our quiz path end to end: load the course (quiz YAML and one-line pages), write the quiz
    format(s) and zip them. ``cc1.1``: both QTI flavours (the Common Cartridge profile and
    Canvas's), pages and manifest; ``qti``: one Canvas QTI 1.2 zip, the kind text2qti writes.
    Then the load alone, timed again in the same process, to show where the time goes."""
    from builder.load import load_course

    built = task_build(root, out, formats)
    with timed({}) as loading:
        load_course(Path(root))
    return {**built, "load": loading["seconds"], "load_cpu": loading["cpu"]}


def task_text2qti(markdown: str, out: str) -> dict:
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    text = Path(markdown).read_text(encoding="utf-8")
    config = Config()
    with timed({}) as measured:
        quiz = Quiz(text, config=config, source_name=markdown)
        QTI(quiz).save(out)
    return measured


TASKS = {"build": task_build, "floor": task_floor, "quizzes": task_quizzes, "text2qti": task_text2qti}


if __name__ == "__main__":
    name, args = sys.argv[1], json.loads(sys.argv[2])
    print(json.dumps(TASKS[name](**args)))
