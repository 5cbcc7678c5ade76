#!/usr/bin/python3
"""Prints the full-size PyTorch parity tests' results from the TRX files of a `dotnet test` run and fails when one
did not pass: tools/test.sh generates their fixtures (tools/full-parity-fixtures.sh), so a skip there is a CI bug.

  /usr/bin/python3 tools/full-parity-report.py RESULTS_DIR [--filtered]

Exit 1 when a listed test skipped or failed, or (without --filtered: the run was not narrowed by a --filter) did not
run at all; prints each result with its duration and its "max abs diff" lines (xunit hides passing output).
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

# Test method (fully qualified) -> how many results it must produce (theory rows). Add a test here when it needs
# Fixtures/generated/ (make_full_parity.py).
REQUIRED = {
    "MLRFNet.Training.Tests.Pretrained.StateDictImporterTests.ImageNetStyleCheckpoint_LoadsByKeySkippingOnlyFc_AndReproducesPyTorch": 2,
    "MLRFNet.Training.Tests.Models.MLRFNetModelTests.FullSizeModel_OnAnImageNetBackbone_ReproducesPyTorchLogitsAndScoreMaps": 1,
}
NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    filtered = "--filtered" in argv[2:]
    results = {name: [] for name in REQUIRED}
    for trx in sorted(pathlib.Path(argv[1]).rglob("*.trx")):
        for r in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult", NS):
            name = r.get("testName", "")
            method = name.split("(", 1)[0]
            if method in results:
                out = r.find("t:Output/t:StdOut", NS)
                message = r.find("t:Output/t:ErrorInfo/t:Message", NS)
                text = out.text if out is not None and out.text else ""
                text += ("\n" + message.text) if message is not None and message.text else ""
                results[method].append((name, r.get("outcome"), r.get("duration", "?"), text))
    bad = 0
    for method, rows in results.items():
        short = method.rsplit(".", 2)[-2] + "." + method.rsplit(".", 1)[-1]
        if len(rows) < REQUIRED[method]:
            verdict = "not run (filtered out)" if filtered else "MISSING: expected in this run"
            print(f"full-size parity: {short}: {len(rows)} of {REQUIRED[method]} results, {verdict}")
            bad += 0 if filtered else 1
        for name, outcome, duration, text in rows:
            print(f"full-size parity: {outcome.upper()} {name.rsplit('.', 1)[-1]} in {duration[:11]}")
            for line in text.splitlines():
                if line.strip() and ("max abs diff" in line or outcome != "Passed"):
                    print(f"    {line.strip()}")
            bad += outcome != "Passed"
    if bad:
        print(f"full-size parity: {bad} problem(s): the full-size PyTorch parity tests must run, not skip, under "
              "tools/test.sh (their fixtures come from tools/full-parity-fixtures.sh)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
