"""The synthetic benchmark course: MODULES pages, QUESTIONS questions, media of a chosen size.

Deterministic (no clock, seeded bytes), so two runs build the same course. Ten questions per quiz
by default, the five question types in turn, a reflection every tenth module, and the media as
1 MiB ``.png`` files of random bytes (incompressible, like real images) spread over the modules.
The media are written on the fly into a temporary folder, never committed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

KINDS = ("multiple_choice", "true_false", "multiple_response", "fill_in_blank", "essay")
MIB = 1 << 20


@dataclass(frozen=True)
class Spec:
    modules: int = 200
    questions: int = 2000
    media_bytes: int = 50 * MIB
    image_bytes: int = MIB
    reflection_every: int = 10
    paragraphs: int = 12  # per module page; 0: one plain line (the quiz comparison's pages)

    @property
    def images(self) -> int:
        return self.media_bytes // self.image_bytes


@dataclass(frozen=True)
class Question:
    """One question, in a neutral form both our YAML and text2qti's Markdown are written from."""

    n: int
    kind: str

    @property
    def prompt(self) -> str:
        return f"Question {self.n}: which statement about *solidarity* and care holds?"


def questions(count: int) -> list[Question]:
    return [Question(n, KINDS[n % len(KINDS)]) for n in range(1, count + 1)]


def question_yaml(q: Question) -> str:
    n = q.n
    head = f"  - type: {q.kind}\n    id: q{n}\n    prompt: \"{q.prompt}\"\n"
    if q.kind in ("multiple_choice", "multiple_response"):
        second = "true" if q.kind == "multiple_response" else "false"
        return head + (
            "    choices:\n"
            f"      - text: Right answer {n}\n        correct: true\n        feedback: Right, because {n}.\n"
            f"      - text: Other answer {n}\n        correct: {second}\n        feedback: Because {n}.\n"
            f"      - text: Wrong answer {n}\n        feedback: Wrong, because {n}.\n")
    if q.kind == "true_false":
        return head + f"    answer: true\n    feedback:\n      true: Yes {n}.\n      false: No {n}.\n"
    if q.kind == "fill_in_blank":
        return head + f"    answers: [answer{n}, other{n}]\n"
    return head + "    guidance: Write a paragraph.\n"


def text2qti_markdown(qs: list[Question]) -> str:
    """The same questions in text2qti's Markdown (multiple choice, true/false, multiple answers,
    short answer, essay), with the same feedback."""
    out = ["Quiz title: Benchmark quiz", "Quiz description: The benchmark's questions.", ""]
    for q in qs:
        n = q.n
        out += [f"Title: q{n}", "Points: 1", f"{n}.  {q.prompt}"]
        if q.kind == "multiple_choice":
            out += [f"*a) Right answer {n}", f"... Right, because {n}.", f"b)  Other answer {n}",
                    f"... Because {n}.", f"c)  Wrong answer {n}", f"... Wrong, because {n}."]
        elif q.kind == "multiple_response":
            out += [f"[*] Right answer {n}", f"[*] Other answer {n}", f"[ ] Wrong answer {n}"]
        elif q.kind == "true_false":
            out += ["*a) True", "b)  False"]
        elif q.kind == "fill_in_blank":
            out += [f"*   answer{n}", f"*   other{n}"]
        else:
            out += ["____"]
        out.append("")
    return "\n".join(out) + "\n"


def module_markdown(m: int, spec: Spec, images: list[str]) -> str:
    paragraphs = [f"Paragraph {p} of module {m}, with **bold** text, *emphasis* and a "
                  f"[link](https://example.org/{m}/{p})." for p in range(spec.paragraphs)]
    if not paragraphs:
        paragraphs = [f"The questions of module {m + 1}."]
    for i, name in enumerate(images):
        paragraphs.insert(1 + i % 11, f"![Figure {name}](../media/{name})")
    text = f"---\ntitle: Module {m + 1}\n---\n\n" + "\n\n".join(paragraphs) + "\n"
    if (m + 1) % spec.reflection_every == 0:
        text += f"\n```reflection\nid: r{m + 1}\nprompt: What did module {m + 1} change for you?\n```\n"
    return text


def write_media(root: Path, spec: Spec) -> list[str]:
    media = root / "course" / "media"
    media.mkdir(parents=True, exist_ok=True)
    names = []
    for k in range(spec.images):
        name = f"figure-{k + 1:05d}.png"
        path = media / name
        if not (path.is_file() and path.stat().st_size == spec.image_bytes):
            data = b"\x89PNG\r\n\x1a\n" + random.Random(k).randbytes(spec.image_bytes - 8)
            path.write_bytes(data)
        names.append(name)
    for extra in sorted(media.glob("figure-*.png"))[spec.images:]:
        extra.unlink()  # a smaller size reuses the folder of a bigger one
    return names


def make_course(root: Path, spec: Spec) -> Path:
    """Write the course into ``root`` (course/, quizzes/); reuses media already there."""
    (root / "course" / "modules").mkdir(parents=True, exist_ok=True)
    (root / "quizzes").mkdir(exist_ok=True)
    names = write_media(root, spec)
    qs = questions(spec.questions)
    per_quiz = max(1, spec.questions // spec.modules)
    outline = []
    for m in range(spec.modules):
        stem = f"{m + 1:03d}-module-{m + 1}"
        mine = names[m::spec.modules]
        (root / "course/modules" / f"{stem}.md").write_text(module_markdown(m, spec, mine), encoding="utf-8")
        entry = f"  - module: modules/{stem}.md\n"
        chunk = qs[m * per_quiz:(m + 1) * per_quiz]
        if chunk:
            quiz = "title: Quiz\nattempts: unlimited\nquestions:\n" + "".join(map(question_yaml, chunk))
            (root / "quizzes" / f"quiz-{m + 1}.yaml").write_text(quiz, encoding="utf-8")
            entry += f"    quiz: quiz-{m + 1}\n"
        outline.append(entry)
    (root / "course/course.yaml").write_text(
        "id: bench\ntitle: Benchmark course\nlanguage: en\n"
        "sources:\n  - text: A source.\n"
        "outline:\n" + "".join(outline), encoding="utf-8")
    return root
