"""Samples of the bundled chorale model resemble the data in one respect that needs no listening: with the
midpoint rule (a cell is a note where the sample is nearer +1 than -1, no tuning to the data), their note density
lies in a band around the validation set's, as documented in the sampling chapter ("Quality against the number of
evaluations"): within 25 % for the fast sampler (Heun with churn, 49 NFE) at its defaults, and within a factor of
two for Euler-Maruyama at a reduced 200 steps. (Heun without churn, deterministic, overshoots to about twice the
density on this model: the chapter shows and explains it.)"""
import pytest
import torch

from pianodiff.sampling import sample, to_rolls
from pianodiff.train import load_pretrained


@pytest.mark.parametrize('sampler, settings, factor', [('heun-churn', {}, 1.25), ('em', {'steps': 200}, 2.0)])
def test_note_density_of_samples_is_near_the_validation_set(sampler, settings, factor):
    model = load_pretrained('chorales')
    r = sample(model, sampler, n=16, seed=0, progress=False, **settings)
    density = to_rolls(r.x, model, 'midpoint').mean().item()
    val = model.config['data']['val_density']
    assert val / factor <= density <= factor * val, (density, val)


def test_fast_sampler_is_crisp():
    "Heun with churn ends on rolls, not on a blur: nearly every value is nearer to silence or a note than halfway."
    model = load_pretrained('chorales')
    x = sample(model, 'heun-churn', n=8, seed=0, progress=False).x
    assert (x.abs() < 0.5).float().mean() < 0.02


def test_samples_are_finite_and_in_range():
    model = load_pretrained('chorales')
    for sampler in ('heun', 'heun-churn'):
        x = sample(model, sampler, n=4, seed=1, progress=False).x
        assert torch.isfinite(x).all() and x.abs().max() <= 1 + 1e-5, sampler   # the denoised estimate, clipped


def test_paper_model_samples_with_both_heun_samplers():
    "The paper preset's model (tutorial VE SDE, rolls in [0, 1]): shapes, NFE, and samples inside the data range."
    model = load_pretrained('chorales-paper')
    for sampler in ('heun', 'heun-churn'):
        r = sample(model, sampler, n=4, seed=0, progress=False)
        assert r.x.shape == (4, *model.shape) and r.nfe == 49, sampler
        assert torch.isfinite(r.x).all() and r.x.min() >= -1e-5 and r.x.max() <= 1 + 1e-5, sampler
