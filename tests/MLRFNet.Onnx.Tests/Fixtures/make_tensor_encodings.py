#!/usr/bin/python3
"""Writes tensor_encodings.onnx and tensor_encodings.json for TensorDataTests (Debian: python3-onnx, python3-numpy).

One initializer per way onnx.proto lets a tensor carry its values: raw_data (numpy_helper.from_array, what exporters
write) and the typed repeated fields (onnx.helper.make_tensor(raw=False): float_data, int32_data holding float16 bit
patterns or int8/uint8/int32 values, int64_data), plus the cases a reader must refuse: data in an external file, a
value count that disagrees with the dims. The JSON holds the expected values as numpy computed them.
Run: /usr/bin/python3 make_tensor_encodings.py  (deterministic; no random numbers)."""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

here = os.path.dirname(os.path.abspath(__file__))
f32 = (np.arange(12, dtype=np.float32).reshape(3, 4) - 5.5) * np.float32(0.37)
f16 = (np.arange(6, dtype=np.float32).reshape(2, 3) * np.float32(1.7) - 3).astype(np.float16)
i64 = np.array([[-3, 0], [7, 2**40]], dtype=np.int64)
i8 = np.array([-128, -1, 0, 5, 127], dtype=np.int8)
u8 = np.array([0, 1, 128, 255], dtype=np.uint8)
i32 = np.array([-70000, 0, 3, 2**30], dtype=np.int32)

tensors = [
    numpy_helper.from_array(f32, "f32_raw"),
    helper.make_tensor("f32_float_data", TensorProto.FLOAT, f32.shape, f32.flatten().tolist(), raw=False),
    numpy_helper.from_array(f16, "f16_raw"),
    helper.make_tensor("f16_int32_data", TensorProto.FLOAT16, f16.shape, f16.flatten().tolist(), raw=False),
    numpy_helper.from_array(i64, "i64_raw"),
    helper.make_tensor("i64_int64_data", TensorProto.INT64, i64.shape, i64.flatten().tolist(), raw=False),
    numpy_helper.from_array(i8, "i8_raw"),
    helper.make_tensor("i8_int32_data", TensorProto.INT8, i8.shape, i8.tolist(), raw=False),
    numpy_helper.from_array(u8, "u8_raw"),
    helper.make_tensor("u8_int32_data", TensorProto.UINT8, u8.shape, u8.tolist(), raw=False),
    numpy_helper.from_array(i32, "i32_raw"),
]
# float_data with 11 values for dims [3, 4].
short = TensorProto(name="f32_short_float_data", data_type=TensorProto.FLOAT, dims=[3, 4])
short.float_data.extend(f32.flatten()[:11].tolist())
# raw_data of 44 bytes (11 floats) for dims [3, 4].
short_raw = TensorProto(name="f32_short_raw", data_type=TensorProto.FLOAT, dims=[3, 4], raw_data=f32.tobytes()[:44])
# Values kept in a file beside the model (onnx.external_data_helper's layout); the reader must refuse, not read zeros.
external = TensorProto(name="f32_external", data_type=TensorProto.FLOAT, dims=[3, 4], data_location=TensorProto.EXTERNAL)
for key, value in (("location", "weights.bin"), ("offset", "0"), ("length", "48")):
    entry = external.external_data.add()
    entry.key, entry.value = key, value
tensors += [short, short_raw, external]

# Check the encodings are what the names say (the test relies on it).
by_name = {t.name: t for t in tensors}
assert by_name["f32_raw"].raw_data and not by_name["f32_raw"].float_data
assert by_name["f32_float_data"].float_data and not by_name["f32_float_data"].raw_data
assert by_name["f16_int32_data"].int32_data and not by_name["f16_int32_data"].raw_data
assert by_name["i64_int64_data"].int64_data and not by_name["i64_int64_data"].raw_data
assert by_name["i8_int32_data"].int32_data and by_name["u8_int32_data"].int32_data

graph = helper.make_graph([], "tensor_encodings", [], [], initializer=tensors)
model = helper.make_model(graph, producer_name="make_tensor_encodings.py", opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
with open(os.path.join(here, "tensor_encodings.onnx"), "wb") as f:
    f.write(model.SerializeToString())

expected = {
    "f32": [float(v) for v in f32.flatten()], "f32_dims": list(f32.shape),
    "f16": [float(v) for v in f16.astype(np.float32).flatten()],
    "f16_bits": [int(v) for v in f16.view(np.uint16).flatten()],
    "i64": [int(v) for v in i64.flatten()],
    "i8": [int(v) for v in i8], "u8": [int(v) for v in u8], "i32": [int(v) for v in i32],
}
with open(os.path.join(here, "tensor_encodings.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
