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
from spikeworks.tensor_node import PYTHON_ONLY  # noqa: E402

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
