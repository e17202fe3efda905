"""Configuration discovery and validation."""
from __future__ import annotations

import pytest

from mtcheck import config as cfgmod
from mtcheck.errors import ConfigError


def test_mtcheck_toml_is_found_walking_up(tmp_path):
    (tmp_path / "mtcheck.toml").write_text('select = ["P"]\nignore = ["P008"]\ntarget-lang = "en"\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    cfg = cfgmod.discover(sub)
    assert cfg.select == ("P",) and cfg.ignore == ("P008",) and cfg.target_lang == "en"


def test_pyproject_tool_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mtcheck]\nfail-on = "warning"\n[tool.mtcheck.per-file-ignores]\n"wire/*.txt" = ["P005"]\n'
        '[tool.mtcheck.severity]\nP006 = "error"\n'
    )
    cfg = cfgmod.discover(tmp_path)
    assert cfg.fail_on == "warning"
    assert cfg.ignored_for(str(tmp_path / "wire" / "a.txt")) == ("P005",)
    assert cfg.severity_for("P006", "warning") == "error"


def test_pyproject_without_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 88\n")
    (tmp_path / "setup.cfg").write_text("[mtcheck]\nselect = P, U\naccept =\n  Merkozy\n")
    cfg = cfgmod.discover(tmp_path)
    assert cfg.select == ("P", "U") and cfg.accept == ("Merkozy",)


def test_nearest_wins(tmp_path):
    (tmp_path / "mtcheck.toml").write_text('select = ["P"]\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "setup.cfg").write_text("[mtcheck]\nselect = U\n")
    assert cfgmod.discover(inner).select == ("U",)


@pytest.mark.parametrize(
    "body,needle",
    [
        ('selct = ["P"]\n', "selct"),
        ('select = ["X1"]\n', "X1"),
        ('target-lang = "english"\n', "target-lang"),
        ('fail-on = "fatal"\n', "fail-on"),
        ('max-file-size = "huge"\n', "max-file-size"),
        ('[severity]\nP001 = "loud"\n', "severity.P001"),
    ],
)
def test_bad_keys_and_values_name_the_key(tmp_path, body, needle):
    p = tmp_path / "mtcheck.toml"
    p.write_text(body)
    with pytest.raises(ConfigError) as exc:
        cfgmod.load_file(p)
    assert needle in str(exc.value) and str(p) in str(exc.value)


def test_broken_toml_is_a_config_error(tmp_path):
    p = tmp_path / "mtcheck.toml"
    p.write_text("select = [\n")
    with pytest.raises(ConfigError):
        cfgmod.load_file(p)


def test_sizes():
    assert cfgmod.from_mapping({"max-file-size": "10MB"}).max_file_size == 10 * 1024 * 1024
    assert cfgmod.from_mapping({"max_file_size": 123}).max_file_size == 123
