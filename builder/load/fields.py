"""Typed reading of one YAML mapping, with a precise message for every mistake.

``Fields`` wraps a ``PosDict``: each getter checks the value's type and reports a diagnostic at the
value's position (with a hint in plain words for instructors) instead of raising. Unknown keys are
reported with the nearest valid key, so a typo like ``corect`` says "did you mean 'correct'?".
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from ..diagnostics import Diagnostics, did_you_mean
from ..model import Position
from .yamlpos import PosDict, PosList

MAX_LMS_NAME = 255  # characters in Moodle's name columns (page, quiz, forum, section, category)

_MISSING = object()


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (yes/no)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    return type(value).__name__


class Fields:
    def __init__(self, data: PosDict, diagnostics: Diagnostics, what: str, allowed: Iterable[str]):
        self.data = data
        self.d = diagnostics
        self.what = what  # e.g. "question 3", used in messages
        self.allowed = tuple(allowed)
        for key in data:
            if key not in self.allowed:
                guess = did_you_mean(str(key), self.allowed)
                hint = f"did you mean '{guess}'?" if guess else f"valid keys here: {', '.join(self.allowed)}"
                self.d.error(data.where_key(key), f"unknown key '{key}' in {what}", hint)

    @property
    def pos(self) -> Position:
        return self.data.pos

    def where(self, key: str) -> Position:
        return self.data.where(key)

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def _missing(self, key: str, hint: str) -> None:
        self.d.error(self.pos, f"{self.what} has no '{key}'", hint or f"add '{key}:'")

    def _wrong(self, key: str, expected: str, hint: str = "") -> None:
        value = self.data[key]
        self.d.error(self.where(key), f"'{key}' must be {expected}, not {type_name(value)}", hint)

    def text(self, key: str, required: bool = False, default: Optional[str] = None, hint: str = "") -> Optional[str]:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self._missing(key, hint)
            return default
        if isinstance(value, bool) or isinstance(value, (dict, list)):
            self._wrong(key, "text", hint or "put the text in quotes if it looks like something else")
            return default
        text = str(value)  # numbers and dates written without quotes are fine as text
        if required and not text.strip():
            self.d.error(self.where(key), f"'{key}' is empty", hint or f"write the {key}")
            return default
        return text

    def title(self, key: str, hint: str) -> Optional[str]:
        """A required title, warned when longer than an LMS keeps in a name."""
        text = self.text(key, required=True, hint=hint)
        if text and len(text) > MAX_LMS_NAME:
            self.d.warning(self.where(key), f"'{key}' is {len(text)} characters; Moodle keeps at most "
                           f"{MAX_LMS_NAME} in a name and refuses the cartridge and SCORM imports outright "
                           "(the .mbz and question banks cut it)", f"shorten it to {MAX_LMS_NAME} characters or fewer",
                           code="title-too-long")
        return text

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return default
        if not isinstance(value, bool):
            self._wrong(key, "true or false")
            return default
        return value

    def number(self, key: str, default: Optional[float], minimum: Optional[float] = None,
               maximum: Optional[float] = None, exclusive_min: bool = False) -> Optional[float]:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self._wrong(key, "a number")
            return default
        too_low = minimum is not None and (value <= minimum if exclusive_min else value < minimum)
        too_high = maximum is not None and value > maximum
        if too_low or too_high:
            low = f"more than {minimum:g}" if exclusive_min else f"at least {minimum:g}" if minimum is not None else ""
            high = f"at most {maximum:g}" if maximum is not None else ""
            self.d.error(self.where(key), f"'{key}' is {value:g}; it must be {' and '.join(x for x in (low, high) if x)}")
            return default
        return value

    def integer(self, key: str, default: Optional[int], minimum: int = 0) -> Optional[int]:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong(key, "a whole number")
            return default
        if value < minimum:
            self.d.error(self.where(key), f"'{key}' is {value}; it must be at least {minimum}")
            return default
        return value

    def text_list(self, key: str, required: bool = False, hint: str = "") -> tuple[str, ...]:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self._missing(key, hint)
            return ()
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return (str(value),)  # one item written without a list
        if not isinstance(value, list):
            self._wrong(key, "a list", hint)
            return ()
        items = []
        for index, item in enumerate(value):
            if item is None or isinstance(item, (bool, dict, list)):
                where = value.where(index) if isinstance(value, PosList) else self.where(key)
                self.d.error(where, f"item {index + 1} of '{key}' must be text, not {type_name(item)}",
                             "put it in quotes")
                continue
            items.append(str(item))
        if required and not items:
            self.d.error(self.where(key), f"'{key}' is empty", hint)
        return tuple(items)

    def mapping(self, key: str, required: bool = False, hint: str = "") -> Optional[PosDict]:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self._missing(key, hint)
            return None
        if not isinstance(value, PosDict):
            self._wrong(key, "a mapping (indented key: value lines)", hint)
            return None
        return value

    def sequence(self, key: str, required: bool = False, hint: str = "") -> Optional[PosList]:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self._missing(key, hint)
            return None
        if not isinstance(value, PosList):
            self._wrong(key, "a list (lines starting with '- ')", hint)
            return None
        return value
