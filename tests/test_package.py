"""The package stage: deterministic, atomic zips."""

from __future__ import annotations

import zipfile

import pytest

from builder.package import write_zip

FILES = {"b.html": b"<p>b</p>", "imsmanifest.xml": b"<manifest/>", "a/c.png": b"\x89PNG", "é.txt": "é".encode()}


def test_same_files_same_bytes_whatever_the_order(tmp_path):
    one = write_zip(FILES, tmp_path / "one.zip")
    two = write_zip(dict(reversed(list(FILES.items()))), tmp_path / "two.zip")
    assert one.read_bytes() == two.read_bytes()


def test_entries_sorted_manifest_first_fixed_time(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with zipfile.ZipFile(write_zip(FILES, tmp_path / "p.zip")) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["imsmanifest.xml", "a/c.png", "b.html", "é.txt"]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert zf.getinfo("a/c.png").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("é.txt").flag_bits & 0x800


def test_source_date_epoch_is_honoured(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    with zipfile.ZipFile(write_zip(FILES, tmp_path / "p.zip")) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_failed_write_keeps_the_previous_package(tmp_path):
    dest = write_zip(FILES, tmp_path / "p.zip")
    before = dest.read_bytes()

    class Boom(dict):
        def __getitem__(self, key):
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_zip(Boom(FILES), dest)
    assert dest.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.zip"]


def test_build_stages_each_package_and_commits_only_when_all_succeed(tmp_path, monkeypatch):
    """A package is written to a temporary file as soon as its target is built; when a later
    target fails, the staged file is removed and dist/ keeps the previous build untouched."""
    import shutil
    from pathlib import Path

    from builder import build as build_module
    from builder.targets.cc.cartridge import CommonCartridge11Target

    source = tmp_path / "src"
    shutil.copytree(Path(__file__).parent / "roots" / "minimal", source)
    out = tmp_path / "dist"
    first = build_module.build(source, out, ["scorm12", "cc1.1"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(before) == sorted(o.path.name for o in first.outputs)

    seen_while_building = []

    def failing(self, course, env, diagnostics):
        seen_while_building.extend(p.name for p in out.iterdir())
        raise RuntimeError("target broke")

    monkeypatch.setattr(CommonCartridge11Target, "build", failing)
    monkeypatch.setenv("BUILD_COURSE_JOBS", "1")  # one process: the order below is fixed
    with pytest.raises(RuntimeError, match="target broke"):
        build_module.build(source, out, ["scorm12", "cc1.1"])
    # the SCORM package had been staged beside its destination before the cartridge was built
    assert any(name.startswith(".") and name.endswith(".tmp") for name in seen_while_building)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("broken", ["scorm12", "cc1.1"])
def test_parallel_build_fails_whole_when_either_process_fails(tmp_path, monkeypatch, broken):
    """The cartridges build in a forked child: a failure on either side (re-raised as it was)
    leaves dist/ as it was, with no temporary file from the other side."""
    import shutil
    from pathlib import Path

    from builder import build as build_module
    from builder import forked
    from builder.targets import get_target

    monkeypatch.setenv("BUILD_COURSE_JOBS", "2")  # two processes even for this small course
    if not forked.available():
        pytest.skip("one process on this platform")
    source = tmp_path / "src"
    shutil.copytree(Path(__file__).parent / "roots" / "minimal", source)
    out = tmp_path / "dist"
    build_module.build(source, out, ["scorm12", "cc1.1"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def failing(self, course, env, diagnostics):
        raise ValueError(f"{broken} broke")

    monkeypatch.setattr(type(get_target(broken)), "build", failing)
    with pytest.raises(ValueError, match=f"{broken} broke") as raised:
        build_module.build(source, out, ["scorm12", "cc1.1"])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    if broken == "cc1.1":  # raised in the worker: its traceback comes along as the cause
        assert isinstance(raised.value.__cause__, forked.WorkerTraceback)
        assert "failing" in str(raised.value.__cause__)


def test_media_copied_again_by_the_kernel_gives_the_same_zip(tmp_path):
    """The second package storing a file reuses its CRC and copies it with copy_file_range: the
    zip is byte-identical to one written the plain way, and a file changed since is read afresh."""
    from builder.package import zipwriter

    media = tmp_path / "photo.png"
    media.write_bytes(bytes(range(256)) * 5000)
    files = {"index.html": b"<p>hi</p>", "media/photo.png": media}
    zipwriter._STORED_CRCS.clear()
    first = write_zip(files, tmp_path / "a.zip").read_bytes()
    assert zipwriter._STORED_CRCS  # remembered for the next package
    second = write_zip(files, tmp_path / "b.zip").read_bytes()
    assert second == first
    media.write_bytes(b"changed" * 1000)  # another size and mtime: not the remembered file
    third = write_zip(files, tmp_path / "c.zip")
    with zipfile.ZipFile(third) as zf:
        assert zf.testzip() is None
        assert zf.read("media/photo.png") == b"changed" * 1000
