"""gxml train: retraining from labelled folders and the generator, end to end from the CLI."""
import json

import numpy as np

from gxml.cli import main
from gxml.pipeline import prepare
from gxml.tagger import LineTagger
from gxml.train import train

from conftest import shared_dir


def test_retrain_on_labelled_folders_from_the_cli(tmp_path, capsys):
    seeds, dev = shared_dir("seeds"), shared_dir("dev")
    model = tmp_path / "m.joblib"
    assert main(["train", str(seeds), str(dev), "--synthetic", "30", "--seed", "1", "-o", str(model)]) == 0
    meta = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["training"]["labelled_docs"] == 17 and meta["training"]["synthetic_docs"] == 30
    out = tmp_path / "out.jsonl"
    assert main(["parse", str(seeds / "001_759a9d4bc6f4c7bf.txt"), "--model", str(model), "-o", str(out),
                 "--no-progress"]) == 0
    rec = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert rec["template"] == "2021"


def test_same_seed_same_predictions():
    text = (shared_dir("seeds") / "000_023b924819fd2490.txt").read_text(encoding="utf-8")
    a, _ = train([], synthetic=25, seed=7)
    b, _ = train([], synthetic=25, seed=7)
    assert np.array_equal(a.predict_proba(prepare(text)), b.predict_proba(prepare(text)))


def test_nothing_to_train_on_is_a_clear_error(tmp_path, capsys):
    assert main(["train", "--synthetic", "0", "-o", str(tmp_path / "m.joblib")]) == 2
    assert "nothing to train on" in capsys.readouterr().err


def test_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["train", str(tmp_path / "nope"), "--synthetic", "0", "-o", str(tmp_path / "m.joblib")]) == 2
    assert "not a folder" in capsys.readouterr().err
