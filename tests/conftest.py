"""Shared fixtures: paths to the repository, the bundled sample and ../shared."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "geneva_es-en_mt.txt"
SAMPLE = REPO / "corpora" / "samples" / "summit_es-en_mt.txt"


@pytest.fixture
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip("../shared/seed is not beside the repository")
    return SEED


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE
