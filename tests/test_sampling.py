"""Samples of the bundled chorale model resemble the data in one respect that needs no listening: with the
midpoint rule (a cell is a note where the sample is nearer +1 than -1, no tuning to the data), the note density
of Euler-Maruyama samples lies within a factor of two of the validation set's (the band documented in the
sampling chapter)."""
import torch

from pianodiff.sampling import sample, to_rolls
from pianodiff.train import load_pretrained


def test_note_density_of_samples_is_near_the_validation_set():
    model = load_pretrained('chorales')
    r = sample(model, 'em', n=16, seed=0, steps=200, progress=False)
    density = to_rolls(r.x, model, 'midpoint').mean().item()
    val = model.config['data']['val_density']
    assert val / 2 <= density <= 2 * val, (density, val)


def test_samples_are_finite_and_in_range():
    model = load_pretrained('chorales')
    x = sample(model, 'heun', n=4, seed=1, progress=False).x
    assert torch.isfinite(x).all() and x.abs().max() < 10
