# SPDX-License-Identifier: GPL-3.0-or-later
"""Trains a small network with spikeworks.Simulator.fit (the tutorial's
steps: gains 1, biases 0, no synapses, RMSprop and mean squared error)
and saves the session: `fit_and_save_session.py OUT.spkw`.  Prints what
the workbench must show, one line each: the loss per epoch, then the key
and the row-major values of the trained weights (the window-python-session
test opens the session and compares)."""

import sys
import warnings

import numpy as np

import nengo

import spikeworks

warnings.simplefilter("ignore")
path = sys.argv[1]
with nengo.Network(seed=0, label="python-fit") as net:
    a = nengo.Node(np.zeros(4), label="a")
    b = nengo.Ensemble(6, 1, neuron_type=nengo.RectifiedLinear(), label="b",
                       gain=nengo.dists.Choice([1]), bias=nengo.dists.Choice([0]))
    conn = nengo.Connection(a, b.neurons, transform=spikeworks.dists.Glorot(), synapse=None,
                            label="w")
    p = nengo.Probe(b.neurons, label="p")
x = np.random.RandomState(1).uniform(0, 1, (40, 1, 4))
y = np.repeat(x[..., :3], 2, axis=-1)
with spikeworks.Simulator(net, minibatch_size=10, progress_bar=False) as sim:
    sim.compile(optimizer=spikeworks.optimizers.RMSprop(1e-2), loss=spikeworks.losses.mse)
    history = sim.fit(x, y, epochs=2, verbose=0)
    weights = np.asarray(sim.get_nengo_params(conn)["transform"])
    spikeworks.save_session(sim, path)
print(" ".join(repr(float(v)) for v in history.history["loss"]))
print("w/weights " + " ".join(repr(float(v)) for v in np.ravel(weights)))
