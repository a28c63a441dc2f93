# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.layers, TensorNode, Layer, dists and configure_settings.

Each built-in layer is checked against numpy's own arithmetic (Keras's
definitions), then saved as a session and run by the engine with the
command line: the engine's layer must give what the Python run gave.
Python-only TensorNodes run forward and are refused by model files with a
message that says why; bad arguments raise ValidationError."""

import json
import os
import subprocess

import numpy as np
import pytest

import nengo
from nengo.exceptions import ConfigError, NetworkContextError, ValidationError

import spikeworks
from spikeworks import layers

ROUNDOFF = 1e-12


def run_node(layer, x, shape_in, steps=3, **kwargs):
    """Runs x (constant, flat) through a TensorNode of layer in a Simulator."""
    with nengo.Network(seed=3) as net:
        src = nengo.Node(np.ravel(x))
        node = spikeworks.TensorNode(layer, shape_in=shape_in, pass_time=False, **kwargs)
        nengo.Connection(src, node, synapse=None)
        probe = nengo.Probe(node)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(steps)
    return net, sim, sim.data[probe][-1]


def test_dense_is_x_times_kernel_plus_bias():
    x = np.linspace(-1, 1, 6)
    layer = layers.Dense(4)
    _, _, out = run_node(layer, x, (6,))
    assert layer.kernel.shape == (6, 4) and layer.bias.shape == (4,)
    limit = np.sqrt(6 / (6 + 4))
    assert np.all(np.abs(layer.kernel) <= limit) and np.std(layer.kernel) > limit / 4
    assert np.allclose(out, x @ layer.kernel + layer.bias, atol=ROUNDOFF)
    layer.set_weights([np.ones((6, 4)), np.arange(4.0)])
    _, _, out = run_node(layer, x, (6,))
    assert np.allclose(out, x.sum() + np.arange(4), atol=ROUNDOFF)


def conv_reference(x, kernel, bias, stride, same):
    """Keras's Conv2D in numpy loops; stride an int or (sh, sw)."""
    sh, sw = (stride, stride) if np.isscalar(stride) else stride
    h, w, _ = x.shape
    kh, kw, _, f = kernel.shape
    if same:
        oh, ow = -(-h // sh), -(-w // sw)
        ph = max((oh - 1) * sh + kh - h, 0)
        pw = max((ow - 1) * sw + kw - w, 0)
        x = np.pad(x, ((ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    else:
        oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    out = np.zeros((oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            patch = x[i * sh : i * sh + kh, j * sw : j * sw + kw, :]
            out[i, j] = np.tensordot(patch, kernel, axes=3) + bias
    return out


NUMPY_ACTIVATIONS = {
    "relu": lambda v: np.where(v > 0, v, 0.0),
    "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
    "tanh": lambda v: (np.exp(v) - np.exp(-v)) / (np.exp(v) + np.exp(-v)),
    "softmax": lambda v: np.exp(v) / np.exp(v).sum(axis=-1, keepdims=True),
}


@pytest.mark.parametrize("activation", sorted(NUMPY_ACTIVATIONS))
def test_dense_and_conv2d_activations(activation):
    f = NUMPY_ACTIVATIONS[activation]
    x = np.linspace(-2, 2, 6)
    dense = layers.Dense(4, activation=activation)
    _, _, out = run_node(dense, x, (6,))
    assert np.allclose(out, f(x @ dense.kernel + dense.bias), atol=ROUNDOFF)
    img = np.random.RandomState(1).uniform(-2, 2, (4, 5, 2))
    conv = layers.Conv2D(3, 2, activation=activation, bias_initializer="ones")
    _, _, out = run_node(conv, img, (4, 5, 2))
    ref = f(conv_reference(img, conv.kernel, conv.bias, 1, False))
    assert np.allclose(out, ref.ravel(), atol=ROUNDOFF)
    # The engine computes them too: the model file names the activation,
    # and predict (the engine's build) gives Python's numbers.
    with nengo.Network(seed=1) as net:
        src = nengo.Node(x)
        d = spikeworks.Layer(layers.Dense(4, activation=activation))(src)
        img_node = nengo.Node(img.ravel())
        c = spikeworks.Layer(layers.Conv2D(3, (2, 3), activation=activation,
                                           bias_initializer="ones"))(img_node, shape_in=(4, 5, 2))
        probes = [nengo.Probe(d), nengo.Probe(c)]
    model = json.loads(spikeworks.to_model(net))
    entries = [o for o in model["objects"] if o["type"] == "layer"]
    assert [o.get("activation") for o in entries] == [activation, activation]
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(2)
        engine = sim.predict(n_steps=2)
        for p in probes:
            assert np.allclose(engine[p][0], sim.data[p], atol=1e-12), p
    # A function of your own runs in Python only: a model file refuses it.
    with nengo.Network() as net:
        src = nengo.Node(np.zeros(6))
        spikeworks.Layer(layers.Dense(2, activation=np.sinh))(src)
    with pytest.raises(spikeworks.ModelExportError,
                       match="its activation 'sinh' is a Python function"):
        spikeworks.to_model(net)


def test_own_function_named_like_a_builtin_runs_as_written():
    # Recognised by identity, not by name: this "relu" is not the engine's.
    def relu(x):
        return np.maximum(x, 0.0) + 1.0

    x = np.linspace(-2, 2, 6)
    dense = layers.Dense(4, activation=relu)
    _, _, out = run_node(dense, x, (6,))
    assert np.allclose(out, np.maximum(x @ dense.kernel + dense.bias, 0) + 1, atol=ROUNDOFF)
    with nengo.Network() as net:
        src = nengo.Node(x)
        spikeworks.Layer(layers.Dense(2, activation=relu))(src)
    with pytest.raises(spikeworks.ModelExportError,
                       match="its activation 'relu' is a Python function"):
        spikeworks.to_model(net)
    # Our own functions are still the engine's activations.
    import spikeworks.tf as tf
    with nengo.Network() as net:
        src = nengo.Node(x)
        spikeworks.Layer(layers.Dense(2, activation=tf.nn.relu))(src)
        spikeworks.Layer(layers.Dense(2, activation=np.tanh))(src)
    entries = [o for o in json.loads(spikeworks.to_model(net))["objects"] if o["type"] == "layer"]
    assert [o.get("activation") for o in entries] == ["relu", "tanh"]


@pytest.mark.parametrize("kernel,stride,padding", [
    ((3, 2), 1, "valid"), ((2, 3), 2, "same"), ((2, 3), (2, 1), "same"), (3, (1, 2), "valid"), ((1, 3), (3, 2), "same"),
])
def test_conv2d_non_square_kernels_and_strides(kernel, stride, padding):
    x = np.random.RandomState(2).uniform(-1, 1, (2, 7, 6, 2))
    layer = layers.Conv2D(3, kernel, strides=stride, padding=padding, seed=4)
    out = layer(x)
    for row in range(2):
        ref = conv_reference(x[row], layer.kernel, layer.bias, stride, padding == "same")
        assert np.allclose(out[row], ref, atol=ROUNDOFF)
    assert layer.compute_output_shape((7, 6, 2)) == out.shape[1:]
    _, _, in_sim = run_node(layer, x[1], (7, 6, 2))
    assert np.allclose(in_sim, out[1].ravel(), atol=ROUNDOFF)
    with nengo.Network(seed=2) as net:
        src = nengo.Node(x[1].ravel())
        node = spikeworks.Layer(layers.Conv2D(3, kernel, strides=stride, padding=padding))(
            src, shape_in=(7, 6, 2))
        p = nengo.Probe(node)
    # The engine's conv2d layer, whatever the kernel's shape and strides:
    # the model file holds strides as one number, or [rows, columns].
    entry = [o for o in json.loads(spikeworks.to_model(net))["objects"]
             if o["type"] == "layer"][0]
    kh, kw = (kernel, kernel) if np.ndim(kernel) == 0 else kernel
    sh, sw = (stride, stride) if np.ndim(stride) == 0 else stride
    assert entry.get("kernel_size", 3) == kh and entry.get("kernel_width", kh) == kw
    assert entry.get("strides", 1) == (sh if sh == sw else [sh, sw])
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(1)
        assert np.allclose(sim.predict(n_steps=1)[p][0], sim.data[p], atol=1e-12)


def pool_reference(x, pool, stride, same):
    """Keras's AveragePooling2D in numpy loops (padding cells not counted)."""
    (kh, kw), (sh, sw) = pool, stride
    h, w, _ = x.shape
    if same:
        oh, ow = -(-h // sh), -(-w // sw)
        top = max((oh - 1) * sh + kh - h, 0) // 2
        left = max((ow - 1) * sw + kw - w, 0) // 2
    else:
        oh, ow, top, left = (h - kh) // sh + 1, (w - kw) // sw + 1, 0, 0
    out = np.zeros((oh, ow, x.shape[2]))
    for i in range(oh):
        for j in range(ow):
            r0, q0 = i * sh - top, j * sw - left
            out[i, j] = x[max(r0, 0):r0 + kh, max(q0, 0):q0 + kw].mean(axis=(0, 1))
    return out


@pytest.mark.parametrize("stride,padding", [((2, 1), "valid"), ((2, 1), "same"), ((1, 3), "same"),
                                            ((1, 3), "valid")])
def test_average_pooling_strides_per_axis(stride, padding):
    x = np.random.RandomState(3).uniform(-1, 1, (2, 7, 8, 2))
    layer = layers.AveragePooling2D(2, strides=stride, padding=padding)
    out = layer(x)
    for row in range(2):
        assert np.allclose(out[row], pool_reference(x[row], (2, 2), stride, padding == "same"),
                           atol=ROUNDOFF)
    assert layer.compute_output_shape((7, 8, 2)) == out.shape[1:]
    with nengo.Network(seed=2) as net:
        src = nengo.Node(x[1].ravel())
        node = spikeworks.Layer(layers.AveragePooling2D(2, strides=stride, padding=padding))(
            src, shape_in=(7, 8, 2))
        p = nengo.Probe(node)
    entry = [o for o in json.loads(spikeworks.to_model(net))["objects"] if o["type"] == "layer"][0]
    assert entry["strides"] == list(stride)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(1)
        assert np.allclose(sim.data[p][-1], out[1].ravel(), atol=ROUNDOFF)
        assert np.allclose(sim.predict(n_steps=1)[p][0], sim.data[p], atol=1e-12)


def test_strides_per_axis_through_a_session(tmp_path):
    """A session with strides (2, 1) runs in the engine's CLI as in Python,
    and loads back into Python with the same strides."""
    rng = np.random.RandomState(4)
    with nengo.Network(seed=6) as net:
        img = nengo.Node(rng.uniform(-1, 1, 7 * 6 * 2), label="img")
        conv = spikeworks.Layer(layers.Conv2D(3, (3, 2), strides=(2, 1), padding="same"))(
            img, shape_in=(7, 6, 2))
        pool = spikeworks.Layer(layers.AveragePooling2D(2, strides=(1, 3)))(conv, shape_in=(4, 6, 3))
        probes = [nengo.Probe(conv, label="pc"), nengo.Probe(pool, label="pp")]
    sim = engine_run(net, tmp_path, 2)
    for probe in probes:
        csv = np.loadtxt(tmp_path / f"{probe.label}.csv", delimiter=",", skiprows=1, ndmin=2)
        assert np.allclose(csv[:, 1:], sim.data[probe], atol=1e-6, rtol=1e-6), probe.label
    model = json.loads(spikeworks.load_session(tmp_path / "layers.spkw").model)
    assert [o["strides"] for o in model["objects"] if o["type"] == "layer"] == [[2, 1], [1, 3]]
    back, _ = spikeworks.load_session(tmp_path / "layers.spkw").network()
    found = [n.tensor_func for n in back.all_nodes
             if isinstance(getattr(n, "tensor_func", None), layers._Windowed)]
    assert [f.strides for f in found] == [(2, 1), (1, 3)]


@pytest.mark.parametrize("axis", [1, 2, -2, 3])
def test_batch_normalization_on_any_axis(axis):
    x = np.random.RandomState(3).uniform(-1, 1, (2, 3, 4, 5))
    layer = layers.BatchNormalization(axis=axis, epsilon=0.01)
    layer(x)  # builds it, as Keras layers build on their first call
    c = x.shape[axis]
    rng = np.random.RandomState(5)
    weights = [rng.uniform(0.5, 2, c), rng.uniform(-1, 1, c), rng.uniform(-1, 1, c),
               rng.uniform(0.5, 2, c)]
    layer.set_weights(weights)
    gamma, beta, mean, var = (np.expand_dims(w, tuple(a for a in range(4) if a != axis % 4))
                              for w in weights)
    ref = gamma * (x - mean) / np.sqrt(var + 0.01) + beta
    assert np.allclose(layer(x), ref, atol=ROUNDOFF)
    _, _, in_sim = run_node(layer, x[0], (3, 4, 5))
    assert np.allclose(in_sim, ref[0].ravel(), atol=ROUNDOFF)
    # The engine's layer normalises the same axis: the model file names it
    # (counted from the batch axis), and predict gives Python's numbers.
    with nengo.Network(seed=1) as net:
        src = nengo.Node(x[0].ravel())
        node = spikeworks.Layer(layer)(src, shape_in=(3, 4, 5))
        p = nengo.Probe(node)
    entry = [o for o in json.loads(spikeworks.to_model(net))["objects"]
             if o["type"] == "layer"][0]
    assert entry["layer_type"] == "batch-normalization"
    assert entry.get("axis", 3) == axis % 4
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        assert np.allclose(sim.predict(n_steps=1)[p][0, 0], ref[0].ravel(), atol=1e-12)


@pytest.mark.parametrize("stride,padding", [(1, "valid"), (2, "same")])
def test_conv2d_as_keras(stride, padding):
    rng = np.random.RandomState(0)
    x = rng.uniform(-1, 1, (5, 6, 2))
    layer = layers.Conv2D(3, 3, strides=stride, padding=padding)
    _, _, out = run_node(layer, x, (5, 6, 2))
    ref = conv_reference(x, layer.kernel, layer.bias, stride, padding == "same")
    assert out.shape == (ref.size,)
    assert np.allclose(out, ref.ravel(), atol=ROUNDOFF)


def test_average_pooling_leaves_padding_out():
    x = np.arange(5 * 5 * 1, dtype=float).reshape(5, 5, 1)
    _, _, out = run_node(layers.AveragePooling2D(2, padding="same"), x, (5, 5, 1))
    ref = np.array([[x[i:i + 2, j:j + 2].mean() for j in range(0, 5, 2)] for i in range(0, 5, 2)])
    assert np.allclose(out, ref.ravel(), atol=ROUNDOFF)
    with nengo.Network():
        node = spikeworks.TensorNode(layers.AveragePooling2D(), shape_in=(4, 6, 2),
                                     pass_time=False)
    assert node.shape_out == (2, 3, 2)


def test_batch_normalization_dropout_and_expression():
    x = np.array([0.5, -2.0, 3.0])
    bn = layers.BatchNormalization(momentum=0.9, epsilon=0.01)
    _, _, out = run_node(bn, x, (3,))
    assert np.allclose(out, x / np.sqrt(1.01), atol=ROUNDOFF)
    bn.set_weights([np.full(3, 2.0), np.ones(3), np.full(3, 0.5), np.full(3, 4.0)])
    _, _, out = run_node(bn, x, (3,))
    assert np.allclose(out, 2 * (x - 0.5) / np.sqrt(4.01) + 1, atol=ROUNDOFF)
    _, _, out = run_node(layers.Dropout(0.3), x, (3,))
    assert np.array_equal(out, x)
    _, _, out = run_node(layers.Expression("max(x, 0)"), x, (3,))
    assert np.array_equal(out, np.maximum(x, 0))


def test_expression_with_time():
    with nengo.Network() as net:
        node = spikeworks.TensorNode(layers.Expression("[x[0] + t, 2*x[1]]"), shape_in=(2,))
        src = nengo.Node([1.0, 3.0])
        nengo.Connection(src, node, synapse=None)
        probe = nengo.Probe(node)
    assert node.shape_out == (2,)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(4)
    t = sim.trange()
    assert np.allclose(sim.data[probe], np.c_[1 + t, np.full(4, 6.0)], atol=ROUNDOFF)


def test_layer_shortcut_makes_node_and_untrainable_connection():
    with nengo.Network() as net:
        a = nengo.Ensemble(10, 1)
        b, conn = spikeworks.Layer(layers.Dense(units=5))(a.neurons, return_conn=True)
        c = spikeworks.Layer(nengo.LIF())(b)
        d = spikeworks.Layer(lambda x: x + 1)(b)
    assert isinstance(b, spikeworks.TensorNode) and b.shape_in == (10,) and b.shape_out == (5,)
    assert not b.pass_time and conn.synapse is None and conn.post is b
    assert net.config[conn].trainable is False
    assert not spikeworks.settings.is_trainable(net, conn)
    assert spikeworks.settings.is_trainable(net, a)
    assert isinstance(c, nengo.ensemble.Neurons) and c.ensemble.n_neurons == 5
    assert d.shape_out == (5,) and d._spk_trainable_layer is None


def engine_run(net, tmp_path, steps):
    """The network saved as a session and run by the engine (CLI)."""
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(steps)
        spikeworks.save_session(sim, tmp_path / "layers.spkw")
    subprocess.run(
        [os.environ["SPIKEWORKS_CLI"], "run", str(tmp_path / "layers.spkw"), "--steps",
         str(steps), "--out-dir", str(tmp_path)],
        check=True, capture_output=True,
    )
    return sim


def test_engine_runs_the_layers_as_python_did(tmp_path):
    rng = np.random.RandomState(1)
    with nengo.Network(seed=5) as net:
        img = nengo.Node(rng.uniform(-1, 1, 6 * 6 * 2), label="img")
        conv = spikeworks.Layer(layers.Conv2D(4, 3, padding="same"))(img, shape_in=(6, 6, 2))
        pool = spikeworks.Layer(layers.AveragePooling2D(2))(conv, shape_in=(6, 6, 4))
        bn = spikeworks.Layer(layers.BatchNormalization())(pool)
        drop = spikeworks.Layer(layers.Dropout(0.5))(bn)
        dense = spikeworks.Layer(layers.Dense(3))(drop)
        relu = spikeworks.Layer(layers.Expression("max(x, 0)"))(dense)
        one = spikeworks.Layer(layers.Dense(1, use_bias=False))(relu)
        probes = [nengo.Probe(o, label=f"p{i}") for i, o in enumerate((conv, dense, relu, one))]
    with spikeworks.Simulator(net, progress_bar=False):
        pass  # builds the layers; their weights stay for the next build
    net.all_nodes[1].tensor_func.bias[...] = [0.1, -0.2, 0.3, 0.0]
    sim = engine_run(net, tmp_path, 4)
    model = json.loads(spikeworks.load_session(tmp_path / "layers.spkw").model)
    kinds = [o.get("layer_type", "dense") for o in model["objects"] if o["type"] == "layer"]
    assert kinds == ["conv2d", "average-pooling2d", "batch-normalization", "dropout", "dense",
                     "expression", "dense"]
    for probe in probes:
        csv = np.loadtxt(tmp_path / f"{probe.label}.csv", delimiter=",", skiprows=1, ndmin=2)
        # The engine runs the model's float64 precision here.
        assert np.allclose(csv[:, 1:], sim.data[probe], atol=1e-6, rtol=1e-6), probe.label
    params = spikeworks.load_session(tmp_path / "layers.spkw").params
    conv_label = [o["label"] for o in model["objects"] if o.get("layer_type") == "conv2d"][0]
    assert np.array_equal(params[f"{conv_label}/weights"],
                          net.all_nodes[1].tensor_func.kernel.reshape(18, 4))


def test_python_tensor_nodes_run_forward_and_are_refused_by_model_files():
    def func(t, x):
        return t + 2 * x

    with nengo.Network() as net:
        a = nengo.Node([1.0, -1.0])
        b = spikeworks.TensorNode(func, shape_in=(2,), label="twice")
        nengo.Connection(a, b, synapse=None)
        p = nengo.Probe(b)
    assert b.shape_out == (2,)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(2)
    assert np.allclose(sim.data[p], [[2.001, -1.999], [2.002, -1.998]])
    with pytest.raises(spikeworks.ModelExportError) as info:
        spikeworks.to_model(net)
    assert "TensorNode 'twice'" in str(info.value)
    assert "runs only forward, through Python callbacks: training and model files need" in str(
        info.value)


def test_bad_tensor_nodes_and_layers():
    with nengo.Network():
        with pytest.raises(ValidationError, match="Must specify either shape_in or pass_time"):
            spikeworks.TensorNode(lambda x: x, pass_time=False)
        with pytest.raises(ValidationError, match="must be a function or a spikeworks.layers"):
            spikeworks.TensorNode(3, shape_in=(1,))
        with pytest.raises(ValidationError, match="takes only x, not the time"):
            spikeworks.TensorNode(layers.Dense(2), shape_in=(3,))
        with pytest.raises(ValidationError, match="uses t but pass_time is False"):
            spikeworks.TensorNode(layers.Expression("x + t"), shape_in=(3,), pass_time=False)
        with pytest.raises(ValidationError, match="determine TensorNode output shape"):
            spikeworks.TensorNode(lambda t, x: x @ np.ones((5, 2)), shape_in=(3,))
        with pytest.raises(ValidationError, match="batch axis first"):
            spikeworks.TensorNode(lambda t, x: 1.0, shape_in=(3,))
        with pytest.raises(ValidationError, match="needs an image input"):
            spikeworks.TensorNode(layers.Conv2D(2, 3), shape_in=(9,), pass_time=False)
        with pytest.raises(ValidationError, match="window"):
            spikeworks.TensorNode(layers.Conv2D(2, 5), shape_in=(3, 3, 1), pass_time=False)
        with pytest.raises(ValidationError, match="column"):
            spikeworks.TensorNode(layers.Expression("x +* 2"), shape_in=(1,), pass_time=False)
        with pytest.raises(ValidationError, match="activation 'elu' is not known: use one of "
                           "'linear', 'relu', 'sigmoid', 'tanh', 'softmax'"):
            layers.Dense(3, activation="elu")
        with pytest.raises(ValidationError, match="strides must be an int or a pair of ints"):
            layers.AveragePooling2D(2, strides=(1, 2, 1))
        with pytest.raises(ValidationError, match="the stride must be at least 1"):
            spikeworks.TensorNode(layers.Conv2D(2, 3, strides=(1, 0)), shape_in=(5, 5, 1),
                                  pass_time=False)
        with pytest.raises(ValidationError, match="axis must be one axis of the input other"):
            layers.BatchNormalization(axis=0)
        with pytest.raises(ValidationError, match="axis 4 is not an axis of an input of 3 "):
            spikeworks.TensorNode(layers.BatchNormalization(axis=4), shape_in=(3, 4, 5),
                                  pass_time=False)
        with pytest.raises(ValidationError, match="padding must be 'valid' or 'same'"):
            layers.Conv2D(2, 3, padding="full")
        with pytest.raises(ValidationError, match="rate must be in"):
            layers.Dropout(1.5)


def test_glorot_and_variance_scaling():
    rng = np.random.RandomState(0)
    w = spikeworks.dists.Glorot().sample(300, 200, rng=rng)
    limit = np.sqrt(6 / 500)
    assert w.shape == (300, 200) and np.abs(w).max() <= limit
    assert np.isclose(w.var(), 2 / 500, rtol=0.05)
    n = spikeworks.dists.Glorot(distribution="normal").sample(300, 200, rng=rng)
    assert np.abs(n).max() <= 2 * np.sqrt(2 / 500)
    h = spikeworks.dists.He().sample(400, 100, rng=rng)
    assert np.abs(h).max() <= 2 * np.sqrt(1 / 100)
    # As a transform: Nengo samples it at build time, a session writes it.
    with nengo.Network(seed=1) as net:
        a = nengo.Node(np.ones(20))
        b = nengo.Ensemble(30, 1)
        conn = nengo.Connection(a, b.neurons, transform=spikeworks.dists.Glorot())
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        weights = sim.data[conn].weights
    assert weights.shape == (30, 20) and np.abs(weights).max() <= np.sqrt(6 / 50)
    model = json.loads(spikeworks.to_model(sim))
    (entry,) = [o for o in model["objects"] if o["type"] == "connection"]
    assert np.array_equal(entry["transform"], weights)


def test_configure_settings():
    with nengo.Network() as net:
        spikeworks.configure_settings(trainable=False, stateful=False, use_loop=False,
                                      keep_history=True, lif_smoothing=0.1)
        a = nengo.Ensemble(5, 1)
        with nengo.Network() as sub:
            spikeworks.configure_settings(trainable=True)
            b = nengo.Ensemble(5, 1)
        conn = nengo.Connection(a, b)
        net.config[a].trainable = True
        with pytest.raises(ConfigError, match="not a valid config parameter"):
            spikeworks.configure_settings(unroll=3)
    assert spikeworks.settings.get_setting(net, "stateful") is False
    assert spikeworks.settings.get_setting(net, "use_loop") is False
    assert spikeworks.settings.get_setting(net, "lif_smoothing") == 0.1
    assert spikeworks.settings.get_setting(net, "dtype", "float32") == "float32"
    assert spikeworks.settings.is_trainable(net, a)
    assert spikeworks.settings.is_trainable(net, b)
    assert not spikeworks.settings.is_trainable(net, conn)
    assert sub.config[nengo.Ensemble].trainable is True
    with pytest.raises(NetworkContextError):
        spikeworks.configure_settings(trainable=False)


@pytest.mark.parametrize("setting,words", [
    ({"keep_history": False}, "keep_history=False is not available: probes keep every step"),
    ({"learning_phase": True}, "learning_phase=True is not available: predict and evaluate"),
    ({"dtype": "int8"}, "dtype must be float32 or float64"),
])
def test_settings_the_simulator_cannot_honour_are_refused(setting, words):
    with nengo.Network():
        with pytest.raises(ConfigError, match=words):
            spikeworks.configure_settings(**setting)


def test_settings_without_effect_are_kept():
    with nengo.Network() as net:
        spikeworks.configure_settings(use_loop=False, planner="noop", dtype=np.float64,
                                      stateful=False, inference_only=True)
    assert spikeworks.settings.get_setting(net, "use_loop") is False
    assert spikeworks.settings.get_setting(net, "planner") == "noop"
    assert spikeworks.settings.get_setting(net, "dtype") == "float64"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dtype_setting_is_the_simulators_precision(dtype):
    with nengo.Network() as net:
        spikeworks.configure_settings(dtype=dtype)
        a = nengo.Node([0.5])
        p = nengo.Probe(a)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(2)
        assert sim.signals[sim.model.time].dtype == np.dtype(dtype)
    assert sim.data[p].dtype == np.dtype(dtype)
    # The Simulator's own dtype argument wins over the setting.
    other = "float64" if dtype == "float32" else "float32"
    with spikeworks.Simulator(net, progress_bar=False, dtype=other) as sim:
        assert sim.signals[sim.model.time].dtype == np.dtype(other)


def test_predict_with_data_through_a_python_tensor_node():
    """predict with data runs the engine's batched build with the Python
    TensorNode in it (dl_callbacks.py); the TensorNode's function is
    called once per step with the whole minibatch, as NengoDL calls it
    (x of (minibatch,) + shape_in, each row that row's input): the same
    numbers as a numpy loop over steps with the batch."""
    seen = []

    def func(t, x):
        seen.append((type(t), t, np.array(x)))
        return np.tanh(x * [1.0, 2.0]) + t

    with nengo.Network(seed=1) as net:
        a = nengo.Node([0.3, 0.4])
        wave = nengo.Node(lambda t: np.sin(40 * t))
        b = spikeworks.TensorNode(func, shape_in=(2,), shape_out=(2,))
        nengo.Connection(a, b, synapse=None)
        nengo.Connection(wave, b[1], synapse=None)
        p_b, p_a = nengo.Probe(b), nengo.Probe(a)
    data = np.random.RandomState(0).uniform(-1, 1, (5, 6, 2))
    with spikeworks.Simulator(net, minibatch_size=2) as sim:
        with pytest.warns(UserWarning, match="will be truncated to 4"):
            out = sim.predict({a: data})
        with_data = list(seen)
        seen.clear()
        default = sim.predict(n_steps=6)
    assert out[p_b].shape == (4, 6, 2) and out[p_a].shape == (4, 6, 2)
    # One call per step and minibatch (2 minibatches × 6 steps), each with
    # the minibatch's rows of the input at that step and float32 time.
    assert len(with_data) == 12
    expected = np.zeros((4, 6, 2))
    for call, (mb, step) in zip(with_data, [(m, k) for m in range(2) for k in range(6)]):
        t = np.float32((step + 1) * 0.001)
        x = data[2 * mb: 2 * mb + 2, step] + [0.0, np.sin(40 * (step + 1) * 0.001)]
        assert call[0] is np.float32 and call[1] == t
        assert call[2].shape == (2, 2)
        assert np.allclose(call[2], x, atol=1e-12)
        expected[2 * mb: 2 * mb + 2, step] = np.tanh(x * [1.0, 2.0]) + t
    assert np.allclose(out[p_a], data[:4], atol=0)
    assert np.allclose(out[p_b], expected, atol=1e-12)
    assert np.array_equal(a.output, [0.3, 0.4])  # the Node got its own output back
    # Without data every row is the same run: x has the minibatch's rows too.
    assert len(seen) == 6 and {c[2].shape for c in seen} == {(2, 2)}
    x0 = np.array([0.3, 0.4]) + np.c_[np.zeros(6), np.sin(40 * 0.001 * np.arange(1, 7))]
    t = (0.001 * np.arange(1, 7)).astype(np.float32)[:, None]
    assert np.allclose(default[p_b], np.tanh(x0 * [1.0, 2.0]) + t, atol=1e-12)


def test_a_tensor_node_that_mixes_rows_gets_the_whole_minibatch():
    """A function that is not row-wise (x minus the minibatch mean) gives
    NengoDL's numbers only when it is called with the whole minibatch."""
    with nengo.Network(seed=2) as net:
        a = nengo.Node([0.0])
        b = spikeworks.TensorNode(lambda x: x - x.mean(axis=0, keepdims=True),
                                  shape_in=(1,), shape_out=(1,), pass_time=False)
        nengo.Connection(a, b, synapse=None)
        p = nengo.Probe(b)
    data = np.arange(12.0).reshape(3, 4, 1)
    with spikeworks.Simulator(net, minibatch_size=3) as sim:
        out = sim.predict({a: data})
    assert np.allclose(out[p], data - data.mean(axis=0, keepdims=True), atol=1e-12)


def test_a_tensor_node_returning_the_wrong_batch_is_refused():
    with nengo.Network() as net:
        a = nengo.Node([0.0])
        b = spikeworks.TensorNode(lambda x: x[:1], shape_in=(1,), shape_out=(1,),
                                  pass_time=False)
        nengo.Connection(a, b, synapse=None)
    with spikeworks.Simulator(net, minibatch_size=2) as sim:
        with pytest.raises(ValidationError, match=r"should have shape \(2,\) \+ \(1,\)"):
            sim.predict({a: np.zeros((2, 3, 1))})


def test_fit_trains_the_layer_options_as_numpy_does():
    """One SGD step of Python's fit through a BatchNormalization of an
    image's rows (axis 1) and a Dense layer with softmax: the weights move
    by numpy's gradient of Keras's mean squared error (float32 training)."""
    rng = np.random.RandomState(7)
    x = rng.uniform(-1, 1, (4, 1, 6))
    t = rng.uniform(0, 1, (4, 1, 3))
    norm = layers.BatchNormalization(axis=1, epsilon=0.01)
    dense = layers.Dense(3, activation="softmax", seed=3)
    with nengo.Network(seed=1) as net:
        inp = nengo.Node(np.zeros(6), label="inp")
        bn = spikeworks.Layer(norm)(inp, shape_in=(2, 3, 1))
        out = spikeworks.Layer(dense)(bn)
        p = nengo.Probe(out, label="p")
    with spikeworks.Simulator(net, minibatch_size=4, progress_bar=False) as sim:
        kernel, bias = dense.kernel.copy(), dense.bias.copy()
        sim.compile(optimizer=spikeworks.optimizers.SGD(0.5), loss="mse")
        sim.fit({inp: x}, {p: t}, epochs=1, verbose=0, shuffle=False)
    # numpy: batch-statistics normalisation (gamma 1, beta 0), softmax.
    img = x[:, 0].reshape(4, 2, 3, 1)
    mean = img.mean(axis=(0, 2, 3), keepdims=True)
    var = img.var(axis=(0, 2, 3), keepdims=True)
    h = ((img - mean) / np.sqrt(var + 0.01)).reshape(4, 6)
    z = h @ kernel + bias
    y = np.exp(z - z.max(axis=1, keepdims=True))
    y /= y.sum(axis=1, keepdims=True)
    g_y = 2 * (y - t[:, 0]) / y.size
    g_z = y * (g_y - (g_y * y).sum(axis=1, keepdims=True))
    assert np.allclose(dense.kernel, kernel - 0.5 * h.T @ g_z, atol=2e-6)
    assert np.allclose(dense.bias, bias - 0.5 * g_z.sum(axis=0), atol=2e-6)
