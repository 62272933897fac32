__version__ = "0.1.0"


def __getattr__(name):
    "`pianodiff.load_pretrained` and `pianodiff.sample`, imported on first use (so `import pianodiff` stays light)."
    if name == 'load_pretrained':
        from .train import load_pretrained
        return load_pretrained
    if name == 'sample':
        from .sampling import sample
        return sample
    raise AttributeError(f"module 'pianodiff' has no attribute {name!r}")
