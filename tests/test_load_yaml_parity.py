"""The loader's YAML reader (``builder/load/yamlpos.py``) gives the values PyYAML's safe loader
gives and the positions PyYAML's composer gives, for every key, value and list item, on seeded
random documents built to hit the implicit types (bools, nulls, numbers, dates, '~', 'yes'),
quoting styles, block and flow collections; with LibYAML's parser and with the pure-Python one
it falls back to where LibYAML is absent."""

from __future__ import annotations

import math
import random

import pytest
import yaml

from builder.diagnostics import Diagnostics
from builder.load import yamlpos
from builder.model import Position

PLAIN = ["word", "two words", "yes", "No", "on", "OFF", "true", "False", "~", "null", "Null", "0", "12", "-3",
         "0x1F", "0o17", "+7", "1_000", "3.5", "-.5", "1e3", "6.8523015e+5", ".inf", "-.Inf", ".NaN", "2024-01-02",
         "2001-12-14t21:59:43.10-05:00", "1:20", "a:b", "x-y", "Question 3?", "é ñ", "a *em* word", "x!", "a &b"]
FLOW = [s for s in PLAIN if not set(s) & set("?:!&*,[]{}#")]  # what both parsers take inside [ ] and { }
QUOTED = ['"yes"', "'12'", '"a: b"', "'it''s'", '"tab\\tx"', '""', "''"]
KEYS = ["title", "id", "prompt", "correct", "feedback", "choices", "answers", "1", "off", "n", "x_y", "é"]
LOADERS = [pytest.param(yaml.SafeLoader, id="pure")]
if hasattr(yaml, "CSafeLoader"):
    LOADERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))


def scalar(rng: random.Random, plain: list = PLAIN) -> str:
    return rng.choice(QUOTED) if rng.random() < 0.2 else rng.choice(plain)


def block(rng: random.Random, depth: int, indent: str) -> str:
    """A block mapping or list, one entry a line, with nested blocks, flow lists and block text."""
    lines = []
    mapping = rng.random() < 0.6
    keys = rng.sample(KEYS, rng.randint(1, 5))
    for n in range(len(keys) if mapping else rng.randint(1, 4)):
        head = f"{indent}{keys[n]}:" if mapping else f"{indent}-"
        roll = rng.random()
        if depth < 4 and roll < 0.25:
            lines.append(head + "\n" + block(rng, depth + 1, indent + "  "))
        elif roll < 0.35:
            lines.append(f"{head} [{', '.join(scalar(rng, FLOW) for _ in range(rng.randint(0, 3)))}]")
        elif roll < 0.4:
            lines.append(f"{head} {{a: {scalar(rng, FLOW)}, b: {scalar(rng, FLOW)}}}")
        elif roll < 0.45:
            lines.append(f"{head} |\n{indent}  line one\n{indent}  line *two*")
        elif roll < 0.5:
            lines.append(head)  # nothing: null
        else:
            lines.append(f"{head} {scalar(rng)}")
    return "\n".join(lines)


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def at(mark, offset: int) -> Position:
    return Position("f.yaml", mark.line + 1 + offset, mark.column + 1)


def check_positions(ours, node, offset: int) -> int:
    """Compare every position with the composer's marks; returns how many were compared."""
    assert ours.pos == at(node.start_mark, offset)
    count = 1
    if isinstance(node, yaml.MappingNode):
        for (knode, vnode), key in zip(node.value, list(ours)):
            assert ours.where_key(key) == at(knode.start_mark, offset)
            assert ours.where(key) == at(vnode.start_mark, offset)
            count += 2
            if isinstance(ours[key], (dict, list)):
                count += check_positions(ours[key], vnode, offset)
    else:
        for index, (item, inode) in enumerate(zip(ours, node.value)):
            assert ours.where(index) == at(inode.start_mark, offset)
            count += 1
            if isinstance(item, (dict, list)):
                count += check_positions(item, inode, offset)
    return count


@pytest.mark.parametrize("loader", LOADERS)
def test_values_and_positions_match_pyyaml(monkeypatch, loader):
    monkeypatch.setattr(yamlpos, "_Loader", loader)
    rng = random.Random(8)
    compared = 0
    for case in range(200):
        text = block(rng, 0, "")
        offset = case % 3
        d = Diagnostics()
        ours, ok = yamlpos.load_yaml(text, "f.yaml", d, line_offset=offset)
        assert ok and not d.errors, (text, [str(e) for e in d.errors])
        assert same(ours, yaml.load(text, Loader=yaml.SafeLoader)), text
        compared += check_positions(ours, yaml.compose(text, Loader=yaml.SafeLoader), offset)
    assert compared > 2000  # the positions were really exercised


@pytest.mark.parametrize("loader", LOADERS)
def test_refusals_are_the_same_with_either_parser(monkeypatch, loader):
    monkeypatch.setattr(yamlpos, "_Loader", loader)
    cases = {
        "a: 1\na: 2\n": "f.yaml:2:1: error: duplicate key 'a' (first written at line 1)",
        "a: &x 1\nb: *x\n": "f.yaml:2:4: error: YAML alias '*x' is not allowed (its anchor is at line 1)",
        "a: &x 1\n": "f.yaml:1:4: error: YAML anchor '&x' is not allowed",
        "<<: {a: 1}\n": "f.yaml:1:1: error: YAML merge keys ('<<') are not supported",
        "? [a]\n: 1\n": "f.yaml:1:3: error: a key cannot be a mapping or a list",
        "a: !!python/object:os.system {}\n": "f.yaml:1:4: error: YAML tag 'tag:yaml.org,2002:python/object:os.system'",
        "a: b: c\n": "f.yaml:1:5: error: YAML syntax error: mapping values are not allowed in this context",
        "a: 2024-13-45\n": "f.yaml:1:4: error: '2024-13-45' is not a valid timestamp",
        "a: 1\n---\nb: 2\n": "f.yaml:2:1: error: a second YAML document starts here",
        "[" * 200: "f.yaml:1:",
    }
    for text, expected in cases.items():
        d = Diagnostics()
        _, ok = yamlpos.load_yaml(text, "f.yaml", d)
        assert not ok or d.errors, text
        assert str(d.errors[0]).startswith(expected), (text, str(d.errors[0]))
