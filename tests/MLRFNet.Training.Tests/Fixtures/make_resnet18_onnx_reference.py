"""Reference features of the ImageNet ResNet-18 ONNX in NuGet's Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1.

Run: /usr/bin/python3 make_resnet18_onnx_reference.py [PACKAGE_ROOT]
(default ~/.nuget/packages/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1; `dotnet restore` of the test project puts
it there). onnxruntime is not installed on this machine, so the ONNX graph is executed node by node with torch
functional ops straight from the ONNX attributes (including CNTK's asymmetric pads), reading the initializers with
the `onnx` package. That is independent of the C# importer, which maps initializers onto a torchvision-layout
ResNet-18 by graph order and shape.

Writes:
  resnet18_onnx_reference.pt    u2, u3, u4 (outputs of stages 2-4) for 0-255-scale formula input 1x3x96x96, and the
                                graph output (global average pool, 512) for the same kind of input at 1x3x224x224.
  resnet18_onnx_reference.json  per-channel means of the preprocessing mean image (B, G, R), the tensor names taken as
                                U2..U4, sha256 of both ONNX files.
"""
import hashlib
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

from reference_models import formula_input

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.nuget/packages/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1")
MODEL = os.path.join(ROOT, "tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx")
PREP = os.path.join(ROOT, "tools/DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx")
INPUT_SCALE = 60.0   # formula input (about -1..1.4) times 60: the magnitude of BGR 0-255 minus the mean image


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def pad(x, pads, value=0.0):
    # ONNX pads: [h_begin, w_begin, h_end, w_end]; F.pad wants (w_begin, w_end, h_begin, h_end)
    return F.pad(x, (pads[1], pads[3], pads[0], pads[2]), value=value)


def run(graph, x):
    init = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    env = {graph.input[0].name: x}
    for node in graph.node:
        a = attrs(node)
        ins = [env[n] if n in env else init[n] for n in node.input]
        if node.op_type == "Conv":
            y = F.conv2d(pad(ins[0], a.get("pads", [0, 0, 0, 0])), ins[1], ins[2] if len(ins) > 2 else None,
                         stride=a["strides"], dilation=a.get("dilations", [1, 1]), groups=a.get("group", 1))
        elif node.op_type == "BatchNormalization":
            assert a.get("spatial", 1) == 1
            y = F.batch_norm(ins[0], ins[3], ins[4], ins[1], ins[2], training=False, eps=a["epsilon"])
        elif node.op_type == "Relu":
            y = F.relu(ins[0])
        elif node.op_type == "Add":
            y = ins[0] + ins[1]
        elif node.op_type == "MaxPool":
            y = F.max_pool2d(pad(ins[0], a["pads"], value=float("-inf")), a["kernel_shape"], a["strides"])
        elif node.op_type == "AveragePool":
            assert a["pads"] == [0, 0, 0, 0]
            # The graph's pool is a fixed 7x7 (its 224x224 input); smaller test inputs only need the stage outputs.
            y = F.avg_pool2d(ins[0], a["kernel_shape"], a["strides"]) if ins[0].shape[-1] >= a["kernel_shape"][-1] else None
        else:
            raise NotImplementedError(node.op_type)
        env[node.output[0]] = y
    return env


def stage_outputs(graph):
    """U2, U3 = inputs of the stride-2 3x3 convs that open stages 3 and 4; U4 = the input of the final pooling."""
    strided = []
    for node in graph.node:
        if node.op_type == "Conv" and attrs(node)["strides"] == [2, 2] and attrs(node)["kernel_shape"] == [3, 3]:
            strided.append(node.input[0])
    pool = [n.input[0] for n in graph.node if n.op_type == "AveragePool"]
    assert len(strided) == 3 and len(pool) == 1   # stages 2, 3, 4 open with a 3x3/2 (the stem conv is 7x7)
    return [strided[1], strided[2], pool[0]]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    torch.set_grad_enabled(False)
    graph = onnx.load(MODEL).graph
    names = stage_outputs(graph)
    env = run(graph, formula_input((1, 3, 96, 96)) * INPUT_SCALE)
    out = {"u2": env[names[0]], "u3": env[names[1]], "u4": env[names[2]]}
    env224 = run(graph, formula_input((1, 3, 224, 224)) * INPUT_SCALE)
    out["pooled224"] = env224[graph.output[0].name].flatten(1)
    torch.save({k: v.contiguous() for k, v in out.items()}, "resnet18_onnx_reference.pt")

    prep = onnx.load(PREP).graph
    mean_image = numpy_helper.to_array(prep.initializer[0]).astype(np.float64)
    info = {
        "mean_image_channel_means_bgr": mean_image.mean(axis=(0, 2, 3)).tolist(),
        "stage_output_names": names,
        "input_scale": INPUT_SCALE,
        "resnet18_onnx_sha256": sha256(MODEL),
        "preprocess_onnx_sha256": sha256(PREP),
        "preprocess_ops": [n.op_type for n in prep.node],
    }
    with open("resnet18_onnx_reference.json", "w") as f:
        json.dump(info, f, indent=1)
    print({k: tuple(v.shape) for k, v in out.items()}, info["mean_image_channel_means_bgr"])


if __name__ == "__main__":
    main()
