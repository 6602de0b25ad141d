"""Smoke test of the harness's argument parsing and summary (no servers): python3 -m unittest test_overhead.py"""
import io
import json
import math
import os
import socket
import sys
import time
import unittest
from contextlib import redirect_stderr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import overhead  # noqa: E402


class ParseArgs(unittest.TestCase):
    def test_defaults_cover_every_target_and_phase_twice(self):
        a = overhead.parse_args([])
        self.assertEqual(a.rounds, 2)
        self.assertEqual(a.targets, ["direct", "spillway", "nginx", "portkey"])
        self.assertEqual(a.phases, ["warm", "r500", "r2000", "max"])

    def test_one_round_is_refused_because_nothing_would_interleave(self):
        with redirect_stderr(io.StringIO()) as err, self.assertRaises(SystemExit):
            overhead.parse_args(["--rounds", "1"])
        self.assertIn("--rounds must be >= 2", err.getvalue())

    def test_unknown_target_is_named(self):
        with redirect_stderr(io.StringIO()) as err, self.assertRaises(SystemExit):
            overhead.parse_args(["--targets", "direct,envoy"])
        self.assertIn("unknown target 'envoy'", err.getvalue())

    def test_rounds_rotate_the_target_order(self):
        t = ["direct", "spillway", "nginx"]
        self.assertEqual(overhead.round_order(t, 0), t)
        self.assertEqual(overhead.round_order(t, 1), ["spillway", "nginx", "direct"])


class Requests(unittest.TestCase):
    def test_portkey_gets_the_openai_route_with_the_model_and_forwards_the_simulator_headers(self):
        path, headers, body = overhead.request_for("portkey")
        self.assertEqual(path, "/v1/chat/completions")
        self.assertEqual(headers["authorization"], "Bearer " + overhead.API_KEY)
        self.assertIn("x-sim-per-token-ms", headers["x-portkey-forward-headers"].split(","))
        self.assertEqual(headers["x-portkey-custom-host"], "http://127.0.0.1:8081/openai/v1")
        overhead.write_openai_body()
        with open(body) as f:
            self.assertEqual(json.load(f)["model"], overhead.DEPLOYMENT)

    def test_the_others_get_the_azure_deployment_route_and_the_plain_body(self):
        path, headers, body = overhead.request_for("nginx")
        self.assertTrue(path.startswith("/openai/deployments/gpt-4o-mini/chat/completions?api-version="))
        self.assertEqual(headers["api-key"], overhead.API_KEY)
        self.assertTrue(body.endswith("request.json"))


class WarmUp(unittest.TestCase):
    @staticmethod
    def runs(*cpu):
        return [{"cpu_s_per_10k": c, "requests": 20_000} for c in cpu]

    def test_warm_until_cpu_per_request_stops_falling(self):
        self.assertFalse(overhead.warmed_up(self.runs(2.4, 2.39)))  # too few runs to call it steady
        self.assertFalse(overhead.warmed_up(self.runs(2.4, 1.6, 1.3)))  # still compiling
        self.assertTrue(overhead.warmed_up(self.runs(2.4, 1.6, 1.3, 1.27)))

    def test_equal_readings_with_the_jit_still_busy_are_not_steady(self):
        # round 2 of the 2026-12-07 23:39 full-pipeline run: 5.53 then 5.79, with the compilers
        # taking 2.27 of the last run's 5.07 CPU-s; the measured phase after it read 4.55 against 1.82
        runs = self.runs(25.0, 8.23, 5.53, 5.79)
        runs[-1].update(jit_cpu_s=2.27, proxy_cpu_s=5.07)
        self.assertFalse(overhead.warmed_up(runs))
        runs[-1].update(jit_cpu_s=0.02)
        self.assertTrue(overhead.warmed_up(runs))

    def test_without_a_proxy_a_request_count_is_enough(self):
        self.assertFalse(overhead.warmed_up([{"cpu_s_per_10k": None, "requests": 5_000}]))
        self.assertTrue(overhead.warmed_up([{"cpu_s_per_10k": None, "requests": 25_000}]))


class Summary(unittest.TestCase):
    def test_delta_is_taken_against_direct_of_the_same_round(self):
        rec = lambda rnd, target, p50: {"round": rnd, "target": target, "phase": "r500", "achieved_rps": 500.0,
                                        "p50_us": p50, "p90_us": p50, "p99_us": p50, "cpu_s_per_10k": None,
                                        "hwm_mb": None, "errors": 0}
        md = overhead.summary([rec(1, "direct", 100), rec(1, "nginx", 160), rec(2, "direct", 200), rec(2, "nginx", 240)])
        self.assertIn("| nginx | 2 | 500 | 200 (160–240) | 200 (160–240) | 200 (160–240) | 50 (40–60) |", md)

    def test_each_target_s_cpu_is_given_as_a_multiple_of_nginx_and_portkey_from_the_same_run(self):
        rec = lambda target, cpu: {"round": 1, "target": target, "phase": "r2000", "achieved_rps": 2000.0,
                                   "p50_us": 100, "p90_us": 100, "p99_us": 100, "cpu_s_per_10k": cpu,
                                   "hwm_mb": None, "errors": 0, "requests": 30000, "jit_cpu_s": None}
        md = overhead.summary([rec("spillway", 1.2), rec("nginx", 0.4), rec("portkey", 12.0)])
        self.assertIn("| 1.2 | 3.00× | 0.10× |", md)
        self.assertIn("| 12 | 30.00× | 1.00× |", md)


class StreamMemory(unittest.TestCase):
    HISTOGRAM = """12345:
 num     #instances         #bytes  class name (module)
-------------------------------------------------------
   1:         41023        9304120  [B (java.base@25.0.1)
   2:         30117         722808  java.lang.String (java.base@25.0.1)
Total        512345       52428800
"""

    def test_the_live_heap_is_the_histograms_total_in_kb(self):
        self.assertEqual(overhead.histogram_total_kb(self.HISTOGRAM), 51200.0)
        self.assertIsNone(overhead.histogram_total_kb("12345:\nCould not attach"))

    def test_memory_per_stream_is_the_difference_over_the_streams_or_nothing(self):
        self.assertEqual(overhead.per_stream_kb(40_000, 52_000, 1000), 12.0)
        self.assertIsNone(overhead.per_stream_kb(None, 52_000, 1000))
        self.assertIsNone(overhead.per_stream_kb(40_000, None, 1000))

    def test_the_heap_is_read_before_the_measured_window_even_if_the_ramp_is_late(self):
        for token_ms in (20, 50, 100):
            warmup = max(6, math.ceil(200 * token_ms / 1000.0 * 1.5))
            self.assertLessEqual(overhead.heap_reading_by(warmup) + 1, warmup)

    def test_the_wait_for_open_streams_ends_at_its_deadline(self):
        class Running:
            def poll(self):
                return None
        with socket.socket() as server:
            server.bind(("127.0.0.1", 0))
            server.listen()
            port = server.getsockname()[1]
            with socket.create_connection(("127.0.0.1", port)):
                accepted, _ = server.accept()
                with accepted:
                    start = time.monotonic()
                    self.assertEqual(overhead.await_open_streams(port, 5, start + 0.5, Running()), 1)
                    self.assertLess(time.monotonic() - start, 5)
                    self.assertEqual(overhead.await_open_streams(port, 1, start + 60, Running()), 1)

    def test_established_connections_on_a_port_are_counted(self):
        with socket.socket() as server:
            server.bind(("127.0.0.1", 0))
            server.listen()
            port = server.getsockname()[1]
            self.assertEqual(overhead.established(port), 0)
            with socket.create_connection(("127.0.0.1", port)) as client:
                accepted, _ = server.accept()
                with accepted:
                    self.assertEqual(overhead.established(port), 1)

    def test_a_non_jvm_proxy_has_no_live_heap_reading(self):
        args = overhead.parse_args([])
        args.java = None
        self.assertIsNone(overhead.live_heap_kb(args, None))

    def test_the_streams_table_shows_the_live_heap_and_the_rss_per_stream(self):
        rec = {"round": 1, "target": "spillway", "phase": "stream", "streams": 300, "token_ms": 50,
               "completed": 600, "failures": 0, "unfinished": 0, "ttft_p50_ms": 1.0, "ttft_p99_ms": 2.0,
               "ttft_sent_p99_ms": 2.0, "proxy_cpu_s": 3.0, "cpu_us_per_token": 20.0,
               "heap_kb_per_stream": 9.5, "kb_per_stream": 31.0, "loadgen_cpu_s": 4.0}
        md = overhead.summary([rec])
        self.assertIn("live heap KB / open stream | RSS KB / open stream", md)
        self.assertIn("| 20 | 9.5 | 31 | 4 |", md)


if __name__ == "__main__":
    unittest.main()
