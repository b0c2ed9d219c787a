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
from pathlib import Path
from typing import Mapping, Union

# A package file is either its bytes or a path on disk that is streamed in (media: never held
# in memory, never copied once per package).
Content = Union[bytes, Path]
CHUNK = 1 << 20

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


def write_zip(files: Mapping[str, Content], dest: Path, epoch: int | None = None) -> Path:
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.gmtime(source_date_epoch() if epoch is None else max(epoch, ZIP_EPOCH_MIN))[:6]
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as zf:
            for name in _ordered(files):
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.create_system = 3  # unix, so the permissions below are read everywhere
                info.external_attr = 0o100644 << 16
                if name.lower().endswith(STORED_SUFFIXES):
                    info.compress_type = zipfile.ZIP_STORED
                else:
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info._compresslevel = 9  # fixed level: same bytes on every run
                data = files[name]
                if any(ord(ch) > 127 for ch in name):
                    info.flag_bits |= 0x800  # UTF-8 file name
                if isinstance(data, Path):
                    with open(data, "rb") as src, zf.open(info, "w", force_zip64=data.stat().st_size >= zipfile.ZIP64_LIMIT) as out:
                        shutil.copyfileobj(src, out, CHUNK)
                else:
                    zf.writestr(info, data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return dest


def write_file(data: bytes, dest: Path) -> Path:
    """Write one file (a question bank) atomically: a temporary file beside it, then a rename."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return dest


def content_size(data: Content) -> int:
    return data.stat().st_size if isinstance(data, Path) else len(data)


def write_folder(files: Mapping[str, Content], dest: Path) -> Path:
    """Write a folder of files (the HTML preview) atomically: build beside it, then swap."""
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
        old = None
        if dest.exists():
            old = dest.with_name(f".{dest.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(dest, old)
        os.replace(tmp, dest)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest
