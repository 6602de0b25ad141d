#!/usr/bin/env python3
"""Per-request kernel work of a running gateway: context switches, syscalls and CPU by thread.

Drives a fixed-rate load (wrk with pace.lua, as overhead.py does) at an already running process
and prints, per request, the context switches (voluntary and not) and CPU ticks of each thread
group (threads named alike, e.g. every `vert.x-eventloop-thread-N`), and with --syscalls the
syscalls by type from `perf trace -s` (or `strace -c -f` when perf cannot trace) over a second,
shorter window. Counts hold on a busy box; times do not. Only 127.0.0.1; every run is bounded.

  python3 benchmarks/overhead/counts.py --pid PID --url http://127.0.0.1:8080 --rate 2000 \
      --seconds 10 [--syscalls]
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import overhead  # noqa: E402  (its paced wrk run)
PATH = "/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21"
HEADERS = "api-key:sk-spillway-bench-overhead-0000000000000000;x-sim-latency-ms:0;x-sim-per-token-ms:0"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pid", type=int, required=True, help="the process to watch (the JVM, not the launcher)")
    p.add_argument("--url", default="http://127.0.0.1:8080", help="the process's listener (127.0.0.1 only)")
    p.add_argument("--rate", type=int, default=2000, help="requests/s (default 2000)")
    p.add_argument("--seconds", type=int, default=10, help="measured window (default 10, at most 120)")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--load-cpu", default="0", help="taskset cpu list for wrk (default 0; '' = no pin)")
    p.add_argument("--syscalls", action="store_true", help="also count syscalls by type in a second window")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    a = p.parse_args(argv)
    if not a.url.startswith("http://127.0.0.1:"):
        p.error("--url must be on 127.0.0.1")
    if not 1 <= a.seconds <= 120:
        p.error("--seconds must be between 1 and 120")
    return a


def group_of(name):
    """Threads that share a role share a name up to a trailing number."""
    return re.sub(r"[-#\s]*\d+$", "", name) or name


def threads(pid):
    """{tid: (name, voluntary switches, involuntary switches, user ticks, system ticks)}."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                status = dict(line.split(":\t", 1) for line in f.read().splitlines() if ":\t" in line)
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        out[tid] = (status["Name"].strip(), int(status["voluntary_ctxt_switches"]),
                    int(status["nonvoluntary_ctxt_switches"]), int(fields[11]), int(fields[12]))
    return out


def delta(before, after):
    groups = collections.defaultdict(lambda: [0, 0, 0, 0, 0])
    for tid, now in after.items():
        b = before.get(tid, (now[0], 0, 0, 0, 0))
        g = groups[group_of(now[0])]
        g[0] += 1
        for i in range(1, 5):
            g[i] += now[i] - b[i]
    return {k: v for k, v in groups.items() if any(v[1:])}


def wrk(args, seconds):
    cpu = ["taskset", "-c", args.load_cpu] if args.load_cpu else []
    return overhead.paced_wrk(cpu, args.url + PATH, os.path.join(HERE, "request.json"), HEADERS,
                              args.rate, args.connections, seconds)


def switches(args):
    before = threads(args.pid)
    result = wrk(args, args.seconds)
    after = threads(args.pid)
    n = result["requests"]
    hz = os.sysconf("SC_CLK_TCK")
    rows = sorted(delta(before, after).items(), key=lambda kv: -(kv[1][1] + kv[1][2]))
    rows = [kv for kv in rows if (kv[1][1] + kv[1][2]) * 1000 >= n or (kv[1][3] + kv[1][4]) * 1000 >= n]
    return n, result, [{"threads": g, "count": c, "voluntary_per_req": v / n, "involuntary_per_req": i / n,
                        "user_ms_per_req": user * 1000 / hz / n, "sys_ms_per_req": sys_ * 1000 / hz / n}
                       for g, (c, v, i, user, sys_) in rows]


def syscalls(args):
    """Syscalls by type over a window of the same load: perf trace -s, or strace -c -f."""
    seconds = max(3, args.seconds // 2)
    if shutil.which("perf"):
        cmd = ["perf", "trace", "-s", "-p", str(args.pid), "--", "sleep", str(seconds)]
    else:
        cmd = ["strace", "-c", "-f", "-p", str(args.pid)]
    tracer = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    result = wrk(args, seconds)
    if cmd[0] == "strace":
        tracer.send_signal(2)
    text = tracer.communicate(timeout=60)[0]
    return result["requests"], count_syscalls(text)


def count_syscalls(text):
    """Sums `perf trace -s` tables over threads (or reads strace -c's one table): {syscall: calls}."""
    counts = collections.Counter()
    for line in text.splitlines():
        m = re.match(r"\s+([a-z_0-9]+)\s+(\d+)\s+\d+\s+[\d.]+", line)          # perf trace -s
        s = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)$", line)  # strace -c
        if m:
            counts[m.group(1)] += int(m.group(2))
        elif s and s.group(2) != "total":
            counts[s.group(2)] += int(s.group(1))
    return counts


def main(argv):
    args = parse_args(argv)
    n, result, rows = switches(args)
    report = {"requests": n, "achieved_rps": round(n / (result["duration_us"] / 1e6), 1),
              "p99_us": result["p99_us"], "threads": rows}
    if args.syscalls:
        m, calls = syscalls(args)
        report["syscall_window_requests"] = m
        report["syscalls_per_req"] = {k: round(v / m, 3) for k, v in calls.most_common() if v / m >= 0.005}
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"{n} requests at {report['achieved_rps']} req/s, p99 {result['p99_us']} us (busy box: times are not evidence)")
    keys = ("voluntary_per_req", "involuntary_per_req", "user_ms_per_req", "sys_ms_per_req")
    print(f"{'thread group':20} {'n':>3} {'vol/req':>8} {'invol/req':>9} {'user ms/req':>11} {'sys ms/req':>10}")
    for r in rows + [dict({"threads": "all", "count": sum(x["count"] for x in rows)},
                          **{k: sum(x[k] for x in rows) for k in keys})]:
        print(f"{r['threads'][:20]:20} {r['count']:3d} {r[keys[0]]:8.3f} {r[keys[1]]:9.3f} {r[keys[2]]:11.4f} "
              f"{r[keys[3]]:10.4f}")
    if args.syscalls:
        print(f"syscalls per request ({report['syscall_window_requests']} requests traced):")
        for k, v in report["syscalls_per_req"].items():
            print(f"  {k:24} {v:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
