"""Benchmark: the multiverse of notebook 05 against PyPI seminr 0.2.1, per fitted model.

One run times, on the same machine and data (the 20 regions, the study's codebook):

* the whole multiverse as notebook 05 runs it — the specifications' data and index form
  (:func:`helpers.steps.nb05_robustness.prepare`), then every specification on the original data
  and on
  ``--n-boot`` shared resamples (:func:`helpers.steps.nb05_robustness.estimate`: batched estimators,
  percentile intervals), median of ``--repeats`` runs after a warm-up;
* the first 10 specifications with seminr (``estimate_pls`` + ``bootstrap_model`` with
  ``--seminr-boot`` resamples each, sequential as its default ``cores=None``), one run;

and writes both, the time per fitted model (one specification on one data set: the original or a
resample) and their ratio to ``benchmarks/results/robustness.json``. The first 10 specifications
are the main one and nine one-choice-away variants (PLS Mode A with other indicator sets), models
seminr estimates exactly as we do; the largest path difference is recorded. Targets (issue 11):
1,000 specifications x 1,000 resamples in under 60 s on 2 cores; at least 100 times seminr per
fitted model.

    .venv/bin/python benchmarks/robustness.py [--n-specs 1000] [--n-boot 1000]
                                              [--seminr-boot 200] [--repeats 3] [--output FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.registers import article, data  # noqa: E402
from helpers.steps import nb05_multiverse as multiverse  # noqa: E402
from helpers.steps import nb05_robustness as robustness  # noqa: E402

N_SEMINR = 10


def timed(fn, repeats: int):
    """Median wall time of ``repeats`` calls after one warm-up, the wall and CPU times."""
    fn()
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), wall, cpu


def seminr_fits(s, prep, n_specs: int, n_boot: int, seed: int) -> tuple[float, float, float]:
    """The first ``n_specs`` specifications with seminr (all must be PLS Mode A): wall time, CPU
    time, and the largest |path difference| from our estimates."""
    factors = list(prep.factors)
    names = {c: f"x{i}" for i, c in enumerate(prep.table.columns)}
    frame = prep.table.rename(columns=names)
    ours = robustness.summarise(prep, robustness.fit(prep, robustness.bootstrap_counts(
        prep.n_obs, 2, seed)))
    worst = 0.0
    start, start_cpu = time.perf_counter(), time.process_time()
    for k in range(n_specs):
        spec = prep.specs.iloc[k]
        if spec["estimator"] != "pls_mode_a":
            raise ValueError(f"specification {k} uses {spec['estimator']}; the benchmark compares "
                             "PLS Mode A specifications only")
        cols = multiverse.spec_columns(spec, factors, prep.sets)
        blocks = [s.composite(f, [names[c] for c in block]) if len(block) > 1
                  else s.composite(f, s.single_item(names[block[0]]))
                  for f, block in zip(factors, cols, strict=True)]
        blocks.append(s.composite("y", s.single_item(names[f"outcome|{spec['outcome']}"])))
        fit = s.estimate_pls(frame, s.constructs(*blocks),
                             s.relationships(s.paths(from_=factors, to="y")))
        s.bootstrap_model(fit, nboot=n_boot, seed=seed)
        pc = fit.path_coef
        col = list(pc.cols).index("y")
        for f in factors:
            beta = float(pc.values[list(pc.rows).index(f), col])
            worst = max(worst, abs(beta - ours.loc[k, f"path_{f}"]))
    return time.perf_counter() - start, time.process_time() - start_cpu, worst


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-specs", type=int, default=1000, dest="n_specs")
    parser.add_argument("--n-boot", type=int, default=1000, dest="n_boot")
    parser.add_argument("--seminr-boot", type=int, default=200, dest="seminr_boot")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--output", type=Path,
                        default=ROOT / "benchmarks" / "results" / "robustness.json")
    args = parser.parse_args(argv)

    import seminr as s

    book = data.load_codebook()
    factors = list(article.FACTOR_IDS)
    load_before = os.getloadavg()

    def whole():
        prep = robustness.prepare(book, factors, n_specs=args.n_specs, seed=args.seed)
        return robustness.estimate(prep, n_boot=args.n_boot, seed=args.seed)

    ours_s, ours_runs, ours_cpu = timed(whole, args.repeats)
    prep = robustness.prepare(book, factors, n_specs=args.n_specs, seed=args.seed)
    est_s, est_runs, est_cpu = timed(
        lambda: robustness.estimate(prep, n_boot=args.n_boot, seed=args.seed), args.repeats)
    table = robustness.estimate(prep, n_boot=args.n_boot, seed=args.seed)
    theirs_s, theirs_cpu, worst = seminr_fits(s, prep, N_SEMINR, args.seminr_boot, args.seed)
    load_after = os.getloadavg()

    fits_ours = args.n_specs * (args.n_boot + 1)
    fits_theirs = N_SEMINR * (args.seminr_boot + 1)
    per_ours, per_theirs = ours_s / fits_ours, theirs_s / fits_theirs
    per_ours_cpu = statistics.median(ours_cpu) / fits_ours
    result = {
        "benchmark": "multiverse of notebook 05: specifications x resamples, against seminr",
        "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(), "numpy": np.__version__,
                    "seminr": getattr(s, "__version__", "0.2.1"),
                    "load_average_1_5_15min_before": [round(x, 2) for x in load_before],
                    "load_average_1_5_15min_after": [round(x, 2) for x in load_after]},
        "note": "wall times are medians; CPU times (all threads) show the work done when other "
                "processes share the machine (load average above the core count)",
        "n_specs": args.n_specs, "n_boot": args.n_boot,
        "n_estimable": int(table["estimable"].sum()),
        "ours": {"whole_s": ours_s, "whole_runs_s": ours_runs,
                 "whole_cpu_s": statistics.median(ours_cpu),
                 "whole_includes": "prepare (data for every year rule and scaling, enumeration) "
                                   "+ estimate (every specification x (1 + n_boot), percentile "
                                   "intervals)",
                 "estimate_s": est_s, "estimate_runs_s": est_runs,
                 "estimate_cpu_s": statistics.median(est_cpu),
                 "fitted_models": fits_ours, "per_fitted_model_s": per_ours,
                 "per_fitted_model_cpu_s": per_ours_cpu},
        "seminr": {"first_specifications": N_SEMINR, "nboot_each": args.seminr_boot,
                   "wall_s": theirs_s, "cpu_s": theirs_cpu, "fitted_models": fits_theirs,
                   "per_fitted_model_s": per_theirs,
                   "mode": "estimate_pls + bootstrap_model, sequential (cores=None), one run",
                   "max_abs_path_difference_vs_ours": worst},
        "ratio_per_fitted_model": per_theirs / per_ours,
        "ratio_per_fitted_model_cpu": (theirs_cpu / fits_theirs) / per_ours_cpu,
        "target": {"whole_under_60s": ours_s < 60,
                   "at_least_100x_seminr_per_fitted_model": per_theirs / per_ours >= 100},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
