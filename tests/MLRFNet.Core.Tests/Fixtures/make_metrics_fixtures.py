#!/usr/bin/python3
"""Reference values for src/MLRFNet.Core/Metrics, computed with scikit-learn, SciPy and NumPy.

Run from this folder with /usr/bin/python3 (it has sklearn 1.2.1, scipy 1.10.1, numpy 1.24.2):
    /usr/bin/python3 make_metrics_fixtures.py   # writes metrics_fixtures.json beside this script

What each reference comes from (none of it from the C# code):
- ROC AUC: sklearn.metrics.roc_auc_score; ROC curves: sklearn.metrics.roc_curve (default drop_intermediate=True,
  and drop_intermediate=False for some cases); Youden threshold: numpy.argmax(tpr - fpr) over that curve.
- Counts and metrics at a threshold: sklearn confusion_matrix, accuracy_score, recall_score, precision_score,
  f1_score on predictions score >= threshold. Metrics whose denominator is zero are written as null (sklearn
  would warn and return 0; the C# code reports them as undefined).
- DeLong: AUCs from scipy.stats.mannwhitneyu (U / (m n)); variance from a plain O(m n) structural-components
  implementation (DeLong, DeLong & Clarke-Pearson 1988) below, a different algorithm from the C# fast DeLong
  (Sun & Xu 2014, midranks). Two-sided p from scipy.stats.norm.sf, CI from scipy.stats.norm.ppf.
- Bootstrap: the resampling indices come from SplitMix64 + Lemire's bounded integers, written here from their
  published descriptions so that C# and Python draw the same resamples; each resample's AUC is sklearn's
  roc_auc_score on the resampled arrays and the interval is numpy.quantile (method "linear").
Large cases (100k samples) are generated from SplitMix64 on both sides (see `generate`), so only their spec and
the sklearn results are stored.
"""
import json
import math
import os
import sys

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, precision_score, recall_score,
                             roc_auc_score, roc_curve)

MASK = (1 << 64) - 1


class SplitMix64:
    """Steele, Lea & Flood 2014, constants as in Vigna's splitmix64.c (https://prng.di.unimi.it/splitmix64.c)."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, bound):
        """Lemire 2019, "Fast random integer generation in an interval" (multiply, reject the biased low part)."""
        m = self.next() * bound
        low = m & MASK
        if low < bound:
            threshold = ((1 << 64) - bound) % bound
            while low < threshold:
                m = self.next() * bound
                low = m & MASK
        return m >> 64

    def unit(self):
        return (self.next() >> 11) * (2.0 ** -53)


DECIMAL_SCALE = {1: 10.0, 2: 100.0, 3: 1000.0}


def generate(seed, n, prevalence_per_mille, shift, decimals):
    """Per sample: label = below(1000) < prevalence; x = u (1 - shift) + shift label; optional floor to decimals."""
    rng = SplitMix64(seed)
    labels = np.empty(n, dtype=np.int64)
    scores = np.empty(n, dtype=np.float32)
    for i in range(n):
        y = 1 if rng.below(1000) < prevalence_per_mille else 0
        u = rng.unit()
        x = u * (1.0 - shift) + shift * y
        if decimals is not None:
            x = math.floor(x * DECIMAL_SCALE[decimals]) / DECIMAL_SCALE[decimals]
        labels[i] = y
        scores[i] = np.float32(x)
    return scores, labels


def f32list(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32)]


def defined(labels):
    return labels.min() != labels.max()


def sklearn_auc(scores, labels):
    return float(roc_auc_score(labels, scores)) if defined(labels) else None


def roc(scores, labels, drop_intermediate):
    with np.errstate(invalid="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fpr, tpr, thr = roc_curve(labels, scores, drop_intermediate=drop_intermediate)
    assert thr.dtype == np.float32, thr.dtype
    return {
        "fpr": None if np.isnan(fpr).any() else [float(v) for v in fpr],
        "tpr": None if np.isnan(tpr).any() else [float(v) for v in tpr],
        "thresholds": f32list(thr),
    }


def youden(scores, labels):
    if not defined(labels):
        return None
    fpr, tpr, thr = roc_curve(labels, scores)
    j = tpr - fpr
    k = int(np.argmax(j))
    return {"index": k, "threshold": float(thr[k]), "j": float(j[k])}


def at_threshold(scores, labels, threshold):
    pred = (scores >= np.float32(threshold)).astype(np.int64)
    tn, fp, fn, tp = (int(v) for v in confusion_matrix(labels, pred, labels=[0, 1]).ravel())
    return {
        "threshold": float(np.float32(threshold)),
        "tp": tp, "fp": fp, "tn": tn, "fn": fn,
        "accuracy": float(accuracy_score(labels, pred)),
        "sensitivity": float(recall_score(labels, pred, pos_label=1)) if tp + fn > 0 else None,
        "specificity": float(recall_score(labels, pred, pos_label=0)) if tn + fp > 0 else None,
        "precision": float(precision_score(labels, pred, pos_label=1)) if tp + fp > 0 else None,
        "f1": float(f1_score(labels, pred, pos_label=1)) if 2 * tp + fp + fn > 0 else None,
    }


def binary_case(name, scores, labels, extra_thresholds=()):
    scores = np.asarray(scores, dtype=np.float32)
    labels = np.asarray(labels, dtype=np.int64)
    y = youden(scores, labels)
    thresholds = [0.5, float(np.median(scores)), float(scores.min()), float(scores.max()) + 0.01, *extra_thresholds]
    if y is not None:
        thresholds.insert(0, y["threshold"])
    return {
        "name": name,
        "scores": f32list(scores),
        "labels": [int(v) for v in labels],
        "auc": sklearn_auc(scores, labels),
        "roc": roc(scores, labels, True),
        "roc_all": roc(scores, labels, False),
        "youden": y,
        "at_thresholds": [at_threshold(scores, labels, t) for t in thresholds],
    }


def binary_cases():
    rng = np.random.default_rng(20230412)
    cases = [
        binary_case("tiny n=2 separated", [0.2, 0.8], [0, 1]),
        binary_case("tiny n=2 inverse", [0.8, 0.2], [0, 1]),
        binary_case("tiny n=2 tied", [0.5, 0.5], [1, 0]),
        binary_case("tiny n=3", [0.1, 0.4, 0.4], [0, 1, 0]),
        binary_case("tiny n=3 two positives", [0.3, 0.3, 0.9], [1, 0, 1]),
        binary_case("all equal scores", [0.25] * 10, [0, 1, 1, 0, 0, 1, 0, 0, 0, 1]),
        binary_case("perfect separation", [0.1, 0.2, 0.3, 0.6, 0.7, 0.9], [0, 0, 0, 1, 1, 1]),
        binary_case("inverse separation", [0.1, 0.2, 0.3, 0.6, 0.7, 0.9], [1, 1, 1, 0, 0, 0]),
        binary_case("only positives", [0.1, 0.5, 0.9, 0.9], [1, 1, 1, 1]),
        binary_case("only negatives", [0.3, 0.2, 0.2], [0, 0, 0]),
        binary_case("logits with negative values", [-12.5, -3.25, 0.0, 0.0, 4.5, 17.0, -3.25], [0, 1, 0, 1, 1, 1, 0]),
        # J = 0.5 at thresholds 0.9 and 0.7: argmax takes the first point, the higher threshold.
        binary_case("youden tie", [0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0]),
        binary_case("collinear run (drop_intermediate)", [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2], [1, 1, 1, 0, 0, 0, 1, 0]),
    ]
    for k in range(48):
        n = int(rng.choice([2, 3, 5, 10, 30, 100, 300, 1000]))
        prevalence = float(rng.uniform(0.05, 0.95))
        labels = (rng.random(n) < prevalence).astype(np.int64)
        separation = float(rng.uniform(-0.5, 2.0))
        raw = rng.normal(size=n) + separation * labels
        decimals = [None, 1, 2][k % 3]
        probs = 1.0 / (1.0 + np.exp(-raw))
        if decimals is not None:
            probs = np.round(probs, decimals)
        cases.append(binary_case(f"random {k} n={n} decimals={decimals}", probs, labels,
                                 extra_thresholds=[float(rng.uniform(0, 1))]))
    return cases


def generated_case(name, seed, n, prevalence, shift, decimals):
    scores, labels = generate(seed, n, prevalence, shift, decimals)
    fpr, tpr, thr = roc_curve(labels, scores)
    j = tpr - fpr
    k = int(np.argmax(j))
    step = max(1, len(thr) // 50)
    return {
        "name": name,
        "generator": {"seed": seed, "n": n, "prevalence_per_mille": prevalence, "shift": shift, "decimals": decimals},
        "positives": int(labels.sum()),
        "auc": float(roc_auc_score(labels, scores)),
        "roc_points": len(thr),
        "roc_sample": {"indices": list(range(0, len(thr), step)),
                       "fpr": [float(v) for v in fpr[::step]], "tpr": [float(v) for v in tpr[::step]],
                       "thresholds": f32list(thr[::step])},
        "youden": {"index": k, "threshold": float(thr[k]), "j": float(j[k])},
        "at_youden": at_threshold(scores, labels, float(thr[k])),
    }


# --- DeLong, the slow way ----------------------------------------------------------------------------------------

def structural_components(scores, labels):
    """V10[i] = mean_j psi(X_i, Y_j), V01[j] = mean_i psi(X_i, Y_j), psi = 1 if X > Y, 1/2 if equal, 0 otherwise."""
    x = scores[labels == 1].astype(np.float64)
    y = scores[labels == 0].astype(np.float64)
    psi = (x[:, None] > y[None, :]).astype(np.float64) + 0.5 * (x[:, None] == y[None, :])
    return psi.mean(axis=1), psi.mean(axis=0)


def delong_reference(reference, candidate, labels):
    m, n = int(labels.sum()), int((labels == 0).sum())
    if m < 2 or n < 2:
        return None
    aucs = []
    for s in (reference, candidate):
        u = scipy.stats.mannwhitneyu(s[labels == 1], s[labels == 0], alternative="two-sided").statistic
        aucs.append(float(u) / (m * n))
    v10r, v01r = structural_components(reference, labels)
    v10c, v01c = structural_components(candidate, labels)
    s10 = np.cov(np.vstack([v10r, v10c]), ddof=1)
    s01 = np.cov(np.vstack([v01r, v01c]), ddof=1)
    s = s10 / m + s01 / n
    contrast = np.array([-1.0, 1.0])  # candidate - reference
    variance = float(contrast @ s @ contrast)
    difference = aucs[1] - aucs[0]
    if variance <= 0:
        # Zero variance: the two scores agree on every structural component up to a constant.
        z, p = (0.0, 1.0) if difference == 0 else (None, 0.0)
        se = 0.0
    else:
        se = math.sqrt(variance)
        z = difference / se
        p = float(2 * scipy.stats.norm.sf(abs(z)))
    q = float(scipy.stats.norm.ppf(0.975))
    return {
        "reference_auc": aucs[0], "candidate_auc": aucs[1], "difference": difference, "variance": max(variance, 0.0),
        "z": z, "p": p, "ci_lower": difference - q * se, "ci_upper": difference + q * se,
    }


def delong_case(name, reference, candidate, labels):
    reference = np.asarray(reference, dtype=np.float32)
    candidate = np.asarray(candidate, dtype=np.float32)
    labels = np.asarray(labels, dtype=np.int64)
    return {"name": name, "reference": f32list(reference), "candidate": f32list(candidate),
            "labels": [int(v) for v in labels], "expected": delong_reference(reference, candidate, labels)}


def delong_cases():
    rng = np.random.default_rng(7)
    cases = [
        delong_case("identical", [0.1, 0.4, 0.35, 0.8, 0.7, 0.2], [0.1, 0.4, 0.35, 0.8, 0.7, 0.2], [0, 1, 0, 1, 1, 0]),
        delong_case("tiny m=2 n=2", [0.1, 0.9, 0.4, 0.6], [0.2, 0.3, 0.5, 0.6], [0, 1, 0, 1]),
        delong_case("one positive (undefined)", [0.1, 0.9, 0.4], [0.2, 0.3, 0.5], [0, 1, 0]),
        delong_case("only negatives (undefined)", [0.1, 0.9, 0.4], [0.2, 0.3, 0.5], [0, 0, 0]),
        delong_case("zero variance, non-zero difference", [0.1, 0.2, 0.8, 0.9], [0.5, 0.5, 0.5, 0.5], [0, 0, 1, 1]),
        delong_case("both perfect", [0.1, 0.2, 0.8, 0.9], [0.3, 0.4, 0.6, 0.7], [0, 0, 1, 1]),
    ]
    for k in range(20):
        n = int(rng.choice([6, 20, 80, 300, 1500]))
        labels = (rng.random(n) < rng.uniform(0.1, 0.9)).astype(np.int64)
        if labels.sum() < 2 or (labels == 0).sum() < 2:
            labels[:2], labels[2:4] = 1, 0
        raw = rng.normal(size=n) + rng.uniform(0, 2) * labels
        reference = 1 / (1 + np.exp(-raw))
        if k % 3 == 0:  # quantization-like: few levels
            candidate = np.round(reference * 16) / 16
        elif k % 3 == 1:  # noisy copy
            candidate = reference + rng.normal(scale=0.05, size=n)
        else:  # heavy ties on both
            reference = np.round(reference, 1)
            candidate = np.round(1 / (1 + np.exp(-(raw + rng.normal(scale=0.5, size=n)))), 1)
        cases.append(delong_case(f"random {k} n={n}", reference, candidate, labels))
    return cases


# --- Bootstrap ---------------------------------------------------------------------------------------------------

def bootstrap_aucs(score_sets, labels, seed, iterations):
    """score_sets: list of [n, C] float32 arrays sharing labels [n, C]. Resamples images jointly, like the C# code.

    Returns per resample, per class: None where the resample lost a class, else one AUC per score set."""
    n = labels.shape[0]
    rng = SplitMix64(seed)
    out = []
    for _ in range(iterations):
        idx = np.fromiter((rng.below(n) for _ in range(n)), dtype=np.int64, count=n)
        row = []
        for c in range(labels.shape[1]):
            y = labels[idx, c]
            row.append(None if not defined(y) else [float(roc_auc_score(y, s[idx, c])) for s in score_sets])
        out.append(row)
    return out


def interval(values, level):
    alpha = 1.0 - level
    if not values:
        return None, None
    lo, hi = np.quantile(np.asarray(values, dtype=np.float64), [alpha / 2, 1 - alpha / 2])
    return float(lo), float(hi)


def summarize(samples, full_defined, level, statistic):
    """statistic(aucs_of_one_class) -> float. Per class and for the mean over classes defined on the full data."""
    classes = len(full_defined)
    per_class = []
    for c in range(classes):
        vals = [statistic(row[c]) for row in samples if row[c] is not None]
        lo, hi = interval(vals, level)
        per_class.append({"lower": lo, "upper": hi, "skipped": len(samples) - len(vals)})
    means = []
    for row in samples:
        used = [c for c in range(classes) if full_defined[c]]
        if used and all(row[c] is not None for c in used):
            means.append(float(np.mean([statistic(row[c]) for c in used])))
    lo, hi = interval(means, level)
    return per_class, {"lower": lo, "upper": hi, "skipped": len(samples) - len(means)}


def multilabel_case(name, scores, labels, seed, iterations, level, candidate=None):
    n, classes = labels.shape
    full_defined = [defined(labels[:, c]) for c in range(classes)]
    case = {
        "name": name, "n": n, "classes": classes, "seed": seed, "iterations": iterations, "level": level,
        "scores": f32list(scores.ravel()), "labels": [int(v) for v in labels.ravel()],
        "auc": [sklearn_auc(scores[:, c], labels[:, c]) for c in range(classes)],
        "youden": [youden(scores[:, c], labels[:, c]) for c in range(classes)],
        "at_half": [at_threshold(scores[:, c], labels[:, c], 0.5) for c in range(classes)],
    }
    defined_aucs = [a for a in case["auc"] if a is not None]
    case["mean_auc"] = float(np.mean(defined_aucs)) if defined_aucs else None
    case["defined_classes"] = len(defined_aucs)
    sets = [scores] if candidate is None else [scores, candidate]
    samples = bootstrap_aucs(sets, labels, seed, iterations)
    per_class, mean = summarize(samples, full_defined, level, lambda a: a[0])
    case["auc_ci"], case["mean_auc_ci"] = per_class, mean
    if candidate is not None:
        case["candidate"] = f32list(candidate.ravel())
        case["candidate_auc"] = [sklearn_auc(candidate[:, c], labels[:, c]) for c in range(classes)]
        per_class, mean = summarize(samples, full_defined, level, lambda a: a[1] - a[0])
        case["difference_ci"], case["mean_difference_ci"] = per_class, mean
        case["delong"] = [delong_reference(scores[:, c], candidate[:, c], labels[:, c]) for c in range(classes)]
    return case


def multilabel_cases():
    rng = np.random.default_rng(99)
    cases = []
    # 60 images, 4 classes: ordinary, rare (2 positives: many resamples lose it), none positive (undefined), ties.
    n = 60
    labels = np.zeros((n, 4), dtype=np.int64)
    labels[:, 0] = rng.random(n) < 0.4
    labels[rng.choice(n, 2, replace=False), 1] = 1
    labels[:, 3] = rng.random(n) < 0.5
    raw = rng.normal(size=(n, 4)) + 1.2 * labels
    scores = (1 / (1 + np.exp(-raw))).astype(np.float32)
    scores[:, 3] = np.round(scores[:, 3], 1)
    cases.append(multilabel_case("4 classes with rare and undefined", scores, labels, 12345, 300, 0.95))
    # Single class bootstraps (a C = 1 multilabel case is the single-class API).
    for k, (m, prevalence, decimals, iterations, level) in enumerate(
            [(80, 0.3, None, 1000, 0.95), (30, 0.07, None, 400, 0.95), (120, 0.5, 1, 500, 0.9)]):
        y = (rng.random((m, 1)) < prevalence).astype(np.int64)
        if y.sum() == 0:
            y[0, 0] = 1
        s = 1 / (1 + np.exp(-(rng.normal(size=(m, 1)) + 1.0 * y)))
        if decimals is not None:
            s = np.round(s, decimals)
        cases.append(multilabel_case(f"single class {k} n={m}", s.astype(np.float32), y, 1000 + k, iterations, level))
    # Paired: reference vs a coarsely quantized candidate.
    n = 90
    labels = (rng.random((n, 3)) < np.array([0.3, 0.15, 0.5])).astype(np.int64)
    raw = rng.normal(size=(n, 3)) + 1.0 * labels
    reference = (1 / (1 + np.exp(-raw))).astype(np.float32)
    candidate = (np.round(reference * 8) / 8).astype(np.float32)
    cases.append(multilabel_case("paired 3 classes", reference, labels, 777, 400, 0.95, candidate=candidate))
    return cases


def main():
    out = {
        "generated_by": "make_metrics_fixtures.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                     "sklearn": sklearn.__version__},
        "splitmix64": {"seed": 1234567, "next": [str(v) for v in (lambda r: [r.next() for _ in range(6)])(SplitMix64(1234567))],
                       "below_bound": 1000003,
                       "below": (lambda r: [r.below(1000003) for _ in range(6)])(SplitMix64(42))},
        "normal": [{"z": z, "sf": float(scipy.stats.norm.sf(z))} for z in
                   [0.0, 1e-8, 0.1, 0.5, 0.6744897501960817, 1.0, 1.2815515655446004, 1.6448536269514722,
                    1.959963984540054, 2.5, 3.0, 4.0, 5.5, 8.0, 12.0, -0.3, -1.959963984540054, -4.2]],
        "normal_quantile": [{"p": p, "z": float(scipy.stats.norm.ppf(p))} for p in
                            [0.5, 0.6, 0.8, 0.9, 0.95, 0.975, 0.995, 0.9995, 1e-6, 0.025, 0.3]],
        "binary": binary_cases(),
        "generated": [
            generated_case("100k continuous 5% prevalence", 2024, 100_000, 50, 0.25, None),
            generated_case("100k ties 2 decimals", 77, 100_000, 300, 0.3, 2),
            generated_case("100k ties 1 decimal weak", 5, 100_000, 500, 0.05, 1),
        ],
        "delong": delong_cases(),
        "multilabel": multilabel_cases(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics_fixtures.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
