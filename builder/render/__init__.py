"""Render stage: model -> HTML pages (and other text files) through Jinja2 templates."""

from .environment import default_templates_dir, make_environment

__all__ = ["default_templates_dir", "make_environment"]
