# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the Nengo reference numbers of tests/test-networks.c.

Each case is one of Nengo's built-in networks inside a network whose
config fully specifies every ensemble (LIFRate neurons with given gains,
biases, encoders and evaluation points), so that nothing is sampled: the
built-in network's structure (its objects, sizes, radii, transforms,
synapses and functions) is all that decides the numbers.  It is written
twice: as a Spikeworks model (a "network" object with a "kind") and as the
same network in Nengo.  Nengo's reference simulator runs it in float64 and
its probe data is stored beside the model in <case>.json.  Integrator and
Oscillator left nengo.networks after Nengo 3.0: they are written out here
as Nengo 3.0 defined them.  Run from the repository root with Nengo 4.1.0
on the path (vendor/nengo):

    PYTHONPATH=vendor/nengo python3 tests/data/networks/make-reference.py
"""
import json
import os

import numpy as np
import nengo

DT = 0.001
STEPS = 200
VERSION = 4
HERE = os.path.dirname(os.path.abspath(__file__))


def ens_config(n, d):
    """Gains, biases, encoders and eval points for every ensemble of n
    neurons and d dimensions, as a Nengo config and as the model's."""
    gain = np.linspace(1.5, 4, n)
    bias = np.linspace(-1, 2, n)
    if d == 1:
        encoders = np.array([[1.0] if i % 2 == 0 else [-1.0] for i in range(n)])
        eval_points = np.linspace(-1, 1, 41)[:, None]
    else:
        angles = np.linspace(0, 2 * np.pi, n, endpoint=False) + 0.3
        encoders = np.stack([np.cos(angles), np.sin(angles)], axis=1)
        g = np.linspace(-0.9, 0.9, 9)
        eval_points = np.array([[x, y] for x in g for y in g])
    values = {"gain": gain, "bias": bias, "encoders": encoders, "eval_points": eval_points}
    model = {k: v.tolist() for k, v in values.items()}
    model["neuron_type"] = "LIFRate"
    model["normalize_encoders"] = False
    return values, model


def configure(net, n, d):
    values, model = ens_config(n, d)
    net.config[nengo.Ensemble].neuron_type = nengo.LIFRate()
    net.config[nengo.Ensemble].normalize_encoders = False
    for k, v in values.items():
        setattr(net.config[nengo.Ensemble], k, v)
    return model


def integrator(recurrent_tau, n_neurons, dimensions, **kwargs):
    """nengo.networks.Integrator of Nengo 3.0."""
    kwargs.setdefault("label", "Integrator")
    net = nengo.Network(**kwargs)
    with net:
        net.input = nengo.Node(size_in=dimensions)
        net.ensemble = nengo.Ensemble(n_neurons, dimensions=dimensions)
        nengo.Connection(net.ensemble, net.ensemble, synapse=recurrent_tau)
        nengo.Connection(net.input, net.ensemble, transform=recurrent_tau, synapse=None)
    return net


def oscillator(recurrent_tau, frequency, n_neurons, **kwargs):
    """nengo.networks.Oscillator of Nengo 3.0."""
    kwargs.setdefault("label", "Oscillator")
    net = nengo.Network(**kwargs)
    with net:
        net.input = nengo.Node(label="In", size_in=2)
        net.ensemble = nengo.Ensemble(n_neurons, dimensions=2, label="Oscillator")
        tA = [[1, -frequency * recurrent_tau], [frequency * recurrent_tau, 1]]
        nengo.Connection(net.ensemble, net.ensemble, synapse=recurrent_tau, transform=tA)
        nengo.Connection(net.input, net.ensemble, synapse=None)
    return net


def basal_ganglia_synapses():
    """BasalGanglia with ampa_config and gaba_config: configs whose
    connection synapse the AMPA and GABA connections take."""
    ampa = nengo.Config(nengo.Connection)
    ampa[nengo.Connection].synapse = nengo.Alpha(0.003)
    gaba = nengo.Config(nengo.Connection)
    gaba[nengo.Connection].synapse = nengo.Lowpass(0.01)
    return nengo.networks.BasalGanglia(3, n_neurons_per_ensemble=10, output_weight=-2.5,
                                       ampa_config=ampa, gaba_config=gaba)


AM_POINTS = np.linspace(0, 1, 21)[:, None]


def associative_memory():
    """AssociativeMemory with the evaluation points its Config context
    draws at random replaced, as the model file's changes to its
    ensembles replace them."""
    am = nengo.networks.AssociativeMemory(
        [[1, 0], [0, 1], [0.6, 0.8]], output_vectors=[[1, 0, 0], [0, 1, 0], [0, 0, -1]], n_neurons=10,
        threshold=[0.3, 0.2, 0.4], input_scales=1.2, inhibitable=True)
    for e in am.am_ensembles:
        e.eval_points = AM_POINTS
    return am


THRESH_POINTS = np.linspace(0.75, 1.1, 15)[:, None]
NAMES = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]


def associative_memory_addons(threshold):
    """AssociativeMemory with every add-on method called, its randomly
    drawn evaluation points replaced as in associative_memory()."""
    am = nengo.networks.AssociativeMemory(
        [[1, 0], [0, 1], [0.6, 0.8]], n_neurons=10, threshold=0.25, inhibitable=True)
    am.add_input_mapping("alt", np.array([[0, 1], [1, 0], [0.8, 0.6]]), input_scales=[1.0, 0.9, 1.1])
    am.add_output_mapping("names", np.array(NAMES))
    am.add_default_output_vector([0.5, -0.5], n_neurons=10, min_activation_value=0.4)
    am.add_default_output_vector(np.array([0, 0, 0, 1]), output_name="names", n_neurons=10)
    am.add_wta_network(inhibit_scale=2.0, inhibit_synapse=0.004)
    if threshold:
        am.add_threshold_to_outputs(n_neurons=10, inhibit_scale=8)
    for e in am.ensembles:
        e.eval_points = AM_POINTS
    for ea in ([am.thresh_bias, am.thresh_ens] if threshold else []):
        for e in ea.ensembles:
            e.eval_points = THRESH_POINTS
    return am


def associative_memory_addons_json(threshold):
    changes = [{"type": "ensemble", "label": label, "eval_points": AM_POINTS.tolist()}
               for label in ["am.am_ensembles[%d]" % i for i in range(3)]
               + ["am.default_output_vector", "am.default_names_vector"]]
    kind = {"type": "network", "label": "am", "kind": "AssociativeMemory",
            "input_vectors": [[1, 0], [0, 1], [0.6, 0.8]], "n_neurons": 10, "threshold": 0.25,
            "inhibitable": True,
            "input_mappings": [{"name": "alt", "input_vectors": [[0, 1], [1, 0], [0.8, 0.6]],
                                "input_scales": [1.0, 0.9, 1.1]}],
            "output_mappings": [{"name": "names", "output_vectors": NAMES}],
            "default_output_vectors": [
                {"output_vector": [0.5, -0.5], "n_neurons": 10, "min_activation_value": 0.4},
                {"output_vector": [0, 0, 0, 1], "output_name": "names", "n_neurons": 10}],
            "wta_network": {"inhibit_scale": 2.0, "inhibit_synapse": 0.004}}
    if threshold:
        kind["threshold_outputs"] = {"n_neurons": 10, "inhibit_scale": 8}
        changes += [{"type": "ensemble", "label": "am.%s.ea_ensembles[%d]" % (net, i),
                     "eval_points": THRESH_POINTS.tolist()}
                    for net in ("thresh_bias", "thresh_ens") for i in range(3)]
    kind["objects"] = changes
    return kind


AM_STIMS = [
    ("stim", "[sin(2*pi*2*t), cos(2*pi*2*t)]", lambda t: [np.sin(2 * np.pi * 2 * t), np.cos(2 * np.pi * 2 * t)],
     "input"),
    ("alt", "[0.6*t, 0.3]", lambda t: [0.6 * t, 0.3], "alt"),
    ("inh", "0.4*t", lambda t: 0.4 * t, "inhibit"),
]


def case(n, d, make_net, stims, kind_json, probes):
    """stims: (label, output expression, Python function, post port);
    probes: (label, port, synapse)."""
    with nengo.Network(seed=0) as model:
        with nengo.Network() as outer:
            config = configure(outer, n, d)
            net = make_net()
        objects = [{"type": "network", "label": "outer", "config": {"ensemble": config},
                    "objects": [kind_json]}]
        nengo_probes = {}
        for label, expr, fn, port in stims:
            node = nengo.Node(fn, label=label)
            nengo.Connection(node, eval("net." + port), synapse=None)
            objects.append({"type": "node", "label": label, "output": expr})
            objects.append({"type": "connection", "pre": label, "post": kind_json["label"] + "." + port,
                            "synapse": None})
        for label, port, synapse in probes:
            nengo_probes[label] = nengo.Probe(eval("net." + port), synapse=synapse)
            objects.append({"type": "probe", "label": label, "target": kind_json["label"] + "." + port,
                            "synapse": synapse})
    return model, objects, nengo_probes


CASES = {
    "ensemble-array": lambda: case(
        6, 1, lambda: nengo.networks.EnsembleArray(6, 3, radius=1.5),
        [("stim", "[sin(2*pi*3*t), cos(2*pi*2*t), 0.5]",
          lambda t: [np.sin(2 * np.pi * 3 * t), np.cos(2 * np.pi * 2 * t), 0.5], "input")],
        {"type": "network", "label": "ea", "kind": "EnsembleArray", "n_neurons": 6, "n_ensembles": 3,
         "config": {"ensemble": {"radius": 1.5}}},
        [("out", "output", 0.005)]),
    "ensemble-array-2d": lambda: case(
        7, 2, lambda: nengo.networks.EnsembleArray(7, 2, ens_dimensions=2),
        [("stim", "[sin(2*pi*3*t), cos(2*pi*3*t), 0.5*t, -0.4]",
          lambda t: [np.sin(2 * np.pi * 3 * t), np.cos(2 * np.pi * 3 * t), 0.5 * t, -0.4], "input")],
        {"type": "network", "label": "ea", "kind": "EnsembleArray", "n_neurons": 7, "n_ensembles": 2,
         "ens_dimensions": 2},
        [("out", "output", 0.005), ("ens1", "ea_ensembles[1]", 0.01)]),
    "product": lambda: case(
        8, 1, lambda: nengo.networks.Product(17, 2, input_magnitude=1.5),
        [("a", "[sin(2*pi*3*t), 0.5]", lambda t: [np.sin(2 * np.pi * 3 * t), 0.5], "input_a"),
         ("b", "[cos(2*pi*2*t), -0.3]", lambda t: [np.cos(2 * np.pi * 2 * t), -0.3], "input_b")],
        {"type": "network", "label": "prod", "kind": "Product", "n_neurons": 17, "dimensions": 2,
         "input_magnitude": 1.5},
        [("out", "output", 0.005), ("sq1", "sq1.square", None)]),
    "integrator": lambda: case(
        10, 1, lambda: integrator(0.1, 10, 1),
        [("stim", "sin(2*pi*2*t)", lambda t: np.sin(2 * np.pi * 2 * t), "input")],
        {"type": "network", "label": "integ", "kind": "Integrator", "recurrent_tau": 0.1, "n_neurons": 10,
         "dimensions": 1},
        [("out", "ensemble", 0.01)]),
    "oscillator": lambda: case(
        12, 2, lambda: oscillator(0.1, 6.0, 12),
        [("kick", "[exp(-t/0.02), 0]", lambda t: [np.exp(-t / 0.02), 0.0], "input")],
        {"type": "network", "label": "osc", "kind": "Oscillator", "recurrent_tau": 0.1, "frequency": 6.0,
         "n_neurons": 12},
        [("out", "ensemble", 0.01)]),
    "circular-convolution": lambda: case(
        8, 1, lambda: nengo.networks.CircularConvolution(16, 3, invert_b=True, input_magnitude=0.8),
        [("a", "[sin(2*pi*3*t), 0.45, -0.35]", lambda t: [np.sin(2 * np.pi * 3 * t), 0.45, -0.35], "input_a"),
         ("b", "[0.4, cos(2*pi*2*t), 0.25]", lambda t: [0.4, np.cos(2 * np.pi * 2 * t), 0.25], "input_b")],
        {"type": "network", "label": "cc", "kind": "CircularConvolution", "n_neurons": 16, "dimensions": 3,
         "invert_b": True, "input_magnitude": 0.8},
        [("out", "output", 0.005), ("prod", "product.output", None)]),
    "circular-convolution-even": lambda: case(
        6, 1, lambda: nengo.networks.CircularConvolution(12, 4),
        [("a", "[sin(2*pi*3*t), 0.5, -0.3, 0.1]", lambda t: [np.sin(2 * np.pi * 3 * t), 0.5, -0.3, 0.1],
          "input_a"),
         ("b", "[0.4, cos(2*pi*2*t), 0.2, -0.5]", lambda t: [0.4, np.cos(2 * np.pi * 2 * t), 0.2, -0.5],
          "input_b")],
        {"type": "network", "label": "cc", "kind": "CircularConvolution", "n_neurons": 12, "dimensions": 4},
        [("out", "output", 0.005)]),
    "input-gated-memory": lambda: case(
        8, 1, lambda: nengo.networks.InputGatedMemory(8, 2, feedback=0.9, recurrent_synapse=0.05),
        [("stim", "[sin(2*pi*3*t), 0.5]", lambda t: [np.sin(2 * np.pi * 3 * t), 0.5], "input"),
         ("gate", "0.5 + 0.5*sin(2*pi*4*t)", lambda t: 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t), "gate"),
         ("reset", "0.2*t", lambda t: 0.2 * t, "reset")],
        {"type": "network", "label": "igm", "kind": "InputGatedMemory", "n_neurons": 8, "dimensions": 2,
         "feedback": 0.9, "recurrent_synapse": 0.05},
        [("out", "output", 0.005), ("diff", "diff.output", 0.005)]),
    "basal-ganglia": lambda: case(
        10, 1, lambda: nengo.networks.BasalGanglia(3, n_neurons_per_ensemble=10, input_bias=0.1),
        [("stim", "[0.8, 0.4 + sin(2*pi*2*t), 0.3]", lambda t: [0.8, 0.4 + np.sin(2 * np.pi * 2 * t), 0.3],
          "input")],
        {"type": "network", "label": "bg", "kind": "BasalGanglia", "dimensions": 3,
         "n_neurons_per_ensemble": 10, "input_bias": 0.1},
        [("out", "output", 0.01), ("gpi", "gpi.func_gpi", None)]),
    "basal-ganglia-synapses": lambda: case(
        10, 1, basal_ganglia_synapses,
        [("stim", "[0.8, 0.4 + sin(2*pi*2*t), 0.3]", lambda t: [0.8, 0.4 + np.sin(2 * np.pi * 2 * t), 0.3],
          "input")],
        {"type": "network", "label": "bg", "kind": "BasalGanglia", "dimensions": 3,
         "n_neurons_per_ensemble": 10, "output_weight": -2.5,
         "ampa_synapse": {"type": "Alpha", "tau": 0.003}, "gaba_synapse": 0.01},
        [("out", "output", 0.01), ("gpi", "gpi.func_gpi", None), ("stn", "stn.func_stn", 0.005)]),
    "thalamus": lambda: case(
        9, 1, lambda: nengo.networks.Thalamus(3, n_neurons_per_ensemble=9, mutual_inhib=1.2, threshold=0.1),
        [("stim", "[-0.8, sin(2*pi*2*t), -0.3]", lambda t: [-0.8, np.sin(2 * np.pi * 2 * t), -0.3], "input")],
        {"type": "network", "label": "thal", "kind": "Thalamus", "dimensions": 3,
         "n_neurons_per_ensemble": 9, "mutual_inhib": 1.2, "threshold": 0.1},
        [("out", "output", 0.01)]),
    "associative-memory": lambda: case(
        10, 1, associative_memory,
        [("stim", "[sin(2*pi*2*t), cos(2*pi*2*t)]", lambda t: [np.sin(2 * np.pi * 2 * t), np.cos(2 * np.pi * 2 * t)],
          "input"),
         ("inh", "0.5*t", lambda t: 0.5 * t, "inhibit")],
        {"type": "network", "label": "am", "kind": "AssociativeMemory", "input_vectors": [[1, 0], [0, 1], [0.6, 0.8]],
         "output_vectors": [[1, 0, 0], [0, 1, 0], [0, 0, -1]], "n_neurons": 10, "threshold": [0.3, 0.2, 0.4],
         "input_scales": 1.2, "inhibitable": True,
         "objects": [{"type": "ensemble", "label": "am.am_ensembles[%d]" % i, "eval_points": AM_POINTS.tolist()}
                     for i in range(3)]},
        [("out", "output", 0.005), ("utilities", "utilities", 0.005)]),
    "associative-memory-addons": lambda: case(
        10, 1, lambda: associative_memory_addons(False), AM_STIMS, associative_memory_addons_json(False),
        [("out", "output", 0.005), ("names", "names", 0.005), ("utilities", "utilities", None)]),
    "associative-memory-threshold": lambda: case(
        10, 1, lambda: associative_memory_addons(True), AM_STIMS, associative_memory_addons_json(True),
        [("out", "output", 0.005), ("names", "names", 0.005), ("thresholded", "thresholded_utilities", 0.005)]),
}


def write(name, make):
    net, objects, probes = make()
    with nengo.Simulator(net, dt=DT, progress_bar=False) as sim:
        sim.run_steps(STEPS)
    data = {
        "about": "Nengo %s reference (float64), written by make-reference.py" % nengo.__version__,
        "steps": STEPS,
        "model": {"format": "spikeworks-model", "version": VERSION,
                  "network": {"seed": 0, "dt": DT, "dtype": "float64"}, "objects": objects},
        "probes": {k: np.asarray(sim.data[p]).reshape(STEPS, -1).tolist() for k, p in probes.items()},
    }
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(data, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    import sys
    for name, make in CASES.items():
        if len(sys.argv) < 2 or name in sys.argv[1:]:
            write(name, make)
