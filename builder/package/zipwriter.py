"""Deterministic, atomic package writing.

Same files in -> byte-identical zip out: entries sorted (``imsmanifest.xml`` first, where LMS
sniffers look), one fixed timestamp (``SOURCE_DATE_EPOCH`` or 1980-01-01), fixed permissions and
compression. The zip is written to a temporary file beside the destination and renamed into
place only when complete, so an interrupted or failed build never leaves a half-written package
and never destroys the previous one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Union

# A package file is either its bytes or a path on disk that is streamed in (media: never held
# in memory, never copied once per package).
Content = Union[bytes, Path]
CHUNK = 1 << 20
# zlib level for text entries: 6 deflates the benchmark's 30 MB of text in a quarter of level 9's time
# for 3.7 % more bytes (docs/performance.md has the measurement).
DEFLATE_LEVEL = 6

ZIP_EPOCH_MIN = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can hold
FIRST = ("imsmanifest.xml",)
# Already-compressed media gain nothing from deflate; store them.
STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".mp3", ".mp4", ".webm", ".zip", ".woff2")


def source_date_epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        epoch = int(value) if value else ZIP_EPOCH_MIN
    except ValueError:
        epoch = ZIP_EPOCH_MIN
    return max(epoch, ZIP_EPOCH_MIN)


def _ordered(names) -> list[str]:
    return sorted(names, key=lambda n: (n not in FIRST, n))


@dataclass
class Staged:
    """A package written completely to a temporary file (or folder) beside its destination.

    The build stages every target as soon as it is built (so no target's files stay in memory
    while the next one builds) and commits them all only when every target succeeded: a failed
    build leaves ``dist/`` exactly as it was.
    """

    tmp: Path
    dest: Path

    def commit(self) -> Path:
        if self.tmp.is_dir():
            _swap_folder(self.tmp, self.dest)
        else:
            os.replace(self.tmp, self.dest)
        return self.dest

    def discard(self) -> None:
        if self.tmp.is_dir():
            shutil.rmtree(self.tmp, ignore_errors=True)
        elif self.tmp.exists():
            self.tmp.unlink()


def _temp_file(dest: Path) -> tuple[int, Path]:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    return fd, Path(tmp)


def _zip_info(name: str, stamp: tuple) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.create_system = 3  # unix, so the permissions below are read everywhere
    info.external_attr = 0o100644 << 16
    if name.lower().endswith(STORED_SUFFIXES):
        info.compress_type = zipfile.ZIP_STORED
    else:
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = DEFLATE_LEVEL  # fixed level: same bytes on every run
    if not name.isascii():
        info.flag_bits |= 0x800  # UTF-8 file name
    return info


def stage_zip(files: Mapping[str, Content], dest: Path, epoch: int | None = None) -> Staged:
    """Write the zip to a temporary file beside ``dest``; ``commit()`` renames it into place."""
    dest = Path(dest)
    stamp = time.gmtime(source_date_epoch() if epoch is None else max(epoch, ZIP_EPOCH_MIN))[:6]
    fd, tmp = _temp_file(dest)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as zf:
            for name in _ordered(files):
                info = _zip_info(name, stamp)
                data = files[name]
                if isinstance(data, Path):
                    _write_file(zf, info, data)
                else:
                    zf.writestr(info, data)
        os.chmod(tmp, 0o644)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Staged(tmp, dest)


# CRC-32 of the media already copied into a package of this build, by (path, size, mtime, ctime,
# inode): the next package that stores the same file lets the kernel copy it (no pass through
# Python's buffers, no second CRC). Forgotten at the start of every build (a file edited between
# two builds of a long-running process, within one tick of a coarse clock, is read afresh).
_STORED_CRCS: dict[tuple, int] = {}
_MAX_REMEMBERED = 100_000


def forget_stored_media() -> None:
    _STORED_CRCS.clear()


def _write_file(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    """Stream a file from disk into the zip (never read whole)."""
    stat = path.stat()
    size = stat.st_size
    key = (str(path), size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    stored = info.compress_type == zipfile.ZIP_STORED
    with open(path, "rb") as src, zf.open(info, "w", force_zip64=size >= zipfile.ZIP64_LIMIT) as out:
        crc = _STORED_CRCS.get(key) if stored else None
        if crc is not None and hasattr(out, "_crc") and _copy_range(src, zf.fp, size):
            # zipfile's writer is told what went past it; closing it writes the header as usual
            out._file_size, out._crc = size, crc
            return
        shutil.copyfileobj(src, out, CHUNK)
        if stored and hasattr(out, "_crc") and out._file_size == size:
            if len(_STORED_CRCS) >= _MAX_REMEMBERED:
                _STORED_CRCS.clear()
            _STORED_CRCS[key] = out._crc


def _copy_range(src, dst, size: int) -> bool:
    """Copy ``size`` bytes of ``src`` to ``dst`` at its position in the kernel; False (and both
    positions back where they were) when that cannot be done, e.g. the file changed size."""
    start = dst.tell()
    dst.flush()
    copied = 0
    try:
        while copied < size:
            n = os.copy_file_range(src.fileno(), dst.fileno(), size - copied, offset_dst=start + copied)
            if n == 0:
                break
            copied += n
    except (AttributeError, OSError):  # no copy_file_range here (not Linux, old kernel, some filesystems)
        copied = -1
    if copied != size:
        src.seek(0)
        dst.seek(start)
        return False
    dst.seek(start + size)
    return True


def write_zip(files: Mapping[str, Content], dest: Path, epoch: int | None = None) -> Path:
    return stage_zip(files, dest, epoch).commit()


def stage_file(data: bytes, dest: Path) -> Staged:
    """One file (a question bank), written to a temporary file beside ``dest``."""
    dest = Path(dest)
    fd, tmp = _temp_file(dest)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Staged(tmp, dest)


def write_file(data: bytes, dest: Path) -> Path:
    """Write one file (a question bank) atomically: a temporary file beside it, then a rename."""
    return stage_file(data, dest).commit()


def content_size(data: Content) -> int:
    return data.stat().st_size if isinstance(data, Path) else len(data)


def stage_folder(files: Mapping[str, Content], dest: Path) -> Staged:
    """A folder of files (the HTML preview), built beside ``dest``; ``commit()`` swaps it in."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; a preview is meant to be served and shared
    try:
        for name in _ordered(files):
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            data = files[name]
            if isinstance(data, Path):
                shutil.copyfile(data, path)
            else:
                path.write_bytes(data)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Staged(tmp, dest)


def _swap_folder(tmp: Path, dest: Path) -> None:
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old")
        if old.exists():
            shutil.rmtree(old)
        os.replace(dest, old)
    os.replace(tmp, dest)
    if old is not None:
        shutil.rmtree(old)


def write_folder(files: Mapping[str, Content], dest: Path) -> Path:
    """Write a folder of files (the HTML preview) atomically: build beside it, then swap."""
    return stage_folder(files, dest).commit()
