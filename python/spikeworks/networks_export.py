# SPDX-License-Identifier: GPL-3.0-or-later
"""Nengo's built-in networks written as the model format's kinds.

A nengo.networks instance (EnsembleArray, Product, CircularConvolution,
InputGatedMemory, BasalGanglia, Thalamus, AssociativeMemory, and Nengo
3.0's Integrator and Oscillator of networks_import.py) is written as a
network with its "kind" and parameters when its contents are exactly what
the engine makes of that kind: the engine lists the objects it makes
(spikeworks._session.objects), and each must be one of the network's, of
the same size and with the same function (compared on sample points),
and every object of the network must be one of them.  The values Nengo
drew for them (gains, encoders…) and their synapses, transforms and
solvers are written as changes to those objects (the engine keeps only
what differs from what it makes).  A network with anything more, less or
else — an added output, a replaced function, a probe inside — stays a
plain nested network, so nothing is lost.
"""

import json

import numpy as np

import nengo

from . import _session
from . import networks_import


def _conn(net, pre, post):
    """The connection of net (at any depth) from pre to post, or None."""
    for conn in net.all_connections:
        if conn.pre_obj is pre and conn.post_obj is post:
            return conn
    return None


def _transform(net, pre, post, default=None):
    conn = _conn(net, pre, post)
    if conn is None or not isinstance(conn.transform, nengo.transforms.Dense):
        return default
    init = np.asarray(conn.transform.init, dtype=np.float64)
    return float(init) if init.ndim == 0 else init


def _number(value, default):
    value = np.asarray(value if value is not None else default, dtype=np.float64)
    return float(value.ravel()[0]) if value.size else default


def _per_item(values):
    values = [float(v) for v in values]
    return values[0] if len(set(values)) == 1 else values


def _params(net, synapse):
    """(kind, parameters) of a Nengo network of one of the kinds, read from
    what it made; None for any other network."""
    # pylint: disable=too-many-return-statements
    cls = type(net)
    if cls is nengo.networks.EnsembleArray:
        return "EnsembleArray", {"n_neurons": net.n_neurons_per_ensemble, "n_ensembles": net.n_ensembles,
                                 "ens_dimensions": net.dimensions_per_ensemble}
    if cls is nengo.networks.Product:
        return "Product", {"n_neurons": 2 * net.sq1.n_neurons_per_ensemble, "dimensions": net.input_a.size_in,
                           "input_magnitude": float(net.sq1.ea_ensembles[0].radius) / np.sqrt(2)}
    if cls is nengo.networks.CircularConvolution:
        dims = net.input_a.size_in
        tr_a = _transform(net, net.input_a, net.product.input_a)
        tr_b = _transform(net, net.input_b, net.product.input_b)
        inverted = nengo.networks.circularconvolution.transform_in
        return "CircularConvolution", {
            "n_neurons": 2 * net.product.sq1.n_neurons_per_ensemble, "dimensions": dims,
            "invert_a": bool(tr_a is not None and np.array_equal(tr_a, inverted(dims, "A", True))),
            "invert_b": bool(tr_b is not None and np.array_equal(tr_b, inverted(dims, "B", True))),
            "input_magnitude": float(net.product.sq1.ea_ensembles[0].radius) / np.sqrt(2) / 2}
    if cls is networks_import.Integrator:
        return "Integrator", {"recurrent_tau": net.recurrent_tau, "n_neurons": net.ensemble.n_neurons,
                              "dimensions": net.ensemble.dimensions}
    if cls is networks_import.Oscillator:
        return "Oscillator", {"recurrent_tau": net.recurrent_tau, "frequency": net.frequency,
                              "n_neurons": net.ensemble.n_neurons}
    if cls is nengo.networks.InputGatedMemory:
        recurrent = _conn(net, net.mem.output, net.mem.input)
        difference = _conn(net, net.diff.output, net.mem.input)
        return "InputGatedMemory", {
            "n_neurons": net.mem.n_neurons_per_ensemble, "dimensions": net.mem.n_ensembles,
            "feedback": _number(_transform(net, net.mem.output, net.mem.input), 1.0),
            "difference_gain": _number(_transform(net, net.diff.output, net.mem.input), 1.0),
            "recurrent_synapse": synapse(recurrent.synapse) if recurrent else 0.1,
            "difference_synapse": synapse(difference.synapse) if difference else None}
    if cls is nengo.networks.BasalGanglia:
        bias = getattr(net, "bias_input", None)
        params = {
            "dimensions": net.input.size_in, "n_neurons_per_ensemble": net.strD1.n_neurons_per_ensemble,
            "output_weight": _number(_transform(net, net.gpi.func_gpi, net.output), -3.0),
            "input_bias": _number(bias.output if bias is not None else None, 0.0)}
        # Nengo's ampa_config and gaba_config, as the synapses they gave.
        for name, pre, default in (("ampa", net.stn.func_stn, 0.002), ("gaba", net.strD1.func_str, 0.008)):
            conn = _conn(net, pre, net.gpi.input)
            if conn is not None and synapse(conn.synapse) != default:
                params[f"{name}_synapse"] = synapse(conn.synapse)
        return "BasalGanglia", params
    if cls is nengo.networks.Thalamus:
        d = net.actions.n_ensembles
        inhib = _transform(net, net.actions.output, net.actions.input)
        intercepts = net.actions.ea_ensembles[0].intercepts
        return "Thalamus", {
            "dimensions": d, "n_neurons_per_ensemble": net.actions.n_neurons_per_ensemble,
            "mutual_inhib": float(-np.asarray(inhib)[0, 1]) if d > 1 and inhib is not None else 1.0,
            "threshold": float(getattr(intercepts, "low", 0.0))}
    if cls is nengo.networks.AssociativeMemory:
        vectors = _transform(net, net.input, net.elem_input)
        # add_threshold_to_outputs moves the outputs onto its own array.
        out = _transform(net, net.thresh_ens.output if net.thresh_ens is not None else net.elem_output,
                         net.output)
        if vectors is None or out is None or np.ndim(vectors) != 2 or np.ndim(out) != 2:
            return None
        return "AssociativeMemory", dict({
            "input_vectors": vectors.tolist(), "output_vectors": out.T.tolist(),
            "n_neurons": net.am_ensembles[0].n_neurons,
            "threshold": _per_item(-_number(_transform(net, net.bias_node, e), 0.0) for e in net.am_ensembles),
            "inhibitable": net.inhibit is not None}, **_add_ons(net, synapse))
    return None


_AM_OWN = {"bias_node", "elem_input", "elem_output", "utilities", "input", "output", "inhibit", "thresh_bias",
           "thresh_ens", "thresholded_utilities"}


def _add_ons(am, synapse):
    """The parameters of what AssociativeMemory's methods added to am
    (mappings, default vectors, winner-take-all, thresholds), read from the
    objects they made; the engine's list of what it makes of them checks
    the reading."""
    params = {}
    utilities = am.thresh_ens.output if am.thresh_ens is not None else am.elem_output
    for name, node in vars(am).items():
        if name in _AM_OWN or not isinstance(node, nengo.Node) or node not in am.nodes:
            continue
        into = _transform(am, node, am.elem_input)
        out = _transform(am, utilities, node)
        if into is not None and np.ndim(into) == 2:
            params.setdefault("input_mappings", []).append({"name": name, "input_vectors": into.tolist()})
        elif out is not None and np.ndim(out) == 2:
            params.setdefault("output_mappings", []).append({"name": name, "output_vectors": out.T.tolist()})
    for ens in am.ensembles:
        label = str(ens.label or "")
        if not (label.startswith("Default ") and label.endswith(" vector")):
            continue
        name = label[len("Default "):-len(" vector")]
        vector = _transform(am, ens, getattr(am, name, None))
        gate = _transform(am, utilities, ens)
        if vector is None or gate is None or np.ndim(gate) != 2:
            continue
        entry = {"output_vector": np.ravel(vector).tolist(), "n_neurons": ens.n_neurons,
                 "min_activation_value": float(-1.0 / np.asarray(gate)[0, 0])}
        if name != "output":
            entry["output_name"] = name
        params.setdefault("default_output_vectors", []).append(entry)
    if am.is_wta:
        conn = _conn(am, am.elem_output, am.elem_input)
        scale = -np.asarray(conn.transform.init)[0, 1] if conn is not None and am.n_items > 1 else 1.5
        params["wta_network"] = {"inhibit_scale": float(scale),
                                 "inhibit_synapse": synapse(conn.synapse) if conn is not None else 0.005}
    if am.thresh_ens is not None:
        scale = _transform(am, am.elem_output, am.thresh_bias.input)
        params["threshold_outputs"] = {"n_neurons": am.thresh_ens.n_neurons_per_ensemble,
                                       "inhibit_scale": -_number(scale, -10.0)}
    return params


def _same_function(function, expression, size_in):
    """Whether a Nengo connection's function (None or a callable) is the
    engine's (None or an expression of x), on sample points."""
    if function is None or expression is None:
        return function is None and expression is None
    if not (callable(function) and isinstance(expression, str)):
        return False
    from .model_import import _Expr  # pylint: disable=import-outside-toplevel

    engine = _Expr(expression, size_in, takes_t=False)
    rng = np.random.RandomState(0)
    for x in rng.uniform(-1.5, 1.5, (16, size_in)):
        try:
            want = np.asarray(function(x.copy()), dtype=np.float64).ravel()
        except Exception:  # pylint: disable=broad-except
            return False
        got = engine(x)
        if want.shape != got.shape or not np.allclose(want, got, rtol=1e-12, atol=1e-12):
            return False
    return True


def _made(entry, label):
    """The objects the engine makes of entry (a kind network labelled
    label), as tuples of _session.objects (None if it refuses it)."""
    model = {"format": "spikeworks-model", "version": 6, "network": {"dt": 0.001}, "objects": [entry]}
    try:
        listed = _session.objects(json.dumps(model), ValueError)
    except ValueError:
        return None
    return [e for e in listed if e[3] and e[1] != label]


def _match(net, label, made):
    """{Nengo object: (type, label or (pre, post), values)} for the objects
    the engine makes, or None when the network is not exactly those."""
    found, taken = {}, set()
    for kind, key, _, _, _, as_made, pre, post, values in made:
        values = json.loads(values) if values else {}
        if kind == "connection":
            ends = [networks_import.find_made(net, label, t) for t in (pre, post)]
            conn = None if None in ends else networks_import.find_connection(net, *ends, taken)
            if conn is None or conn.learning_rule_type is not None or not _same_function(
                    conn.function, values.get("function"), conn.pre.size_out):
                return None
            found[conn] = (kind, (pre, post), values)
            continue
        obj = networks_import.find_made(net, label, as_made or key)
        if obj is None or obj in found:
            return None
        if kind == "network" and not isinstance(obj, nengo.Network):
            return None
        if kind == "ensemble" and (not isinstance(obj, nengo.Ensemble) or (obj.n_neurons, obj.dimensions) != (
                values.get("n_neurons"), values.get("dimensions"))):
            return None
        if kind == "node" and (not isinstance(obj, nengo.Node) or obj.size_in != values.get("size_in", 0)
                               or (obj.output is None) != (values.get("output") is None)):
            return None
        found[obj] = (kind, as_made or key, values)
    everything = net.all_nodes + net.all_ensembles + net.all_connections + net.all_networks
    if net.all_probes or len(found) != len(everything) or any(o not in found for o in everything):
        return None
    return found


def kind_entry(exporter, net, label):
    """The model entry of net as a kind network (label: its label in the
    file), or None to write it as a plain network.  Sets the exporter's
    labels of the objects it made to the engine's ("ea.ea_ensembles[0]")."""
    described = _params(net, lambda syn: exporter.synapse(net, "synapse", syn))
    if described is None:
        return None
    kind, params = described
    entry = {"type": "network", "label": label, "kind": kind, **params}
    if net.seed is not None:
        entry["seed"] = int(net.seed)
    made = _made(entry, label)
    found = _match(net, label, made) if made else None
    if found is None:
        return None
    for obj, (kind_of, name, _) in found.items():
        if kind_of != "connection":
            exporter.labels[obj] = name
    return entry, found


def changes(exporter, found):
    """The entries that give the objects a kind network made the values
    Nengo drew and set for them (the engine drops those it makes anyway)."""
    out = []
    for obj, (kind, name, _) in found.items():
        if kind == "ensemble":
            out.append(exporter.ensemble(obj))
        elif kind == "node" and obj.output is not None:
            out.append(exporter.node(obj))
        elif kind == "connection":
            built = exporter.model.params[obj]
            entry = {"type": "connection", "pre": name[0], "post": name[1],
                     "synapse": exporter.synapse(obj, "synapse", obj.synapse)}
            transform = exporter.transform(obj, built)
            if transform is not None:
                entry["transform"] = transform
            if isinstance(obj.pre_obj, nengo.Ensemble) and type(obj.pre_obj.neuron_type) is not nengo.Direct:
                entry["solver"] = exporter.solver(obj, obj.solver)
                if obj.eval_points is not None:
                    entry["eval_points"] = np.asarray(built.eval_points, dtype=np.float64).tolist()
                    entry["scale_eval_points"] = False
            out.append(entry)
    return out


def made_keys(exporter, tree):
    """Labels the connections the kinds made by the engine's keys for them
    ("connection7", unlabelled in the file), which name their parameters
    in a session."""
    pairs = {}
    for entry, found in exporter.kinds.values():
        del entry
        for obj, (kind, name, _) in found.items():
            if kind == "connection":
                pairs.setdefault(name, []).append(obj)
    if not pairs:
        return
    for kind, key, _, generated, _, _, pre, post, _ in _session.objects(json.dumps(tree), ValueError):
        if generated and kind == "connection" and pairs.get((pre, post)):
            exporter.labels[pairs[(pre, post)].pop(0)] = key


def made_entries(tree):
    """{engine key: entry} of the entries that change the connections the
    tree's built-in networks make (unlabelled in the file: each names its
    connection by the "pre" and "post" it was made with), so a caller can
    set keys on them as on other objects' entries."""
    pairs = {}

    def collect(objects, in_kind):
        for obj in objects:
            if in_kind and obj.get("type") == "connection" and "label" not in obj:
                pairs[(obj.get("pre"), obj.get("post"))] = obj
            if obj.get("type") == "network":
                collect(obj.get("objects", []), in_kind or bool(obj.get("kind")))

    collect(tree["objects"], False)
    if not pairs:
        return {}
    return {key: pairs[(pre, post)]
            for kind, key, _, generated, _, _, pre, post, _ in _session.objects(json.dumps(tree), ValueError)
            if generated and kind == "connection" and (pre, post) in pairs}
