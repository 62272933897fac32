"""Samples of the bundled chorale model resemble the data in one respect that needs no listening: with the
midpoint rule (a cell is a note where the sample is nearer +1 than -1, no tuning to the data), their note density
lies in a band around the validation set's, as documented in the sampling chapter: within a factor of two for
Euler-Maruyama at a reduced 200 steps, and within 25 % for the fast ancestral sampler at its defaults (46 NFE).
(Heun, deterministic, overshoots to about twice the density on this model: the chapter shows and explains it.)"""
import pytest
import torch

from pianodiff.sampling import sample, to_rolls
from pianodiff.train import load_pretrained


@pytest.mark.parametrize('sampler, settings, factor', [('em', {'steps': 200}, 2.0), ('ancestral', {}, 1.25)])
def test_note_density_of_samples_is_near_the_validation_set(sampler, settings, factor):
    model = load_pretrained('chorales')
    r = sample(model, sampler, n=16, seed=0, progress=False, **settings)
    density = to_rolls(r.x, model, 'midpoint').mean().item()
    val = model.config['data']['val_density']
    assert val / factor <= density <= factor * val, (density, val)


def test_samples_are_finite_and_in_range():
    model = load_pretrained('chorales')
    for sampler in ('heun', 'ancestral'):
        x = sample(model, sampler, n=4, seed=1, progress=False).x
        assert torch.isfinite(x).all() and x.abs().max() < 10, sampler
