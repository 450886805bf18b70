"""Helper processes for :func:`nlp.analyze`.

Jobs (:mod:`nlp.jobs`) take and return plain data, so their results are the same wherever
they run. Where they run:

* After :func:`warm_up` (the command line calls it first thing): in two workers forked from
  a fork server that starts importing what :mod:`nlp.jobs` needs (scikit-learn, matplotlib, word
  clouds: 2–3 s) at once, on the second core, while the caller loads spaCy and tags the documents. A
  fork server's workers import the caller's main module, so only a program whose main module
  is safe to import (like the ``policy-nlp`` command) may call :func:`warm_up`.
* Otherwise on Linux: in two workers forked from the caller when the first job is submitted
  (a job imports what it needs when it first runs). No main module is imported again, so
  scripts need no ``if __name__ == "__main__"`` guard.
* Elsewhere, or with ``parallel=False``: in the caller's process, when a result is asked for.

Only the standard library is imported here.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import sys
import threading
import warnings
from concurrent.futures import Future
from typing import Any, Callable

__all__ = ["Helpers", "warm_up"]

#: what the fork server imports before forking helpers: everything the jobs use, with the
#: garbage collector off, then frozen out of it (see the module)
PRELOAD = ["nlp.helper_server"]
#: environment settings a job follows as the caller has them when submitting it (a fork
#: server keeps the environment it started with)
ENV_KEYS = ("POLICY_NLP_FONT", "POLICY_NLP_CACHE", "XDG_CACHE_HOME")
_server_started = False  # by warm_up, in this process


def _two_cores() -> bool:
    """Whether this process may run on two or more CPUs."""
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return len(usable) > 1


def warm_up() -> None:
    """Start the fork server now (it goes on importing :data:`PRELOAD` by itself) and use it
    for the helpers of every later :func:`nlp.analyze`; returns at once. Only for programs
    whose main module can be imported again without side effects."""
    global _server_started
    if _server_started or not _two_cores() or "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver

    try:
        multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
        forkserver.ensure_running()
    except (OSError, RuntimeError, ValueError):  # no server to be had: helpers are forked later instead
        return
    _server_started = True


def _method() -> str | None:
    """How helpers are started here: 'forkserver', 'fork' or None (no helpers)."""
    if not _two_cores() or multiprocessing.parent_process() is not None:  # never helpers of helpers
        return None
    if _server_started:
        return "forkserver"
    if sys.platform.startswith("linux"):
        return "fork"
    return None


class Helpers:
    """Run :mod:`nlp.jobs` in two helper processes (see the module's text for how they are
    started), or in this process when ``parallel`` is false or there are no helpers here
    (then a job runs when its result is first asked for).

    ``submit(job, *args)`` never waits: jobs submitted while the fork server is still
    importing are queued and sent when it is ready. Its handle's ``get()`` gives the value
    and raises again any warning the job gave; ``then(fn)`` calls ``fn(value)`` as soon as the
    job is done (in a helper thread), for work that should follow at once.
    """

    def __init__(self, parallel: bool = True, processes: int = 2) -> None:
        self.method = _method() if parallel else None
        self.processes = processes
        self._pool: Any = None
        self._failed = False
        self._lock = threading.Lock()
        self._pending: list[tuple[str, tuple, dict, Future]] = []
        self._starter: threading.Thread | None = None
        if self.method == "forkserver":
            # the workers can only be forked once the server has imported its modules: wait
            # for that in a thread, not in the caller
            self._starter = threading.Thread(target=self._start_pool, name="policy-nlp-helpers", daemon=True)
            self._starter.start()

    @property
    def parallel(self) -> bool:
        """Whether jobs go to helper processes (False once starting them has failed)."""
        return self.method is not None and not self._failed

    def _start_pool(self) -> None:
        """Start the workers, then send the jobs that were waiting for them."""
        from concurrent.futures import ProcessPoolExecutor

        try:  # an executor, not a multiprocessing.Pool: a helper that dies fails its job instead of hanging it
            pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context(self.method))
            for started in [pool.submit(_noop) for _ in range(self.processes)]:  # start every worker now
                started.result()
        except Exception:  # noqa: BLE001  (no helpers to be had: the work is done here instead)
            pool = None
        with self._lock:
            self._pool, self._failed = pool, pool is None
            pending, self._pending = self._pending, []
        for item in pending:
            self._dispatch(*item)

    def _dispatch(self, job: str, args: tuple, env: dict, outer: Future) -> None:
        if self._pool is None:
            outer.set_result(_RUN_HERE)
            return
        inner = self._pool.submit(_call, job, args, env)
        inner.add_done_callback(lambda done: _copy_outcome(done, outer))

    def submit(self, job: str, *args: Any) -> "_Handle":
        """Start ``nlp.jobs.<job>(*args)``."""
        if not self.parallel:
            return _Deferred(job, args)
        if self.method == "fork" and self._pool is None and not self._failed:
            self._start_pool()  # forked from this process as it is now: quick
        env = {key: os.environ.get(key) for key in ENV_KEYS}
        outer: Future = Future()
        with self._lock:
            ready = self._pool is not None or self._failed
            if not ready:
                self._pending.append((job, args, env, outer))
        if ready:
            self._dispatch(job, args, env, outer)
        return _Async(outer, job, args)

    def close(self, *, cancel: bool = False) -> None:
        """Stop the helpers (``cancel``: without waiting for unfinished jobs)."""
        if self._starter is not None:
            self._starter.join()
            self._starter = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None

    def __enter__(self) -> "Helpers":
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        self.close(cancel=exc_type is not None)


_RUN_HERE = object()  # a job's outcome when there turned out to be no helpers for it


def _copy_outcome(done: Future, outer: Future) -> None:
    if done.cancelled():
        outer.cancel()
    elif done.exception() is not None:
        outer.set_exception(done.exception())
    else:
        outer.set_result(done.result())


def _call(job: str, args: tuple, env: dict) -> Any:
    """Run in a helper: nlp.jobs.call (a module-level function, so the pool can pickle it)."""
    from .jobs import call

    return call(job, args, env)


def _noop() -> None:
    """A job that does nothing (submitting it starts a worker)."""


class _Handle:
    def get(self) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def then(self, fn: Callable[[Any], None]) -> None:
        """Call ``fn(value)`` when the job is done (here: when its value is first asked for)."""


class _Async(_Handle):
    """A job sent (or about to be sent) to a helper."""

    def __init__(self, future: Future, job: str, args: tuple) -> None:
        self._future = future
        self._here = _Deferred(job, args)  # used if the helpers could not be started

    def get(self) -> Any:
        outcome = self._future.result()
        if outcome is _RUN_HERE:
            return self._here.get()
        value, caught = outcome
        for module, name, message in caught:
            warnings.warn(message, _category(module, name), stacklevel=2)
        return value

    def then(self, fn: Callable[[Any], None]) -> None:
        def call(done: Future) -> None:
            if not done.cancelled() and done.exception() is None and done.result() is not _RUN_HERE:
                fn(done.result()[0])

        self._future.add_done_callback(call)


class _Deferred(_Handle):
    """A job run in this process when its result is first asked for."""

    def __init__(self, job: str, args: tuple) -> None:
        self._job, self._args, self._done, self._value = job, args, False, None

    def get(self) -> Any:
        if not self._done:
            from . import jobs

            self._value, self._done = jobs.JOBS[self._job](*self._args), True
        return self._value


def _category(module: str, name: str) -> type[Warning]:
    """The warning class a helper's warning had (UserWarning when it cannot be found here)."""
    try:
        loaded = sys.modules.get(module) or (importlib.import_module(module) if module.startswith("nlp.") else None)
        category = getattr(loaded, name, None)
    except ImportError:
        category = None
    return category if isinstance(category, type) and issubclass(category, Warning) else UserWarning
