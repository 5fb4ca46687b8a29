"""Run one document where it can be stopped: a forked child process that leads its own process group.

At the deadline the whole group is killed (the child, its page pool, every ``tesseract``), so
nothing is left behind and the slot is free for the next document. A child also kills its group
when the process that started it dies, however it dies (checked twice a second). The result, or
the error (its category, message and traceback), comes back pickled through a pipe.

Forking, rather than starting a new interpreter, costs a few milliseconds and needs no import;
it works in a Dask worker too, whose daemonic processes may not use ``multiprocessing``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import resource
import selectors
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vnplan.models.errors import Category, InputError, VnplanError, category_of

log = logging.getLogger(__name__)

#: How often a child checks that the process that started it is alive (seconds).
PARENT_CHECK = 0.5


class ChildError(VnplanError):
    """An error raised in a child process, with its category and the child's traceback."""

    def __init__(self, message: str, category: Category | None = None, detail: str | None = None) -> None:
        super().__init__(message, category)
        self.detail = detail

    def __reduce__(self):
        return (type(self), (str(self), self.category, self.detail))


@dataclass
class Child:
    """A running child: its process id (= its process group), the pipe it answers on, its deadline."""

    pid: int
    fd: int
    deadline: float | None
    started: float = field(default_factory=time.monotonic)
    received: bytearray = field(default_factory=bytearray)

    def kill(self) -> None:
        """Kill the child's whole process group and reap the child."""
        self.close()

    def close(self) -> int:
        """Kill what is left of the child's process group (a child killed by the system may leave
        page processes behind), close the pipe and reap the child; its wait status. The group is
        killed before the child is reaped, while its number cannot yet belong to another process."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        os.close(self.fd)
        _, status = os.waitpid(self.pid, 0)
        return status


def start(function: Callable[..., Any], args: tuple, timeout: float | None, memory_mb: int | None = None) -> Child:
    """Fork a child that runs ``function(*args)`` in a new process group and sends back its outcome;
    with ``memory_mb``, its address space (and that of every program it starts) is capped there."""
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        try:
            os.close(read_end)
            os.setpgid(0, 0)
            if memory_mb is not None:
                limit = memory_mb * 2**20
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            _watch_parent(parent)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
            message: tuple[Any, ...]
            try:
                message = ("ok", function(*args))
            except MemoryError:
                message = ("error", Category.TOO_LARGE, f"ran out of its memory limit ({memory_mb} MB)", "")
            except BaseException as exc:  # every failure goes back to the parent
                message = ("error", category_of(exc), _one_line(exc), traceback.format_exc())
            payload = _dumps(message)
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with contextlib.suppress(PermissionError, ProcessLookupError):  # the child got there first, or ended
        os.setpgid(pid, pid)  # also here, so the group exists before the parent may kill it
    return Child(pid, read_end, None if timeout is None else time.monotonic() + timeout)


def _dumps(message: tuple) -> bytes:
    try:
        return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # a result that cannot be pickled is a bug; say so
        return pickle.dumps(("error", Category.INTERNAL, f"the result cannot be sent back: {exc}", ""))


def _one_line(exc: BaseException) -> str:
    text = str(exc) if isinstance(exc, VnplanError) else f"internal error: {type(exc).__name__}: {exc}"
    return " ".join(text.split())


def _watch_parent(parent: int) -> None:
    """In a child: kill the child's own process group as soon as ``parent`` is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK)
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def read_some(child: Child) -> bool:
    """Read what the child has written; True once it has closed its end (finished or died)."""
    chunk = os.read(child.fd, 1 << 20)
    child.received += chunk
    return not chunk


def outcome(child: Child) -> Any:
    """The finished child's result; raises its error, or says how it died."""
    status = child.close()
    if child.received:
        message = pickle.loads(bytes(child.received))
        if message[0] == "ok":
            return message[1]
        _, category, text, detail = message
        raise ChildError(text, category, detail)
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        cause = " (out of memory?)" if number == signal.SIGKILL else ""
        raise ChildError(
            f"the process reading the document was killed by {signal.Signals(number).name}{cause}",
            Category.WORKER_DIED,
        )
    raise ChildError(
        f"the process reading the document ended with status {os.waitstatus_to_exitcode(status)}",
        Category.WORKER_DIED,
    )


def timed_out(child: Child, timeout: float) -> InputError:
    """Kill a child past its deadline; the error to record."""
    child.kill()
    log.info("killed process group %d after %.1f s", child.pid, time.monotonic() - child.started)
    return InputError(f"gave up after {timeout:g} s (--timeout)", Category.TIMEOUT)


def run(function: Callable[..., Any], args: tuple, timeout: float | None, memory_mb: int | None = None) -> Any:
    """``function(*args)`` in a child process, stopped (with all its processes) after ``timeout`` s,
    its memory capped at ``memory_mb``."""
    child = start(function, args, timeout, memory_mb)
    with selectors.DefaultSelector() as selector:
        selector.register(child.fd, selectors.EVENT_READ)
        while True:
            left = None if child.deadline is None else child.deadline - time.monotonic()
            if left is not None and left <= 0:
                selector.unregister(child.fd)
                raise timed_out(child, timeout or 0)  # a child has a deadline only with a timeout
            if selector.select(left) and read_some(child):
                selector.unregister(child.fd)
                return outcome(child)
