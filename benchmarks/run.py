"""``make bench``: run the benchmarks at each size of ``BENCH_SIZES``, write ``.benchmarks/ratios.json``, print it.

Each size runs in a pytest process of its own (``BENCH_SIZES=<size>``), so that one size's data is
gone before the next is generated and each size's time is its own. ``BENCH_SELECT`` passes a
pytest ``-k`` expression (``BENCH_SELECT="query or memory"`` for a quick 1M run). Goals are
reported, never asserted: a missed goal is a row marked ``NO``, and the exit status is non-zero
only when a benchmark itself failed. Without a reachable PostgreSQL server its rows are skipped.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

from benchmarks.measure import bench_sizes
from benchmarks.stores import PG_HOST, PG_PORT, PostgresServer, postgres_problem

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / ".benchmarks"
KEPT = OUTPUT / "stores"
DEFAULT_SIZES = "10000,100000"
FLAT_BASE_SIZE = 10_000
FOLD_GOAL_SIZE = 1_000_000
MEMORY_BUDGET_MB = 300.0
GOALS = {
    "ingest": 0.5,
    "replay": 0.25,
    "floor": 0.6,
    "same-answer": 0.5,
    "fold": 20.0,
    "flat": 0.67,
    "memory": 1.0,
    "network": 0.5,
}
NETWORK_BUDGET_MS = 50.0


@attrs.frozen(kw_only=True)
class Figure:
    """One row of ratios.json: a figure of ours beside its baseline, and the least acceptable ratio."""

    name: str
    size: int
    store: str
    ours: float | None
    baseline: float | None
    ratio: float | None
    goal: float | None
    unit: str

    @property
    def met(self) -> bool | None:
        if self.goal is None or self.ratio is None:
            return None
        return self.ratio >= self.goal

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class SizeRun:
    """What one size's pytest process produced."""

    size: int
    entries: list[dict[str, Any]]
    seconds: float
    returncode: int


def main() -> int:
    sizes = sorted(set(bench_sizes_from_env()))
    OUTPUT.mkdir(exist_ok=True)
    problem = postgres_problem()
    if problem is not None:
        print(f"PostgreSQL rows skipped: no server at {PG_HOST}:{PG_PORT}: {problem}", flush=True)
    machine = machine_info(postgres=problem is None)
    (OUTPUT / "machine.json").write_text(json.dumps(machine, indent=2) + "\n")
    shutil.rmtree(KEPT, ignore_errors=True)
    runs: list[SizeRun] = []
    flat: dict[int, float] = {}
    for size in sizes:
        print(f"\n=== {size:,} facts ===", flush=True)
        runs.append(run_size(size, postgres=problem is None))
        write(collect(runs, flat))
    if len(sizes) > 1:
        print("\n=== as-of query at every size, in turn ===", flush=True)
        flat = interleaved()
    shutil.rmtree(KEPT, ignore_errors=True)
    figures = collect(runs, flat)
    write(figures)
    print()
    print(describe_machine(machine))
    print(table(figures))
    for run in runs:
        if run.returncode != 0:
            print(f"the benchmarks at {run.size:,} facts exited with status {run.returncode}; see the output above")
    print(f"\nwritten: {OUTPUT / 'ratios.json'}")
    return 0 if all(run.returncode == 0 for run in runs) else 1


def write(figures: Sequence[Figure]) -> None:
    (OUTPUT / "ratios.json").write_text(json.dumps([figure.to_json() for figure in figures], indent=2) + "\n")


def interleaved() -> dict[int, float]:
    """The as-of latency of every kept size, measured in one process in turn (see benchmarks.flat)."""
    command = [sys.executable, "-m", "benchmarks.flat", str(KEPT)]
    completed = subprocess.run(command, cwd=ROOT, check=False, capture_output=True, text=True)
    if completed.returncode != 0:
        print(f"the interleaved as-of measurement failed:\n{completed.stderr}", flush=True)
        return {}
    latencies = {int(size): float(ms) for size, ms in json.loads(completed.stdout.splitlines()[-1]).items()}
    print(", ".join(f"{size:,}: {ms:.3f} ms" for size, ms in sorted(latencies.items())), flush=True)
    return latencies


def bench_sizes_from_env() -> list[int]:
    os.environ.setdefault("BENCH_SIZES", DEFAULT_SIZES)
    return bench_sizes()


def run_size(size: int, *, postgres: bool) -> SizeRun:
    """One pytest process over the benchmarks at one size; its pytest-benchmark JSON entries."""
    report = OUTPUT / f"pytest-{size}.json"
    report.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(ROOT / "benchmarks"),
        "-o",
        "python_files=bench_*.py",
        "-o",
        "python_functions=bench_*",
        "-q",
        "--benchmark-group-by=group",
        "--benchmark-columns=median,min,max,rounds",
        f"--benchmark-json={report}",
    ]
    if os.environ.get("BENCH_SELECT"):
        command += ["-k", os.environ["BENCH_SELECT"]]
    env = {**os.environ, "BENCH_SIZES": str(size), "BENCH_KEEP_STORES": str(KEPT)}
    if not postgres:
        env["BENCH_POSTGRES"] = "0"
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, env=env, check=False)
    seconds = time.perf_counter() - started
    entries = json.loads(report.read_text())["benchmarks"] if report.exists() else []
    return SizeRun(size=size, entries=entries, seconds=seconds, returncode=completed.returncode)


# Figures


def value(entry: dict[str, Any]) -> float:
    """The figure of one measurement in its unit: events/s, ms per query, or peak MB."""
    info = entry["extra_info"]
    median = float(entry["stats"]["median"])
    if info["unit"] == "events/s":
        return float(info["count"]) / median
    if info["unit"] == "ms/query":
        return median / float(info["count"]) * 1000
    return float(info["peak_mb"])


def collect(runs: Sequence[SizeRun], interleaved: dict[int, float]) -> list[Figure]:
    figures: list[Figure] = []
    for run in runs:
        figures.extend(size_figures(run))
    figures.extend(flatness(runs, interleaved))
    figures.extend(network_growth(runs))
    for run in runs:
        figures.extend(timings(run))
    return figures


def size_figures(run: SizeRun) -> list[Figure]:
    found = {
        (entry["extra_info"]["measure"], entry["extra_info"]["store"], entry["extra_info"]["side"]): entry
        for entry in run.entries
    }
    figures: list[Figure] = []

    def pair(measure: str, store: str, side: str, name: str, goal: float | None, *, latency: bool) -> None:
        ours_entry, base_entry = found.get((measure, store, "ours")), found.get((measure, store, side))
        if ours_entry is None or base_entry is None:
            return
        ours, base = value(ours_entry), value(base_entry)
        ratio = base / ours if latency else ours / base
        unit = ours_entry["extra_info"]["unit"]
        figures.append(
            Figure(name=name, size=run.size, store=store, ours=ours, baseline=base, ratio=ratio, goal=goal, unit=unit)
        )

    for store in ("sqlite", "postgresql"):
        pair("ingest", store, "raw", "ingest vs raw executemany", GOALS["ingest"], latency=False)
        pair("replay", store, "raw", "full replay vs raw read + orjson.loads", GOALS["replay"], latency=False)
        pair(
            "replay",
            store,
            "floor",
            "full replay vs its floor (raw read + rows by plain SQL)",
            GOALS["floor"],
            latency=False,
        )
    pair(
        "as-of query",
        "sqlite",
        "same-answer",
        "as-of query vs same-answer SQL peer",
        GOALS["same-answer"],
        latency=True,
    )
    pair("as-of query", "sqlite", "handwritten", "as-of query vs seven-column SQL peer", None, latency=True)
    fold_goal = GOALS["fold"] if run.size == FOLD_GOAL_SIZE else None
    pair("as-of query", "sqlite", "fold", "as-of query vs fold over the log", fold_goal, latency=True)
    memory = found.get(("replay memory", "sqlite", "ours"))
    if memory is not None:
        peak = value(memory)
        figures.append(
            Figure(
                name=f"replay peak memory vs {MEMORY_BUDGET_MB:.0f} MB budget",
                size=run.size,
                store="sqlite",
                ours=peak,
                baseline=MEMORY_BUDGET_MB,
                ratio=MEMORY_BUDGET_MB / peak,
                goal=GOALS["memory"],
                unit="MB",
            )
        )
        pair("replay memory", "sqlite", "raw", "replay peak memory vs raw read", None, latency=True)
    figures.extend(network_figures(run, found))
    return figures


def network_figures(run: SizeRun, found: dict[tuple[str, str, str], dict[str, Any]]) -> list[Figure]:
    """The network on a date beside the hand-written valid-time table and the 50 ms budget of a slider move;
    the first question after a write (which folds every pair) is reported without a goal."""
    figures: list[Figure] = []
    ours, hand = (
        found.get(("network on a date", "sqlite", "ours")),
        found.get(("network on a date", "sqlite", "handwritten")),
    )
    if ours is not None and hand is not None:
        mine, theirs = value(ours), value(hand)
        figures.append(
            Figure(
                name="network on a date vs hand-written valid-time table",
                size=run.size,
                store="sqlite",
                ours=mine,
                baseline=theirs,
                ratio=theirs / mine,
                goal=GOALS["network"],
                unit="ms/query",
            )
        )
    if ours is not None:
        mine = value(ours)
        figures.append(
            Figure(
                name=f"network on a date vs {NETWORK_BUDGET_MS:.0f} ms budget",
                size=run.size,
                store="sqlite",
                ours=mine,
                baseline=NETWORK_BUDGET_MS,
                ratio=NETWORK_BUDGET_MS / mine,
                goal=1.0,
                unit="ms/query",
            )
        )
    cold = found.get(("network, first after start-up", "sqlite", "ours"))
    if cold is not None:
        figures.append(
            Figure(
                name="network, first after start-up or a rebuild (folds every pair)",
                size=run.size,
                store="sqlite",
                ours=value(cold),
                baseline=None,
                ratio=None,
                goal=None,
                unit="ms/query",
            )
        )
    return figures


def flatness(runs: Sequence[SizeRun], interleaved: dict[int, float]) -> list[Figure]:
    """As-of latency at 10k (else the smallest size) over the latency at each larger size: measured in turn in
    one process when it could be, else taken from each size's own run."""
    latencies = dict(interleaved)
    how = "in turn"
    if len(latencies) < 2:
        how = "separate runs"
        for run in runs:
            for entry in run.entries:
                info = entry["extra_info"]
                if (info["measure"], info["side"]) == ("as-of query", "ours"):
                    latencies[run.size] = value(entry)
    base = FLAT_BASE_SIZE if FLAT_BASE_SIZE in latencies else min(latencies, default=0)
    return [
        Figure(
            name=f"as-of query flat in N ({base:,} vs {size:,}, {how})",
            size=size,
            store="sqlite",
            ours=latencies[size],
            baseline=latencies[base],
            ratio=latencies[base] / latencies[size],
            goal=GOALS["flat"],
            unit="ms/query",
        )
        for size in sorted(latencies)
        if size > base
    ]


def network_growth(runs: Sequence[SizeRun]) -> list[Figure]:
    """The network's latency at 10k (else the smallest size) over its latency at each larger size, from each size's
    own run. No goal: the answer itself grows with the number of pairs (about size / 25)."""
    latencies = {
        run.size: value(entry)
        for run in runs
        for entry in run.entries
        if (entry["extra_info"]["measure"], entry["extra_info"]["side"]) == ("network on a date", "ours")
    }
    base = FLAT_BASE_SIZE if FLAT_BASE_SIZE in latencies else min(latencies, default=0)
    return [
        Figure(
            name=f"network on a date, {base:,} vs {size:,} (answer grows with the pairs)",
            size=size,
            store="sqlite",
            ours=latencies[size],
            baseline=latencies[base],
            ratio=latencies[base] / latencies[size],
            goal=None,
            unit="ms/query",
        )
        for size in sorted(latencies)
        if size > base
    ]


def timings(run: SizeRun) -> list[Figure]:
    """How long the size took: generating its facts, preparing its stores, and the whole run."""
    figures = [
        Figure(
            name="time: whole run (generate, prepare, measure)",
            size=run.size,
            store="-",
            ours=run.seconds,
            baseline=None,
            ratio=None,
            goal=None,
            unit="s",
        )
    ]
    generated = [entry["extra_info"].get("generate_seconds") for entry in run.entries]
    if any(seconds is not None for seconds in generated):
        seconds = next(seconds for seconds in generated if seconds is not None)
        figures.append(_timing("time: generate the facts", run.size, "-", seconds))
    prepared: dict[str, float] = {}
    for entry in run.entries:
        info = entry["extra_info"]
        if "prepare_seconds" in info:
            prepared[info["store"]] = info["prepare_seconds"]
    figures.extend(_timing("time: prepare the stores", run.size, store, seconds) for store, seconds in prepared.items())
    return figures


def _timing(name: str, size: int, store: str, seconds: float) -> Figure:
    return Figure(name=name, size=size, store=store, ours=seconds, baseline=None, ratio=None, goal=None, unit="s")


# Printing


def number(figure: float | None, unit: str) -> str:
    if figure is None:
        return "-"
    if unit == "events/s":
        return f"{figure:,.0f}/s"
    if unit == "ms/query":
        return f"{figure:.3f} ms" if figure < 100 else f"{figure:,.0f} ms"
    if unit == "MB":
        return f"{figure:.1f} MB"
    return f"{figure:.1f} s"


def ratio_text(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    return f"{ratio:.3f}" if ratio < 10 else f"{ratio:,.0f}"


def table(figures: Sequence[Figure]) -> str:
    header = ("name", "size", "store", "ours", "baseline", "ratio", "goal", "met?")
    rows = [header]
    for figure in figures:
        met = figure.met
        rows.append(
            (
                figure.name,
                f"{figure.size:,}",
                figure.store,
                number(figure.ours, figure.unit),
                number(figure.baseline, figure.unit),
                ratio_text(figure.ratio),
                "-" if figure.goal is None else f"{figure.goal:g}",
                "-" if met is None else "yes" if met else "NO",
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            cell.ljust(width) if column < 3 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells))
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def machine_info(*, postgres: bool) -> dict[str, Any]:
    """What the figures ran on, for the README."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": PostgresServer().version() if postgres else None,
    }


def describe_machine(machine: dict[str, Any]) -> str:
    postgres = machine["postgresql"] or "not reachable"
    return (
        f"{machine['date']} on {machine['cpu']} ({machine['cores']} cores, {machine['memory_gb']} GB), "
        f"{machine['system']}, Python {machine['python']}, SQLite {machine['sqlite']}, PostgreSQL {postgres}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
