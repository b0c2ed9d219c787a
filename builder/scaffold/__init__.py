"""``build-course new NAME``: a small working course to start from.

The files live in ``files/`` as Jinja templates of YAML and Markdown (no HTML: autoescape off).
Nothing is ever overwritten: the folder must not exist yet, or be empty.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jinja2
import yaml

from ..textutil import ascii_fold, slugify

# template -> where it goes (a dotfile would not be installed as package data)
FILES = {
    "course/course.yaml": "course/course.yaml",
    "course/modules/01-welcome.md": "course/modules/01-welcome.md",
    "quizzes/welcome.yaml": "quizzes/welcome.yaml",
    "gitignore": ".gitignore",
}
SCHEMAS = ("course.schema.json", "quiz.schema.json")


class ScaffoldError(Exception):
    """The course cannot be created where asked (the message says why and what to do)."""


def course_id(name: str) -> str:
    ascii_name = ascii_fold(name)  # "café" -> "cafe", not "caf"
    ident = slugify(ascii_name) if re.search(r"[A-Za-z0-9]", ascii_name) else "course"
    return ident if re.match(r"^[a-z]", ident) else f"course-{ident}"


def default_title(name: str) -> str:
    """The folder's name as written, in sentence case: "café-été" -> "Café été"."""
    words = re.sub(r"[-_\s]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else "My course"


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML value: bare when YAML reads it back unchanged, else double-quoted."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def create(dest: Path, title: str = "") -> list[Path]:
    """Write the starter course into ``dest``; returns the files written."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ScaffoldError(f"{dest} already exists and is not empty; nothing was written — "
                            "choose another name, or delete the folder first")
    ident = course_id(dest.resolve().name)
    title = title or default_title(dest.resolve().name)
    env = jinja2.Environment(loader=jinja2.PackageLoader("builder.scaffold", "files"), autoescape=False,
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    env.filters["yaml"] = yaml_scalar
    written = []
    for template, rel in FILES.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(env.get_template(template).render(id=ident, title=title), encoding="utf-8")
        written.append(path)
    # The editor schemas travel with the course, so the schema lines work wherever it is kept.
    schemas = resources.files("builder.schemas")
    for name in SCHEMAS:
        path = dest / "schemas" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(schemas.joinpath(name).read_bytes())
        written.append(path)
    return written
