# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.to_model: a Nengo network as a Spikeworks model file.

    text = spikeworks.to_model(net)        # or a built Simulator
    open("net.json", "w").write(text)      # opens in the workbench and CLI

The network is built with Nengo's own builder first (or the Simulator's
build is used), and every value Nengo drew from its random numbers is
written out explicitly — encoders, gains, biases, maximum rates,
intercepts, evaluation points, each neuron's initial state and sampled
transforms — so the engine, whose random streams differ from numpy's,
never draws any of them again, and an edit in the workbench never silently
re-draws what Python drew.  Decoders are solved again by the engine from
those same values (they match Nengo's to round-off), so a decoded
connection stays a decoded connection with its solver.

What the model format cannot hold (a Python function, a noise process
drawn from numpy, a custom neuron type…) is refused
with `ModelExportError` naming the object, the parameter and what to do
instead; nothing is silently dropped.  A connection whose function is a
Python function, from an ensemble, is the one exception that can be kept
exactly: it is written as a connection from the ensemble's neurons with
the decoders Nengo solved as its transform (the same numbers, though the
function itself is gone from the file).
"""

import json

import numpy as np

import nengo
import nengo.utils.least_squares_solvers
from nengo.builder import Model
from nengo.connection import LearningRule
from nengo.ensemble import Neurons
from nengo.exceptions import BuildError
from nengo.base import ObjView
from nengo.transforms import Convolution, ConvolutionTranspose, Dense, NoTransform, Sparse

from . import networks_export
from .dl_callbacks import python_code_of_input
from .tensor_node import PYTHON_ONLY, TensorNode


class ModelExportError(BuildError):
    """A part of a Nengo network that the Spikeworks model format cannot
    represent; the message names the object, the parameter and what to do
    instead."""


# Nengo's neuron classes (exactly these, not subclasses) and the
# parameters the model format has for them.
_NEURON_PARAMS = {
    nengo.LIF: ("tau_rc", "tau_ref", "min_voltage", "amplitude"),
    nengo.LIFRate: ("tau_rc", "tau_ref", "amplitude"),
    nengo.AdaptiveLIF: ("tau_n", "inc_n", "tau_rc", "tau_ref", "min_voltage", "amplitude"),
    nengo.AdaptiveLIFRate: ("tau_n", "inc_n", "tau_rc", "tau_ref", "amplitude"),
    nengo.RectifiedLinear: ("amplitude",),
    nengo.SpikingRectifiedLinear: ("amplitude",),
    nengo.Sigmoid: ("tau_ref",),
    nengo.Tanh: ("tau_ref",),
    nengo.Izhikevich: ("tau_recovery", "coupling", "reset_voltage", "reset_recovery"),
    nengo.RegularSpiking: ("amplitude",),
    nengo.Direct: (),
}

_SOLVER_PARAMS = {
    nengo.solvers.LstsqL2: ("reg",),
    nengo.solvers.LstsqL2nz: ("reg",),
    nengo.solvers.Lstsq: ("rcond",),
    nengo.solvers.Nnls: (),
    nengo.solvers.NnlsL2: ("reg",),
    nengo.solvers.NnlsL2nz: ("reg",),
    nengo.solvers.LstsqNoise: ("noise",),
    nengo.solvers.LstsqMultNoise: ("noise",),
    nengo.solvers.LstsqDrop: ("drop",),
    nengo.solvers.NoSolver: (),
}

_RULE_PARAMS = {
    nengo.PES: ("learning_rate", "pre_synapse"),
    nengo.BCM: ("learning_rate", "pre_synapse", "post_synapse", "theta_synapse"),
    nengo.Oja: ("learning_rate", "pre_synapse", "post_synapse", "beta"),
    nengo.Voja: ("learning_rate", "post_synapse"),
    nengo.RLS: ("learning_rate", "pre_synapse"),
}

# Characters with a meaning inside a target ("b.neurons", "a[0]", "#4").
_TARGET_CHARS = str.maketrans({c: "_" for c in ".[]#"})


def _array(values):
    """A list (of rows) of plain floats, exact (Python writes the shortest
    decimal that reads back to the same double)."""
    return np.asarray(values, dtype=np.float64).tolist()


def sparse_entries(weights):
    """(indices nnz × 2, values) of a built Sparse transform's weights
    (Nengo's SparseMatrix, or a scipy matrix when init was one), in the
    order the model file and the engine's "<connection>/weights" keep."""
    if hasattr(weights, "tocoo"):
        coo = weights.tocoo()
        return np.stack([coo.row, coo.col], axis=1), np.asarray(coo.data, dtype=np.float64)
    return np.asarray(weights.indices), np.asarray(weights.data, dtype=np.float64)


def structured_transform(tr, weights):
    """A Sparse, Convolution or ConvolutionTranspose transform as the
    model format's object, with the kernel or entries Nengo built (the
    engine runs and trains them as such: docs/model-format.md)."""
    if isinstance(tr, Sparse):
        indices, values = sparse_entries(weights)
        return {"type": "Sparse", "shape": [int(n) for n in tr.shape], "indices": indices.tolist(),
                "init": _array(values)}
    out = {"type": type(tr).__name__, "n_filters": int(tr.n_filters),
           "input_shape": [int(n) for n in tr.input_shape.shape],
           "kernel_size": [int(n) for n in tr.kernel_size], "strides": [int(n) for n in tr.strides],
           "padding": tr.padding, "channels_last": bool(tr.channels_last)}
    if isinstance(tr, ConvolutionTranspose):
        out["output_shape"] = [int(n) for n in tr.output_shape.shape]
    elif tr.groups != 1:
        out["groups"] = int(tr.groups)
    out["init"] = _array(weights)
    return out


class _Exporter:
    def __init__(self, network, model, fed=(), callbacks=None):
        self.network = network
        self.model = model
        self.fed = frozenset(fed)
        # A list: Nodes running Python code of their input are written as
        # Nodes the engine computes outside, and added to it (None: refused).
        self.callbacks = callbacks
        self.labels = {}
        self.objects = []
        self.kinds = {}

    # Names -----------------------------------------------------------------

    def describe(self, obj):
        """How messages name a Nengo object: its label, else Nengo's repr."""
        kind = type(obj).__name__
        return f"{kind} '{obj.label}'" if getattr(obj, "label", None) else repr(obj)

    def refuse(self, obj, what, instead):
        raise ModelExportError(
            f"{self.describe(obj)}: {what}, which a Spikeworks model file cannot "
            f"hold; {instead}"
        )

    def assign_labels(self, objs):
        """Every object gets a label unique in the file: its own when it
        has one (without the characters targets use), else its kind and
        number (`ensemble3`), as the engine names unlabelled objects."""
        used = set()
        counts = {}
        for obj in objs:
            kind = type(obj).__name__.lower()
            label = getattr(obj, "label", None)
            if label:
                label = str(label).translate(_TARGET_CHARS)
            else:
                label = f"{kind}{counts.get(kind, 0)}"
            counts[kind] = counts.get(kind, 0) + 1
            base, n = label, 1
            while label in used:
                label = f"{base}~{n}"
                n += 1
            used.add(label)
            self.labels[obj] = label

    def target(self, obj, post=False):
        """A target string and the indices of a slice (or None).  A
        connection's post slices the object's input, which for a node or
        layer differs in size from its output."""
        index = None
        if isinstance(obj, ObjView):
            size = obj.obj.size_in if post else obj.obj.size_out
            index = np.arange(size)[obj.slice].tolist()
            obj = obj.obj
        if isinstance(obj, Neurons):
            return f"{self.labels[obj.ensemble]}.neurons", index
        if isinstance(obj, LearningRule):
            return f"{self.labels[obj.connection]}.learning_rule", index
        return self.labels[obj], index

    # Value types -----------------------------------------------------------

    def synapse(self, owner, name, syn):
        if syn is None:
            return None
        if type(syn) is nengo.Lowpass:
            return float(syn.tau)
        if type(syn) is nengo.Alpha:
            return {"type": "Alpha", "tau": float(syn.tau)}
        if type(syn) is nengo.synapses.Triangle:
            return {"type": "Triangle", "t": float(syn.t)}
        if type(syn) is nengo.LinearFilter and (syn.method == "zoh" or not syn.analog):
            out = {"type": "LinearFilter", "num": _array(syn.num), "den": _array(syn.den)}
            if not syn.analog:
                out["analog"] = False
            return out
        return self.refuse(
            owner,
            f"{name} is {syn!r}",
            "use None, Lowpass, Alpha, Triangle or a LinearFilter (analog ones discretised by 'zoh')",
        )

    def neuron_type(self, ens):
        nt = ens.neuron_type
        params = _NEURON_PARAMS.get(type(nt))
        if type(nt) in (nengo.PoissonSpiking, nengo.StochasticSpiking):
            # The engine has both, but draws its own spikes: the file could
            # not reproduce numpy's, as for the noise processes.
            self.refuse(
                ens,
                f"neuron_type is {type(nt).__name__}, whose spikes numpy draws at random",
                "use one of " + ", ".join(cls.__name__ for cls in _NEURON_PARAMS)
                + " (or write the model file yourself: the engine's own draws differ from numpy's)",
            )
        if params is None:
            self.refuse(
                ens,
                f"neuron_type is {type(nt).__name__}, a type the engine does not have",
                "use one of " + ", ".join(cls.__name__ for cls in _NEURON_PARAMS),
            )
        out = {"type": type(nt).__name__}
        for name in params:
            out[name] = float(getattr(nt, name))
        if isinstance(nt, nengo.RegularSpiking):
            base = nt.base
            base_params = _NEURON_PARAMS.get(type(base))
            if base_params is None or getattr(base, "spiking", False):
                self.refuse(
                    ens,
                    f"neuron_type.base is {type(base).__name__}",
                    "use a rate type such as LIFRate",
                )
            out["base"] = {"type": type(base).__name__}
            out["base"].update({n: float(getattr(base, n)) for n in base_params})
        # Every neuron's initial state as Nengo drew it.
        state = {}
        for name in nt.state:
            signal = self.model.sig[ens.neurons].get(name)
            if signal is not None:
                state[name] = _array(signal.initial_value)
        if state:
            out["initial_state"] = state
        return out

    # Objects ---------------------------------------------------------------

    def node(self, node):
        if isinstance(node, TensorNode):
            return self.tensor_node(node)
        out = {"type": "node", "label": self.labels[node]}
        output = node.output
        if node in self.fed:
            # Fed from data (NengoDL's predict and fit): its own output is
            # never used, so it is written as a placeholder of its size.
            out["output"] = [0.0] * node.size_out
            return out
        if self.callbacks is not None and python_code_of_input(node):
            return self.computed_outside(node)
        if output is None:
            out["size_in"] = node.size_in
        elif isinstance(output, nengo.Process):
            out["output"] = self.process(node, output)
        elif callable(output):
            self.refuse(
                node,
                "output is a Python function",
                "give it constant values, a nengo.processes.Piecewise or PresentInput "
                "of the values, or replace the node's output in the workbench by an "
                "expression of t",
            )
        else:
            out["output"] = _array(np.ravel(output))
        if node.size_in and output is not None:
            self.refuse(
                node,
                f"size_in is {node.size_in} with an output of its own",
                "use a node without output (a pass-through) to sum inputs",
            )
        return out

    def computed_outside(self, node):
        """A Node the engine's batched build leaves to Python
        (dl_callbacks.py): its input and, as a placeholder, its size."""
        self.callbacks.append(node)
        out = {"type": "node", "label": self.labels[node], "output": [0.0] * node.size_out}
        if node.size_in:
            out["size_in"] = node.size_in
        return out

    def tensor_node(self, node):
        """A TensorNode with a Spikeworks layer: the engine's layer object
        (its weights go with it as parameters, see layer_params)."""
        layer = node._spk_trainable_layer
        if layer is None and self.callbacks is not None:
            return self.computed_outside(node)
        if layer is None:
            why = getattr(node, "_spk_python_reason", None)
            if why is not None:
                self.refuse(node, f"its layer {node.tensor_func!r} runs only forward, through "
                            f"Python callbacks: {why}",
                            "for training, use only the options the engine's layer has")
            self.refuse(node, f"its function {node.tensor_func!r} {PYTHON_ONLY}",
                        "use one of Spikeworks' layers")
        out = {"type": "layer", "label": self.labels[node]}
        out.update(layer.model_entry(node.shape_in))
        out["shape_in"] = [int(s) for s in node.shape_in]
        if not layer.trainable:
            out["trainable"] = False
        return out

    def process(self, node, proc):
        if type(proc) is nengo.processes.PresentInput:
            return {
                "process": "PresentInput",
                "inputs": _array(np.reshape(proc.inputs, (len(proc.inputs), -1))),
                "presentation_time": float(proc.presentation_time),
            }
        if type(proc) is nengo.processes.Piecewise:
            if any(callable(v) for v in proc.data.values()):
                self.refuse(
                    node,
                    "output is a Piecewise with functions",
                    "give the values as numbers",
                )
            times = sorted(proc.data)
            out = {
                "process": "Piecewise",
                "times": [float(t) for t in times],
                "values": _array([np.ravel(proc.data[t]) for t in times]),
            }
            if proc.interpolation != "zero":
                out["interpolation"] = proc.interpolation
            return out
        return self.refuse(
            node,
            f"output is the process {type(proc).__name__}"
            + (", whose values numpy draws at random" if type(proc).__module__.startswith("nengo") else ""),
            "present the values with nengo.processes.PresentInput or Piecewise instead",
        )

    def ensemble(self, ens):
        built = self.model.params[ens]
        if ens.noise is not None:
            self.refuse(ens, "noise is set", "remove the noise process")
        radius = float(ens.radius)
        if type(ens.neuron_type) is nengo.Direct:
            # No neurons: nothing was drawn, and the engine computes the
            # value exactly as Nengo does.
            return {
                "type": "ensemble",
                "label": self.labels[ens],
                "n_neurons": ens.n_neurons,
                "dimensions": ens.dimensions,
                "radius": radius,
                "neuron_type": "Direct",
            }
        out = {
            "type": "ensemble",
            "label": self.labels[ens],
            "n_neurons": ens.n_neurons,
            "dimensions": ens.dimensions,
            "radius": radius,
            "neuron_type": self.neuron_type(ens),
            "max_rates": _array(built.max_rates),
            "intercepts": _array(built.intercepts),
            # Nengo's unit encoders as built; normalising them again could
            # move them by an ulp.
            "encoders": _array(built.encoders),
            "normalize_encoders": False,
            # The file's points are for the unit ball, as Nengo's arrays.
            "eval_points": _array(built.eval_points / radius),
            "gain": _array(built.gain),
            "bias": _array(built.bias),
        }
        # Given gains and biases, Nengo works out rates and intercepts only
        # to report them: NaN for a neuron that never fires (as NIR's with
        # a leak below threshold), which a model file cannot hold.
        if not (np.all(np.isfinite(built.max_rates)) and np.all(np.isfinite(built.intercepts))):
            del out["max_rates"], out["intercepts"]
        return out

    def transform(self, conn, built):
        tr = conn.transform
        if isinstance(tr, NoTransform):
            return None
        if isinstance(tr, (Convolution, ConvolutionTranspose, Sparse)):
            return structured_transform(tr, built.weights)
        if type(tr) is not Dense:
            self.refuse(
                conn,
                f"transform is a {type(tr).__name__}",
                "give it as a dense matrix (nengo.transforms.Dense or an array)",
            )
        if isinstance(tr.init, nengo.dists.Distribution):
            return _array(self.sampled(conn, built))
        init = np.asarray(tr.init, dtype=np.float64)
        return float(init) if init.ndim == 0 else _array(init)

    def sampled(self, conn, built):
        """A distribution transform as Nengo sampled it: the built weights
        of a connection that solves no decoders."""
        if isinstance(conn.pre_obj, nengo.Ensemble):
            self.refuse(
                conn,
                "transform is a distribution on a decoded connection",
                "sample it into an array first",
            )
        return np.asarray(built.weights, dtype=np.float64)

    def connection(self, conn):
        built = self.model.params[conn]
        out = {"type": "connection", "label": self.labels[conn]}
        pre, pre_index = self.target(conn.pre)
        post, post_index = self.target(conn.post, post=True)
        decoded = isinstance(conn.pre_obj, nengo.Ensemble) and type(conn.pre_obj.neuron_type) is not nengo.Direct
        solver = conn.solver
        rule = conn.learning_rule_type
        solver_entry = self.solver(conn, solver) if decoded else None
        # A function given as points (an array) is written as it is; only a
        # Python function cannot be.
        points = isinstance(conn.function, np.ndarray)
        plain_decode = decoded and (conn.function is None or points)
        if decoded and not plain_decode:
            if rule is not None:
                self.refuse(
                    conn,
                    "a learning connection has a Python function",
                    "learn from function=None or a function given as points",
                )
            # Nengo's solved decoders (with the transform folded in) on the
            # pre's neurons: the same numbers, as a neurons connection.
            pre = f"{self.labels[conn.pre_obj]}.neurons"
            pre_index = None
            weights = np.atleast_2d(built.weights)
            if solver.weights and isinstance(conn.post_obj, nengo.Ensemble):
                # Full weights already carry the post's gain, which a
                # connection into neurons applies again.
                post = f"{self.labels[conn.post_obj]}.neurons"
                post_index = None
                weights = weights / self.model.params[conn.post_obj].gain[:, None]
            out["pre"], out["post"] = pre, post
            out["transform"] = _array(weights)
        else:
            if conn.function is not None and not points and not decoded and isinstance(conn.pre_obj, nengo.Ensemble):
                self.refuse(
                    conn,
                    "function is a Python function on a connection from a Direct ensemble",
                    "write the model file with the function as an expression of x (the engine "
                    "computes it exactly, as Nengo does)",
                )
            if conn.function is not None and not points:
                self.refuse(
                    conn,
                    "function is set on a connection that decodes nothing",
                    "compute the function in an ensemble (connect through one)",
                )
            out["pre"], out["post"] = pre, post
            transform = self.transform(conn, built)
            if transform is not None and transform != 1.0:
                out["transform"] = transform
            if decoded:
                out["solver"] = solver_entry
            if decoded and conn.eval_points is not None:
                # The connection's points as Nengo built them (drawn or
                # given, already times the radius if it scaled them).
                out["eval_points"] = _array(built.eval_points)
                out["scale_eval_points"] = False
            if points:
                out["function"] = _array(conn.function)
        if pre_index is not None:
            out["pre_slice"] = pre_index
        if post_index is not None:
            out["post_slice"] = post_index
        out["synapse"] = self.synapse(conn, "synapse", conn.synapse)
        if rule is not None:
            out["learning_rule_type"] = self.rule(conn, rule)
        return out

    def solver(self, owner, solver):
        if type(solver) not in _SOLVER_PARAMS:
            self.refuse(
                owner,
                f"solver is {solver!r}",
                "use one of " + ", ".join(s.__name__ for s in _SOLVER_PARAMS),
            )
        sub = getattr(solver, "solver", None)
        if sub is not None and type(sub) is not nengo.utils.least_squares_solvers.Cholesky:
            self.refuse(owner, f"solver's subsolver is {sub!r}", "use the default Cholesky subsolver")
        out = {"type": type(solver).__name__}
        out.update({n: float(getattr(solver, n)) for n in _SOLVER_PARAMS[type(solver)]})
        if isinstance(solver, nengo.solvers.LstsqDrop):
            out["solver1"] = self.solver(owner, solver.solver1)
            out["solver2"] = self.solver(owner, solver.solver2)
        if isinstance(solver, nengo.solvers.NoSolver) and solver.values is not None:
            out["values"] = _array(np.atleast_2d(solver.values))
        if solver.weights:
            out["weights"] = True
        return out

    def rule(self, conn, rule):
        params = _RULE_PARAMS.get(type(rule))
        if params is None:
            self.refuse(
                conn,
                f"learning_rule_type is {type(rule).__name__}",
                "use one of " + ", ".join(cls.__name__ for cls in _RULE_PARAMS),
            )
        out = {"type": type(rule).__name__}
        for name in params:
            value = getattr(rule, name)
            if name.endswith("synapse"):
                out[name] = self.synapse(conn, f"learning_rule_type.{name}", value)
            else:
                out[name] = float(value)
        return out

    def probe(self, probe):
        out = {"type": "probe", "label": self.labels[probe]}
        target, index = self.target(probe.target)
        attr = probe.attr
        if isinstance(probe.obj, LearningRule):
            # The engine probes a rule's signals on its connection.
            target = self.labels[probe.obj.connection]
        out["target"] = target
        if attr is not None:
            out["attr"] = attr
        if index is not None:
            out["slice"] = index
        out["synapse"] = self.synapse(probe, "synapse", probe.synapse)
        if probe.sample_every is not None:
            out["sample_every"] = float(probe.sample_every)
        if (attr == "decoded_output" and isinstance(probe.obj, nengo.Ensemble)
                and type(probe.obj.neuron_type) is not nengo.Direct):
            out["solver"] = self.solver(probe, probe.solver)
        return out

    def network_objects(self, net):
        """A network's own objects, its sub-networks (nested) before its
        connections and probes, so what they connect is written first."""
        return (
            [self.node(n) for n in net.nodes]
            + [self.ensemble(e) for e in net.ensembles]
            + [self.subnetwork(n) for n in net.networks]
            + [self.connection(c) for c in net.connections]
            + [self.probe(p) for p in net.probes]
        )

    def find_kinds(self, net):
        """Nengo's built-in networks in net that are exactly what the
        engine makes of their kind (networks_export.py): written as that
        kind, their objects labelled as the engine labels them."""
        made_connections = set()
        for sub in net.networks:
            found = networks_export.kind_entry(self, sub, self.labels[sub])
            if found is None:
                self.find_kinds(sub)
                continue
            self.kinds[sub] = found
            made_connections.update(id(c) for c in found[1] if isinstance(c, nengo.Connection))
        return made_connections

    def subnetwork(self, net):
        """A Nengo sub-network as the model format's "network" object: its
        label and seed, and its objects inside it; one of Nengo's built-in
        networks as its kind when it is exactly what the engine makes of it
        (the values Nengo drew for its objects as changes to them)."""
        if net in self.kinds:
            entry, found = self.kinds[net]
            return dict(entry, objects=networks_export.changes(self, found))
        out = {"type": "network", "label": self.labels[net]}
        if net.seed is not None:
            out["seed"] = int(net.seed)
        out["objects"] = self.network_objects(net)
        return out

    def export(self, seed, dt, dtype):
        net = self.network
        nodes, ensembles = net.all_nodes, net.all_ensembles
        conns, probes = net.all_connections, net.all_probes
        self.assign_labels(nodes + ensembles + conns + probes + net.all_networks)
        made_connections = self.find_kinds(net)
        for probe in probes:
            # A probe on a connection a kind made could not name it.
            target = probe.target.obj if isinstance(probe.target, ObjView) else probe.target
            if id(target) in made_connections or (isinstance(target, LearningRule)
                                                  and id(target.connection) in made_connections):
                self.kinds = {}
                self.assign_labels(nodes + ensembles + conns + probes + net.all_networks)
                break
        objects = self.network_objects(net)
        header = {"dt": float(dt), "dtype": dtype}
        if net.label:
            header["label"] = str(net.label)
        if seed is not None:
            header["seed"] = int(seed)
        return {
            "format": "spikeworks-model",
            "version": 7,
            "network": header,
            "objects": objects,
        }


def all_objects(tree):
    """Every object of a model tree (dict), those inside networks too,
    depth first in file order (of a built-in network's entries, which
    change the objects it made, those that name one by its label)."""
    for obj in tree["objects"]:
        if "label" not in obj and tree.get("kind"):
            continue
        yield obj
        if obj.get("type") == "network" and obj.get("objects"):
            yield from all_objects(obj)


def _seed(net, model):
    """The seed the network was built from (every value it drew is in the
    file, so this only keeps the record)."""
    return net.seed if net.seed is not None else model.seeds[net]


def _built(sim_or_network):
    """(network, Nengo's built model, seed, dt, dtype name)."""
    if isinstance(sim_or_network, nengo.Network):
        net = sim_or_network
        model = Model(dt=0.001, label=f"{net}", decoder_cache=nengo.cache.NoDecoderCache())
        model.build(net)
        dtype = np.dtype(nengo.rc.float_dtype)
        return net, model, model.seeds[net], model.dt, dtype.name
    sim = sim_or_network
    if not isinstance(sim, nengo.Simulator) or sim.model.toplevel is None:
        raise ModelExportError(
            f"{sim_or_network!r}: expected a nengo.Network or a Simulator built from one"
        )
    dtype = sim.model.time.dtype
    net = sim.model.toplevel
    return net, sim.model, _seed(net, sim.model), sim.dt, dtype.name


def model_dict(sim_or_network, fed=(), callbacks=None):
    """The model file's JSON tree, the labels given to Nengo's objects and
    Nengo's built model.  Nodes in `fed` (without input) are written as
    placeholders of their size, for a caller that feeds them data.  With a
    list as `callbacks`, Nodes that run Python code of their input are
    written as Nodes the engine computes outside and appended to it (for
    the engine's batched predict, never for a file)."""
    net, model, seed, dt, dtype = _built(sim_or_network)
    if dtype not in ("float32", "float64"):
        raise ModelExportError(f"the network's precision is {dtype}; use float32 or float64")
    exporter = _Exporter(net, model, fed, callbacks)
    tree = exporter.export(seed, dt, dtype)
    networks_export.made_keys(exporter, tree)
    return tree, exporter.labels, model


def layer_params(labels):
    """The weights of every Spikeworks layer among labels' objects, keyed
    and shaped as the engine's parameters (`<label>/weights`, `/bias`,
    `/gamma`, `/beta`, `/moving_mean`, `/moving_var`): the values a
    Simulator ran with, which a session or a training run must start from."""
    params = {}
    for obj, label in labels.items():
        layer = getattr(obj, "_spk_trainable_layer", None)
        if layer is not None and layer.built:
            for name, value in layer.params().items():
                params[f"{label}/{name}"] = np.ascontiguousarray(value, dtype=np.float64)
    return params


def set_layer_params(labels, params):
    """Puts engine parameters (as layer_params returns them, e.g. after
    training) back into the Spikeworks layers among labels' objects."""
    for obj, label in labels.items():
        layer = getattr(obj, "_spk_trainable_layer", None)
        if layer is not None and layer.built:
            prefix = f"{label}/"
            layer.set_params({k[len(prefix):]: v for k, v in params.items() if k.startswith(prefix)})


def to_model(sim_or_network):
    """The Spikeworks model file (JSON text, docs/model-format.md, as the
    engine writes it) of a Nengo network or of a Simulator's network, with
    every value Nengo drew written explicitly.  Raises ModelExportError for what the format cannot
    represent, and the engine's own message (as ModelExportError) if the
    result does not load."""
    from . import _session  # pylint: disable=import-outside-toplevel

    tree, _, _ = model_dict(sim_or_network)
    return _session.check_model(json.dumps(tree), ModelExportError)
