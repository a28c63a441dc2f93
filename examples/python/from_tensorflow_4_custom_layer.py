# SPDX-License-Identifier: GPL-3.0-or-later
# NengoDL's tutorial "Coming from TensorFlow to NengoDL", on Spikeworks:
# a TensorNode with a custom layer that has a weight of its own.
# The tutorial's cells as written, with nengo_dl replaced by spikeworks,
# tensorflow by spikeworks.tf and tf.keras.layers by spikeworks.layers
# (docs/python.md lists the few other changes).

import warnings

import matplotlib.pyplot as plt
import nengo
from nengo.utils.matplotlib import rasterplot
import numpy as np
import spikeworks.tf as tf

import spikeworks


warnings.simplefilter("ignore")
tf.get_logger().addFilter(lambda rec: "Tracing is expensive" not in rec.msg)

with nengo.Network() as net:

    class MyLayer(spikeworks.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(1, 1))

        def call(self, inputs):
            return inputs * self.w

    a = spikeworks.TensorNode(MyLayer(), shape_in=(1,), pass_time=False)
