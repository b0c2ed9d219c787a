"""HTML preview: a self-contained folder of static pages, quizzes shown read-only."""

from __future__ import annotations

import jinja2

from ...diagnostics import Diagnostics
from ...model import Course
from ..base import Target
from ..pagefiles import media_files, stylesheet


class PreviewTarget(Target):
    name = "html"
    label = "HTML preview"
    output = "folder"

    def filename(self, course: Course) -> str:
        return f"{course.id}-preview"

    def build(self, course: Course, env: jinja2.Environment, diagnostics: Diagnostics) -> dict[str, bytes]:
        page = env.get_template("preview/page.html")
        files = {
            "index.html": env.get_template("preview/index.html").render(course=course).encode(),
            "course.css": stylesheet(env),
        }
        for module in course.modules:
            html = page.render(course=course, module=module, page_title=module.title)
            files[module.page_filename] = html.encode()
        if course.sources:
            files[course.sources_page_filename] = page.render(
                course=course, module=None, page_title=course.sources_title
            ).encode()
        files.update(media_files(course))
        return files
