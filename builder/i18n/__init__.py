"""The learner's language: message catalogs, plural forms, author overrides and text direction.

Every fixed string a learner reads (templates, the SCO's JavaScript, the few titles made in
Python) is an English ``msgid`` looked up in a gettext catalog, ``locales/<lang>.po``, read at
run time with Babel (no compile step: a translator adds a language by adding one file). The
course language picks the catalog with the usual fallback ``fr-CA`` -> ``fr`` -> ``en``; a
course may override any string in ``course.yaml`` (``messages:``, checked by the loader).

Templates call ``{{ _("…") }}`` / ``{{ ngettext("…", "…", n) }}``: ``install(env)`` makes those
look up the language of the ``course`` being rendered (or, in Python-called macros, of the course
whose target is being built: ``building(course)``). Python code asks ``for_course(course)``.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from typing import Iterator, Mapping, Optional, Sequence, Union

import jinja2

from .bidi import first_strong, mark_blocks, text_direction
from .catalogs import Catalog, catalog_for, known_languages, source_messages

__all__ = [
    "Messages", "Override", "building", "catalog_for", "first_strong", "for_course", "install",
    "known_languages", "lms_html", "mark_blocks", "messages", "source_messages", "text_direction",
]

# (msgid, value): value is a string, or for a plural message the tuple of its forms.
Override = tuple[str, Union[str, tuple[str, ...]]]
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


class Messages:
    """The strings of one language (and one course's overrides), ready to use."""

    def __init__(self, language: str, overrides: Sequence[Override] = ()):
        self.language = language
        self.direction = text_direction(language)
        self.chain: tuple[Catalog, ...] = catalog_for(language)
        self.primary = self.chain[0]
        self.overrides: dict = dict(overrides)
        # Catalogs and overrides never change once loaded, so each answer is worked out once:
        # a SCO page asks for the same few dozen strings tens of thousands of times.
        self._texts: dict = {}
        self._numbers: dict = {}
        self._locale = None  # the parsed babel Locale (parsing it on every number is most of the cost)

    def _find(self, msgid: str) -> tuple[Catalog, object]:
        for catalog in self.chain:
            value = catalog.messages.get(msgid)
            if value:
                return catalog, value
        return self.chain[-1], None

    def gettext(self, message: str) -> str:
        text = self._texts.get(message)
        if text is None:
            text = self._texts[message] = self._gettext(message)
        return text

    def _gettext(self, message: str) -> str:
        value = self.overrides.get(message)
        if isinstance(value, str):
            return value
        _, value = self._find(message)
        return value if isinstance(value, str) and value else message

    def forms(self, singular: str, plural: str) -> tuple[Catalog, tuple[str, ...]]:
        """The plural forms of a message and the catalog whose rule picks among them."""
        value = self.overrides.get(singular)
        if value is not None:
            forms = (value,) * self.primary.nplurals if isinstance(value, str) else tuple(value)
            return self.primary, forms
        catalog, value = self._find(singular)
        if isinstance(value, tuple) and all(value):
            return catalog, value
        return catalog_for("en")[-1], (singular, plural)

    def ngettext(self, singular: str, plural: str, n) -> str:
        catalog, forms = self.forms(singular, plural)
        # a count with a fraction takes the general plural form (that of 100), as in the SCO
        count = abs(n) if float(n).is_integer() else 100
        return forms[min(catalog.plural_index(int(count)), len(forms) - 1)]

    def number(self, value) -> str:
        """A number as the language writes it (decimal comma in French...), Latin digits."""
        key = (type(value), value)
        text = self._numbers.get(key)
        separator = _GROUP_SEPARATOR.get(self.primary.babel_locale)
        if text is None and separator is not None and _plain_number(value):
            text = self._numbers[key] = f"{int(value):,}".replace(",", separator)
        if text is None:
            from babel import Locale
            from babel.numbers import format_decimal

            if self._locale is None:
                self._locale = Locale.parse(self.primary.babel_locale)
            text = self._numbers[key] = format_decimal(value, locale=self._locale, numbering_system="latn")
        return text

    def for_js(self, msgids: Sequence[Union[str, tuple[str, str]]]) -> dict:
        """What the SCO's JavaScript needs: its strings, plural forms and rules, number locale.

        ``msgids`` are the strings the scripts use (singulars, or (singular, plural) pairs).
        """
        rules: list[str] = []
        out: dict = {}
        for msgid in msgids:
            if isinstance(msgid, tuple):
                catalog, forms = self.forms(*msgid)
                if catalog.plural_expr not in rules:
                    rules.append(catalog.plural_expr)
                out[msgid[0]] = {"rule": rules.index(catalog.plural_expr), "forms": list(forms)}
            else:
                out[msgid] = self.gettext(msgid)
        return {"lang": self.language, "locale": self.primary.babel_locale, "dir": self.direction,
                "rules": rules, "messages": out}


# How Babel writes a whole number in each catalog's locale (pattern #,##0.###, Latin digits):
# its digits in groups of three, with this separator. Counts and points are most of the numbers
# a page prints, and Babel's locale data costs ~50 ms of start-up (babel.dates included).
# tests/test_i18n_startup.py checks each locale against Babel, number by number.
_GROUP_SEPARATOR = {"ar": ",", "de": ".", "en": ",", "es": ".", "fr": "\u202f", "he": ",", "pt": "."}


def _plain_number(value) -> bool:
    if type(value) is int:
        return 0 <= value < 10**12
    # a whole float ("1.0" points) too; not -0.0, which Babel writes with its sign
    return type(value) is float and value.is_integer() and 0 <= value < 10**9 and str(value)[0] != "-"


@functools.lru_cache(maxsize=64)
def messages(language: str, overrides: tuple = ()) -> Messages:
    return Messages(language, overrides)


def for_course(course) -> Messages:
    return messages(course.language, tuple(getattr(course, "messages", ()) or ()))


# The course whose package is being built, for strings rendered without a `course` in the
# template context (macros called from Python: QTI and discussion fragments).
_BUILDING: contextvars.ContextVar = contextvars.ContextVar("build_course_building", default=None)


@contextlib.contextmanager
def building(course) -> Iterator[None]:
    token = _BUILDING.set(course)
    try:
        yield
    finally:
        _BUILDING.reset(token)


def current(context: Optional[Mapping] = None) -> Messages:
    course = context.get("course") if context is not None else None
    if course is None or not hasattr(course, "language"):
        course = _BUILDING.get()
    return for_course(course) if course is not None else messages("en")


@jinja2.pass_context
def _gettext(context, message: str) -> str:
    return current(context).gettext(message)


@jinja2.pass_context
def _ngettext(context, singular: str, plural: str, n) -> str:
    return current(context).ngettext(singular, plural, n)


@jinja2.pass_context
def _number(context, value) -> str:
    return current(context).number(value)


@jinja2.pass_context
def _page_dir(context) -> str:
    return current(context).direction


@jinja2.pass_context
def _dir_attr(context, html: str):
    """` dir="rtl"` (or ltr) when author text runs the other way than the page, else nothing."""
    from markupsafe import Markup

    direction = first_strong(html or "")
    if direction is None or direction == current(context).direction:
        return Markup("")
    return Markup(f' dir="{direction}"')


_BLOCK_HTML = re.compile(r"<(?:p|div|ul|ol|dl|blockquote|h[1-6]|table|pre|figure)\b", re.I)


def lms_html(html: str) -> str:
    """Author HTML that an LMS shows inside its own page (QTI question, choice and feedback texts,
    discussion intros): the LMS page has the direction of its interface, not of the course, so
    a fragment of a right-to-left course, or one that itself runs right to left, is wrapped in
    its direction (``dir`` ltr/rtl: kept by Moodle's HTMLPurifier and Canvas's sanitizer), and
    its blocks are marked against that. An English fragment of an English course is unchanged.
    """
    if not html or not html.strip():
        return html
    page = current().direction
    own = first_strong(html) or page
    if page == "ltr" and own == "ltr":
        return html
    tag = "div" if _BLOCK_HTML.search(html) else "span"
    return f'<{tag} dir="{own}">{mark_blocks(html, own)}</{tag}>'


def install(env: jinja2.Environment) -> None:
    """Make ``_``/``ngettext`` in templates speak the course's language, and add the helpers:
    ``number(x)``, ``page_dir()``, ``dir_attr(html)`` and ``text_direction(lang)``."""
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    env.globals.update(number=_number, page_dir=_page_dir, dir_attr=_dir_attr, text_direction=text_direction)


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


JS_KEYWORDS = {"t": None, "tn": (1, 2)}  # the SCO scripts' gettext and ngettext


@functools.lru_cache(maxsize=32)
def js_msgids(source: str) -> tuple:
    """The messages a script uses (``t("…")``, ``tn("…", "…", n)``), read with Babel's extractor.

    Babel's JavaScript lexer takes ~0.1 s of CPU for the SCO's scripts, more than the rest of a
    small course's SCORM build; its answer depends only on the script, the keywords and Babel's
    extractor, so it is kept in this user's cache folder (builder/cache.py) under a hash of the
    three.
    """
    import hashlib
    import json

    from ..cache import private_folder, write_atomically

    extractor = _babel_js_extractor()
    folder = private_folder("js-msgids") if extractor is not None else None
    if folder is not None:
        digest = hashlib.sha256(repr((source, JS_KEYWORDS)).encode("utf-8", "surrogatepass"))
        digest.update(extractor)
        entry = f"{digest.hexdigest()}.json"
        try:
            cached = json.loads((folder / entry).read_text(encoding="utf-8"))
            return tuple(tuple(m) if isinstance(m, list) else m for m in cached)
        except (OSError, ValueError):
            pass
    found = _extract_js_msgids(source)
    if folder is not None:
        write_atomically(folder, entry, json.dumps(found, ensure_ascii=False).encode("utf-8"))
    return found


@functools.lru_cache(maxsize=1)
def _babel_js_extractor() -> Optional[bytes]:
    """The source of Babel's JavaScript extractor (part of the cache key), without importing it."""
    import importlib.util
    from pathlib import Path

    try:
        spec = importlib.util.find_spec("babel")
        messages_dir = Path(spec.origin).parent / "messages"
        return (messages_dir / "extract.py").read_bytes() + (messages_dir / "jslexer.py").read_bytes()
    except (AttributeError, TypeError, OSError, ImportError):
        return None  # an unusual install (zipped...): no disk cache


def _extract_js_msgids(source: str) -> tuple:
    import io

    from babel.messages.extract import extract_javascript

    found = []
    for _, funcname, message, _ in extract_javascript(io.BytesIO(source.encode("utf-8")), JS_KEYWORDS, [], {}):
        if funcname == "tn":  # the raw extractor hands every argument: keep singular and plural
            found.append(tuple(message)[:2])
        else:
            found.append(message[0] if isinstance(message, (tuple, list)) else message)
    return tuple(found)


def for_scripts(course, sources) -> dict:
    """The ``i18n`` part of the SCO's config: every string its scripts use, in the course language."""
    wanted: list = []
    for source in sources:
        for msgid in js_msgids(source):
            if msgid not in wanted:
                wanted.append(msgid)
    return for_course(course).for_js(wanted)
