"""The pre-commit hook manifest and the GitHub Actions example in docs/.

``pre-commit validate-manifest`` (pre-commit's own validator) runs offline.
The real ``pre-commit try-repo`` builds the hook's environment from the
package index, so it runs only with MTCHECK_TRY_REPO=1
(scripts/precommit_try_repo.py does the same by hand).
"""
from __future__ import annotations

import configparser
import importlib.util
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

MANIFEST = REPO / ".pre-commit-hooks.yaml"
WORKFLOW = REPO / "docs" / "github-actions.yml"


def _pre_commit() -> list[str]:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install pre-commit)")
    return [sys.executable, "-m", "pre_commit"]


def _yaml():
    return pytest.importorskip("yaml", reason="PyYAML (a pre-commit dependency) is not installed")


def test_manifest_is_valid_for_pre_commit():
    r = subprocess.run([*_pre_commit(), "validate-manifest", str(MANIFEST)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_manifest_hook():
    (hook,) = _yaml().safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert hook["id"] == "mtcheck" and hook["entry"] == "mtcheck" and hook["language"] == "python"
    assert hook["types_or"] == ["plain-text", "markdown", "html"]
    cfg = configparser.ConfigParser()
    cfg.read(REPO / "setup.cfg", encoding="utf-8")
    assert "mtcheck = mtcheck.cli:entry" in cfg["options.entry_points"]["console_scripts"]


def test_hook_types_match_the_files_mtcheck_reads():
    identify = pytest.importorskip("identify.identify", reason="identify (a pre-commit dependency) is missing")
    (hook,) = _yaml().safe_load(MANIFEST.read_text(encoding="utf-8"))
    wanted = set(hook["types_or"])
    from mtcheck.readers import CHECKED_EXTENSIONS

    for ext in (".txt", ".md", ".markdown", ".html", ".htm"):
        assert ext in CHECKED_EXTENSIONS
        tags = identify.tags_from_filename(f"story{ext}")
        assert tags & wanted, (ext, tags)
    assert not identify.tags_from_filename("setup.py") & wanted


@pytest.mark.skipif(os.environ.get("MTCHECK_TRY_REPO") != "1",
                    reason="pre-commit try-repo installs from the package index: set MTCHECK_TRY_REPO=1")
def test_try_repo(tmp_path):
    _pre_commit()
    spec = importlib.util.spec_from_file_location("precommit_try_repo", REPO / "scripts" / "precommit_try_repo.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    results = script.try_repo(tmp_path)
    dirty, clean = results["dirty.txt"], results["clean.md"]
    assert dirty.returncode == 1 and "P006" in dirty.stdout, dirty.stdout + dirty.stderr
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_github_actions_example():
    workflow = _yaml().safe_load(WORKFLOW.read_text(encoding="utf-8"))
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in on
    assert workflow["permissions"]["security-events"] == "write"
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    runs = "\n".join(s.get("run", "") for s in steps)
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert "--format sarif" in runs and "--format github" in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload.get("continue-on-error") is True
    fallback = next(s for s in steps if "--format github" in s.get("run", ""))
    assert "upload" in fallback.get("if", "") and "success" in fallback.get("if", "")
    assert "git diff" in runs  # only the changed stories
