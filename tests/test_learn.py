"""`mtcheck learn`: a profile from a small archive written here, and `--profile` using it."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest
from click.testing import CliRunner

from mtcheck import api, lm
from mtcheck.cli import main
from mtcheck.config import Config, from_mapping
from mtcheck.errors import ConfigError
from mtcheck.learn import LearnError, archive_files, learn
from mtcheck.lm.ngram import NgramLM

needs_default = pytest.mark.skipif(lm.default_files("en") is None, reason="no default English model")

STORY = (
    "BRUSSELS (AP) - Ursula von der Leyen met the Kremlin envoy on Monday, the Commission said.\n\n"
    "The Commission said the talks on the gas price cap would resume on Thursday.\n\n"
    "Ursula von der Leyen told reporters the gas price cap was the priority of the Commission."
)


def _archive(root) -> str:
    d = root / "archive"
    (d / "2024").mkdir(parents=True)
    (d / "2024" / "a.txt").write_text(STORY, encoding="utf-8")
    (d / "2024" / "b.md").write_text("# Gas talks\n\n" + STORY.replace("Monday", "Friday"), encoding="utf-8")
    (d / "c.html").write_text(
        "<html><body><h1>Gas</h1><p>Kaja Kallas said the gas price cap was agreed.</p>"
        "<p>Kaja Kallas thanked Ursula von der Leyen.</p></body></html>", encoding="utf-8")
    with open(d / "d.jsonl", "w", encoding="utf-8") as fh:
        for i in range(3):
            fh.write(json.dumps({"id": i, "text": f"Kaja Kallas visited Kyiv for the {i}th time, the gas price cap in hand."}) + "\n")
        fh.write("not json\n")
        fh.write(json.dumps({"body": "Olaf Scholz spoke about the gas price cap."}) + "\n")
    (d / ".hidden.txt").write_text("ignored ignored", encoding="utf-8")
    (d / "notes.csv").write_text("ignored", encoding="utf-8")
    return str(d)


def test_archive_files_walks_directories(tmp_path):
    d = _archive(tmp_path)
    files, missing = archive_files([d, str(tmp_path / "nope")])
    names = sorted(os.path.basename(f) for f in files)
    assert names == ["a.txt", "b.md", "c.html", "d.jsonl"]
    assert missing == [str(tmp_path / "nope")]


@needs_default
def test_learn_writes_a_profile(tmp_path):
    d = _archive(tmp_path)
    out = tmp_path / "profile"
    seen = []
    stats = learn([d], str(out), lang="en", progress=seen.append)
    assert stats.files == 4 and stats.stories == 7 and stats.words > 100
    assert len(seen) == 4 and sum(seen) == sum(os.path.getsize(f) for f in archive_files([d])[0])
    for name in ("profile.json", "lm.npz", "names.tsv", "vocab.tsv"):
        assert (out / name).is_file(), name
    head = json.loads((out / "profile.json").read_text())
    assert head["lang"] == "en" and head["format"] == 1 and head["tokenizer"] == "default:en"
    names = (out / "names.tsv").read_text(encoding="utf-8")
    assert "Ursula von der Leyen\t" in names and "Kaja Kallas\t" in names
    assert "Olaf Scholz" not in names  # seen once
    vocab = (out / "vocab.tsv").read_text(encoding="utf-8")
    assert "\nCommission\t" in vocab
    table = NgramLM.load(str(out / "lm.npz"))
    assert table.vocab_size == lm.default_model("en").tables[0][0].vocab_size
    assert table.meta["tokens"] > 0


@needs_default
def test_learned_names_load_as_a_house_list(tmp_path):
    from mtcheck import housenames

    out = tmp_path / "p"
    learn([_archive(tmp_path)], str(out), lang="en")
    table = housenames.load(str(out / "names.tsv"))
    assert any(e.canonical == "Ursula von der Leyen" for e in table.entries)
    profile = lm.load_profile(str(out))
    assert ("Ursula von der Leyen", 3) in profile.names() or any(n == "Ursula von der Leyen" for n, _ in profile.names())


@needs_default
def test_learn_in_bounded_memory_spills_and_matches(tmp_path):
    d = _archive(tmp_path)
    a, b = tmp_path / "a", tmp_path / "b"
    learn([d], str(a), lang="en")
    spill = tmp_path / "spill"
    spill.mkdir()
    learn([d], str(b), lang="en", chunk_tokens=20, max_in_memory=50, tmpdir=str(spill))
    ta, tb = NgramLM.load(str(a / "lm.npz")), NgramLM.load(str(b / "lm.npz"))
    for k1, k2 in zip(ta.keys, tb.keys):
        assert np.array_equal(k1, k2)
    assert not list(spill.iterdir())


@needs_default
def test_profile_moves_scores_towards_the_archive(tmp_path):
    out = tmp_path / "p"
    learn([_archive(tmp_path)], str(out), lang="en")
    profile = lm.load_profile(str(out))
    base = lm.default_model("en")
    mixed = lm.model_for("en", profile)
    phrase = "the gas price cap was the priority of the Commission"
    assert mixed.logprob(phrase) > base.logprob(phrase)
    assert lm.model_for("fr", profile) is lm.default_model("fr")  # another language: the profile does not apply


def test_learn_rejects_an_empty_archive(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(LearnError):
        learn([str(tmp_path / "empty")], str(tmp_path / "out"), lang="en")
    with pytest.raises(LearnError):
        learn([str(tmp_path / "missing")], str(tmp_path / "out"), lang="en")


@needs_default
def test_cli_learn_then_check_with_profile(tmp_path):
    d = _archive(tmp_path)
    out = tmp_path / "house"
    runner = CliRunner()
    r = runner.invoke(main, ["learn", d, "-o", str(out), "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert (out / "profile.json").is_file()
    story = tmp_path / "story.txt"
    story.write_text("The Commission said the talks would resume on Thursday.", encoding="utf-8")
    r = runner.invoke(main, ["check", str(story), "--profile", str(out), "--no-config", "--select", "F",
                             "--format", "json", "--target-lang", "en"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["check", str(story), "--profile", str(tmp_path / "nothing"), "--no-config"])
    assert r.exit_code == 2


def test_cli_learn_reports_errors(tmp_path):
    r = CliRunner().invoke(main, ["learn", str(tmp_path / "missing"), "-o", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert "no such file" in r.output


def test_profile_config_key(tmp_path):
    cfg = from_mapping({"profile": "house"}, root=str(tmp_path))
    assert cfg.profile == "house"
    with pytest.raises(ConfigError):
        from_mapping({"profile": 3})


@needs_default
def test_profile_key_loads_in_make_context(tmp_path):
    from mtcheck.readers import read_text

    out = tmp_path / "house"
    learn([_archive(tmp_path)], str(out), lang="en")
    cfg = Config(profile="house", root=str(tmp_path))
    ctx = api.make_context(read_text("The talks resumed."), config=cfg, target_lang="en")
    assert ctx.services["profile"].lang == "en"
    assert ctx.services["lm_model"]().tables[1][0].meta["tokens"] > 0
    with pytest.raises(ConfigError):
        api.make_context(read_text("x"), config=Config(profile="nope", root=str(tmp_path)))
