"""The gettext catalogs that travel with the package (``locales/*.po``).

No compile step: a ``.po`` file is parsed the first time its language is asked for (a few ms),
by a small reader of our own (``_read``): importing Babel's ``pofile`` costs more than the whole
rest of a small course's catalog work (it pulls in babel.dates, zoneinfo and the email package).
Anything the reader does not expect (a context, a header without Plural-Forms, an unknown line)
hands the file to Babel's parser instead; ``tests/test_i18n_startup.py`` checks that both read
every shipped catalog the same. ``python -m builder.i18n`` (extract, update, check) uses Babel.
``messages.pot`` is the template a translator starts from (``python -m builder.i18n extract``).
"""

from __future__ import annotations

import functools
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Union

LOCALES = Path(__file__).resolve().parent / "locales"
TEMPLATE = Path(__file__).resolve().parent / "messages.pot"
SOURCE_LANGUAGE = "en"
# A gettext plural expression: only n, integers and C operators (it is also run by the SCO).
_SAFE_PLURAL = re.compile(r"^[n0-9\s<>=!&|?:%()+\-*/]+$")


@dataclass(frozen=True)
class Catalog:
    language: str  # the file's name: "fr", "pt_BR"
    babel_locale: str
    nplurals: int
    plural_expr: str
    # msgid -> str, or for a plural message msgid (singular) -> tuple of forms
    messages: dict = field(repr=False, hash=False, compare=False)
    plural_index: Callable[[int], int] = field(repr=False, hash=False, compare=False)


def _normalise(tag: str) -> str:
    return tag.replace("-", "_")


def known_languages() -> list[str]:
    return sorted(p.stem for p in LOCALES.glob("*.po"))


class _Unexpected(Exception):
    """Something the small reader leaves to Babel."""


_ESCAPE = re.compile(r'\\([\\trn"])')
_ESCAPES = {"t": "\t", "r": "\r", "n": "\n"}


def _unquote(text: str, line: str) -> str:
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise _Unexpected(line)
    text = text[1:-1]
    if "\\" in text:  # as Babel's unescape: \\ \" \t \r \n; any other backslash stays
        text = _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)
    return text


def _read(path: Path) -> tuple[str, int, dict]:
    """(plural expression, number of plural forms, messages) of a .po file, as Babel reads them
    (translated and untranslated, fuzzy ones left out, obsolete ``#~`` entries ignored)."""
    entries: list = []  # [flags, [msgid parts...], {index: [msgstr parts...]}]
    flags: set = set()
    current = None
    target = None  # the list of parts that a continuation line ("…") extends
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                flags.update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#~"):  # an obsolete entry: its flags go with it
                flags, target = set(), None
            continue
        if line.startswith('"'):
            if target is None:
                raise _Unexpected(line)
            target.append(_unquote(line, line))
            continue
        keyword, _, arg = line.partition(" ")
        arg = arg.strip()
        if keyword == "msgid":
            current = [flags, [[_unquote(arg, line)]], {}]
            entries.append(current)
            flags = set()
            target = current[1][0]
        elif keyword == "msgid_plural" and current is not None and not current[2]:
            current[1].append([_unquote(arg, line)])
            target = current[1][-1]
        elif keyword.startswith("msgstr") and current is not None:
            index = 0
            if keyword != "msgstr":
                if not (keyword.startswith("msgstr[") and keyword.endswith("]") and keyword[7:-1].isdigit()):
                    raise _Unexpected(line)
                index = int(keyword[7:-1])
            target = current[2].setdefault(index, [])
            target.append(_unquote(arg, line))
        else:
            raise _Unexpected(f"{path}:{number}: {line}")  # msgctxt and anything unforeseen
    if not entries or entries[0][1] != [[""]] or not all(e[2] for e in entries):
        raise _Unexpected("no header, or a message without msgstr")
    nplurals, expr = None, None
    for header in "".join(entries[0][2].get(0, [])).split("\n"):
        name, _, value = header.partition(":")
        if name.strip().lower() == "plural-forms":
            params = dict(p.strip().partition("=")[::2] for p in value.split(";") if "=" in p)
            nplurals, expr = params.get("nplurals"), params.get("plural")
    if nplurals is None or expr is None or not nplurals.strip().isdigit() or '"' in expr:
        raise _Unexpected("Plural-Forms")
    nplurals = int(nplurals)
    messages: dict[str, Union[str, tuple[str, ...]]] = {}
    for entry_flags, ids, strings in entries[1:]:
        if "fuzzy" in entry_flags:
            continue
        if len(ids) > 1:
            forms = ["".join(strings[i]) if i in strings else "" for i in range(nplurals)]
            if any(i >= nplurals for i in strings):
                raise _Unexpected("more translations than nplurals")
            value: Union[str, tuple[str, ...]] = tuple(forms)
        else:
            value = "".join(strings.get(0, []))
        msgid = "".join(ids[0])
        if msgid:
            if msgid in messages:
                raise _Unexpected(f"duplicate msgid {msgid!r}")
            messages[msgid] = value
    return expr, nplurals, messages


def _read_with_babel(path: Path, name: str) -> tuple[str, int, dict, str]:
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        po = read_po(f, locale=name.replace("_", "-") if "_" in name else name)
    messages: dict[str, Union[str, tuple[str, ...]]] = {}
    for m in po:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, tuple):
            messages[m.id[0]] = tuple(m.string)
        else:
            messages[m.id] = m.string
    return po.plural_expr, po.num_plurals, messages, str(po.locale) if po.locale else name


# Babel writes a plain language code ("fr", "pt") back as itself; other names go through Babel.
_PLAIN_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def read_catalog(path: Path, name: str, babel: bool = False) -> tuple[str, int, dict, str]:
    """(plural expression, nplurals, msgid -> translation, babel locale name) of one .po file."""
    if not babel and _PLAIN_LANGUAGE.match(name):
        try:
            return (*_read(path), name)
        except (_Unexpected, UnicodeDecodeError, ValueError):
            pass
    return _read_with_babel(path, name)


@functools.lru_cache(maxsize=None)
def load(name: str) -> Catalog:
    path = LOCALES / f"{name}.po"
    expr, nplurals, messages, babel_locale = read_catalog(path, name)
    if not _SAFE_PLURAL.match(expr):
        raise ValueError(f"{path}: Plural-Forms expression {expr!r} is not a plain gettext expression")
    return Catalog(name, babel_locale, nplurals, expr, messages, gettext.c2py(expr))


def catalog_for(language: str) -> tuple[Catalog, ...]:
    """The catalogs to look a string up in, most specific first: fr-CA -> fr_CA, fr, en."""
    return _chain(_normalise(language).lower())


@functools.lru_cache(maxsize=None)
def _chain(tag: str) -> tuple[Catalog, ...]:
    available = {name.lower(): name for name in known_languages()}
    parts = tag.split("_")
    names = []
    for n in range(len(parts), 0, -1):
        name = available.get("_".join(parts[:n]))
        if name and name not in names:
            names.append(name)
    if SOURCE_LANGUAGE not in names:
        names.append(SOURCE_LANGUAGE)
    return tuple(load(name) for name in names)


@functools.lru_cache(maxsize=1)
def source_messages() -> dict:
    """Every msgid of the template (the English source strings): singular -> plural or None."""
    from babel.messages.pofile import read_po

    with TEMPLATE.open("rb") as f:
        pot = read_po(f)
    return {(m.id[0] if isinstance(m.id, tuple) else m.id): (m.id[1] if isinstance(m.id, tuple) else None)
            for m in pot if m.id}
