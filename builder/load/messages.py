"""``messages:`` in course.yaml: the course's own wording of any interface string.

Keys are the English source strings of the catalog (``python -m builder.i18n list`` prints them);
a value is the text for this course, or for a string with plural forms either one text or the
list of forms of the course language. Checked here so a typo is an error with its line, never
a string silently left as it was.
"""

from __future__ import annotations

import re

from .. import i18n
from ..diagnostics import Diagnostics, did_you_mean
from .fields import type_name
from .yamlpos import PosDict, PosList

_FORMAT = re.compile(r"%\((\w+)\)[sd]|%%")


def _check_format(value: str, allowed: set, where, d: Diagnostics) -> bool:
    unknown = sorted(set(n for n in _FORMAT.findall(value) if n) - allowed)
    if unknown:
        d.error(where, f"'%({unknown[0]})s' is not a placeholder of this message",
                "use only " + (", ".join(f"%({n})s" for n in sorted(allowed)) if allowed else "plain text")
                + " (they are filled in when the page is built)")
        return False
    if "%" in _FORMAT.sub("", value):
        d.error(where, "a lone '%' in a message", "write %% for a percent sign")
        return False
    return True


def load_messages(data, where, language: str, d: Diagnostics) -> tuple:
    """The overrides as ``((msgid, text | (forms…)), …)``, sorted (stable build to build)."""
    if data is None:
        return ()
    if not isinstance(data, PosDict):
        d.error(where, f"'messages' must be a mapping of interface strings, not {type_name(data)}",
                'write it as messages: followed by indented lines like  "Check my answers": "Vérifier"')
        return ()
    known = i18n.source_messages()
    nplurals = i18n.messages(language).primary.nplurals
    out = {}
    for key, value in data.items():
        if str(key) not in known:
            guess = did_you_mean(str(key), known)
            d.error(data.where_key(key), f"'{key}' is not an interface string of build-course",
                    f"did you mean '{guess}'?" if guess else
                    "keys are the English strings exactly as in builder/i18n/messages.pot "
                    "(python -m builder.i18n list prints them)")
            continue
        plural = known[str(key)]
        allowed = set(n for n in _FORMAT.findall(key + (plural or "")) if n)
        if plural is not None:
            allowed.add("num")
        at = data.where(key)
        if isinstance(value, str) and value.strip():
            if _check_format(value, allowed, at, d):
                out[str(key)] = value
        elif isinstance(value, PosList) and plural is not None:
            if len(value) != nplurals or not all(isinstance(v, str) and v.strip() for v in value):
                d.error(at, f"'{key}' needs {nplurals} plural forms in '{language}', not {len(value)}",
                        "give one text for every form (see the .po file of the language), or a single text")
            elif all(_check_format(v, allowed, value.where(i), d) for i, v in enumerate(value)):
                out[str(key)] = tuple(value)
        else:
            d.error(at, f"the text for '{key}' must be non-empty text, not {type_name(value)}",
                    "write the course's wording in quotes" + (", or a list of its plural forms" if plural else ""))
    return tuple(sorted(out.items()))


def _translated(value) -> bool:
    """A catalog entry with its text (every form of a plural message)."""
    return bool(value) and (all(value) if isinstance(value, tuple) else True)


def check_catalog(language: str, where, overrides: tuple, d: Diagnostics) -> None:
    """Warn when the learner would meet English interface strings in a course in another language:
    the language has no catalog, or its catalog lacks some strings (neither is an error: the
    course still builds, with English where no translation exists)."""
    chain = i18n.catalog_for(language)
    own = [c for c in chain if c.language != "en"]
    if language.lower().split("-")[0] == "en":
        return
    file = language.split("-")[0].lower()
    if not own:
        d.warning(where, f"no interface catalog for '{language}': buttons, labels and notices will be in English",
                  f"add builder/i18n/locales/{file}.po (docs/i18n.md, 'Adding a language'), "
                  "or word the strings for this course under messages:")
        return
    known = i18n.source_messages()
    overridden = {key for key, _ in overrides}
    missing = [m for m in known if m not in overridden and not any(_translated(c.messages.get(m)) for c in own)]
    if missing:
        d.warning(where, f"{len(missing)} of {len(known)} interface strings have no translation in "
                         f"{own[0].language}.po and will be shown in English (first: '{missing[0]}')",
                  "python -m builder.i18n check lists them; translate them there, "
                  "or word them for this course under messages:")
