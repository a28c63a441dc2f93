# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.tf: the part of TensorFlow that NengoDL's tutorial "Coming
from TensorFlow to NengoDL" calls, on numpy and Spikeworks' engine.  It
is not TensorFlow and does not need it: with

    import spikeworks.tf as tf

in place of ``import tensorflow as tf`` the tutorial's TensorFlow calls
run with TensorFlow's (eager) semantics:

    tf.keras.Input, tf.keras.Model (predict, compile, fit, evaluate,
        get_weights; tf_model.py), tf.keras.layers (= spikeworks.layers:
        Layer, Dense, Conv2D, AveragePooling2D, BatchNormalization,
        Dropout, Expression)
    tf.nn.relu / sigmoid / tanh / softmax, tf.add, tf.matmul
    tf.initializers.glorot_uniform() / GlorotUniform
    tf.optimizers / tf.keras.optimizers: SGD, Adam, RMSprop
    tf.losses / tf.keras.losses: mse, mean_squared_error, MeanSquaredError,
        sparse_categorical_crossentropy, SparseCategoricalCrossentropy
    tf.keras.datasets: fashion_mnist; mnist only from Keras's cached
        mnist.npz (nothing is downloaded)
    tf.print, tf.control_dependencies, tf.get_logger

Any other name raises AttributeError listing what there is.  Tensors are
numpy arrays; a TensorNode's function gets numpy values and runs on every
step, so tf.print prints on every step as it does in NengoDL's graph.
"""

from . import datasets as _datasets
from . import layers as _layers
from . import losses as _losses
from . import optimizers as _optimizers
from . import tf_model as _model
from . import tf_ops as _ops


class Namespace:
    """A module-like group of names (tf.keras, tf.nn, …); any other name
    is an AttributeError listing the ones there are."""

    def __init__(self, path, members):
        self._path = path
        self._members = dict(members)
        for name, value in self._members.items():
            setattr(self, name, value)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(
            f"{self._path}.{name} is not in spikeworks.tf, a numpy subset of TensorFlow (not "
            f"TensorFlow): {self._path} has {', '.join(sorted(self._members))}"
        )

    def __dir__(self):
        return sorted(self._members)

    def __repr__(self):
        return f"<spikeworks.tf namespace {self._path}>"


def _loss_members():
    return {
        "mse": _losses.mse,
        "MSE": _losses.mse,
        "mean_squared_error": _losses.mse,
        "MeanSquaredError": _losses.MeanSquaredError,
        "sparse_categorical_crossentropy": _losses.sparse_categorical_crossentropy,
        "SparseCategoricalCrossentropy": _losses.SparseCategoricalCrossentropy,
    }


def _optimizer_members():
    return {"SGD": _optimizers.SGD, "Adam": _optimizers.Adam, "RMSprop": _optimizers.RMSprop}


def _initializer_members():
    return {"glorot_uniform": _ops.glorot_uniform, "GlorotUniform": _ops.GlorotUniform}


nn = Namespace("tf.nn", {"relu": _ops.relu, "sigmoid": _ops.sigmoid, "tanh": _ops.tanh,
                         "softmax": _ops.softmax})
initializers = Namespace("tf.initializers", _initializer_members())
optimizers = Namespace("tf.optimizers", _optimizer_members())
losses = Namespace("tf.losses", _loss_members())

keras = Namespace("tf.keras", {
    "Input": _model.Input,
    "Model": _model.Model,
    "layers": Namespace("tf.keras.layers", {name: getattr(_layers, name)
                                            for name in _layers.__all__}),
    "initializers": Namespace("tf.keras.initializers", _initializer_members()),
    "optimizers": Namespace("tf.keras.optimizers", _optimizer_members()),
    "losses": Namespace("tf.keras.losses", _loss_members()),
    "datasets": Namespace("tf.keras.datasets", {"mnist": _ops.mnist,
                                                "fashion_mnist": _datasets.fashion_mnist}),
})

add = _ops.add
matmul = _ops.matmul
control_dependencies = _ops.control_dependencies
get_logger = _ops.get_logger
print = _ops.tf_print  # pylint: disable=redefined-builtin

__all__ = ["add", "control_dependencies", "get_logger", "initializers", "keras", "losses",
           "matmul", "nn", "optimizers", "print"]


def __getattr__(name):
    """tf.X for a name the subset has not: an AttributeError saying what it has."""
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(
        f"tf.{name} is not in spikeworks.tf, a numpy subset of TensorFlow (not TensorFlow): "
        f"it has {', '.join(sorted(__all__))}"
    )


def __dir__():
    return sorted(__all__)

