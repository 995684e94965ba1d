"""Reference values for Fledge's canary judge, computed with scipy.

Writes (or checks) rank-test.scipy.json beside this file: seeded samples as (value, count) bins,
with scipy's one-sided Mann-Whitney U test, numpy's Hodges-Lehmann shift and scipy's exact
binomial test for each. The unit tests compare libs/domain/src/slo against the committed file;
an integration test re-runs this script with --check against the stack's scipy.

  .tools/venv/bin/python libs/domain/test/reference/rank_test_reference.py          # write
  .tools/venv/bin/python libs/domain/test/reference/rank_test_reference.py --check  # compare
"""

import json
import math
import pathlib
import sys

import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path(__file__).with_name("rank-test.scipy.json")
SEED = 20261201


def bins(sample, empty_bins=0, rng=None):
    values, counts = np.unique(np.asarray(sample, dtype=float), return_counts=True)
    values, counts = list(values), [int(c) for c in counts]
    # Zero-count bins, as a histogram export may leave them: they must change nothing.
    for _ in range(empty_bins):
        i = int(rng.integers(0, len(values) + 1))
        lo = values[i - 1] if i > 0 else values[0] - 1.0
        hi = values[i] if i < len(values) else values[-1] + 1.0
        values.insert(i, (lo + hi) / 2)
        counts.insert(i, 0)
    return {"valuesMs": [float(v) for v in values], "counts": counts}


def latencies(rng, n, median_ms, sigma=0.35, resolution=0.1):
    """Log-normal request latencies rounded to the histogram's resolution (so, with ties)."""
    return np.round(rng.lognormal(math.log(median_ms), sigma, n) / resolution) * resolution


def cases():
    rng = np.random.default_rng(SEED)
    out = []

    def add(name, x, y, empty_bins=0):
        out.append({"name": name, "x": bins(x, empty_bins, rng), "y": bins(y, empty_bins, rng)})

    # Tiny samples without ties: scipy's exact distribution.
    add("tiny distinct 5 vs 7", rng.normal(10, 1, 5), rng.normal(9, 1, 7))
    add("tiny distinct 3 vs 8, candidate all larger", [20.5, 21.25, 22.125], rng.normal(10, 1, 8))
    add("tiny distinct 8 vs 8", rng.normal(5, 2, 8), rng.normal(5, 2, 8))
    add("tiny distinct 1 vs 6", [7.5], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    # Tiny samples with ties: asymptotic with the tie correction.
    add("tiny tied 4 vs 5", [1, 2, 2, 3], [2, 2, 3, 3, 4])
    add("tiny tied 2 vs 2, all equal", [4, 4], [4, 4])
    # Latency windows: binned, many ties.
    add("A/A 200 vs 1800", latencies(rng, 200, 3.0), latencies(rng, 1800, 3.0))
    add("A/A 60 vs 60", latencies(rng, 60, 3.0), latencies(rng, 60, 3.0))
    add("shifted +10% 500 vs 500", latencies(rng, 500, 3.3), latencies(rng, 500, 3.0))
    add("shifted +50% 100 vs 900", latencies(rng, 100, 4.5), latencies(rng, 900, 3.0), empty_bins=5)
    add("faster candidate 300 vs 300", latencies(rng, 300, 2.0), latencies(rng, 300, 3.0))
    outliers = np.concatenate([latencies(rng, 395, 3.0), [250.0, 300.0, 900.0, 1200.0, 2000.0]])
    add("A/A with candidate outliers 400 vs 400", outliers, latencies(rng, 400, 3.0))
    add("coarse bins 1 ms, 1000 vs 1000", latencies(rng, 1000, 3.0, resolution=1.0),
        latencies(rng, 1000, 3.2, resolution=1.0), empty_bins=3)
    add("all equal 50 vs 80", [2.5] * 50, [2.5] * 80)
    add("one bin each, candidate higher 40 vs 40", [3.0] * 40, [2.0] * 40)
    add("large 20000 vs 20000, +2%", latencies(rng, 20000, 3.06), latencies(rng, 20000, 3.0))
    return out


def reference(case):
    x = np.repeat(case["x"]["valuesMs"], case["x"]["counts"])
    y = np.repeat(case["y"]["valuesMs"], case["y"]["counts"])
    auto = stats.mannwhitneyu(x, y, alternative="greater", method="auto")
    asym = stats.mannwhitneyu(x, y, alternative="greater", method="asymptotic")
    result = {
        "u": float(auto.statistic),
        "pAuto": float(auto.pvalue),
        "pAsymptotic": float(asym.pvalue),
        "hodgesLehmann": float(np.median(np.subtract.outer(x, y))) if len(x) * len(y) <= 4_000_000 else None,
    }
    if len(np.unique(np.concatenate([x, y]))) == len(x) + len(y):
        result["pExact"] = float(stats.mannwhitneyu(x, y, alternative="greater", method="exact").pvalue)
    return result


def binomial_cases():
    out = []
    for k, n, p in [(0, 10, 0.01), (1, 1, 0.01), (1, 10, 0.01), (1, 50, 0.01), (3, 50, 0.01), (12, 250, 0.01),
                    (5, 100, 0.01), (50, 1000, 0.01), (2, 400, 0.05), (40, 400, 0.05), (7, 7, 0.5)]:
        out.append({"k": k, "n": n, "p": p,
                    "pValue": float(stats.binomtest(k, n, p, alternative="greater").pvalue)})
    return out


def build():
    return {
        "generator": "libs/domain/test/reference/rank_test_reference.py",
        "scipy": scipy.__version__,
        "seed": SEED,
        "mannWhitney": [{**c, "scipy": reference(c)} for c in cases()],
        "binomial": binomial_cases(),
    }


def close(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(close(p, q) for p, q in zip(a, b))
    if isinstance(a, float) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)
    return a == b


if __name__ == "__main__":
    fresh = build()
    if "--check" in sys.argv:
        committed = json.loads(OUT.read_text())
        if not close(fresh, committed):
            sys.exit(f"{OUT.name} differs from what scipy {scipy.__version__} computes now: re-run this script")
        print(f"{OUT.name} matches scipy {scipy.__version__}")
    else:
        OUT.write_text(json.dumps(fresh, indent=1) + "\n")
        print(f"wrote {OUT}")
