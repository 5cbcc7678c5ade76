"""Full-size parity inputs, NOT committed (about 100 MB each): writes into ./generated/

  resnet50_seeded.pt          torchvision resnet50 (fc included), seeded init + randomised BN statistics, saved with
                              torch.save(state_dict) in the zip format, as an ImageNet checkpoint would be.
  res2net50_26w_4s_seeded.pt  the timm-layout Res2Net-50 port (reference_models.py) plus a seeded fc (2048 -> 1000),
                              i.e. the keys of timm's res2net50_26w_4s checkpoint.
  mlrfnet_head_seeded.pt      the rest of the paper's MLRFNet on that Res2Net-50 (ECA on U2..U4, MRFC for 14 classes;
                              reference_models.MLRFNet, the C# model's key layout), seeded: every key but backbone.*.
  full_parity_io.pt           a seeded 1x3x224x224 input, both backbones' eval-mode U2, U3, U4, and the whole MLRFNet's
                              logits and three score maps.

Run: tools/full-parity-fixtures.sh (tools/test.sh does, ~7 s; seeded, so every run writes the same bytes). The C# tests
that need these files skip (visibly) when they are absent; under tools/test.sh a skip fails the run.
"""
import os

import torch
import torchvision

from reference_models import MLRFNet, Res2NetBackbone, TorchvisionBackbone


def randomise_batch_norm(net):
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.normal_(0, 0.1)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.5, 1.0)
            m.bias.normal_(0, 0.05)
    return net


def main():
    torch.set_grad_enabled(False)
    os.makedirs("generated", exist_ok=True)
    torch.manual_seed(1234)
    x = torch.randn(1, 3, 224, 224)
    io = {"input": x}

    resnet50 = randomise_batch_norm(torchvision.models.resnet50()).eval()
    torch.save(resnet50.state_dict(), "generated/resnet50_seeded.pt")
    backbone = TorchvisionBackbone("resnet50")
    backbone.load_state_dict({k: v for k, v in resnet50.state_dict().items() if not k.startswith("fc.")})
    for name, u in zip(["u2", "u3", "u4"], backbone.eval()(x)):
        io[f"resnet50.{name}"] = u.contiguous()

    res2net = randomise_batch_norm(Res2NetBackbone()).eval()
    state = dict(res2net.state_dict())
    fc = torch.nn.Linear(2048, 1000)
    state["fc.weight"], state["fc.bias"] = fc.weight.detach(), fc.bias.detach()
    torch.save(state, "generated/res2net50_26w_4s_seeded.pt")

    # The whole MLRFNet on that backbone; one forward gives both the backbone's U2-U4 and the model's outputs (the
    # Res2Net-50 forward is most of this script's time).
    torch.manual_seed(4321)
    mlrfnet = MLRFNet(res2net, [512, 1024, 2048], 14).eval()
    torch.save({k: v for k, v in mlrfnet.state_dict().items() if not k.startswith("backbone.")}, "generated/mlrfnet_head_seeded.pt")
    logits, maps, levels = mlrfnet(x)
    for name, u in zip(["u2", "u3", "u4"], levels):
        io[f"res2net50_26w_4s.{name}"] = u.contiguous()
    io["mlrfnet.logits"] = logits.contiguous()
    for i, m in enumerate(maps):
        io[f"mlrfnet.score_map{i}"] = m.contiguous()

    torch.save(io, "generated/full_parity_io.pt")


if __name__ == "__main__":
    main()
