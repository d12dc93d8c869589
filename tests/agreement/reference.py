#!/usr/bin/env python3
"""Reference check of the `agreement` command against NLTK, statsmodels and scikit-learn.

usage: reference.py --agreement BIN --segment BIN DATASET_DIR...

Each DATASET_DIR holds `article.txt` and one native export per annotator (`*.json`,
taken in name order). The script builds the sentences × annotators matrix on its own
(sentences from the `segment` command of the testing contract; each annotation on the
sentence its stored position overlaps most, after checking the position still holds
the quote), computes every figure with the libraries, runs our command on the same
files and requires the two to agree to 1e-9, or both to be undefined (null).

Undefined figures: the libraries signal them in their own ways, mapped to None here:
- NLTK's `AnnotationTask.alpha` returns 1 when only one value occurs (its convention);
  the contract says null, so a data set with a single value maps to None before NLTK
  is asked. NLTK's `masi_distance` and `jaccard_distance` divide by zero on two empty
  sets: they are wrapped to return 0.0 there (two untagged sentences agree).
- statsmodels' `fleiss_kappa` returns nan (0/0) when every rating is in one category,
  and nan or inf with one annotator: any non-finite result maps to None.
- scikit-learn's `cohen_kappa_score` returns nan (`replace_undefined_by=nan`) when
  both annotators hold one and the same value throughout: nan maps to None.
Percent agreement (all annotators agree on a unit) is a plain count here: none of the
libraries computes it for more than two annotators.

Also checks the command's failure modes: exit 2 on usage, 1 on a file that is not an
export, never a panic. Prints a side-by-side table and `N passed, M failed`.
"""

import json
import math
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance, jaccard_distance, masi_distance
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa

TOLERANCE = 1e-9
DEFAULT_LABELS = ["claim", "quote", "position"]


def empty_safe(distance):
    """NLTK's set distance, with two empty sets at distance 0 instead of ZeroDivisionError."""

    def wrapped(a, b):
        if not a and not b:
            return 0.0
        return distance(a, b)

    return wrapped


def finite_or_none(x):
    x = float(x)
    return x if math.isfinite(x) else None


def sentences_of(segment_bin, article_path):
    with open(article_path, "rb") as f:
        out = subprocess.run([segment_bin], stdin=f, capture_output=True, check=True).stdout
    return [json.loads(line) for line in out.decode("utf-8").splitlines() if line.strip()]


def matrix(text, sentences, export_paths):
    """rows[sentence][annotator] = frozenset of labels, from the exports' positions."""
    columns = []
    for path in export_paths:
        with open(path, encoding="utf-8") as f:
            envelope = json.load(f)
        if envelope.get("format") != "article-annotator":
            raise SystemExit(f"{path}: not a native export")
        cells = [set() for _ in sentences]
        for a in envelope.get("annotations", []):
            start, end = a["target"]["position"]["start"], a["target"]["position"]["end"]
            if text[start:end] != a["target"]["quote"]["exact"]:
                raise SystemExit(f"{path}: {a['id']} is not at its stored position (this check cannot re-anchor)")
            overlaps = [(min(end, s["end"]) - max(start, s["start"]), i) for i, s in enumerate(sentences)]
            best, index = max(overlaps, key=lambda o: (o[0], -o[1]))
            if best <= 0:
                raise SystemExit(f"{path}: {a['id']} overlaps no sentence")
            cells[index].update(a["labels"])
        columns.append([frozenset(c) for c in cells])
    return [list(row) for row in zip(*columns)]


def alpha(rows, distance):
    values = {v for row in rows for v in row}
    if len(values) < 2 or not rows or len(rows[0]) < 2:
        return None  # NLTK would say 1 (one value) or raise (one coder and one item)
    data = [(f"c{a}", f"u{u}", v) for u, row in enumerate(rows) for a, v in enumerate(row)]
    try:
        return finite_or_none(AnnotationTask(data=data, distance=distance).alpha())
    except (ZeroDivisionError, ValueError):
        return None


def percent(rows):
    return sum(1 for row in rows if all(v == row[0] for v in row)) / len(rows) if rows else None


def reference(rows, labels):
    coders = len(rows[0])
    out = {"labels": {}, "overall": {}}
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for label in labels:
            present = [[label in v for v in row] for row in rows]
            table = np.array([[row.count(False), row.count(True)] for row in present])
            cohen = [[1.0 if i == j else finite_or_none(cohen_kappa_score([r[i] for r in present], [r[j] for r in present]))
                      for j in range(coders)] for i in range(coders)]
            out["labels"][label] = {
                "alpha": alpha(present, binary_distance),
                "fleiss_kappa": finite_or_none(fleiss_kappa(table, method="fleiss")),
                "percent": percent(present),
                "cohen_kappa": cohen,
            }
    out["overall"] = {
        "alpha_masi": alpha(rows, empty_safe(masi_distance)),
        "alpha_jaccard": alpha(rows, empty_safe(jaccard_distance)),
        "percent_exact": percent(rows),
    }
    return out


def show(x):
    if x is None:
        return "null"
    return f"{x:.12f}" if isinstance(x, float) else str(x)


class Tally:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, where, figure, ref, ours):
        same = (ref is None and ours is None) or (
            isinstance(ref, float) and isinstance(ours, (int, float)) and not isinstance(ours, bool) and abs(ref - ours) <= TOLERANCE)
        self.passed += bool(same)
        self.failed += not same
        print(f"{where:<11} {figure:<28} {show(ref):>16} {show(ours):>16}  {'ok' if same else 'FAILED'}")

    def expect(self, what, ok, where="command"):
        ok = bool(ok)
        self.passed += ok
        self.failed += not ok
        print(f"{where:<11} {what:<62}  {'ok' if ok else 'FAILED'}")


def parse_args(argv, flags, usage):
    """`flags` (each followed by a value) and the data set directories; exits 2 on misuse."""
    args, dirs = {}, []
    it = iter(argv)
    for a in it:
        if a in flags:
            args[a] = next(it, None)
        else:
            dirs.append(a)
    if not dirs or sorted(args) != sorted(flags) or None in args.values():
        print(usage, file=sys.stderr)
        sys.exit(2)
    return args, dirs


def check_data_set(tally, agreement_bin, segment_bin, directory):
    name = os.path.basename(os.path.normpath(directory))
    article = os.path.join(directory, "article.txt")
    exports = sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".json"))
    with open(article, encoding="utf-8", newline="") as f:
        text = f.read().replace("\r\n", "\n").replace("\r", "\n")
    rows = matrix(text, sentences_of(segment_bin, article), exports)
    run = subprocess.run([agreement_bin, article, *exports], capture_output=True, text=True)
    if run.returncode != 0:
        tally.expect(f"{name}: exit 0 (got {run.returncode}: {run.stderr.strip()})", False)
        return
    ours = json.loads(run.stdout)
    seen = sorted({l for row in rows for v in row for l in v} - set(DEFAULT_LABELS))
    labels = DEFAULT_LABELS + seen
    ref = reference(rows, labels)
    stems = [os.path.splitext(os.path.basename(p))[0] for p in exports]
    tally.expect(f"{name}: annotators {stems}", ours.get("annotators") == stems)
    tally.expect(f"{name}: {len(rows)} sentences", ours.get("sentences") == len(rows))
    tally.expect(f"{name}: labels {labels}", sorted(ours.get("labels", {})) == sorted(labels))
    for label in labels:
        r, o = ref["labels"][label], ours.get("labels", {}).get(label, {})
        for figure in ("alpha", "fleiss_kappa", "percent"):
            tally.check(name, f"{label}.{figure}", r[figure], o.get(figure))
        matrix_ours = o.get("cohen_kappa") or []
        tally.expect(f"{name}: {label}.cohen_kappa is {len(stems)}x{len(stems)}, 1.0 on the diagonal",
                     len(matrix_ours) == len(stems) and all(len(row) == len(stems) and row[i] == 1.0 for i, row in enumerate(matrix_ours)))
        for i in range(len(stems)):
            for j in range(len(stems)):
                if i < j:
                    ours_ij = matrix_ours[i][j] if i < len(matrix_ours) and j < len(matrix_ours[i]) else "missing"
                    tally.check(name, f"{label}.cohen[{stems[i]},{stems[j]}]", r["cohen_kappa"][i][j], ours_ij)
                    if ours_ij != "missing":
                        tally.expect(f"{name}: {label}.cohen symmetric for {stems[i]},{stems[j]}", matrix_ours[j][i] == ours_ij)
    for figure in ("alpha_masi", "alpha_jaccard", "percent_exact"):
        tally.check(name, f"overall.{figure}", ref["overall"][figure], ours.get("overall", {}).get(figure))


def check_failures(tally, agreement_bin, some_data_set):
    article = os.path.join(some_data_set, "article.txt")
    export = sorted(os.path.join(some_data_set, f) for f in os.listdir(some_data_set) if f.endswith(".json"))[0]
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "not JSON": "this is not json",
            "JSON of another program": '{"format": "other", "annotations": []}',
            "truncated export": open(export, encoding="utf-8").read()[:200],
        }
        for what, body in cases.items():
            path = os.path.join(tmp, "bad.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(body)
            run = subprocess.run([agreement_bin, article, export, path], capture_output=True, text=True)
            tally.expect(f"{what}: exit 1 with a message, no panic",
                         run.returncode == 1 and run.stderr.strip() and "panicked" not in run.stderr and not run.stdout)
        run = subprocess.run([agreement_bin, article, os.path.join(tmp, "missing.json")], capture_output=True, text=True)
        tally.expect("missing file: exit 1", run.returncode == 1 and "panicked" not in run.stderr)
    for args in ([], [article]):
        run = subprocess.run([agreement_bin, *args], capture_output=True, text=True)
        tally.expect(f"usage ({len(args)} argument(s)): exit 2", run.returncode == 2 and "usage" in run.stderr)
    run = subprocess.run([agreement_bin, article, export], capture_output=True, text=True)
    one = json.loads(run.stdout) if run.returncode == 0 else {}
    claim = one.get("labels", {}).get("claim", {})
    tally.expect("one annotator: alpha and kappa null, percent 1, cohen [[1.0]]",
                 claim.get("alpha", 0) is None and claim.get("fleiss_kappa", 0) is None and claim.get("percent") == 1.0
                 and claim.get("cohen_kappa") == [[1.0]] and one.get("overall", {}).get("percent_exact") == 1.0)


def main(argv):
    args, dirs = parse_args(argv, ["--agreement", "--segment"], __doc__.splitlines()[2])
    print(f"{'data set':<11} {'figure':<28} {'reference':>16} {'ours':>16}  result")
    tally = Tally()
    for d in dirs:
        check_data_set(tally, args["--agreement"], args["--segment"], d)
    check_failures(tally, args["--agreement"], dirs[0])
    print(f"{tally.passed} passed, {tally.failed} failed")
    return 0 if tally.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
