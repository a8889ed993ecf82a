"""The ordered stages and a local runner.

Per-document stages are pure functions ``Article -> Article`` over picklable records, so the same
functions run in this process, in a process pool, or on Dask workers. The runner streams:
it holds one document at a time per worker, whatever the corpus size, and commits each document
on its own, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import collections
import functools
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from os import PathLike

from litopys import search
from litopys.errors import LitopysError
from litopys.records import Article, RawDoc, Rejected
from litopys.stages import stories as story_stage
from litopys.stages import timeline
from litopys.stages.clean import clean
from litopys.stages.dedup import fingerprint
from litopys.stages.entities import relink
from litopys.stages.events import extract
from litopys.stages.ingest import iter_inputs_with_bytes, parse
from litopys.stages.known_names import recognize_known
from litopys.stages.language import identify
from litopys.stages.linking import resolve_document
from litopys.stages.names import normalize
from litopys.stages.ner import recognize
from litopys.stages.nlp import analyse
from litopys.store import IngestOutcome, Store

Stage = Callable[[Article], Article]

#: the per-document stages after ``parse``, in order
STAGES: tuple[Stage, ...] = (
    clean,
    identify,
    analyse,
    recognize,
    recognize_known,
    normalize,
    resolve_document,
    extract,
    fingerprint,
)


#: the foundation's stages only (no entities): `litopys ingest --no-entities`, and what the
#: foundation's speed target (200 documents/s on one core, `make bench`) measures
FOUNDATION_STAGES: tuple[Stage, ...] = STAGES[:3]


def process(raw: RawDoc, /, *, stages: Sequence[Stage] = STAGES) -> Article | Rejected:
    """Run the per-document stages on one input; a bad input comes back as ``Rejected``."""
    try:
        article = parse(raw)
        for stage in stages:
            article = stage(article)
        return article
    except LitopysError as error:
        return Rejected(path=raw.path, reason=error.reason, id=raw.id)
    except Exception as error:  # one broken document must never stop the batch
        internal = LitopysError("E190", f"{type(error).__name__}: {error}")
        return Rejected(path=raw.path, reason=internal.reason, id=raw.id)


@dataclass
class IngestReport:
    """What an ingest did: counts, and every rejected input with its reason."""

    ingested: int = 0
    new_versions: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    #: entities after linking (None when linking did not run: nothing new was ingested)
    entities: int | None = None
    #: what the stories reduce step did (None when it did not run)
    stories: story_stage.StoryReport | None = None
    #: canonical events after the timeline reduce step (None when it did not run)
    events: int | None = None

    @property
    def seen(self) -> int:
        return self.ingested + self.new_versions + self.unchanged + len(self.rejected)


def ingest(
    paths: Iterable[str | PathLike[str]],
    *,
    store: Store,
    workers: int = 1,
    on_item: Callable[[int], None] | None = None,
    link: bool = True,
    stories: bool = True,
    stages: Sequence[Stage] = STAGES,
    dask: bool = False,
    scheduler: str | None = None,
) -> IngestReport:
    """Ingest files and folders into ``store``; see the README for the input formats.

    ``on_item(nbytes)`` is called once per input item with the input bytes it stood for (their
    sum is :func:`litopys.stages.ingest.input_size`), for progress bars. Inputs already in the
    store (same content hash) are skipped before any processing, which makes re-ingest cheap.
    When anything new was stored and ``link`` is true, the entities of the whole store are
    re-linked at the end (the corpus-wide reduce step), and when ``stories`` is true the new
    documents are placed in duplicates, event clusters and storylines (:mod:`litopys.stages.stories`).

    With ``dask`` the per-document stages run on a Dask LocalCluster of ``workers`` processes, with
    ``scheduler`` (an address such as ``tcp://host:8786``) on an existing Dask cluster; either way
    the results are stored here, in input order, so the store equals a local run's
    (:mod:`litopys.dask_runner`).
    """
    report = IngestReport()
    store_inputs(
        iter_inputs_with_bytes(paths),
        store=store,
        report=report,
        workers=workers,
        on_item=on_item,
        stages=stages,
        dask=dask,
        scheduler=scheduler,
    )
    reduce(store, report, link=link, stories=stories)
    return report


def store_inputs(
    items: Iterable[tuple[RawDoc | Rejected, int]],
    *,
    store: Store,
    report: IngestReport,
    workers: int = 1,
    on_item: Callable[[int], None] | None = None,
    on_result: Callable[[str, IngestOutcome | Rejected], None] | None = None,
    stages: Sequence[Stage] = STAGES,
    dask: bool = False,
    scheduler: str | None = None,
) -> None:
    """The map half of every ingest (files, feeds): each input not in the store yet goes through
    the per-document stages (here, in a pool of ``workers`` processes, or on Dask) and its result
    is stored in input order by this process, the single writer; ``report`` counts what happened.

    ``items`` are inputs with the number of input bytes each stands for (for ``on_item``); a
    :class:`~litopys.records.Rejected` item is recorded as rejected. ``on_result(path, outcome)``
    is told what became of each input: its :class:`~litopys.store.IngestOutcome` or its rejection.
    The reduce steps are not run: :func:`reduce` does, once the inputs of a run are stored."""
    progress = on_item or (lambda nbytes: None)
    told = on_result or (lambda path, outcome: None)

    def reject(rejected: Rejected, nbytes: int) -> None:
        store.reject(rejected)
        report.rejected.append(rejected)
        told(rejected.path, rejected)
        progress(nbytes)

    def todo() -> Iterator[tuple[RawDoc, int]]:
        for item, nbytes in items:
            if isinstance(item, Rejected):
                reject(item, nbytes)
            elif store.has(item.id):
                report.unchanged += 1
                told(item.path, IngestOutcome.UNCHANGED)
                progress(nbytes)
            else:
                yield item, nbytes

    def record(result: Article | Rejected, nbytes: int) -> None:
        if isinstance(result, Rejected):
            reject(result, nbytes)
            return
        outcome = store.add(result)
        if outcome is IngestOutcome.INGESTED:
            report.ingested += 1
        elif outcome is IngestOutcome.NEW_VERSION:
            report.new_versions += 1
        else:
            report.unchanged += 1
        told(result.path, outcome)
        progress(nbytes)

    run = functools.partial(process, stages=tuple(stages))
    if dask or scheduler is not None:
        from litopys.dask_runner import ingest_on_dask

        ingest_on_dask(todo(), record, run, workers=workers, scheduler=scheduler)
    elif workers <= 1:
        for raw, nbytes in todo():
            record(run(raw), nbytes)
    else:
        _ingest_in_pool(todo(), record, run, workers=workers)


def reduce(store: Store, report: IngestReport, *, link: bool = True, stories: bool = True) -> None:
    """The corpus-wide reduce steps after new documents were stored (any input path: files, feeds),
    in their order; fills ``report``'s entities, stories and events. Nothing new: nothing runs."""
    if not (report.ingested or report.new_versions):
        return
    if link:
        report.entities = relink(store)  # the reduce step of the entities stage
    if stories:
        report.stories = story_stage.update(store)  # the reduce step of the stories stage
    if link:
        report.events = timeline.rebuild(store)  # canonical events need entities and event clusters
        search.refresh(store)  # entity names for cross-lingual search follow the new linking


@dataclass(frozen=True, slots=True)
class DecisionReport:
    """What a reviewed decision did: entities after re-linking, canonical events after rebuilding, and
    whether A and B now name one entity (merge) or different ones (split)."""

    entities: int
    events: int
    applied: bool


def decide(store: Store, *, kind: str, a: str, b: str) -> DecisionReport:
    """Record a reviewed merge/split decision on names or ids ``a`` and ``b`` and apply it: re-link the
    entities, then rebuild what refers to entity ids (canonical events, search names)."""
    from litopys.store.entities import add_decision, find_entity

    add_decision(store, kind, a, b)
    entities = relink(store)
    events = timeline.rebuild(store)
    search.refresh(store)
    ids_a, ids_b = ({e["id"] for e in find_entity(store, name)} for name in (a, b))
    together = bool(ids_a & ids_b)
    return DecisionReport(entities, events, together if kind == "merge" else not together)


def _ingest_in_pool(
    todo: Iterator[tuple[RawDoc, int]],
    record: Callable[[Article | Rejected, int], None],
    run: Callable[[RawDoc], Article | Rejected],
    *,
    workers: int,
) -> None:
    # Pool.imap reads its input as fast as it can; the semaphore keeps at most `window` documents
    # in flight, so memory stays flat whatever the corpus size.
    window = threading.BoundedSemaphore(workers * 8)
    in_flight: collections.deque[int] = collections.deque()

    def feed() -> Iterator[RawDoc]:
        for raw, nbytes in todo:
            window.acquire()
            in_flight.append(nbytes)
            yield raw

    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        for result in pool.imap(run, feed(), chunksize=1):
            record(result, in_flight.popleft())
            window.release()
