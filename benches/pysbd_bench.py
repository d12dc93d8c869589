#!/usr/bin/env python3
"""Times pySBD on the inputs the Rust benchmark wrote, for the side-by-side ratio.

Usage: pysbd_bench.py FILE... -> one JSON object per line:
{"input": NAME, "bytes": N, "sentences": N, "seconds": S, "version": V}
pySBD is slow, so each file is segmented once (it takes seconds, far above timer noise).
"""
import json
import os
import sys
import time

import pysbd


def main(paths):
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=False)
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        start = time.perf_counter()
        sentences = segmenter.segment(text)
        seconds = time.perf_counter() - start
        name = os.path.splitext(os.path.basename(path))[0]
        print(json.dumps({"input": name, "bytes": len(text.encode("utf-8")), "sentences": len(sentences),
                          "seconds": round(seconds, 3), "version": getattr(pysbd, "__version__", "?")}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
