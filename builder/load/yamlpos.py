"""YAML loading that remembers where every key and value was written.

PyYAML's ``safe_load`` forgets positions, and silently keeps the last of two duplicate keys. We
compose the node tree ourselves and build ``PosDict``/``PosList`` containers that carry the
position of each key and value, so the loader can say ``quizzes/x.yaml:14:7`` for any mistake.
"""

from __future__ import annotations

from typing import Any, Optional

import yaml

from ..diagnostics import Diagnostics
from ..model import Position


# libyaml's parser is ~10x faster than PyYAML's pure-Python one and reports the same marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PosDict(dict):
    """A mapping that knows its own position and that of each key and value."""

    pos: Position
    key_pos: dict
    value_pos: dict

    def where(self, key: Any) -> Position:
        """Position of the value of ``key`` (or of the mapping when the key is absent)."""
        return self.value_pos.get(key, self.pos)

    def where_key(self, key: Any) -> Position:
        return self.key_pos.get(key, self.pos)


def empty_mapping(pos: Position) -> PosDict:
    """A mapping with nothing in it, placed at ``pos`` (an empty front matter, say)."""
    empty = PosDict()
    empty.pos, empty.key_pos, empty.value_pos = pos, {}, {}
    return empty


class PosList(list):
    pos: Position
    item_pos: list

    def where(self, index: int) -> Position:
        return self.item_pos[index] if 0 <= index < len(self.item_pos) else self.pos


def _position(file: str, mark, line_offset: int) -> Position:
    return Position(file, mark.line + 1 + line_offset, mark.column + 1)


class _Builder:
    def __init__(self, loader, file: str, line_offset: int, diagnostics: Diagnostics):
        self.loader = loader
        self.file = file
        self.offset = line_offset
        self.diagnostics = diagnostics

    def pos(self, node: yaml.Node) -> Position:
        return _position(self.file, node.start_mark, self.offset)

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            result = PosDict()
            result.pos, result.key_pos, result.value_pos = self.pos(node), {}, {}
            self.loader.flatten_mapping(node)  # resolves YAML merge keys (<<)
            for key_node, value_node in node.value:
                key = self.build(key_node)
                if isinstance(key, (dict, list)):
                    self.diagnostics.error(self.pos(key_node), "a key cannot be a mapping or a list",
                                           "write a plain word before the colon")
                    continue
                if key in result:
                    first = result.key_pos[key]
                    self.diagnostics.error(
                        self.pos(key_node), f"duplicate key '{key}' (first written at line {first.line})",
                        "keep only one of them",
                    )
                    continue
                result[key] = self.build(value_node)
                result.key_pos[key] = self.pos(key_node)
                result.value_pos[key] = self.pos(value_node)
            return result
        if isinstance(node, yaml.SequenceNode):
            result = PosList(self.build(item) for item in node.value)
            result.pos = self.pos(node)
            result.item_pos = [self.pos(item) for item in node.value]
            return result
        return self.loader.construct_object(node, deep=True)


def load_yaml(
    text: str, file: str, diagnostics: Diagnostics, line_offset: int = 0
) -> tuple[Optional[Any], bool]:
    """Parse one YAML document. Returns (data, ok); syntax errors become diagnostics."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, True
        return _Builder(loader, file, line_offset, diagnostics).build(node), True
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _position(file, mark, line_offset) if mark else Position(file, 1 + line_offset)
        problem = exc.problem or "invalid YAML"
        if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
            # The parser gives up at the end of the file; the mistake is where the quote opened.
            opened = _position(file, exc.context_mark, line_offset)
            diagnostics.error(opened, f"YAML syntax error: this quote is never closed (the parser gave up at "
                              f"line {pos.line}, column {pos.column})",
                              "add the closing quote at the end of the value, or remove the opening one")
            return None, False
        if exc.context:
            problem = f"{exc.context}: {problem}"
        diagnostics.error(pos, f"YAML syntax error: {problem}", _yaml_hint(problem))
        return None, False
    except yaml.YAMLError as exc:  # pragma: no cover - non-marked errors are rare
        diagnostics.error(Position(file, 1 + line_offset), f"YAML error: {exc}", "check the file's syntax")
        return None, False
    finally:
        loader.dispose()


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
