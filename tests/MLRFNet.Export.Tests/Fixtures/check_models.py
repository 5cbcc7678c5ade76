#!/usr/bin/python3
"""Validates ONNX files with the ONNX checker (full_check=True also runs strict shape inference).

Usage: /usr/bin/python3 check_models.py PATH_OR_DIR...   (directories are searched for *.onnx)
Prints one line per file: "OK <path> ir=<ir> opset=<opset> nodes=<n>" or "FAIL <path>: <reason>".
Exits 0 when every file passed, 1 when one failed, 2 when no file was given or found.
The C# test ModelCheckerTests runs this on every graph OnnxGraphBuilder produces in the tests; the quantization
tests' FP16/INT8 outputs were checked with it too (see the quantization fixtures).
"""
import glob
import os
import sys

import onnx


def files(args):
    for a in args:
        if os.path.isdir(a):
            # ONNX Runtime's optimized dumps (*_optimized.onnx) hold com.microsoft contrib ops the checker does not know.
            yield from (p for p in sorted(glob.glob(os.path.join(a, "**", "*.onnx"), recursive=True))
                        if not p.endswith("_optimized.onnx"))
        else:
            yield a


def main(argv):
    paths = list(files(argv[1:]))
    if not paths:
        print("no .onnx files given", file=sys.stderr)
        return 2
    failed = 0
    for p in paths:
        try:
            onnx.checker.check_model(p, full_check=True)
            m = onnx.load(p)
            opset = {o.domain or "ai.onnx": o.version for o in m.opset_import}
            print("OK %s ir=%d opset=%s nodes=%d onnx=%s" % (p, m.ir_version, opset.get("ai.onnx"), len(m.graph.node), onnx.__version__))
        except Exception as e:  # report every file, then fail
            failed += 1
            print("FAIL %s: %s" % (p, str(e).replace("\n", " ")))
    print("%d/%d models pass onnx %s check_model(full_check=True)" % (len(paths) - failed, len(paths), onnx.__version__))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
