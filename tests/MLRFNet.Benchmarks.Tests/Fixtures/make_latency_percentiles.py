"""Reference percentiles for LatencyStatisticsTests: numpy.percentile (default method "linear", Hyndman & Fan
definition 7) of a few latency samples. Run: /usr/bin/python3 make_latency_percentiles.py > latency_percentiles.json"""
import json

import numpy as np

rng = np.random.default_rng(8)
cases = [
    [12.5],
    [3.0, 1.0],
    [5.0, 1.0, 4.0, 2.0, 3.0],
    # A skewed sample like latencies on a busy machine: a body near 100 ms and a few slow outliers.
    [float(v) for v in np.round(np.concatenate([rng.normal(100, 5, 17), [180.0, 250.0, 400.0]]), 3)],
    [float(v) for v in np.round(rng.lognormal(3, 0.7, 33), 4)],
]
print(json.dumps([
    {"values": c, "median": float(np.percentile(c, 50)), "p95": float(np.percentile(c, 95)), "p90": float(np.percentile(c, 90))}
    for c in cases
], indent=1))
