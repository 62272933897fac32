"The whole chorale corpus, deduplicated: no held-out clip repeats a training clip (builds the corpus once: about 2 minutes)."

from pianodiff.data import DEFAULT, chorale_corpus, corpus_duplicates, load_chorales


def test_no_held_out_clip_repeats_a_training_clip():
    dropped = corpus_duplicates(chorale_corpus(progress=False))
    names = {d['dropped'] for d in dropped}
    assert {'midi/bwv69.6.mid', 'midi/bwv62.6.mid'} <= names            # the same music under two names each
    assert all(d['same_as_split'] == 'train' or d['split'] != 'train' for d in dropped)   # held-out copies go, training copies stay
    clips = {s: load_chorales(s, DEFAULT, progress=False).clips.numpy() for s in ('train', 'validation', 'test')}
    seen = {c.tobytes() for c in clips['train']}
    for s in ('validation', 'test'):
        assert len(clips[s]) > 100
        assert not any(c.tobytes() in seen for c in clips[s]), f'a {s} clip equals a training clip'
    assert not {p['midi_filename'] for p in load_chorales('all', DEFAULT, progress=False).pieces} & names
