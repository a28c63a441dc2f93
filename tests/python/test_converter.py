# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.Converter: Keras files written without TensorFlow
(tests/keras/make_keras_models.py) converted, run against their numpy
forward pass, run with spikes, saved, and refused when bad."""
import importlib.util
import json
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


# ---- a model handed over as its config and weights ------------------------

def config_and_weights(path):
    """What model.to_json() and model.get_weights() would give for the
    model in path, read back from the file with h5py: the config's JSON,
    the weights in get_weights() order, and the same by layer name."""
    import h5py

    with h5py.File(path, "r") as f:
        config = f.attrs["model_config"]
        config = config.decode("utf8") if isinstance(config, bytes) else config
        by_layer = {}
        group = f["model_weights"]
        for name in json.loads(config)["config"]["layers"]:
            name = name["config"]["name"]
            if name not in group:
                continue
            names = [n.decode("utf8") for n in group[name].attrs["weight_names"]]
            if names:
                by_layer[name] = [np.array(group[name][n], dtype=np.float32) for n in names]
    in_order = [w for arrays in by_layer.values() for w in arrays]
    return config, in_order, by_layer


@pytest.mark.parametrize("name, options", [
    ("mlp", {}),
    ("cnn", {"swap_activations": {"relu": "SpikingRectifiedLinear"}, "scale_firing_rates": 50, "synapse": 0.005}),
    ("maxpool", {"max_to_avg_pool": True}),
    ("folded", {"inference_only": True}),
])
def test_config_converts_as_its_file(files, name, options):
    from_file = spikeworks.Converter(files / f"{name}.h5", **options)
    config, in_order, by_layer = config_and_weights(files / f"{name}.h5")
    x, _ = reference(files, name)
    expected = from_file.predict(x, n_steps=20)["output"]
    given = [
        spikeworks.Converter(config, weights=in_order, **options),               # to_json(), get_weights()
        spikeworks.Converter(json.loads(config), weights=by_layer, **options),   # a dict, by layer
        spikeworks.Converter(json.loads(config)["config"], weights=in_order, **options),   # get_config()
    ]
    for conv in given:
        assert conv.model == from_file.model
        assert conv.inputs == from_file.inputs and conv.outputs == from_file.outputs
        np.testing.assert_array_equal(conv.predict(x, n_steps=20)["output"], expected)


def test_keras_like_model_object(files):
    config, in_order, _ = config_and_weights(files / "mlp.h5")

    class Model:   # what a tf.keras model offers the converter
        def to_json(self):
            return config

        def get_weights(self):
            return in_order

    x, y = reference(files, "mlp")
    out = spikeworks.Converter(Model()).predict(x)["output"]
    np.testing.assert_allclose(out[:, 0], y, rtol=1e-5, atol=1e-5)


def bad_configs(files):
    config, in_order, by_layer = config_and_weights(files / "mlp.h5")
    parsed = json.loads(config)
    short_bias = [w if i != 3 else w[:-1] for i, w in enumerate(in_order)]
    return [
        ({"class_name": "Dense", "config": {"units": 3}}, in_order,
         "Keras model config: the model is a 'Dense'; Sequential and functional models"),
        ({"name": "x", "units": 3}, in_order, "Keras model config: no \"class_name\""),
        ('{"class_name": "Sequential", "config": {"layers": [}', in_order, "Keras model config: not valid JSON"),
        (config, None, "Keras model config: layer 'd1' (Dense): the weight 'kernel' (20 × 16) "
                       "is not among the weights given"),
        (config, in_order[:5], "Keras model config: layer 'd3' (Dense): the weight 'bias' (8) "
                               "is not among the weights given"),
        (config, in_order + [np.zeros(3)], "Keras model config: weights: 8 arrays are given; "
                                           "the model's layers take 7"),
        (config, short_bias, "Keras model config: layer 'd2' (Dense): the weight 'weights[3]' (bias) "
                             "has the shape 11; "
                             "bias needs 12"),
        (config, {**by_layer, "d5": [np.zeros(3)]},
         "Keras model config: weights: weights are given for 'd5', which is not a layer of the model"),
        (config, {**by_layer, "d4": by_layer["d4"] + [np.zeros(5)]},
         "Keras model config: layer 'd4' (Dense): 2 weights are given for it; it takes 1"),
        (config, {**by_layer, "d1": by_layer["d1"][0]}, "'d1' must map to a list of arrays"),
        (config, np.zeros(3), "weights must be a list of arrays in model.get_weights() order"),
        (config, [in_order[0], "abc"] + in_order[2:], "weights: weights[1] is not an array of numbers"),
        (config, [np.zeros((1, 1, 1, 1, 1))] + in_order[1:], "weights[0] has 5 dimensions"),
        (config, [np.full((20, 16), np.nan)] + in_order[1:], "weights[0]: holds a value that is NaN or infinite"),
        (dict(parsed, config=dict(parsed["config"], layers=parsed["config"]["layers"][:1]
                                  + [{"class_name": "LSTM", "config": {"name": "l", "units": 4}}])),
         [], "Keras model config: layer 'l' (LSTM): this kind of layer is not converted"),
        (42, None, "model must be a Keras model file's path, its config"),
        (files / "mlp.h5", in_order, "weights= goes with a model config"),
    ]


def test_config_refusals(files):
    for config, weights, message in bad_configs(files):
        with pytest.raises(spikeworks.ConverterError) as info:
            spikeworks.Converter(config, weights=weights)
        assert message in str(info.value), (message, str(info.value))
