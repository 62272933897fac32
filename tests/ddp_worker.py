"Run by tests/test_train.py under `torchrun --nproc_per_node 2`: a few DDP steps, then each rank saves its weights."
import os, sys
from pathlib import Path

from safetensors.torch import save_file

from pianodiff.data import DEFAULT, load_chorales
from pianodiff.sde import VPSDE
from pianodiff.train import TrainConfig, train
from pianodiff.unet import UNetConfig
from dataclasses import replace

out = Path(sys.argv[1])
cfg = replace(DEFAULT, clip_frames=32)
tr, va = (load_chorales(s, cfg, limit=16, progress=False) for s in ('train', 'validation'))
run = train(out, tr, va, VPSDE(), UNetConfig(channels=(8, 16), attention=False, embed_dim=16, groups=4),
            TrainConfig(epochs=2, batch_size=4, max_steps_per_epoch=3, warmup_steps=0, lr=1e-3), progress=False)
rank = int(os.environ['RANK'])
save_file({k: v.contiguous() for k, v in run['model'].state_dict().items()}, str(out / f'rank{rank}.safetensors'))
save_file({k: v.contiguous() for k, v in run['ema'].state_dict().items()}, str(out / f'ema_rank{rank}.safetensors'))
