"""The README's promises: two set-up commands, .ci/run runs the test one, the rule table is current."""
from __future__ import annotations

import importlib.util
import re

from tests.conftest import REPO


def _load_script():
    spec = importlib.util.spec_from_file_location("update_rules_table", REPO / "scripts" / "update_rules_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rule_table_is_current():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert _load_script().render(readme) == readme, "run scripts/update_rules_table.py"


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", setup)
    assert len(commands) == 2
    assert commands[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8")
    sample = commands[0].split("mtcheck ", 1)[1]
    assert (REPO / sample).is_file()


def test_every_package_is_installed():
    """setup.cfg lists packages by hand (corpora/ maps into the package); none may be forgotten."""
    import configparser

    cfg = configparser.ConfigParser()
    cfg.read(REPO / "setup.cfg")
    listed = {p.strip() for p in cfg["options"]["packages"].split() if p.strip()}
    found = {
        "mtcheck." + str(p.parent.relative_to(REPO / "mtcheck")).replace("/", ".")
        for p in (REPO / "mtcheck").rglob("__init__.py")
        if p.parent != REPO / "mtcheck"
    } | {"mtcheck"}
    assert found <= listed, f"add to setup.cfg packages: {sorted(found - listed)}"
