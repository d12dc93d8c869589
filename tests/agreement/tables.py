#!/usr/bin/env python3
"""Reads the analysis tables written by `cargo test --test agreement` back with Python's
`csv` and `json` modules and checks them against the native exports they came from.

usage: tables.py --segment BIN --tables DIR DATASET_DIR...

For each data set, DIR/<name>/ holds long.csv, long.jsonl and wide.csv. Checked: the
byte-order mark and CRLF record ends; the header; one long row per sentence and
annotator, one wide row per sentence; each row's text is the article's text at its
code-point offsets (sentences from the `segment` command); labels, notes and modified
times per sentence and annotator as the export has them (each annotation placed on the
sentence its stored position overlaps most); JSONL and CSV saying the same.
Prints one line per check and `N passed, M failed`.
"""

import csv
import io
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import Tally, parse_args, sentences_of  # noqa: E402

LONG = ["document", "sentence", "start", "end", "text", "labels", "note", "annotator", "modified"]


def expected_cells(text, sentences, export_path):
    """cells[sentence] = (labels set, notes list, latest modified or None)."""
    with open(export_path, encoding="utf-8") as f:
        envelope = json.load(f)
    cells = [(set(), [], None) for _ in sentences]
    for a in envelope["annotations"]:
        start, end = a["target"]["position"]["start"], a["target"]["position"]["end"]
        assert text[start:end] == a["target"]["quote"]["exact"], f"{export_path}: {a['id']} moved"
        overlaps = [(min(end, s["end"]) - max(start, s["start"]), i) for i, s in enumerate(sentences)]
        _, index = max(overlaps, key=lambda o: (o[0], -o[1]))
        labels, notes, modified = cells[index]
        labels.update(a["labels"])
        if a.get("note"):
            notes.append(a["note"])
        if modified is None or a["modified"] > modified:
            modified = a["modified"]
        cells[index] = (labels, notes, modified)
    return cells


def read_csv(path):
    raw = open(path, "rb").read()
    body = raw.decode("utf-8")
    # Every record ends in CRLF: outside quoted fields, no CR or LF but in CRLF pairs.
    unquoted = re.sub(r'"(?:[^"]|"")*"', '""', body)
    bare = unquoted.replace("\r\n", "")
    ok = body.startswith("\ufeff") and raw.endswith(b"\r\n") and "\r" not in bare and "\n" not in bare
    rows = list(csv.reader(io.StringIO(body[1:], newline="")))
    return ok, rows


def check(tally, segment_bin, tables, directory):
    name = os.path.basename(os.path.normpath(directory))

    def expect(what, ok):
        tally.expect(what, ok, name)

    article = os.path.join(directory, "article.txt")
    with open(article, encoding="utf-8", newline="") as f:
        text = f.read().replace("\r\n", "\n").replace("\r", "\n")
    sentences = sentences_of(segment_bin, article)
    exports = sorted(f for f in os.listdir(directory) if f.endswith(".json"))
    annotators = [os.path.splitext(f)[0] for f in exports]
    cells = {a: expected_cells(text, sentences, os.path.join(directory, f)) for a, f in zip(annotators, exports)}
    out = os.path.join(tables, name)

    ok, rows = read_csv(os.path.join(out, "long.csv"))
    expect("long.csv has a BOM and ends records in CRLF", ok)
    expect("long.csv header", rows and rows[0] == LONG)
    body = rows[1:]
    expect(f"long.csv has {len(sentences)} sentences x {len(annotators)} annotators rows",
                 len(body) == len(sentences) * len(annotators))
    good = 0
    for row in body:
        r = dict(zip(LONG, row))
        s, a = int(r["sentence"]), r["annotator"]
        labels, notes, modified = cells[a][s]
        good += (int(r["start"]), int(r["end"])) == (sentences[s]["start"], sentences[s]["end"]) \
            and r["text"] == text[int(r["start"]):int(r["end"])] \
            and set(r["labels"].split()) == labels and len(r["labels"].split()) == len(labels) \
            and r["note"] == "\n".join(notes) and r["modified"] == (modified or "") and r["document"] == name
    expect(f"long.csv rows match the exports ({good}/{len(body)})", good == len(body) and body)

    jsonl = [json.loads(line) for line in open(os.path.join(out, "long.jsonl"), encoding="utf-8")]
    same = sum(
        1 for j, row in zip(jsonl, body)
        if [j["document"], str(j["sentence"]), str(j["start"]), str(j["end"]), j["text"], " ".join(j["labels"]),
            j["note"] or "", j["annotator"], j["modified"] or ""] == row
        and (j["note"] is None) == (row[6] == "") and (j["modified"] is None) == (row[8] == ""))
    expect(f"long.jsonl says what long.csv says ({same}/{len(jsonl)})", same == len(jsonl) == len(body))

    ok, rows = read_csv(os.path.join(out, "wide.csv"))
    expect("wide.csv has a BOM, CRLF and a column per annotator",
                 ok and rows and rows[0] == LONG[:5] + annotators)
    good = sum(
        1 for s, row in enumerate(rows[1:])
        if row[4] == text[sentences[s]["start"]:sentences[s]["end"]]
        and all(set(row[5 + i].split()) == cells[a][s][0] for i, a in enumerate(annotators)))
    expect(f"wide.csv has every sentence with each annotator's labels ({good}/{len(sentences)})",
                 good == len(sentences) == len(rows) - 1)


def main(argv):
    args, dirs = parse_args(argv, ["--segment", "--tables"], __doc__.splitlines()[3])
    tally = Tally()
    for d in dirs:
        check(tally, args["--segment"], args["--tables"], d)
    print(f"{tally.passed} passed, {tally.failed} failed")
    return 0 if tally.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
