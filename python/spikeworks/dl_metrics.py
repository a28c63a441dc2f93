# SPDX-License-Identifier: GPL-3.0-or-later
"""The metrics `Simulator.compile` takes, by Keras's names, as numpy
functions of (y_true, y_pred) giving Keras's value over the data (the mean
over samples and steps of the per-step value):

    mse / mean_squared_error          mean of (y_pred − y_true)²
    mae / mean_absolute_error         mean of |y_pred − y_true|
    accuracy / acc                    argmax(y_pred) against class indices
                                      (one value per step) or one-hot targets
    sparse_categorical_accuracy       argmax(y_pred) == y_true (class indices)
    categorical_accuracy              argmax(y_pred) == argmax(y_true)
    sparse_categorical_crossentropy   as the loss, from probabilities
    categorical_crossentropy          −Σ y_true·log p, p = y_pred / Σ y_pred
                                      clipped to [1e-7, 1 − 1e-7] (Keras)

`evaluate` computes every one; `fit` reports the accuracy ones on targets
with a sparse categorical cross-entropy loss, which the engine's training
pass scores (the others would need the engine to compute them each
minibatch, which it does not).
"""

import numpy as np

from nengo.exceptions import ValidationError

from . import losses as _losses


def _mse(y_true, y_pred):
    return np.mean((y_pred - y_true) ** 2)


def _mae(y_true, y_pred):
    return np.mean(np.abs(y_pred - y_true))


def _sparse_accuracy(y_true, y_pred):
    labels = y_true.reshape(y_pred.shape[:-1])
    return np.mean(np.argmax(y_pred, axis=-1) == labels)


def _categorical_accuracy(y_true, y_pred):
    return np.mean(np.argmax(y_pred, axis=-1) == np.argmax(y_true, axis=-1))


def _categorical_crossentropy(y_true, y_pred):
    p = y_pred / y_pred.sum(axis=-1, keepdims=True)
    p = np.clip(p, _losses.EPSILON, 1 - _losses.EPSILON)
    return np.mean(-np.sum(y_true * np.log(p), axis=-1))


def _sparse_categorical_crossentropy(y_true, y_pred):
    return np.mean(_losses.SparseCategoricalCrossentropy(from_logits=False)(y_true, y_pred))


# name → (function, whether its targets are class indices or None: either)
_METRICS = {
    "mse": (_mse, False),
    "mean_squared_error": (_mse, False),
    "mae": (_mae, False),
    "mean_absolute_error": (_mae, False),
    "accuracy": (_losses.accuracy, None),
    "acc": (_losses.accuracy, None),
    "sparse_categorical_accuracy": (_sparse_accuracy, True),
    "categorical_accuracy": (_categorical_accuracy, False),
    "sparse_categorical_crossentropy": (_sparse_categorical_crossentropy, True),
    "categorical_crossentropy": (_categorical_crossentropy, False),
}

# The metrics fit reports (the engine scores them on sparse targets).
FIT_METRICS = ("accuracy", "acc", "sparse_categorical_accuracy")


def check(name, loss, what):
    """name, if it is a metric that fits the targets of loss; else a
    ValidationError naming what (the probe)."""
    if not isinstance(name, str) or name not in _METRICS:
        raise ValidationError(
            f"unknown metric {name!r} for {what}: the metrics are "
            f"{', '.join(repr(n) for n in _METRICS)}",
            attr="metrics",
        )
    sparse = _METRICS[name][1]
    if sparse is not None and loss is not None and sparse != loss.sparse:
        kind = "class indices" if loss.sparse else "values of the output's size"
        raise ValidationError(
            f"metric {name!r} for {what} does not fit its targets: its loss "
            f"{loss!r} takes {kind}",
            attr="metrics",
        )
    return name


def compute(name, y_true, y_pred):
    """Keras's value of metric name over y_true and y_pred (float64)."""
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    return float(_METRICS[name][0](y_true, y_pred))
