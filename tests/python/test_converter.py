# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.Converter: Keras files written without TensorFlow
(tests/keras/make_keras_models.py) converted, run against their numpy
forward pass, run with spikes, saved, and refused when bad."""
import importlib.util
import os

import numpy as np
import pytest

import spikeworks

HERE = os.path.dirname(os.path.abspath(__file__))
BATCH = 4


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    spec = importlib.util.spec_from_file_location(
        "make_keras_models", os.path.join(HERE, "..", "keras", "make_keras_models.py"))
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    out = tmp_path_factory.mktemp("keras")
    for make in (maker.mlp, maker.cnn, maker.pooling, maker.folded):
        make(str(out))
    return out


def reference(files, name):
    x = np.fromfile(files / f"{name}.x.f64").reshape(BATCH, -1)
    y = np.fromfile(files / f"{name}.y.f64").reshape(BATCH, -1)
    return x, y


@pytest.mark.parametrize("name, options", [
    ("mlp", {}),
    ("cnn", {}),
    ("cnn", {"scale_firing_rates": 100}),
    ("maxpool", {"max_to_avg_pool": True}),
    ("folded", {"inference_only": True}),
])
def test_rates_match_numpy(files, name, options):
    conv = spikeworks.Converter(files / f"{name}.h5", **options)
    assert conv.outputs == ["output"]
    x, y = reference(files, name)
    out = conv.predict(x)["output"]
    assert out.shape == (BATCH, 1, y.shape[1])
    np.testing.assert_allclose(out[:, 0], y, rtol=1e-5, atol=1e-5)


def test_spiking_approaches_rates(files):
    x, y = reference(files, "cnn")
    errors = []
    for scale in (10, 1000):
        conv = spikeworks.Converter(files / "cnn.h5", swap_activations={"relu": "SpikingRectifiedLinear"},
                                    scale_firing_rates=scale, synapse=0.01)
        out = conv.predict(x, n_steps=400)["output"]
        errors.append(np.abs(out[:, 200:].mean(axis=1) - y).max())
    assert errors[1] < errors[0] / 10
    assert errors[1] < 0.01


def test_swap_by_nengo_type_name_and_save(files, tmp_path):
    class SpikingRectifiedLinear:   # stands in for nengo's class: swapped by its name
        pass

    conv = spikeworks.Converter(files / "cnn.h5", swap_activations={"relu": SpikingRectifiedLinear()})
    assert '"SpikingRectifiedLinear"' in conv.model
    conv.save(tmp_path / "cnn.spkw")
    session = spikeworks.load_session(tmp_path / "cnn.spkw")
    assert "c1/weights" in session.params


@pytest.mark.parametrize("name, options, message", [
    ("truncated.h5", {}, "the file is damaged or truncated"),
    ("not-keras.h5", {}, "not a Keras model"),
    ("maxpool.h5", {}, "layer 'mp' (MaxPooling2D): max pooling has no spiking equivalent"),
    ("mlp.h5", {"allow_fallback": False}, "the activation 'softmax' has no neuron equivalent"),
    ("mlp.h5", {"swap_activations": {"relu": "Spiky"}}, "'Spiky' is not a neuron type"),
    ("mlp.h5", {"scale_firing_rates": 0}, "scale_firing_rates must be a positive number"),
    ("missing.h5", {}, "could not open the Keras model"),
])
def test_refusals(files, name, options, message):
    with pytest.raises(spikeworks.ConverterError, match=None) as info:
        spikeworks.Converter(files / name, **options)
    assert message in str(info.value)
