# SPDX-License-Identifier: GPL-3.0-or-later
"""NengoDL's Converter for Keras model files, without TensorFlow.

    conv = spikeworks.Converter("model.h5",
                                swap_activations={"relu": "SpikingRectifiedLinear"},
                                scale_firing_rates=100, synapse=0.005)
    out = conv.predict(images, n_steps=30)     # {probe label: batch × steps × size}
    conv.save("spiking.spkw")                  # opens in the workbench

The file (Keras 2 HDF5, `model.save("model.h5")`, or a Keras 3 `.keras`
archive) is converted by the
engine exactly as `spikeworks-cli convert` does (docs/converter.md): read
first in a checked child process, so a damaged file raises ConverterError
instead of crashing Python.  The options have NengoDL's names and defaults.
"""

import os

import numpy as np

from . import _keras


class ConverterError(ValueError):
    """A Keras model was refused: not readable, not Keras, or a layer that
    does not convert.  The message names the file and the layer."""


def _name(value):
    """A swap's key or value as the engine names it: a string as it is, a
    function or class by its __name__ (tf.nn.relu → "relu",
    nengo.SpikingRectifiedLinear → its name), an instance by its type's."""
    if isinstance(value, str):
        return value
    name = getattr(value, "__name__", None)
    return name if isinstance(name, str) else type(value).__name__


class Converter:
    """A Keras model file converted to a Spikeworks network.

    `inputs` and `outputs` are the labels of the input Nodes and the output
    Probes; `model` is the network as model-file JSON."""

    def __init__(self, model, swap_activations=None, scale_firing_rates=None, synapse=None,
                 max_to_avg_pool=False, inference_only=False, allow_fallback=True):
        swaps = {_name(k): _name(v) for k, v in (swap_activations or {}).items()}
        scale = 1.0 if scale_firing_rates is None else float(scale_firing_rates)
        if not np.isfinite(scale) or scale <= 0:
            raise ConverterError(f"scale_firing_rates must be a positive number, not {scale_firing_rates!r}")
        tau = -1.0 if synapse is None else float(synapse)
        if synapse is not None and (not np.isfinite(tau) or tau < 0):
            raise ConverterError(f"synapse must be None or a time constant of at least 0, not {synapse!r}")
        self._session = _keras.convert(os.fspath(model), swaps, scale, tau, bool(max_to_avg_pool),
                                       bool(inference_only), bool(allow_fallback), ConverterError)
        self.model = _keras.model(self._session)
        self.inputs = _keras.inputs(self._session)
        self.outputs = _keras.outputs(self._session)

    def predict(self, x, n_steps=1):
        """Runs the network on x (batch × input size, held for n_steps, or
        batch × n_steps × input size) and returns {probe label: batch ×
        n_steps × size}, as NengoDL's sim.predict does."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim == 2:
            x = np.repeat(x[:, None, :], n_steps, axis=1)
        if x.ndim != 3 or x.shape[1] != n_steps:
            raise ConverterError(f"x must be batch × size or batch × {n_steps} × size, not {x.shape}")
        x = np.ascontiguousarray(x)
        result = {}
        for label in self.outputs:
            data, size = _keras.predict(self._session, self.inputs[0], x, x.shape[0], n_steps, label,
                                        ConverterError)
            result[label] = np.frombuffer(data, dtype=np.float64).reshape(x.shape[0], n_steps, size)
        return result

    def save(self, path):
        """Writes the converted network and its weights as a session (.spkw)."""
        _keras.save(self._session, os.fspath(path), ConverterError)
