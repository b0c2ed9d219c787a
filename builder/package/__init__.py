"""Package stage: write a target's files to disk, deterministically and atomically."""

from .zipwriter import source_date_epoch, write_folder, write_zip

__all__ = ["source_date_epoch", "write_folder", "write_zip"]
