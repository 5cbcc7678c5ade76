#!/usr/bin/python3
"""Validates ONNX files written by the FP16 converter and the INT8 quantizer with the ONNX checker.

    /usr/bin/python3 check_models.py <file-or-folder> [...]

Folders are searched recursively for *.onnx, skipping ONNX Runtime's optimized dumps (*_optimized.onnx, which hold
com.microsoft contrib ops the checker does not know). Each file goes through
onnx.checker.check_model(path, full_check=True) (structure, opset schemas, and strict shape inference); the script
prints the IR version, opsets and op-type counts of each, and exits 1 if any file fails.
"""
import collections
import os
import sys

import onnx


def files(args):
    for arg in args:
        if os.path.isdir(arg):
            for root, _, names in os.walk(arg):
                for name in sorted(names):
                    if name.endswith(".onnx") and not name.endswith("_optimized.onnx"):
                        yield os.path.join(root, name)
        else:
            yield arg


def main(args):
    if not args:
        print(__doc__)
        return 2
    failed = 0
    checked = 0
    for path in files(args):
        checked += 1
        try:
            onnx.checker.check_model(path, full_check=True)
            model = onnx.load(path)
            ops = collections.Counter(n.op_type for n in model.graph.node)
            opsets = ",".join(f"{o.domain or 'ai.onnx'}:{o.version}" for o in model.opset_import)
            print(f"OK   {path}  ir={model.ir_version} opset={opsets} " + " ".join(f"{k}:{v}" for k, v in sorted(ops.items())))
        except Exception as e:  # noqa: BLE001 - report every failure, keep checking the rest
            failed += 1
            print(f"FAIL {path}: {type(e).__name__}: {e}")
    print(f"{checked - failed}/{checked} models pass onnx {onnx.__version__} check_model(full_check=True)")
    return 1 if failed or not checked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
