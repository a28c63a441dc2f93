# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.save_session: a Nengo network, or a Simulator with what it
recorded, as a Spikeworks session file (.spkw) the workbench opens.

    with spikeworks.Simulator(net) as sim:   # or nengo.Simulator
        sim.run(1.0)
        spikeworks.save_session(sim, "net.spkw")

The session holds the network as a model file (spikeworks.to_model: every
value Nengo drew written explicitly), the engine's plan built from it —
with the decoders of decoded connections and the weights of learning
connections taken from Nengo's build, as learned so far — and each probe's
recorded data with its sample times.  Reopened, the workbench shows the
recordings and runs the network with those very parameters.  After
``sim.fit`` the trained parameters and the loss history go in too.
"""

import json
import os

import numpy as np

import nengo

from . import _session
from .model_export import ModelExportError, all_objects, layer_params, model_dict
from .session_load import SessionError


def _nengo_weights(tree, labels, model, signals):
    """Parameters to put in place of the engine's own: the weights of
    decoded connections into ensembles and nodes (Nengo's solved decoders,
    which the engine's own solve matches only to round-off) and of learning
    connections (as learned so far, when a Simulator has run).  Both hold
    Nengo's weights as the engine does: transform times decoders, without
    the post's gain."""
    written = {obj["label"]: obj for obj in all_objects(tree)}
    params = {}
    for conn in model.toplevel.all_connections:
        entry = written.get(labels[conn])
        if entry is None:
            # Made by a built-in network (in the file as its kind only):
            # decoded unless it starts from a node or neurons.
            if not isinstance(conn.pre_obj, nengo.Ensemble) or isinstance(conn.pre_obj.neuron_type, nengo.Direct):
                continue
            entry = {"solver": True, "post": ".neurons" if isinstance(conn.post_obj, nengo.ensemble.Neurons) else ""}
        learning = "learning_rule_type" in entry
        if not learning and ("solver" not in entry or entry["post"].endswith(".neurons")):
            continue
        if learning and signals is not None:
            weights = signals[model.sig[conn]["weights"]]
        else:
            weights = model.params[conn].weights
        params[f"{labels[conn]}/weights"] = np.ascontiguousarray(weights, dtype=np.float64)
    return params


def _probe_data(sim, labels):
    """{label: (sample times, batch·n × size samples, batch)}: a
    minibatched Simulator's probes hold (batch, n, size) data."""
    probes = {}
    batched = getattr(sim, "minibatch_size", None) is not None
    for probe in sim.model.probes:
        data = np.asarray(sim.data[probe], dtype=np.float64)
        if batched and data.ndim == 3:
            batch, n = data.shape[:2]
        else:
            batch, n = 1, data.shape[0]
        if n == 0 or data.size == 0:
            continue
        t = sim.trange(sample_every=probe.sample_every)[:n]
        probes[labels[probe]] = (
            np.ascontiguousarray(t, dtype=np.float64),
            np.ascontiguousarray(data.reshape(batch * n, -1)),
            batch,
        )
    return probes


def built_params(sim_or_network):
    """(model tree, labels, params, Simulator or None): a network's model
    file with the parameters it runs with in place of the engine's own —
    Nengo's decoders, learned weights, layer weights and what fit (or
    load_params) left — as save_session and spikeworks.nir.write pass them."""
    tree, labels, model = model_dict(sim_or_network)
    sim = None if isinstance(sim_or_network, nengo.Network) else sim_or_network
    signals = sim.signals if sim is not None and not sim.closed else None
    params = _nengo_weights(tree, labels, model, signals)
    params.update(layer_params(labels))
    # What fit (or load_params) left: the engine's own keys and shapes.
    params.update(getattr(sim, "_trained", None) or {})
    return tree, labels, params, sim


def save_session(sim_or_network, path):
    """Writes a session (.spkw) of a Nengo network or of a Simulator (its
    network, its built parameters and the probe data it recorded) to
    path.  After ``fit`` the session holds the trained parameters and the
    loss history (one value per epoch), so the workbench opens the trained
    network with its training curve.  Raises ModelExportError for what a
    model file cannot represent and SessionError when the file cannot be
    written; an existing file is replaced only by a complete new one."""
    tree, labels, params, sim = built_params(sim_or_network)
    text = json.dumps(tree)
    probes = _probe_data(sim, labels) if sim is not None else {}
    history = getattr(getattr(sim, "_history", None), "history", None) or {}
    _session.save(os.fspath(path), text, params, probes, ModelExportError, SessionError,
                  {k: list(v) for k, v in history.items()})
