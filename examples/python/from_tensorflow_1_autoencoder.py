# SPDX-License-Identifier: GPL-3.0-or-later
# NengoDL's tutorial "Coming from TensorFlow to NengoDL", on Spikeworks:
# "What is Nengo" and "Simulating a network".  The tutorial's code with
# nengo_dl replaced by spikeworks and tf.keras.layers by spikeworks.layers;
# its Keras cells run the layers directly on the data, as Keras layers run
# eagerly (no tf.keras.Model here; docs/python.md lists every change).

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

# input
tf_a = np.ones((minibatch_size, n_in))

# first layer
tf_b = spikeworks.layers.Dense(
    n_hidden, activation="relu", kernel_initializer="glorot_uniform"
)(tf_a)

# second layer
tf_c = spikeworks.layers.Dense(
    n_in, activation="relu", kernel_initializer="glorot_uniform"
)(tf_b)

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

out = tf_c
print(out.shape)

with spikeworks.Simulator(network=auto_net, minibatch_size=minibatch_size) as sim:
    out = sim.predict(np.ones((minibatch_size, 1, n_in)))
    print(out[p_c].shape)
