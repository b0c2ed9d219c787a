"""The gettext catalogs that travel with the package (``locales/*.po``), read with Babel.

No compile step: a ``.po`` file is parsed the first time its language is asked for (a few ms).
``messages.pot`` is the template a translator starts from (``python -m builder.i18n extract``).
"""

from __future__ import annotations

import functools
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Union

from babel.messages.pofile import read_po

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


@functools.lru_cache(maxsize=None)
def load(name: str) -> Catalog:
    path = LOCALES / f"{name}.po"
    with path.open("rb") as f:
        po = read_po(f, locale=name.replace("_", "-") if "_" in name else name)
    expr = po.plural_expr
    if not _SAFE_PLURAL.match(expr):
        raise ValueError(f"{path}: Plural-Forms expression {expr!r} is not a plain gettext expression")
    messages: dict[str, Union[str, tuple[str, ...]]] = {}
    for m in po:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, tuple):
            messages[m.id[0]] = tuple(m.string)
        else:
            messages[m.id] = m.string
    return Catalog(name, str(po.locale) if po.locale else name, po.num_plurals, expr, messages,
                   gettext.c2py(expr))


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
    with TEMPLATE.open("rb") as f:
        pot = read_po(f)
    return {(m.id[0] if isinstance(m.id, tuple) else m.id): (m.id[1] if isinstance(m.id, tuple) else None)
            for m in pot if m.id}
