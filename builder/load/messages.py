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
