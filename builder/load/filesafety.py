"""Read course files as untrusted input: only regular files inside the course folder.

A pull request can add a symbolic link (``course/media/leak.png -> /home/runner/.ssh/id_rsa``),
a FIFO (reading it blocks the build forever) or a device. Every file the course reads or packages
goes through here first: the link is followed, and the real path must be a regular file inside
the course folder (the ``--source`` folder) and not inside its ``.git`` folder, where CI checkouts
keep their access token. Problems are reported at the reference (the outline line, the Markdown
link), since that is what the author controls.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Optional

from ..diagnostics import Diagnostics
from ..model import Position
from .limits import MAX_TEXT_FILE_BYTES, MB

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def real_inside(path: Path, root: Path) -> Optional[str]:
    """Why ``path`` (links followed) is not a safe place inside ``root``, or None when it is."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    if os.path.commonpath([real, base]) != base:
        return f"a link to {real}, outside the course folder"
    if ".git" in Path(os.path.relpath(real, base)).parts:
        return "a link into the .git folder (where CI keeps its access token)"
    return None


def unsafe_reason(path: Path, root: Path) -> Optional[str]:
    """Why ``path`` must not be read: outside the course, or not a regular file. None if safe.

    Never opens the file: ``stat`` tells a FIFO from a file without blocking.
    """
    if "\0" in str(path):
        return "not a valid file name (it holds a NUL character)"
    reason = real_inside(path, root)
    if reason:
        return reason
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a broken link" if os.path.islink(path) else "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a regular file"


def read_bytes(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a file already checked by ``unsafe_reason``.

    O_NONBLOCK: should the file be swapped for a FIFO after the check, open() still returns.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_source_file(
    path: Path, root: Path, file: str, d: Diagnostics, ref: Optional[Position] = None,
    limit: int = MAX_TEXT_FILE_BYTES,
) -> Optional[int]:
    """The size of a course file that is safe to read, or None after an error at ``ref``."""
    where = ref or Position(file, 1)
    reason = unsafe_reason(path, root)
    if reason:
        d.error(where, f"{file} is {reason}", "course files must be ordinary files inside the course folder "
                "(docs/security.md)")
        return None
    size = os.stat(path).st_size
    if size > limit:
        d.error(where, f"{file} is {size:,} bytes, more than the limit of {limit:,}",
                "split it into smaller files (docs/security.md lists the limits)")
        return None
    return size


def read_source_text(
    path: Path, root: Path, file: str, d: Diagnostics, ref: Optional[Position] = None,
    limit: int = MAX_TEXT_FILE_BYTES,
) -> Optional[str]:
    """The UTF-8 text of a course file (course.yaml, a module, a quiz), or None after a diagnostic.

    ``file`` names it in messages; ``ref`` is where the course refers to it (the outline line).
    """
    if check_source_file(path, root, file, d, ref, limit) is None:
        return None
    where = ref or Position(file, 1)
    data = read_bytes(path, limit)
    if len(data) > limit:  # it grew since stat
        d.error(where, f"{file} is more than the limit of {limit:,} bytes", "split it into smaller files")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        d.error(Position(file, data.count(b"\n", 0, exc.start) + 1), f"file is not UTF-8 text ({exc.reason})",
                "save the file as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def read_text(path: Path, limit: int = MAX_TEXT_FILE_BYTES) -> str:
    """A file already checked by ``check_source_file``, decoded like ``Path.read_text`` (UTF-8,
    universal newlines), but opened without blocking. Raises ``UnicodeDecodeError``."""
    return read_bytes(path, limit).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


# -- media --------------------------------------------------------------------------------------

def _riff(kind: bytes):
    return lambda head: head[:4] == b"RIFF" and head[8:12] == kind


def _svg(head: bytes) -> bool:
    return b"<svg" in head.lower()


def _mp3(head: bytes) -> bool:
    return head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _ftyp(head: bytes) -> bool:
    return head[4:8] == b"ftyp"


# What the first bytes of each kind of media look like (the "magic numbers").
SIGNATURES = {
    "PNG image": (("png",), lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    "JPEG image": (("jpg", "jpeg"), lambda h: h.startswith(b"\xff\xd8\xff")),
    "GIF image": (("gif",), lambda h: h[:6] in (b"GIF87a", b"GIF89a")),
    "WebP image": (("webp",), _riff(b"WEBP")),
    "SVG image": (("svg",), _svg),
    "MP3 audio": (("mp3",), _mp3),
    "MP4 video or audio": (("mp4", "m4a", "m4v", "mov"), _ftyp),
    "WebM video": (("webm", "mkv"), lambda h: h.startswith(b"\x1a\x45\xdf\xa3")),
    "Ogg media": (("ogg", "oga", "ogv", "opus"), lambda h: h.startswith(b"OggS")),
    "WAV audio": (("wav",), _riff(b"WAVE")),
    "PDF document": (("pdf",), lambda h: h.startswith(b"%PDF-")),
    "WebVTT captions": (("vtt",), lambda h: h.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT")),
}
_BY_EXTENSION = {ext: (name, test) for name, (exts, test) in SIGNATURES.items() for ext in exts}
HEAD_BYTES = 4096  # enough for an SVG's XML declaration, DOCTYPE and comments before <svg


def content_kind(head: bytes) -> str:
    """What ``head`` looks like, in words, for the warning."""
    for name, (_, test) in SIGNATURES.items():
        if name != "SVG image" and test(head):
            return f"a {name}"
    if _svg(head):
        return "an SVG image"
    if not head:
        return "empty"
    try:
        head.decode("utf-8")
        return "text"
    except UnicodeDecodeError as exc:
        return "text" if exc.start >= len(head) - 3 else "unrecognised binary data"


def check_media(path: Path, root: Path, url: str, where: Position, d: Diagnostics, warn_bytes: int) -> Optional[Path]:
    """The real path of a media file to package, or None after an error at the reference.

    Warnings: content that does not match the extension, size above ``warn_bytes``.
    """
    reason = unsafe_reason(path, root)
    if reason:
        d.error(where, f"'{url}' is {reason}",
                "media must be ordinary files inside the course folder: copy the file into course/media/")
        return None
    size = os.stat(path).st_size
    if size > warn_bytes:
        d.warning(where, f"'{url}' is large: {size / MB:.1f} MB (warning above {warn_bytes / MB:g} MB)",
                  "compress or shrink it (some LMSs refuse big packages), or raise 'media: warn_above_mb' "
                  "in course.yaml")
    expected = _BY_EXTENSION.get(path.suffix.lower().lstrip("."))
    if expected is not None:
        head = read_bytes(path, HEAD_BYTES)[:HEAD_BYTES]
        name, test = expected
        if not test(head):
            d.warning(where, f"'{url}' is named like a {name} but its content is {content_kind(head)}",
                      "check that it is the right file, or fix its extension")
    return Path(os.path.realpath(path))
