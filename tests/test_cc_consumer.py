"""An independent Common Cartridge consumer reads the cartridge (when one is installed).

openedx's ``cc2olx`` converts a cartridge to Open edX OLX. It is not published on the package
index this project can reach (``pip download cc2olx`` finds no version), nor is any other CC
consumer on PyPI, npm or Debian; so this test skips with that reason unless it is installed by
hand (e.g. from its source repository). With it, the test asserts on what it extracted.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile

import pytest
from lxml import etree

from cc_factory import build_cartridge, make_course


def test_cc2olx_extracts_every_module_quiz_discussion_and_video(tmp_path):
    pytest.importorskip("cc2olx", reason="cc2olx (openedx) is not installable from the reachable package index")
    course = make_course(tmp_path / "media")
    cartridge = build_cartridge(course, "cc1.1", tmp_path)
    out = tmp_path / "olx"
    proc = subprocess.run([sys.executable, "-m", "cc2olx.main", "-i", str(cartridge), "-r", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    (archive,) = out.glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        xml = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile() and m.name.endswith(".xml")}
    (course_xml,) = [data for name, data in xml.items() if name.endswith("course/course.xml") or name.endswith("/course.xml")][:1]
    doc = etree.fromstring(course_xml)
    chapters = [c.get("display_name") for c in doc.iter("chapter")]
    assert chapters == ["Overview"] + [m.title for m in course.modules] + [course.sources_title]
    problems = [p for p in doc.iter("problem")]
    auto = sum(1 for q in course.quizzes for x in q.questions if x.type.auto_graded)
    assert len(problems) >= auto
    assert len(list(doc.iter("discussion"))) == len(course.reflections)
    assert b"_dg86g-QlM0" in b"".join(xml.values())
