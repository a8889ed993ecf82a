"""`make bench`, server part: latency of ``litopys serve`` under 50 concurrent clients.

Issue 7 acceptance: 50 concurrent clients on a 10,000-document store, on loopback, in a bounded run:
p95 < 100 ms for the web pages and the API reads, p95 < 300 ms for search, and no errors.

Method:

1. **Server**: ``litopys --db STORE serve --workers N`` itself in a subprocess (read-only: without
   ``LITOPYS_TOKEN``), on a free loopback port, with :data:`WORKERS` worker processes (``--workers
   1,2`` measures both): the application, its response cache, uvicorn and its HTTP stack exactly as
   a user runs them.
2. **URLs**, drawn from the store with a fixed seed, in three groups: *pages* (``/``, stories,
   events, entities, documents), *api* (lists, one of each kind, timeline, stats) and *search*
   (``/search`` and ``/api/search`` with the uk/ru/en names of the most mentioned entities and
   common uk/ru words). Each kind mixes the heaviest items (largest stories, most mentioned
   entities, most reported events: the pages visitors reach first and the slowest to render) with a
   uniform sample (mostly small items, the long tail).
3. **Check and warm-up**: every URL is fetched once, one at a time; each answer that is not 2xx/3xx
   is printed with its status. Such URLs leave the load (so a missing endpoint does not turn the
   whole run into a 404 benchmark) but fail the run unless ``--allow-missing``. Then a short
   untimed load over all URLs warms every worker (lemmatiser dictionaries, SQLite page cache,
   templates).
4. **Load**: one timed run per group, :data:`CLIENTS` connections (keep-alive, each sending its next
   request as soon as the last one is answered, no think time unless ``--think-ms``: the strict,
   saturating reading of "50 concurrent clients"), cycling through the group's URLs for
   :data:`SECONDS` seconds. The client is ``wrk`` (C: it leaves the CPU to the server, which matters
   on a 2-core machine; installed with apt-get when missing and we are root), else an asyncio +
   httpx client in this process (heavier: its own CPU use inflates the latencies it measures).
5. **Report** per group: URLs, requests, errors (non-2xx/3xx answers and socket errors or
   timeouts), requests/s and p50/p95/p99 latency, against the targets; exit status 1 when any
   target fails for any measured configuration.

Run: ``python -m bench.serve --db bench10k.db [--clients 50] [--seconds 20] [--workers 1,2]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

#: issue 7 targets: p95 latency in ms per group
TARGET_P95_MS = {"pages": 100.0, "api": 100.0, "search": 300.0}
#: issue 7: 50 concurrent clients
CLIENTS = 50
#: seconds of timed load per group: every URL of the group is requested several times even on a slow
#: server (hundreds of requests at 20 requests/s), and the whole run (check, warm-up, three groups)
#: stays under two minutes
SECONDS = 20
#: untimed load over all URLs before the timed runs, so that every worker has loaded its
#: dictionaries and filled its page cache
WARMUP_SECONDS = 3
#: server processes (``litopys serve --workers N``), as ``litopys serve`` runs by default (one).
#: Measured on the 2-core machine, 50 clients on /api/stats (answered from the response cache): with
#: uvicorn's pure-Python stack (h11, asyncio) two workers are far slower than one (1,136 against
#: 9,521 requests/s, 22 requests/s on one connection), because uvicorn binds the shared socket of
#: several workers without IPPROTO_TCP, so asyncio leaves Nagle's algorithm on and a response written
#: in two pieces waits for the delayed ACK (~40 ms). With httptools and uvloop (``uvicorn[standard]``,
#: a dependency of litopys, which sets TCP_NODELAY) two workers pay on cached answers: 42,930 against
#: 25,580 requests/s, 9,650 on one connection. But each worker has its own caches: summaries (up to
#: ~1 s of a core per story) are computed again in each, and a story page waits for its summary (up
#: to ``PAGE_WAIT``, not kept by the response cache meanwhile); after this bench's warm-up of a few
#: seconds the second worker is still computing them (pages p95 4.6-5.4 s: FAIL). With a warm-up of
#: 40 s two workers pass too, without a clear gain over one: pages 13,690 requests/s (one worker:
#: 14,450-15,370), api 9,310 (8,660-8,900), search 27,800 (18,100-19,100), p95 within 3 ms.
WORKERS = (1,)
#: ids sampled per kind (stories, events, entities, documents): half the heaviest, half at random
SAMPLE = 30
#: entities whose uk/ru/en names are searched and whose timelines are read
TOP_ENTITIES = 12
#: common words of the corpus topics, uk and ru (the same as bench.chronicle's search benchmark)
WORDS = ("угода", "газопровід", "вакцина", "пілот", "страйк", "сделка", "газопровод", "суд", "міністр")
SEED = 0
#: a request slower than this counts as an error (wrk's default of 2 s would hide slow answers
#: among the errors instead of in the latency)
TIMEOUT_S = 10
#: how long the server may take to start (imports, store migration check)
STARTUP_TIMEOUT_S = 90
#: wrk threads: one event loop drives 50 connections at tens of thousands of requests/s, far above
#: what the server answers, and leaves the second core to the server
WRK_THREADS = 1
GROUPS = ("pages", "api", "search")
ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------------------------- URLs


def _sample(rows: list[str], heavy: list[str], k: int, rng: random.Random) -> list[str]:
    """Up to ``k`` distinct ids: the first ``k // 2`` of ``heavy``, then a uniform sample of ``rows``."""
    chosen = list(dict.fromkeys(heavy[: k // 2]))
    taken = set(chosen)
    rest = [r for r in rows if r not in taken]
    chosen += rng.sample(rest, min(k - len(chosen), len(rest)))
    return chosen


def _column(db: sqlite3.Connection, sql: str) -> list[str]:
    try:
        return [str(r[0]) for r in db.execute(sql)]
    except sqlite3.OperationalError as exc:  # an older store without that table
        print(f"  note: {exc} ({sql[:60]}...)")
        return []


def build_urls(db_path: Path, *, sample: int = SAMPLE, seed: int = SEED) -> dict[str, list[str]]:
    """The URL paths of each group, drawn from the store (read-only) with a fixed seed."""
    rng = random.Random(seed)
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        documents = _column(db, "SELECT id FROM documents WHERE current = 1 ORDER BY rowid")
        heavy_documents = _column(
            db, "SELECT id FROM documents WHERE current = 1 ORDER BY length(text) DESC, rowid"
        )
        entities = _column(db, "SELECT id FROM entities ORDER BY id")
        heavy_entities = _column(db, "SELECT id FROM entities ORDER BY documents DESC, mentions DESC, id")
        events = _column(db, "SELECT id FROM events ORDER BY id")
        heavy_events = _column(db, "SELECT id FROM events ORDER BY sources DESC, id")
        stories = _column(db, "SELECT DISTINCT storyline FROM story_members ORDER BY 1")
        stories += _column(db, "SELECT DISTINCT event FROM story_members ORDER BY 1")
        heavy_stories = _column(
            db, "SELECT storyline FROM story_members GROUP BY storyline ORDER BY count(*) DESC, storyline"
        )
        top = db.execute(
            "SELECT name, names FROM entities ORDER BY documents DESC, mentions DESC, id LIMIT ?",
            (TOP_ENTITIES,),
        ).fetchall()
    finally:
        db.close()
    picked = {
        "documents": _sample(documents, heavy_documents, sample, rng),  # heaviest: the longest
        "entities": _sample(entities, heavy_entities, sample, rng),
        "events": _sample(events, heavy_events, sample, rng),
        "stories": _sample(stories, heavy_stories, sample, rng),
    }
    for kind, ids in picked.items():
        if not ids:
            print(f"  note: the store has no {kind}: their URLs are left out")
    names: list[str] = []
    for name, names_json in top:
        names.append(name)
        names += [n for n in json.loads(names_json or "{}").values() if n]
    queries = list(dict.fromkeys(names + list(WORDS)))
    timeline_names = [name for name, _ in top]

    def q(value: str) -> str:
        return quote(value, safe="")

    pages = ["/"]
    pages += [f"/stories/{q(i)}" for i in picked["stories"]]
    pages += [f"/events/{q(i)}" for i in picked["events"]]
    pages += [f"/entities/{q(i)}" for i in picked["entities"]]
    pages += [f"/documents/{q(i)}" for i in picked["documents"]]
    api = ["/api/stats", "/api/documents?limit=50", "/api/events?limit=50"]
    api += [f"/api/documents/{q(i)}" for i in picked["documents"]]
    api += [f"/api/entities/{q(i)}" for i in picked["entities"]]
    api += [f"/api/events/{q(i)}" for i in picked["events"]]
    api += [f"/api/stories/{q(i)}" for i in picked["stories"]]
    api += ["/api/timeline?" + urlencode({"entity": n}) for n in timeline_names]
    search = ["/search?" + urlencode({"q": text}) for text in queries]
    search += ["/api/search?" + urlencode({"q": text}) for text in queries]
    return {"pages": pages, "api": api, "search": search}


# -------------------------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


#: what :func:`get` returns when there is no HTTP status
TIMEOUT, SOCKET_ERROR = 0, -1


def label(status: int) -> str:
    return {TIMEOUT: f"no answer in {TIMEOUT_S} s", SOCKET_ERROR: "socket error"}.get(status, str(status))


def get(url: str, timeout: float = TIMEOUT_S) -> int:
    """The status of a GET, or :data:`TIMEOUT` / :data:`SOCKET_ERROR`; redirects are not followed (a
    3xx is an answer)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:
            response.read()
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        return exc.code
    except urllib.error.URLError as exc:
        return TIMEOUT if isinstance(exc.reason, TimeoutError) else SOCKET_ERROR
    except TimeoutError:
        return TIMEOUT
    except OSError:
        return SOCKET_ERROR


def stack() -> str:
    """uvicorn's HTTP parser and event loop, as it picks them ("auto": the C ones when installed)."""
    import importlib.util

    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"{http}, {loop}"


class Server:
    """``litopys --db STORE serve --workers N`` over one store, read-only, in a subprocess."""

    def __init__(self, db: Path, workers: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k not in ("LITOPYS_TOKEN", "LITOPYS_DB")}
        command = [
            sys.executable,
            "-m",
            "litopys.cli",
            "--db",
            str(db.resolve()),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
        ]
        # the server's output (tracebacks of 500s, uvicorn warnings) goes to a file, not between the tables
        self.log = Path(tempfile.mkstemp(prefix="litopys-bench-serve-", suffix=".log")[1])
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        started = time.monotonic()
        while get(self.base + "/api/stats", timeout=5) != 200:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with status {self.process.returncode}:\n{self.log_tail()}"
                )
            if time.monotonic() - started > STARTUP_TIMEOUT_S:
                self.stop()
                raise RuntimeError(f"the server did not answer /api/stats within {STARTUP_TIMEOUT_S} s")
            time.sleep(0.2)
        print(
            f"  server: litopys serve --workers {workers} on {self.base} ({stack()}), "
            f"up in {time.monotonic() - started:.1f} s"
        )

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.exists():
            return
        text = self.log.read_text(errors="replace")
        if text.strip():
            errors = text.count("Traceback (most recent call last)")
            print(f"  server log: {self.log} ({len(text.splitlines())} lines, {errors} tracebacks)")
        else:
            self.log.unlink()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def route(path: str) -> str:
    """The endpoint of a URL path: ``/entities/{id}``, ``/api/search?q=…``."""
    path, _, query = path.partition("?")
    parts = path.split("/")
    if len([p for p in parts if p and p != "api"]) >= 2:
        parts[-1] = "{id}"
    names = [pair.partition("=")[0] for pair in query.split("&") if pair]
    return "/".join(parts) + ("?" + "&".join(f"{n}=…" for n in names) if names else "")


def check(
    base: str, urls: dict[str, list[str]], *, verbose: bool = False
) -> tuple[dict[str, list[str]], list[tuple[int, str]]]:
    """Fetch every URL once, one at a time, and print per endpoint how many answered 2xx/3xx and how
    fast; returns the URLs that did per group, and the others with their status (:func:`get`)."""
    good: dict[str, list[str]] = {}
    bad: list[tuple[int, str]] = []
    print(
        f"  check: every URL once, one at a time\n    {'endpoint':<28} {'ok':>7} {'median ms':>9} {'max ms':>7}"
    )
    for group, paths in urls.items():
        good[group] = []
        by_route: dict[str, list[tuple[int, float]]] = {}
        for path in paths:
            started = time.perf_counter()
            status = get(base + path)
            by_route.setdefault(route(path), []).append((status, 1000 * (time.perf_counter() - started)))
            if 200 <= status < 400:
                good[group].append(path)
            else:
                bad.append((status, path))
                if verbose:
                    print(f"    {label(status)}: {path}")
        for name, answers in by_route.items():
            ok = sum(1 for status, _ in answers if 200 <= status < 400)
            times = sorted(ms for _, ms in answers)
            failed = Counter(label(status) for status, _ in answers if not 200 <= status < 400)
            note = (
                ("  not 2xx/3xx: " + ", ".join(f"{s} ×{n}" for s, n in sorted(failed.items())))
                if failed
                else ""
            )
            print(
                f"    {name:<28} {ok:>3}/{len(answers):<3} {times[len(times) // 2]:>9.0f} {times[-1]:>7.0f}{note}"
            )
    return good, bad


# ---------------------------------------------------------------------------------------------- load


@dataclass
class Result:
    group: str
    urls: int
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    socket_errors: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def passes(self) -> bool:
        return self.requests > 0 and self.errors == 0 and self.p95 < TARGET_P95_MS[self.group]


#: wrk script: cycles through the group's paths (each thread from its own offset), counts statuses
#: per thread and prints one JSON line from done() with the latency percentiles in microseconds
WRK_SCRIPT = """
local paths = {%(paths)s}
local think = %(think)d
local threads = {}

function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

function init(args)
  i = offset %% #paths
  statuses = {}
end

function request()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

if think > 0 then
  function delay()
    return math.random(0, 2 * think)
  end
end

function done(summary, latency, requests)
  local counts = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%%d": %%d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'LITOPYS-WRK {"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, "write": %%d, '
    .. '"status": %%d, "timeout": %%d, "p50": %%d, "p95": %%d, "p99": %%d, "statuses": {%%s}}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), table.concat(parts, ", ")))
end
"""


def find_wrk() -> str | None:
    """The wrk binary; installs Debian's package when missing and we are root (None when neither)."""
    found = shutil.which("wrk")
    if found or not shutil.which("apt-get") or os.geteuid() != 0:
        return found
    print("  wrk is missing: apt-get install -y -qq wrk")
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    # a second try after refreshing the package lists, when they were missing or stale
    for commands in ([install], [["apt-get", "update", "-qq"], install]):
        for command in commands:
            try:
                subprocess.run(command, check=False, capture_output=True, timeout=300)
            except (OSError, subprocess.TimeoutExpired):
                return None
        if shutil.which("wrk"):
            break
    return shutil.which("wrk")


def run_wrk(
    wrk: str, base: str, group: str, paths: list[str], clients: int, seconds: float, think_ms: int
) -> Result:
    """``clients`` wrk connections cycling through ``paths`` for ``seconds``; latency from wrk's histogram."""
    for path in paths:  # the paths go into a Lua string literal: percent-encoded ASCII only
        if not path.isascii() or any(c in path for c in '"\\\n'):
            raise ValueError(f"unexpected character in {path!r}")
    script = WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths), "think": think_ms}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="litopys-bench-") as lua:
        lua.write(script)
        lua.flush()
        command = [
            wrk,
            f"-t{min(WRK_THREADS, clients)}",
            f"-c{clients}",
            f"-d{max(1, round(seconds))}s",
            f"--timeout={TIMEOUT_S}s",
            "-s",
            lua.name,
            base,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("LITOPYS-WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("LITOPYS-WRK "))
    sockets = {k: int(data[k]) for k in ("connect", "read", "write", "timeout") if data[k]}
    return Result(
        group=group,
        urls=len(paths),
        requests=int(data["requests"]),
        errors=int(data["status"]) + sum(sockets.values()),
        seconds=data["duration_us"] / 1e6,
        p50=data["p50"] / 1000,
        p95=data["p95"] / 1000,
        p99=data["p99"] / 1000,
        statuses={str(k): int(v) for k, v in sorted(data["statuses"].items())},
        socket_errors=sockets,
    )


def run_httpx(base: str, group: str, paths: list[str], clients: int, seconds: float, think_ms: int) -> Result:
    """The fallback client: ``clients`` asyncio tasks on one httpx connection pool."""
    import httpx

    times: list[float] = []
    statuses: Counter[str] = Counter()
    sockets: Counter[str] = Counter()

    async def client(offset: int, deadline: float, http: httpx.AsyncClient) -> None:
        i = offset
        rng = random.Random(offset)
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                response = await http.get(path)
                await response.aread()
            except httpx.TimeoutException:
                sockets["timeout"] += 1
                continue
            except httpx.HTTPError:
                sockets["read"] += 1
                continue
            times.append(1000 * (time.perf_counter() - started))
            statuses[str(response.status_code)] += 1
            if think_ms:
                await asyncio.sleep(rng.uniform(0, 2 * think_ms) / 1000)

    async def main() -> float:
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=TIMEOUT_S) as http:
            started = time.perf_counter()
            deadline = started + seconds
            await asyncio.gather(*(client(n * 7919, deadline, http) for n in range(clients)))
            return time.perf_counter() - started

    elapsed = asyncio.run(main())
    times.sort()

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(p / 100 * len(times)))] if times else 0.0

    bad = sum(n for s, n in statuses.items() if not 200 <= int(s) < 400)
    return Result(
        group=group,
        urls=len(paths),
        requests=len(times) + sum(sockets.values()),
        errors=bad + sum(sockets.values()),
        seconds=elapsed,
        p50=pct(50),
        p95=pct(95),
        p99=pct(99),
        statuses=dict(sorted(statuses.items())),
        socket_errors=dict(sockets),
    )


# ---------------------------------------------------------------------------------------------- main


def measure(
    db: Path,
    urls: dict[str, list[str]],
    workers: int,
    clients: int,
    seconds: float,
    think_ms: int,
    wrk: str | None,
    verbose: bool = False,
) -> tuple[list[Result], list[tuple[int, str]]]:
    """Start a server with ``workers`` workers, check, warm up and load it; the results per group."""
    with Server(db, workers) as server:
        good, bad = check(server.base, urls, verbose=verbose)

        def load(group: str, paths: list[str], duration: float) -> Result:
            if wrk:
                return run_wrk(wrk, server.base, group, paths, clients, duration, think_ms)
            return run_httpx(server.base, group, paths, clients, duration, think_ms)

        everything = [p for g in GROUPS for p in good.get(g, [])]
        if everything:
            warm = load("pages", everything, WARMUP_SECONDS)
            print(
                f"  warm-up: {warm.requests} requests over all {len(everything)} URLs in {warm.seconds:.1f} s"
            )
        results = []
        for group in GROUPS:
            paths = good.get(group, [])
            if not paths:
                print(f"  {group}: no URL answers: not measured")
                results.append(Result(group=group, urls=0))
                continue
            results.append(load(group, paths, seconds))
    return results, bad


def report(
    results: list[Result], workers: int, clients: int, seconds: float, think_ms: int, client: str
) -> bool:
    """Print the table of one configuration; True when every group meets its target."""
    pause = f"pauses of {think_ms} ms on average" if think_ms else "no pause between requests"
    print(
        f"\nserve: {workers} worker(s), {clients} clients ({pause}), {seconds:.0f} s per group, "
        f"client {client}"
    )
    print(
        f"  {'group':<7} {'urls':>5} {'requests':>9} {'errors':>6} {'req/s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  target p95"
    )
    ok = True
    for r in results:
        verdict = "ok" if r.passes() else "FAIL"
        ok = ok and r.passes()
        print(
            f"  {r.group:<7} {r.urls:>5} {r.requests:>9} {r.errors:>6} {r.rate:>7.0f} "
            f"{r.p50:>7.1f} {r.p95:>7.1f} {r.p99:>7.1f}  < {TARGET_P95_MS[r.group]:.0f} ms {verdict}"
        )
        if r.errors:
            print(f"          statuses {r.statuses}, socket errors {r.socket_errors}")
    if not think_ms:  # Little's law: clients = throughput × mean latency when nobody pauses
        needed = ", ".join(f"{g} {clients / (TARGET_P95_MS[g] / 1000):.0f}" for g in GROUPS)
        print(
            f"  (without pauses the mean latency is {clients} clients / throughput: a mean under the p95 "
            f"target needs more than {needed} requests/s)"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, required=True, help="the store to serve (read only)")
    parser.add_argument("--clients", type=int, default=CLIENTS, help="concurrent connections")
    parser.add_argument("--seconds", type=float, default=SECONDS, help="timed load per group")
    parser.add_argument(
        "--workers",
        default=",".join(map(str, WORKERS)),
        help="server processes (litopys serve --workers); a comma-separated list measures each in turn (e.g. 1,2)",
    )
    parser.add_argument(
        "--think-ms",
        type=int,
        default=0,
        help="mean pause of a client between requests (0: none, saturating)",
    )
    parser.add_argument("--verbose", action="store_true", help="list every URL that does not answer 2xx/3xx")
    parser.add_argument("--client", choices=("auto", "wrk", "httpx"), default="auto", help="load generator")
    parser.add_argument(
        "--allow-missing", action="store_true", help="URLs that do not answer 2xx/3xx do not fail the run"
    )
    args = parser.parse_args()
    if not args.db.is_file():
        print(f"bench.serve: no store at {args.db}", file=sys.stderr)
        return 2
    workers = [int(w) for w in str(args.workers).split(",") if w.strip()]
    wrk = None if args.client == "httpx" else find_wrk()
    if args.client == "wrk" and not wrk:
        print("bench.serve: wrk is not installed", file=sys.stderr)
        return 2
    client = f"wrk ({WRK_THREADS} thread)" if wrk else "httpx (asyncio, in this process)"
    print(f"serve: store {args.db}")
    load = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    busy = "  (busy: the latencies include other work's)" if load > 0.5 * cores else ""
    print(f"  machine: {cores} cores, load average {load:.2f} before the run{busy}")
    urls = build_urls(args.db)
    print("  URLs: " + ", ".join(f"{g} {len(p)}" for g, p in urls.items()))
    ok = True
    for n in workers:
        try:
            results, bad = measure(
                args.db, urls, n, args.clients, args.seconds, args.think_ms, wrk, args.verbose
            )
        except RuntimeError as exc:  # the server did not start, or wrk failed
            print(f"bench.serve: {exc}", file=sys.stderr)
            return 2
        ok = report(results, n, args.clients, args.seconds, args.think_ms, client) and ok
        if bad:
            print(
                f"  {len(bad)} URL(s) did not answer 2xx/3xx (see the check above; --verbose lists them)"
                + ("" if args.allow_missing else ": FAIL")
            )
            ok = ok and args.allow_missing
    print(f"\nserve: {'all targets met' if ok else 'TARGETS MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
