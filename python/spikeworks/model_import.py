# SPDX-License-Identifier: GPL-3.0-or-later
"""A session's network back as a Nengo network, with its parameters.

    s = spikeworks.load_session("trained-in-the-workbench.spkw")
    net, objects = s.network()        # a nengo.Network and {label: object}
    with spikeworks.Simulator(net) as sim:
        sim.run(0.1)                  # runs with the session's parameters

The session's built (or trained) parameters are what the network runs
with: every ensemble gets its gains, biases and encoders as given values,
every connection the weights a step applies (decoded connections become
connections from the pre ensemble's neurons, so their decoders are used as
they are and not solved again; into neurons, the post's gain folded into
the weights by the engine is taken out again, as Nengo applies it), every
layer becomes a TensorNode with that Spikeworks layer and its weights.
Expressions (Node outputs, connection functions of nodes) run through the
engine's own expression evaluator.  Sub-networks come back as nested
nengo.Networks with their labels and seeds (their config defaults applied
to the objects in them); a built-in network (a network with a "kind") as
Nengo's network of that kind (networks_import.py), Piecewise nodes as
nengo.processes.Piecewise, slices as Nengo's slicing.  What has no Nengo
form here — learning rules, processes other than PresentInput (of listed
values or of Fashion-MNIST images) and Piecewise, generated images — is
refused with ModelImportError naming the object.
"""

import json

import numpy as np

import nengo

from . import _layers
from . import _session
from . import networks_import
from . import layers as _layers_mod
from .tensor_node import TensorNode


class ModelImportError(ValueError):
    """A part of a session's network that has no Nengo form here; the
    message names the object and what it is."""


_NEURONS = {
    "RectifiedLinear": (nengo.RectifiedLinear, {"amplitude": 1.0}),
    "SpikingRectifiedLinear": (nengo.SpikingRectifiedLinear, {"amplitude": 1.0}),
    "LIF": (nengo.LIF, {"tau_rc": 0.02, "tau_ref": 0.002, "min_voltage": 0.0, "amplitude": 1.0}),
    "LIFRate": (nengo.LIFRate, {"tau_rc": 0.02, "tau_ref": 0.002, "amplitude": 1.0}),
    "Sigmoid": (nengo.Sigmoid, {"tau_ref": 0.0025}),
    "Tanh": (nengo.Tanh, {"tau_ref": 0.0025}),
}

_LAYER_DEFAULTS = {"units": 1, "filters": 1, "kernel_size": 3, "strides": 1, "padding": "valid",
                   "use_bias": True, "rate": 0.5, "momentum": 0.99, "epsilon": 0.001,
                   "expression": "x", "trainable": True}


def _refuse(obj, what):
    label = obj.get("label", obj.get("type"))
    raise ModelImportError(f"{obj['type']} '{label}': {what}, which has no Nengo form here")


class _Expr:
    """A model expression of (t) or (t, x) as a Python callable, evaluated
    by the engine's own expression code."""

    def __init__(self, source, size_in, takes_t=True):
        self.compiled = _layers.expr_compile(source, size_in)
        self.size_in = size_in
        self.size_out = _layers.expr_info(self.compiled)[0]
        self.takes_t = takes_t

    def __call__(self, *args):
        t = args[0] if self.takes_t else 0.0
        x = np.ascontiguousarray(args[-1], dtype=np.float64) if self.size_in else None
        return np.frombuffer(_layers.expr_eval(self.compiled, float(t), x, 1))


def _synapse(obj, value):
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return nengo.Lowpass(float(value))
    kind = value.get("type")
    if kind == "Lowpass":
        return nengo.Lowpass(value["tau"])
    if kind == "Alpha":
        return nengo.Alpha(value["tau"])
    if kind == "Triangle":
        return nengo.synapses.Triangle(value["t"])
    if kind == "LinearFilter":
        return nengo.LinearFilter(value["num"], value["den"], analog=value.get("analog", True))
    return _refuse(obj, f"the synapse {kind}")


def _initial_state(spec):
    """A model file's initial_state as Nengo's: a number every neuron
    starts at, one value per neuron, or a Uniform or Choice distribution
    (a state it does not name, or another distribution, starts as Nengo
    draws it)."""
    state = {}
    for name, value in (spec or {}).items():
        if isinstance(value, (int, float)):
            state[name] = nengo.dists.Choice([float(value)])
        elif isinstance(value, list):
            state[name] = np.asarray(value, dtype=np.float64).reshape(-1)
        elif isinstance(value, dict) and value.get("type") == "Uniform":
            state[name] = nengo.dists.Uniform(value.get("low", 0.0), value.get("high", 1.0))
        elif isinstance(value, dict) and value.get("type") == "Choice":
            state[name] = nengo.dists.Choice(value["options"], value.get("weights"))
    return state


class _Importer:
    def __init__(self, tree, params, engine):
        self.tree = tree
        self.params = params
        # Every object as the engine loads it, in network order (built-in
        # networks' own objects too): its key and what it was made as.
        self.engine = engine
        self.at = 0
        self.objects = {}
        self.gains = {}
        self.made = []
        self.changed = {}

    def param(self, label, name):
        return self.params.get(f"{label}/{name}")

    def output(self, obj, output, size_in):
        """A node's output as Nengo's (None for a pass-through)."""
        if isinstance(output, dict):
            kind = output.get("process")
            if kind == "Piecewise":
                values = [np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in output["values"]]
                return nengo.processes.Piecewise(dict(zip((float(t) for t in output["times"]), values)),
                                                 interpolation=output.get("interpolation", "zero"))
            if kind != "PresentInput":
                _refuse(obj, f"its output is the process {kind}")
            inputs = output.get("inputs")
            if isinstance(inputs, dict):
                inputs = self.images(obj, inputs)
            return nengo.processes.PresentInput(
                np.asarray(inputs, dtype=np.float64), output.get("presentation_time", 0.1)
            )
        if isinstance(output, str):
            return _Expr(output, size_in)
        if output is None:
            return None
        return np.ravel(np.asarray(output, dtype=np.float64))

    def node(self, obj):
        size_in = int(obj.get("size_in", 0))
        output = self.output(obj, obj.get("output"), size_in)
        if isinstance(output, _Expr):
            return nengo.Node(output, size_in=size_in, size_out=output.size_out, label=obj.get("label"))
        if output is None:
            return nengo.Node(size_in=size_in, label=obj.get("label"))
        return nengo.Node(output, label=obj.get("label"))

    def images(self, obj, ref):
        """A data-set input's images (raw pixels 0–255, one row each)."""
        if ref.get("dataset") != "fashion-mnist":
            _refuse(obj, f"its inputs are the data set {ref.get('dataset')}")
        from .datasets import fashion_mnist  # pylint: disable=import-outside-toplevel

        (train, _), (test, _) = fashion_mnist.load_data()
        images = train if ref.get("split", "test") == "train" else test
        first, count = int(ref.get("first", 0)), int(ref.get("count", 100))
        return images[first : first + count].reshape(count, -1).astype(np.float64)

    def neuron_type(self, obj, nt):
        spec = {"type": nt} if isinstance(nt, str) else dict(nt)
        if spec["type"] == "Direct":
            return nengo.Direct()
        entry = _NEURONS.get(spec.pop("type"))
        state = _initial_state(spec.pop("initial_state", None))
        if entry is None:
            _refuse(obj, f"the neuron type {nt}")
        cls, defaults = entry
        args = {k: spec.get(k, v) for k, v in defaults.items()}
        state = {k: v for k, v in state.items() if k in cls.state}
        if state:
            args["initial_state"] = state
        return cls(**args)

    def ensemble(self, obj):
        if obj.get("noise") is not None:
            _refuse(obj, "noise")
        n, d = int(obj.get("n_neurons", 50)), int(obj.get("dimensions", 1))
        ens = nengo.Ensemble(n, d, radius=float(obj.get("radius", 1.0)),
                             neuron_type=self.neuron_type(obj, obj.get("neuron_type", "LIF")),
                             label=obj.get("label"))
        self.restore(ens, obj["_key"], obj)
        return ens

    def restore(self, ens, key, obj):
        """Gives ens the session's gains, biases, encoders and evaluation
        points (a Direct ensemble has none)."""
        if isinstance(ens.neuron_type, nengo.Direct):
            return
        gain, bias, enc = (self.param(key, n) for n in ("gain", "bias", "encoders"))
        if gain is None or bias is None or enc is None:
            _refuse(obj, "the session has no built gains, biases and encoders for it")
        ens.gain, ens.bias = np.asarray(gain), np.asarray(bias)
        # Given gains and biases decide the rates and intercepts (a config
        # such as BasalGanglia's would only make Nengo warn that they do).
        ens.max_rates = nengo.Ensemble.max_rates.default
        ens.intercepts = nengo.Ensemble.intercepts.default
        ens.normalize_encoders = False
        ens.encoders = enc.reshape(ens.n_neurons, ens.dimensions)
        points = self.param(key, "eval_points")
        if points is not None:
            ens.eval_points = points.reshape(-1, ens.dimensions) / float(ens.radius)
        self.gains[ens] = np.asarray(gain)

    def layer(self, obj):
        label = obj["_key"]
        o = dict(_LAYER_DEFAULTS, **obj)
        kind = obj.get("layer_type", "dense")
        common = {"trainable": o["trainable"], "name": label}
        make = {
            "dense": lambda: _layers_mod.Dense(o["units"], use_bias=o["use_bias"],
                                               activation=o.get("activation"), **common),
            "conv2d": lambda: _layers_mod.Conv2D(
                o["filters"], (o["kernel_size"], o.get("kernel_width") or o["kernel_size"]),
                o["strides"], o["padding"], use_bias=o["use_bias"],
                activation=o.get("activation"), **common),
            "average-pooling2d": lambda: _layers_mod.AveragePooling2D(
                o["kernel_size"], o["strides"], o["padding"], **common),
            "batch-normalization": lambda: _layers_mod.BatchNormalization(
                axis=o.get("axis", -1), momentum=o["momentum"], epsilon=o["epsilon"], **common),
            "dropout": lambda: _layers_mod.Dropout(o["rate"], **common),
            "expression": lambda: _layers_mod.Expression(o["expression"], **common),
        }.get(kind)
        if make is None:
            _refuse(obj, f"the layer type {kind}")
        layer = make()
        shape_in = tuple(int(s) for s in obj["shape_in"])
        layer._ensure_built((1,) + shape_in, np.random.RandomState(0))
        layer.set_params({name: self.param(label, name) for name in
                          ("weights", "bias", "gamma", "beta", "moving_mean", "moving_var")
                          if self.param(label, name) is not None})
        return TensorNode(layer, shape_in=shape_in, pass_time=kind == "expression",
                          label=obj.get("label"))

    def split(self, owner, name):
        """(name, indices or None): the engine's writer puts a slice in the
        target ("a[0]", "a.neurons[1:3]")."""
        if name not in self.objects and name.endswith("]") and "[" in name:
            # The bracket that opens the slice: a list slice holds brackets too.
            depth = 0
            for i in range(len(name) - 1, -1, -1):
                depth += {"]": 1, "[": -1}.get(name[i], 0)
                if depth == 0:
                    return name[:i], _slice(owner, name[i + 1 : -1])
        return name, None

    def find(self, owner, name):
        """The Nengo object a target without its slice names: an object by
        its key or label (which may hold dots itself, "b.synapse" from a NIR
        graph), an ensemble's neurons, or an attribute of a built-in network
        ("thal.input", as Nengo's Python path)."""
        if name in self.objects:
            return self.objects[name]
        if name[:1] == "#" and name[1:].isdigit() and int(name[1:]) < len(self.engine):
            # An unlabelled object by its place among all the engine's.
            return self.objects[self.engine[int(name[1:])][1]]
        head, _, attr = name.rpartition(".")
        if attr == "neurons" and isinstance(self.objects.get(head), nengo.Ensemble):
            return self.objects[head].neurons
        cut = len(name)
        while (cut := name.rfind(".", 0, cut)) > 0:
            net = self.objects.get(name[:cut])
            if isinstance(net, nengo.Network):
                found = networks_import.walk(net, name[cut:])
                if isinstance(found, (nengo.Node, nengo.Ensemble, nengo.ensemble.Neurons, TensorNode)):
                    return found
        return _refuse(owner, f"its target '{name}' is not an object here")

    def target(self, owner, name, indices=None):
        name, given = self.split(owner, name)
        indices = given if given is not None else indices
        obj = self.find(owner, name)
        if indices is None:
            return obj
        return obj[indices] if isinstance(indices, (int, slice)) else obj[list(indices)]

    def connection(self, obj, key):
        if "learning_rule_type" in obj:
            _refuse(obj, "a learning rule")
        pre_name, pre_index = self.split(obj, obj["pre"])
        post_name, post_index = self.split(obj, obj["post"])
        pre_index = obj.get("pre_slice") if pre_index is None else pre_index
        post_index = obj.get("post_slice") if post_index is None else post_index
        pre = self.target(obj, pre_name, pre_index)
        post = self.target(obj, post_name, post_index)
        weights = self.params.get(f"{key}/weights")
        synapse = _synapse(obj, obj.get("synapse", 0.005))
        base = self.find(obj, pre_name)
        decoded = isinstance(base, nengo.Ensemble) and not isinstance(base.neuron_type, nengo.Direct)
        kwargs = {"synapse": synapse, "label": obj.get("label")}
        if weights is None:
            if decoded or "function" in obj:
                _refuse(obj, "the session has no built weights for it")
            transform = obj.get("transform", 1)
            if isinstance(transform, dict):
                _refuse(obj, "a transform drawn at build time without its built weights")
            return nengo.Connection(pre, post, transform=np.asarray(transform), **kwargs)
        w = self.without_gain(post, weights)
        if decoded:
            # Decoders (after any pre_slice) and transform, folded by the engine.
            return nengo.Connection(base.neurons, post, transform=w.reshape(-1, base.n_neurons),
                                    **kwargs)
        function = obj.get("function")
        if isinstance(function, str):
            kwargs["function"] = _Expr(function, pre.size_out, takes_t=False)
        elif function is not None:
            _refuse(obj, "a function given as points from a node")
        return nengo.Connection(pre, post, transform=_square(w, post), **kwargs)

    def without_gain(self, post, weights):
        """Weights into neurons without the post's gain, which the engine
        folds into them and Nengo applies itself."""
        w = np.asarray(weights, dtype=np.float64)
        base = post.obj if isinstance(post, nengo.base.ObjView) else post
        if isinstance(base, nengo.ensemble.Neurons):
            gain = self.gains[base.ensemble]
            if isinstance(post, nengo.base.ObjView):
                gain = np.atleast_1d(gain[post.slice])
            w = w / (gain if w.ndim == 1 else gain[:, None])
        return w

    def probe(self, obj):
        target = self.target(obj, obj["target"], obj.get("slice"))
        sample_every = obj.get("sample_every") or None
        return nengo.Probe(target, attr=obj.get("attr"), synapse=_synapse(obj, obj.get("synapse")),
                           sample_every=sample_every, label=obj.get("label"))

    def build(self):
        header = self.tree.get("network", {})
        seed = header.get("seed", -1)
        net = nengo.Network(label=header.get("label"), seed=None if seed in (-1, None) else seed)
        # Networks first (nested as in the file), then what is in them in
        # the file's order, connections and probes last: a target may name
        # an object of any network, written before or after it.
        placed = []
        self.network(self.tree, net, {}, placed, None)
        for phase in (("node", "ensemble", "layer"), ("connection",), ("probe",)):
            for where, obj, key in placed:
                if obj["type"] in phase:
                    with where:
                        kind = obj["type"]
                        made = (getattr(self, kind)(obj, key) if kind == "connection"
                                else getattr(self, kind)(obj))
                    self.objects[key] = made
            if phase[0] == "node":
                self.finish_made()
        return net, dict(self.objects)

    def next_entry(self, obj):
        entry = self.engine[self.at] if self.at < len(self.engine) else None
        if entry is None or entry[0] != obj["type"] or entry[3]:
            raise ModelImportError(f"{obj['type']} '{obj.get('label')}': the engine reads the model "
                                   "differently (an object out of order)")
        self.at += 1
        return entry

    def network(self, tree, net, config, placed, made):
        """Makes the sub-networks of tree inside net (label, seed) and lists
        every other object with the network it goes in and its key; the
        networks' config defaults are merged into the objects they apply to
        (an inner network's over an outer one's, the object's own keys over
        both), as the engine reads them.  made: what a built-in network
        made (tree is one), whose entries in tree are changes to those."""
        for obj in tree.get("objects", []):
            kind = obj["type"]
            if made is not None and self.is_change(obj, made):
                continue
            key = self.next_entry(obj)[1]
            if kind != "network":
                placed.append((net, dict(config.get(kind, {}), **obj, _key=key), key))
                continue
            inner = {t: dict(config.get(t, {}), **v)
                     for t, v in (obj.get("config") or {}).items()}
            inner = dict(config, **inner)
            if obj.get("kind"):
                with net:
                    sub = networks_import.make_kind(obj, lambda v, o=obj: _synapse(o, v), _refuse)
                self.objects[key] = sub
                self.network(obj, sub, inner, placed, self.take_made(obj, sub))
                continue
            sub_seed = obj.get("seed", -1)
            with net:
                sub = nengo.Network(label=obj.get("label"),
                                    seed=None if sub_seed in (-1, None) else sub_seed)
            self.objects[key] = sub
            self.network(obj, sub, inner, placed, None)

    def is_change(self, obj, made):
        """Whether an entry of a built-in network's objects changes one of
        the objects it made (the engine's values include the change)."""
        if obj["type"] == "connection" and "label" not in obj:
            pair = (obj.get("pre"), obj.get("post"))
            if pair in made:
                self.changed[made[pair]] = obj
                return True
            return False
        return obj["type"] in ("node", "ensemble") and obj.get("label") in made

    def take_made(self, owner, net):
        """Finds each object the engine made for the built-in network net
        among the objects of Nengo's network of that kind; returns their
        labels and connection (pre, post) pairs as made."""
        prefix = owner["label"]
        made = {}
        taken = set()

        def walk(label):
            found = networks_import.find_made(net, prefix, label)
            if found is None:
                _refuse(owner, f"its object '{label}' is not one of Nengo's {owner['kind']}")
            return found

        while self.at < len(self.engine) and self.engine[self.at][3]:
            kind, key, label, _, _, as_made, pre, post, values = self.engine[self.at]
            self.at += 1
            if kind == "connection":
                conn = networks_import.find_connection(net, walk(pre), walk(post), taken)
                if conn is None:
                    _refuse(owner, f"Nengo's {owner['kind']} has no connection from '{pre}' to '{post}'")
                made[(pre, post)] = key
                self.objects[key] = conn
            else:
                found = walk(as_made or label)
                self.objects[key] = found
                if as_made:
                    made[as_made] = key
                    self.objects.setdefault(as_made, found)
                if label and as_made and label != as_made:
                    found.label = label
            if kind != "network":
                self.made.append((kind, key, json.loads(values) if values else {}))
        return made

    def finish_made(self):
        """Gives the objects built-in networks made the values the engine
        runs them with: ensembles and nodes first, then connections (into
        neurons they need the post's gains)."""
        for kind, key, values in sorted(self.made, key=lambda m: m[0] == "connection"):
            obj = self.objects[key]
            entry = {"type": kind, "label": key}
            if kind == "ensemble":
                self.finish_ensemble(obj, key, entry, values)
            elif kind == "node":
                output = self.output(entry, values.get("output"), int(values.get("size_in", 0)))
                if output is not None and not (isinstance(output, np.ndarray)
                                               and isinstance(obj.output, np.ndarray)
                                               and np.array_equal(output, obj.output)):
                    obj.output = output
            elif kind == "connection":
                self.finish_connection(obj, key, dict(self.changed.get(key, {}), **entry), values)

    def finish_ensemble(self, ens, key, entry, values):
        if values.get("noise") is not None:
            _refuse(entry, "noise")
        if (int(values.get("n_neurons", ens.n_neurons)), int(values.get("dimensions", ens.dimensions))) != (
                ens.n_neurons, ens.dimensions):
            _refuse(entry, "a size other than the one its network makes")
        ens.radius = float(values.get("radius", 1.0))
        ens.neuron_type = self.neuron_type(entry, values.get("neuron_type", "LIF"))
        self.restore(ens, key, entry)

    def finish_connection(self, conn, key, entry, values):
        if values.get("learning_rule_type") is not None:
            _refuse(entry, "a learning rule")
        conn.synapse = _synapse(entry, values.get("synapse"))
        if isinstance(entry.get("function"), str):
            conn.function = _Expr(entry["function"], conn.pre.size_out, takes_t=False)
        transform = values.get("transform", 1.0)
        if isinstance(transform, dict):
            _refuse(entry, f"the transform {transform.get('type')}")
        weights = self.params.get(f"{key}/weights")
        pre = conn.pre_obj
        if isinstance(pre, nengo.Ensemble) and not isinstance(pre.neuron_type, nengo.Direct):
            if weights is None:
                _refuse(entry, "the session has no built weights for it")
            if (values.get("solver") or {}).get("weights"):
                _refuse(entry, "a solver of full weights on a connection its network makes")
            if not np.isscalar(transform):
                conn.transform = np.asarray(transform, dtype=np.float64)
            values = networks_import.decoders(conn, transform, weights)
            if values is None:
                _refuse(entry, "weights no decoders of its transform give")
            # The session's decoders, as the engine solved or trained them.
            conn.solver = nengo.solvers.NoSolver(values)
        elif weights is not None:
            conn.transform = _square(self.without_gain(conn.post, weights), conn.post)
        else:
            conn.transform = np.asarray(transform, dtype=np.float64)


def _square(w, post):
    """Weights as a Nengo transform: a vector acts elementwise (Nengo's
    one-dimensional Dense, not the n × n diagonal it stands for: a NIR
    graph's 4,096-neuron layers would carry 16 M zeros), one value on a
    larger post is a 1 × 1 matrix."""
    if w.ndim == 1:
        return w if w.size > 1 else w.reshape(1, 1)
    return w


def _slice(owner, text):
    """A slice in a target, as the model format writes it ("0", "1:3",
    "::2", "0, 2"): an index, a Python slice or a list of indices."""
    try:
        if ":" in text:
            parts = [int(p) if p.strip() else None for p in text.split(":")]
            return slice(*parts)
        values = [int(v) for v in text.strip("[] ").split(",")]
        return values if len(values) > 1 or "," in text else values[0]
    except ValueError:
        _refuse(owner, f"the slice [{text}]")
    return None


def to_network(model, params):
    """(nengo.Network, {label: Nengo object}) of a model (JSON text or
    dict) run with params ({key: array}, a session's built parameters)."""
    text = model if isinstance(model, str) else json.dumps(model)
    tree = json.loads(text)
    return _Importer(tree, params, _session.objects(text, ModelImportError)).build()
