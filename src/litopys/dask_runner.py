"""Run the per-document stages on a Dask cluster (``litopys ingest --dask`` / ``--scheduler``).

What runs where: the driver (this process) reads the inputs, skips what the store already has and
submits each remaining :class:`~litopys.records.RawDoc` to a worker, which runs
:func:`litopys.pipeline.process` (the per-document stages, including the map halves of the
corpus-wide stages: linking candidates, event extraction, fingerprints). Results come back to the
driver, which stores them in input order, so ids and versions equal a local run's; the reduce
steps (re-linking, stories, timeline) then run in the driver. Only the driver writes to the store.

At most ``workers * 8`` documents are in flight, so memory stays flat whatever the corpus size.
They travel in tasks of ``BATCH`` documents: Dask's bookkeeping costs the driver milliseconds per
task, on the cores the workers need (measured by ``bench/scale.py``, see docs/scaling.md).
Worker processes live for the whole run, so each loads the stages' models once (their cached
loaders). Dask is an optional dependency: ``pip install 'litopys[dask]'``.
"""

from __future__ import annotations

import collections
import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

from litopys.records import Article, RawDoc, Rejected

#: documents in flight per worker
WINDOW_PER_WORKER = 8
#: documents per Dask task
BATCH = 4
#: seconds to wait for an existing scheduler before giving up
CONNECT_TIMEOUT = 10
#: Dask settings of this process while it drives a run: its client and, with a LocalCluster, the
#: scheduler and nannies that run in it. ``low-level-log-length`` bounds Dask's debugging logs, among
#: them the last messages each batched stream sent (``BatchedSend.recent_message_log``). Those
#: messages carry the tasks, so with Dask's default of 1,000 the driver kept every page it had
#: submitted for a long while: on the benchmark corpus's first 4,000 documents (2 workers, map
#: only, 136 s) the driver held 3,558 pages and grew 76 → 102 MiB (and 104 → 152 MiB over the
#: 100k run); with 100 it held ~460 and stayed at 75–77 MiB. The logs serve only Dask's own
#: debugging (task stories, ``get_events``); nothing litopys uses reads them.
#: ``system-monitor.log-length``: every Dask server (the scheduler and each nanny here, each worker)
#: samples CPU, memory, disk and network twice a second for the dashboard and kept the last 7,200
#: samples (an hour): 1.9 MiB per server once full (``SystemMonitor.update()`` 7,200 times,
#: tracemalloc), so the driver grew ~6 MiB over a run's first hour. Dask reads only the latest sample.
DRIVER_CONFIG: dict[str, Any] = {
    "distributed.admin.low-level-log-length": 100,
    "distributed.admin.system-monitor.log-length": 120,
}
#: Dask settings of the LocalCluster's workers (captured by each nanny when it starts a worker):
#: the driver's, and the statistical profiler off. It feeds a dashboard this cluster does not
#: serve, and it keeps one call tree per second for the last ``low-level-log-length`` seconds twice
#: (``profile_history``, ``profile_keys_history``). On the stages' deep NLP call stacks that grew
#: each worker by ~150 KB/s: the benchmark corpus's first 2,400 documents on 2 workers (82 s) ended
#: at 743/747 MiB with it and 705/705 MiB without; the 100k run's workers went 697 → 801 MiB
#: between 10k and 25k documents (then flat). An existing cluster (``--scheduler``) keeps its own
#: settings; only the client there takes ``DRIVER_CONFIG``.
LOCAL_WORKER_CONFIG: dict[str, Any] = {**DRIVER_CONFIG, "distributed.worker.profile.enabled": False}


class DaskUnavailable(Exception):
    """Dask is not installed, or the scheduler cannot be reached (the CLI exits with status 2)."""


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as error:
        raise DaskUnavailable(
            "--dask and --scheduler need Dask: pip install 'litopys[dask]' (or 'dask[distributed]')"
        ) from error
    return distributed


def _silence() -> None:
    for name in (
        "distributed",
        "distributed.nanny",
        "distributed.scheduler",
        "distributed.worker",
        "tornado",
    ):
        logging.getLogger(name).setLevel(logging.ERROR)


@contextlib.contextmanager
def client(*, workers: int, scheduler: str | None) -> Iterator[Any]:
    """A Dask client: on the cluster at ``scheduler``, or on a new LocalCluster of ``workers`` processes."""
    distributed = _import_distributed()
    import dask

    _silence()
    if scheduler is not None:
        try:
            distributed.comm.get_address_host_port(scheduler)
        except ValueError as error:
            raise DaskUnavailable(f"not a Dask scheduler address (tcp://HOST:8786): {error}") from error
        with dask.config.set(DRIVER_CONFIG):
            try:
                dask_client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as error:
                raise DaskUnavailable(f"cannot reach the Dask scheduler at {scheduler}: {error}") from error
            with dask_client:
                yield dask_client
        return
    # held for the whole run: a worker the nanny restarts registers anew and gets a new stream
    with dask.config.set(LOCAL_WORKER_CONFIG):
        cluster = distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        with cluster, distributed.Client(cluster, set_as_default=False) as dask_client:
            yield dask_client


def ingest_on_dask(
    todo: Iterator[tuple[RawDoc, int]],
    record: Callable[[Article | Rejected, int], None],
    run: Callable[[RawDoc], Article | Rejected],
    *,
    workers: int,
    scheduler: str | None = None,
) -> None:
    """Run ``run`` on every document of ``todo`` on Dask and ``record`` the results in input order."""
    with client(workers=workers, scheduler=scheduler) as dask_client:
        if scheduler is not None:  # an existing cluster: size the window by its worker threads
            workers = sum(dask_client.nthreads().values())
        window = max(1, max(1, workers) * WINDOW_PER_WORKER // BATCH)  # tasks in flight
        in_flight: collections.deque[tuple[Any, list[int]]] = collections.deque()

        def submit(batch: list[tuple[RawDoc, int]]) -> None:
            raws = [raw for raw, _ in batch]
            in_flight.append((dask_client.submit(_run_all, run, raws, pure=False), [n for _, n in batch]))

        def collect() -> None:
            future, sizes = in_flight.popleft()
            for result, size in zip(future.result(), sizes, strict=True):
                record(result, size)
            future.release()

        batch: list[tuple[RawDoc, int]] = []
        for item in todo:
            batch.append(item)
            if len(batch) >= BATCH:
                submit(batch)
                batch = []
                if len(in_flight) >= window:
                    collect()
        if batch:
            submit(batch)
        while in_flight:
            collect()


def _run_all(run: Callable[[RawDoc], Article | Rejected], raws: list[RawDoc]) -> list[Article | Rejected]:
    """One Dask task: ``run`` on each document of a batch, in order."""
    return [run(raw) for raw in raws]
