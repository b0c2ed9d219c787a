"""The Jinja2 environment every target renders with.

Templates are looked up first in the course's own ``templates/`` folder, then in the defaults
shipped with the package, so an instructor overrides a template by copying just that file.
Autoescaping is always on; model fields ending in ``_html`` were sanitised by the loader and are
marked safe by the ``html`` filter only.

A course's templates come from whoever opened the pull request, so the environment is Jinja2's
sandbox (no ``__globals__``, no private attributes, no unsafe calls): a template can use the data
it is given, the filters and globals registered here, and ``_()``, nothing else. The loader reads
only regular files really inside their templates folder (a symbolic link out is refused).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Optional

import jinja2
from jinja2.bccache import Bucket
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .. import __version__, i18n
from ..cache import private_folder, write_atomically
from .sandbox import CourseTemplateLoader, SafeSandbox


def default_templates_dir() -> Path:
    """The templates that travel with the package (``builder/templates`` once installed)."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "templates"
    if installed.is_dir():
        return installed
    return here.parent / "templates"  # running from a source checkout


@jinja2.pass_context
def _html(context, value: str) -> Markup:
    """Mark a loader-sanitised ``*_html`` field as safe (nothing else may be); a block of author
    text that runs against the page's direction gets its own ``dir`` (builder/i18n/bidi.py)."""
    return Markup(i18n.mark_blocks(value or "", i18n.current(context).direction))


def tojson_attr(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, kept in memory for the build's environment and its overlays (the SCORM
    page rendered once for both editions, builder/render/late.py, takes the code compiled already)
    and on disk for the next build (compiling the templates is a good part of a small course's
    build). Jinja checks every entry against its template's source and its own version; the folder
    is named after this package's version and the environment's compile settings, and is used only
    when it is this user's own, private folder."""

    def __init__(self, folder: Optional[Path]) -> None:
        self.code: dict[str, bytes] = {}
        self.folder = folder
        self.shipped = str(default_templates_dir()) + os.sep

    def get_bucket(self, environment, name, filename, source):
        bucket = Bucket(environment, self.get_cache_key(name, filename), self.get_source_checksum(source))
        # on disk only the templates that ship with the package: a course's own live in folders
        # that come and go (tests, CI checkouts) and would only pile up
        bucket.on_disk = self.folder is not None and filename is not None and filename.startswith(self.shipped)
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket) -> None:
        data = self.code.get(bucket.key)
        if data is None and bucket.on_disk:
            try:
                data = (self.folder / f"{bucket.key}.cache").read_bytes()
            except OSError:
                data = None
        if data is not None:
            bucket.bytecode_from_string(data)  # refused (recompiled) when its source changed

    def dump_bytecode(self, bucket) -> None:
        data = self.code[bucket.key] = bucket.bytecode_to_string()
        if bucket.on_disk and self.folder is not None:
            if not write_atomically(self.folder, f"{bucket.key}.cache", data):
                self.folder = None  # a full or read-only disk: compile as usual


def _cache_folder(env: jinja2.Environment) -> Optional[Path]:
    """``$XDG_CACHE_HOME/build-course/templates-<version>-<settings>``, private to this user, or
    None (no disk cache) where it cannot be made so."""
    settings = repr((__version__, jinja2.__version__, type(env).__mro__[0].__qualname__, env.sandboxed,
                     sorted(getattr(env, "intercepted_binops", ())), sorted(getattr(env, "intercepted_unops", ())),
                     env.autoescape, env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline,
                     sorted(env.extensions)))
    return private_folder(f"templates-{__version__}-{hashlib.sha1(settings.encode()).hexdigest()[:12]}")


def make_environment(source_dir: Optional[Path] = None) -> SandboxedEnvironment:
    search = []  # (folder, the folder its templates must really be in)
    if source_dir is not None and os.path.lexists(Path(source_dir) / "templates"):
        search.append((Path(source_dir) / "templates", Path(source_dir)))
    search.append((default_templates_dir(), default_templates_dir()))
    env = SafeSandbox(
        loader=CourseTemplateLoader(search),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Every learner-facing string in a template is written {{ _("...") }} (or ngettext),
        # looked up in the catalog of the language of the course being rendered.
        extensions=["jinja2.ext.i18n"],
    )
    env.bytecode_cache = _CompiledTemplates(_cache_folder(env) if hasattr(os, "getuid") else None)
    i18n.install(env)
    env.filters["html"] = _html
    env.filters["json"] = tojson_attr
    env.globals["generator"] = f"build-course {__version__}"
    return env


def has_course_templates(env: jinja2.Environment) -> bool:
    """Whether the course brings templates of its own (they may print anything in any way)."""
    loader = env.loader
    return not isinstance(loader, CourseTemplateLoader) or len(loader.search) > 1
