#!/usr/bin/env python3
"""Reads the tables the widget downloaded (Export CSV, Export JSONL) with Python's csv
and json modules and checks them against the native export of the same page:
every sentence a row, the labels and notes of each tagged sentence as in the native
file, the same rows in both tables.

    check_tables.py TABLE.csv TABLE.jsonl NATIVE.json
    check_tables.py --wide WIDE.csv NAME=NATIVE.json...
    check_tables.py --figures SHOWN.json REPORT.json

The second form checks the compare view's wide CSV (one row per sentence, one column
per annotator and the gold set): each column holds that annotator's native labels.
The third checks the figures the compare view showed (two decimals, a dash when
undefined) against the agreement command's report on the same files.
"""

import csv
import io
import json
import sys


def main(csv_path, jsonl_path, native_path):
    checks = []

    def check(name, ok):
        checks.append((name, ok))
        print(("ok    " if ok else "FAIL  ") + name)

    raw = open(csv_path, "rb").read()
    check("CSV starts with a UTF-8 byte-order mark", raw.startswith(b"\xef\xbb\xbf"))
    check("CSV records end in CRLF", raw.endswith(b"\r\n"))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    lines = [json.loads(line) for line in open(jsonl_path, encoding="utf-8") if line.strip()]
    native = json.load(open(native_path, encoding="utf-8"))
    check("CSV and JSONL have a row per sentence each", len(rows) == len(lines) > 0)
    same = all(
        int(r["sentence"]) == j["sentence"] and int(r["start"]) == j["start"] and int(r["end"]) == j["end"]
        and r["text"] == j["text"] and r["labels"].split() == j["labels"] and (r["note"] or None) == j["note"]
        for r, j in zip(rows, lines)
    )
    check("CSV and JSONL rows agree field by field", same)
    by_start = {j["start"]: j for j in lines}
    for a in native["annotations"]:
        row = by_start.get(a["target"]["position"]["start"])
        check(f"native annotation on '{a['target']['quote']['exact'][:30]}' has its row with its labels and note",
              row is not None and row["labels"] == a["labels"] and row["note"] == a.get("note"))
    tagged = sum(1 for j in lines if j["labels"])
    check("only the native file's sentences are tagged", tagged == len(native["annotations"]))
    failed = sum(1 for _, ok in checks if not ok)
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


def wide(csv_path, named):
    checks = []

    def check(name, ok):
        checks.append((name, ok))
        print(("ok    " if ok else "FAIL  ") + name)

    raw = open(csv_path, "rb").read()
    check("wide CSV starts with a UTF-8 byte-order mark and ends in CRLF", raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n"))
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    names = [n.split("=", 1)[0] for n in named]
    check("wide CSV has the sentence columns, then one per annotator", reader.fieldnames == ["document", "sentence", "start", "end", "text"] + names)
    check("wide CSV has a row per sentence, in order", [int(r["sentence"]) for r in rows] == list(range(len(rows))) and len(rows) > 0)
    by_start = {int(r["start"]): r for r in rows}
    for item in named:
        name, path = item.split("=", 1)
        native = json.load(open(path, encoding="utf-8"))
        want = {a["target"]["position"]["start"]: sorted(a["labels"]) for a in native["annotations"]}
        got = {int(r["start"]): sorted(r[name].split()) for r in rows if r[name]}
        check(f"column {name} holds the labels of {path.rsplit('/', 1)[-1]}", got == want)
        check(f"column {name}'s text cells are the quoted sentences",
              all(by_start[a["target"]["position"]["start"]]["text"] == a["target"]["quote"]["exact"] for a in native["annotations"]))
    failed = sum(1 for _, ok in checks if not ok)
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


def figures(shown_path, report_path):
    shown = json.load(open(shown_path, encoding="utf-8"))
    report = json.load(open(report_path, encoding="utf-8"))
    fmt = lambda v: "—" if v is None else f"{v:.2f}"
    want = {label: [fmt(f["alpha"]), fmt(f["fleiss_kappa"])] for label, f in report["labels"].items()}
    want["masi"] = [fmt(report["overall"]["alpha_masi"]), "—"]
    want["jaccard"] = [fmt(report["overall"]["alpha_jaccard"]), "—"]
    failed = 0
    for key, values in want.items():
        ok = shown.get(key) == values
        failed += not ok
        print(("ok    " if ok else "FAIL  ") + f"{key}: shown {shown.get(key)}, command {values}")
    print(f"{len(want) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--figures":
        sys.exit(figures(sys.argv[2], sys.argv[3]))
    if len(sys.argv) > 2 and sys.argv[1] == "--wide":
        sys.exit(wide(sys.argv[2], sys.argv[3:]))
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
