# SPDX-License-Identifier: GPL-3.0-or-later
"""A small generated stand-in for Fashion-MNIST in Debian's file layout
(four gzip-compressed IDX files), so tests need no download and no
package: image e is of class k = e mod 10, a bright band over rows 2k to
2k + 5 on a faint seeded pattern."""

import gzip
import os

import numpy as np


def _write_idx(path, array):
    codes = {np.dtype(np.uint8): 0x08}
    header = bytes([0, 0, codes[array.dtype], array.ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.tobytes())


def images(n, seed):
    rng = np.random.RandomState(seed)
    labels = (np.arange(n) % 10).astype(np.uint8)
    x = rng.randint(0, 40, size=(n, 28, 28)).astype(np.uint8)
    for e, k in enumerate(labels):
        x[e, 2 * k : 2 * k + 6, 4:24] = 200
    return x, labels


def write(directory, n_train=300, n_test=100):
    """Writes the stand-in into directory; returns directory."""
    os.makedirs(directory, exist_ok=True)
    for split, n, seed in (("train", n_train, 1), ("t10k", n_test, 2)):
        x, y = images(n, seed)
        _write_idx(os.path.join(directory, f"{split}-images-idx3-ubyte.gz"), x)
        _write_idx(os.path.join(directory, f"{split}-labels-idx1-ubyte.gz"), y)
    return str(directory)
