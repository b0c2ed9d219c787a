"""The target-builder contract (one module per package format, like Sphinx's builders).

A target reads the model and the shared Jinja2 environment and returns the package's files as
``{path inside the package: bytes | pathlib.Path}`` (a ``Path`` is a file on disk, e.g. a media
file, that the package stage streams in without reading it into memory). It never writes to disk (the package stage does) and never
reads source files (the loader already did). Problems it finds go into ``diagnostics`` with the
position of the model node that caused them.
"""

from __future__ import annotations

import functools
from typing import ClassVar, Mapping

import jinja2

from .. import i18n
from ..diagnostics import Diagnostics
from ..model import Course


class Target:
    name: ClassVar[str]  # the --format value
    label: ClassVar[str]  # human name, for progress lines and help
    output: ClassVar[str] = "zip"  # "zip" (a package file), "folder", or "file" (one file, e.g. a question bank)
    # Shown after a build: what a teacher must check or do after importing, per LMS.
    after_import: ClassVar[Mapping[str, tuple[str, ...]]] = {}

    def __init_subclass__(cls, **kwargs):
        # Every target builds in its course's language: strings rendered outside a template
        # context (macros called from Python, titles made in Python) find it (builder/i18n).
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None:
            @functools.wraps(build)
            def build_in_language(self, course, *args, **kwargs):
                with i18n.building(course):
                    return build(self, course, *args, **kwargs)

            cls.build = build_in_language

    def filename(self, course: Course) -> str:
        raise NotImplementedError

    def build(self, course: Course, env: jinja2.Environment, diagnostics: Diagnostics) -> dict:
        raise NotImplementedError
