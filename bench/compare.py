"""Compare `bench/run.py --json` runs of two versions of the code: did a change make any callback slower?

Why: a refactor must not cost speed, and the cache-miss p95 of one run on this 2-core machine moves by ±10-20 %
from one process to the next. So each side may be given several runs (taken alternately, before/after/before/
after, in one sitting); a target's figure on a side is its lowest p95 over that side's runs (the run least
disturbed by the machine), and the same for the median.

    python bench/compare.py --before b1.json b2.json --after a1.json a2.json [--tolerance 10] [--markdown]

Prints one row per target (p95 before → after, change %) and exits 1 when any target's p95 is worse by more
than the tolerance (per cent).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def best(runs: list[dict[str, Any]], key: str) -> dict[str, float]:
    """Per target label, the lowest value of `key` over the runs."""
    out: dict[str, float] = {}
    for run in runs:
        for r in run["results"]:
            out[r["target"]] = min(out.get(r["target"], float("inf")), float(r[key]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", nargs="+", required=True, help="--json files of the old code")
    parser.add_argument("--after", nargs="+", required=True, help="--json files of the new code")
    parser.add_argument("--tolerance", type=float, default=10.0, help="per cent a p95 may grow (default 10)")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table (for docs/PERFORMANCE.md)")
    args = parser.parse_args()
    before = [json.loads(Path(p).read_text()) for p in args.before]
    after = [json.loads(Path(p).read_text()) for p in args.after]
    p95_b, p95_a = best(before, "p95_ms"), best(after, "p95_ms")
    med_b, med_a = best(before, "median_ms"), best(after, "median_ms")
    worse = []
    if args.markdown:
        print("| target | median before ms | median after ms | p95 before ms | p95 after ms | p95 change |")
        print("|---|---:|---:|---:|---:|---:|")
    for label in p95_b:
        if label not in p95_a:
            print(f"{label}: missing after", file=sys.stderr)
            worse.append(label)
            continue
        change = (p95_a[label] / p95_b[label] - 1) * 100
        flag = " **worse**" if change > args.tolerance else ""
        if change > args.tolerance:
            worse.append(label)
        if args.markdown:
            print(
                f"| {label} | {med_b[label]:.1f} | {med_a[label]:.1f} | {p95_b[label]:.1f} | {p95_a[label]:.1f} "
                f"| {change:+.1f} %{flag} |"
            )
        else:
            print(f"{label:<40} p95 {p95_b[label]:7.1f} → {p95_a[label]:7.1f} ms  {change:+6.1f} %{flag}")
    print(
        f"{len(p95_b)} targets; {len(worse)} with a p95 more than {args.tolerance:g} % worse"
        + (f": {', '.join(worse)}" if worse else ""),
        file=sys.stderr,
    )
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
