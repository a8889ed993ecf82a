"""The per-document stages on Dask (`litopys ingest --dask` / `--scheduler`) give the local run's store."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from litopys.cli import app
from litopys.pipeline import ingest
from litopys.store import Store

from conftest import SEEDS, exported

pytest.importorskip("distributed")


def test_dask_local_cluster_equals_a_local_run(tmp_path: Path) -> None:
    timings = {}
    for name, options in (("local", {"workers": 1}), ("dask", {"workers": 2, "dask": True})):
        start = time.perf_counter()
        with Store(tmp_path / f"{name}.db") as store:
            report = ingest([str(SEEDS)], store=store, **options)  # type: ignore[arg-type]
        timings[name] = time.perf_counter() - start
        assert report.ingested == 5 and not report.rejected
    local, dask = exported(tmp_path / "local.db"), exported(tmp_path / "dask.db")
    assert len(local) > 5
    assert dask == local
    print(f"seeds: local {timings['local']:.1f} s, 2-worker Dask LocalCluster {timings['dask']:.1f} s")


def test_dask_existing_scheduler_equals_a_local_run(tmp_path: Path) -> None:
    import distributed

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Store(tmp_path / "remote.db") as store,
    ):
        report = ingest([str(SEEDS)], store=store, scheduler=cluster.scheduler_address)
    assert report.ingested == 5
    with Store(tmp_path / "local.db") as store:
        ingest([str(SEEDS)], store=store)
    assert exported(tmp_path / "remote.db") == exported(tmp_path / "local.db")


def test_dask_unreachable_scheduler_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("litopys.dask_runner.CONNECT_TIMEOUT", 2)
    result = CliRunner().invoke(
        app,
        ["--db", str(tmp_path / "x.db"), "ingest", "--quiet", "--scheduler", "tcp://127.0.0.1:9", str(SEEDS)],
    )
    assert result.exit_code == 2, result.output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output


def test_dask_missing_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    result = CliRunner().invoke(
        app, ["--db", str(tmp_path / "x.db"), "ingest", "--quiet", "--dask", str(SEEDS)]
    )
    assert result.exit_code == 2, result.output
    assert "pip install 'litopys[dask]'" in result.output and "Traceback" not in result.output


def test_dask_local_cluster_keeps_no_profile_history_and_short_monitors() -> None:
    """The LocalCluster's workers run without Dask's statistical profiler, whose per-second call
    trees (kept for 1,000 s) grew each worker by ~100 MiB in the 100k run, and its servers keep a
    minute of system-monitor samples; the process's own Dask settings are restored afterwards."""
    import dask

    from litopys.dask_runner import _run_all, client
    from litopys.pipeline import process
    from litopys.stages.ingest import iter_inputs

    raws = list(iter_inputs([str(SEEDS)]))
    with client(workers=1, scheduler=None) as dask_client:
        results = dask_client.submit(_run_all, process, raws, pure=False).result()
        time.sleep(1.5)  # more than one profiler cycle (1 s) after the work
        kept = dask_client.run(
            lambda dask_worker: len(dask_worker.profile_history) + len(dask_worker.profile_keys_history)
        )
        samples = [
            *dask_client.run(lambda dask_worker: dask_worker.monitor.maxlen).values(),
            dask_client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.monitor.maxlen),
        ]
    assert len(results) == 5 and all(r.title for r in results)
    assert list(kept.values()) == [0]
    # the system monitors keep 120 samples (a minute), not Dask's 7,200 (an hour, 1.9 MiB each)
    assert samples == [120, 120]
    assert dask.config.get("distributed.worker.profile.enabled") is True
    assert dask.config.get("distributed.admin.system-monitor.log-length") == 7200


def test_dask_driver_keeps_few_submitted_pages() -> None:
    """Dask's batched streams log their last messages, and those carry the tasks' pages: with Dask's
    default of 1,000 the driver kept thousands of pages it had long stored (104 → 152 MiB over the
    100k run). ``DRIVER_CONFIG`` keeps 100 messages, so only the last ~100 tasks' pages stay."""
    import dataclasses
    import gc
    import operator

    from litopys.dask_runner import ingest_on_dask
    from litopys.records import RawDoc
    from litopys.stages.ingest import iter_inputs

    seeds = list(iter_inputs([str(SEEDS)]))
    total = 2_000  # 500 tasks: more than the 100 messages kept, fewer than Dask's 1,000

    def todo() -> Iterator[tuple[RawDoc, int]]:  # made one by one, so only Dask can keep them
        for n in range(total):
            yield dataclasses.replace(seeds[n % len(seeds)], path=f"copy#{n}"), 1

    ids: list[str] = []
    held: list[int] = []

    def record(result: Any, size: int) -> None:
        ids.append(result)
        if len(ids) == total:
            gc.collect()
            held.append(
                sum(1 for o in gc.get_objects() if isinstance(o, RawDoc) and o.path.startswith("copy#"))
            )

    ingest_on_dask(todo(), record, operator.attrgetter("id"), workers=1)  # type: ignore[arg-type]
    assert ids == [seeds[n % len(seeds)].id for n in range(total)]
    # 100 messages of BATCH pages, plus the tasks in flight or not yet forgotten: 385-421 measured;
    # with Dask's default all 2,000 stay
    assert held[0] < total / 4, held
