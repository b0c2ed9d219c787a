"""What keeps a course's own templates from reading files or running code at build time.

* ``SafeSandbox``: Jinja2's ``SandboxedEnvironment`` (attributes starting with ``_``, function
  internals and unsafe calls raise ``SecurityError``), plus a bound on ``*`` and ``**`` so that
  ``{{ 'x' * 10**10 }}`` is refused instead of eating the memory.
* ``CourseTemplateLoader``: Jinja2's file loader with one more rule: the file, links followed,
  must be a regular file inside its folder (no link to ``/etc/passwd``, no FIFO, no device).
* ``template_problem``: turns an error raised while rendering a course template into the
  ``file:line`` of that template, so the author gets a diagnostic (exit 1), not a crash (exit 3).
"""

from __future__ import annotations

import operator
import os
import types
from pathlib import Path
from typing import Optional, Sequence

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from ..load.filesafety import read_bytes, unsafe_reason
from ..load.limits import MAX_TEXT_FILE_BYTES
from ..model import Position

_BOUND_METHODS = (types.MethodType, types.BuiltinMethodType)  # final types: no subclass to miss
MAX_TEMPLATE_VALUE = 10_000_000  # items or characters one '*' may make; largest '**' result in digits


class UnsafeTemplate(jinja2.TemplateError):
    """A template file that must not be read (a link out of its folder, a FIFO, too large)."""

    def __init__(self, message: str, filename: str):
        super().__init__(message)
        self.filename = filename


class SafeSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._safe_attributes: dict = {}

    def is_safe_attribute(self, obj, attr, value) -> bool:
        # Jinja's rule depends only on the object's class and the name (not on the value), and a
        # SCO page asks it tens of thousands of times: decided once per (class, name).
        cls = type(obj)
        if obj.__class__ is not cls:  # an object claiming another class: always asked afresh
            return super().is_safe_attribute(obj, attr, value)
        key = (cls, attr)
        safe = self._safe_attributes.get(key)
        if safe is None:
            safe = self._safe_attributes[key] = super().is_safe_attribute(obj, attr, value)
        return safe

    def getattr(self, obj, attribute):
        # Jinja's own getattr, with the common case first: a plain value (not a bound method, the
        # only kind Jinja wraps: str.format) of an attribute already judged safe for the class.
        # A SCO page looks up ~100,000 attributes.
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                pass
            return self.undefined(obj=obj, name=attribute)
        cls = type(obj)
        if type(value) not in _BOUND_METHODS and obj.__class__ is cls and self._safe_attributes.get((cls, attribute)):
            return value
        fmt = self.wrap_str_format(value)
        if fmt is not None:
            return fmt
        if self.is_safe_attribute(obj, attribute, value):
            return value
        return self.unsafe_undefined(obj, attribute)

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, bytes, list, tuple)) and isinstance(count, int):
                    if len(seq) * count > MAX_TEMPLATE_VALUE:
                        raise jinja2.sandbox.SecurityError(f"'*' would make a value of {len(seq) * count:,} items")
            return operator.mul(left, right)
        if operator_name == "**":
            if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
                if right * abs(left).bit_length() > MAX_TEMPLATE_VALUE:
                    raise jinja2.sandbox.SecurityError(f"'**' would make a number of about {right * abs(left).bit_length():,} bits")
            return operator.pow(left, right)
        return super().call_binop(context, operator_name, left, right)


class CourseTemplateLoader(jinja2.BaseLoader):
    """Like ``FileSystemLoader(folders)``, but every file must really be inside its root."""

    def __init__(self, search: Sequence[tuple[Path, Path]]):
        self.search = [(Path(folder), Path(root)) for folder, root in search]

    def get_source(self, environment, template):
        pieces = split_template_path(template)  # refuses '..'
        for folder, root in self.search:
            path = folder.joinpath(*pieces)
            if not os.path.lexists(path):
                continue
            reason = unsafe_reason(path, root)
            if reason == "a folder":
                continue
            if reason:
                raise UnsafeTemplate(f"template '{template}' is {reason}", str(path))
            data = read_bytes(path, MAX_TEXT_FILE_BYTES)
            if len(data) > MAX_TEXT_FILE_BYTES:
                raise UnsafeTemplate(f"template '{template}' is larger than the limit of {MAX_TEXT_FILE_BYTES:,} bytes",
                                     str(path))
            try:
                source = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise UnsafeTemplate(f"template '{template}' is not UTF-8 text ({exc.reason})", str(path)) from None
            mtime = os.path.getmtime(path)

            def uptodate(path=path, mtime=mtime) -> bool:
                try:
                    return os.path.getmtime(path) == mtime
                except OSError:
                    return False

            return source, str(path), uptodate
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        found = set()
        for folder, _ in self.search:
            for dirpath, _, filenames in os.walk(folder):  # followlinks=False
                for name in filenames:
                    found.add(os.path.relpath(os.path.join(dirpath, name), folder).replace(os.sep, "/"))
        return sorted(found)


def template_problem(exc: BaseException, course_templates: Optional[Path]) -> Optional[tuple[Position, str, str]]:
    """(where, message, hint) when ``exc`` comes from a template of the course; None otherwise.

    Jinja2 rewrites tracebacks so that template code shows as frames of the template file at the
    template's line: the innermost such frame in the course's ``templates/`` is the place to fix.
    """
    if course_templates is None:
        return None
    base = os.path.realpath(course_templates)
    course_root = os.path.dirname(os.path.abspath(course_templates))

    def course_file(filename: Optional[str]) -> Optional[str]:
        if not filename:
            return None
        absolute = os.path.abspath(filename)
        if os.path.commonpath([absolute, os.path.abspath(course_templates)]) == os.path.abspath(course_templates) \
                or os.path.commonpath([os.path.realpath(absolute), base]) == base:
            return os.path.relpath(absolute, course_root).replace(os.sep, "/")
        return None

    where: Optional[Position] = None
    if isinstance(exc, jinja2.TemplateSyntaxError) and course_file(exc.filename):
        where = Position(course_file(exc.filename), exc.lineno or 0)
    tb = exc.__traceback__ if where is None else None
    while tb is not None:
        name = course_file(tb.tb_frame.f_code.co_filename)
        if name:
            where = Position(name, tb.tb_lineno)
        tb = tb.tb_next
    if where is None and isinstance(exc, UnsafeTemplate) and course_file(exc.filename):
        where = Position(course_file(exc.filename))
    if where is None:
        return None
    if isinstance(exc, jinja2.sandbox.SecurityError):
        return (where, f"template refused by the sandbox: {exc}",
                "a template may only use the values it is given, the filters and _() (docs/security.md)")
    if isinstance(exc, UnsafeTemplate):
        return where, str(exc), "templates must be ordinary files inside the course's templates/ folder"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return where, f"template syntax error: {exc.message}", "compare it with the default template it replaces"
    if isinstance(exc, jinja2.TemplateNotFound):
        return where, f"template '{exc.name}' not found", "check the name in the {% include %} or {% extends %}"
    return where, f"template error: {type(exc).__name__}: {exc}", "compare it with the default template it replaces"


def report_template_problem(exc: BaseException, source_dir: Path, diagnostics) -> bool:
    """Add a diagnostic when ``exc`` is a course template's fault; False when it is not (a bug)."""
    problem = template_problem(exc, Path(source_dir) / "templates")
    if problem is None:
        return False
    where, message, hint = problem
    if not any(d.pos == where and d.message == message for d in diagnostics.items):  # once, not per target
        diagnostics.error(where, message, hint)
    return True
