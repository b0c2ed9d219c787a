"""YAML loading that remembers where every key and value was written, safe for hostile input.

PyYAML's ``safe_load`` forgets positions, and silently keeps the last of two duplicate keys. We
build ``PosDict``/``PosList`` containers straight from the parser's events, carrying the position
of each key and value, so the loader can say ``quizzes/x.yaml:14:7`` for any mistake.

Building from events (not from PyYAML's composed node tree) is also what makes the loader safe
on a pull request from anyone: an alias (``*name``) is refused the moment the parser meets it, so
a "billion laughs" file never expands; nesting is counted on an explicit stack (no recursion, so
no ``RecursionError``); and the size of the text is checked before parsing (``limits.py``).
"""

from __future__ import annotations

from typing import Any, Optional

import yaml

from ..diagnostics import Diagnostics
from ..model import Position
from .limits import MAX_TEXT_FILE_BYTES, MAX_YAML_DEPTH

# libyaml's parser is ~10x faster than PyYAML's pure-Python one and reports the same marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class PosDict(dict):
    """A mapping that knows its own position and that of each key and value.

    Positions of keys and values are kept as the parser's marks and turned into ``Position``s only
    when asked for (a diagnostic, a model node): most are never needed, and a quiz of 5,000
    questions has some 90,000 of them."""

    __slots__ = ("pos", "_origin", "_key_marks", "_value_marks")
    pos: Position

    def where(self, key: Any) -> Position:
        """Position of the value of ``key`` (or of the mapping when the key is absent)."""
        mark = self._value_marks.get(key)
        return self.pos if mark is None else _at(self._origin, mark)

    def where_key(self, key: Any) -> Position:
        mark = self._key_marks.get(key)
        return self.pos if mark is None else _at(self._origin, mark)


def empty_mapping(pos: Position) -> PosDict:
    """A mapping with nothing in it, placed at ``pos`` (an empty front matter, say)."""
    empty = PosDict()
    empty.pos, empty._origin, empty._key_marks, empty._value_marks = pos, (pos.file, 0), {}, {}
    return empty


class PosList(list):
    __slots__ = ("pos", "_origin", "_item_marks")
    pos: Position

    def where(self, index: int) -> Position:
        marks = self._item_marks
        return _at(self._origin, marks[index]) if 0 <= index < len(marks) else self.pos


def _at(origin: tuple[str, int], mark) -> Position:
    """The position of a parser mark (0-based) in a file whose text starts at line offset + 1."""
    return Position(origin[0], mark.line + 1 + origin[1], mark.column + 1)


def _position(file: str, mark, line_offset: int) -> Position:
    return Position(file, mark.line + 1 + line_offset, mark.column + 1)


class _Refused(Exception):
    """The document cannot be used; the diagnostic is already recorded."""


_NO_KEY = object()


def _resolver_table(loader_class) -> Optional[dict]:
    """First character -> [(tag, pattern)]: the loader's implicit resolvers, to resolve plain
    scalars without ``Resolver.resolve``'s generality, or None when that generality is in use."""
    if loader_class.yaml_path_resolvers or None in loader_class.yaml_implicit_resolvers:
        return None
    return dict(loader_class.yaml_implicit_resolvers)


_RESOLVERS = _resolver_table(_Loader)
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING_START, _SEQUENCE_START = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAPPING_END, _SEQUENCE_END = yaml.MappingEndEvent, yaml.SequenceEndEvent


class _EventBuilder:
    def __init__(self, loader, file: str, line_offset: int, diagnostics: Diagnostics):
        self.loader = loader
        self.file = file
        self.offset = line_offset
        self.origin = (file, line_offset)
        self.d = diagnostics
        self.first_anchor: Optional[tuple[str, Position]] = None
        self.anchors: dict[str, Position] = {}

    def pos(self, mark) -> Position:
        return _position(self.file, mark, self.offset)

    def document(self) -> Any:
        """The one document of the stream (None when the stream is empty)."""
        loader = self.loader
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            loader.get_event()
            return None
        loader.get_event()  # DocumentStart
        value = self._node()
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            extra = loader.get_event()
            self.d.error(self.pos(extra.start_mark), "a second YAML document starts here ('---')",
                         "keep one document per file: remove the '---' line or move the rest to its own file")
            raise _Refused
        if self.first_anchor is not None:  # anchors without any alias: refused all the same
            name, where = self.first_anchor
            self.d.error(where, f"YAML anchor '&{name}' is not allowed", _ANCHOR_HINT)
            raise _Refused
        return value

    def _node(self) -> Any:
        """Consume the events of one node; returns its value. Iterative: depth is bounded.

        The hot loop of loading a course (it runs once per key, value and list item), so it
        dispatches on the event's exact class and attaches values in line."""
        get_event, origin, scalar = self.loader.get_event, self.origin, self._scalar
        typed, always = _RESOLVERS or {}, _RESOLVERS is None  # first letters of typed plain values
        # The open containers, innermost last: [container, its start mark, key waiting for its
        # value, that key's mark, drop the value (the key was refused)]. Lists use the first two.
        stack: list[list] = []
        while True:
            event = get_event()
            kind = type(event)
            if kind is _SCALAR:
                if event.anchor is not None:
                    self._anchor(event)
                value, mark = event.value, event.start_mark
                # Text needs no work: quoted, or plain with no type starting with its first letter.
                if always or event.tag is not None or (event.implicit[0] and value[:1] in typed):
                    value = scalar(event)
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                if event.anchor is not None:
                    self._anchor(event)
                self._check_collection(event, len(stack))
                mark = event.start_mark
                if kind is _MAPPING_START:
                    value = PosDict()
                    value.pos, value._origin, value._key_marks, value._value_marks = _at(origin, mark), origin, {}, {}
                else:
                    value = PosList()
                    value.pos, value._origin, value._item_marks = _at(origin, mark), origin, []
                stack.append([value, mark, _NO_KEY, None, False])
                continue
            elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                value, mark = stack.pop()[:2]
            elif kind is _ALIAS:
                self._alias(event)
            else:  # pragma: no cover - the parser yields nothing else inside a document
                raise yaml.YAMLError(f"unexpected YAML event {type(event).__name__}")
            if not stack:
                return value
            frame = stack[-1]
            container = frame[0]
            if type(container) is PosList:
                container.append(value)
                container._item_marks.append(mark)
            elif frame[2] is _NO_KEY:  # this is a key
                frame[2], frame[3], frame[4] = value, mark, False
                if isinstance(value, (dict, list, _MergeKey)) or value in container:
                    frame[4] = self._refused_key(container, value, mark)
            else:
                if not frame[4]:
                    key = frame[2]
                    container[key] = value
                    container._key_marks[key] = frame[3]
                    container._value_marks[key] = mark
                frame[2] = _NO_KEY

    def _refused_key(self, container: PosDict, key: Any, mark) -> bool:
        """Report a key that cannot be used (a mapping, '<<', a duplicate); True when reported."""
        where = _at(self.origin, mark)
        if isinstance(key, (dict, list)):
            self.d.error(where, "a key cannot be a mapping or a list", "write a plain word before the colon")
        elif isinstance(key, _MergeKey):
            self.d.error(where, "YAML merge keys ('<<') are not supported", "write the keys out in full")
        else:
            first = container.where_key(key)
            self.d.error(where, f"duplicate key '{key}' (first written at line {first.line})",
                         "keep only one of them")
        return True

    def _anchor(self, event) -> None:
        """Remember an anchor ('&name'): refused at the end, or at its first alias."""
        where = self.pos(event.start_mark)
        self.anchors.setdefault(event.anchor, where)
        if self.first_anchor is None:
            self.first_anchor = (event.anchor, where)

    def _check_collection(self, event, depth: int) -> None:
        if depth >= MAX_YAML_DEPTH:
            self.d.error(self.pos(event.start_mark),
                         f"lists and mappings are nested more than {MAX_YAML_DEPTH} levels deep",
                         "a course file never needs this much nesting: check the indentation")
            raise _Refused
        if event.tag not in _COLLECTION_TAGS:  # !!python/object/apply:…, !!set, !custom
            self.d.error(self.pos(event.start_mark), f"YAML tag '{event.tag}' is not allowed",
                         "remove the '!…' before the list or mapping")
            raise _Refused

    def _scalar(self, event) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            value = event.value
            if _RESOLVERS is None:
                tag = self.loader.resolve(yaml.ScalarNode, value, event.implicit)
            elif event.implicit[0]:  # plain: what Resolver.resolve does for it, without the rest
                tag = _STR_TAG
                for candidate, pattern in _RESOLVERS.get(value[:1], ()):
                    if pattern.match(value):
                        tag = candidate
                        break
                if tag == _BOOL_TAG:  # the pattern only matches the words the table holds
                    return _Loader.bool_values[value.lower()]
                if tag == _NULL_TAG:
                    return None
            else:  # quoted, or a block: text
                return value
        if tag == _STR_TAG:
            return event.value  # most values: skip the constructor machinery
        if tag == _MERGE_TAG:
            return _MergeKey()
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        try:
            return self.loader.construct_object(node)
        except (ValueError, TypeError, OverflowError, AttributeError) as exc:
            # PyYAML lets these escape for values that match a type's pattern but are not one:
            # 2024-13-45 (no month 13), a 5000-digit integer, !!int 'x'.
            what = tag.rsplit(":", 1)[-1]
            self.d.error(self.pos(event.start_mark), f"'{_clip(event.value)}' is not a valid {what} ({exc})",
                         "put the value in quotes to keep it as text")
            return event.value

    def _alias(self, event) -> None:
        anchor = self.anchors.get(event.anchor)
        where = f" (its anchor is at line {anchor.line})" if anchor else ""
        self.d.error(self.pos(event.start_mark), f"YAML alias '*{event.anchor}' is not allowed{where}", _ANCHOR_HINT)
        raise _Refused


class _MergeKey:
    """The '<<' key, refused: merging needs aliases to be of any use."""

    def __hash__(self) -> int:
        return 0


# The pure-Python parser's words where LibYAML's differ, so messages do not depend on which ran.
_LIBYAML_WORDING = {"mapping values are not allowed here": "mapping values are not allowed in this context"}

_ANCHOR_HINT = ("write the value out in full: anchors (&) and aliases (*) are refused, because a few lines "
                "of them can expand to gigabytes (docs/security.md)")


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def load_yaml(
    text: str, file: str, diagnostics: Diagnostics, line_offset: int = 0
) -> tuple[Optional[Any], bool]:
    """Parse one YAML document. Returns (data, ok); syntax errors become diagnostics."""
    if len(text) > MAX_TEXT_FILE_BYTES:  # characters: at least as many bytes
        diagnostics.error(Position(file, 1 + line_offset), f"YAML text is larger than the limit "
                          f"({len(text):,} characters, at most {MAX_TEXT_FILE_BYTES:,})",
                          "split it, or shorten it: a course file is never this large (docs/security.md)")
        return None, False
    try:
        loader = _Loader(text)
    except UnicodeEncodeError as exc:  # lone surrogates: only from Python callers, never from a file
        diagnostics.error(Position(file, 1 + line_offset), f"text is not valid Unicode ({exc.reason})",
                          "save the file as UTF-8")
        return None, False
    try:
        return _EventBuilder(loader, file, line_offset, diagnostics).document(), True
    except _Refused:
        return None, False
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _position(file, mark, line_offset) if mark else Position(file, 1 + line_offset)
        problem = exc.problem or "invalid YAML"
        problem = _LIBYAML_WORDING.get(problem, problem)
        if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
            # The parser gives up at the end of the file; the mistake is where the quote opened.
            opened = _position(file, exc.context_mark, line_offset)
            diagnostics.error(opened, f"YAML syntax error: this quote is never closed (the parser gave up at "
                              f"line {pos.line}, column {pos.column})",
                              "add the closing quote at the end of the value, or remove the opening one")
            return None, False
        if isinstance(exc, yaml.constructor.ConstructorError):  # a '!!tag' the safe loader refuses
            diagnostics.error(pos, f"YAML value not allowed: {problem}", "remove the '!…' tag before the value")
            return None, False
        if exc.context:
            problem = f"{exc.context}: {problem}"
        hint = _yaml_hint(problem)
        opened = _runaway_quote(text, mark) if mark else None
        if opened is not None:  # a quote left open was closed by the next quote, lines later
            at = _position(file, opened, line_offset)
            problem += (f" (the quoted text that opened at line {at.line}, column {at.column} ends here: "
                        "is a closing quote missing there?)")
            hint = f"close the quote on line {at.line}, or remove it"
        diagnostics.error(pos, f"YAML syntax error: {problem}", hint)
        return None, False
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character)
        line = text.count("\n", 0, exc.position)
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        diagnostics.error(Position(file, line + 1 + line_offset, column),
                          f"character U+{exc.character:04X} is not allowed in YAML ({exc.reason})",
                          "delete it: it is invisible in most editors (a control character)")
        return None, False
    except yaml.YAMLError as exc:  # pragma: no cover - other unmarked errors are rare
        diagnostics.error(Position(file, 1 + line_offset), f"YAML error: {exc}", "check the file's syntax")
        return None, False
    finally:
        loader.dispose()


def _runaway_quote(text: str, mark):
    """Start of a quoted scalar spanning lines that ends right where the parser failed, if any.

    Only on the error path: tokens are scanned again up to the failure."""
    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= mark.index:
                break
            last = token
    except yaml.YAMLError:
        pass
    if (isinstance(last, yaml.ScalarToken) and last.style in ('"', "'")
            and last.start_mark.line < last.end_mark.line and last.end_mark.line == mark.line):
        return last.start_mark
    return None


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value that contains ': ' must be put in quotes"
    if "found character '\\t'" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return "check the indentation and the '-' of list items on this line and the one before"
    if "found undefined alias" in problem or "found unknown escape" in problem:
        return "put the value in quotes"
    return "check indentation, colons and quotes on this line"
