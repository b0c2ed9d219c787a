"""Moodle files in the backup: ``files.xml`` (one record per file per area) and ``files/``.

Moodle stores a file once per content: ``files/<first two hex digits>/<sha1 of the content>``;
each use (a page's ``content`` area, say) is a record in ``files.xml`` pointing at that hash,
listed again in the ``inforef.xml`` of the activity that owns it. Media are hashed by
streaming them from disk, never held in memory.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .ids import Ids
from .mxml import node, to_bytes

# Fixed, so the archive does not depend on the machine's /etc/mime.types.
MIMETYPES = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".svg": "image/svg+xml", ".webp": "image/webp", ".pdf": "application/pdf",
    ".mp3": "audio/mp3", ".mp4": "video/mp4", ".webm": "video/webm", ".txt": "text/plain",
    ".csv": "text/csv", ".vtt": "text/vtt",
}


@dataclass(frozen=True)
class FileRecord:
    id: int
    contenthash: str
    size: int
    context: int
    component: str
    filearea: str
    filepath: str  # "/media/"
    filename: str
    itemid: int = 0

    @property
    def mimetype(self) -> str:
        return MIMETYPES.get(PurePosixPath(self.filename).suffix.lower(), "application/octet-stream")


def sha1_of(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class FileStore:
    def __init__(self, ids: Ids) -> None:
        self.ids = ids
        self.records: list[FileRecord] = []
        self.blobs: dict[str, Path] = {}  # contenthash -> file on disk
        self._hashes: dict[Path, str] = {}

    def add(self, context: int, component: str, filearea: str, path: str, source: Path, itemid: int = 0) -> FileRecord:
        """Record ``path`` (``media/x.png``) in a file area; the same use twice gives one record."""
        pure = PurePosixPath(path)
        filepath = "/" + "".join(f"{part}/" for part in pure.parent.parts)
        for record in self.records:
            if (record.context, record.component, record.filearea, record.itemid, record.filepath,
                    record.filename) == (context, component, filearea, itemid, filepath, pure.name):
                return record
        if source not in self._hashes:
            self._hashes[source] = sha1_of(source)
        contenthash = self._hashes[source]
        self.blobs[contenthash] = source
        record = FileRecord(self.ids.next("file"), contenthash, source.stat().st_size, context,
                            component, filearea, filepath, pure.name, itemid)
        self.records.append(record)
        return record

    def used_by(self, context: int, component: str) -> list[FileRecord]:
        """The files an activity's ``inforef.xml`` lists (question files are found without it)."""
        return [r for r in self.records if r.context == context and r.component == component]

    def package_files(self) -> dict[str, Path]:
        return {f"files/{h[:2]}/{h}": path for h, path in sorted(self.blobs.items())}

    def files_xml(self, timestamp: int) -> bytes:
        root = node(None, "files")
        for r in self.records:
            node(root, "file", {"id": r.id}, [
                ("contenthash", r.contenthash), ("contextid", r.context), ("component", r.component),
                ("filearea", r.filearea), ("itemid", r.itemid), ("filepath", r.filepath), ("filename", r.filename),
                ("userid", None), ("filesize", r.size), ("mimetype", r.mimetype), ("status", 0),
                ("timecreated", timestamp), ("timemodified", timestamp), ("source", r.filename),
                ("author", None), ("license", None), ("sortorder", 0),
                ("repositorytype", None), ("repositoryid", None), ("reference", None),
            ])
        return to_bytes(root)
