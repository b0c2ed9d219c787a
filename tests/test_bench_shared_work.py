"""Work shared between targets in one build changes no byte: each package built alone equals the
same package built after its sibling (which left its pages and QTI files to reuse)."""

from __future__ import annotations

import zipfile

import pytest

from builder.build import build

PAIRS = [("cc1.1", "cc1.3"), ("cc1.3", "cc1.1"), ("scorm12", "scorm2004")]


def entries(path):
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, i.compress_type, zf.read(i)) for i in zf.infolist()]


@pytest.mark.parametrize("first,second", PAIRS)
def test_package_built_after_its_sibling_equals_it_built_alone(repo_root, tmp_path, first, second):
    alone = build(repo_root, tmp_path / "alone", [second]).outputs[0].path
    together = {o.target.name: o.path for o in build(repo_root, tmp_path / "both", [first, second]).outputs}
    assert together[second].read_bytes() == alone.read_bytes()
    assert entries(together[second]) == entries(alone)
