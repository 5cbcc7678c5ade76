"""Writes the model fixtures (run from this folder: /usr/bin/python3 make_model_references.py):

backbone_keys.json        state_dict keys + shapes + parameter counts of the reference backbones without fc:
                          Res2Net-50 26w x 4s (timm layout, ported in reference_models.py), torchvision resnet50,
                          resnet18, and torchvision's ResNet(BasicBlock, [2, 2, 2, 3]): the depths of the CNTK
                          ImageNet "ResNet18.onnx" (22 convs: its stage 4 has three blocks) used by mlrfnet-r18.
formula_parity.pt         stage outputs U2, U3, U4 of those backbones (eval mode) for a 1x3x64x64 formula input, with
                          every weight set by reference_models.formula_tensor (the C# tests generate the same weights,
                          so full-size parity needs no weight file).
mlrfnet_tiny_state_dict.pt  a seeded MLRFNet-tiny (Res2Net [2,2,2,2], planes 16..128, stem 16, 3 classes) saved with
                          torch.save (zip format), BatchNorm running stats randomised so eval mode depends on them.
mlrfnet_tiny_io.pt        its input (2x3x64x64) and outputs: U2..U4, logits, the three score maps.
cost_references.json      multiply-accumulates at 1x3x224x224 counted with PyTorch forward hooks (Conv1d/Conv2d:
                          output elements x in_channels/groups x kernel; Linear: output elements x in_features), the
                          convention of torchvision's published figures: full resnet50 4.089 G, resnet18 1.814 G.
"""
import json
import math

import torch

from reference_models import MLRFNet, Res2NetBackbone, TorchvisionBackbone, fill_with_formula, formula_input


def multiply_accumulates(net, size=224):
    total = [0]

    def hook(m, _, out):
        if isinstance(m, (torch.nn.Conv1d, torch.nn.Conv2d)):
            total[0] += out.numel() * (m.in_channels // m.groups) * math.prod(m.kernel_size)
        elif isinstance(m, torch.nn.Linear):
            total[0] += out.numel() * m.in_features

    handles = [m.register_forward_hook(hook) for m in net.modules()]
    net.eval()
    net(torch.zeros(1, 3, size, size))
    for h in handles:
        h.remove()
    return total[0]


def backbones():
    return {
        "res2net50_26w_4s": Res2NetBackbone(),
        "resnet50": TorchvisionBackbone("resnet50"),
        "resnet18": TorchvisionBackbone("resnet18"),
        "resnet18_cntk": TorchvisionBackbone(("BasicBlock", [2, 2, 2, 3])),
    }


def main():
    torch.set_grad_enabled(False)
    keys = {}
    parity = {}
    x = formula_input((1, 3, 64, 64))
    parity["input"] = x
    for name, net in backbones().items():
        sd = net.state_dict()
        keys[name] = {
            "parameters": sum(p.numel() for p in net.parameters()),
            "state_dict": [[k, list(v.shape)] for k, v in sd.items()],
        }
        fill_with_formula(net).eval()
        for level, u in zip(["u2", "u3", "u4"], net(x)):
            parity[f"{name}.{level}"] = u.contiguous()
    with open("backbone_keys.json", "w") as f:
        json.dump(keys, f, indent=0)

    import torchvision
    costs = {name: multiply_accumulates(net) for name, net in backbones().items()}
    costs["torchvision_resnet50_with_fc"] = multiply_accumulates(torchvision.models.resnet50())
    costs["torchvision_resnet18_with_fc"] = multiply_accumulates(torchvision.models.resnet18())
    costs["mlrfnet_14_classes"] = multiply_accumulates(MLRFNet(Res2NetBackbone(), [512, 1024, 2048], 14))
    costs["mlrfnet_14_classes_parameters"] = sum(p.numel() for p in MLRFNet(Res2NetBackbone(), [512, 1024, 2048], 14).parameters())
    with open("cost_references.json", "w") as f:
        json.dump(costs, f, indent=1)
    torch.save(parity, "formula_parity.pt")

    torch.manual_seed(7)
    tiny = MLRFNet(Res2NetBackbone(layers=(2, 2, 2, 2), planes=(16, 32, 64, 128), stem_width=16), [128, 256, 512], 3)
    for m in tiny.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.normal_(0, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.5, 1.5)
            m.bias.normal_(0, 0.1)
            m.num_batches_tracked.fill_(3)
    tiny.eval()
    torch.save(tiny.state_dict(), "mlrfnet_tiny_state_dict.pt")
    x = torch.randn(2, 3, 64, 64)
    logits, maps, (u2, u3, u4) = tiny(x)
    io = {"input": x, "logits": logits, "u2": u2, "u3": u3, "u4": u4}
    for i, m in enumerate(maps):
        io[f"score_map{i}"] = m.contiguous()
    torch.save(io, "mlrfnet_tiny_io.pt")


if __name__ == "__main__":
    main()
