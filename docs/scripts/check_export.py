# Checks docs/export.md's MerganGenerator against Mnemo: loads `mnemo export` weights into the class exactly as the
# docs give it, draws the images of the reference batch (`--reference`) and prints the largest absolute difference.
# Usage: python3 docs/scripts/check_export.py RUN_DIR WEIGHTS.pt REFERENCE.safetensors
import json, re, struct, sys, pathlib
import numpy as np, torch

run, weights, reference = sys.argv[1:4]
docs = (pathlib.Path(__file__).parent.parent / "export.md").read_text()
exec(re.search(r"## MeRGAN, 32×32.*?```python\n(.*?)```", docs, re.S).group(1))  # ConditionalBatchNorm2d, MerganGenerator, load_generator

def read_safetensors(path):  # the format is 8 bytes of header length, a JSON header, then raw little-endian data
    data = pathlib.Path(path).read_bytes()
    n = struct.unpack("<Q", data[:8])[0]
    header, body = json.loads(data[8:8 + n]), data[8 + n:]
    types = {"F32": np.float32, "I64": np.int64}
    return {k: torch.from_numpy(np.frombuffer(body[v["data_offsets"][0]:v["data_offsets"][1]], types[v["dtype"]]).reshape(v["shape"]).copy())
            for k, v in header.items() if k != "__metadata__"}

settings = json.loads(pathlib.Path(run, "config.json").read_text())["settings"]
state = torch.load(weights)
classes = state["generator.norms.0.scale.weight"].shape[0]
channels = state["generator.deconvs.2.weight"].shape[1]
g = load_generator(weights, z_dim=settings["ZDim"], classes=classes, channels=channels, dim=settings["Dim"])
ref = read_safetensors(reference)
with torch.no_grad():
    images = g(ref["z"], ref["labels"])
print(f"torch {torch.__version__}: {images.shape[0]} images {tuple(images.shape[1:])}, "
      f"largest absolute difference to Mnemo {(images - ref['images']).abs().max().item():.3g}")
