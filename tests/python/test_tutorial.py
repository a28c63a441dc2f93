# SPDX-License-Identifier: GPL-3.0-or-later
"""NengoDL's tutorial "Coming from TensorFlow to NengoDL" as Spikeworks
scripts (examples/python/from_tensorflow_*.py): each runs as written, and
its numbers are checked here.  The training script reads a small
generated stand-in for Fashion-MNIST (no download, seconds to train).
With SPIKEWORKS_EXAMPLE_PLOTS=DIR the scripts' figures are saved there as
PNG files, to look at."""

import gzip
import os
import re
import runpy

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nengo  # noqa: E402

import spikeworks  # noqa: E402

import fashion_standin  # noqa: E402

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "python")


def run_script(name):
    """Runs one example script as __main__; returns its globals and its
    figures (saved as PNG when SPIKEWORKS_EXAMPLE_PLOTS is set)."""
    plt.close("all")
    namespace = runpy.run_path(os.path.join(EXAMPLES, name), run_name="__main__")
    figures = [plt.figure(n) for n in plt.get_fignums()]
    out_dir = os.environ.get("SPIKEWORKS_EXAMPLE_PLOTS")
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        for i, fig in enumerate(figures):
            fig.savefig(os.path.join(out_dir, f"{name[:-3]}-{i}.png"))
    return namespace, figures


def numbers(text):
    return [float(v) for v in re.findall(r"-?\d+\.\d*(?:e-?\d+)?", text)]


def test_spiking_sine_network_rates_spikes_and_filter(capsys):
    ns, figures = run_script("from_tensorflow_2_spiking.py")
    sim, p_rate, p_spike = ns["sim"], ns["p_rate"], ns["p_spike"]
    rates, spikes = sim.data[p_rate], sim.data[p_spike]
    assert rates.shape == (1000, 10) and spikes.shape == (1000, 10)
    # Rate neurons: ReLU of gain·(encoder·x) + bias, x through the
    # connection's default Lowpass(0.005) (one step later), as Nengo builds them.
    built = sim.data[ns["b_rate"]]
    x = nengo.Lowpass(0.005).filt(sim.data[ns["p_a"]], dt=sim.dt, y0=0)
    x = np.r_[[[0.0]], x[:-1]]
    expected = np.maximum(0, built.gain * (x @ built.encoders.T) + built.bias)
    assert np.allclose(rates, expected, atol=1e-9)
    # Spikes are 1/dt high; counted over the second, they give the rates.
    assert set(np.unique(spikes)) <= {0.0, 1000.0}
    counted = spikes.sum(axis=0) * sim.dt
    assert np.allclose(counted, rates.mean(axis=0), atol=2.0)
    # The filtered spike train approximates the rates (the figure's lines).
    filtered = ns["filtered_spikes"]
    smooth_rates = nengo.Lowpass(0.05).filt(rates)
    err = np.abs(filtered - smooth_rates)[200:].mean() / rates.mean()
    assert err < 0.1
    assert [f.axes[0].get_title() for f in figures[:3]] == ["a", "b_rate", "b_spike"]
    assert len(figures) == 4
    # The two batch normalization nodes run: inference with Keras's
    # starting statistics is x / sqrt(1 + epsilon).
    net = ns["net"]
    norm_probes = [p for p in net.all_probes if isinstance(p.target, spikeworks.TensorNode)]
    assert len(norm_probes) == 2
    with spikeworks.Simulator(net) as sim2:
        sim2.run_steps(200)
    for probe in norm_probes:
        assert np.allclose(sim2.data[probe], sim2.data[p_rate] / np.sqrt(1.001), atol=1e-12)


def test_custom_layer_with_one_weight():
    ns, _ = run_script("from_tensorflow_4_custom_layer.py")
    node = ns["a"]
    layer = node.tensor_func
    assert layer.w.shape == (1, 1) and layer.built
    assert node.shape_out == (1,)
    limit = np.sqrt(6 / 2)  # Glorot uniform over fan-in 1 + fan-out 1
    assert 0 < abs(layer.w[0, 0]) <= limit
    # It runs forward (through Python callbacks) …
    with ns["net"]:
        src = nengo.Node([0.7])
        nengo.Connection(src, node, synapse=None)
        probe = nengo.Probe(node)
    with spikeworks.Simulator(ns["net"]) as sim:
        sim.run_steps(3)
    assert np.allclose(sim.data[probe], 0.7 * layer.w[0, 0])
    # … and a model file (so training) refuses it, saying why.
    with pytest.raises(spikeworks.ModelExportError, match="runs only forward, through Python"):
        spikeworks.to_model(ns["net"])
    with ns["net"]:
        after = nengo.Probe(node)
    with spikeworks.Simulator(ns["net"], minibatch_size=2) as sim:
        sim.compile(optimizer=spikeworks.optimizers.RMSprop(1e-3),
                    loss={after: spikeworks.losses.mse})
        with pytest.raises(spikeworks.ModelExportError) as info:
            sim.fit({src: np.ones((2, 1, 1))}, {after: np.ones((2, 1, 1))}, epochs=1)
    assert "TensorNode" in str(info.value)
    assert "runs only forward, through Python callbacks: training and model files need one of " \
           "Spikeworks' layers" in str(info.value)


def test_nef_sin_square_on_spikeworks_and_nengo():
    ns, figures = run_script("from_tensorflow_6_nef.py")
    assert len(figures) == 2
    lines = [{l.get_label(): l.get_ydata() for l in f.axes[0].get_lines()} for f in figures]
    ours, nengos = lines[0], lines[1]
    target = ours["sin(x^2)"]
    # The NEF's approximation of sin(x²), synapses and all.
    rmse = np.sqrt(np.mean((ours["output"][100:] - target[100:]) ** 2))
    assert rmse < 0.08, rmse
    # The same network on Nengo's reference simulator, same seed: the same run.
    assert np.allclose(ours["x"], nengos["x"])
    assert np.allclose(ours["output"], nengos["output"], atol=1e-6)


def test_autoencoder_with_glorot_transforms_predicts_a_minibatch(capsys):
    ns, _ = run_script("from_tensorflow_1_autoencoder.py")
    # The Keras cells' shape, then NengoDL's with its time axis.
    printed = [l for l in capsys.readouterr().out.splitlines() if l.startswith("(")]
    assert printed == ["(50, 784)", "(50, 1, 784)"]
    # Keras's autoencoder: symbolic tensors, and a Model whose predict
    # runs the two Dense layers (ReLU, Glorot-uniform kernels) on the data.
    tf_a, tf_b, tf_c = ns["tf_a"], ns["tf_b"], ns["tf_c"]
    assert (tf_a.shape, tf_b.shape, tf_c.shape) == ((None, 784), (None, 64), (None, 784))
    first, second = tf_b.layer, tf_c.layer
    for layer, fans in ((first, 784 + 64), (second, 64 + 784)):
        assert layer.activation == "relu" and layer.built
        assert np.abs(layer.kernel).max() <= np.sqrt(6 / fans)
        assert np.isclose(layer.kernel.std(), np.sqrt(2 / fans), rtol=0.05)
        assert not layer.bias.any()
    ones = np.ones((50, 784))
    out = ns["model"].predict(ones, verbose=0)
    assert out.shape == (50, 784) and out.dtype == np.float32
    hidden = np.maximum(ones @ first.kernel, 0)
    assert np.allclose(out, np.maximum(hidden @ second.kernel, 0), rtol=1e-6, atol=1e-6)
    assert 0 < np.count_nonzero(hidden[0]) < 64 and np.allclose(out, out[0])
    sim = ns["sim"]
    first, second = ns["auto_net"].all_connections
    # Glorot: uniform within sqrt(6 / (fan_in + fan_out)), Nengo-sampled.
    w1, w2 = sim.data[first].weights, sim.data[second].weights
    assert w1.shape == (64, 784) and np.abs(w1).max() <= np.sqrt(6 / (64 + 784))
    assert w2.shape == (784, 64) and np.abs(w2).max() <= np.sqrt(6 / (64 + 784))
    assert np.isclose(w1.std(), np.sqrt(2 / (64 + 784)), rtol=0.05)


def test_tensor_node_prints_t_plus_x(capsys):
    ns, _ = run_script("from_tensorflow_3_tensor_node.py")
    captured = capsys.readouterr()
    before, after = captured.out.split("TensorNode output:")
    assert before.strip().endswith("TensorNode input:")
    # tf.print wrote what the function saw to standard error, as TensorFlow
    # does, in its format: t = 0.001 … 0.01 (NengoDL's float32) and
    # x = [0.5, -0.1] on each step, t before x.
    printed = captured.err.splitlines()
    assert printed == [line for step in range(1, 11)
                       for line in (f"t: {step / 1000:g}", "x: [[0.5 -0.1]]")]
    t32 = (np.arange(1, 11) * 0.001).astype(np.float32)
    expected = np.c_[0.5 + t32, -0.1 + t32]
    data = ns["data"][ns["p"]]
    assert np.allclose(data.reshape(10, 2), expected, atol=1e-15)
    # The printed output: 0.501 … 0.51 and -0.099 … -0.09, as the tutorial's.
    printed = np.array(numbers(after)).reshape(10, 2)
    tutorial = np.c_[np.arange(501, 511) / 1000, np.arange(-99, -89) / 1000]
    assert np.array_equal(printed, tutorial)


def test_training_reduces_the_loss(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SPIKEWORKS_FASHION_MNIST_DIR",
                       fashion_standin.write(tmp_path, n_train=1000, n_test=50))
    np.random.seed(0)
    ns, figures = run_script("from_tensorflow_5_training.py")
    out = capsys.readouterr().out
    # Keras-style progress: the Keras model's fit (32 minibatches of 32, the
    # last one of 8), evaluate (2 batches) and predict (1), then NengoDL's
    # fit (20 minibatches of 50) and evaluate (1 minibatch).
    lines = [l for l in out.splitlines() if "/step" in l or l.startswith("Epoch") or "loss:" in l]
    assert [l.split(" [")[0] for l in lines] == [
        "Epoch 1/2", "32/32", "Epoch 2/2", "32/32", "2/2", "1/1",
        "Epoch 1/2", "20/20", "Epoch 2/2", "20/20", "1/1"]
    losses = [float(v) for v in re.findall(r"loss: ([0-9.]+)", out)]
    assert len(losses) == 6, out
    keras_fit, keras_eval, nengo_fit, nengo_eval = losses[:2], losses[2], losses[3:5], losses[5]
    for fit, evaluated in ((keras_fit, keras_eval), (nengo_fit, nengo_eval)):
        assert 0 < fit[1] < fit[0] and evaluated < fit[0], out
    assert all(re.search(r"\] - \d+s( \d+(ms|us)/step)? - loss: \d+\.\d{4}$", lines[i])
               for i in (1, 3, 4, 7, 9, 10))
    test = ns["test_data"][:50].astype(float)
    # The Keras model: evaluate's loss is the mean squared error of
    # predict's output; the figure shows predict's first image.
    model = ns["model"]
    keras_out = model.predict(test[:, 0], verbose=0)
    assert np.isclose(keras_eval, np.mean((keras_out - test[:, 0]) ** 2), rtol=0, atol=5e-5)
    assert np.allclose(figures[0].axes[0].get_images()[0].get_array(),
                       keras_out[0].reshape(28, 28))
    assert np.mean((keras_out - test[:, 0]) ** 2) < 0.5 * np.mean(test ** 2)
    output = ns["output"][ns["p_c"]]
    assert output.shape == (50, 1, 784)
    # NengoDL's evaluate: the mean squared error of predict's output.
    assert np.isclose(nengo_eval, np.mean((output - test) ** 2), rtol=0, atol=5e-5)
    # Reconstructions much closer to the images than no output at all.
    assert np.mean((output - test) ** 2) < 0.5 * np.mean(test ** 2)
    assert len(figures) == 2 and figures[1].axes[0].get_images()
