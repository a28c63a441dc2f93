# SPDX-License-Identifier: GPL-3.0-or-later
"""NengoDL's Simulator API on spikeworks.Simulator: predict against the
plain backend's run, fit against `spikeworks-cli fit` on the same model
and data, the parameters written back, and every bad input refused with
a message naming what was expected.

Tolerances: predict runs the engine's own build of the network that the
backend runs through Nengo's build; every drawn value and Nengo's decoders
are written into it, so the two agree to float64 round-off (1e-9).  fit
runs the engine's trainer that the command line runs, with the same
model, data, seed and options: the per-epoch losses agree to float32
round-off of the reported mean (relative 1e-5).  Run by meson (suite
"python") with SPIKEWORKS_CLI naming the command line.
"""

import gzip
import os
import re
import struct
import subprocess

import numpy as np
import pytest

import nengo
from nengo.exceptions import ValidationError

import spikeworks

ROUNDOFF = 1e-9
nengo.rc.set("decoder_cache", "enabled", "False")


def sine_net():
    """NengoDL tutorial's rate/spiking network, plus a decoded chain."""
    with nengo.Network(seed=2) as net:
        a = nengo.Node(lambda t: np.sin(2 * np.pi * t), label="a")
        b_rate = nengo.Ensemble(10, 1, neuron_type=nengo.RectifiedLinear(), seed=2)
        b_spike = nengo.Ensemble(10, 1, neuron_type=nengo.SpikingRectifiedLinear(), seed=2)
        lif = nengo.Ensemble(30, 1)
        nengo.Connection(a, b_rate)
        nengo.Connection(a, b_spike)
        nengo.Connection(a, lif)
        out = nengo.Node(size_in=1)
        nengo.Connection(lif, out, function=np.square)
        probes = [
            nengo.Probe(a),
            nengo.Probe(b_rate.neurons),
            nengo.Probe(b_spike.neurons),
            nengo.Probe(out, synapse=0.01),
        ]
    return net, probes


def autoencoder(n_in=784, n_hidden=16, seed=0):
    """The tutorial's autoencoder, gain 1, bias 0, synapse None."""
    with nengo.Network(seed=seed) as net:
        a = nengo.Node(np.zeros(n_in), label="input")
        b = nengo.Ensemble(n_hidden, 1, neuron_type=nengo.RectifiedLinear(), label="hidden")
        nengo.Connection(a, b.neurons, transform=nengo.dists.Uniform(-0.05, 0.05))
        c = nengo.Ensemble(n_in, 1, neuron_type=nengo.RectifiedLinear(), label="out")
        nengo.Connection(b.neurons, c.neurons, transform=nengo.dists.Uniform(-0.05, 0.05))
        p = nengo.Probe(c.neurons, label="p_c")
    for ens in net.all_ensembles:
        ens.gain = nengo.dists.Choice([1])
        ens.bias = nengo.dists.Choice([0])
    for conn in net.all_connections:
        conn.synapse = None
    return net, a, p


def images(n, n_in=784, seed=1):
    return np.random.RandomState(seed).randint(0, 256, size=(n, 1, n_in)).astype(np.float64) / 255


# Predict -------------------------------------------------------------------


def test_predict_equals_backend_run():
    net, probes = sine_net()
    with spikeworks.Simulator(net) as ref:
        ref.run_steps(300)
    with spikeworks.Simulator(net, minibatch_size=3) as sim:
        out = sim.predict(n_steps=300)
    for p in probes:
        assert out[p].shape == (3, 300, p.size_in)
        for row in out[p]:
            assert np.allclose(row, ref.data[p], atol=ROUNDOFF, rtol=0)


def test_predict_data_equals_node_output():
    """Each minibatch row fed its own data runs as the network with that
    data as the Node's output."""
    values = np.array([[0.3], [-0.6]])
    outs = []
    for v in values:
        with nengo.Network(seed=4) as net:
            a = nengo.Node(v, label="a")
            e = nengo.Ensemble(20, 1)
            nengo.Connection(a, e)
            p = nengo.Probe(e, synapse=0.02)
        with spikeworks.Simulator(net) as ref:
            ref.run_steps(100)
        outs.append(np.array(ref.data[p]))
    with spikeworks.Simulator(net, minibatch_size=2) as sim:
        x = np.broadcast_to(values[:, None, :], (2, 100, 1))
        out = sim.predict({a: x})
        single = sim.predict(x)  # one array for the one input Node
    for row, ref_row in zip(out[p], outs):
        assert np.allclose(row, ref_row, atol=ROUNDOFF, rtol=0)
    assert np.array_equal(single[p], out[p])


def test_data_shapes_follow_minibatch_size():
    net, probes = sine_net()
    with spikeworks.Simulator(net) as sim:
        sim.run_steps(5)
        assert sim.data[probes[1]].shape == (5, 10)
        assert sim.predict(n_steps=5)[probes[1]].shape == (1, 5, 10)
    with spikeworks.Simulator(net, minibatch_size=4) as sim:
        sim.run_steps(5)
        assert sim.data[probes[1]].shape == (4, 5, 10)
        assert sim.predict_on_batch(n_steps=7)[probes[1]].shape == (4, 7, 10)


def test_predict_python_node_runs_in_the_batched_build():
    """A node whose output is a Python function of its input predicts
    (its function called by the engine's batched build, per row as
    NengoDL calls a Node's function): the tutorial's t + x over 10 steps."""
    with nengo.Network() as net:
        a = nengo.Node([0.5, -0.1])
        b = nengo.Node(lambda t, x: t + x, size_in=2)
        nengo.Connection(a, b, synapse=None)
        p = nengo.Probe(b)
    with spikeworks.Simulator(net) as sim:
        out = sim.predict(n_steps=10)
        again = sim.predict(n_steps=10)
    t = 0.001 * np.arange(1, 11)
    assert out[p].shape == (1, 10, 2)
    assert np.allclose(out[p][0], np.stack([0.5 + t, -0.1 + t], axis=1), atol=1e-12)
    assert np.array_equal(out[p], again[p])


# Training ------------------------------------------------------------------


def _write_idx(directory, split, data):
    n = len(data)
    pixels = np.round(data.reshape(n, 784) * 255).astype(np.uint8)
    with gzip.open(os.path.join(directory, f"{split}-images-idx3-ubyte.gz"), "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, 28, 28) + pixels.tobytes())
    with gzip.open(os.path.join(directory, f"{split}-labels-idx1-ubyte.gz"), "wb") as f:
        f.write(struct.pack(">II", 2049, n) + bytes(n))


def test_fit_reduces_loss_and_matches_cli(tmp_path):
    """Python's fit and `spikeworks-cli fit` of the same model on the
    same images (as IDX files), seed, minibatch and optimizer: the same
    losses, epoch by epoch."""
    train = np.round(images(200) * 255) / 255 * 255  # the CLI reads raw 0–255 pixels
    test = np.round(images(50, seed=2) * 255) / 255 * 255
    _write_idx(tmp_path, "train", train / 255)
    _write_idx(tmp_path, "t10k", test / 255)
    net, a, p = autoencoder()
    with spikeworks.Simulator(net, minibatch_size=50, seed=5) as sim:
        (tmp_path / "auto.json").write_text(spikeworks.to_model(sim))
        sim.compile(optimizer=spikeworks.optimizers.RMSprop(1e-3), loss=spikeworks.losses.mse)
        before = sim.evaluate(train, train, verbose=0)["loss"]
        history = sim.fit(train, train, epochs=3)
        after = sim.evaluate(train, train, verbose=0)["loss"]
    losses = history.history["loss"]
    assert len(losses) == 3 and losses[2] < losses[0] and after < 0.7 * before
    cli = subprocess.run(
        [os.environ["SPIKEWORKS_CLI"], "fit", str(tmp_path / "auto.json"), "--data",
         "fashion-mnist", "--data-dir", str(tmp_path), "--input", "input", "--probe", "p_c",
         "--epochs", "3", "--batch", "50", "--optimizer", "rmsprop", "--lr", "0.001",
         "--seed", "5", "--out", str(tmp_path / "trained.spkw")],
        capture_output=True, text=True, check=True,
    )
    cli_losses = [float(v) for v in re.findall(r"- loss: (\S+)", cli.stdout)]
    assert np.allclose(losses, cli_losses, rtol=1e-5, atol=0), (losses, cli.stdout)


def test_fit_prints_keras_lines_and_validation(capsys):
    net, a, p = autoencoder(n_in=20, n_hidden=8)
    x = images(100, n_in=20)
    seen = []

    class Recorder:
        def on_epoch_end(self, epoch, logs):
            seen.append((epoch, dict(logs)))

    with spikeworks.Simulator(net, minibatch_size=10, progress_bar=False) as sim:
        sim.compile(optimizer="adam", loss="mse")
        h = sim.fit({a: x}, {p: x}, epochs=2, validation_data=({a: x[:20]}, {p: x[:20]}),
                    callbacks=[Recorder()])
        val = sim.evaluate({a: x[:20]}, {p: x[:20]}, verbose=0)["loss"]
    lines = [l for l in capsys.readouterr().out.splitlines() if l.strip()]
    assert lines[0] == "Epoch 1/2"
    assert re.fullmatch(r"10/10 \[=+\] - \d+s \d+(ms|us)/step - loss: [0-9.]+ - val_loss: [0-9.]+",
                        lines[1]), lines[1]
    assert set(h.history) == {"loss", "val_loss"} and h.epoch == [0, 1]
    assert [e for e, _ in seen] == [0, 1] and seen[1][1]["loss"] == h.history["loss"][1]
    # The last epoch's val_loss is the rate network's loss on that data;
    # evaluate runs the same (rate) network.
    assert np.isclose(h.history["val_loss"][1], val, rtol=1e-4)


def test_fit_stops_when_a_callback_says_so():
    net, a, p = autoencoder(n_in=20, n_hidden=8)
    x = images(40, n_in=20)

    class Stop:
        def on_epoch_end(self, epoch, logs):
            self.model.stop_training = True

    with spikeworks.Simulator(net, minibatch_size=10) as sim:
        sim.compile(optimizer="sgd", loss="mse")
        h = sim.fit(x, x, epochs=5, callbacks=[Stop()], verbose=0)
    assert h.epoch == [0]


def test_spiking_lif_network_trains_through_rates():
    with nengo.Network(seed=3) as net:
        a = nengo.Node([0.0], label="x")
        e = nengo.Ensemble(50, 1)
        nengo.Connection(a, e, synapse=None)
        out = nengo.Node(size_in=1)
        nengo.Connection(e, out, function=lambda v: 0.0, synapse=None)
        p = nengo.Probe(out)
    x = np.linspace(-1, 1, 40)[:, None, None]
    y = x ** 2
    with spikeworks.Simulator(net, minibatch_size=8) as sim:
        sim.compile(optimizer=spikeworks.optimizers.Adam(0.01), loss=spikeworks.losses.mse)
        h = sim.fit({a: x}, {p: y}, epochs=20, verbose=0)
    assert h.history["loss"][-1] < 0.2 * h.history["loss"][0]


def test_sparse_categorical_from_logits_and_accuracy():
    rng = np.random.RandomState(0)
    x = rng.randn(60, 1, 4)
    labels = (x[:, :, 0] > 0).astype(np.float64)[:, :, None]
    with nengo.Network(seed=1) as net:
        a = nengo.Node(np.zeros(4))
        out = nengo.Node(size_in=2)
        nengo.Connection(a, out, transform=np.zeros((2, 4)), synapse=None)
        p = nengo.Probe(out)
    loss = spikeworks.losses.SparseCategoricalCrossentropy(from_logits=True)
    with spikeworks.Simulator(net, minibatch_size=10) as sim:
        sim.compile(optimizer=spikeworks.optimizers.SGD(0.5), loss=loss, metrics=["accuracy"])
        start = sim.evaluate(x, labels, verbose=0)
        h = sim.fit(x, labels, epochs=10, verbose=0)
        end = sim.evaluate(x, labels, verbose=0)
    assert np.isclose(start["loss"], np.log(2), rtol=1e-12)  # zero logits: ln 2
    assert end["accuracy"] > 0.95 and end["loss"] < 0.3
    assert "accuracy" in h.history and h.history["accuracy"][-1] > 0.9


def test_losses_and_optimizers_by_name_and_object():
    y, t = np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[1.0, 0.0], [0.5, 0.5]])
    assert np.allclose(spikeworks.losses.mse(t, y), [2.0, 0.25])
    logits = np.array([[2.0, 0.0, -1.0]])
    ce = np.log(np.exp(logits).sum()) - 2.0
    assert np.isclose(spikeworks.losses.sparse_categorical_crossentropy([0], logits, from_logits=True), ce)
    probs = np.array([[0.7, 0.2, 0.1]])
    assert np.isclose(spikeworks.losses.sparse_categorical_crossentropy([1], probs), -np.log(0.2))
    assert spikeworks.optimizers.get("adam").engine_args()[:2] == ("adam", 0.001)
    assert spikeworks.optimizers.RMSprop(1e-3).engine_args()[1] == 1e-3
    assert spikeworks.optimizers.SGD().learning_rate == 0.01
    with pytest.raises(ValidationError, match=r"must be in \[0, 1\) \(got 1.5\)"):
        spikeworks.optimizers.RMSprop(momentum=1.5)
    with pytest.raises(ValidationError, match="unknown optimizer 'adagrad'"):
        spikeworks.optimizers.get("adagrad")
    with pytest.raises(ValidationError, match="unknown loss 'hinge'"):
        spikeworks.losses.get("hinge")


# Parameters -----------------------------------------------------------------


def _trained(tmp_path):
    net, a, p = autoencoder(n_in=20, n_hidden=8)
    x = images(40, n_in=20)
    sim = spikeworks.Simulator(net, minibatch_size=10)
    sim.compile(optimizer="rmsprop", loss="mse")
    sim.fit(x, x, epochs=3, verbose=0)
    return net, a, p, x, sim


def test_save_and_load_params(tmp_path):
    net, a, p, x, sim = _trained(tmp_path)
    with sim:
        trained = sim.predict(x)[p]
        sim.save_params(tmp_path / "params")
    with spikeworks.Simulator(net, minibatch_size=10) as fresh:
        untrained = fresh.predict(x)[p]
        fresh.load_params(tmp_path / "params")
        loaded = fresh.predict(x)[p]
    assert not np.allclose(untrained, trained)
    assert np.allclose(loaded, trained, atol=ROUNDOFF, rtol=0)
    other, _, _ = autoencoder(n_in=20, n_hidden=9)
    with spikeworks.Simulator(other) as wrong:
        with pytest.raises(Exception, match="has shape"):
            wrong.load_params(tmp_path / "params")


def test_run_steps_and_freeze_params_use_trained_values(tmp_path):
    net, a, p, x, sim = _trained(tmp_path)
    with sim:
        trained = sim.predict(x[:10])[p]
        sim.freeze_params(net)
        params = sim.get_nengo_params([net.all_connections[0], net.all_ensembles[0]])
    assert set(params[1]) == {"encoders", "normalize_encoders", "gain", "bias", "max_rates",
                              "intercepts"}
    assert np.array_equal(params[0]["transform"], net.all_connections[0].transform.init)
    # The frozen network in Nengo's own simulator, fed the data as its Node output.
    for k in range(3):
        net.all_nodes[0].output = x[k, 0]
        with nengo.Simulator(net, progress_bar=False) as ref:
            ref.run_steps(1)
        assert np.allclose(ref.data[p][0], trained[k, 0], atol=1e-6, rtol=0)


def test_run_steps_after_fit_equals_predict(tmp_path):
    net, a, p, x, sim = _trained(tmp_path)
    with sim:
        trained = sim.predict(n_steps=1)[p]
        sim.run_steps(1)
        assert np.allclose(sim.data[p][0], trained[0], atol=1e-6, rtol=0)


# Bad input --------------------------------------------------------------------


@pytest.fixture
def compiled():
    net, a, p = autoencoder(n_in=6, n_hidden=4)
    with spikeworks.Simulator(net, minibatch_size=2) as sim:
        sim.compile(optimizer="sgd", loss="mse")
        yield sim, a, p


def test_data_of_the_wrong_shape(compiled):
    sim, a, p = compiled
    with pytest.raises(ValidationError, match=r"should have rank 3 \(batch_size, n_steps, 6\), found rank 2"):
        sim.predict({a: np.zeros((2, 6))})
    with pytest.raises(ValidationError, match=r"has 5 values per step, expected 6"):
        sim.predict({a: np.zeros((2, 1, 5))})
    with pytest.raises(ValidationError, match=r"has 3 steps, expected 1"):
        sim.predict({a: np.zeros((2, 3, 6))}, n_steps=1)
    with pytest.raises(ValidationError, match=r"batch size of data \(1\) is less than the Simulator's minibatch_size \(2\)"):
        sim.predict({a: np.zeros((1, 1, 6))})
    with pytest.raises(ValidationError, match=r"targets for Probe 'p_c' have 4 steps, expected 1 or 1"):
        sim.fit({a: np.zeros((2, 1, 6))}, {p: np.zeros((2, 4, 6))}, verbose=0)
    with pytest.raises(ValidationError, match=r"targets have batch size 4, but the input data 2"):
        sim.fit({a: np.zeros((2, 1, 6))}, {p: np.zeros((4, 1, 6))}, verbose=0)
    with pytest.raises(ValidationError, match="predict_on_batch takes one minibatch"):
        sim.predict_on_batch({a: np.zeros((4, 1, 6))})
    with pytest.raises(ValidationError, match="Must specify either input data or n_steps"):
        sim.predict()


def test_data_keyed_by_an_object_not_in_the_network(compiled):
    sim, a, p = compiled
    with nengo.Network():
        stranger = nengo.Node([0.0], label="stranger")
        stranger_probe = nengo.Probe(stranger, label="elsewhere")
    with pytest.raises(ValidationError, match=r"Node 'stranger' is not an input Node .* the input Nodes are: Node 'input'"):
        sim.predict({stranger: np.zeros((2, 1, 1))})
    with pytest.raises(ValidationError, match=r"Probe 'p_c' is a Probe, not an input Node"):
        sim.predict({p: np.zeros((2, 1, 6))})
    with pytest.raises(ValidationError, match=r"Probe 'elsewhere' is not a Probe of this network; the Probes are: Probe 'p_c'"):
        sim.fit({a: np.zeros((2, 1, 6))}, {stranger_probe: np.zeros((2, 1, 1))}, verbose=0)


def test_fit_before_compile():
    net, a, p = autoencoder(n_in=6, n_hidden=4)
    with spikeworks.Simulator(net, minibatch_size=2) as sim:
        with pytest.raises(ValidationError, match=r"fit before compile: call sim.compile\(optimizer=..., loss=...\) first"):
            sim.fit(np.zeros((2, 1, 6)), np.zeros((2, 1, 6)))
        with pytest.raises(ValidationError, match=r"evaluate before compile"):
            sim.evaluate(np.zeros((2, 1, 6)), np.zeros((2, 1, 6)))


def test_loss_on_a_probe_that_does_not_exist():
    net, a, p = autoencoder(n_in=6, n_hidden=4)
    with nengo.Network():
        ghost = nengo.Probe(nengo.Node([0.0]), label="ghost")
    with spikeworks.Simulator(net, minibatch_size=2) as sim:
        with pytest.raises(ValidationError, match=r"Probe 'ghost' is not a Probe of this network; the Probes are: Probe 'p_c'"):
            sim.compile(optimizer="sgd", loss={ghost: "mse"})


def test_settings_the_simulator_reads():
    """configure_settings: dtype builds in that precision, inference_only
    refuses fit (as NengoDL)."""
    with nengo.Network(seed=1) as net:
        spikeworks.configure_settings(dtype="float32")
        a = nengo.Node([0.5])
        e = nengo.Ensemble(10, 1)
        nengo.Connection(a, e)
        p = nengo.Probe(e, synapse=0.01)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        assert sim.signals[sim.model.time].dtype == np.float32
        assert sim.predict(n_steps=20)[p].shape == (1, 20, 1)
    with nengo.Network() as other:
        spikeworks.configure_settings(inference_only=True)
        a = nengo.Node([0.5])
        nengo.Probe(a)
    with spikeworks.Simulator(other, minibatch_size=2) as sim:
        sim.compile(optimizer="sgd", loss="mse")
        with pytest.raises(nengo.exceptions.SimulationError, match="inference_only=True, cannot be run in training mode"):
            sim.fit(np.zeros((2, 1, 1)), np.zeros((2, 1, 1)))
