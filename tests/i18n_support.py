"""What the i18n tests share: the French and Arabic test courses, built in memory, and the
English interface strings (from the catalog) that must not be left in their packages."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from builder import i18n
from builder.diagnostics import Diagnostics
from builder.load import load_course
from builder.targets import DEFAULT_FORMATS, get_target

ROOTS = Path(__file__).resolve().parent / "roots"
COURSES = {"fr": ROOTS / "i18n-fr", "ar": ROOTS / "i18n-ar"}


def load(name: str):
    course, diagnostics = load_course(COURSES[name])
    assert course is not None and not diagnostics.errors, "\n".join(map(str, diagnostics))
    return course


def english_patterns(language: str) -> list[tuple[str, re.Pattern]]:
    """Every English interface string whose translation differs, as a regex (placeholders: any)."""
    words = i18n.messages(language)
    out = []
    for msgid, plural in i18n.source_messages().items():
        english = [msgid, plural] if plural else [msgid]
        translated = words.forms(msgid, plural)[1] if plural else (words.gettext(msgid),)
        for text in english:
            if text in translated or len(text) < 4:
                continue
            parts = re.split(r"%\(\w+\)[sd]", text.replace("%%", "%"))
            # a placeholder is one word or number; whole words only (not "essay" in "essayer",
            # nor "Quizzes" in Canvas's "Quizzes::Quiz" type name)
            body = r"\S{1,40}?".join(re.escape(p) for p in parts)
            out.append((text, re.compile(r"(?<![\w:])" + body + r"(?![\w:])")))
    return out


_TAG = re.compile(r"<[^>]+>")
_CONFIG = re.compile(r'data-config="([^"]*)"')


def visible_text(name: str, data: bytes) -> str:
    """The text a learner can meet in one package file (tags, scripts' source and JSON keys out)."""
    if name.endswith(".js") or not name.endswith((".html", ".xml", ".qti")):
        return ""
    text = data.decode("utf-8", "replace")
    extra = []
    for raw in _CONFIG.findall(text):  # the SCO config: only the translated values count
        config = json.loads(html.unescape(raw))
        for value in config.get("i18n", {}).get("messages", {}).values():
            extra.extend(value["forms"] if isinstance(value, dict) else [value])
    text = _CONFIG.sub("", text)
    attrs = re.findall(r'(?:title|aria-label|alt|placeholder)="([^"]*)"', text)
    text = re.sub(r"<script.*?</script>", " ", text, flags=re.S)
    plain = html.unescape(_TAG.sub(" ", html.unescape(_TAG.sub(" ", text))))
    return " ".join([plain, *attrs, *extra])


def built_files(course) -> dict:
    """{format: {path: bytes}} for every default format (media as paths are skipped)."""
    out = {}
    for fmt in DEFAULT_FORMATS:
        from builder.render import make_environment

        files = get_target(fmt).build(course, make_environment(course.source_dir), Diagnostics())
        out[fmt] = {k: v for k, v in files.items() if isinstance(v, bytes)}
    return out
