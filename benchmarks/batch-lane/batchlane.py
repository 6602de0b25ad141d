#!/usr/bin/env python3
"""Spillway batch-lane measurement (Python 3 standard library only; see README.md).

One simulator PTU deployment of capacity C tokens/s with a pay-as-you-go spillover, one gateway in
front, and two runs of the same interactive load at a share of C (default 60 %) with
`spillway bench`: first alone, then while a batch of N lines runs through the Batch API. Reports
the interactive p99 time to first token of both runs, the PTU utilization the gateway saw while
the batch ran (over the whole run, and once the one-minute bucket had filled), whether the batch completed, and the tokens the batch took from pay-as-you-go
(which must be 0 under `pay-as-you-go: never`). Every wait is bounded; only 127.0.0.1.
"""
import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
HOST = "127.0.0.1"
KEY = "sk-spw-batch-lane-bench-0000000000000000"
PROMPT_TOKENS = 400     # interactive request shape (spillway bench --shape custom)
COMPLETION_TOKENS = 100
LINE_MAX_TOKENS = 100   # each batch line asks for this many tokens
FILLED = 85.0           # utilization (percent) from which the bucket counts as filled


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--capacity", type=int, default=4000, help="PTU capacity, tokens per second (default 4000)")
    p.add_argument("--share", type=float, default=0.6, help="interactive load as a share of capacity (default 0.6)")
    p.add_argument("--lines", type=int, default=5000, help="batch lines (default 5000)")
    p.add_argument("--duration", type=int, default=240, help="seconds of interactive load per run (default 240)")
    p.add_argument("--warmup", type=int, default=15, help="seconds of load before each run's figures (default 15)")
    p.add_argument("--batch-timeout", type=int, default=1800, help="most seconds to wait for the batch (default 1800)")
    p.add_argument("--gateway-port", type=int, default=18800)
    p.add_argument("--simulator-port", type=int, default=18801)
    p.add_argument("--payg", default="never", choices=["never", "deadline-at-risk", "always"])
    p.add_argument("--queue", default="api", choices=["api", "http", "rabbitmq"],
                   help="how the lines arrive: a Batch API batch on the database queue (default); N requests "
                        "published over HTTP to the embedded message queue (/v1/queue/requests) and read from a "
                        "reply queue; or N requests published to RabbitMQ and answered on a reply queue "
                        "(RabbitLines.java)")
    p.add_argument("--rabbitmq-uri", default="amqp://guest:guest@127.0.0.1:5672/%2F")
    p.add_argument("--exchange", default="", help="RabbitMQ exchange (default spillway-batch-lane-<random>; deleted after)")
    p.add_argument("--spillway", default=os.path.join(ROOT, "spillway"), help="the spillway launcher")
    p.add_argument("--lib", default=os.path.join(ROOT, "spillway-cli", "target", "lib"),
                   help="the jar's lib/ folder (amqp-client for RabbitLines.java)")
    a = p.parse_args(argv)
    a.exchange = a.exchange or f"spillway-batch-lane-{uuid.uuid4().hex[:8]}"
    return a


def write_configs(args, work):
    sim = os.path.join(work, "simulator.yaml")
    with open(sim, "w") as f:
        f.write(f"""simulator:
  host: {HOST}
  port: {args.simulator_port}
  latency: {{ time-to-first-token: 100ms, per-token: 2ms }}
  deployments:
    - {{ name: gpt-4o-ptu, model: gpt-4o, kind: ptu, capacity-tokens-per-second: {args.capacity} }}
    - {{ name: gpt-4o-paygo, model: gpt-4o, kind: pay-as-you-go, tokens-per-minute: 100000000,
        requests-per-minute: 1000000 }}
""")
    gw = os.path.join(work, "gateway.yaml")
    url = f"http://{HOST}:{args.simulator_port}"
    with open(gw, "w") as f:
        f.write(f"""gateway:
  host: {HOST}
  port: {args.gateway_port}
  data-dir: "{work}/data"
  database: {{ url: "jdbc:sqlite:{work}/data/spillway.db" }}
  keys: [ {{ name: bench, key: "{KEY}", app: interactive }} ]
  backends:
    - {{ name: ptu, url: "{url}", deployment: gpt-4o-ptu }}
    - {{ name: paygo, url: "{url}", deployment: gpt-4o-paygo }}
  deployments: [ {{ name: gpt-4o, backends: [ptu, paygo] }} ]
  batch: {{ poll-interval: 200ms, max-in-flight: 64, max-concurrency-per-app: 64, utilization-limit: 95,
           pay-as-you-go: {args.payg}{rabbitmq(args)} }}
""")
    return sim, gw


def rabbitmq(args):
    if args.queue != "rabbitmq":
        return ""
    return f', rabbitmq: {{ uri: "{args.rabbitmq_uri}", exchange: "{args.exchange}" }}'


def rabbit_lines(args, *words, timeout=60):
    """Runs RabbitLines.java (the app publishing to RabbitMQ) with the jar's libraries."""
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    cmd = [java, "-cp", os.path.join(args.lib, "*"), os.path.join(HERE, "RabbitLines.java"), *words]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def start(cmd, log_path):
    log = open(log_path, "w")
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)


def wait_http(url, seconds=120):
    """Waits until something answers HTTP at url (any status: the simulator has no health path)."""
    until = time.time() + seconds
    while time.time() < until:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"not up within {seconds} s: {url}")


def call(base, method, path, body=None, content_type="application/json"):
    req = urllib.request.Request(base + path, data=body, method=method,
                                 headers={"api-key": KEY, "content-type": content_type})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read()


def create_batch(base, lines):
    rows = [json.dumps({"custom_id": f"line-{i}", "method": "POST", "url": "/v1/chat/completions",
                        "body": {"model": "gpt-4o", "max_tokens": LINE_MAX_TOKENS,
                                 "messages": [{"role": "user", "content": f"Summarize item {i} in a paragraph."}]}})
            for i in range(lines)]
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"lines.jsonl\"\r\n\r\n"
            + "\n".join(rows) + f"\r\n--{boundary}--\r\n").encode()
    file_id = json.loads(call(base, "POST", "/v1/files", body, f"multipart/form-data; boundary={boundary}"))["id"]
    batch = json.loads(call(base, "POST", "/v1/batches", json.dumps(
        {"input_file_id": file_id, "endpoint": "/v1/chat/completions", "completion_window": "24h"}).encode()))
    return batch["id"]


def bench(args, base):
    tokens = PROMPT_TOKENS + COMPLETION_TOKENS
    rate = args.share * args.capacity / tokens
    cmd = [args.spillway, "bench", base, "--model", "gpt-4o", "--api-key", KEY,
           "--rate", f"{rate:.3f}", "--duration", f"{args.duration}s", "--warmup", f"{args.warmup}s",
           "--clients", "64", "--stream",
           "--shape", "custom", "--context-tokens", str(PROMPT_TOKENS), "--max-tokens", str(COMPLETION_TOKENS),
           "--output", "jsonl"]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=args.warmup + args.duration + 180).stdout
    final = [json.loads(l) for l in out.splitlines() if l.startswith("{") and '"final"' in l]
    if not final:
        raise SystemExit("spillway bench printed no final line:\n" + out[-2000:])
    return final[-1]


def ptu_utilization(base):
    text = urllib.request.urlopen(base + "/metrics", timeout=5).read().decode()
    m = re.search(r'spillway_backend_utilization\{backend="ptu"[^}]*\} ([0-9.eE+-]+)', text)
    return float(m.group(1)) * 100 if m else None


def sample(base, stop, into):
    while not stop.is_set():
        try:
            u = ptu_utilization(base)
            if u is not None:
                into.append((time.time(), u))
        except Exception:
            pass
        stop.wait(1)


def after_fill(samples, level=FILLED):
    """The samples from the first one at or over `level` on: the PTU's bucket holds one minute of capacity,
    so it cannot read 90 % before about 54 s of capacity has been sent over capacity; this is the lane's
    steady state once it has."""
    for i, u in enumerate(samples):
        if u >= level:
            return samples[i:], i
    return [], None


def batch_end(batch):
    """When a Batch API batch reached its final status (epoch seconds), if it did."""
    return next((batch.get(f) for f in ("completed_at", "failed_at", "expired_at", "cancelled_at") if batch.get(f)), None)


def wait_batch(base, batch_id, seconds):
    until = time.time() + seconds
    while time.time() < until:
        b = json.loads(call(base, "GET", f"/v1/batches/{batch_id}"))
        if b["status"] in ("completed", "failed", "expired", "cancelled"):
            return b
        time.sleep(2)
    return json.loads(call(base, "GET", f"/v1/batches/{batch_id}"))


def http_lines(args, base):
    """The embedded message queue's HTTP way in, as an app without AMQP: publish N requests with a
    correlation id each, then read and acknowledge the answers on the reply queue until all came."""
    replies = f"bench-{uuid.uuid4().hex[:8]}"
    for i in range(args.lines):
        call(base, "POST", "/v1/queue/requests", json.dumps({
            "deployment": "gpt-4o", "correlation_id": f"line-{i}", "reply_to": replies,
            "body": {"max_tokens": LINE_MAX_TOKENS,
                     "messages": [{"role": "user", "content": f"Summarize item {i} in a paragraph."}]}}).encode())
    statuses, seen, until = {}, set(), time.time() + args.batch_timeout
    while len(seen) < args.lines and time.time() < until:
        page = json.loads(call(base, "GET", f"/v1/queue/replies/{replies}?limit=100"))["data"]
        if not page:
            time.sleep(0.5)
            continue
        for r in page:
            if r["correlation_id"] not in seen:
                seen.add(r["correlation_id"])
                statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
        call(base, "POST", f"/v1/queue/replies/{replies}/ack", json.dumps({"ids": [r["id"] for r in page]}).encode())
    ok = statuses.get("200", 0)
    return {"status": "completed" if ok == args.lines else "incomplete", "ended_at": time.time(),
            "request_counts": {"total": args.lines, "completed": ok, "failed": len(seen) - ok, "statuses": statuses}}


def from_rabbit(args, results):
    """The RabbitMQ run in the Batch API's terms: completed when every request got a 200 answer in time."""
    out = results[0] if results else None
    line = [x for x in (out.stdout.splitlines() if out else []) if x.startswith("{")]
    if not line:
        raise SystemExit("RabbitLines.java printed no result:\n" + (out.stdout + out.stderr if out else "(timed out)"))
    r = json.loads(line[-1])
    ok = r["statuses"].get("200", 0)
    return {"status": "completed" if r["complete"] and ok == args.lines else "incomplete",
            "request_counts": {"total": r["published"], "completed": ok, "failed": r["answered"] - ok,
                               "statuses": r["statuses"]}}


def batch_tokens_by_backend(db):
    with sqlite3.connect(db) as c:
        return dict(c.execute("SELECT backend, SUM(prompt_tokens + completion_tokens) FROM usage_ledger"
                              " WHERE priority = 'batch' GROUP BY backend").fetchall())


def main(argv):
    args = parse_args(argv)
    work = tempfile.mkdtemp(prefix="spillway-batch-lane-")
    sim_cfg, gw_cfg = write_configs(args, work)
    base = f"http://{HOST}:{args.gateway_port}"
    procs = [start([args.spillway, "simulator", "--config", sim_cfg], os.path.join(work, "sim.log"))]
    try:
        wait_http(f"http://{HOST}:{args.simulator_port}/healthz", 900)  # the first run may build the jar
        procs.append(start([args.spillway, "gateway", "--config", gw_cfg], os.path.join(work, "gw.log")))
        wait_http(base + "/healthz")
        alone = bench(args, base)
        queued = None
        ended = []
        if args.queue == "rabbitmq":
            queued = threading.Thread(target=lambda: (results.append(rabbit_lines(
                args, "run", args.rabbitmq_uri, args.exchange, "gpt-4o", KEY, str(args.lines), str(LINE_MAX_TOKENS),
                str(args.batch_timeout), timeout=args.batch_timeout + 120)), ended.append(time.time())), daemon=True)
            results = []
            queued.start()
        elif args.queue == "http":
            results = []
            queued = threading.Thread(target=lambda: results.append(http_lines(args, base)), daemon=True)
            queued.start()
        else:
            batch_id = create_batch(base, args.lines)
        started = time.time()
        utilization, stop = [], threading.Event()
        sampler = threading.Thread(target=sample, args=(base, stop, utilization), daemon=True)
        sampler.start()
        with_batch = bench(args, base)
        if queued:
            queued.join(args.batch_timeout + 180)
            if args.queue == "http":
                batch = results[0] if results else {"status": "incomplete", "request_counts": {}}
            else:
                batch = from_rabbit(args, results)
        else:
            batch = wait_batch(base, batch_id, args.batch_timeout)
        stop.set()
        sampler.join(5)
        ended_at = batch.get("ended_at") or (ended[0] if ended else None) or batch_end(batch) or time.time()
        took = ended_at - started
        utilization = [u for t, u in utilization if t <= ended_at]  # only while the batch ran
        tokens = batch_tokens_by_backend(os.path.join(work, "data", "spillway.db"))
        p99_alone, p99_batch = alone["ttft_ms"]["p99"], with_batch["ttft_ms"]["p99"]
        steady, fill_s = after_fill(utilization)
        summary = {
            "queue": args.queue, "capacity_tokens_per_s": args.capacity, "interactive_share": args.share,
            "lines": args.lines,
            "ttft_p99_ms_alone": p99_alone, "ttft_p99_ms_with_batch": p99_batch,
            "ttft_p99_change_pct": round(100 * (p99_batch - p99_alone) / p99_alone, 1),
            "ptu_utilization_pct_while_batch_ran": round(statistics.mean(utilization), 1) if utilization else None,
            "ptu_fill_seconds": fill_s,
            "ptu_utilization_pct_after_fill": round(statistics.mean(steady), 1) if steady else None,
            "batch_status": batch["status"], "batch_counts": batch["request_counts"], "batch_seconds": round(took, 1),
            "batch_tokens_by_backend": tokens, "batch_payg_tokens": tokens.get("paygo", 0), "work_dir": work,
        }
        print(json.dumps(summary, indent=2))
        ok = (batch["status"] == "completed" and summary["ttft_p99_change_pct"] <= 5
              and (summary["ptu_utilization_pct_after_fill"] or 0) >= 90
              and (args.payg != "never" or summary["batch_payg_tokens"] == 0))
        print("targets met" if ok else "targets NOT met")
        return 0 if ok else 1
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        if args.queue == "rabbitmq":
            rabbit_lines(args, "delete", args.rabbitmq_uri, args.exchange, "gpt-4o")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
