"""The sparse-index look-up agrees with searchsorted wherever a key is present."""
import numpy as np
import pytest

from mtcheck.lm.sortedkeys import SortedKeys


@pytest.mark.parametrize("dtype", [np.int64, np.uint32])
@pytest.mark.parametrize("block", [1, 2, 16, 64])
@pytest.mark.parametrize("n", [1, 5, 16, 17, 1000])
def test_find_matches_searchsorted(dtype, block, n):
    rng = np.random.default_rng(n * block)
    keys = np.unique(rng.integers(10, 1 << 30, size=n * 2)).astype(dtype)[:n]
    # every key, its neighbours, and values below and above them all
    q = np.concatenate((keys, keys - 1, keys + 1, [0, 1 << 31])).astype(dtype)
    pos = np.minimum(np.searchsorted(keys, q), len(keys) - 1)
    want = keys[pos] == q
    index = SortedKeys(keys, block)
    for part in (slice(None), slice(0, 7)):  # through the index, and a few queries by searchsorted
        hit, idx = index.find(q[part])
        assert (hit == want[part]).all()
        assert (idx[hit] == pos[part][want[part]]).all()


def test_empty_and_bad_block():
    hit, idx = SortedKeys(np.zeros(0, dtype=np.int64)).find(np.array([1, 2], dtype=np.int64))
    assert not hit.any() and len(idx) == 2
    with pytest.raises(ValueError):
        SortedKeys(np.arange(4), 3)
