"""Helpers of the hostile-input tests (test_security*.py, test_fuzz_loader.py)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MEMORY_LIMIT = 1 << 30  # address space of the child: 1 GiB


def limited_run(args: list[str], limit_bytes: int = MEMORY_LIMIT, timeout: float = 120):
    """``build-course ARGS`` in a child process whose address space is capped; returns (proc, seconds)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", "from cli import main; main()", *args], cwd=REPO,
                          capture_output=True, text=True, preexec_fn=cap, timeout=timeout,
                          env=dict(os.environ, PYTHONPATH=str(REPO), BUILD_COURSE_JOBS="1"))
    return proc, time.perf_counter() - started
