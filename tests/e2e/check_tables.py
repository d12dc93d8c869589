#!/usr/bin/env python3
"""Reads the tables the widget downloaded (Export CSV, Export JSONL) with Python's csv
and json modules and checks them against the native export of the same page:
every sentence a row, the labels and notes of each tagged sentence as in the native
file, the same rows in both tables.

    check_tables.py TABLE.csv TABLE.jsonl NATIVE.json
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


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
