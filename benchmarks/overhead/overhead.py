#!/usr/bin/env python3
"""Spillway proxy-overhead harness (Python 3 standard library only; see README.md).

Measures, in one run and interleaved (target order rotated every round), the same 1 KB chat request
sent directly to the backend (127.0.0.1:8081), through Spillway (127.0.0.1:8080), through nginx
as a plain keep-alive proxy (127.0.0.1:8082) and through Portkey's gateway (127.0.0.1:8083): fixed rates and maximum throughput with wrk, a
streaming check with `spillway bench`, and startup time. Prints one JSON line per
(round, target, phase) and ends with a Markdown summary. Every loop is bounded; only 127.0.0.1.
"""
import argparse
import json
import math
import os
import resource
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
HOST = "127.0.0.1"
PORTS = {"direct": 8081, "spillway": 8080, "nginx": 8082, "portkey": 8083}
DEPLOYMENT = "gpt-4o-mini"
PATH = f"/openai/deployments/{DEPLOYMENT}/chat/completions?api-version=2024-10-21"
OPENAI_PATH = "/v1/chat/completions"  # Portkey serves only the OpenAI shape: the body names the model
API_KEY = "sk-spillway-bench-overhead-0000000000000000"
# Zero simulated latency: the simulator's per-request steering headers (docs/simulator.md).
ZERO_LATENCY = {"x-sim-latency-ms": "0", "x-sim-per-token-ms": "0"}
SIM_HEADERS = ("x-sim-latency-ms", "x-sim-per-token-ms", "x-sim-completion-tokens")
PORTKEY_DIR = os.path.join(HERE, "portkey")
# Portkey calls the simulator's OpenAI-style route and forwards only the headers it is told to.
PORTKEY_HEADERS = {"x-portkey-provider": "openai",
                   "x-portkey-custom-host": f"http://{HOST}:{PORTS['direct']}/openai/v1",
                   "x-portkey-forward-headers": ",".join(SIM_HEADERS)}
JAVA_OPTS = "-XX:+UseSerialGC -Xms64m -Xmx256m -Xss512k"
PHASES = {  # name: (requests/s, 0 = max; seconds; connections)
    "warm": (0, 5, 32),  # repeated until the proxy's CPU per request is steady (see run_phase)
    "r500": (500, 15, 32),
    "r2000": (2000, 15, 32),
    "max": (0, 10, 32),
}
TARGETS = ("direct", "spillway", "nginx", "portkey")
WARM_REQUESTS = 20_000  # direct (no proxy to watch): warm the backend and wrk for this many requests
WARM_MIN_RUNS = 3
WARM_MAX_RUNS = 12
WARM_STEADY = 0.05  # warm until two consecutive runs' proxy CPU-s/10k differ by at most 5 %
WARM_JIT_SHARE = 0.1  # ... and the JIT compilers took at most 10 % of the proxy's CPU in the last run
JIT_THREADS = ("C1 CompilerThre", "C2 CompilerThre")
HZ = os.sysconf("SC_CLK_TCK")
READY_SECONDS = 120
STOP_SECONDS = 10
# Spillway keeps a backend connection in its pool for 30 s after its last stream (keep-alive-timeout
# in route/Backends.java): the live heap "with the streams closed" is read after that, so the
# connections a stream holds count as the stream's.
POOL_IDLE_SECONDS = 35


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=2, help="interleaved rounds, >= 2 (default 2)")
    p.add_argument("--targets", default=",".join(TARGETS), help="comma list of " + ",".join(TARGETS))
    p.add_argument("--phases", default=",".join(PHASES), help="comma list of " + ",".join(PHASES))
    p.add_argument("--scale", type=float, default=1.0, help="multiply every phase duration (e.g. 0.5)")
    p.add_argument("--backend", choices=("simulator", "mock"), default="simulator",
                   help="what listens on 8081: `spillway simulator`, or the constant-cost MockBackend")
    p.add_argument("--spillway", default=os.path.join(ROOT, "spillway"), help="the spillway launcher")
    p.add_argument("--gateway-config", default=os.path.join(HERE, "gateway.yaml"),
                   help="Spillway's config (default gateway.yaml: no limits; gateway-access.yaml and "
                        "gateway-access-redis.yaml turn on key limits)")
    p.add_argument("--simulator-cmd", default="",
                   help="command that starts the simulator on 8081 (default: SPILLWAY simulator --config simulator.yaml)")
    p.add_argument("--stream", action="store_true", help="also run the 1,000-stream TTFT check")
    p.add_argument("--streams", type=int, default=1000, help="concurrent streams (default 1000)")
    p.add_argument("--token-ms", type=int, default=20,
                   help="milliseconds between a stream's tokens (default 20: 200 tokens last 4 s); a slower "
                        "pace keeps as many streams open with fewer SSE frames per second")
    p.add_argument("--startup", action="store_true", help="also time launch-to-first-response")
    p.add_argument("--no-pin", action="store_true", help="do not pin with taskset")
    p.add_argument("--out", default="", help="also append the JSON lines to this file")
    p.add_argument("--port-base", type=int, default=0,
                   help="move the ports off 8080-8083 to BASE (spillway), BASE+1 (backend), BASE+2 (nginx), "
                        "BASE+3 (portkey); the simulator and gateway configs are rewritten into the run's "
                        "scratch directory (ports and their /tmp data dir), so runs beside each other do not meet")
    p.add_argument("--proxy-java-opts", default=None,
                   help="JVM options for the spillway target, e.g. to add JFR (default: the launcher's)")
    p.add_argument("--dry-run", action="store_true", help="print the plan and exit")
    a = p.parse_args(argv)
    a.targets = [t.strip() for t in a.targets.split(",") if t.strip()]
    a.phases = [x.strip() for x in a.phases.split(",") if x.strip()]
    problems = [f"unknown target '{t}'" for t in a.targets if t not in TARGETS]
    problems += [f"unknown phase '{x}'" for x in a.phases if x not in PHASES]
    if a.rounds < 2:
        problems.append("--rounds must be >= 2 (targets are compared across rotated rounds)")
    if not 0 < a.scale <= 10:
        problems.append("--scale must be in (0, 10]")
    if not 1 <= a.streams <= 5000:
        problems.append("--streams must be between 1 and 5000")
    if not 1 <= a.token_ms <= 1000:
        problems.append("--token-ms must be between 1 and 1000")
    if a.port_base and not 1024 <= a.port_base <= 65530:
        problems.append("--port-base must be between 1024 and 65530")
    if problems:
        p.error("; ".join(problems))
    return a


def move_ports(args, logs):
    """With --port-base: the ports table, Portkey's backend URL and rewritten copies of the two configs."""
    old = dict(PORTS)
    for i, target in enumerate(("spillway", "direct", "nginx", "portkey")):
        PORTS[target] = args.port_base + i
    PORTKEY_HEADERS["x-portkey-custom-host"] = f"http://{HOST}:{PORTS['direct']}/openai/v1"

    def rewrite(path, name):
        with open(path) as f:
            text = f.read()
        text = (text.replace(f"{HOST}:{old['direct']}", f"{HOST}:{PORTS['direct']}")
                .replace(f"port: {old['direct']}", f"port: {PORTS['direct']}")
                .replace(f"port: {old['spillway']}", f"port: {PORTS['spillway']}")
                .replace("/tmp/spillway-overhead", os.path.join(logs, "data")))
        out = os.path.join(logs, name)
        with open(out, "w") as f:
            f.write(text)
        return out

    if not args.simulator_cmd:
        sim = rewrite(os.path.join(HERE, "simulator.yaml"), "simulator.yaml")
        args.simulator_cmd = f"{shlex.quote(args.spillway)} simulator --config {shlex.quote(sim)}"
    args.gateway_config = rewrite(args.gateway_config, "gateway.yaml")


def round_order(targets, round_index):
    """Target order of a round: rotated by one each round so no target always goes first."""
    k = round_index % len(targets)
    return targets[k:] + targets[:k]


def missing_tools(args):
    need = {"wrk": "apt-get install -y wrk"}
    if "nginx" in args.targets:
        need["nginx"] = "apt-get install -y nginx-light"
    if "portkey" in args.targets:
        need["node"] = "apt-get install -y nodejs npm (Node 20)"
    if not args.no_pin:
        need["taskset"] = "apt-get install -y util-linux"
    msgs = [f"'{tool}' not found on PATH; install it: {how}" for tool, how in need.items()
            if shutil.which(tool) is None]
    if "portkey" in args.targets and not os.path.isdir(os.path.join(PORTKEY_DIR, "node_modules")):
        msgs.append(f"Portkey is not installed; install it: (cd {PORTKEY_DIR} && npm ci)")
    if args.java is None:
        msgs.append("no Java 21+ found (set JAVA_HOME)")
    jar = os.path.join(ROOT, "spillway-cli", "target", "spillway.jar")
    if not os.path.exists(jar):
        msgs.append(f"{jar} is missing; build it first: ./spillway build")
    if not os.access(args.spillway, os.X_OK):
        msgs.append(f"spillway launcher not found at {args.spillway} (use --spillway PATH)")
    return msgs


def find_java():
    """A java 21+ binary: $JAVA_HOME first, then /usr/lib/jvm, then PATH (as the launcher does)."""
    import glob
    import re
    home = os.environ.get("JAVA_HOME")
    candidates = ([os.path.join(home, "bin", "java")] if home else []) + \
        sorted(glob.glob("/usr/lib/jvm/*/bin/java"), reverse=True) + [shutil.which("java") or "java"]
    for c in candidates:
        try:
            out = subprocess.run([c, "-version"], capture_output=True, text=True, timeout=20).stderr
        except (OSError, subprocess.TimeoutExpired):
            continue
        m = re.search(r'version "(\d+)', out)
        if m and int(m.group(1)) >= 21:
            return c
    return None


def pin(args, cpu, cmd):
    return cmd if args.no_pin else ["taskset", "-c", str(cpu)] + cmd


class Proc:
    """A started server process group; reads its CPU time and memory from /proc."""

    def __init__(self, name, cmd, log_dir, env=None, cwd=ROOT):
        self.name = name
        self.log = open(os.path.join(log_dir, name + ".log"), "wb")
        self.launched = time.monotonic()
        self.popen = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT,
                                      env=env, start_new_session=True, cwd=cwd)

    def pids(self):
        """The process and its descendants (nginx master + worker)."""
        parents = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open(f"/proc/{d}/stat") as f:
                        parents[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    pass
        found, frontier = {self.popen.pid}, [self.popen.pid]
        while frontier:
            kids = [p for p, pp in parents.items() if pp in frontier and p not in found]
            found.update(kids)
            frontier = kids
        return sorted(found)

    def cpu_seconds(self):
        return sum(cpu_ticks(f"/proc/{pid}/stat")[1] for pid in self.pids()) / HZ

    def jit_cpu_seconds(self):
        """CPU of the JVM's JIT compiler threads (0 for other proxies): the part of a phase that is warm-up."""
        total = 0
        for pid in self.pids():
            try:
                tasks = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for tid in tasks:
                name, ticks = cpu_ticks(f"/proc/{pid}/task/{tid}/stat")
                if name.startswith(JIT_THREADS):
                    total += ticks
        return total / HZ

    def memory_mb(self):
        rss = hwm = 0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            rss += int(line.split()[1])
                        elif line.startswith("VmHWM:"):
                            hwm += int(line.split()[1])
            except OSError:
                pass
        return round(rss / 1024, 1), round(hwm / 1024, 1)

    def alive(self):
        return self.popen.poll() is None

    def stop(self):
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(STOP_SECONDS)
        self.log.close()


def cpu_ticks(stat_path):
    """(command name, utime + stime in clock ticks) from a /proc stat file; ("", 0) once it is gone."""
    try:
        with open(stat_path) as f:
            head, _, rest = f.read().rpartition(")")
        fields = rest.split()
        return head.split("(", 1)[1], int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return "", 0


OPENAI_BODY = os.path.join(tempfile.gettempdir(), "spillway-overhead-request-openai.json")


def request_for(target):
    """(path, headers, body file) a target is called with: Azure's deployment route with the
    `api-key` header, or for Portkey the OpenAI route with a bearer key and the same body plus
    `model` (made once per run by write_openai_body)."""
    if target == "portkey":
        return OPENAI_PATH, {"authorization": f"Bearer {API_KEY}", **PORTKEY_HEADERS, **ZERO_LATENCY}, OPENAI_BODY
    return PATH, {"api-key": API_KEY, **ZERO_LATENCY}, os.path.join(HERE, "request.json")


def write_openai_body():
    with open(os.path.join(HERE, "request.json")) as f:
        body = json.load(f)
    with open(OPENAI_BODY, "w") as f:
        json.dump({"model": DEPLOYMENT, **body}, f, separators=(",", ":"))


def post_once(target, timeout=1.0):
    path, headers, body_file = request_for(target)
    with open(body_file, "rb") as f:
        body = f.read()
    req = urllib.request.Request(f"http://{HOST}:{PORTS[target]}{path}", data=body, method="POST",
                                 headers={"content-type": "application/json", **headers})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        resp.read()
        return resp.status


def audit_bodies_skipped(target):
    """Spillway's count of audit bodies skipped at max-in-flight (None without audit or metrics)."""
    if target != "spillway":
        return None
    try:
        with urllib.request.urlopen(f"http://{HOST}:{PORTS[target]}/metrics", timeout=5) as resp:
            for line in resp.read().decode().splitlines():
                if line.startswith("spillway_audit_bodies_skipped "):
                    return float(line.split()[1])
    except (OSError, urllib.error.URLError):
        pass
    return None


def wait_ready(proc, target, seconds=READY_SECONDS, poll=0.005):
    """Polls a POST until the first 200; returns seconds since the process was launched."""
    deadline = time.monotonic() + seconds
    last = "no answer"
    while time.monotonic() < deadline:
        if proc is not None and not proc.alive():
            raise RuntimeError(f"{proc.name} exited early (see its log)")
        try:
            status = post_once(target)
            if status == 200:
                return time.monotonic() - (proc.launched if proc else 0)
            last = f"HTTP {status}"
        except urllib.error.HTTPError as e:
            last = f"HTTP {e.code}: {e.read()[:200]!r}"
        except (OSError, urllib.error.URLError) as e:
            last = str(e)
        time.sleep(poll)
    raise RuntimeError(f"{target} (port {PORTS[target]}) not ready after {seconds}s ({last})")


def machine_busy_seconds():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v) - v[3] - v[4]) / HZ  # minus idle and iowait


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def start_backend(args, logs):
    if args.backend == "simulator" and args.simulator_cmd:
        cmd = shlex.split(args.simulator_cmd)
    elif args.backend == "simulator":
        cmd = [args.spillway, "simulator", "--config", os.path.join(HERE, "simulator.yaml")]
    else:
        lib = os.path.join(ROOT, "spillway-cli", "target")
        cp = os.path.join(lib, "spillway.jar") + ":" + os.path.join(lib, "lib", "*")
        cmd = [args.java] + JAVA_OPTS.split() + ["-cp", cp, "dev.spillway.bench.MockBackend",
                                              str(PORTS["direct"])]
    return Proc("backend", pin(args, 0, cmd), logs, env=java_env())


def java_env(opts=JAVA_OPTS):
    """The environment of a JVM the harness starts; opts None leaves the launcher's defaults."""
    env = dict(os.environ)
    env.pop("SPILLWAY_JAVA_OPTS", None)
    return env if opts is None else dict(env, SPILLWAY_JAVA_OPTS=opts)


def start_proxy(args, target, logs):
    if target == "spillway":
        return Proc("spillway", pin(args, 1, [args.spillway, "gateway", "--config", args.gateway_config]), logs,
                    env=java_env(args.proxy_java_opts))
    if target == "nginx":
        work = tempfile.mkdtemp(prefix="nginx-", dir=logs)
        with open(os.path.join(HERE, "nginx.conf.template")) as f:
            conf = f.read()
        conf = (conf.replace("{dir}", work).replace("{port}", str(PORTS["nginx"]))
                .replace("{backend_port}", str(PORTS["direct"]))
                .replace("{affinity}", "" if args.no_pin else "worker_cpu_affinity 10;"))
        path = os.path.join(work, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        return Proc("nginx", pin(args, 1, ["nginx", "-p", work, "-c", path, "-g", "daemon off;"]), logs)
    if target == "portkey":
        server = os.path.join("node_modules", "@portkey-ai", "gateway", "build", "start-server.js")
        cmd = ["node", "-r", "./bind-local.cjs", server, f"--port={PORTS['portkey']}", "--headless"]
        return Proc("portkey", pin(args, 1, cmd), logs, cwd=PORTKEY_DIR)
    return None


def wrk(args, target, rate, seconds, conns):
    path, headers, body_file = request_for(target)
    return paced_wrk(pin(args, 0, []), f"http://{HOST}:{PORTS[target]}{path}", body_file,
                     ";".join(f"{k}:{v}" for k, v in headers.items()), rate, conns, seconds)


def paced_wrk(prefix, url, body_file, headers, rate, conns, seconds):
    """POSTs body_file to url at rate req/s over conns connections (wrk and pace.lua) behind the
    command prefix (e.g. taskset); returns pace.lua's JSON summary."""
    env = dict(os.environ, WRK_BODY=body_file, WRK_RATE=str(rate), WRK_HEADERS=headers)
    cmd = prefix + ["wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--timeout", "10s",
                    "-s", os.path.join(HERE, "pace.lua"), url]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 60)
    lines = [x for x in out.stdout.splitlines() if x.startswith("{")]
    if not lines:
        raise RuntimeError(f"wrk printed no result: {out.stdout[-500:]} {out.stderr[-500:]}")
    return json.loads(lines[-1])


def warmed_up(records):
    """Steady state: at least WARM_MIN_RUNS runs, the proxy's CPU per request has stopped falling and
    the JIT is no longer a real share of it (the hot path is compiled: two equal readings with the
    compilers still busy are a plateau, not the end); without a proxy, WARM_REQUESTS served."""
    if records[-1]["cpu_s_per_10k"] is None:
        return sum(r["requests"] for r in records) >= WARM_REQUESTS
    if len(records) < WARM_MIN_RUNS:
        return False
    before, last = records[-2]["cpu_s_per_10k"], records[-1]["cpu_s_per_10k"]
    jit, cpu = records[-1].get("jit_cpu_s") or 0, records[-1].get("proxy_cpu_s") or 0
    compiling = cpu > 0 and jit / cpu > WARM_JIT_SHARE
    return before > 0 and abs(last - before) / before <= WARM_STEADY and not compiling


def run_phase(args, rnd, target, phase, proxy, backend):
    """One wrk run; the warm phase repeats until warmed_up (at most WARM_MAX_RUNS runs)."""
    if phase != "warm":
        return measure(args, rnd, target, phase, proxy, backend)
    records = []
    while len(records) < WARM_MAX_RUNS:
        records.append(measure(args, rnd, target, phase, proxy, backend))
        if warmed_up(records):
            break
    return dict(records[-1], warm_runs=len(records), steady=warmed_up(records),
                warm_cpu_s_per_10k=[r["cpu_s_per_10k"] for r in records],
                requests=sum(r["requests"] for r in records))


def measure(args, rnd, target, phase, proxy, backend):
    rate, seconds, conns = PHASES[phase]
    seconds = max(2, round(seconds * args.scale))
    p0, j0, b0, w0, m0, t0 = (proxy.cpu_seconds() if proxy else 0, proxy.jit_cpu_seconds() if proxy else 0,
                              backend.cpu_seconds(), children_cpu(), machine_busy_seconds(), time.monotonic())
    skipped0 = audit_bodies_skipped(target)
    r = wrk(args, target, rate, seconds, conns)
    elapsed = time.monotonic() - t0
    skipped1 = audit_bodies_skipped(target)
    proxy_cpu = (proxy.cpu_seconds() - p0) if proxy else None
    jit_cpu = (proxy.jit_cpu_seconds() - j0) if proxy else None
    backend_cpu = backend.cpu_seconds() - b0
    wrk_cpu = children_cpu() - w0
    others = (machine_busy_seconds() - m0 - (proxy_cpu or 0) - backend_cpu - wrk_cpu) / elapsed
    rss, hwm = proxy.memory_mb() if proxy else (None, None)
    errors = sum(r[k] for k in r if k.startswith("err_"))
    return {"round": rnd, "target": target, "phase": phase, "rate_target": rate, "connections": conns,
            "seconds": round(r["duration_us"] / 1e6, 3), "requests": r["requests"],
            "achieved_rps": round(r["requests"] / (r["duration_us"] / 1e6), 1),
            "p50_us": r["p50_us"], "p90_us": r["p90_us"], "p99_us": r["p99_us"], "max_us": r["max_us"],
            "errors": errors, "proxy_cpu_s": round(proxy_cpu, 3) if proxy else None,
            "jit_cpu_s": round(jit_cpu, 3) if proxy else None,
            "audit_bodies_skipped": None if skipped0 is None or skipped1 is None else int(skipped1 - skipped0),
            "cpu_s_per_10k": round(proxy_cpu / r["requests"] * 1e4, 3) if proxy and r["requests"] else None,
            "rss_mb": rss, "hwm_mb": hwm, "backend_cpu_s": round(backend_cpu, 3),
            "loadgen_cpu_s": round(wrk_cpu, 3), "other_cores": round(others, 2)}


def jcmd_path(java):
    """The jcmd next to the java the harness uses, or None."""
    jcmd = os.path.join(os.path.dirname(java or ""), "jcmd")
    return jcmd if os.access(jcmd, os.X_OK) else shutil.which("jcmd")


def jvm_pid(proxy):
    """The proxy's JVM among its processes (the launcher may run java as a child), or None (nginx, node)."""
    for pid in proxy.pids() if proxy else []:
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() == "java":
                    return pid
        except OSError:
            pass
    return None


def histogram_total_kb(text):
    """The bytes of the `Total` line of `jcmd PID GC.class_histogram`, in KB; None if there is none."""
    for line in reversed(text.splitlines()):
        parts = line.split()
        if len(parts) == 3 and parts[0] == "Total" and parts[2].isdigit():
            return round(int(parts[2]) / 1024, 1)
    return None


def live_heap_kb(args, proxy):
    """The JVM proxy's live heap in KB: GC.class_histogram runs a full collection first, then sums
    the bytes of every object still reachable. None for a proxy that is not a JVM. It stops the
    JVM for the collection (tens to hundreds of ms), so it is never taken inside a measured window."""
    pid, jcmd = jvm_pid(proxy), jcmd_path(args.java)
    if pid is None or jcmd is None:
        return None
    try:
        out = subprocess.run([jcmd, str(pid), "GC.class_histogram"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return histogram_total_kb(out.stdout)


def established(port):
    """TCP connections in state ESTABLISHED whose local port is `port` (/proc/net/tcp and tcp6)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                        count += 1
        except (OSError, StopIteration):
            pass
    return count


def per_stream_kb(before, open_, streams):
    """(reading with the streams open - reading before) / streams, in KB; None when a reading is missing."""
    if before is None or open_ is None or not streams:
        return None
    return round((open_ - before) / streams, 1)


def heap_reading_by(warmup):
    """The latest time, after the load generator starts, to read the live heap with the streams open:
    a second before the measured window, so the reading's stop-the-world collection delays only
    warm-up streams. It is read earlier, as soon as every stream is open."""
    return warmup - 1.0


def await_open_streams(port, streams, deadline, bench):
    """Waits until `streams` connections are established to `port` (during the ramp each is one open
    stream: none has ended yet), the deadline passes or the load generator exits; returns the count."""
    while time.monotonic() < deadline and bench.poll() is None and established(port) < streams:
        time.sleep(0.2)
    return established(port)


def run_stream_check(args, rnd, target, proxy):
    """N concurrent streams of 200 tokens at --token-ms per token: a stream lasts 200 x token-ms, so a
    rate of N per stream-length keeps N open. The proxy's memory per open stream is read two ways: its
    live heap (a JVM's, after a full collection) once the ramp has opened every stream (or a second
    before the measured window), against the same once every stream has closed and the backend
    connections they held have left the pool (POOL_IDLE_SECONDS), over the streams open
    at the reading (what the first stream loads for good, the tokenizer's tables among it, counts in
    neither; the reading before the load is kept to show it); and its RSS halfway through the measured
    window against before the load, over N."""
    stream_s = 200 * args.token_ms / 1000.0
    rate = args.streams / stream_s
    warmup = max(6, math.ceil(stream_s * 1.5))
    seconds = max(8, round(max(12, 2 * stream_s) * args.scale))
    route = ["--model", DEPLOYMENT] if target == "portkey" else ["--deployment", DEPLOYMENT]
    extra = [x for k, v in PORTKEY_HEADERS.items() for x in ("-H", f"{k}:{v}")] if target == "portkey" else []
    cmd = pin(args, 0, [args.spillway, "bench", f"http://{HOST}:{PORTS[target]}", *route, *extra,
                        "--api-key", API_KEY, "--stream", "--shape", "custom", "--context-tokens", "200",
                        "--max-tokens", "200", "--rate", str(rate), "--clients", str(args.streams + 200),
                        "--warmup", f"{warmup}s", "--duration", f"{seconds}s", "--threads", "1", "--interval", "5s",
                        "--timeout", f"{math.ceil(stream_s) + 30}s", "--output", "jsonl",
                        "-H", f"x-sim-per-token-ms:{args.token_ms}", "-H", "x-sim-completion-tokens:200",
                        "-H", "x-sim-latency-ms:0"])
    heap0 = live_heap_kb(args, proxy)
    rss0 = proxy.memory_mb()[0] if proxy else None
    p0, c0 = (proxy.cpu_seconds() if proxy else 0), children_cpu()
    started = time.monotonic()
    bench = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=java_env())
    try:
        conns_open = await_open_streams(PORTS[target], args.streams, started + heap_reading_by(warmup), bench)
        heap_open = live_heap_kb(args, proxy) if bench.poll() is None else None
        time.sleep(max(0.0, started + warmup - time.monotonic()))
        p_window = proxy.cpu_seconds() if proxy else 0
        time.sleep(seconds / 2)
        rss_mid = proxy.memory_mb()[0] if proxy and bench.poll() is None else None
        time.sleep(seconds / 2)
        window_cpu = proxy.cpu_seconds() - p_window if proxy else None
        stdout, stderr = bench.communicate(timeout=stream_s + 120)
    finally:
        if bench.poll() is None:
            bench.kill()
    heap_closed = None
    if jvm_pid(proxy) is not None:
        time.sleep(POOL_IDLE_SECONDS)  # the backend connections the streams held leave the pool first
        heap_closed = live_heap_kb(args, proxy)
    final = [json.loads(x) for x in stdout.splitlines() if x.startswith('{"type":"final"')]
    if not final:
        raise RuntimeError(f"spillway bench printed no final report: {stdout[-400:]} {stderr[-400:]}")
    f = final[-1]
    ttft = f.get("ttft_ms") or {}
    sent = f.get("ttft_sent_ms") or {}
    proxy_cpu = proxy.cpu_seconds() - p0 if proxy else None
    # In the steady state the measured window relays about as many tokens as its started streams hold.
    relayed = f["completed"] * 200
    return {"round": rnd, "target": target, "phase": "stream", "streams": args.streams,
            "token_ms": args.token_ms, "completed": f["completed"], "failures": f["failures"],
            "unfinished": f["unfinished"],
            "ttft_p50_ms": ttft.get("p50"), "ttft_p99_ms": ttft.get("p99"),
            "ttft_sent_p50_ms": sent.get("p50"), "ttft_sent_p99_ms": sent.get("p99"),
            "tbt_p50_ms": (f.get("tbt_ms") or {}).get("p50"), "e2e_p99_ms": (f.get("e2e_ms") or {}).get("p99"),
            "proxy_cpu_s": round(proxy_cpu, 3) if proxy else None,
            "cpu_us_per_token": round(window_cpu / relayed * 1e6, 2) if proxy and relayed else None,
            "heap_before_kb": heap0, "heap_open_kb": heap_open, "heap_closed_kb": heap_closed,
            "open_connections": conns_open, "heap_kb_per_stream": per_stream_kb(heap_closed, heap_open, conns_open),
            "rss_before_mb": rss0, "rss_open_mb": rss_mid,
            "kb_per_stream": per_stream_kb(rss0 * 1024 if rss0 is not None else None,
                                           rss_mid * 1024 if rss_mid is not None else None, args.streams),
            "loadgen_cpu_s": round(children_cpu() - c0, 3)}


def run_startup(args, target, logs):
    """Launch to first 200, started as users start it (Spillway through the launcher, which maps the AOT cache)."""
    proc = start_proxy(args, target, logs)
    try:
        return round(wait_ready(proc, target) * 1000)
    finally:
        proc.stop()


def emit(args, record):
    line = json.dumps(record, separators=(",", ":"))
    print(line, flush=True)
    if args.out:
        with open(args.out, "a") as f:
            f.write(line + "\n")


def fmt(x):
    if isinstance(x, float) and not x.is_integer():
        return f"{x:,.3f}".rstrip("0").rstrip(".")
    return f"{int(x):,}"


def med(values):
    """Median, with the min–max across rounds when they differ."""
    v = [x for x in values if x is not None]
    if not v:
        return "–"
    m = fmt(float(statistics.median(v)))
    return m if min(v) == max(v) else f"{m} ({fmt(float(min(v)))}–{fmt(float(max(v)))})"


def median_or_none(values):
    v = [x for x in values if x is not None]
    return statistics.median(v) if v else None


def ratio(value, reference):
    """A target's median CPU per request as a multiple of a reference target's in the same run."""
    return "–" if value is None or not reference else f"{value / reference:.2f}×"


def jit_per_10k(record):
    jit = record.get("jit_cpu_s")
    return round(jit / record["requests"] * 1e4, 3) if jit is not None and record["requests"] else None


def summary(records):
    """Markdown tables: medians with min–max across rounds; Δ against direct of the same round."""
    out = []
    direct = {(r["round"], r["phase"]): r for r in records if r["target"] == "direct"}
    for phase in [p for p in PHASES if p != "warm"]:
        rows = [r for r in records if r["phase"] == phase]
        if not rows:
            continue
        out += [f"\n#### {phase}: " + ("max throughput" if PHASES[phase][0] == 0 else f"{PHASES[phase][0]:,} req/s")
                + f", {PHASES[phase][2]} connections, 1 KB request\n",
                "| target | rounds | achieved req/s | p50 µs | p90 µs | p99 µs | Δp50 vs direct µs | proxy CPU-s / 10k "
                "| ÷ nginx | ÷ Portkey | of it JIT | RSS MB (peak) | errors |",
                "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
        cpu = {t: median_or_none([r["cpu_s_per_10k"] for r in rows if r["target"] == t]) for t in TARGETS}
        for t in TARGETS:
            rs = [r for r in rows if r["target"] == t]
            if rs:
                d = [r["p50_us"] - direct[(r["round"], phase)]["p50_us"] for r in rs
                     if (r["round"], phase) in direct]
                out.append(f"| {t} | {len(rs)} | {med([r['achieved_rps'] for r in rs])} | {med([r['p50_us'] for r in rs])} "
                           f"| {med([r['p90_us'] for r in rs])} | {med([r['p99_us'] for r in rs])} | {med(d)} "
                           f"| {med([r['cpu_s_per_10k'] for r in rs])} | {ratio(cpu[t], cpu['nginx'])} "
                           f"| {ratio(cpu[t], cpu['portkey'])} | {med([jit_per_10k(r) for r in rs])} "
                           f"| {med([r['hwm_mb'] for r in rs])} "
                           f"| {sum(r['errors'] for r in rs)} |")
    streams = [r for r in records if r["phase"] == "stream"]
    if streams:
        sd = {r["round"]: r for r in streams if r["target"] == "direct"}
        out += [f"\n#### streaming: {streams[0]['streams']:,} concurrent streams, 200 tokens at "
                f"{streams[0].get('token_ms', 20)} ms/token\n",
                "| target | rounds | completed | failures + unfinished | TTFT p50 ms | TTFT p99 ms | Δ TTFT p99 vs direct ms "
                "| TTFT from send p99 ms | proxy CPU-s | proxy CPU µs / token | live heap KB / open stream "
                "| RSS KB / open stream | load generator CPU-s |",
                "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
        for t in TARGETS:
            rs = [r for r in streams if r["target"] == t]
            if rs:
                d = [round(r["ttft_p99_ms"] - sd[r["round"]]["ttft_p99_ms"], 3) for r in rs
                     if r["round"] in sd and r["ttft_p99_ms"] is not None and sd[r["round"]]["ttft_p99_ms"] is not None]
                out.append(f"| {t} | {len(rs)} | {med([r['completed'] for r in rs])} "
                           f"| {sum(r['failures'] + r.get('unfinished', 0) for r in rs)} "
                           f"| {med([r['ttft_p50_ms'] for r in rs])} | {med([r['ttft_p99_ms'] for r in rs])} "
                           f"| {med(d)} | {med([r['ttft_sent_p99_ms'] for r in rs])} "
                           f"| {med([r['proxy_cpu_s'] for r in rs])} | {med([r.get('cpu_us_per_token') for r in rs])} "
                           f"| {med([r.get('heap_kb_per_stream') for r in rs])} "
                           f"| {med([r.get('kb_per_stream') for r in rs])} | {med([r['loadgen_cpu_s'] for r in rs])} |")
    starts = [r for r in records if r["phase"] == "startup"]
    if starts:
        out += ["\n#### startup: launch to first 200\n", "| target | runs | ms |", "|---|--:|--:|"]
        for t in TARGETS:
            rs = [r["ms"] for r in starts if r["target"] == t]
            if rs:
                out.append(f"| {t} | {len(rs)} | {med(rs)} |")
    return "\n".join(out)


def stop_on_signals():
    """SIGTERM and SIGINT (even when inherited as ignored) unwind through `finally`, stopping the servers."""
    def leave(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, leave)
    signal.signal(signal.SIGINT, leave)


def main(argv):
    args = parse_args(argv)
    stop_on_signals()
    if args.dry_run:
        for rnd in range(args.rounds):
            print(f"round {rnd + 1}: " + ", ".join(round_order(args.targets, rnd)) + " × " + ",".join(args.phases))
        return 0
    args.java = find_java()
    problems = missing_tools(args)
    if problems:
        print("overhead.py cannot run:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    write_openai_body()
    logs = tempfile.mkdtemp(prefix="spillway-overhead-")
    print(f"# logs in {logs}", file=sys.stderr)
    if args.port_base:
        move_ports(args, logs)
    records = []
    backend = start_backend(args, logs)
    try:
        wait_ready(backend, "direct")
        for rnd in range(1, args.rounds + 1):
            for target in round_order(args.targets, rnd - 1):
                proxy = start_proxy(args, target, logs)
                try:
                    if proxy:
                        wait_ready(proxy, target)
                    for phase in args.phases:
                        rec = run_phase(args, rnd, target, phase, proxy, backend)
                        emit(args, rec)
                        records.append(rec)
                    if args.stream:
                        rec = run_stream_check(args, rnd, target, proxy)
                        emit(args, rec)
                        records.append(rec)
                finally:
                    if proxy:
                        proxy.stop()
        if args.startup:
            for rnd in range(1, 4):
                for target in [t for t in args.targets if t != "direct"]:
                    rec = {"round": rnd, "target": target, "phase": "startup",
                           "ms": run_startup(args, target, logs)}
                    emit(args, rec)
                    records.append(rec)
    finally:
        backend.stop()
    print(summary([r for r in records if r["phase"] != "warm"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
