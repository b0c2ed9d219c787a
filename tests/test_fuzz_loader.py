"""Property-based fuzzing of the loader with hostile course files (issue 8).

Hypothesis takes the minimal course (tests/roots/minimal), breaks one of its files the way an
attacker or an unlucky editor would (truncated, wrong types, random bytes, deep nesting, YAML
aliases, odd Unicode, huge values, Markdown that makes Python-Markdown crawl) and checks, for
every case: exit status 0 or 1 (never 3, never a traceback), bounded time, every error names a
course file, and (for builds) an output folder left untouched on failure. A subprocess variant
runs under an address-space limit (RLIMIT_AS) to bound memory.

CI runs a fixed, derandomized budget (a few seconds). A long campaign:
    FUZZ_EXAMPLES=100000 python -m pytest -q tests/test_fuzz_loader.py -k in_process \
        -p no:cacheprovider --hypothesis-show-statistics
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cli import main
from security_support import limited_run

MINIMAL = Path(__file__).parent / "roots" / "minimal"
FILES = ("course/course.yaml", "quizzes/first.yaml", "course/modules/01-first.md", "course/modules/02-second.md")
CAMPAIGN = int(os.environ.get("FUZZ_EXAMPLES", "0"))
SECONDS_PER_CASE = 20  # CPU seconds in-process, wall seconds in a child; a real crawl takes minutes
# Every diagnostic line starts with the course file it is about.
DIAGNOSTIC = re.compile(r"^(?P<file>[^:\s]+)(?::\d+)*: (?P<severity>error|warning): ", re.M)
KNOWN_PREFIXES = ("course/", "quizzes/", "templates/")


def fuzz_settings(ci_examples: int):
    if CAMPAIGN:
        return settings(max_examples=CAMPAIGN, deadline=None, database=None, derandomize=False,
                        suppress_health_check=list(HealthCheck),
                        phases=[Phase.explicit, Phase.generate])  # report a failure as found: shrinking huge
                                                                  # inputs can take longer than finding them
    return settings(max_examples=ci_examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


# -- how files get broken ---------------------------------------------------------------------

ODD_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),  # any code point UTF-8 can carry, controls included
        st.sampled_from(["\u202e", "\u200f", "\ufeff", "\u2028", "\u0000", "\t", "\r", "\x85", "\U0001f600",
                         "\u0301", ":", "-", "#", "&", "*", "!", "|", ">", "'", '"', "[", "]", "{", "}", "%"]),
    ),
    max_size=80,
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.just(10 ** 300), st.builds(str.__mul__, st.just("9"), st.just(6000)), ODD_TEXT, st.just("2024-13-45"),
    st.builds(str.__mul__, st.just("x"), st.just(200_000)),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(ODD_TEXT, st.integers()), inner, max_size=4)), max_leaves=12)

NASTY_SNIPPETS = st.sampled_from([
    'x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nx1: &a1 [*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0]\n',
    "a: &x 1\nb: *x\n", "points: " + "9" * 6000 + "\n", "attempts: 0x" + "f" * 5000 + "\n", "<<: {a: 1}\n", "---\n", "...\n", "!!python/object/apply:os.system ['id']\n",
    "? [a, b]\n: c\n", "x: !!binary 'zz'\n", "when: 2001-02-30\n", "%YAML 1.1\n---\n",
    "[" * 3000, "![a](" * 400, "[a](" * 400, "> " * 300 + "deep\n", "".join("    " * i + "- x\n" for i in range(60)),
    "<script>alert(1)</script>\n", '<img src=x onerror="alert(1)">\n', "[x](../../../../etc/passwd)\n",
    "![x](/etc/passwd)\n", "![x](../media/%00.png)\n", "[x](javascript:alert(1))\n", "```video\nid: [\n",
    "```reflection\n", "[@999]\n", "\x00\x01\x02", "\ufeff---\n", "\t\tkey: value\n",
])


@st.composite
def mutated(draw, target: str, original: bytes) -> bytes:
    kind = draw(st.sampled_from(["truncate", "bytes", "text", "types", "nasty", "nesting", "repeat", "lines"]))
    cut = draw(st.integers(0, len(original)))
    if kind == "truncate":
        return original[:cut]
    if kind == "bytes":
        return original[:cut] + draw(st.binary(max_size=64)) + original[cut + draw(st.integers(0, 16)):]
    if kind == "text":
        end = cut + draw(st.integers(0, 32))
        return original[:cut] + draw(ODD_TEXT).encode("utf-8", "surrogatepass") + original[end:]
    if kind == "nasty":
        return original[:cut] + draw(NASTY_SNIPPETS).encode() + original[cut:]
    if kind == "nesting":
        depth = draw(st.integers(1, 400))
        opener = draw(st.sampled_from(["[", "{a: ", "- ", "  " * 0 + "> ", "    - "]))
        return original[:cut] + (opener * depth).encode() + original[cut:]
    if kind == "repeat":  # huge values: one line many times over
        lines = original.split(b"\n")
        index = draw(st.integers(0, len(lines) - 1))
        times = draw(st.one_of(st.integers(2, 50), st.integers(2, 20_000)))
        return b"\n".join(lines[:index] + [lines[index]] * times + lines[index:])
    if kind == "lines":  # lines dropped, swapped, duplicated
        lines = original.split(b"\n")
        return b"\n".join(draw(st.lists(st.sampled_from(lines), max_size=len(lines) + 5)))
    # "types": a valid file, with one value replaced by a value of another type
    text = original.decode("utf-8")
    front = target.endswith(".md")
    if front:
        _, head, body = text.split("---\n", 2)
        data = yaml.safe_load(head)
    else:
        data = yaml.safe_load(text)
    node, path = data, []
    while isinstance(node, (dict, list)) and node and draw(st.booleans()):
        key = draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))))
        path.append((node, key))
        node = node[key]
    new = draw(VALUES)
    if path:
        parent, key = path[-1]
        parent[key] = new
    else:
        data = new
    try:
        dumped = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)
    except (yaml.YAMLError, ValueError, OverflowError):  # not every Python value dumps
        dumped = repr(data)
    return (f"---\n{dumped}---\n{body}" if front else dumped).encode("utf-8", "surrogatepass")


@st.composite
def broken_course(draw) -> tuple[str, bytes]:
    target = draw(st.sampled_from(FILES))
    return target, draw(mutated(target, (MINIMAL / target).read_bytes()))


# -- running a case ---------------------------------------------------------------------------

@contextmanager
def course_with(base: Path, target: str, data: bytes):
    """The minimal course (one copy per test run) with ``target`` replaced by ``data``."""
    course = base / "course"
    if not course.exists():
        shutil.copytree(MINIMAL, course)
    (course / target).write_bytes(data)
    try:
        yield course
    finally:
        shutil.copy(MINIMAL / target, course / target)
        _count_case()


def _count_case() -> None:
    """During a long campaign, FUZZ_LOG gets a line every 1000 cases (Hypothesis reports at the end)."""
    global _CASES
    _CASES += 1
    if CAMPAIGN and os.environ.get("FUZZ_LOG") and _CASES % 1000 == 0:
        with open(os.environ["FUZZ_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{time.strftime('%H:%M:%S')} {_CASES} cases\n")


_CASES = 0


def assert_clean_outcome(exit_code: int, output: str, seconds: float, limit: float = SECONDS_PER_CASE) -> None:
    assert exit_code in (0, 1), f"exit {exit_code}:\n{output[-3000:]}"
    assert "Traceback" not in output, output[-3000:]
    assert "unexpected internal error" not in output, output[-3000:]
    assert seconds < limit, f"took {seconds:.1f}s"
    found = DIAGNOSTIC.findall(output)
    if exit_code == 1:
        assert any(severity == "error" for _, severity in found), output[-3000:]
    for file, _ in found:
        assert file.startswith(KNOWN_PREFIXES), f"diagnostic names no course file: {file!r}\n{output[-2000:]}"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@fuzz_settings(ci_examples=100)
@given(case=broken_course())
def test_fuzz_validate_in_process(scratch, case):
    target, data = case
    with course_with(scratch / "validate", target, data) as course:
        started = time.process_time()  # CPU: the machine may be shared
        result = CliRunner().invoke(main, ["validate", "--source", str(course)])
        seconds = time.process_time() - started
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert_clean_outcome(result.exit_code, result.output, seconds)


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def previous_build(scratch) -> Path:
    """An output folder holding a good build, which a failed build must leave exactly as it is."""
    out = scratch / "dist"
    result = CliRunner().invoke(main, ["--source", str(MINIMAL), "--out", str(out), "-f", "html", "-f", "scorm12"])
    assert result.exit_code == 0, result.output
    return out


@fuzz_settings(ci_examples=15)
@given(case=broken_course())
def test_fuzz_build_leaves_dist_untouched_on_failure(scratch, previous_build, case):
    target, data = case
    before = tree_digest(previous_build)
    with course_with(scratch / "build", target, data) as course:
        started = time.process_time()
        result = CliRunner().invoke(main, ["--source", str(course), "--out", str(previous_build),
                                           "-f", "html", "-f", "scorm12"])
        seconds = time.process_time() - started
        assert_clean_outcome(result.exit_code, result.output, seconds)
        if result.exit_code != 0:
            assert tree_digest(previous_build) == before, "a failed build changed the output folder"


@fuzz_settings(ci_examples=3)
@given(case=broken_course())
def test_fuzz_validate_under_memory_limit(scratch, case):
    target, data = case
    with course_with(scratch / "limited", target, data) as course:
        proc, seconds = limited_run(["validate", "--source", str(course)])
        assert_clean_outcome(proc.returncode, proc.stdout + proc.stderr, seconds, limit=6 * SECONDS_PER_CASE)
