"""Run a function in a forked child process and get its result back (Linux only).

Used by the build to put the second core to work: the child inherits the loaded course and the
Jinja environment as they are (nothing is pickled on the way in) and sends back only what it
returns, pickled through a pipe. An exception in the child is raised again in the parent.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import traceback
from typing import Any, Callable


def forced() -> bool:
    """BUILD_COURSE_JOBS=2: fork even for a small course (tests of the two-process path)."""
    return os.environ.get("BUILD_COURSE_JOBS", "") == "2"


def available() -> bool:
    # fork is unsafe with macOS system frameworks and missing on Windows, and unsafe in a process
    # with other threads (a lock one of them holds stays locked in the child); BUILD_COURSE_JOBS=1
    # turns it off (debugging, profiling).
    return (sys.platform.startswith("linux") and os.environ.get("BUILD_COURSE_JOBS", "") != "1"
            and (os.cpu_count() or 1) > 1 and threading.active_count() == 1)


class Child:
    def __init__(self, work: Callable[[], Any]):
        read, write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:  # the child: do the work, send the outcome, leave without cleanup handlers
            os.close(read)
            status = 0
            try:
                try:
                    outcome = ("ok", work())
                except BaseException as error:  # noqa: BLE001 - handed to the parent as it is
                    outcome = ("error", error, traceback.format_exc())
                try:
                    data = pickle.dumps(outcome)
                except Exception:  # noqa: BLE001 - an exception that cannot be pickled
                    data = pickle.dumps(("error", RuntimeError(outcome[-1]), outcome[-1]))
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(data)
            except BaseException:  # noqa: BLE001
                status = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        os.close(write)
        self.read = read

    def result(self) -> Any:
        with os.fdopen(self.read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if not data:
            raise RuntimeError(f"a build worker process ended without a result (status {status})")
        outcome = pickle.loads(data)
        if outcome[0] == "ok":
            return outcome[1]
        raise outcome[1] from WorkerTraceback(outcome[2])


class WorkerTraceback(Exception):
    """Where the error happened in the child (shown as the cause, e.g. by ``-v``)."""

    def __str__(self) -> str:
        return "in the build worker process:\n" + str(self.args[0])
