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
to the objects in them).  What has no Nengo form here —
learning rules, Nengo's built-in networks (a network with a "kind"),
processes other than PresentInput (of
listed values or of Fashion-MNIST images), generated images — is refused with ModelImportError naming the
object.
"""

import json

import numpy as np

import nengo

from . import _layers
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
    def __init__(self, tree, params):
        self.tree = tree
        self.params = params
        self.objects = {}
        self.gains = {}

    def param(self, label, name):
        return self.params.get(f"{label}/{name}")

    def node(self, obj):
        output = obj.get("output")
        size_in = int(obj.get("size_in", 0))
        if isinstance(output, dict):
            if output.get("process") != "PresentInput":
                _refuse(obj, f"its output is the process {output.get('process')}")
            inputs = output.get("inputs")
            if isinstance(inputs, dict):
                inputs = self.images(obj, inputs)
            proc = nengo.processes.PresentInput(
                np.asarray(inputs, dtype=np.float64), output.get("presentation_time", 0.1)
            )
            return nengo.Node(proc, label=obj.get("label"))
        if isinstance(output, str):
            fn = _Expr(output, size_in)
            return nengo.Node(fn, size_in=size_in, size_out=fn.size_out, label=obj.get("label"))
        if output is None:
            return nengo.Node(size_in=size_in, label=obj.get("label"))
        return nengo.Node(np.ravel(np.asarray(output, dtype=np.float64)), label=obj.get("label"))

    def images(self, obj, ref):
        """A data-set input's images (raw pixels 0–255, one row each)."""
        if ref.get("dataset") != "fashion-mnist":
            _refuse(obj, f"its inputs are the data set {ref.get('dataset')}")
        from .datasets import fashion_mnist  # pylint: disable=import-outside-toplevel

        (train, _), (test, _) = fashion_mnist.load_data()
        images = train if ref.get("split", "test") == "train" else test
        first, count = int(ref.get("first", 0)), int(ref.get("count", 100))
        return images[first : first + count].reshape(count, -1).astype(np.float64)

    def ensemble(self, obj):
        label = obj["_key"]
        nt = obj.get("neuron_type", "LIF")
        spec = {"type": nt} if isinstance(nt, str) else dict(nt)
        if spec["type"] == "Direct":
            # No neurons, so nothing built to restore.
            return nengo.Ensemble(int(obj.get("n_neurons", 50)), int(obj.get("dimensions", 1)),
                                  radius=float(obj.get("radius", 1.0)), neuron_type=nengo.Direct(), label=label)
        entry = _NEURONS.get(spec.pop("type"))
        state = _initial_state(spec.pop("initial_state", None))
        if entry is None:
            _refuse(obj, f"the neuron type {nt}")
        cls, defaults = entry
        args = {k: spec.get(k, v) for k, v in defaults.items()}
        state = {k: v for k, v in state.items() if k in cls.state}
        if state:
            args["initial_state"] = state
        neuron = cls(**args)
        gain, bias, enc = (self.param(label, n) for n in ("gain", "bias", "encoders"))
        if gain is None or bias is None or enc is None:
            _refuse(obj, "the session has no built gains, biases and encoders for it")
        n, d = int(obj.get("n_neurons", 50)), int(obj.get("dimensions", 1))
        kwargs = {}
        points = self.param(label, "eval_points")
        if points is not None:
            kwargs["eval_points"] = points.reshape(-1, d) / float(obj.get("radius", 1.0))
        ens = nengo.Ensemble(
            n, d, radius=float(obj.get("radius", 1.0)), neuron_type=neuron,
            gain=np.asarray(gain), bias=np.asarray(bias), encoders=enc.reshape(n, d),
            normalize_encoders=False, label=obj.get("label"), **kwargs,
        )
        self.gains[label] = np.asarray(gain)
        return ens

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

    def base_label(self, name):
        """The object a target names ("b" of "b.neurons"); a label may
        hold dots itself ("b.synapse" from a NIR graph)."""
        return name if name in self.objects else name.rpartition(".")[0]

    def target(self, owner, name, indices=None):
        name, given = self.split(owner, name)
        indices = given if given is not None else indices
        # A label may hold dots itself ("b.synapse" from a NIR graph).
        base, attr = (name, "") if name in self.objects else name.rpartition(".")[::2]
        obj = self.objects.get(base)
        if obj is None:
            _refuse(owner, f"its target '{name}' is not an object here")
        if attr == "neurons":
            obj = obj.neurons
        elif attr:
            _refuse(owner, f"the target '{name}'")
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
        base = self.objects[self.base_label(pre_name)]
        decoded = (isinstance(base, nengo.Ensemble) and not pre_name.endswith(".neurons")
                   and not isinstance(base.neuron_type, nengo.Direct))
        kwargs = {"synapse": synapse, "label": obj.get("label")}
        if weights is None:
            if decoded or "function" in obj:
                _refuse(obj, "the session has no built weights for it")
            transform = obj.get("transform", 1)
            if isinstance(transform, dict):
                _refuse(obj, "a transform drawn at build time without its built weights")
            return nengo.Connection(pre, post, transform=np.asarray(transform), **kwargs)
        w = np.asarray(weights, dtype=np.float64)
        if post_name.endswith(".neurons"):
            # The engine folds the post's gain into weights into neurons.
            gain = self.gains[self.base_label(post_name)]
            if post_index is not None:
                gain = np.atleast_1d(gain[post_index if isinstance(post_index, (int, slice))
                                          else list(post_index)])
            w = w / (gain if w.ndim == 1 else gain[:, None])
        if decoded:
            # Decoders (after any pre_slice) and transform, folded by the engine.
            return nengo.Connection(base.neurons, post, transform=w.reshape(-1, base.n_neurons),
                                    **kwargs)
        function = obj.get("function")
        if isinstance(function, str):
            kwargs["function"] = _Expr(function, pre.size_out, takes_t=False)
        elif function is not None:
            _refuse(obj, "a function given as points from a node")
        if w.ndim == 1:
            w = np.diag(w) if w.size > 1 or post.size_in > 1 else w.reshape(1, 1)
        return nengo.Connection(pre, post, transform=w, **kwargs)

    def probe(self, obj):
        target = self.target(obj, obj["target"], obj.get("slice"))
        sample_every = obj.get("sample_every") or None
        return nengo.Probe(target, attr=obj.get("attr"), synapse=_synapse(obj, obj.get("synapse")),
                           sample_every=sample_every, label=obj.get("label"))

    def build(self):
        header = self.tree.get("network", {})
        seed = header.get("seed", -1)
        net = nengo.Network(label=header.get("label"), seed=None if seed in (-1, None) else seed)
        self.counts = {}
        self.labels = {obj["label"] for obj in _all(self.tree) if obj.get("label")}
        # Networks first (nested as in the file), then what is in them in
        # the file's order, connections and probes last: a target may name
        # an object of any network, written before or after it.
        placed = []
        self.network(self.tree, net, {}, placed)
        for phase in (("node", "ensemble", "layer"), ("connection",), ("probe",)):
            for where, obj, key in placed:
                if obj["type"] in phase:
                    with where:
                        kind = obj["type"]
                        made = (getattr(self, kind)(obj, key) if kind == "connection"
                                else getattr(self, kind)(obj))
                    self.objects[key] = made
        return net, dict(self.objects)

    def network(self, tree, net, config, placed):
        """Makes the sub-networks of tree inside net (label, seed) and lists
        every other object with the network it goes in and its key; the
        networks' config defaults are merged into the objects they apply to
        (an inner network's over an outer one's, the object's own keys over
        both), as the engine reads them."""
        for obj in tree.get("objects", []):
            kind = obj["type"]
            # The engine's key for objects without a label (docs/session-format.md):
            # type and index, with '~' appended while a label has that name.
            key = obj.get("label")
            if not key:
                key = f"{kind}{self.counts.get(kind, 0)}"
                while key in self.labels:
                    key += "~"
            self.counts[kind] = self.counts.get(kind, 0) + 1
            if kind != "network":
                placed.append((net, dict(config.get(kind, {}), **obj, _key=key), key))
                continue
            if obj.get("kind"):
                _refuse(obj, f"the built-in network {obj['kind']}")
            inner = {t: dict(config.get(t, {}), **v)
                     for t, v in (obj.get("config") or {}).items()}
            inner = dict(config, **inner)
            sub_seed = obj.get("seed", -1)
            with net:
                sub = nengo.Network(label=obj.get("label"),
                                    seed=None if sub_seed in (-1, None) else sub_seed)
            self.objects[key] = sub
            self.network(obj, sub, inner, placed)


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


def _all(tree):
    for obj in tree.get("objects", []):
        yield obj
        if obj.get("type") == "network":
            yield from _all(obj)


def to_network(model, params):
    """(nengo.Network, {label: Nengo object}) of a model (JSON text or
    dict) run with params ({key: array}, a session's built parameters)."""
    tree = json.loads(model) if isinstance(model, str) else model
    return _Importer(tree, params).build()
