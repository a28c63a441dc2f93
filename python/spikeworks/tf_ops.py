# SPDX-License-Identifier: GPL-3.0-or-later
"""The plain functions of spikeworks.tf (tf.py): TensorFlow's eager
semantics on numpy values.

tf.print prints at once, to standard error and in TensorFlow's format
(``[[0.5 -0.1]]``, long axes summarized as ``[1 2 3 ... 8 9 10]``) and
returns None, as eager TensorFlow does; inside a TensorNode it prints on
every step, because the node's function runs on every step here.
tf.control_dependencies orders nothing: numpy code already runs in the
order written (TensorFlow's eager mode makes it a no-op as well).
"""

import contextlib
import logging
import os
import sys

import numpy as np

from .datasets import DatasetError


# Math ----------------------------------------------------------------------


def add(x, y, name=None):
    """tf.add: x + y, elementwise with broadcasting."""
    return np.add(x, y)


def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
    """tf.matmul: the matrix product of the last two axes."""
    a, b = np.asarray(a), np.asarray(b)
    if transpose_a:
        a = np.swapaxes(a, -1, -2)
    if transpose_b:
        b = np.swapaxes(b, -1, -2)
    return np.matmul(a, b)


# Activations, named as spikeworks.layers.ACTIVATIONS names them: a Dense
# layer given one of these runs the engine's own activation of that name.


def relu(features, name=None):
    """tf.nn.relu: max(x, 0)."""
    return np.maximum(features, 0)


def sigmoid(x, name=None):
    """tf.nn.sigmoid: 1 / (1 + exp(-x))."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def tanh(x, name=None):
    """tf.nn.tanh."""
    return np.tanh(x)


def softmax(logits, axis=None, name=None):
    """tf.nn.softmax over the last axis (or ``axis``)."""
    x = np.asarray(logits, dtype=np.float64)
    axis = -1 if axis is None else axis
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


# Initializers --------------------------------------------------------------


class GlorotUniform:
    """tf.initializers.glorot_uniform() / GlorotUniform(seed): uniform in
    ±sqrt(6 / (fan_in + fan_out)), Keras's fans.  Without a seed it
    draws from numpy's global generator (np.random.seed repeats it)."""

    def __init__(self, seed=None):
        self.seed = seed
        self._rng = None if seed is None else np.random.RandomState(seed)

    def __call__(self, shape, dtype=None, **kwargs):
        from .layers import _fans  # pylint: disable=import-outside-toplevel

        shape = tuple(int(s) for s in shape)
        fan_in, fan_out = _fans(shape)
        limit = np.sqrt(6.0 / max(fan_in + fan_out, 1))
        rng = self._rng if self._rng is not None else np.random
        return rng.uniform(-limit, limit, size=shape)

    def get_config(self):
        return {"seed": self.seed}

    def __repr__(self):
        return f"GlorotUniform(seed={self.seed!r})"


def glorot_uniform(seed=None):
    """tf.initializers.glorot_uniform: a GlorotUniform initializer."""
    return GlorotUniform(seed)


# Printing ------------------------------------------------------------------


def _float_text(value, dtype):
    """A float as TensorFlow prints it: the shortest of %.6g (float32) or
    %.15g (float64) that reads back the same, else %.9g / %.17g."""
    short, full = (6, 9) if dtype == np.float32 else (15, 17)
    text = f"{value:.{short}g}"
    if dtype(text) != value:
        text = f"{value:.{full}g}"
    return text


def _scalar_text(value):
    if isinstance(value, (np.floating, float)):
        dtype = np.float32 if isinstance(value, np.float32) else np.float64
        return _float_text(value, dtype)
    if isinstance(value, (np.bool_, bool)):
        return "1" if value else "0"
    return str(value)


def _array_text(a, summarize, indent=1):
    """A numpy array as tf.print formats a tensor: nested brackets, spaces
    between values, axes longer than 2 × summarize shortened with ..."""
    if a.ndim == 0:
        return _scalar_text(a[()])
    n = a.shape[0]
    if summarize >= 0 and n > 2 * summarize:
        idx = list(range(summarize)) + [None] + list(range(n - summarize, n))
    else:
        idx = list(range(n))
    parts = ["..." if i is None else _array_text(a[i], summarize, indent + 1) for i in idx]
    if a.ndim == 1:
        return "[" + " ".join(parts) + "]"
    sep = "\n" * (a.ndim - 1) + " " * indent
    return "[" + sep.join(parts) + "]"


def format_value(value, summarize=3):
    """One of tf.print's inputs as text (strings as they are)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and not all(np.isscalar(v) for v in value):
        return "(" + ", ".join(format_value(v, summarize) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{format_value(k, summarize)}: {format_value(v, summarize)}"
                               for k, v in value.items()) + "}"
    return _array_text(np.asarray(value), summarize)


def tf_print(*inputs, output_stream=None, summarize=3, sep=" ", end="\n", name=None):
    """tf.print: prints its inputs at once, TensorFlow's format, to
    standard error unless output_stream says otherwise (sys.stdout,
    sys.stderr or "file://path", appended to); returns None (eager)."""
    summarize = 3 if summarize is None else int(summarize)
    text = sep.join(format_value(v, summarize) for v in inputs) + end
    if output_stream is None:
        output_stream = sys.stderr
    if isinstance(output_stream, str):
        if not output_stream.startswith("file://"):
            raise ValueError(
                f"output_stream must be sys.stdout, sys.stderr or 'file://path' "
                f"(got {output_stream!r})"
            )
        with open(output_stream[len("file://"):], "a", encoding="utf-8") as f:
            f.write(text)
        return None
    output_stream.write(text)
    output_stream.flush()
    return None


def control_dependencies(control_inputs):
    """tf.control_dependencies: a context that orders nothing (numpy runs
    in the order written, as eager TensorFlow does)."""
    return contextlib.nullcontext()


def get_logger():
    """tf.get_logger: the "tensorflow" logging.Logger (nothing here logs
    to it; filters added to it are kept, as there)."""
    return logging.getLogger("tensorflow")


# Data sets -----------------------------------------------------------------


class Mnist:
    """tf.keras.datasets.mnist: MNIST from Keras's own cached file only.

    MNIST is not packaged by Debian and nothing is downloaded here, so
    load_data() reads ``mnist.npz`` (Keras's file: x_train, y_train,
    x_test, y_test) from ``path`` or Keras's cache directory
    (``$KERAS_HOME/datasets`` or ``~/.keras/datasets``) and otherwise
    fails, naming Fashion-MNIST (the same shapes) as what is installed."""

    def load_data(self, path="mnist.npz"):
        candidates = [path] if os.path.isabs(path) else []
        keras_home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
        candidates.append(os.path.join(keras_home, "datasets", os.path.basename(path)))
        for candidate in candidates:
            if os.path.isfile(candidate):
                try:
                    with np.load(candidate, allow_pickle=False) as f:
                        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
                except (OSError, KeyError, ValueError) as e:
                    raise DatasetError(f"'{candidate}' is not Keras's MNIST file: {e}") from None
        raise DatasetError(
            "MNIST is not installed and spikeworks.tf downloads nothing: no "
            f"{' or '.join(repr(c) for c in candidates)}. Fashion-MNIST has MNIST's shapes "
            "and is packaged (dataset-fashion-mnist): use "
            "spikeworks.datasets.fashion_mnist.load_data() (also "
            "tf.keras.datasets.fashion_mnist.load_data())"
        )


mnist = Mnist()
