"""Package stage: write a target's files to disk, deterministically and atomically."""

from .zipwriter import Content, content_size, source_date_epoch, write_file, write_folder, write_zip

__all__ = ["Content", "content_size", "source_date_epoch", "write_file", "write_folder", "write_zip"]
