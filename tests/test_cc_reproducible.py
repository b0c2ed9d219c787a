"""Two builds of the same course give byte-identical cartridges, whatever Python's hash seed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from cc_factory import build_cartridge, make_course

SCRIPT = """
import hashlib, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from cc_factory import build_cartridge, make_course
out = Path(sys.argv[2])
course = make_course(out / "media", tricky=True)
for fmt in ("cc1.1", "cc1.3"):
    print(fmt, hashlib.sha256(build_cartridge(course, fmt, out / fmt).read_bytes()).hexdigest())
"""


@pytest.mark.parametrize("fmt", ["cc1.1", "cc1.3"])
def test_two_builds_are_byte_identical(tmp_path, fmt):
    course = make_course(tmp_path / "media", tricky=True)
    first = build_cartridge(course, fmt, tmp_path / "a").read_bytes()
    second = build_cartridge(course, fmt, tmp_path / "b").read_bytes()
    assert first == second


def test_identical_across_hash_seeds(tmp_path, repo_root):
    digests = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(repo_root))
        proc = subprocess.run([sys.executable, "-c", SCRIPT, str(repo_root / "tests"), str(tmp_path / seed)],
                              capture_output=True, text=True, env=env, cwd=repo_root, timeout=120)
        assert proc.returncode == 0, proc.stderr
        digests.append(proc.stdout)
    assert digests[0] == digests[1]


def test_embedded_course_builds_are_identical(embedded_course, tmp_path):
    a = build_cartridge(embedded_course, "cc1.1", tmp_path / "a").read_bytes()
    b = build_cartridge(embedded_course, "cc1.1", tmp_path / "b").read_bytes()
    assert hashlib.sha256(a).digest() == hashlib.sha256(b).digest()
