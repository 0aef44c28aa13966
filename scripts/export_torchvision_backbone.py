#!/usr/bin/env python3
"""Export a torchvision ResNet as a flawmap ONNX backbone: model.onnx plus backbone.json.

The ONNX graph takes `input` [batch, 3, H, W], RGB scaled to [0, 1] and normalised with the
ImageNet mean and std, and returns the outputs of layer1, layer2 and layer3 (strides 4, 8, 16),
the three stages PaDiM uses. layer4 and the classifier are not exported.

Run it on a machine with PyTorch and torchvision; the weights download on first use:

    pip install torch torchvision            # onnxruntime too, for the optional check
    python scripts/export_torchvision_backbone.py resnet18 backbones/resnet18
    python scripts/export_torchvision_backbone.py wide_resnet50_2 backbones/wide_resnet50_2

Then point flawmap at the output folder. docs/backbones.md describes backbone.json.
"""
import argparse
import hashlib
import inspect
import json
import pathlib

import torch
import torchvision

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]

# Output channels of layer1..layer3 and the ImageNet weights used for each architecture.
ARCHITECTURES = {
    "resnet18": ([64, 128, 256], "ResNet18_Weights"),
    "wide_resnet50_2": ([256, 512, 1024], "Wide_ResNet50_2_Weights"),
}
STRIDES = [4, 8, 16]


class ResNetStages(torch.nn.Module):
    """Runs a torchvision ResNet up to layer3 and returns the outputs of layer1..layer3."""

    def __init__(self, net):
        super().__init__()
        self.stem = torch.nn.Sequential(net.conv1, net.bn1, net.relu, net.maxpool)
        self.layer1, self.layer2, self.layer3 = net.layer1, net.layer2, net.layer3

    def forward(self, x):
        x1 = self.layer1(self.stem(x))
        x2 = self.layer2(x1)
        return x1, x2, self.layer3(x2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("arch", choices=sorted(ARCHITECTURES))
    parser.add_argument("output", type=pathlib.Path, help="folder for model.onnx and backbone.json")
    parser.add_argument("--size", type=int, default=224, help="input height and width in pixels")
    args = parser.parse_args()

    channels, weights_enum = ARCHITECTURES[args.arch]
    weights = getattr(torchvision.models, weights_enum).IMAGENET1K_V1
    net = getattr(torchvision.models, args.arch)(weights=weights)
    model = ResNetStages(net).eval()

    args.output.mkdir(parents=True, exist_ok=True)
    onnx_path = args.output / "model.onnx"
    names = ["layer1", "layer2", "layer3"]
    example = torch.rand(1, 3, args.size, args.size)
    options = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        options["dynamo"] = False  # the TorchScript exporter honours the names and opset below
    torch.onnx.export(
        model, example, str(onnx_path), input_names=["input"], output_names=names,
        dynamic_axes={name: {0: "batch"} for name in ["input"] + names}, opset_version=13,
        **options)

    check_with_onnxruntime(model, onnx_path, example)

    descriptor = {
        "id": args.arch,
        "onnx": "model.onnx",
        "sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "input": {"width": args.size, "height": args.size, "layout": "NCHW", "name": "input"},
        "mean": IMAGENET_MEAN,
        "std": IMAGENET_STD,
        "stages": [{"name": n, "channels": c, "stride": s}
                   for n, c, s in zip(names, channels, STRIDES)],
        "source": f"torchvision {torchvision.__version__} {args.arch}, weights {weights}"
                  " (ImageNet-1k; torchvision code is BSD-3-Clause, check the ImageNet terms"
                  " for the weights); exported up to layer3 by"
                  " scripts/export_torchvision_backbone.py",
    }
    (args.output / "backbone.json").write_text(json.dumps(descriptor, indent=2) + "\n")
    print(f"Wrote {onnx_path} and {args.output / 'backbone.json'}")


def check_with_onnxruntime(model, onnx_path, example):
    """Compares ONNX Runtime with PyTorch on the example input when onnxruntime is installed."""
    try:
        import onnxruntime
    except ImportError:
        print("onnxruntime not installed, skipping the output check")
        return
    session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    ort_outputs = session.run(None, {"input": example.numpy()})
    with torch.no_grad():
        torch_outputs = model(example)
    for name, ort_out, torch_out in zip(["layer1", "layer2", "layer3"], ort_outputs, torch_outputs):
        difference = abs(ort_out - torch_out.numpy()).max()
        print(f"{name}: shape {list(ort_out.shape)}, max |onnxruntime - torch| = {difference:.2e}")
        if difference > 1e-3:
            raise SystemExit(f"{name} differs by {difference}; the export is wrong")


if __name__ == "__main__":
    main()
