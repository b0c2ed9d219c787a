"""Resource limits on course sources, so that hostile input cannot exhaust the machine.

``build-course`` runs in CI on pull requests: its input may come from anyone. Each limit is far
above what a real course needs (the embedded course: 5 KB quizzes of 6 questions, 4 levels of
YAML nesting) and low enough that loading stays fast and small. docs/security.md lists them;
tests/test_security_limits.py checks each one at the limit and one past it.
"""

from __future__ import annotations

MAX_TEXT_FILE_BYTES = 1_048_576  # course.yaml, a module, a quiz, a template: 1 MiB each
MAX_YAML_DEPTH = 20  # mappings and lists inside one another (a quiz needs 6)
MAX_QUESTIONS_PER_QUIZ = 500
MAX_MODULES = 200  # outline entries in course.yaml
MAX_MARKDOWN_NESTING = 20  # quotes ('>') and list levels inside one another in a module
MAX_BRACKETS_PER_PARAGRAPH = 100  # '[' (links, images, citations): Markdown's link search is quadratic
MAX_BRACKETS_PER_COURSE = 20_000
MAX_BLOCK_LINES = 1_000  # lines of Markdown without a blank line between them
MAX_RULES_PER_BLOCK = 20  # headings and '---' rules without a blank line between them
MAX_ABBREVIATIONS = 100  # '*[HTML]: …' definitions in one page
MAX_COURSE_TEXT_BYTES = 8 * 1_048_576  # course.yaml, modules and quizzes together

MEDIA_WARN_MB_DEFAULT = 10  # media larger than this get a warning (course.yaml: media: warn_above_mb)
MB = 1_000_000
