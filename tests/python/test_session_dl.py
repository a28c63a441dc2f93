# SPDX-License-Identifier: GPL-3.0-or-later
"""Sessions between the workbench and Python: a session trained by the
engine (spikeworks-cli fit, as the workbench trains) loads as a Nengo
network running with the trained parameters (load_session(...).network()),
and save_session after Simulator.fit writes the trained parameters and the
loss history."""

import json
import os
import subprocess

import numpy as np
import pytest

import nengo

import spikeworks

import fashion_standin

CLI = os.environ.get("SPIKEWORKS_CLI")


def cli(*args):
    result = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def csv(path):
    return np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def small_model(image):
    """A model file the engine trains: image → Dense(16) → 16 ReLU → 784."""
    rng = np.random.RandomState(0)
    return {
        "format": "spikeworks-model", "version": 4,
        "network": {"label": "small", "seed": 3, "dtype": "float64"},
        "objects": [
            {"type": "node", "label": "input", "output": (image / 255.0).tolist()},
            {"type": "layer", "label": "dense", "shape_in": [784], "units": 16},
            {"type": "ensemble", "label": "hidden", "n_neurons": 16, "dimensions": 1,
             "neuron_type": "RectifiedLinear", "gain": [1.0] * 16, "bias": [0.0] * 16},
            {"type": "node", "label": "out", "size_in": 784},
            {"type": "connection", "pre": "input", "post": "dense", "synapse": None},
            {"type": "connection", "pre": "dense", "post": "hidden.neurons", "synapse": None},
            {"type": "connection", "pre": "hidden.neurons", "post": "out", "synapse": None,
             "transform": rng.uniform(-0.1, 0.1, (784, 16)).tolist()},
            {"type": "connection", "label": "decoded", "pre": "hidden", "post": "out",
             "synapse": 0.01, "transform": [[0.5]] * 784},
            {"type": "probe", "label": "output", "target": "out"},
            {"type": "probe", "label": "hidden_rates", "target": "hidden.neurons"},
        ],
    }


def test_engine_trained_session_runs_as_nengo_network(tmp_path):
    data = fashion_standin.write(tmp_path / "data")
    image = fashion_standin.images(1, 2)[0][0].ravel().astype(float)
    (tmp_path / "small.json").write_text(json.dumps(small_model(image)))
    out = cli("fit", tmp_path / "small.json", "--data", "fashion-mnist", "--data-dir", data,
              "--loss", "mse", "--probe", "output", "-n", "100", "--epochs", "2",
              "--dtype", "float64", "--out", tmp_path / "trained.spkw")
    session = spikeworks.load_session(tmp_path / "trained.spkw")
    assert sorted(session.history["loss"]) == [1, 2], out
    net, objects = session.network()
    assert isinstance(objects["dense"], spikeworks.TensorNode)
    assert np.array_equal(objects["dense"].tensor_func.kernel,
                          session.params["dense/weights"].reshape(784, 16))
    probes = {p.label: p for p in net.all_probes}
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(20)
    cli("run", tmp_path / "trained.spkw", "--steps", 20, "--out-dir", tmp_path)
    for label in ("output", "hidden_rates"):
        engine = csv(tmp_path / f"{label}.csv")[:, 1:]
        assert np.allclose(sim.data[probes[label]], engine, atol=1e-6, rtol=1e-6), label
    # Training changed the layer: its weights are not the ones it started with.
    cli("save", tmp_path / "small.json", tmp_path / "untrained.spkw", "--run-steps", 1)
    untrained = spikeworks.load_session(tmp_path / "untrained.spkw")
    assert not np.allclose(untrained.params["dense/weights"], session.params["dense/weights"])


def test_python_session_round_trip_as_network(tmp_path):
    with nengo.Network(seed=1) as net:
        a = nengo.Node([0.3, -0.2], label="a")
        b = nengo.Ensemble(3, 2, gain=nengo.dists.Choice([2.0]), bias=nengo.dists.Choice([0.5]),
                           neuron_type=nengo.RectifiedLinear(), label="b")
        c = nengo.Ensemble(40, 1, label="c")
        d = nengo.Node(size_in=1, label="d")
        nengo.Connection(a, b.neurons, transform=np.ones((3, 2)), synapse=None)
        nengo.Connection(b, c, function=lambda x: x[0] * x[1])
        nengo.Connection(b.neurons, c.neurons, transform=np.full((40, 3), 0.01))
        nengo.Connection(c, d)
        nengo.Connection(a, b)
        bn = spikeworks.Layer(spikeworks.layers.BatchNormalization())(b.neurons, label="bn")
        probes = [nengo.Probe(o) for o in (b.neurons, c.neurons, d, bn)]
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(50)
        spikeworks.save_session(sim, tmp_path / "s.spkw")
    back, objects = spikeworks.load_session(tmp_path / "s.spkw").network()
    assert isinstance(objects["c"], nengo.Ensemble) and isinstance(objects["bn"], spikeworks.TensorNode)
    by_target = {}
    for p in back.all_probes:
        by_target[p.target] = p
    with spikeworks.Simulator(back, progress_bar=False) as sim2:
        sim2.run_steps(50)
    for probe, target in zip(probes, (objects["b"].neurons, objects["c"].neurons, objects["d"],
                                      objects["bn"])):
        assert np.allclose(sim2.data[by_target[target]], sim.data[probe], atol=1e-9)


def test_what_has_no_nengo_form_is_refused(tmp_path):
    with nengo.Network() as net:
        a = nengo.Ensemble(10, 1, label="a")
        b = nengo.Ensemble(10, 1, label="b")
        nengo.Connection(a, b, learning_rule_type=nengo.PES(), label="learn")
    spikeworks.save_session(net, tmp_path / "l.spkw")
    with pytest.raises(spikeworks.ModelImportError,
                       match="connection 'learn': a learning rule, which has no Nengo form here"):
        spikeworks.load_session(tmp_path / "l.spkw").network()


def test_save_session_after_fit_has_trained_params_and_history(tmp_path):
    with nengo.Network(seed=0) as net:
        inp = nengo.Node(np.zeros(4), label="inp")
        hidden = spikeworks.Layer(spikeworks.layers.Dense(8))(inp, label="hidden")
        ens = nengo.Ensemble(8, 1, neuron_type=nengo.RectifiedLinear(),
                             gain=nengo.dists.Choice([1]), bias=nengo.dists.Choice([0]))
        nengo.Connection(hidden, ens.neurons, synapse=None)
        out = nengo.Node(size_in=2, label="out")
        nengo.Connection(ens.neurons, out, transform=spikeworks.dists.Glorot(), synapse=None)
        p = nengo.Probe(out, label="p")
    rng = np.random.RandomState(1)
    x = rng.uniform(0, 1, (40, 1, 4))
    y = np.c_[x[:, 0, :2].sum(axis=1), x[:, 0, 2:].sum(axis=1)][:, None, :]
    with spikeworks.Simulator(net, minibatch_size=10, seed=0) as sim:
        sim.compile(optimizer=spikeworks.optimizers.RMSprop(1e-2), loss=spikeworks.losses.mse)
        history = sim.fit(x, y, epochs=3, verbose=0)
        predicted = sim.predict(x[:10])[p]
        sim.run_steps(5)
        recorded = np.array(sim.data[p])
        spikeworks.save_session(sim, tmp_path / "fit.spkw")
    saved = spikeworks.load_session(tmp_path / "fit.spkw")
    # The minibatch's probe data, batch × steps × size, as the workbench shows it.
    t, data = saved.probes["p"]
    assert data.shape == (10, 5, 2) and np.allclose(t, np.arange(1, 6) * 0.001)
    assert np.allclose(data, recorded.astype(np.float32))
    assert np.allclose([saved.history["loss"][e] for e in (1, 2, 3)], history.history["loss"])
    back, objects = saved.network()
    with back:
        node = objects["inp"]
    # The trained network, run by Nengo from the session, predicts as fit left it.
    (probe,) = [q for q in back.all_probes if q.label == "p"]
    node.output = x[0, 0]
    with spikeworks.Simulator(back, progress_bar=False) as sim2:
        sim2.run_steps(1)
    assert np.allclose(sim2.data[probe][0], predicted[0, 0], atol=1e-5)
