"""Package stage: write a target's files to disk, deterministically and atomically."""

from .zipwriter import (
    Content,
    Staged,
    content_size,
    forget_stored_media,
    source_date_epoch,
    stage_file,
    stage_folder,
    stage_zip,
    write_file,
    write_folder,
    write_zip,
)

__all__ = ["Content", "Staged", "content_size", "forget_stored_media", "source_date_epoch", "stage_file", "stage_folder", "stage_zip",
           "write_file", "write_folder", "write_zip"]
