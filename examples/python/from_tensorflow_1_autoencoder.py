# SPDX-License-Identifier: GPL-3.0-or-later
# NengoDL's tutorial "Coming from TensorFlow to NengoDL", on Spikeworks:
# "What is Nengo" and "Simulating a network" (the Nengo cells).  The
# tutorial's code with nengo_dl replaced by spikeworks (docs/python.md).

import warnings

import matplotlib.pyplot as plt
import nengo
from nengo.utils.matplotlib import rasterplot
import numpy as np

import spikeworks


warnings.simplefilter("ignore")

n_in = 784
n_hidden = 64
minibatch_size = 50

with nengo.Network() as auto_net:
    # input
    nengo_a = nengo.Node(np.zeros(n_in))

    # first layer
    nengo_b = nengo.Ensemble(n_hidden, 1, neuron_type=nengo.RectifiedLinear())
    nengo.Connection(nengo_a, nengo_b.neurons, transform=spikeworks.dists.Glorot())

    # second layer
    nengo_c = nengo.Ensemble(n_in, 1, neuron_type=nengo.RectifiedLinear())
    nengo.Connection(
        nengo_b.neurons, nengo_c.neurons, transform=spikeworks.dists.Glorot()
    )

    # probes are used to collect data from the network
    p_c = nengo.Probe(nengo_c.neurons)

with spikeworks.Simulator(network=auto_net, minibatch_size=minibatch_size) as sim:
    out = sim.predict(np.ones((minibatch_size, 1, n_in)))
    print(out[p_c].shape)
