# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.losses: the losses `Simulator.compile` takes, with Keras's
names, as functions on numpy arrays that the engine's trainer also knows.

    sim.compile(optimizer="rmsprop", loss=spikeworks.losses.mse)
    sim.compile(optimizer="adam",
                loss={p: spikeworks.losses.SparseCategoricalCrossentropy(from_logits=True)},
                metrics=["accuracy"])

Each loss called as ``loss(y_true, y_pred)`` gives Keras's per-sample,
per-step values (the mean over the last axis); `Simulator.evaluate`
averages them.  Training computes the same loss in the engine, sparse
categorical cross-entropy from logits and from probabilities
(``from_logits=False``: clipped to [1e-7, 1 − 1e-7] as Keras does).
"""

import numpy as np

from nengo.exceptions import ValidationError


# Keras's backend epsilon: probabilities are clipped to [EPSILON, 1 - EPSILON].
EPSILON = 1e-7


class Loss:
    """A loss: a numpy function and the engine's name for it (None when
    the engine cannot train it)."""

    engine_name = None
    name = None
    # Targets are class indices (one value per step), not the output's size.
    sparse = False

    def __call__(self, y_true, y_pred):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    """Mean squared error, Keras's `MeanSquaredError` / "mse"."""

    engine_name = "mse"
    name = "mean_squared_error"

    def __call__(self, y_true, y_pred):
        y_true, y_pred = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
        return np.mean((y_pred - y_true) ** 2, axis=-1)


class SparseCategoricalCrossentropy(Loss):
    """Cross-entropy against integer class labels, Keras's
    `SparseCategoricalCrossentropy`: y_true holds the class index (one value
    per step), y_pred the class scores (logits when ``from_logits``, else
    probabilities)."""

    name = "sparse_categorical_crossentropy"
    sparse = True

    def __init__(self, from_logits=False):
        self.from_logits = bool(from_logits)
        self.engine_name = "sparse-ce" if self.from_logits else "sparse-ce-probs"

    def __call__(self, y_true, y_pred):
        y_pred = np.asarray(y_pred, dtype=np.float64)
        labels = np.asarray(y_true).reshape(y_pred.shape[:-1]).astype(np.int64)
        if np.any(labels < 0) or np.any(labels >= y_pred.shape[-1]):
            raise ValidationError(
                f"class labels must be 0 to {y_pred.shape[-1] - 1}", attr="y"
            )
        if self.from_logits:
            shifted = y_pred - y_pred.max(axis=-1, keepdims=True)
            log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        else:
            # Keras's sparse path: clip, then the logits log p.
            p = np.clip(y_pred, EPSILON, 1 - EPSILON)
            log_p = np.log(p) - np.log(p.sum(axis=-1, keepdims=True))
        return -np.take_along_axis(log_p, labels[..., None], axis=-1)[..., 0]

    def __repr__(self):
        return f"SparseCategoricalCrossentropy(from_logits={self.from_logits})"


def mse(y_true, y_pred):
    """Mean squared error over the last axis (Keras's `losses.mse`)."""
    return MeanSquaredError()(y_true, y_pred)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    """Keras's `losses.sparse_categorical_crossentropy`."""
    return SparseCategoricalCrossentropy(from_logits)(y_true, y_pred)


mean_squared_error = mse
MSE = mse

_BY_NAME = {
    "mse": MeanSquaredError,
    "mean_squared_error": MeanSquaredError,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
}


def get(identifier):
    """A Loss from a Loss, one of this module's functions or a Keras name."""
    if isinstance(identifier, Loss):
        return identifier
    if identifier is mse:
        return MeanSquaredError()
    if identifier is sparse_categorical_crossentropy:
        return SparseCategoricalCrossentropy(from_logits=False)
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME:
        return _BY_NAME[identifier.lower()]()
    raise ValidationError(
        f"unknown loss {identifier!r}: give spikeworks.losses.mse, "
        f"sparse_categorical_crossentropy, MeanSquaredError() or "
        f"SparseCategoricalCrossentropy(from_logits=...), or the names 'mse', "
        f"'sparse_categorical_crossentropy'",
        attr="loss",
    )


def accuracy(y_true, y_pred):
    """Share of samples whose largest output is the target class: class
    indices (sparse targets, one value) or one-hot targets (as many values
    as the output).  Keras's "accuracy" for a classifier."""
    y_pred = np.asarray(y_pred)
    y_true = np.asarray(y_true)
    if y_true.shape[-1] == y_pred.shape[-1] and y_pred.shape[-1] > 1:
        y_true = np.argmax(y_true, axis=-1)
    else:
        y_true = y_true.reshape(y_pred.shape[:-1])
    return np.mean(np.argmax(y_pred, axis=-1) == y_true)
