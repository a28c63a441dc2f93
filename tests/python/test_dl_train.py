# SPDX-License-Identifier: GPL-3.0-or-later
"""Simulator.fit's hand-over to the engine and what NengoDL/Keras accept
beyond the basics.

The hand-over: big transform matrices go to the engine as arrays (not as
model text), so predict must still equal Nengo's own run of the network
to float64 round-off (1e-9), gains other than 1 included; a second fit
with the same compile goes on with the same optimizer state, as Keras's
does, so two one-epoch fits equal one two-epoch fit (same float32
arithmetic: 1e-6 relative).
"""

import numpy as np
import pytest

import nengo
from nengo.exceptions import ValidationError

import spikeworks

ROUNDOFF = 1e-9
nengo.rc.set("decoder_cache", "enabled", "False")


def dense_net(n_in=12, n_hidden=9, n_out=3, seed=0):
    """Input Node → hidden neurons (matrix, gains ≠ 1) → output Node."""
    rng = np.random.RandomState(seed)
    with nengo.Network(seed=seed) as net:
        a = nengo.Node(np.zeros(n_in), label="x")
        h = nengo.Ensemble(n_hidden, 1, neuron_type=nengo.RectifiedLinear(), label="h",
                           gain=nengo.dists.Uniform(0.5, 2.0), bias=nengo.dists.Uniform(-0.1, 0.1))
        nengo.Connection(a, h.neurons, transform=rng.uniform(-0.5, 0.5, (n_hidden, n_in)),
                         synapse=None)
        out = nengo.Node(size_in=n_out, label="out")
        nengo.Connection(h.neurons, out, transform=rng.uniform(-0.5, 0.5, (n_out, n_hidden)),
                         synapse=None)
        p = nengo.Probe(out, label="p")
    return net, a, p


def test_matrices_handed_over_predict_as_nengo():
    net, a, p = dense_net()
    x = np.random.RandomState(3).uniform(-1, 1, (4, 1, 12))
    with spikeworks.Simulator(net, minibatch_size=4) as sim:
        out = sim.predict({a: x})[p]
    for k in range(4):
        a.output = x[k, 0]
        with nengo.Simulator(net, progress_bar=False) as ref:
            ref.run_steps(1)
        assert np.allclose(out[k], ref.data[p], atol=ROUNDOFF, rtol=0)
    a.output = np.zeros(12)


def test_second_fit_goes_on_with_the_optimizer_state():
    x = np.random.RandomState(1).uniform(-1, 1, (40, 1, 12))
    y = np.random.RandomState(2).uniform(-1, 1, (40, 1, 3))
    losses = []
    for split in (False, True):
        net, a, p = dense_net()
        with spikeworks.Simulator(net, minibatch_size=10) as sim:
            sim.compile(optimizer=spikeworks.optimizers.Adam(0.01), loss="mse")
            if split:
                h = [sim.fit(x, y, epochs=1, shuffle=False, verbose=0).history["loss"][0]
                     for _ in range(2)]
            else:
                h = sim.fit(x, y, epochs=2, shuffle=False, verbose=0).history["loss"]
        losses.append(h)
    assert np.allclose(losses[0], losses[1], rtol=1e-6, atol=0), losses
