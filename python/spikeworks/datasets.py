# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.datasets: image data sets as Keras's ``load_data`` returns them.

    (train_x, train_y), (test_x, test_y) = spikeworks.datasets.fashion_mnist.load_data()

Fashion-MNIST (the same shapes as MNIST: 28 × 28 uint8 images, uint8
labels 0–9) is read from Debian's ``dataset-fashion-mnist`` files, or
from the directory in ``SPIKEWORKS_FASHION_MNIST_DIR`` (the same four
``*-idx?-ubyte.gz`` files), as the engine reads it.  Nothing is downloaded:
a machine without the files gets an error saying what to install.  (MNIST
itself is not packaged by Debian; Fashion-MNIST has its shapes.)
"""

import gzip
import os

import numpy as np

DEFAULT_DIR = "/usr/share/datasets/fashion-mnist"


class DatasetError(OSError):
    """A data set is not installed or its files are damaged."""


def read_idx(path):
    """An IDX file (gzip-compressed or not) as a numpy array of its type."""
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as e:
        raise DatasetError(f"'{path}' cannot be read: {e}") from None
    types = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in types:
        raise DatasetError(f"'{path}' is not an IDX file")
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DatasetError(f"'{path}' ends inside its header")
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    dtype = np.dtype(types[data[2]])
    count = int(np.prod(dims)) if dims else 1
    if len(data) - header != count * dtype.itemsize:
        raise DatasetError(
            f"'{path}' holds {len(data) - header} bytes of data where its header "
            f"({' × '.join(map(str, dims))}) says {count * dtype.itemsize}"
        )
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(dims).astype(dtype.newbyteorder("="))


class _ImageSet:
    def __init__(self, name):
        self.name = name

    def load_data(self):
        """((train images, train labels), (test images, test labels)) as
        uint8 arrays, Keras's layout: images n × 28 × 28."""
        directory = os.environ.get("SPIKEWORKS_FASHION_MNIST_DIR") or DEFAULT_DIR
        out = []
        for split in ("train", "t10k"):
            images = os.path.join(directory, f"{split}-images-idx3-ubyte.gz")
            labels = os.path.join(directory, f"{split}-labels-idx1-ubyte.gz")
            for path in (images, labels):
                if not os.path.exists(path):
                    raise DatasetError(
                        f"Fashion-MNIST is not installed: '{path}' is missing (install the "
                        "Debian package dataset-fashion-mnist)"
                    )
            x, y = read_idx(images), read_idx(labels)
            if x.ndim != 3 or x.shape[1:] != (28, 28) or y.shape != (x.shape[0],):
                raise DatasetError(
                    f"'{images}' and '{labels}' are not Fashion-MNIST images (n × 28 × 28) "
                    "and labels (n)"
                )
            out.append((x, y))
        return tuple(out)


fashion_mnist = _ImageSet("fashion_mnist")

__all__ = ["DatasetError", "fashion_mnist", "read_idx"]
