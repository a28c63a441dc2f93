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
    # Keras's autoencoder as spikeworks.layers run on the data: ReLU
    # outputs of Glorot-initialised Dense layers (every row alike: ones in).
    hidden, out = ns["tf_b"], ns["tf_c"]
    assert hidden.shape == (50, 64) and out.shape == (50, 784)
    assert hidden.min() >= 0 and out.min() >= 0 and 0 < np.count_nonzero(hidden[0]) < 64
    assert np.allclose(out, out[0], atol=1e-12)
    sim = ns["sim"]
    first, second = ns["auto_net"].all_connections
    # Glorot: uniform within sqrt(6 / (fan_in + fan_out)), Nengo-sampled.
    w1, w2 = sim.data[first].weights, sim.data[second].weights
    assert w1.shape == (64, 784) and np.abs(w1).max() <= np.sqrt(6 / (64 + 784))
    assert w2.shape == (784, 64) and np.abs(w2).max() <= np.sqrt(6 / (64 + 784))
    assert np.isclose(w1.std(), np.sqrt(2 / (64 + 784)), rtol=0.05)


def test_tensor_node_prints_t_plus_x(capsys):
    ns, _ = run_script("from_tensorflow_3_tensor_node.py")
    out = capsys.readouterr().out
    before, after = out.split("TensorNode output:")
    # The function saw t = 0.001 … 0.010 and x = [0.5, -0.1] on each step.
    # t is NengoDL's float32: printed 0.001 … 0.01 as in the tutorial.
    ts = [line.split()[1] for line in before.splitlines() if line.startswith("t:")]
    assert ts == ["0.001", "0.002", "0.003", "0.004", "0.005", "0.006", "0.007", "0.008",
                  "0.009", "0.01"]
    assert before.count("x: [[ 0.5 -0.1]]") == 10
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
    ns, figures = run_script("from_tensorflow_5_training.py")
    out = capsys.readouterr().out
    # Keras-style progress: one line per epoch (20 minibatches of 50),
    # then evaluate's (1 minibatch); every number on them checked.
    lines = [l for l in out.splitlines() if "loss:" in l or l.startswith("Epoch")]
    assert [l.split(" [")[0] for l in lines] == ["Epoch 1/2", "20/20", "Epoch 2/2", "20/20", "1/1"]
    losses = [float(v) for v in re.findall(r"loss: ([0-9.]+)", out)]
    assert len(losses) == 3 and 0 < losses[1] < losses[0], out
    assert losses[2] < losses[0]
    assert all(re.search(r"\] - \d+s( \d+(ms|us)/step)? - loss: \d+\.\d{4}$", l) for l in lines[1::2])
    test = ns["test_data"][:50].astype(float)
    output = ns["output"][ns["p_c"]]
    assert output.shape == (50, 1, 784)
    # evaluate's loss is the mean squared error of predict's output.
    assert np.isclose(losses[2], np.mean((output - test) ** 2), rtol=0, atol=5e-5)
    # Reconstructions much closer to the images than no output at all.
    assert np.mean((output - test) ** 2) < 0.5 * np.mean(test ** 2)
    assert len(figures) == 1 and figures[0].axes[0].get_images()
