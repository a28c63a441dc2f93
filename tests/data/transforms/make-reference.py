# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the Nengo reference numbers of tests/test-transforms.c.

Each case is a fully specified network (a node of sinusoids as input,
given kernels, sparse entries, gains and biases, so nothing is sampled)
with Nengo's Sparse, Convolution and ConvolutionTranspose transforms,
written twice: as a Spikeworks model and as the same network in Nengo.
Nengo's reference simulator runs it in float64 and its probe data is
stored beside the model in <case>.json.  Run from the repository root
with Nengo 4.1.0 on the path (vendor/nengo):

    PYTHONPATH=vendor/nengo python3 tests/data/transforms/make-reference.py [case …]
"""
import os
import sys

import numpy as np
import nengo
import scipy.sparse

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import nengo_reference  # noqa: E402  (beside this folder)

DT = 0.001
STEPS = 30
VERSION = 5
HERE = os.path.dirname(os.path.abspath(__file__))


def stimulus(label, n):
    """A node of n sinusoids with distinct frequencies and phases."""
    freq = 3.0 + np.arange(n) * 0.7
    phase = np.arange(n) * 0.37
    expr = "[" + ", ".join("sin(%r*t + %r)" % (float(f), float(p)) for f, p in zip(freq, phase)) + "]"
    node = nengo.Node(lambda t: np.sin(freq * t + phase), label=label)
    return {"type": "node", "label": label, "output": expr}, node


def kernel(shape, seed):
    return np.random.RandomState(seed).uniform(-1, 1, size=shape).round(3)


def sink(label, n):
    return {"type": "node", "label": label, "size_in": int(n)}, nengo.Node(size_in=int(n), label=label)


def conv_json(t, transpose=False):
    j = {"type": "ConvolutionTranspose" if transpose else "Convolution", "n_filters": int(t.n_filters),
         "input_shape": [int(x) for x in t.input_shape.shape], "kernel_size": [int(x) for x in t.kernel_size],
         "strides": [int(x) for x in t.strides], "padding": t.padding, "channels_last": t.channels_last,
         "init": np.asarray(t.init).tolist()}
    if transpose:
        j["output_shape"] = [int(x) for x in t.output_shape.shape]
    elif t.groups != 1:
        j["groups"] = t.groups
    return j


def through(cases):
    """stim → sink through each transform of cases (label → (nengo transform, json)),
    synapse None; every sink and each connection's weights probed."""
    objects, probes = [], {}
    with nengo.Network(seed=0) as net:
        for label, (t, tj, synapse) in cases.items():
            m, stim = stimulus(label + "-in", t.size_in)
            objects.append(m)
            m, out = sink(label + "-out", t.size_out)
            objects.append(m)
            c = nengo.Connection(stim, out, transform=t, synapse=synapse)
            objects.append({"type": "connection", "label": label + "-c", "pre": label + "-in", "post": label + "-out",
                            "transform": tj, "synapse": synapse})
            probes[label] = nengo.Probe(out)
            objects.append({"type": "probe", "label": label, "target": label + "-out"})
            probes[label + "-weights"] = nengo.Probe(c, "weights")
            objects.append({"type": "probe", "label": label + "-weights", "target": label + "-c",
                            "attr": "weights"})
    return net, objects, probes


def sparse():
    indices = [[0, 1], [2, 3], [1, 0], [2, 0], [0, 3]]
    values = [0.5, -1.25, 2.0, 0.75, -0.3]
    dense = np.zeros((4, 3))
    dense[0, 2], dense[3, 1], dense[1, 1] = 1.5, -0.5, 0.25
    cases = {
        "sparse": (nengo.Sparse((3, 4), indices=indices, init=values),
                   {"type": "Sparse", "shape": [3, 4], "indices": indices, "init": values}, None),
        "sparse-scalar": (nengo.Sparse((2, 5), indices=[[0, 4], [1, 1]], init=1.5),
                          {"type": "Sparse", "shape": [2, 5], "indices": [[0, 4], [1, 1]], "init": 1.5}, 0.005),
        "sparse-dense": (nengo.Sparse((4, 3), init=scipy.sparse.csr_matrix(dense)),
                         {"type": "Sparse", "shape": [4, 3], "init": dense.tolist()}, None),
    }
    net, objects, probes = through(cases)
    # Nengo's weights of a Sparse transform are a scipy matrix: its probe
    # data are matrices, not numbers; the tests check them separately.
    for label in cases:
        del probes[label + "-weights"]
    objects = [o for o in objects if not o.get("label", "").endswith("-weights")]
    return net, objects, probes


def convolution():
    cases = {}
    for label, kwargs in {
        "conv-valid": dict(n_filters=3, input_shape=(5, 6, 2), kernel_size=(3, 3)),
        "conv-same-strided": dict(n_filters=2, input_shape=(5, 6, 2), kernel_size=(3, 2), strides=(2, 2),
                                  padding="same"),
        "conv-channels-first": dict(n_filters=2, input_shape=(3, 4, 5), kernel_size=(2, 3), strides=(1, 2),
                                    channels_last=False),
        "conv-groups": dict(n_filters=4, input_shape=(4, 4, 2), kernel_size=(3, 3), padding="same", groups=2),
        "conv-1d": dict(n_filters=2, input_shape=(7, 3), kernel_size=(3,), strides=(2,), padding="same"),
    }.items():
        probe_t = nengo.Convolution(**kwargs)
        t = nengo.Convolution(init=kernel(probe_t.kernel_shape, len(cases)), **kwargs)
        cases[label] = (t, conv_json(t), None)
    return through(cases)


def convolution_transpose():
    cases = {}
    for label, kwargs in {
        "convt-valid": dict(n_filters=2, input_shape=(3, 4, 2), kernel_size=(3, 3)),
        "convt-same-strided": dict(n_filters=3, input_shape=(3, 3, 2), kernel_size=(3, 3), strides=(2, 2),
                                   padding="same"),
        "convt-output-shape": dict(n_filters=2, input_shape=(3, 3, 1), output_shape=(6, 6, 2), kernel_size=(3, 3),
                                   strides=(2, 2), padding="same"),
        "convt-channels-first": dict(n_filters=2, input_shape=(2, 3, 3), kernel_size=(2, 2), strides=(2, 1),
                                     channels_last=False),
    }.items():
        probe_t = nengo.ConvolutionTranspose(**kwargs)
        t = nengo.ConvolutionTranspose(init=kernel(probe_t.kernel_shape, 10 + len(cases)), **kwargs)
        cases[label] = (t, conv_json(t, transpose=True), 0.005)
    return through(cases)


def into_neurons():
    """A convolution and a sparse transform into an ensemble's neurons (the
    post's gain applies), and a convolution out of neurons."""
    objects, probes = [], {}
    with nengo.Network(seed=0) as net:
        m, stim = stimulus("stim", 8)
        objects.append(m)
        conv = nengo.Convolution(2, (4, 2, 1), kernel_size=(2, 2), init=kernel((2, 2, 1, 2), 20))
        n = int(conv.size_out)
        gain, bias = np.linspace(1.5, 3, n), np.linspace(0.2, 1.1, n)
        ens = nengo.Ensemble(n, 1, neuron_type=nengo.LIFRate(), gain=gain, bias=bias, label="ens")
        objects.append({"type": "ensemble", "label": "ens", "n_neurons": int(n), "dimensions": 1,
                        "neuron_type": "LIFRate", "gain": gain.tolist(), "bias": bias.tolist()})
        nengo.Connection(stim, ens.neurons, transform=conv, synapse=0.005)
        objects.append({"type": "connection", "pre": "stim", "post": "ens.neurons",
                        "transform": conv_json(conv), "synapse": 0.005})
        sp = nengo.Sparse((n, 8), indices=[[0, 7], [5, 2], [3, 3]], init=[0.4, -0.6, 0.9])
        nengo.Connection(stim, ens.neurons, transform=sp, synapse=None)
        objects.append({"type": "connection", "pre": "stim", "post": "ens.neurons",
                        "transform": {"type": "Sparse", "shape": [n, 8], "indices": [[0, 7], [5, 2], [3, 3]],
                                      "init": [0.4, -0.6, 0.9]}, "synapse": None})
        back = nengo.Convolution(1, (3, 1, 2), kernel_size=(2, 1), init=kernel((2, 1, 2, 1), 21))
        m2, out2 = sink("back", back.size_out)
        objects.append(m2)
        nengo.Connection(ens.neurons, out2, transform=back, synapse=0.01)
        objects.append({"type": "connection", "pre": "ens.neurons", "post": "back",
                        "transform": conv_json(back), "synapse": 0.01})
        probes["neurons"] = nengo.Probe(ens.neurons)
        objects.append({"type": "probe", "label": "neurons", "target": "ens.neurons"})
        probes["input"] = nengo.Probe(ens.neurons, "input")
        objects.append({"type": "probe", "label": "input", "target": "ens.neurons", "attr": "input"})
        probes["out2"] = nengo.Probe(out2)
        objects.append({"type": "probe", "label": "out2", "target": "back"})
    return net, objects, probes


CASES = {
    "sparse": sparse,
    "convolution": convolution,
    "convolution-transpose": convolution_transpose,
    "into-neurons": into_neurons,
}

if __name__ == "__main__":
    for name in sys.argv[1:] or CASES:
        nengo_reference.write_probes(HERE, name, CASES[name], STEPS, VERSION, DT)
        print("wrote", name)
