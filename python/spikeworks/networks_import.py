# SPDX-License-Identifier: GPL-3.0-or-later
"""A model's built-in networks (a "network" with a "kind") as Nengo's.

A kind becomes the network of nengo.networks with the same parameters,
label and seed (Integrator and Oscillator as Nengo 3.0 made them: they
left nengo.networks after it).  The engine lists the objects it made for
the kind (spikeworks._session.objects) with the label, or for a connection
the pre and post, they were made with; each is found in Nengo's network by
that Python path ("ea.ea_ensembles[0]", "prod.sq1.square") and then runs
with the values the engine runs it with — its config, its kind's and the
session's changes applied, and the session's built or trained parameters —
so Nengo's simulator gives the engine's numbers.  model_import.py does the
rest of the session.
"""

import re

import numpy as np

import nengo


class Integrator(nengo.Network):
    """nengo.networks.Integrator of Nengo 3.0."""

    def __init__(self, recurrent_tau, n_neurons, dimensions, **kwargs):
        kwargs.setdefault("label", "Integrator")
        super().__init__(**kwargs)
        self.recurrent_tau = recurrent_tau
        with self:
            self.input = nengo.Node(size_in=dimensions)
            self.ensemble = nengo.Ensemble(n_neurons, dimensions=dimensions)
            nengo.Connection(self.ensemble, self.ensemble, synapse=recurrent_tau)
            nengo.Connection(self.input, self.ensemble, transform=recurrent_tau, synapse=None)
        self.output = self.ensemble


class Oscillator(nengo.Network):
    """nengo.networks.Oscillator of Nengo 3.0 (frequency in radians per
    second)."""

    def __init__(self, recurrent_tau, frequency, n_neurons, **kwargs):
        kwargs.setdefault("label", "Oscillator")
        super().__init__(**kwargs)
        self.recurrent_tau, self.frequency = recurrent_tau, frequency
        with self:
            self.input = nengo.Node(label="In", size_in=2)
            self.ensemble = nengo.Ensemble(n_neurons, dimensions=2, label="Oscillator")
            rotation = [[1, -frequency * recurrent_tau], [frequency * recurrent_tau, 1]]
            nengo.Connection(self.ensemble, self.ensemble, synapse=recurrent_tau, transform=rotation)
            nengo.Connection(self.input, self.ensemble, synapse=None)
        self.output = self.ensemble


# kind: (Nengo's class, its parameters with the model format's defaults),
# parameters in the order of Nengo's signature (docs/model-format.md).
KINDS = {
    "EnsembleArray": (nengo.networks.EnsembleArray,
                      {"n_neurons": None, "n_ensembles": None, "ens_dimensions": 1}),
    "Product": (nengo.networks.Product, {"n_neurons": None, "dimensions": None, "input_magnitude": 1.0}),
    "CircularConvolution": (nengo.networks.CircularConvolution,
                            {"n_neurons": None, "dimensions": None, "invert_a": False, "invert_b": False,
                             "input_magnitude": 1.0}),
    "Integrator": (Integrator, {"recurrent_tau": None, "n_neurons": None, "dimensions": None}),
    "Oscillator": (Oscillator, {"recurrent_tau": None, "frequency": None, "n_neurons": None}),
    "InputGatedMemory": (nengo.networks.InputGatedMemory,
                         {"n_neurons": None, "dimensions": None, "feedback": 1.0, "difference_gain": 1.0,
                          "recurrent_synapse": 0.1, "difference_synapse": None}),
    "BasalGanglia": (nengo.networks.BasalGanglia,
                     {"dimensions": None, "n_neurons_per_ensemble": 100, "output_weight": -3.0,
                      "input_bias": 0.0}),
    "Thalamus": (nengo.networks.Thalamus,
                 {"dimensions": None, "n_neurons_per_ensemble": 50, "mutual_inhib": 1.0, "threshold": 0.0}),
    "AssociativeMemory": (nengo.networks.AssociativeMemory,
                          {"input_vectors": None, "output_vectors": None, "n_neurons": 50, "threshold": 0.3,
                           "input_scales": 1.0, "inhibitable": False}),
}

_SYNAPSE_PARAMS = ("recurrent_synapse", "difference_synapse")


def make_kind(obj, synapse, refuse):
    """The Nengo network of a kind network obj (made in the current
    network context); synapse(value) converts a model synapse."""
    kind = obj["kind"]
    if kind not in KINDS:
        refuse(obj, f"the built-in network {kind}")
    cls, params = KINDS[kind]
    args = {}
    for name, default in params.items():
        value = obj.get(name, default)
        if name in _SYNAPSE_PARAMS:
            value = synapse(value)
        elif isinstance(value, list):
            value = np.asarray(value, dtype=np.float64)
        args[name] = value
    if kind == "BasalGanglia":
        # Nengo's ampa_config and gaba_config: configs whose connections
        # have that synapse (the model format keeps only the synapse).
        for name in ("ampa", "gaba"):
            if f"{name}_synapse" in obj:
                config = nengo.Config(nengo.Connection)
                config[nengo.Connection].synapse = synapse(obj[f"{name}_synapse"])
                args[f"{name}_config"] = config
    seed = obj.get("seed", -1)
    net = cls(**args, label=obj.get("label"), seed=None if seed in (-1, None) else seed)
    if kind == "AssociativeMemory":
        _add_ons(net, obj, synapse)
    return net


def _vectors(value):
    return np.asarray(value, dtype=np.float64)


def _add_ons(am, obj, synapse):
    """AssociativeMemory's methods that add to it, called with the
    parameters the model file keeps, in the order the engine applies them
    (inputs, outputs, default vectors, winner-take-all, thresholds)."""
    for m in obj.get("input_mappings") or []:
        am.add_input_mapping(m["name"], _vectors(m["input_vectors"]), m.get("input_scales", 1.0))
    for m in obj.get("output_mappings") or []:
        am.add_output_mapping(m["name"], _vectors(m["output_vectors"]))
    for m in obj.get("default_output_vectors") or []:
        am.add_default_output_vector(_vectors(m["output_vector"]), m.get("output_name", "output"),
                                     m.get("n_neurons", 50), m.get("min_activation_value", 0.5))
    wta = obj.get("wta_network")
    if wta is not None:
        am.add_wta_network(wta.get("inhibit_scale", 1.5), synapse(wta.get("inhibit_synapse", 0.005)))
    threshold = obj.get("threshold_outputs")
    if threshold is not None:
        am.add_threshold_to_outputs(threshold.get("n_neurons", 50), threshold.get("inhibit_scale", 10))


_DEFAULT_VECTOR = re.compile(r"\.default_(.+)_vector")
_PATH = re.compile(r"\.?([A-Za-z_]\w*)|\[(-?\d+)\]")


def walk(net, path):
    """The object at a Python attribute path below net ("sq1.square",
    "ea_ensembles[0]"), or None."""
    obj, pos = net, 0
    while pos < len(path):
        m = _PATH.match(path, pos)
        if m is None:
            return None
        try:
            obj = getattr(obj, m.group(1)) if m.group(1) else obj[int(m.group(2))]
        except (AttributeError, IndexError, TypeError):
            return None
        pos = m.end()
    return obj


def find_made(net, prefix, label):
    """The object of net (labelled prefix) that the engine's label of an
    object it made names ("ea.ea_ensembles[0]", "ea.input[0:2]",
    "ea.ea_ensembles[1].neurons"), or None."""
    found = walk(net, label[len(prefix):]) if label.startswith(prefix + ".") else None
    default = _DEFAULT_VECTOR.fullmatch(label[len(prefix):])
    if found is None and default is not None:
        # AssociativeMemory's default vector ensemble has no attribute.
        found = next((e for e in net.all_ensembles if e.label == f"Default {default.group(1)} vector"), None)
    if found is None and label.endswith("]") and "[" in label:
        cut = label.rindex("[")
        base = find_made(net, prefix, label[:cut])
        try:
            parts = [int(p) if p.strip() else None for p in label[cut + 1 : -1].split(":")]
            found = None if base is None else base[slice(*parts) if len(parts) > 1 else parts[0]]
        except (ValueError, TypeError, IndexError):
            found = None
    return found


def ends(target):
    """A connection end as (object, indices or None), to compare one that
    Nengo made with one that the engine names."""
    index = None
    if isinstance(target, nengo.base.ObjView):
        index = tuple(np.arange(target.obj.size_out)[target.slice].ravel().tolist())
        target = target.obj
    if isinstance(target, nengo.ensemble.Neurons):
        return ("neurons", target.ensemble), index
    return target, index


def find_connection(net, pre, post, taken):
    """The connection of net (at any depth) from pre to post that is not
    in taken, in the order Nengo made them."""
    want = (ends(pre), ends(post))
    for conn in net.all_connections:
        if id(conn) not in taken and (ends(conn.pre), ends(conn.post)) == want:
            taken.add(id(conn))
            return conn
    return None


def decoders(conn, transform, weights):
    """Nengo's NoSolver values (n_neurons × size_mid) that give, with the
    connection's transform, the weights a step applies (the engine's
    decoders and transform folded together); None when no decoders do."""
    w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    t = np.asarray(transform, dtype=np.float64)
    if t.ndim == 0:
        return (w / float(t)).T if float(t) != 0.0 else None
    d_t, *_ = np.linalg.lstsq(t, w, rcond=None)
    if not np.allclose(t @ d_t, w, rtol=0, atol=1e-12 * max(1.0, np.abs(w).max())):
        return None
    return d_t.T
