"""Measure reach on generated estates: json.load, audit, a cold `reach can`, warm queries, scaling."""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
REACH = [sys.executable, "-m", "reach"]

_LOAD = """import json, resource, sys, time
t = time.perf_counter()
with open(sys.argv[1], 'rb') as f:
    json.load(f)
print(time.perf_counter() - t)
"""


def timed(cmd: list[str], *, stdout=subprocess.DEVNULL) -> tuple[float, float, int]:
    """Run a command; return wall seconds, its own peak RSS in MiB (wait4) and its exit status."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()}")
    proc.stderr.close()
    return wall, usage.ru_maxrss / 1024, proc.returncode


def generate(size: str, seed: int, functions: int | None = None) -> Path:
    name = f"{size}-{seed}" + (f"-f{functions}" if functions else "") + ".json"
    path = OUT / name
    if not path.exists():
        cmd = [sys.executable, str(HERE / "generate.py"), "--size", size, "--seed", str(seed), "-o", str(path)]
        if functions:
            cmd += ["--functions", str(functions)]
        subprocess.run(cmd, check=True, cwd=ROOT)
    return path


def json_load(path: Path, repeat: int) -> tuple[float, float]:
    """The fastest of `repeat` plain json.load runs (fresh interpreter each), and peak RSS."""
    runs = []
    for _ in range(repeat):
        proc = subprocess.Popen([sys.executable, "-c", _LOAD, str(path)], stdout=subprocess.PIPE)
        _, _, usage = os.wait4(proc.pid, 0)
        runs.append((float(proc.stdout.read()), usage.ru_maxrss / 1024))
        proc.stdout.close()
    return min(r[0] for r in runs), max(r[1] for r in runs)


def warm_queries(path: Path, n: int, seed: int) -> dict[str, float]:
    """Latency of can_reach through the library, indexes built: every cache emptied before each
    question (each one's own work), then the same questions once their answers are cached."""
    sys.path.insert(0, str(ROOT))
    from reach import can_reach, load_snapshot
    from reach.engine.query import vpc_of
    from reach.estate import Estate
    from reach.questions.audit import Connections, select_functions
    snap = load_snapshot(path)
    estate = Estate.of(snap)
    links = Connections(estate)
    rng = random.Random(seed)
    fns = select_functions(estate, snap, None)
    asks = []
    for fn, source in rng.sample(fns, min(n, len(fns))):
        targets = ["internet", "dynamodb", "s3"] + [f"rds:{i}" for i in links.databases_for(vpc_of(estate, fn))]
        asks.append((source, rng.choice(targets)))
    cold, warm = [], []
    for source, target in asks:
        estate.memo["paths"].clear()
        estate.memo["destinations"].clear()
        t = time.perf_counter()
        can_reach(snap, source, target)
        cold.append(time.perf_counter() - t)
    for source, target in asks:  # fill the caches
        can_reach(snap, source, target)
    for source, target in asks:
        t = time.perf_counter()
        can_reach(snap, source, target)
        warm.append(time.perf_counter() - t)
    q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(p * len(xs)))] * 1000
    return {"uncached_p50_ms": q(cold, 0.5), "uncached_p99_ms": q(cold, 0.99),
            "cached_p50_ms": q(warm, 0.5), "cached_p99_ms": q(warm, 0.99), "questions": len(asks)}


def audit_in_process(path: Path) -> tuple[float, int]:
    """Seconds of audit() alone (the snapshot already loaded), and the number of answers."""
    code = ("import sys, time; sys.path.insert(0, sys.argv[2]);"
            "from reach import load_snapshot; from reach.questions.audit import audit;"
            "s = load_snapshot(sys.argv[1]); t = time.perf_counter(); r = audit(s);"
            "print(time.perf_counter() - t, len(r.results))")
    out = subprocess.run([sys.executable, "-c", code, str(path), str(ROOT)], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1])


def profile(size: str, seed: int, top: int = 30) -> Path:
    """cProfile of audit() alone on one estate; the top entries by own and cumulative time."""
    import cProfile
    import io
    import pstats
    sys.path.insert(0, str(ROOT))
    from reach import load_snapshot
    from reach.estate import Estate
    from reach.questions.audit import audit
    snap = load_snapshot(generate(size, seed))
    Estate.of(snap)
    prof = cProfile.Profile()
    prof.runcall(audit, snap)
    text = io.StringIO()
    stats = pstats.Stats(prof, stream=text)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    path = OUT / f"profile-{size}.txt"
    path.write_text(text.getvalue())
    return path


def measure(size: str, *, seed: int, repeat: int, queries: int, scaling: bool) -> dict:
    path = generate(size, seed)
    mb = path.stat().st_size / 2**20
    load_s, load_rss = json_load(path, repeat)
    row: dict = {"size": size, "file_mb": round(mb, 1), "json_load_s": load_s, "json_load_rss_mb": load_rss}
    audit_json = min((timed([*REACH, "audit", "-s", str(path), "-f", "json"]) for _ in range(repeat)),
                     key=lambda r: r[0])
    audit_text = timed([*REACH, "audit", "-s", str(path)])
    fn = json.loads(path.read_text())["Functions"][0]["FunctionName"]
    can = min((timed([*REACH, "can", fn, "dynamodb", "-s", str(path), "-f", "json"]) for _ in range(repeat)),
              key=lambda r: r[0])
    row.update({"audit_json_s": audit_json[0], "audit_json_rss_mb": audit_json[1],
                "audit_text_s": audit_text[0], "audit_text_rss_mb": audit_text[1],
                "can_cold_s": can[0], "can_cold_rss_mb": can[1]})
    row.update(warm_queries(path, queries, seed))
    row["audit_over_load"] = row["audit_json_s"] / load_s
    row["can_over_load"] = row["can_cold_s"] / load_s
    row["rss_over_load"] = row["audit_json_rss_mb"] / load_rss
    if scaling and size != "L":  # L with 100,000 functions outgrows this machine's session time
        base = {"S": 100, "M": 1_000, "L": 10_000}.get(size, 100)
        row["scaling"] = []
        for n in (base // 10, base, base * 10):
            p = generate(size, seed, functions=n)
            secs, answers = audit_in_process(p)
            row["scaling"].append({"functions": n, "answers": answers, "audit_s": secs})
    return row


def table(rows: list[dict]) -> str:
    cols = [("size", "size"), ("file_mb", "MB"), ("json_load_s", "json.load s"),
            ("json_load_rss_mb", "load RSS MB"), ("audit_json_s", "audit s"), ("audit_over_load", "×load"),
            ("audit_json_rss_mb", "audit RSS MB"), ("rss_over_load", "×RSS"), ("audit_text_s", "text s"),
            ("can_cold_s", "cold can s"), ("can_over_load", "×load"), ("uncached_p50_ms", "q p50 ms"),
            ("uncached_p99_ms", "q p99 ms"), ("cached_p50_ms", "cached p50 ms"), ("cached_p99_ms", "cached p99 ms")]
    fmt = lambda v: f"{v:.3f}" if isinstance(v, float) and v < 10 else (f"{v:.1f}" if isinstance(v, float) else str(v))
    lines = ["| " + " | ".join(h for _, h in cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(fmt(r[k]) for k, _ in cols) + " |" for r in rows]
    for r in rows:
        for s in r.get("scaling", []):
            lines.append(f"scaling {r['size']}: {s['functions']} functions, {s['answers']} answers: "
                         f"audit {s['audit_s']:.3f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("sizes", nargs="*", default=["S", "M"], help="estate sizes: XS, S, M, L")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=3, help="runs of each timed command; the fastest counts")
    p.add_argument("--queries", type=int, default=300, help="warm library questions")
    p.add_argument("--no-scaling", action="store_true", help="skip the functions ×10 series")
    p.add_argument("--profile", action="store_true", help="only profile audit() on each size (cProfile)")
    args = p.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    if args.profile:
        for size in args.sizes:
            print(profile(size, args.seed))
        return
    rows = []
    for size in args.sizes:
        row = measure(size, seed=args.seed, repeat=args.repeat, queries=args.queries,
                      scaling=not args.no_scaling)
        rows.append(row)
        (OUT / f"results-{size}.json").write_text(json.dumps(row, indent=2))
        print(f"{size}: {json.dumps(row)}", file=sys.stderr, flush=True)
    print(table(rows))


if __name__ == "__main__":
    main()
