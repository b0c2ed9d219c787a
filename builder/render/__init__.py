"""Render stage: model -> HTML pages (and other text files) through Jinja2 templates."""

from .environment import default_templates_dir, make_environment
from .sandbox import report_template_problem

__all__ = ["default_templates_dir", "make_environment", "report_template_problem"]
