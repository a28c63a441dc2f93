# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.to_model and spikeworks.save_session: Nengo networks into
model files and sessions the workbench and the command line open.

The strongest check runs a saved session with `spikeworks-cli run` (the
engine's own builder and simulator, as the workbench uses them) and
compares its probes with nengo.Simulator's: every value Nengo drew is in
the file, so the numbers agree to float64 round-off (1e-9, see
test_spikeworks.py; the CSV files print 17 significant digits).  Run by
meson (suite "python") with SPIKEWORKS_CLI naming the command line.
"""

import json
import os
import subprocess

import numpy as np
import pytest

import nengo
from nengo.exceptions import BuildError

import spikeworks

ROUNDOFF = 1e-9
nengo.rc.set("decoder_cache", "enabled", "False")


def many_kinds():
    """A network using every kind of object and value the export writes."""
    with nengo.Network(seed=3, label="kinds") as net:
        a = nengo.Node([0.5, -0.3], label="a")
        pw = nengo.Node(nengo.processes.Piecewise({0: 0.2, 0.05: -0.4}), label="pw")
        pw_cubic = nengo.Node(nengo.processes.Piecewise({0: 0.2, 0.02: -0.4, 0.03: 0.1, 0.06: 0.3},
                                                        interpolation="cubic"), label="pw_cubic")
        pi = nengo.Node(nengo.processes.PresentInput([[0.1], [0.7], [-0.2]], 0.02))
        b = nengo.Ensemble(60, 2, label="b", radius=1.5)
        c = nengo.Ensemble(40, 1, neuron_type=nengo.LIFRate(tau_rc=0.03))
        d = nengo.Ensemble(30, 1, neuron_type=nengo.AdaptiveLIF(tau_n=0.5))
        e = nengo.Ensemble(20, 1, neuron_type=nengo.Izhikevich())
        nengo.Connection(a, b)
        nengo.Connection(pw, b[1], synapse=nengo.Alpha(0.01))
        nengo.Connection(pw_cubic, b[0])
        nengo.Connection(pi, d, synapse=None)
        nengo.Connection(b, c, function=lambda x: x[0] * x[1], label="product")
        half = nengo.Connection(b[0], c, transform=0.5, solver=nengo.solvers.LstsqL2nz(reg=0.05),
                                label="half")
        nengo.Connection(b.neurons, c.neurons, transform=np.full((40, 60), 1e-4))
        nengo.Connection(b, c, transform=[[0.2, -0.1]], solver=nengo.solvers.LstsqL2(weights=True),
                         label="full")
        nengo.Connection(b, d, function=lambda x: x[0] ** 2,
                         transform=[[1.0]], solver=nengo.solvers.LstsqDrop(weights=True), label="full-function")
        nengo.Connection(c, e, solver=nengo.solvers.LstsqNoise(noise=0.05), transform=0.3, label="noisy")
        nengo.Connection(c, e, solver=nengo.solvers.NoSolver(np.full((40, 1), 1e-3)), label="given")
        into = nengo.Connection(c, d.neurons, transform=np.ones((30, 1)))
        nengo.Connection(d, e, synapse=nengo.LinearFilter([1], [0.005, 1]))
        nengo.Connection(d, e, synapse=nengo.synapses.Triangle(0.004))
        nengo.Connection(d, e, synapse=nengo.LinearFilter([0.2, 0.1], [1, -0.7], analog=False))
        probes = [
            nengo.Probe(c, synapse=0.01, label="p"),
            nengo.Probe(b.neurons, "voltage"),
            nengo.Probe(d, sample_every=0.003),
            nengo.Probe(e.neurons, synapse=0.02),
            nengo.Probe(b[1], synapse=0.005),
            nengo.Probe(half, "output", synapse=0.01),
            nengo.Probe(into, "output"),
            nengo.Probe(half, "input"),
        ]
    return net, probes


def cli_run(session, steps, out_dir):
    subprocess.run(
        [os.environ["SPIKEWORKS_CLI"], "run", str(session), "--steps", str(steps),
         "--out-dir", str(out_dir)],
        check=True,
        capture_output=True,
    )


def test_saved_session_runs_as_nengo(tmp_path):
    net, probes = many_kinds()
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run(0.1)
        spikeworks.save_session(sim, tmp_path / "kinds.spkw")
    cli_run(tmp_path / "kinds.spkw", 100, tmp_path)
    model = json.loads(spikeworks.load_session(tmp_path / "kinds.spkw").model)
    labels = [o["label"] for o in model["objects"] if o["type"] == "probe"]
    for label, probe in zip(labels, probes):
        csv = np.loadtxt(tmp_path / f"{label}.csv", delimiter=",", skiprows=1, ndmin=2)
        assert np.allclose(csv[:, 0], sim.trange(sample_every=probe.sample_every))
        ours = csv[:, 1:]
        assert ours.shape == sim.data[probe].shape, label
        assert np.allclose(ours, sim.data[probe], atol=ROUNDOFF, rtol=0), label


def test_session_round_trip(tmp_path):
    net, probes = many_kinds()
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run(0.05)
        spikeworks.save_session(sim, tmp_path / "s.spkw")
    loaded = spikeworks.load_session(tmp_path / "s.spkw")
    assert loaded.model == spikeworks.to_model(sim)
    model = json.loads(loaded.model)
    labels = [o["label"] for o in model["objects"] if o["type"] == "probe"]
    assert sorted(loaded.probes) == sorted(labels)
    for label, probe in zip(labels, probes):
        t, data = loaded.probes[label]
        assert np.array_equal(t, sim.trange(sample_every=probe.sample_every))
        # Probe data is stored as float32 (docs/session-format.md).
        expect = sim.data[probe].astype(np.float32)
        assert np.array_equal(data[0], expect.reshape(len(expect), -1))


def test_every_drawn_value_is_written():
    net, _ = many_kinds()
    b = net.ensembles[0]
    with nengo.Simulator(net, progress_bar=False) as ref:
        voltage = ref.signals[ref.model.sig[b.neurons]["voltage"]].copy()
    model = json.loads(spikeworks.to_model(net))
    (entry,) = [o for o in model["objects"] if o.get("label") == "b"]
    built = ref.data[b]
    assert np.array_equal(entry["encoders"], built.encoders)
    assert np.array_equal(entry["gain"], built.gain)
    assert np.array_equal(entry["bias"], built.bias)
    assert np.array_equal(entry["max_rates"], built.max_rates)
    assert np.array_equal(entry["intercepts"], built.intercepts)
    assert np.allclose(np.multiply(entry["eval_points"], 1.5), built.eval_points, rtol=1e-15)
    assert np.array_equal(entry["neuron_type"]["initial_state"]["voltage"], voltage)
    # A network and a Simulator built from it give the same file.
    assert json.loads(spikeworks.to_model(ref)) == model


def test_network_without_simulator_saves(tmp_path):
    net, _ = many_kinds()
    spikeworks.save_session(net, tmp_path / "net.spkw")
    loaded = spikeworks.load_session(tmp_path / "net.spkw")
    assert loaded.probes == {}
    assert loaded.model == spikeworks.to_model(net)


def test_learned_weights_are_saved(tmp_path):
    with nengo.Network(seed=1) as net:
        stim = nengo.Node([0.5], label="stim")
        pre = nengo.Ensemble(40, 1, label="pre")
        post = nengo.Ensemble(40, 1, label="post")
        nengo.Connection(stim, pre)
        learned = nengo.Connection(pre, post, function=None, label="learned",
                                   learning_rule_type=nengo.PES(1e-3))
        nengo.Connection(post, learned.learning_rule)
        nengo.Connection(stim, learned.learning_rule, transform=-1)
        p = nengo.Probe(post, synapse=0.01, label="p")
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run(0.2)
        spikeworks.save_session(sim, tmp_path / "learned.spkw")
        weights = sim.signals[sim.model.sig[learned]["weights"]].copy()
    saved = spikeworks.load_session(tmp_path / "learned.spkw").params["learned/weights"]
    # The weights as learned, not as first solved: a reopened session goes
    # on learning from where the simulator stopped.
    assert np.array_equal(saved, weights)
    assert not np.allclose(saved, sim.model.params[learned].weights, atol=1e-6)


def test_decoders_are_nengos(tmp_path):
    net, _ = many_kinds()
    with nengo.Simulator(net, progress_bar=False) as ref:
        spikeworks.save_session(ref, tmp_path / "s.spkw")
    params = spikeworks.load_session(tmp_path / "s.spkw").params
    (product,) = [c for c in net.all_connections if c.label == "product"]
    (half,) = [c for c in net.all_connections if c.label == "half"]
    # A decoded connection keeps its solver, and its weights are Nengo's.
    assert np.array_equal(params["half/weights"], ref.data[half].weights)
    # A Python function's decoders become a neurons connection's transform.
    model = json.loads(spikeworks.to_model(ref))
    (entry,) = [o for o in model["objects"] if o.get("label") == "product"]
    assert entry["pre"] == "b.neurons" and "function" not in entry
    assert np.array_equal(entry["transform"], ref.data[product].weights)


def refusal(build, *words):
    with nengo.Network() as net:
        build()
    with pytest.raises(spikeworks.ModelExportError) as info:
        spikeworks.to_model(net)
    assert isinstance(info.value, BuildError)
    for word in words:
        assert word in str(info.value)
    return str(info.value)


def test_python_function_node_is_refused():
    message = refusal(
        lambda: nengo.Node(lambda t: np.sin(t), label="stim"),
        "Node 'stim'", "output is a Python function", "Piecewise",
    )
    assert message.startswith("Node 'stim': output is a Python function, which a Spikeworks "
                              "model file cannot hold; ")


class OwnSolver(nengo.solvers.Lstsq):
    """A solver of the user's own, which a model file cannot name."""


def test_unrepresentable_objects_are_refused():
    def noise():
        nengo.Node(nengo.processes.WhiteNoise(), label="noise")

    def neuron():
        nengo.Ensemble(10, 1, neuron_type=nengo.PoissonSpiking(nengo.LIFRate()), label="e")

    def ens_noise():
        nengo.Ensemble(10, 1, noise=nengo.processes.WhiteNoise(), label="e")

    def node_function():
        a = nengo.Node([1.0], label="a")
        b = nengo.Ensemble(10, 1, label="b")
        nengo.Connection(a, b, function=lambda x: x**2, label="c")

    def synapse():
        a = nengo.Node([1.0], label="a")
        b = nengo.Ensemble(10, 1, label="b")
        nengo.Connection(a, b, synapse=nengo.LinearFilter([1], [0.01, 1], method="euler"), label="c")

    def solver():
        a = nengo.Ensemble(10, 1, label="a")
        b = nengo.Ensemble(10, 1, label="b")
        nengo.Connection(a, b, solver=OwnSolver(), label="c")

    def learning_function():
        a = nengo.Ensemble(10, 1, label="a")
        b = nengo.Ensemble(10, 1, label="b")
        nengo.Connection(a, b, function=np.sin, learning_rule_type=nengo.PES(), label="c")

    refusal(noise, "Node 'noise'", "WhiteNoise", "PresentInput")
    refusal(neuron, "Ensemble 'e'", "neuron_type is PoissonSpiking", "use one of")
    refusal(ens_noise, "Ensemble 'e'", "noise is set")
    refusal(node_function, "Connection 'c'", "function is set", "ensemble")
    refusal(synapse, "Connection 'c'", "synapse is LinearFilter", "zoh")
    refusal(solver, "Connection 'c'", "solver is OwnSolver", "use one of")
    refusal(learning_function, "Connection 'c'", "learning connection")


def test_connection_points_are_written(tmp_path):
    """A connection's own eval_points (drawn or given) and a function given
    as points go into the file as they are, and the engine's decoders from
    them are Nengo's."""
    few = np.array([[-0.8], [-0.3], [0.2], [0.6], [0.9]])
    with nengo.Network(seed=5) as net:
        a = nengo.Ensemble(20, 1, radius=2.0, label="a")
        b = nengo.Node(size_in=1, label="b")
        nengo.Connection(a, b, eval_points=few, function=few ** 2, label="given")
        nengo.Connection(a, b, eval_points=nengo.dists.Uniform(-0.5, 0.5), scale_eval_points=False,
                         label="drawn")
    with nengo.Simulator(net, progress_bar=False) as ref:
        model = json.loads(spikeworks.to_model(ref))
        spikeworks.save_session(ref, tmp_path / "s.spkw")
    entries = {o.get("label"): o for o in model["objects"]}
    assert model["version"] == 7  # the engine writes its own (current) version
    assert entries["given"]["pre"] == "a" and entries["given"]["function"] == (few ** 2).tolist()
    assert np.array_equal(entries["given"]["eval_points"], few * 2.0)
    assert entries["given"]["scale_eval_points"] is False
    assert len(entries["drawn"]["eval_points"]) == len(ref.data[net.all_connections[1]].eval_points)
    params = spikeworks.load_session(tmp_path / "s.spkw").params
    for conn in net.all_connections:
        assert np.allclose(params[conn.label + "/weights"], ref.data[conn].weights, rtol=0, atol=1e-12)


def test_bad_arguments():
    with pytest.raises(spikeworks.ModelExportError, match="expected a nengo.Network"):
        spikeworks.to_model("net.json")


def test_unwritable_path_raises_session_error(tmp_path):
    net, _ = many_kinds()
    with pytest.raises(spikeworks.SessionError) as info:
        spikeworks.save_session(net, tmp_path / "no" / "such" / "dir.spkw")
    assert "dir.spkw" in str(info.value)
    with pytest.raises(spikeworks.SessionError):
        spikeworks.save_session(net, tmp_path)  # a directory


def two_levels():
    """A Nengo network with sub-networks two levels deep (labels, seeds,
    one unlabelled, a built-in EnsembleArray) and connections and probes
    across the levels."""
    with nengo.Network(seed=7, label="top") as net:
        stim = nengo.Node([0.4, -0.2], label="stim")
        with nengo.Network(label="outer", seed=11) as outer:
            a = nengo.Ensemble(30, 2, label="a")
            with nengo.Network(label="inner", seed=12) as inner:
                b = nengo.Ensemble(20, 1, label="b", radius=1.5)
            with nengo.Network() as unnamed:
                c = nengo.Ensemble(10, 1, label="c")
            nengo.Connection(a[0], b)
        arr = nengo.networks.EnsembleArray(15, 2, label="arr")
        nengo.Connection(stim, a)
        nengo.Connection(b, c, function=np.square)
        nengo.Connection(a, arr.input)
        probes = [nengo.Probe(b, synapse=0.01, label="pb"), nengo.Probe(c, synapse=0.01, label="pc"),
                  nengo.Probe(arr.output, synapse=0.01, label="parr")]
    return net, (outer, inner, unnamed, arr), probes


def test_sub_networks_are_kept_through_sessions(tmp_path):
    net, (outer, inner, unnamed, arr), probes = two_levels()
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run(0.05)
        spikeworks.save_session(sim, tmp_path / "nested.spkw")
    model = json.loads(spikeworks.to_model(sim))

    def tree(objects):
        return [(o["label"], o.get("seed"), tree(o.get("objects", []))) if o["type"] == "network"
                else o["label"] for o in objects]

    # Unlabelled objects are numbered in Nengo's all_* order (top level
    # first).  The EnsembleArray is written as its kind, with the values
    # Nengo drew for its ensembles as changes to them.
    assert tree(model["objects"]) == [
        "stim",
        ("outer", 11, ["a", ("inner", 12, ["b"]), ("network2", None, ["c"]), "connection3"]),
        ("arr", None, ["arr.ea_ensembles[0]", "arr.ea_ensembles[1]"]),
        "connection0", "connection1", "connection2", "pb", "pc", "parr",
    ]
    arr_entry = model["objects"][2]
    assert (arr_entry["kind"], arr_entry["n_neurons"], arr_entry["n_ensembles"]) == ("EnsembleArray", 15, 2)
    # The workbench's loader (the engine's) opens it: every object, and the
    # model it writes back keeps the nesting, labels and seeds.
    info = subprocess.run([os.environ["SPIKEWORKS_CLI"], "info", str(tmp_path / "nested.spkw")],
                          check=True, capture_output=True, text=True).stdout
    assert info.startswith("network top: seed 7"), info
    for label in ("stim", "a", "b", "c", "arr.ea_ensembles[0]", "arr.ea_ensembles[1]", "pb", "pc", "parr"):
        assert f" {label} " in info, label
    assert "90 neurons" in info
    session = spikeworks.load_session(tmp_path / "nested.spkw")
    assert tree(json.loads(session.model)["objects"]) == tree(model["objects"])
    # load_session(...).network() rebuilds the same nesting, labels and
    # seeds, and runs as the saved network did.
    loaded, objects = session.network()
    assert [(n.label, n.seed) for n in loaded.networks] == [("outer", 11), ("arr", None)]
    l_outer = loaded.networks[0]
    assert [(n.label, n.seed) for n in l_outer.networks] == [("inner", 12), ("network2", None)]
    assert [e.label for e in l_outer.networks[0].ensembles] == ["b"]
    assert [e.label for e in l_outer.networks[1].ensembles] == ["c"]
    assert len(loaded.networks[1].ensembles) == 2 and len(loaded.all_ensembles) == 5
    assert objects["inner"] is l_outer.networks[0]
    assert type(objects["arr"]) is nengo.networks.EnsembleArray
    with spikeworks.Simulator(loaded, progress_bar=False) as again:
        again.run(0.05)
    for probe in probes:
        assert np.allclose(again.data[objects[probe.label]], sim.data[probe], atol=ROUNDOFF)


def every_kind():
    """Each of Nengo's networks the model format has as a kind, fed and
    probed (Integrator and Oscillator as Nengo 3.0 had them)."""
    from spikeworks.networks_import import Integrator, Oscillator

    with nengo.Network(seed=2, label="every") as net:
        stim = nengo.Node(nengo.processes.Piecewise({0: [0.5, -0.3, 0.2], 0.04: [-0.2, 0.6, 0.4]}), label="stim")
        nets = [
            nengo.networks.EnsembleArray(12, 3, radius=1.5, label="ea"),
            nengo.networks.Product(20, 3, input_magnitude=1.5, label="prod"),
            nengo.networks.CircularConvolution(16, 3, invert_b=True, label="cc"),
            nengo.networks.InputGatedMemory(10, 3, feedback=0.9, recurrent_synapse=0.05, label="igm"),
            nengo.networks.BasalGanglia(3, n_neurons_per_ensemble=10, input_bias=0.1, label="bg"),
            nengo.networks.Thalamus(3, n_neurons_per_ensemble=9, mutual_inhib=1.2, threshold=0.1, label="thal"),
            nengo.networks.AssociativeMemory([[1, 0, 0], [0, 1, 0], [0.6, 0.8, 0]], n_neurons=10,
                                             threshold=[0.3, 0.2, 0.4], input_scales=1.2, inhibitable=True,
                                             label="am"),
            Integrator(0.1, 10, 3, label="integ"),
            Oscillator(0.1, 6.0, 20, label="osc"),
        ]
        for n in nets:
            for port in ("input", "input_a", "input_b"):
                if hasattr(n, port):
                    size = getattr(n, port).size_in
                    nengo.Connection(stim[:size], getattr(n, port), synapse=None)
        probes = [nengo.Probe(n.output, synapse=0.01, label=f"p_{n.label}") for n in nets]
    return net, nets, probes


def test_built_in_networks_are_written_as_their_kind(tmp_path):
    """A nengo.networks instance left as Nengo made it is written as the
    model format's kind with its parameters (so the workbench shows the
    built-in network's card), the values Nengo drew as changes to its
    objects; the engine's run of the saved session equals Nengo's."""
    net, nets, probes = every_kind()
    with nengo.Simulator(net, progress_bar=False) as ref:
        ref.run(0.1)
    model = json.loads(spikeworks.to_model(net))
    entries = {o["label"]: o for o in model["objects"] if o["type"] == "network"}
    assert {label: o.get("kind") for label, o in entries.items()} == {
        "ea": "EnsembleArray", "prod": "Product", "cc": "CircularConvolution", "igm": "InputGatedMemory",
        "bg": "BasalGanglia", "thal": "Thalamus", "am": "AssociativeMemory", "integ": "Integrator",
        "osc": "Oscillator"}
    assert (entries["ea"]["n_neurons"], entries["ea"]["n_ensembles"]) == (12, 3)
    assert entries["cc"]["invert_b"] is True and entries["igm"]["feedback"] == 0.9
    assert entries["thal"]["mutual_inhib"] == 1.2 and entries["osc"]["frequency"] == 6
    # The made objects are named as the engine names them.
    made = {o["label"] for o in entries["bg"]["objects"] if o["type"] == "ensemble"}
    assert "bg.gpi.ea_ensembles[2]" in made and len(made) == 15
    spikeworks.save_session(net, tmp_path / "kinds.spkw")
    cli_run(tmp_path / "kinds.spkw", 100, tmp_path)
    for probe in probes:
        csv = np.loadtxt(tmp_path / f"{probe.label}.csv", delimiter=",", skiprows=1, ndmin=2)
        assert np.allclose(csv[:, 1:], ref.data[probe], atol=ROUNDOFF, rtol=0), probe.label
    assert np.abs(ref.data[probes[0]]).max() > 0.1


def test_changed_built_in_networks_keep_what_was_changed(tmp_path):
    """A built-in network with something the kind does not make (an added
    output, a probe inside) stays a plain network; one whose own objects'
    values were changed (a radius, a synapse) is its kind with those
    changes.  Either way the engine runs what Nengo runs."""
    with nengo.Network(seed=3) as net:
        stim = nengo.Node([0.4, -0.6], label="stim")
        added = nengo.networks.EnsembleArray(10, 2, label="added")
        added.add_output("cube", lambda x: x ** 3)
        probed = nengo.networks.EnsembleArray(10, 2, label="probed")
        with probed:
            inner = nengo.Probe(probed.output, synapse=0.01, label="inner")
        changed = nengo.networks.EnsembleArray(10, 2, label="changed")
        changed.ea_ensembles[1].radius = 2.0
        made = next(c for c in changed.connections if c.pre is changed.ea_ensembles[0])
        made.synapse = nengo.Lowpass(0.01)
        for n in (added, probed, changed):
            nengo.Connection(stim, n.input)
        probes = [nengo.Probe(added.cube, synapse=0.01, label="p_cube"), inner,
                  nengo.Probe(changed.output, synapse=0.01, label="p_changed")]
    with nengo.Simulator(net, progress_bar=False) as ref:
        ref.run(0.05)
    model = json.loads(spikeworks.to_model(net))
    entries = {o["label"]: o for o in model["objects"] if o["type"] == "network"}
    assert "kind" not in entries["added"] and "kind" not in entries["probed"]
    assert {o["label"] for o in entries["added"]["objects"] if o["type"] == "node"} == {"input", "output", "cube"}
    assert entries["changed"]["kind"] == "EnsembleArray"
    changes = entries["changed"]["objects"]
    radius = {o["label"]: o.get("radius") for o in changes if o["type"] == "ensemble"}
    assert radius == {"changed.ea_ensembles[0]": None, "changed.ea_ensembles[1]": 2}
    assert [(o["pre"], o["post"], o["synapse"]) for o in changes if o["type"] == "connection"] == [
        ("changed.ea_ensembles[0]", "changed.output[0:1]", 0.01)]
    spikeworks.save_session(net, tmp_path / "changed.spkw")
    cli_run(tmp_path / "changed.spkw", 50, tmp_path)
    for probe in probes:
        csv = np.loadtxt(tmp_path / f"{probe.label}.csv", delimiter=",", skiprows=1, ndmin=2)
        assert np.allclose(csv[:, 1:], ref.data[probe], atol=ROUNDOFF, rtol=0), probe.label


def test_engine_written_sub_networks_load_with_their_config(tmp_path):
    """A session the engine wrote (as the workbench saves one) with a
    network inside a network, config defaults and an unlabelled object:
    load_session(...).network() nests them and applies the config."""
    model = {
        "format": "spikeworks-model", "version": 5,
        "network": {"label": "m", "seed": 1, "dt": 0.001, "dtype": "float64"},
        "objects": [
            {"type": "node", "label": "in", "output": [0.5]},
            {"type": "network", "label": "layer", "seed": 4,
             "config": {"ensemble": {"neuron_type": "LIFRate", "radius": 2}},
             "objects": [
                 {"type": "ensemble", "label": "x", "n_neurons": 20, "dimensions": 1},
                 {"type": "network", "label": "deep",
                  "config": {"ensemble": {"n_neurons": 15}},
                  "objects": [{"type": "ensemble", "dimensions": 1, "radius": 1}]},
             ]},
            {"type": "connection", "pre": "in", "post": "x"},
            {"type": "probe", "label": "p", "target": "x", "synapse": 0.01},
        ],
    }
    (tmp_path / "m.json").write_text(json.dumps(model))
    subprocess.run([os.environ["SPIKEWORKS_CLI"], "save", "--run-steps", "50",
                    str(tmp_path / "m.json"), str(tmp_path / "m.spkw")], check=True,
                   capture_output=True)
    session = spikeworks.load_session(tmp_path / "m.spkw")
    net, objects = session.network()
    (layer,) = net.networks
    (deep,) = layer.networks
    assert (layer.label, layer.seed, deep.label, deep.seed) == ("layer", 4, "deep", None)
    (x,), (unnamed,) = layer.ensembles, deep.ensembles
    # The engine's key for an unlabelled object: its type and index.
    assert objects["x"] is x and objects["ensemble1"] is unnamed
    assert (x.n_neurons, x.radius, type(x.neuron_type)) == (20, 2, nengo.LIFRate)
    assert (unnamed.n_neurons, unnamed.radius, type(unnamed.neuron_type)) == (15, 1, nengo.LIFRate)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(50)
    _, saved = session.probes["p"]
    assert np.allclose(sim.data[objects["p"]][:, 0], saved[0, :, 0], atol=1e-6)


def test_direct_ensembles_run_as_nengo(tmp_path):
    """Direct ensembles go into the file as Direct and run in the engine:
    a Direct pair feeding neurons and back, and a Direct integrator."""
    with nengo.Network(seed=4) as net:
        stim = nengo.Node([0.5, -0.3], label="stim")
        d = nengo.Ensemble(1, 2, neuron_type=nengo.Direct(), radius=0.5, label="d")
        c = nengo.Ensemble(50, 2, label="c")
        e = nengo.Ensemble(1, 2, neuron_type=nengo.Direct(), label="e")
        integ = nengo.Ensemble(1, 1, neuron_type=nengo.Direct(), label="integ")
        nengo.Connection(stim, d, synapse=None)
        nengo.Connection(d, c, transform=[[0.5, 0.2], [-0.4, 1.0]])
        nengo.Connection(c, e, function=lambda x: [x[0] * x[1], x[1]])
        nengo.Connection(d, integ, transform=[[0.1, 0.0]], synapse=0.1)
        nengo.Connection(integ, integ, synapse=0.1)
        probes = [
            nengo.Probe(d, label="pd"),
            nengo.Probe(e, synapse=0.01, label="pe"),
            nengo.Probe(integ, label="pi"),
            nengo.Probe(c.neurons, label="spikes"),
        ]
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run(0.1)
        spikeworks.save_session(sim, tmp_path / "direct.spkw")
    model = json.loads(spikeworks.to_model(net))
    entries = {o.get("label"): o for o in model["objects"]}
    assert entries["d"]["neuron_type"] == "Direct" and "gain" not in entries["d"]
    cli_run(tmp_path / "direct.spkw", 100, tmp_path)
    for probe in probes:
        csv = np.loadtxt(tmp_path / f"{probe.label}.csv", delimiter=",", skiprows=1, ndmin=2)
        assert np.allclose(csv[:, 1:], sim.data[probe], atol=ROUNDOFF, rtol=0), probe.label
    assert np.abs(sim.data[probes[2]][-1, 0]) > 0.01
    # And back into Nengo: the session's network has its Direct ensembles.
    back, objects = spikeworks.load_session(tmp_path / "direct.spkw").network()
    assert isinstance(objects["integ"].neuron_type, nengo.Direct)
    again = {p.label: p for p in back.all_probes}
    with nengo.Simulator(back, progress_bar=False) as ref:
        ref.run(0.1)
    for probe in probes:
        assert np.allclose(ref.data[again[probe.label]], sim.data[probe], atol=ROUNDOFF, rtol=0), probe.label


def test_direct_python_function_is_refused():
    def build():
        d = nengo.Ensemble(1, 1, neuron_type=nengo.Direct(), label="d")
        nengo.Connection(d, nengo.Node(size_in=1), function=lambda x: x ** 2, label="sq")

    refusal(build, "Connection 'sq'", "function is a Python function on a connection from a Direct ensemble",
            "as an expression")
