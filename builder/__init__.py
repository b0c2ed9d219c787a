"""build-course: compile a course written as plain files into LMS packages.

Pipeline (one sub-package per stage): ``load`` (YAML/Markdown -> ``model.Course``) ->
``render`` (Jinja2 templates) -> ``targets`` (one builder per package format) -> ``package``
(deterministic zip writer). ``build.build()`` runs them all.
"""

__version__ = "0.1.0"
