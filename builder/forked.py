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
from typing import Any, Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def forced() -> bool:
    """BUILD_COURSE_JOBS=2: fork even for a small course (tests of the two-process path)."""
    return os.environ.get("BUILD_COURSE_JOBS", "") == "2"


def available() -> bool:
    # fork is unsafe with macOS system frameworks and missing on Windows, and unsafe in a process
    # with other threads (a lock one of them holds stays locked in the child); BUILD_COURSE_JOBS=1
    # turns it off (debugging, profiling).
    return (sys.platform.startswith("linux") and os.environ.get("BUILD_COURSE_JOBS", "") != "1"
            and (os.cpu_count() or 1) > 1 and threading.active_count() == 1)


# Workers started and not yet waited for. Set before the fork, so the child sees it too: while
# the two cores are both busy (the cartridges in a child, the rest here), nothing splits further.
_RUNNING = [0]


def idle_core() -> bool:
    """True when no other worker of this build runs: a fork would get a core of its own."""
    return _RUNNING[0] == 0 and available()


class Child:
    def __init__(self, work: Callable[[], Any]):
        read, write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        _RUNNING[0] += 1
        try:
            self.pid = os.fork()
        except OSError:
            _RUNNING[0] -= 1
            os.close(read)
            os.close(write)
            raise
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
        try:
            with os.fdopen(self.read, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(self.pid, 0)
        finally:
            _RUNNING[0] -= 1
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


def split_at(weights: Sequence[float], later_share: float = 0.5) -> int:
    """Where the later part of two starts so that it carries about ``later_share`` of the total
    weight, with at least one item on each side (two items or more)."""
    first_share, running = sum(weights) * (1 - later_share), 0.0
    for index, w in enumerate(weights):
        running += w
        if running >= first_share:
            return max(1, min(index + 1, len(weights) - 1))
    return len(weights) - 1


def map_in_two(func: Callable[[T], R], items: Sequence[T], weight: Callable[[T], int], split_from: int) -> list[R]:
    """``[func(item) for item in items]``, the later items computed in a forked child when their
    total ``weight`` reaches ``split_from`` and a core is idle. ``func`` must not record anything
    (diagnostics, caches the caller reads): only its results come back."""
    weights = [weight(item) for item in items]
    if len(items) < 2 or not idle_core() or (sum(weights) < split_from and not forced()):
        return [func(item) for item in items]
    cut = split_at(weights)
    try:
        later = Child(lambda: [func(item) for item in items[cut:]])
    except OSError:  # no process to be had (a container's process limit): all of it here
        return [func(item) for item in items]
    try:
        first = [func(item) for item in items[:cut]]
    finally:
        rest = later.result()
    return first + rest
