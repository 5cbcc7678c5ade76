#!/usr/bin/env python3
"""How close together a reference model's scores are, against how far a candidate moves them.

Reads `mlrfnet evaluate --out` predictions CSVs (Image Index,<class>,...) of a reference model and of one or more
candidates, plus the labels CSV they were judged on, and prints:
  - each candidate's |dp| against the reference (median, p95, max) over all images and classes;
  - the share of positive/negative pairs (all classes) whose reference scores differ by less than t.
A pair closer than the candidate's typical |dp| can swap order, which moves that class's AUC by 1/(P*N). When
that share is a few percent and classes have 2-3 positives, a per-class AUC limit of 0.01 fails on noise.

Usage (Debian: /usr/bin/python3 with python3-numpy):
  score_gaps.py --labels validation.csv --reference fp32.csv --candidate int8.csv [--candidate fp16.csv]
"""
import argparse
import csv

import numpy as np


def read_predictions(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0][1:], {r[0]: np.array([float(v) for v in r[1:]]) for r in rows[1:]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", required=True, help="labels CSV ('Image Index' + 0/1 class columns)")
    parser.add_argument("--reference", required=True, help="reference predictions CSV")
    parser.add_argument("--candidate", action="append", required=True, help="candidate predictions CSV (repeatable)")
    parser.add_argument("--gaps", default="0.0027,0.005,0.01,0.02", help="score gaps t to report, comma-separated")
    args = parser.parse_args()

    classes, reference = read_predictions(args.reference)
    with open(args.labels, newline="") as f:
        labels = list(csv.DictReader(f))
    missing = [c for c in classes if c not in labels[0]]
    if missing:
        raise SystemExit(f"labels CSV lacks the classes {missing}; give the CSV the predictions were made on")
    ids = [row["Image Index"] for row in labels]
    absent = [i for i in ids if i not in reference]
    if absent:
        raise SystemExit(f"{len(absent)} labelled images have no reference prediction (first: {absent[0]})")
    ref = np.stack([reference[i] for i in ids])
    y = np.array([[int(float(row[c])) for c in classes] for row in labels])

    for path in args.candidate:
        cand_classes, candidate = read_predictions(path)
        if cand_classes != classes:
            raise SystemExit(f"{path}: classes differ from the reference's")
        dp = np.abs(np.stack([candidate[i] for i in ids]) - ref)
        print(f"{path}: |dp| median {np.median(dp):.4f}, p95 {np.percentile(dp, 95):.4f}, max {dp.max():.4f}")

    gaps = [np.abs(ref[y[:, k] == 1, k][:, None] - ref[y[:, k] == 0, k][None, :]).ravel()
            for k in range(len(classes)) if 0 < y[:, k].sum() < len(y)]
    gaps = np.concatenate(gaps)
    for t in (float(v) for v in args.gaps.split(",")):
        print(f"reference pairs closer than {t:g}: {100 * (gaps < t).mean():.1f}% of {gaps.size}")


if __name__ == "__main__":
    main()
