# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the Nengo reference numbers of tests/test-nengo-features.c.

Each case is a fully specified network (neurons with given gains, biases
and encoders, evaluation points given, so nothing is sampled), written
twice: as a Spikeworks model and as the same network in Nengo.  Nengo's
reference simulator runs it in float64 and its probe data is stored
beside the model in <case>.json.  The numbers are committed; the tests
do not need Nengo.  Run from the repository root with Nengo 4.1.0 on the
path (vendor/nengo):

    PYTHONPATH=vendor/nengo python3 tests/data/nengo-features/make-reference.py [case …]
"""
import os
import sys

import numpy as np
import nengo

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import nengo_reference  # noqa: E402  (beside this folder)

DT = 0.001
STEPS = 100
VERSION = 2
HERE = os.path.dirname(os.path.abspath(__file__))
EVAL_POINTS = np.linspace(-1, 1, 41)[:, None]


def ensemble(label, gain, bias, encoders, neuron_type="LIFRate", eval_points=EVAL_POINTS, radius=1.0):
    """The same ensemble in both worlds."""
    n, d = np.asarray(encoders).shape
    model = {"type": "ensemble", "label": label, "n_neurons": n, "dimensions": d,
             "neuron_type": neuron_type, "gain": list(gain), "bias": list(bias),
             "encoders": [list(e) for e in encoders], "normalize_encoders": False,
             "eval_points": np.asarray(eval_points).tolist()}
    if radius != 1.0:
        model["radius"] = radius
    ens = nengo.Ensemble(n, d, neuron_type=getattr(nengo, neuron_type)(), gain=gain, bias=bias,
                         encoders=encoders, normalize_encoders=False, eval_points=eval_points,
                         radius=radius, label=label)
    return model, ens


def solver_weights(solver, solver_json, function=None, function_json=None, transform=None, rule=None,
                   rule_json=None):
    """stim → pre (1-D, LIFRate) → post (2-D) with a solver's weights=True:
    full weights into post's neurons.  Probed: post's neuron input
    currents and output."""
    objects = []
    with nengo.Network(seed=0) as net:
        stim = nengo.Node(lambda t: np.sin(2 * np.pi * 3 * t))
        objects.append({"type": "node", "label": "stim", "output": "sin(2*pi*3*t)"})
        m, pre = ensemble("pre", np.linspace(1.5, 4, 12), np.linspace(-1, 2, 12),
                          [[1.0] if i % 2 == 0 else [-1.0] for i in range(12)])
        objects.append(m)
        m, post = ensemble("post", [2.5, 3.5, 4.5, 1.5, 2], [1.5, 2, 1.2, 3, 1.1],
                           [[1, 0], [0, 1], [-1, 0], [0, -1], [0.6, 0.8]],
                           eval_points=[[0.5, 0.5], [-0.5, 0.2], [0.1, -0.7]])
        objects.append(m)
        nengo.Connection(stim, pre, synapse=None)
        objects.append({"type": "connection", "pre": "stim", "post": "pre", "synapse": None})
        kwargs = {}
        c_json = {"type": "connection", "label": "c", "pre": "pre", "post": "post", "synapse": 0.005,
                  "solver": solver_json}
        if function is not None:
            kwargs["function"] = function
            c_json["function"] = function_json
        if transform is not None:
            kwargs["transform"] = transform
            c_json["transform"] = np.asarray(transform).tolist()
        if rule is not None:
            kwargs["learning_rule_type"] = rule
            c_json["learning_rule_type"] = rule_json
        c = nengo.Connection(pre, post, synapse=0.005, solver=solver, **kwargs)
        objects.append(c_json)
        probes = {
            "input": nengo.Probe(post.neurons, "input"),
            "output": nengo.Probe(post.neurons, "output"),
        }
        objects += [
            {"type": "probe", "label": "input", "target": "post.neurons", "attr": "input"},
            {"type": "probe", "label": "output", "target": "post.neurons", "attr": "output"},
        ]
        if rule is not None:
            probes["weights"] = nengo.Probe(c, "weights")
            objects.append({"type": "probe", "label": "weights", "target": "c", "attr": "weights"})
        if isinstance(rule, nengo.PES):
            # The error: post's decoded value (a fixed readout) minus a target.
            err = nengo.Node(size_in=2)
            objects.append({"type": "node", "label": "err", "size_in": 2})
            D = np.array([[.004, 0, -.004, 0, .002], [0, .003, 0, -.003, .001]])
            nengo.Connection(post.neurons, err, transform=D, synapse=None)
            objects.append({"type": "connection", "pre": "post.neurons", "post": "err", "transform": D.tolist(),
                            "synapse": None})
            nengo.Connection(stim, err, transform=[[-1], [0.5]], synapse=None)
            objects.append({"type": "connection", "pre": "stim", "post": "err", "transform": [[-1], [0.5]],
                            "synapse": None})
            nengo.Connection(err, c.learning_rule, synapse=0.005)
            objects.append({"type": "connection", "pre": "err", "post": "c.learning_rule", "synapse": 0.005})
    return net, objects, probes


def synapses():
    """A stimulus through Triangle and digital LinearFilter synapses, on
    connections into nodes and on probes."""
    objects = []
    cases = {
        "triangle": (nengo.synapses.Triangle(0.01), {"type": "Triangle", "t": 0.01}),
        "triangle-short": (nengo.synapses.Triangle(0.0025), {"type": "Triangle", "t": 0.0025}),
        "digital-direct": (nengo.LinearFilter([0.2, 0.1], [1, -0.7], analog=False),
                           {"type": "LinearFilter", "num": [0.2, 0.1], "den": [1, -0.7], "analog": False}),
        "digital-proper": (nengo.LinearFilter([0.3], [1, -0.5, 0.06], analog=False),
                           {"type": "LinearFilter", "num": [0.3], "den": [1, -0.5, 0.06], "analog": False}),
        "digital-third": (nengo.LinearFilter([0.1, 0.05, 0.02], [1, -0.9, 0.26, -0.024], analog=False),
                          {"type": "LinearFilter", "num": [0.1, 0.05, 0.02], "den": [1, -0.9, 0.26, -0.024],
                           "analog": False}),
    }
    probes = {}
    with nengo.Network(seed=0) as net:
        stim = nengo.Node(lambda t: [np.sin(2 * np.pi * 7 * t), (t > 0.02) * 1.0])
        objects.append({"type": "node", "label": "stim", "output": "[sin(2*pi*7*t), (t > 0.02) * 1]"})
        for name, (syn, syn_json) in cases.items():
            out = nengo.Node(size_in=2, label=name)
            objects.append({"type": "node", "label": name, "size_in": 2})
            nengo.Connection(stim, out, synapse=syn)
            objects.append({"type": "connection", "pre": "stim", "post": name, "synapse": syn_json})
            probes[name] = nengo.Probe(out)
            objects.append({"type": "probe", "label": name + "-p", "target": name})
            probes[name + "-probe"] = nengo.Probe(stim, synapse=syn)
            objects.append({"type": "probe", "label": name + "-probe-p", "target": "stim", "synapse": syn_json})
    return net, objects, {k + "-p": p for k, p in probes.items()}


def piecewise():
    """Piecewise with each interpolation, 2-D values at unevenly spaced
    times (the first after 0, so the output starts at 0)."""
    objects = []
    probes = {}
    times = [0.01, 0.025, 0.03, 0.05, 0.08]
    values = [[0.5, -1.0], [1.0, 0.2], [-0.3, 0.4], [0.8, -0.6], [0.0, 1.0]]
    with nengo.Network(seed=0) as net:
        for kind in ("zero", "linear", "nearest", "slinear", "quadratic", "cubic"):
            node = nengo.Node(nengo.processes.Piecewise(dict(zip(times, values)), interpolation=kind))
            objects.append({"type": "node", "label": kind,
                            "output": {"process": "Piecewise", "times": times, "values": values,
                                       "interpolation": kind}})
            probes[kind + "-p"] = nengo.Probe(node)
            objects.append({"type": "probe", "label": kind + "-p", "target": kind})
    return net, objects, probes


def noise_stats():
    """Random processes, compared in distribution: a Node of 1000
    independent dimensions per process, and an ensemble with noise; the
    mean and variance over the dimensions at a few steps, from Nengo."""
    objects = []
    probes = {}
    dims = 1000
    with nengo.Network(seed=0) as net:
        cases = {
            "filtered-lowpass": (nengo.processes.FilteredNoise(synapse=nengo.Lowpass(0.01)),
                                 {"process": "FilteredNoise", "synapse": 0.01}),
            "filtered-alpha-uniform": (nengo.processes.FilteredNoise(synapse=nengo.Alpha(0.005),
                                                                     dist=nengo.dists.Uniform(-1, 1), scale=False),
                                       {"process": "FilteredNoise", "synapse": {"type": "Alpha", "tau": 0.005},
                                        "dist": {"type": "Uniform", "low": -1, "high": 1}, "scale": False}),
            "filtered-triangle": (nengo.processes.FilteredNoise(synapse=nengo.synapses.Triangle(0.005)),
                                  {"process": "FilteredNoise", "synapse": {"type": "Triangle", "t": 0.005}}),
            "brown": (nengo.processes.BrownNoise(), {"process": "BrownNoise"}),
        }
        for name, (proc, proc_json) in cases.items():
            node = nengo.Node(proc, size_out=dims)
            objects.append({"type": "node", "label": name, "output": proc_json, "size_out": dims})
            probes[name + "-p"] = nengo.Probe(node)
            objects.append({"type": "probe", "label": name + "-p", "target": name})
        ens = nengo.Ensemble(dims, 1, neuron_type=nengo.RectifiedLinear(), gain=np.ones(dims),
                             bias=np.full(dims, 0.5), encoders=np.ones((dims, 1)),
                             noise=nengo.processes.FilteredNoise(synapse=nengo.Lowpass(0.002)))
        objects.append({"type": "ensemble", "label": "ens", "n_neurons": dims, "dimensions": 1,
                        "neuron_type": "RectifiedLinear", "gain": [1.0] * dims, "bias": [0.5] * dims,
                        "encoders": [[1.0]] * dims, "normalize_encoders": False,
                        "noise": {"process": "FilteredNoise", "synapse": 0.002}})
        probes["ens-input"] = nengo.Probe(ens.neurons, "input")
        objects.append({"type": "probe", "label": "ens-input", "target": "ens.neurons", "attr": "input"})
    return net, objects, probes


def connection_points():
    """A connection's own eval_points (scaled by the pre's radius of 2, and
    not), and a function given as points, from a 1-D ensemble into nodes."""
    objects = []
    probes = {}
    points = np.linspace(-0.9, 0.8, 15)[:, None]
    few = np.array([[-0.7], [-0.2], [0.1], [0.45], [0.9]])
    with nengo.Network(seed=0) as net:
        stim = nengo.Node(lambda t: 1.8 * np.sin(2 * np.pi * 3 * t))
        objects.append({"type": "node", "label": "stim", "output": "1.8*sin(2*pi*3*t)"})
        m, pre = ensemble("pre", np.linspace(1.5, 4, 12), np.linspace(-1, 2, 12),
                          [[1.0] if i % 2 == 0 else [-1.0] for i in range(12)], radius=2.0)
        objects.append(m)
        nengo.Connection(stim, pre, synapse=None)
        objects.append({"type": "connection", "pre": "stim", "post": "pre", "synapse": None})
        cases = {
            "scaled": (dict(eval_points=points, function=lambda x: x ** 2),
                       {"eval_points": points.tolist(), "function": "x**2"}),
            "unscaled": (dict(eval_points=points, scale_eval_points=False, function=lambda x: x ** 2),
                         {"eval_points": points.tolist(), "scale_eval_points": False, "function": "x**2"}),
            "given": (dict(eval_points=few, function=np.hstack([few ** 3, np.abs(few)])),
                      {"eval_points": few.tolist(), "function": np.hstack([few ** 3, np.abs(few)]).tolist()}),
        }
        for name, (kwargs, c_json) in cases.items():
            size = 2 if name == "given" else 1
            out = nengo.Node(size_in=size, label=name)
            objects.append({"type": "node", "label": name, "size_in": size})
            nengo.Connection(pre, out, synapse=0.005, **kwargs)
            objects.append(dict({"type": "connection", "pre": "pre", "post": name, "synapse": 0.005}, **c_json))
            probes[name + "-p"] = nengo.Probe(out)
            objects.append({"type": "probe", "label": name + "-p", "target": name})
    return net, objects, probes


def connection_probes():
    """Probes on connections (output, input, weights) of every kind: decoded,
    with full weights, into neurons with a solver, from a node into neurons
    and into a node; and an ensemble's scaled_encoders."""
    objects = []
    probes = {}
    with nengo.Network(seed=0) as net:
        stim = nengo.Node(lambda t: [np.sin(2 * np.pi * 3 * t), np.cos(2 * np.pi * 5 * t)])
        objects.append({"type": "node", "label": "stim", "output": "[sin(2*pi*3*t), cos(2*pi*5*t)]"})
        m, pre = ensemble("pre", np.linspace(1.5, 4, 12), np.linspace(-1, 2, 12),
                          [[1.0] if i % 2 == 0 else [-1.0] for i in range(12)])
        objects.append(m)
        m, post = ensemble("post", [2.5, 3.5, 4.5, 1.5, 2], [1.5, 2, 1.2, 3, 1.1],
                           [[1, 0], [0, 1], [-1, 0], [0, -1], [0.6, 0.8]],
                           eval_points=[[0.5, 0.5], [-0.5, 0.2], [0.1, -0.7]], radius=1.5)
        objects.append(m)
        sink = nengo.Node(size_in=2, label="sink")
        objects.append({"type": "node", "label": "sink", "size_in": 2})
        nengo.Connection(stim[0], pre, synapse=None)
        objects.append({"type": "connection", "pre": "stim[0]", "post": "pre", "synapse": None})
        conns = {
            "decoded": (dict(pre=pre, post=post, transform=[[0.5], [-1.0]], synapse=0.005),
                        {"pre": "pre", "post": "post", "transform": [[0.5], [-1.0]], "synapse": 0.005}),
            "full": (dict(pre=pre, post=post, transform=[[0.5], [-1.0]], synapse=0.005,
                          solver=nengo.solvers.LstsqL2(weights=True)),
                     {"pre": "pre", "post": "post", "transform": [[0.5], [-1.0]], "synapse": 0.005,
                      "solver": {"type": "LstsqL2", "weights": True}}),
            "into-neurons": (dict(pre=pre, post=post.neurons, function=lambda x: x ** 2,
                                  transform=[[1.0], [-0.5], [0.2], [0.8], [-1.0]], synapse=0.01,
                                  solver=nengo.solvers.LstsqL2nz(reg=0.05)),
                             {"pre": "pre", "post": "post.neurons", "function": "x**2",
                              "transform": [[1.0], [-0.5], [0.2], [0.8], [-1.0]], "synapse": 0.01,
                              "solver": {"type": "LstsqL2nz", "reg": 0.05}}),
            "node-neurons": (dict(pre=stim, post=post.neurons[[0, 2, 4]], synapse=None,
                                  transform=[[1.0, 0.5], [-0.3, 0.2], [0.0, 1.0]]),
                             {"pre": "stim", "post": "post.neurons[[0, 2, 4]]", "synapse": None,
                              "transform": [[1.0, 0.5], [-0.3, 0.2], [0.0, 1.0]]}),
            "scalar": (dict(pre=stim, post=sink, transform=2.0, synapse=None),
                       {"pre": "stim", "post": "sink", "transform": 2, "synapse": None}),
            "diagonal": (dict(pre=stim, post=sink, transform=nengo.transforms.Dense((2, 2), [0.5, -2.0]),
                              synapse=0.002),
                         {"pre": "stim", "post": "sink", "transform": [0.5, -2.0], "synapse": 0.002}),
        }
        for name, (kwargs, c_json) in conns.items():
            c = nengo.Connection(label=name, **kwargs)
            objects.append(dict({"type": "connection", "label": name}, **c_json))
            for attr in ("output", "input", "weights"):
                probes[name + "-" + attr] = nengo.Probe(c, attr)
                objects.append({"type": "probe", "label": name + "-" + attr, "target": name, "attr": attr})
        probes["post-input"] = nengo.Probe(post.neurons, "input")
        objects.append({"type": "probe", "label": "post-input", "target": "post.neurons", "attr": "input"})
        probes["encoders"] = nengo.Probe(post, "scaled_encoders")
        objects.append({"type": "probe", "label": "encoders", "target": "post", "attr": "scaled_encoders"})
        probes["output-filtered"] = nengo.Probe(net.connections[-1], synapse=0.01)
        objects.append({"type": "probe", "label": "output-filtered", "target": "diagonal", "synapse": 0.01})
    return net, objects, probes


def direct_square():
    """Direct mode (no neurons): a 1-D ensemble of radius 2 (which must
    change nothing) computing x² exactly into a node, a 2-D one computing
    x0·x1 and a slice with a transform, and their decoded_output and input
    probes, one filtered."""
    objects = []
    probes = {}
    with nengo.Network(seed=0) as net:
        stim = nengo.Node(lambda t: [1.8 * np.sin(2 * np.pi * 3 * t), np.cos(2 * np.pi * 5 * t)])
        objects.append({"type": "node", "label": "stim", "output": "[1.8*sin(2*pi*3*t), cos(2*pi*5*t)]"})
        a = nengo.Ensemble(30, 1, neuron_type=nengo.Direct(), radius=2.0, label="a")
        objects.append({"type": "ensemble", "label": "a", "n_neurons": 30, "dimensions": 1, "radius": 2,
                        "neuron_type": "Direct"})
        b = nengo.Ensemble(1, 2, neuron_type=nengo.Direct(), label="b")
        objects.append({"type": "ensemble", "label": "b", "n_neurons": 1, "dimensions": 2,
                        "neuron_type": {"type": "Direct"}})
        square = nengo.Node(size_in=1, label="square")
        objects.append({"type": "node", "label": "square", "size_in": 1})
        prod = nengo.Node(size_in=3, label="prod")
        objects.append({"type": "node", "label": "prod", "size_in": 3})
        nengo.Connection(stim[0], a, synapse=None)
        objects.append({"type": "connection", "pre": "stim[0]", "post": "a", "synapse": None})
        nengo.Connection(stim, b, synapse=0.002)
        objects.append({"type": "connection", "pre": "stim", "post": "b", "synapse": 0.002})
        nengo.Connection(a, square, function=lambda x: x ** 2, synapse=0.005)
        objects.append({"type": "connection", "pre": "a", "post": "square", "function": "x**2", "synapse": 0.005})
        nengo.Connection(b, prod[0], function=lambda x: x[0] * x[1], synapse=None)
        objects.append({"type": "connection", "pre": "b", "post": "prod[0]", "function": "x[0]*x[1]",
                        "synapse": None})
        nengo.Connection(b[1], prod[1:], transform=[[2.0], [-0.5]], synapse=nengo.Alpha(0.003))
        objects.append({"type": "connection", "pre": "b[1]", "post": "prod[1:]", "transform": [[2.0], [-0.5]],
                        "synapse": {"type": "Alpha", "tau": 0.003}})
        probes["a-p"] = nengo.Probe(a)
        objects.append({"type": "probe", "label": "a-p", "target": "a"})
        probes["a-filtered"] = nengo.Probe(a, synapse=0.01)
        objects.append({"type": "probe", "label": "a-filtered", "target": "a", "synapse": 0.01})
        probes["b-input"] = nengo.Probe(b, "input")
        objects.append({"type": "probe", "label": "b-input", "target": "b", "attr": "input"})
        probes["b-decoded"] = nengo.Probe(b, "decoded_output")
        objects.append({"type": "probe", "label": "b-decoded", "target": "b", "attr": "decoded_output"})
        probes["square-p"] = nengo.Probe(square)
        objects.append({"type": "probe", "label": "square-p", "target": "square"})
        probes["prod-p"] = nengo.Probe(prod)
        objects.append({"type": "probe", "label": "prod-p", "target": "prod"})
    return net, objects, probes


def direct_chain():
    """Direct → LIF → Direct: a Direct ensemble's function feeds a fully
    specified LIF ensemble (spikes and decoded value), whose decoded
    function feeds another Direct ensemble; probes on all three and on the
    connections."""
    objects = []
    probes = {}
    with nengo.Network(seed=0) as net:
        stim = nengo.Node(lambda t: np.sin(2 * np.pi * 4 * t))
        objects.append({"type": "node", "label": "stim", "output": "sin(2*pi*4*t)"})
        d1 = nengo.Ensemble(10, 1, neuron_type=nengo.Direct(), label="d1")
        objects.append({"type": "ensemble", "label": "d1", "n_neurons": 10, "dimensions": 1,
                        "neuron_type": "Direct"})
        m, lif = ensemble("lif", np.linspace(1.5, 4, 12), np.linspace(-1, 2, 12),
                          [[1.0, 0.0] if i % 3 == 0 else [0.0, -1.0] if i % 3 == 1 else [0.6, 0.8]
                           for i in range(12)], neuron_type="LIF",
                          eval_points=[[0.5, 0.5], [-0.5, 0.2], [0.1, -0.7], [0.9, 0.0], [-0.3, -0.3],
                                       [0.0, 0.8], [0.7, -0.6], [-0.8, 0.1]])
        m["neuron_type"] = {"type": "LIF", "initial_state": {"voltage": 0.3, "refractory_time": 0}}
        objects.append(m)
        lif.neuron_type = nengo.LIF(initial_state={"voltage": nengo.dists.Choice([0.3]),
                                                   "refractory_time": nengo.dists.Choice([0])})
        d2 = nengo.Ensemble(5, 2, neuron_type=nengo.Direct(), label="d2")
        objects.append({"type": "ensemble", "label": "d2", "n_neurons": 5, "dimensions": 2,
                        "neuron_type": "Direct"})
        nengo.Connection(stim, d1, synapse=None)
        objects.append({"type": "connection", "pre": "stim", "post": "d1", "synapse": None})
        c1 = nengo.Connection(d1, lif, function=lambda x: [x[0], x[0] ** 2], synapse=0.005, label="c1")
        objects.append({"type": "connection", "label": "c1", "pre": "d1", "post": "lif",
                        "function": "[x[0], x[0]^2]", "synapse": 0.005})
        nengo.Connection(lif, d2, function=lambda x: [x[0] + x[1], x[0] * x[1]], synapse=0.01)
        objects.append({"type": "connection", "pre": "lif", "post": "d2", "function": "[x[0] + x[1], x[0]*x[1]]",
                        "synapse": 0.01})
        probes["d1-p"] = nengo.Probe(d1)
        objects.append({"type": "probe", "label": "d1-p", "target": "d1"})
        probes["spikes"] = nengo.Probe(lif.neurons)
        objects.append({"type": "probe", "label": "spikes", "target": "lif.neurons"})
        probes["lif-p"] = nengo.Probe(lif, synapse=0.01)
        objects.append({"type": "probe", "label": "lif-p", "target": "lif", "synapse": 0.01})
        probes["d2-p"] = nengo.Probe(d2)
        objects.append({"type": "probe", "label": "d2-p", "target": "d2"})
        for attr in ("output", "input"):
            probes["c1-" + attr] = nengo.Probe(c1, attr)
            objects.append({"type": "probe", "label": "c1-" + attr, "target": "c1", "attr": attr})
    return net, objects, probes


def direct_integrator():
    """A Direct integrator: input × τ into a Direct ensemble that feeds
    itself through a τ = 0.1 Lowpass (which diverges no faster than the
    maths: it integrates exactly), and a synapse-free Direct chain after
    it; a nonlinear recurrent Direct oscillator beside it."""
    objects = []
    probes = {}
    tau = 0.1
    with nengo.Network(seed=0) as net:
        stim = nengo.Node(lambda t: 1.0 if t < 0.05 else -0.5)
        objects.append({"type": "node", "label": "stim", "output": "(t < 0.05) * 1.5 - 0.5"})
        integ = nengo.Ensemble(1, 1, neuron_type=nengo.Direct(), label="integ")
        objects.append({"type": "ensemble", "label": "integ", "n_neurons": 1, "dimensions": 1,
                        "neuron_type": "Direct"})
        nengo.Connection(stim, integ, transform=tau, synapse=tau)
        objects.append({"type": "connection", "pre": "stim", "post": "integ", "transform": tau, "synapse": tau})
        nengo.Connection(integ, integ, synapse=tau)
        objects.append({"type": "connection", "pre": "integ", "post": "integ", "synapse": tau})
        after = nengo.Ensemble(1, 1, neuron_type=nengo.Direct(), label="after")
        objects.append({"type": "ensemble", "label": "after", "n_neurons": 1, "dimensions": 1,
                        "neuron_type": "Direct"})
        nengo.Connection(integ, after, function=lambda x: np.tanh(3 * x), synapse=None)
        objects.append({"type": "connection", "pre": "integ", "post": "after", "function": "tanh(3*x)",
                        "synapse": None})
        osc = nengo.Ensemble(1, 2, neuron_type=nengo.Direct(), label="osc")
        objects.append({"type": "ensemble", "label": "osc", "n_neurons": 1, "dimensions": 2,
                        "neuron_type": "Direct"})
        kick = nengo.Node(lambda t: [1.0, 0.0] if t < 0.01 else [0.0, 0.0])
        objects.append({"type": "node", "label": "kick", "output": "[(t < 0.01) * 1, 0]"})
        nengo.Connection(kick, osc, synapse=None)
        objects.append({"type": "connection", "pre": "kick", "post": "osc", "synapse": None})
        nengo.Connection(osc, osc, synapse=0.02,
                         function=lambda x: [x[0] - 0.3 * x[1] - 0.1 * x[0] ** 3, x[1] + 0.3 * x[0]])
        objects.append({"type": "connection", "pre": "osc", "post": "osc", "synapse": 0.02,
                        "function": "[x[0] - 0.3*x[1] - 0.1*x[0]^3, x[1] + 0.3*x[0]]"})
        probes["integ-p"] = nengo.Probe(integ)
        objects.append({"type": "probe", "label": "integ-p", "target": "integ"})
        probes["integ-filtered"] = nengo.Probe(integ, synapse=0.01)
        objects.append({"type": "probe", "label": "integ-filtered", "target": "integ", "synapse": 0.01})
        probes["after-p"] = nengo.Probe(after)
        objects.append({"type": "probe", "label": "after-p", "target": "after"})
        probes["osc-p"] = nengo.Probe(osc)
        objects.append({"type": "probe", "label": "osc-p", "target": "osc"})
    return net, objects, probes


STAT_STEPS = [1, 2, 5, 20, 100]


def write_stats(name, make):
    net, objects, probes = make()
    sim = nengo_reference.simulate(net, STEPS, DT)
    stats = {}
    for k, p in probes.items():
        data = np.asarray(sim.data[p])
        stats[k] = {"mean": [float(data[n - 1].mean()) for n in STAT_STEPS],
                    "var": [float(data[n - 1].var()) for n in STAT_STEPS]}
    nengo_reference.write_json(HERE, name, {
        "about": "Nengo %s statistics (float64), written by make-reference.py" % nengo.__version__,
        "steps": STEPS, "stat_steps": STAT_STEPS,
        "model": nengo_reference.model(objects, 3, DT),
        "stats": stats,
    })


def write(name, make):
    version = 6 if name in VERSION_6 else 4 if name in VERSION_4 else VERSION
    nengo_reference.write_probes(HERE, name, make, STEPS, version, DT)


CASES = {
    "weights-lstsql2": lambda: solver_weights(
        nengo.solvers.LstsqL2(weights=True), {"type": "LstsqL2", "weights": True},
        transform=[[0.5], [-1.0]]),
    "weights-function": lambda: solver_weights(
        nengo.solvers.LstsqL2nz(weights=True, reg=0.05), {"type": "LstsqL2nz", "reg": 0.05, "weights": True},
        function=lambda x: [x[0] ** 2, -x[0]], function_json="[x[0]^2, -x[0]]"),
    "weights-drop": lambda: solver_weights(
        nengo.solvers.LstsqDrop(weights=True, drop=0.3), {"type": "LstsqDrop", "drop": 0.3, "weights": True},
        transform=[[0.5], [-1.0]]),
    "decoders-drop": lambda: solver_weights(
        nengo.solvers.LstsqDrop(drop=0.5, solver1=nengo.solvers.LstsqL2nz(reg=0.01)),
        {"type": "LstsqDrop", "drop": 0.5, "solver1": {"type": "LstsqL2nz", "reg": 0.01}},
        transform=[[0.5], [-1.0]]),
    "weights-nosolver": lambda: solver_weights(
        nengo.solvers.NoSolver(np.linspace(-0.01, 0.02, 12)[:, None], weights=True),
        {"type": "NoSolver", "values": np.linspace(-0.01, 0.02, 12)[:, None].tolist(), "weights": True},
        transform=[[0.5], [-1.0]]),
    "decoders-nosolver": lambda: solver_weights(
        nengo.solvers.NoSolver(np.linspace(-0.01, 0.02, 24).reshape(12, 2)),
        {"type": "NoSolver", "values": np.linspace(-0.01, 0.02, 24).reshape(12, 2).tolist()},
        function=lambda x: [x[0], x[0]], function_json="[x[0], x[0]]"),
    "synapses": synapses,
    "piecewise": piecewise,
    "weights-pes": lambda: solver_weights(
        nengo.solvers.LstsqL2(weights=True), {"type": "LstsqL2", "weights": True},
        transform=[[0.5], [-1.0]], rule=nengo.PES(learning_rate=1e-3, pre_synapse=0.01),
        rule_json={"type": "PES", "learning_rate": 1e-3, "pre_synapse": 0.01}),
    "connection-points": connection_points,
    "connection-probes": connection_probes,
    "weights-bcm": lambda: solver_weights(
        nengo.solvers.LstsqL2(weights=True), {"type": "LstsqL2", "weights": True},
        transform=[[0.5], [-1.0]], rule=nengo.BCM(learning_rate=1e-7, theta_synapse=0.5),
        rule_json={"type": "BCM", "learning_rate": 1e-7, "theta_synapse": 0.5}),
    "direct-square": direct_square,
    "direct-chain": direct_chain,
    "direct-integrator": direct_integrator,
}

# Cases that use version-4 keys (a connection's eval_points, functions
# given as points, …); the others keep the version they were written with.
VERSION_4 = {"connection-points", "connection-probes"}
# Cases that use version-6 keys (the Direct neuron type).
VERSION_6 = {"direct-square", "direct-chain", "direct-integrator"}

if __name__ == "__main__":
    # Names on the command line write only those cases.
    wanted = sys.argv[1:]
    for name, make in CASES.items():
        if not wanted or name in wanted:
            write(name, make)
    if not wanted or "noise-stats" in wanted:
        write_stats("noise-stats", noise_stats)
