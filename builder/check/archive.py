"""Reading a package without trusting it: zip entries are checked before anything is read.

A package is a zip (or an unpacked folder). Nothing is extracted: entries are read into memory
one at a time, and only when their declared size is sane, so a zip bomb is reported, not opened.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path
from typing import Optional

from .findings import Report

MAX_ENTRY = 512 * 1024 * 1024  # bytes of one file once unpacked
MAX_TOTAL = 4 * 1024 * 1024 * 1024  # bytes of the whole package once unpacked
MAX_RATIO = 200  # unpacked / packed, per entry, above 1 MiB: a zip bomb, not a course
MAX_ENTRIES = 50_000
READ_LIMIT = 64 * 1024 * 1024  # XML and HTML the checker reads itself


class Package:
    """The entries of a zip or a folder, by their normalised name; reads on demand.

    ``unsafe``: reading on is not safe (unreadable zip, too large, a zip bomb). Entries with unsafe
    names are reported and left out of ``names``; the other entries are still checked."""

    def __init__(self, path: Path, report: Report):
        self.path = Path(path)
        self.report = report
        self.names: list[str] = []  # safe, normalised entry names (files only)
        self._zip: Optional[zipfile.ZipFile] = None
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self.unsafe = False
        if self.path.is_dir():
            self._open_folder()
        else:
            self._open_zip()
        self._lower = {n.lower(): n for n in self.names}

    # -- opening ---------------------------------------------------------------------------------

    def _open_folder(self) -> None:
        for p in sorted(self.path.rglob("*")):
            if p.is_symlink():
                self.report.error("zip-symlink", f"'{p.relative_to(self.path)}' is a symbolic link; LMSs refuse or "
                                  "skip links", "replace the link with the file itself", file=str(p.relative_to(self.path)))
            elif p.is_file():
                self.names.append(p.relative_to(self.path).as_posix())

    def _open_zip(self) -> None:
        r = self.report
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            r.error("zip-unreadable", f"not a readable zip file ({exc}); every LMS refuses it",
                    "export or build the package again")
            self.unsafe = True
            return
        infos = self._zip.infolist()
        if len(infos) > MAX_ENTRIES:
            r.error("zip-too-many", f"{len(infos):,} entries; LMSs time out or refuse packages this large",
                    f"keep a package under {MAX_ENTRIES:,} files")
        total = 0
        seen: dict[str, str] = {}
        for info in infos:
            name = info.filename
            if info.is_dir():
                continue
            problem = _unsafe_name(name)
            if problem:
                r.error("zip-unsafe-path", f"entry '{name}' {problem}; unpacking it could write outside the "
                        "package folder, and LMSs refuse such packages", "rebuild the zip with relative paths only",
                        file=name)
                continue  # left out, never read; the rest is still checked (sizes stop the check)
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_ISLNK(mode):
                r.error("zip-symlink", f"entry '{name}' is a symbolic link; LMSs refuse or skip it",
                        "put the file itself in the zip", file=name)
                continue
            if info.flag_bits & 0x1:
                r.error("zip-encrypted", f"entry '{name}' is encrypted; no LMS can read it",
                        "zip the package without a password", file=name)
                continue
            key = name.lower()
            if key in seen:
                r.error("zip-duplicate", f"entry '{name}' appears twice in the zip (also '{seen[key]}'); which "
                        "copy an LMS keeps is undefined (Windows and macOS see one file)",
                        "keep one entry per path (names differing only in case count as one)", file=name)
                continue
            seen[key] = name
            total += info.file_size
            if info.file_size > MAX_ENTRY:
                r.error("zip-entry-size", f"entry '{name}' unpacks to {info.file_size:,} bytes; LMS upload "
                        "limits refuse it", "host large media elsewhere and link to it", file=name)
                self.unsafe = True
            elif info.file_size > 1024 * 1024 and info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                r.error("zip-bomb", f"entry '{name}' unpacks {info.file_size / info.compress_size:,.0f} times "
                        "larger than it is packed: a zip bomb, not course content", "remove it", file=name)
                self.unsafe = True
                continue
            self.names.append(name)
            self._infos[name] = info
        if total > MAX_TOTAL:
            r.error("zip-total-size", f"the package unpacks to {total:,} bytes; no LMS accepts that",
                    "split the course or host media elsewhere")
            self.unsafe = True

    # -- reading ---------------------------------------------------------------------------------

    def case_mismatch(self, name: str) -> Optional[str]:
        """The entry that matches ``name`` only when case is ignored (works on Windows, not on an LMS)."""
        actual = self._lower.get(name.lower())
        return actual if actual and actual != name else None

    def read(self, name: str) -> Optional[bytes]:
        if name not in self.names:
            return None
        if self._zip is None:
            p = self.path / name
            return p.read_bytes() if p.stat().st_size <= READ_LIMIT else None
        info = self._infos[name]
        if info.file_size > READ_LIMIT:
            return None
        with self._zip.open(info) as f:
            return f.read(READ_LIMIT + 1)[:READ_LIMIT]

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def _unsafe_name(name: str) -> str:
    if "\\" in name:
        return "uses backslashes"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "is an absolute path"
    if ".." in name.split("/"):
        return "climbs out with '..'"
    if "\x00" in name:
        return "holds a NUL character"
    return ""
