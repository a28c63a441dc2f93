# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the Nengo reference numbers of the learning-rule tests.

Each case is a fully specified network (rectified-linear neurons with
given gains, biases and encoders, transforms instead of solved decoders,
so nothing is sampled), written twice: as a Spikeworks model and as the
same network in Nengo.  Nengo's reference simulator runs it in float64 and
its probe data is stored beside the model in <case>.json, which
tests/test-learning.c loads, runs and compares.  The numbers are committed;
the tests do not need Nengo.  Run from the repository root with Nengo 4.1.0
on the path (vendor/nengo):

    PYTHONPATH=vendor/nengo python3 tests/data/learning/make-reference.py
"""
import os
import sys

import numpy as np
import nengo

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import nengo_reference  # noqa: E402  (beside this folder)

DT = 0.001
STEPS = 200
VERSION = 2
HERE = os.path.dirname(os.path.abspath(__file__))


def relu_ensemble(label, gain, bias, encoders):
    """The same ensemble in both worlds."""
    n, d = np.asarray(encoders).shape
    model = {"type": "ensemble", "label": label, "n_neurons": n, "dimensions": d,
             "neuron_type": "RectifiedLinear", "gain": list(gain), "bias": list(bias),
             "encoders": [list(e) for e in encoders], "normalize_encoders": False}
    ens = nengo.Ensemble(n, d, neuron_type=nengo.RectifiedLinear(), gain=gain, bias=bias,
                         encoders=encoders, normalize_encoders=False, label=label)
    return model, ens


def voja():
    """Voja on stim (2-D) → post, with a learning signal that turns
    learning down and back up, probed: the scaled encoders, delta, the
    post's filtered activities and its neuron output."""
    objects = []
    with nengo.Network(seed=0) as net:
        stim = nengo.Node(lambda t: [np.sin(2 * np.pi * 3 * t), np.cos(2 * np.pi * 2 * t)])
        objects.append({"type": "node", "label": "stim", "output": "[sin(2*pi*3*t), cos(2*pi*2*t)]"})
        gate = nengo.Node(lambda t: -0.5 * np.sin(2 * np.pi * 5 * t))
        objects.append({"type": "node", "label": "gate", "output": "-0.5*sin(2*pi*5*t)"})
        m, post = relu_ensemble("post", [30, 50, 40, 20, 60], [5, -10, 20, 3, 0],
                                [[0.6, 0.8], [-1, 0], [0, 1], [-0.8, -0.6], [0.28, -0.96]])
        post.radius = 2.0
        m["radius"] = 2.0
        objects.append(m)
        c = nengo.Connection(stim, post, synapse=0.005,
                             learning_rule_type=nengo.Voja(learning_rate=0.5, post_synapse=0.01))
        objects.append({"type": "connection", "label": "c", "pre": "stim", "post": "post", "synapse": 0.005,
                        "learning_rule_type": {"type": "Voja", "learning_rate": 0.5, "post_synapse": 0.01}})
        nengo.Connection(gate, c.learning_rule, synapse=None)
        objects.append({"type": "connection", "pre": "gate", "post": "c.learning_rule", "synapse": None})
        probes = {
            "scaled_encoders": nengo.Probe(c.learning_rule, "scaled_encoders"),
            "delta": nengo.Probe(c.learning_rule, "delta"),
            "post_filtered": nengo.Probe(c.learning_rule, "post_filtered"),
            "output": nengo.Probe(post.neurons, "output"),
            "ens_scaled_encoders": nengo.Probe(post, "scaled_encoders"),
        }
        objects += [
            {"type": "probe", "label": "scaled_encoders", "target": "c", "attr": "scaled_encoders"},
            {"type": "probe", "label": "delta", "target": "c", "attr": "delta"},
            {"type": "probe", "label": "post_filtered", "target": "c", "attr": "post_filtered"},
            {"type": "probe", "label": "output", "target": "post.neurons", "attr": "output"},
            {"type": "probe", "label": "ens_scaled_encoders", "target": "post", "attr": "scaled_encoders"},
        ]
    return net, objects, probes


def rls():
    """RLS on pre.neurons → post (decoded, 2-D), the error being post's
    decoded input minus a target; probed: the weights, delta, P and the
    post's neuron output."""
    objects = []
    with nengo.Network(seed=0) as net:
        stim = nengo.Node(lambda t: np.sin(2 * np.pi * t))
        objects.append({"type": "node", "label": "stim", "output": "sin(2*pi*t)"})
        m, pre = relu_ensemble("pre", [30, 50, 40, 20, 35, 45], [5, -10, 20, 3, 1, -4],
                               [[1], [-1], [1], [-1], [1], [-1]])
        objects.append(m)
        m, post = relu_ensemble("post", [2.5, 3.5, 4.5, 1.5], [40, 80, 20, 10],
                                [[1, 0], [0, 1], [-1, 0], [0, -1]])
        objects.append(m)
        err = nengo.Node(size_in=2)
        objects.append({"type": "node", "label": "err", "size_in": 2})
        nengo.Connection(stim, pre, synapse=None)
        objects.append({"type": "connection", "pre": "stim", "post": "pre", "synapse": None})
        T = np.array([[.01, -.02, .03, .005, -.01, .02], [.015, -.03, .02, .01, -.005, .025]])
        c = nengo.Connection(pre.neurons, post, transform=T, synapse=0.005,
                             learning_rule_type=nengo.RLS(learning_rate=2.0, pre_synapse=0.01))
        objects.append({"type": "connection", "label": "c", "pre": "pre.neurons", "post": "post", "synapse": 0.005,
                        "transform": T.tolist(),
                        "learning_rule_type": {"type": "RLS", "learning_rate": 2.0, "pre_synapse": 0.01}})
        D = np.array([[.004, 0, -.004, 0], [0, .003, 0, -.003]])
        nengo.Connection(post.neurons, err, transform=D, synapse=None)
        objects.append({"type": "connection", "pre": "post.neurons", "post": "err", "transform": D.tolist(),
                        "synapse": None})
        nengo.Connection(stim, err, transform=[[-1], [0.5]], synapse=None)
        objects.append({"type": "connection", "pre": "stim", "post": "err", "transform": [[-1], [0.5]],
                        "synapse": None})
        nengo.Connection(err, c.learning_rule, synapse=0.005)
        objects.append({"type": "connection", "pre": "err", "post": "c.learning_rule", "synapse": 0.005})
        probes = {
            "weights": nengo.Probe(c, "weights"),
            "delta": nengo.Probe(c.learning_rule, "delta"),
            "inv_gamma": nengo.Probe(c.learning_rule, "inv_gamma"),
            "output": nengo.Probe(post.neurons, "output"),
        }
        objects += [
            {"type": "probe", "label": "weights", "target": "c", "attr": "weights"},
            {"type": "probe", "label": "delta", "target": "c", "attr": "delta"},
            {"type": "probe", "label": "inv_gamma", "target": "c", "attr": "inv_gamma"},
            {"type": "probe", "label": "output", "target": "post.neurons", "attr": "output"},
        ]
    return net, objects, probes


def weights_rule(rule, rule_json, to_neurons=True, error=False):
    """A rule on pre.neurons → post(.neurons) with a full transform;
    with an error, post's decoded input through a fixed readout minus the
    stimulus feeds the rule.  Probed: the weights, delta and the post's
    neuron output."""
    objects = []
    with nengo.Network(seed=0) as net:
        stim = nengo.Node(lambda t: np.sin(2 * np.pi * t))
        objects.append({"type": "node", "label": "stim", "output": "sin(2*pi*t)"})
        m, pre = relu_ensemble("pre", [30, 50, 40, 20], [5, -10, 20, 3], [[1], [-1], [1], [-1]])
        objects.append(m)
        m, post = relu_ensemble("post", [2.5, 3.5, 4.5], [40, 80, 20], [[1], [-1], [1]])
        objects.append(m)
        nengo.Connection(stim, pre, synapse=None)
        objects.append({"type": "connection", "pre": "stim", "post": "pre", "synapse": None})
        if to_neurons:
            T = np.array([[.1, -.2, .3, .05], [-.1, .2, .15, -.3], [.2, .1, -.05, .25]])
            c = nengo.Connection(pre.neurons, post.neurons, transform=T, synapse=0.005, learning_rule_type=rule)
            objects.append({"type": "connection", "label": "c", "pre": "pre.neurons", "post": "post.neurons",
                            "synapse": 0.005, "transform": T.tolist(), "learning_rule_type": rule_json})
        else:
            T = np.array([[.01, -.02, .03, .005]])
            c = nengo.Connection(pre.neurons, post, transform=T, synapse=0.005, learning_rule_type=rule)
            objects.append({"type": "connection", "label": "c", "pre": "pre.neurons", "post": "post",
                            "synapse": 0.005, "transform": T.tolist(), "learning_rule_type": rule_json})
        if error:
            err = nengo.Node(size_in=1)
            objects.append({"type": "node", "label": "err", "size_in": 1})
            D = np.array([[.004, -.003, .002]])
            nengo.Connection(post.neurons, err, transform=D, synapse=None)
            objects.append({"type": "connection", "pre": "post.neurons", "post": "err", "transform": D.tolist(),
                            "synapse": None})
            nengo.Connection(stim, err, transform=-1, synapse=None)
            objects.append({"type": "connection", "pre": "stim", "post": "err", "transform": -1, "synapse": None})
            nengo.Connection(err, c.learning_rule, synapse=0.01)
            objects.append({"type": "connection", "pre": "err", "post": "c.learning_rule", "synapse": 0.01})
        probes = {
            "weights": nengo.Probe(c, "weights"),
            "delta": nengo.Probe(c.learning_rule, "delta"),
            "output": nengo.Probe(post.neurons, "output"),
        }
        objects += [
            {"type": "probe", "label": "weights", "target": "c", "attr": "weights"},
            {"type": "probe", "label": "delta", "target": "c", "attr": "delta"},
            {"type": "probe", "label": "output", "target": "post.neurons", "attr": "output"},
        ]
    return net, objects, probes


def write(name, make):
    nengo_reference.write_probes(HERE, name, make, STEPS, VERSION, DT)


if __name__ == "__main__":
    write("voja", voja)
    write("rls", rls)
    write("pes-decoded", lambda: weights_rule(nengo.PES(learning_rate=1e-3, pre_synapse=0.01),
                                              {"type": "PES", "learning_rate": 1e-3, "pre_synapse": 0.01},
                                              to_neurons=False, error=True))
    write("pes-neurons", lambda: weights_rule(nengo.PES(learning_rate=1e-3, pre_synapse=0.01),
                                              {"type": "PES", "learning_rate": 1e-3, "pre_synapse": 0.01},
                                              error=True))
    write("bcm", lambda: weights_rule(nengo.BCM(learning_rate=1e-7, pre_synapse=0.005, theta_synapse=1.0),
                                      {"type": "BCM", "learning_rate": 1e-7, "pre_synapse": 0.005,
                                       "theta_synapse": 1.0}))
    write("oja", lambda: weights_rule(nengo.Oja(learning_rate=1e-5, pre_synapse=0.005, beta=0.5),
                                      {"type": "Oja", "learning_rate": 1e-5, "pre_synapse": 0.005, "beta": 0.5}))
