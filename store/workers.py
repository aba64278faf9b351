"""Worker process pools that never outlive the process that started them."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import TypeVar

T = TypeVar("T")
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _end_with_parent(parent: int) -> None:
    """Ask Linux to SIGTERM this worker when its parent dies.

    Workers share their pool's queue pipes, so when an import is killed with SIGKILL none of them
    ever reads EOF: they would wait forever, each holding hundreds of MB. A parent killed before
    the request was made is gone already: then this worker ends at once.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)


def _start_worker(parent: int, setup: Callable[..., None] | None, args: tuple) -> None:
    _end_with_parent(parent)
    if setup is not None:
        setup(*args)


def worker_pool(
    workers: int,
    mp_context: BaseContext | None = None,
    setup: Callable[..., None] | None = None,
    setup_args: tuple = (),
) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process and first run setup(*setup_args)."""
    return ProcessPoolExecutor(
        workers, mp_context=mp_context, initializer=_start_worker, initargs=(os.getpid(), setup, setup_args)
    )


def batches(items: Iterable[T], sizes: Iterator[int]) -> Iterator[list[T]]:
    """items in lists of the next size sizes gives (the last one shorter): work for a pool."""
    batch: list[T] = []
    size = next(sizes)
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
            size = next(sizes)
    if batch:
        yield batch
