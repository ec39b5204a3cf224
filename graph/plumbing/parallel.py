"""The build's second core: half of a pure-Python stage done in a forked worker process.

Parsing YAML and writing statements as text hold Python's lock, so threads cannot share
them out; a forked child can, and starts with everything the parent holds (the corpus read
so far) without copying it. Only what the child gives back crosses between them: plain
data (text, numbers, lists, dicts), as marshal bytes through a pipe, which costs a fraction
of the work it saves (bench/README.md measures it).

Where there is no ``fork`` (Windows), only one core, or too little work to pay for a
process, :func:`halves` does everything in the calling process, with the same result.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")

#: Below this many items a stage stays in one process: a fork and its pipe cost a few
#: tens of milliseconds, more than a small corpus takes to read.
MIN_ITEMS = 400


#: Bytes a stream's pipe holds (Linux's default most without privileges: 1 MiB).
PIPE_SIZE = 1 << 20


def cores() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether a stage may go to a forked child: two cores, ``fork``, and no other thread in
    this process (a thread's locks would be copied held; Jupyter's kernel has threads)."""
    return hasattr(os, "fork") and cores() >= 2 and threading.active_count() == 1


class Child:
    """``work(stream)`` running in a forked child; :meth:`result` waits for what it returns.

    ``stream`` is the write end of a pipe whose read end is :attr:`stream` here (a file
    descriptor): the child can send bytes as it makes them, for this process to read
    meanwhile (``/dev/fd/N`` where a library wants a path). What ``work`` returns (plain
    data) comes back by another pipe when it is done.
    """

    def __init__(self, work: Callable[[BinaryIO], Any]) -> None:
        data_read, data_write = os.pipe()
        # A larger pipe lets the child run ahead of the reader rather than in step with it.
        with contextlib.suppress(ImportError, AttributeError, OSError):
            import fcntl  # not on Windows, where nothing is forked

            fcntl.fcntl(data_write, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (data_read, data_write, read, write):
                os.close(fd)
            raise
        if pid == 0:  # the child: do the work, send it back, and leave at once
            code = 0
            try:
                os.close(read)
                os.close(data_read)
                try:
                    with os.fdopen(data_write, "wb", buffering=PIPE_SIZE) as stream:
                        value = work(stream)
                    payload = marshal.dumps((True, value))
                except BaseException as exc:  # the parent raises it
                    failed = (type(exc).__name__, str(exc), traceback.format_exc())
                    payload = marshal.dumps((False, failed))
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(payload)
            except BaseException:
                code = 1
            finally:
                # No clean-up of the parent's state (atexit, buffered files) in its copy.
                os._exit(code)
        os.close(write)
        os.close(data_write)
        self.pid = pid
        self.stream = data_read
        self._result = os.fdopen(read, "rb")

    def stop(self) -> None:
        """End the child if it is still at work (when this process gives up on it)."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            # Its answer is not wanted, even a Ctrl-C (the caller is handling its own).
            with contextlib.suppress(Exception, KeyboardInterrupt):
                self.result()

    def result(self) -> Any:
        """What ``work`` returned; raises if it raised (Ctrl-C as :exc:`KeyboardInterrupt`,
        anything else as :exc:`RuntimeError`, noted with the worker's traceback) or died."""
        if not self.pid:
            raise RuntimeError("the build's worker process was already waited for")
        # Whatever of the stream was not read is not wanted: the child's writes to it fail.
        with contextlib.suppress(OSError):
            os.close(self.stream)
        try:
            payload = self._result.read()
        finally:
            self._result.close()
            _, status = os.waitpid(self.pid, 0)
            self.pid = 0
        if not payload:
            code = os.waitstatus_to_exitcode(status)
            how = f"exited with status {code}"
            if code < 0:  # SIGKILL, most often: the system was out of memory
                how = f"was killed by signal {-code}"
                with contextlib.suppress(ValueError):
                    how = f"was killed by {signal.Signals(-code).name}"
            raise RuntimeError(f"the build's worker process {how} before it was done")
        ok, value = marshal.loads(payload)  # noqa: S302 (our own child, through a pipe)
        if not ok:
            kind, message, where = value
            if kind == "KeyboardInterrupt":  # Ctrl-C reaches both processes: stop, as one would
                raise KeyboardInterrupt
            failure = RuntimeError(f"the build's worker process failed: {kind}: {message}")
            failure.add_note(f"In the worker process:\n{where.rstrip()}")
            raise failure
        return value


def halves(work: Callable[[Sequence[T]], Any], items: Sequence[T]) -> list[Any]:
    """``work`` of ``items``, as a list of results of parts of them (one part, or two).

    With two cores, ``fork`` and at least :data:`MIN_ITEMS` items, a forked child does
    ``work`` of every other item while this process does the rest: ``work`` must give
    plain data (what :mod:`marshal` writes) and leave this process's state alone, since
    the child's changes are lost. Items go to the halves alternately, so long runs of
    large items (one bill's letters) are shared out too.
    """
    if len(items) < MIN_ITEMS or not can_fork():
        return [work(items)]
    try:
        child = Child(lambda _: work(items[1::2]))
    except OSError:  # no process to be had (a limit on processes, or memory): do it all here
        return [work(items)]
    try:
        mine = work(items[0::2])
    except BaseException:
        # This failure is the one to report (Ctrl-C, or this half's error), not the child's
        # answer, which is not waited for.
        child.stop()
        raise
    return [mine, child.result()]
