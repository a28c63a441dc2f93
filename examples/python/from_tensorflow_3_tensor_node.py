# SPDX-License-Identifier: GPL-3.0-or-later
# NengoDL's tutorial "Coming from TensorFlow to NengoDL", on Spikeworks:
# a TensorNode's input and output.  nengo_dl is replaced by spikeworks;
# the node's function is numpy code where the tutorial's is TensorFlow
# code (print for tf.print, np.add for tf.add: docs/python.md).

import warnings

import matplotlib.pyplot as plt
import nengo
from nengo.utils.matplotlib import rasterplot
import numpy as np

import spikeworks


warnings.simplefilter("ignore")

with nengo.Network() as net:
    # node to provide an input value for the TensorNode
    a = nengo.Node([0.5, -0.1])

    # a TensorNode function to illustrate i/o
    def tensor_func(t, x):
        # print out the value of inputs t and x
        print("t:", t)
        print("x:", x)

        # output t + x
        return np.add(t, x)

    # create the TensorNode
    b = spikeworks.TensorNode(tensor_func, shape_in=(2,), shape_out=(2,))
    nengo.Connection(a, b, synapse=None)

    p = nengo.Probe(b)

with spikeworks.Simulator(net) as sim:
    print("TensorNode input:")
    data = sim.predict(n_steps=10)
    print("TensorNode output:")
    print(data[p])
