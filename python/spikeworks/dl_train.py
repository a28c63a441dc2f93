# SPDX-License-Identifier: GPL-3.0-or-later
"""The bridge between a Simulator's Nengo build and the engine's own
build of the same network, for NengoDL's batched predict and training.

The network is written as a model (model_export: every value Nengo drew,
Nengo's solved decoders in place of the engine's own, so both builds run
the same numbers), with the input Nodes that get data as placeholders,
and built by the engine (spikeworks._train.Model); big transform matrices
go over as arrays, not as text (_matrices_out).  Trained values are
kept as the engine names them (spk_plan_list_params keys:
"<ensemble>/encoders", "/bias", "/gain"; "<connection>/weights", Nengo's
weights without the post's gain) and mapped here to and from Nengo's
objects and signals.
"""

import json

import numpy as np

import nengo
from nengo.exceptions import SimulationError

from . import _train
from .dl_callbacks import callback
from .model_export import (ModelExportError, all_objects, layer_params, model_dict, set_layer_params,
                           sparse_entries)
from .networks_export import made_entries
from .session_save import _nengo_weights

# The engine's names of the parameters that training changes.
TRAINED_SUFFIXES = (
    "/encoders", "/bias", "/weights", "/gamma", "/beta", "/moving_mean", "/moving_var",
)


def _mark_untrainable(tree, labels, network):
    """Objects NengoDL does not train get the model format's "trainable":
    false: those its `trainable` setting excludes, and connections without
    weights (no transform and not decoded), which Nengo's build has no
    weights signal for."""
    try:
        from .settings import is_trainable  # pylint: disable=import-outside-toplevel
    except ImportError:
        def is_trainable(_network, _obj):
            return True
    by_label = {obj["label"]: obj for obj in all_objects(tree)}
    by_label.update(made_entries(tree))  # connections a built-in network made
    for obj in network.all_ensembles + network.all_connections:
        fixed = isinstance(obj, nengo.Connection) and not _has_weights(obj)
        if (fixed or not is_trainable(network, obj)) and labels.get(obj) in by_label:
            by_label[labels[obj]]["trainable"] = False


# A stand-in for a transform matrix whose values go over as a parameter:
# the builder samples it (cheaply: all zeros) and puts the array in place.
_PLACEHOLDER = {"type": "Uniform", "low": 0.0, "high": 0.0}
# Matrices smaller than this stay in the model text.
_HAND_OVER_MIN = 64


def _matrices_out(tree):
    """Moves the big transform matrices out of the model tree:
    {"<connection>/weights": float64 array} to hand to the engine as
    built parameters, with a zero distribution left in the tree for its
    shape.  Writing a 784 × 64 matrix as JSON text and parsing it again
    was most of the Python layer's cost of a fit.

    Only where the engine's built weights are the transform itself, or the
    transform times the post's gains (into neurons): connections that
    decode nothing, learn nothing, are not probed and select no post
    slice."""
    objects = tree["objects"]
    probed = {o["target"] for o in objects if o["type"] == "probe"}
    gains = {o["label"]: o.get("gain") for o in objects if o["type"] == "ensemble"}
    out = {}
    for obj in objects:
        transform = obj.get("transform")
        if (obj["type"] != "connection" or not isinstance(transform, list)
                or not transform or not isinstance(transform[0], list)
                or "solver" in obj or "learning_rule_type" in obj or "post_slice" in obj
                or obj["label"] in probed):
            continue
        matrix = np.array(transform, dtype=np.float64)
        if matrix.size < _HAND_OVER_MIN:
            continue
        post = obj["post"]
        if post.endswith(".neurons"):
            gain = gains.get(post[: -len(".neurons")])
            if not isinstance(gain, list):
                continue
            # The builder folds the post's gain into the transform.
            matrix = matrix * np.array(gain, dtype=np.float64)[:, None]
        out[f"{obj['label']}/weights"] = matrix
        obj["transform"] = dict(_PLACEHOLDER)
    return out


def _gains_with_biases(tree, params):
    """The engine takes an ensemble's gain and bias together: trained
    biases go with the gains Nengo built (as the model tree has them)."""
    for obj in tree["objects"]:
        label = obj["label"]
        if (obj["type"] == "ensemble" and f"{label}/bias" in params
                and f"{label}/gain" not in params and isinstance(obj.get("gain"), list)):
            params[f"{label}/gain"] = np.array(obj["gain"], dtype=np.float64)


class EngineNetwork:
    """A Simulator's network built by the engine, with `fed` input Nodes
    as placeholders; `trained` ({key: array}) in place of the built
    values.  Nodes running Python code of their input are computed by
    their Python functions, called by the engine once per step with the
    whole minibatch (dl_callbacks.py); `python_nodes` lists them, and
    `refusal` is then why the build cannot train (the model format's
    message naming the first), which compile raises."""

    def __init__(self, sim, fed, trained):
        self.python_nodes = []
        self.refusal = None
        tree, labels, model = model_dict(sim, fed, callbacks=self.python_nodes)
        if self.python_nodes:
            try:
                model_dict(sim, fed)
            except ModelExportError as e:
                self.refusal = str(e)
        _mark_untrainable(tree, labels, model.toplevel)
        params = _matrices_out(tree)
        params.update(_nengo_weights(tree, labels, model, None))
        params.update(layer_params(labels))
        params.update(trained)
        _gains_with_biases(tree, params)
        self.labels = labels
        dtype = tree["network"]["dtype"]
        callbacks = {labels[n]: callback(n, dtype) for n in self.python_nodes}
        self.model = _train.Model(json.dumps(tree), params, ModelExportError, callbacks)
        self.handed_over = frozenset(params)
        self.probe_sizes = dict(self.model.probes())

    def compile(self, compiled, optimizer, losses, lif_smoothing):
        """The engine's trainer for these settings.  A fit after a fit with
        the same compile goes on with the same trainer, its optimizer's
        moments included (as Keras's fit does), and exports nothing."""
        if self.refusal is not None:
            raise ModelExportError(self.refusal)
        key = (id(compiled), optimizer, tuple(losses), lif_smoothing)
        if getattr(self, "_compiled_key", None) != key:
            self.model.compile(optimizer, losses, lif_smoothing, "float32")
            self._compiled_key = key
            self._compiled_ref = compiled  # keeps id(compiled) from being reused

    def label(self, obj):
        return self.labels[obj]

    def predict(self, inputs, n_steps, batch, probes, stateful=False):
        """{probe: (batch, n_steps, size) array} of one batched run from
        the saved state; inputs {node: (batch, n_steps, size) array};
        stateful: the run's final state becomes the saved state."""
        feed = {
            self.labels[node]: np.ascontiguousarray(x, dtype=np.float64)
            for node, x in inputs.items()
        }
        try:
            raw = self.model.predict(feed, n_steps, batch, stateful)
        except ModelExportError as e:
            raise SimulationError(str(e)) from None
        out = {}
        for probe in probes:
            label = self.labels[probe]
            values = np.frombuffer(raw[label], dtype=np.float64)
            out[probe] = values.reshape(batch, -1, self.probe_sizes[label])
        return out

    def state_steps(self):
        """The saved state's step count (0: the initial state)."""
        return self.model.state_steps()

    def reset_state(self):
        self.model.reset_state()

    def trained_params(self):
        """{key: array} of the trainable parameters as they are now."""
        return {
            key: _as_array(value)
            for key, value in self.model.params().items()
            if key.endswith(TRAINED_SUFFIXES)
        }


def _as_array(entry):
    data, rows, cols = entry
    values = np.frombuffer(data, dtype=np.float64).copy()
    return values.reshape(rows, cols) if cols else values


def write_layers(labels, trained):
    """Trained values of Spikeworks layers (TensorNodes) into the layers."""
    set_layer_params(labels, trained)


def engine_to_nengo(sim, labels, trained):
    """{nengo object: {"encoders" | "bias" | "weights": array}} of the
    trained values (engine names), for objects of the Simulator's network."""
    out = {}
    net = sim.model.toplevel
    for ens in net.all_ensembles:
        label = labels[ens]
        for name in ("encoders", "bias"):
            if f"{label}/{name}" in trained:
                out.setdefault(ens, {})[name] = trained[f"{label}/{name}"]
    for conn in net.all_connections:
        key = f"{labels[conn]}/weights"
        if key in trained:
            out.setdefault(conn, {})["weights"] = trained[key]
    return out


def write_signals(sim, per_object):
    """Puts trained values into the Nengo build's signals (scaled encoders,
    biases, connection weights), so that Nengo's own run uses them."""
    model = sim.model
    for obj, values in per_object.items():
        if isinstance(obj, nengo.Ensemble):
            built = model.params[obj]
            if "encoders" in values:
                scaled = values["encoders"] * built.gain[:, None] / obj.radius
                _write(sim, model.sig[obj]["encoders"], scaled)
            if "bias" in values:
                _write(sim, model.sig[obj.neurons]["bias"], values["bias"])
        elif "weights" in values and isinstance(obj.transform, nengo.Sparse):
            _write_sparse(sim, model.sig[obj]["weights"], model.params[obj].weights, values["weights"])
        elif "weights" in values and model.sig[obj].get("weights") is not None:
            _write(sim, model.sig[obj]["weights"], values["weights"])


def _write_sparse(sim, sig, built, values):
    """A Sparse transform's trained entries (in the order the model file
    lists its indices, sparse_entries()) into Nengo's weights signal: a
    scipy CSR matrix (its entries in CSR order, repeated indices summed)
    or, without scipy, the dense matrix."""
    indices, _ = sparse_entries(built)
    target = sim.signals[sig]
    values = np.asarray(values, dtype=np.float64).ravel()
    if not hasattr(target, "tocsr"):
        dense = np.zeros(target.shape)
        np.add.at(dense, (indices[:, 0], indices[:, 1]), values)
        _write(sim, sig, dense)
        return
    import scipy.sparse

    trained = scipy.sparse.csr_matrix((values, (indices[:, 0], indices[:, 1])), shape=target.shape)
    trained.sum_duplicates()
    target.sum_duplicates()
    if not (np.array_equal(trained.indptr, target.indptr) and np.array_equal(trained.indices, target.indices)):
        raise SimulationError(f"{sig.name}: trained entries do not fit Nengo's sparse matrix")
    target.data = trained.data.astype(target.dtype)


def _write(sim, sig, values):
    target = sim.signals[sig]
    values = np.asarray(values, dtype=target.dtype)
    if values.size != target.size:
        if target.size == 1 and np.all(values == values.flat[0]):
            values = values.flat[:1]
        elif target.ndim == 2 and values.ndim == 1 and target.shape[0] == target.shape[1]:
            values = np.diag(values)
        else:
            raise SimulationError(
                f"{sig.name}: trained values of shape {values.shape} do not fit Nengo's "
                f"signal of shape {target.shape}"
            )
    writeable = target.flags.writeable
    target.setflags(write=True)
    target[...] = values.reshape(target.shape)
    target.setflags(write=writeable)


def nengo_params(sim, obj, values):
    """NengoDL's get_nengo_params for one Ensemble or Connection: keyword
    arguments that make a new object with the same (trained) parameters."""
    model = sim.model
    if isinstance(obj, nengo.Ensemble):
        if isinstance(obj.neuron_type, nengo.Direct):
            raise ValueError(
                "get_nengo_params will not work correctly for Direct neuron ensembles; "
                "translate the network by hand using sim.data instead"
            )
        built = model.params[obj]
        encoders = values.get("encoders")
        if encoders is None:
            encoders = built.scaled_encoders * obj.radius / built.gain[:, None]
        bias = values.get("bias", built.bias)
        return {
            "encoders": np.array(encoders),
            "normalize_encoders": False,
            "gain": np.array(built.gain),
            "bias": np.array(bias),
            "max_rates": nengo.Ensemble.max_rates.default,
            "intercepts": nengo.Ensemble.intercepts.default,
        }
    if isinstance(obj, nengo.Connection):
        if "weights" not in values and not _has_weights(obj):
            return {"transform": None}
        weights = values.get("weights")
        if weights is None:
            weights = model.params[obj].weights
        weights = np.array(weights)
        if not isinstance(obj.transform, (nengo.transforms.Dense, nengo.transforms.NoTransform)):
            raise NotImplementedError(
                f"Cannot get parameters of Connections with transform type "
                f"'{type(obj.transform).__name__}'"
            )
        if isinstance(obj.pre_obj, nengo.Ensemble):
            weights = np.atleast_2d(weights)
            return {
                "solver": nengo.solvers.NoSolver(weights.T, weights=False),
                "function": lambda x, weights=weights: np.zeros(weights.shape[0]),
                "transform": 1,
            }
        if weights.ndim == 1 and weights.size == obj.size_out == obj.size_mid:
            weights = np.diag(weights) if weights.size > 1 else weights
        if all(s == 1 for s in weights.shape):
            weights = np.squeeze(weights)
        return {"transform": weights}
    raise ValueError("Can only get Nengo parameters for Ensembles or Connections")


def _has_weights(conn):
    """Whether a connection has weights (NengoDL's conn_has_weights)."""
    return not isinstance(conn.transform, nengo.transforms.NoTransform) or (
        isinstance(conn.pre_obj, nengo.Ensemble) and not isinstance(conn.pre_obj.neuron_type, nengo.Direct)
    )
