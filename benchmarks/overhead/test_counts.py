"""Checks counts.py's parsing (python3 -m unittest test_counts.py); runs no load."""
import unittest

import counts

PERF_TRACE = """
 Summary of events:

 vert.x-eventloo (32275), 4000 events, 60.0%

   syscall            calls  errors  total       min       avg       max       stddev
                                     (msec)    (msec)    (msec)    (msec)        (%)
   --------------- --------  ------ -------- --------- --------- ---------     ------
   recvfrom            1000      0    10.000     0.001     0.010     0.100      1.00%
   writev               990      0    20.000     0.002     0.020     0.200      2.00%

 usage-writer (32280), 100 events, 1.5%

   syscall            calls  errors  total       min       avg       max       stddev
   --------------- --------  ------ -------- --------- --------- ---------     ------
   futex                 25     25   500.000    20.000    20.000    21.000      0.10%
   recvfrom               5      0     0.050     0.010     0.010     0.010      0.00%
"""

STRACE = """% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 45.00    0.001000          10       100           recvfrom
 10.00    0.000500           5        40        10 futex
------ ----------- ----------- --------- --------- ----------------
100.00    0.001500          10       140        10 total
"""


class CountsTest(unittest.TestCase):
    def test_perf_trace_tables_are_summed_over_threads(self):
        self.assertEqual(counts.count_syscalls(PERF_TRACE), {"recvfrom": 1005, "writev": 990, "futex": 25})

    def test_strace_table_is_read_without_its_total_line(self):
        self.assertEqual(counts.count_syscalls(STRACE), {"recvfrom": 100, "futex": 40})

    def test_numbered_threads_share_a_group(self):
        self.assertEqual(counts.group_of("vert.x-worker-thread-12"), "vert.x-worker-thread")
        self.assertEqual(counts.group_of("usage-writer"), "usage-writer")

    def test_only_loopback_urls_are_loaded(self):
        with self.assertRaises(SystemExit):
            counts.parse_args(["--pid", "1", "--url", "http://10.0.0.1:8080"])


if __name__ == "__main__":
    unittest.main()
