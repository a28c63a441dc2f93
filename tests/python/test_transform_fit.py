# SPDX-License-Identifier: GPL-3.0-or-later
"""Simulator.fit through connections with Nengo's structured transforms.

A Convolution into ReLU neurons, a Sparse transform out of them and a
ConvolutionTranspose beside: the engine trains the kernels and the Sparse
entries (docs/training.md, "Transforms"), the loss falls, the Sparse
transform keeps its pattern, and the trained values come back into
Nengo's signals, so that a run after fit gives what predict gives.
"""

import json
import os
import subprocess

import numpy as np

import nengo

import spikeworks

nengo.rc.set("decoder_cache", "enabled", "False")


def structured_net(seed=0):
    rng = np.random.RandomState(seed)
    with nengo.Network(seed=seed) as net:
        x = nengo.Node(np.zeros(32), label="x")   # a 4 × 4 × 2 image
        h = nengo.Ensemble(48, 1, neuron_type=nengo.RectifiedLinear(), label="h",
                           gain=np.ones(48), bias=np.full(48, 0.1))
        conv = nengo.Convolution(3, (4, 4, 2), padding="same", init=rng.uniform(-0.3, 0.3, (3, 3, 2, 3)))
        nengo.Connection(x, h.neurons, transform=conv, synapse=None, label="conv")
        entries = rng.uniform(-0.3, 0.3, 12)
        sparse = nengo.Sparse((4, 48), indices=rng.randint(0, 48, (12, 2)) % [4, 48], init=entries)
        out = nengo.Node(size_in=4, label="out")
        nengo.Connection(h.neurons, out, transform=sparse, synapse=None, label="sparse")
        up = nengo.Node(size_in=9 * 9 * 1, label="up")
        convt = nengo.ConvolutionTranspose(1, (4, 4, 2), strides=(2, 2), init=rng.uniform(-0.3, 0.3, (3, 3, 2, 1)))
        nengo.Connection(x, up, transform=convt, synapse=None, label="convt")
        p = nengo.Probe(out, label="p")
        q = nengo.Probe(up, label="q")
    net.entries = entries
    return net, x, p, q


def test_fit_trains_kernels_and_entries(tmp_path):
    net, x, p, q = structured_net()
    rng = np.random.RandomState(1)
    data = rng.uniform(-1, 1, (32, 1, 32))
    targets = {p: rng.uniform(-1, 1, (32, 1, 4)), q: rng.uniform(-0.5, 0.5, (32, 1, 81))}
    with spikeworks.Simulator(net, minibatch_size=8) as sim:
        sim.compile(optimizer=spikeworks.optimizers.Adam(0.02), loss="mse")
        before = sim.evaluate({x: data}, targets, verbose=0)["loss"]
        history = sim.fit({x: data}, targets, epochs=30, verbose=0).history["loss"]
        after = sim.evaluate({x: data}, targets, verbose=0)["loss"]
        predicted = sim.predict({x: np.zeros((8, 1, 32))})[p]
        sim.save_params(tmp_path / "trained")
        sim.run_steps(1)
        run = sim.data[p][0]
    assert after < 0.7 * before, (before, history, after)
    with np.load(tmp_path / "trained.npz") as saved:
        params = {k: saved[k] for k in saved.files}
    # The kernels and the Sparse entries (12 of them: the pattern) trained.
    conns = {c.label: c for c in net.all_connections}
    assert params["conv/weights"].size == 3 * 3 * 2 * 3
    assert not np.allclose(params["conv/weights"].ravel(), conns["conv"].transform.init.ravel())
    assert params["convt/weights"].size == 3 * 3 * 2 * 1
    assert not np.allclose(params["convt/weights"].ravel(), conns["convt"].transform.init.ravel())
    assert params["sparse/weights"].shape == (12,)
    assert not np.allclose(params["sparse/weights"], net.entries)
    # A run after fit (the Node's zeros in) uses the trained values, as predict does.
    assert np.allclose(run, predicted[0, 0], atol=1e-6, rtol=0), (run, predicted[0, 0])


def test_structured_transforms_export_and_run_as_nengo(tmp_path):
    """to_model writes the transforms as the model format's objects (the
    kernels and entries Nengo built); the command line runs the saved
    session as Nengo's simulator runs the network (float64 round-off)."""
    rng = np.random.RandomState(2)
    with nengo.Network(seed=2) as net:
        stim = nengo.Node(np.sin(np.arange(48) * 0.3 + 0.7), label="stim")
        transforms = [
            nengo.Convolution(4, (2, 4, 6), channels_last=False, groups=2, init=rng.uniform(-1, 1, (3, 3, 1, 4))),
            nengo.Convolution(2, (8, 6), kernel_size=(3,), strides=(2,), init=nengo.dists.Uniform(-1, 1)),
            nengo.ConvolutionTranspose(2, (4, 6, 2), output_shape=(8, 12, 2), kernel_size=(3, 3),
                                       strides=(2, 2), padding="same", init=rng.uniform(-1, 1, (3, 3, 2, 2))),
            nengo.Sparse((5, 48), indices=[[0, 1], [4, 47], [2, 2], [0, 1]], init=[0.5, -1.0, 2.0, 0.25]),
        ]
        probes = []
        for k, tr in enumerate(transforms):
            out = nengo.Node(size_in=tr.size_out, label=f"out{k}")
            nengo.Connection(stim, out, transform=tr, synapse=0.005, label=f"c{k}")
            probes.append(nengo.Probe(out, label=f"p{k}"))
    with nengo.Simulator(net, progress_bar=False) as ref:
        ref.run(0.02)
    model = json.loads(spikeworks.to_model(net))
    kinds = [o["transform"]["type"] for o in model["objects"] if o["type"] == "connection"]
    assert kinds == ["Convolution", "Convolution", "ConvolutionTranspose", "Sparse"]
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        spikeworks.save_session(sim, tmp_path / "t.spkw")
    subprocess.run([os.environ["SPIKEWORKS_CLI"], "run", str(tmp_path / "t.spkw"), "--steps", "20",
                    "--out-dir", str(tmp_path)], check=True, capture_output=True)
    for k, probe in enumerate(probes):
        ours = np.loadtxt(tmp_path / f"p{k}.csv", delimiter=",", skiprows=1, ndmin=2)[:, 1:]
        want = ref.data[probe]
        assert np.allclose(ours, want, atol=1e-9 * np.abs(want).max(), rtol=0), k
