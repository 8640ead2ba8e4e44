# Writes tiny-pytorch-fid-names.pth: a real torch.save (zip) file with a few of pytorch-fid's parameter names, used
# by StateDictFileTests. Made with Debian's python3-torch 1.13: /usr/bin/python3 make_tiny_state_dict.py
from collections import OrderedDict
import torch

state = OrderedDict()
state["Conv2d_1a_3x3.conv.weight"] = torch.arange(864, dtype=torch.float32).reshape(32, 3, 3, 3)
state["Conv2d_1a_3x3.bn.running_var"] = torch.ones(32)
state["Conv2d_1a_3x3.bn.num_batches_tracked"] = torch.tensor(0)
state["fc.weight"] = torch.arange(6, dtype=torch.float32).reshape(2, 3)  # pytorch-fid's is 1008 x 2048
state["fc.bias"] = torch.tensor([0.5, 1.5], dtype=torch.float64)
torch.save(state, "tiny-pytorch-fid-names.pth")
# The same state dict in PyTorch's format before 1.6 (not a zip), as files saved in 2019 are.
torch.save(state, "tiny-pytorch-fid-names-legacy.pth", _use_new_zipfile_serialization=False)
