"`pianodiff tune` killed in the middle of a trial, then run again: the study resumes from its SQLite file."
import signal, subprocess, time

import optuna
from optuna.trial import TrialState

from conftest import BIN, ROOT


def states(db):
    try: study = optuna.load_study(study_name='pianodiff', storage=f'sqlite:///{db}')
    except Exception: return []   # not created yet
    return [t.state for t in study.get_trials(deepcopy=False)]


def test_study_resumes_after_kill(tmp_path):
    db = tmp_path / 'study.db'
    cmd = [str(BIN / 'pianodiff'), 'tune', '--storage', str(db), '--trials', '3', '--folds', '2', '--epochs', '1',
           '--max-steps-per-epoch', '2', '--preset', 'paper', '--limit', '24', '--sampler', 'random']
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 240
    while time.time() < deadline:   # wait for one finished trial and another under way, then kill
        s = states(db)
        if s.count(TrialState.COMPLETE) >= 1 and TrialState.RUNNING in s: break
        if proc.poll() is not None: raise AssertionError(f'tune ended before it could be interrupted: {proc.stderr.read()}')
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL); proc.wait()
    before = optuna.load_study(study_name='pianodiff', storage=f'sqlite:///{db}').trials   # a snapshot (a list)
    killed = [t for t in before if t.state == TrialState.RUNNING]
    assert len(killed) == 1
    done_before = [t.params for t in before if t.state == TrialState.COMPLETE]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert 'best of' in r.stdout
    after = optuna.load_study(study_name='pianodiff', storage=f'sqlite:///{db}').trials
    finished = [t.state for t in after if t.state in (TrialState.COMPLETE, TrialState.PRUNED)]
    assert len(finished) == 3 and TrialState.COMPLETE in finished   # three finished in all (the pruner may stop a bad one)
    assert after[killed[0].number].state == TrialState.FAIL                 # the killed trial is marked failed ...
    # ... and its configuration run again; it may have been killed before every parameter was drawn, and the retry draws the rest
    assert any(killed[0].params.items() <= t.params.items() for t in after[len(before):]), (killed[0].params, [t.params for t in after[len(before):]])
    assert [t.params for t in after[:len(before)] if t.state == TrialState.COMPLETE] == done_before   # finished trials kept


def test_tune_bad_input(tmp_path):
    for argv, says in [(['--sampler', 'grid'], 'unknown sampler'), (['--folds', '1'], '--folds'),
                       (['--storage', str(tmp_path)], 'is a folder')]:
        r = subprocess.run([str(BIN / 'pianodiff'), 'tune', *argv], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and says in r.stderr and len(r.stderr.strip().splitlines()) == 1, (argv, r.stderr)
