# SPDX-License-Identifier: GPL-3.0-or-later
"""NengoDL's Converter for Keras models, without TensorFlow.

    conv = spikeworks.Converter("model.h5",
                                swap_activations={"relu": "SpikingRectifiedLinear"},
                                scale_firing_rates=100, synapse=0.005)
    out = conv.predict(images, n_steps=30)     # {probe label: batch × steps × size}
    conv.save("spiking.spkw")                  # opens in the workbench

    # or the model itself: its config and its weights
    conv = spikeworks.Converter(model.to_json(), weights=model.get_weights())
    conv = spikeworks.Converter(model)         # anything with to_json() and get_weights()

A file (Keras 2 HDF5, `model.save("model.h5")`, or a Keras 3 `.keras`
archive) is converted by the engine exactly as `spikeworks-cli convert`
does (docs/converter.md): read first in a checked child process, so a
damaged file raises ConverterError instead of crashing Python.  A config
goes to the same engine code with its weights handed over in memory.  The
options have NengoDL's names and defaults.
"""

import json
import os

from collections.abc import Mapping

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


def _config_json(config):
    """The config as model.to_json()'s JSON, or None if it is not a config.
    get_config()'s dict (the layers without the class_name around them) is
    wrapped as to_json() would have it."""
    if isinstance(config, str):
        if not config.lstrip().startswith("{"):
            return None
        try:
            parsed = json.loads(config)
        except ValueError:
            return config                  # the engine names what is wrong
        if not isinstance(parsed, dict) or "class_name" in parsed or "layers" not in parsed:
            return config
        config = parsed
    if not isinstance(config, Mapping):
        return None
    config = dict(config)
    if "class_name" not in config and "layers" in config:
        config = {"class_name": "Functional" if "output_layers" in config else "Sequential",
                  "config": config}
    try:
        return json.dumps(config)
    except (TypeError, ValueError) as e:
        raise ConverterError(f"Keras model config: not JSON data: {e}") from None


def _array(value, name):
    try:
        a = np.ascontiguousarray(np.asarray(value, dtype=np.float64))
    except (TypeError, ValueError) as e:
        raise ConverterError(f"Keras model config: weights: {name} is not an array of numbers: {e}") from None
    if a.ndim > 4:
        raise ConverterError(f"Keras model config: weights: {name} has {a.ndim} dimensions; "
                             "a Keras weight has at most 4")
    return a


def _weight_list(weights):
    """weights as the engine takes them: [(layer or None, shape, array)]."""
    if weights is None:
        return []
    if isinstance(weights, Mapping):
        out = []
        for layer, arrays in weights.items():
            if not isinstance(layer, str):
                raise ConverterError(f"Keras model config: weights: the keys are layer names, not {layer!r}")
            if isinstance(arrays, np.ndarray) or not isinstance(arrays, (list, tuple)):
                raise ConverterError(f"Keras model config: weights: '{layer}' must map to a list of arrays "
                                     "(layer.get_weights()), not one array")
            for k, value in enumerate(arrays):
                a = _array(value, f"{layer}[{k}]")
                out.append((layer, a.shape, a))
        return out
    if isinstance(weights, np.ndarray) or not isinstance(weights, (list, tuple)):
        raise ConverterError("Keras model config: weights must be a list of arrays in model.get_weights() "
                             f"order or a dict of lists by layer name, not {type(weights).__name__}")
    out = []
    for i, value in enumerate(weights):
        a = _array(value, f"weights[{i}]")
        out.append((None, a.shape, a))
    return out


class Converter:
    """A Keras model converted to a Spikeworks network.

    `model` is a Keras model file's path, the model's config — the dict
    or JSON string model.to_json() or model.get_config() gives — or a
    Keras model object (anything with to_json() and get_weights()).  With a
    config, `weights` holds the trained weights: a list of arrays in
    model.get_weights() order, or a dict {layer name: layer.get_weights()};
    a file carries its own.

    `inputs` and `outputs` are the labels of the input Nodes and the output
    Probes; `model` is the network as model-file JSON."""

    def __init__(self, model, swap_activations=None, scale_firing_rates=None, synapse=None,
                 max_to_avg_pool=False, inference_only=False, allow_fallback=True, *, weights=None):
        swaps = {_name(k): _name(v) for k, v in (swap_activations or {}).items()}
        scale = 1.0 if scale_firing_rates is None else float(scale_firing_rates)
        if not np.isfinite(scale) or scale <= 0:
            raise ConverterError(f"scale_firing_rates must be a positive number, not {scale_firing_rates!r}")
        tau = -1.0 if synapse is None else float(synapse)
        if synapse is not None and (not np.isfinite(tau) or tau < 0):
            raise ConverterError(f"synapse must be None or a time constant of at least 0, not {synapse!r}")
        options = (swaps, scale, tau, bool(max_to_avg_pool), bool(inference_only), bool(allow_fallback),
                   ConverterError)
        if callable(getattr(model, "to_json", None)) and callable(getattr(model, "get_weights", None)):
            if weights is None:
                weights = model.get_weights()
            model = model.to_json()
        config = _config_json(model)
        if config is not None:
            self._session = _keras.convert_config(config, _weight_list(weights), *options)
        elif isinstance(model, (str, bytes, os.PathLike)):
            if weights is not None:
                raise ConverterError("weights= goes with a model config; a model file carries its own weights")
            self._session = _keras.convert(os.fspath(model), *options)
        else:
            raise ConverterError("model must be a Keras model file's path, its config (a dict or JSON string as "
                                 "model.to_json() or get_config() gives) or a Keras model, not "
                                 f"{type(model).__name__}")
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
