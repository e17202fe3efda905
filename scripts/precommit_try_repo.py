#!/usr/bin/env python3
"""Run the ``mtcheck`` pre-commit hook for real with ``pre-commit try-repo``.

    python scripts/precommit_try_repo.py

pre-commit needs a git repository: this copies the work tree (tracked and
untracked files, .gitignore respected) into a temporary repository, commits
it, then in a second temporary repository with one dirty and one clean story
runs ``pre-commit try-repo <copy> mtcheck``. The hook must fail on the dirty
story (naming its findings) and pass on the clean one. Building the hook's
environment installs mtcheck and its dependencies from the package index, so
this needs the network and takes about a minute; tests/test_precommit.py runs
it when MTCHECK_TRY_REPO=1 and otherwise validates the manifest offline.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

DIRTY = "GENEVA, 3 Jun (EFE).- The talks between Joe Biden Y Vladimir Putin ended, the the minister said.\n"
CLEAN = "GENEVA (Reuters) - The talks between the two leaders ended on Friday, a spokeswoman said.\n"


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "mtcheck", "GIT_AUTHOR_EMAIL": "mtcheck@localhost",
           "GIT_COMMITTER_NAME": "mtcheck", "GIT_COMMITTER_EMAIL": "mtcheck@localhost"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _pre_commit() -> list[str]:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        exe = shutil.which("pre-commit")
        if not exe:
            raise SystemExit("precommit_try_repo: pre-commit is not installed (pip install pre-commit)")
        return [exe]
    return [sys.executable, "-m", "pre_commit"]


def copy_work_tree(dest: Path) -> None:
    """The files git would see (tracked + untracked, not ignored), committed in a fresh repo at ``dest``."""
    listing = _git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for rel in filter(None, listing.split("\0")):
        src = REPO / rel
        if not src.is_file():
            continue  # deleted but still in the index
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "snapshot for pre-commit try-repo")


def try_repo(workdir: Path) -> dict[str, subprocess.CompletedProcess]:
    hook_repo = workdir / "hookrepo"
    user = workdir / "newsroom"
    hook_repo.mkdir()
    user.mkdir()
    copy_work_tree(hook_repo)
    (user / "dirty.txt").write_text(DIRTY, encoding="utf-8")
    (user / "clean.md").write_text(CLEAN, encoding="utf-8")
    # The newsroom's own configuration: block on warnings as well.
    (user / "mtcheck.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    _git(user, "init", "-q")
    _git(user, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(workdir / "cache"), "PRE_COMMIT_COLOR": "never"}
    out = {}
    for name in ("dirty.txt", "clean.md"):
        out[name] = subprocess.run(
            [*_pre_commit(), "try-repo", str(hook_repo), "mtcheck", "--files", name, "--verbose"],
            cwd=user, env=env, capture_output=True, text=True, timeout=900,
        )
    return out


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="mtcheck-try-repo-") as tmp:
        results = try_repo(Path(tmp))
    dirty, clean = results["dirty.txt"], results["clean.md"]
    print(dirty.stdout + dirty.stderr)
    print(clean.stdout + clean.stderr)
    ok = dirty.returncode == 1 and "P006" in dirty.stdout and clean.returncode == 0
    print("try-repo:", "OK (the hook fails on the dirty story, passes on the clean one)" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
