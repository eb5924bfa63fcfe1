"""Process pools that stop with the command: on Ctrl-C or SIGTERM the kit stops its
workers at once, so no worker outlives it, and workers ignore the terminal's Ctrl-C so
that the main process alone decides what becomes of the files."""
from __future__ import annotations

import signal
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

STOP_WAIT = 5.0  # seconds for a terminated worker to go


def _worker_start() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process's Ctrl-C-like handler


@contextmanager
def process_pool(workers: int, context=None):
    """A ProcessPoolExecutor that waits for its work on success and stops every worker
    at once on any exception, an interruption included."""
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start)
    try:
        yield pool
    except BaseException:
        stop(pool)
        raise
    pool.shutdown(wait=True)


def stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and terminate the workers (their unfinished files
    are temporary ones, removed by `write_atomic` or by the next run)."""
    # the executor has no public handle on its processes; without one, shutdown() waits
    # for every task already given to a worker, which is what an interrupt must not do
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(STOP_WAIT)
        if process.is_alive():
            process.kill()
