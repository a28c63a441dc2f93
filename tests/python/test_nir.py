# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.nir: NIR graphs in and out of Python through the engine.

The NIR paper's task 1 (one LIF neuron, its 34 input spikes) read and run
by spikeworks.Simulator spikes at the steps the exact solution and the
platforms report; a Nengo network written, read back by the reference
`nir` package (vendor/nir) and read again runs spike for spike as the
original; refusals raise NIRError with the engine's message.  Run by meson
(suite "python") with the build tree on PYTHONPATH.
"""

import os
import sys

import numpy as np
import pytest

import nengo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, os.pardir, "vendor", "nir"))

import nir  # noqa: E402  the reference package

import spikeworks  # noqa: E402
import spikeworks.nir  # noqa: E402

PAPER = os.path.join(HERE, os.pardir, "data", "nir")


def _csv(name):
    return np.loadtxt(os.path.join(PAPER, name), delimiter=",")


def _predict(net, data, dt, n_steps):
    """{probe: (steps, size)} of net run with data ({node: (steps, size)})."""
    with spikeworks.Simulator(net, dt=dt, minibatch_size=1, progress_bar=False) as sim:
        out = sim.predict({node: values[None] for node, values in data.items()}, n_steps=n_steps)
    return {probe: values[0] for probe, values in out.items()}


def test_task1_lif_spikes_at_the_papers_steps():
    net = spikeworks.nir.read(os.path.join(PAPER, "lif_norse.nir"), dt=1e-4)
    exact = _csv("lif_exact.csv")
    assert net.dt == 1e-4
    assert set(net.inputs) == {"input"} and set(net.outputs) == {"output"}
    out = _predict(net, {net.inputs["input"]: exact[:, :1]}, net.dt, len(exact))
    spikes = out[net.outputs["output"]][:, 0]
    # A spike is 1 in its step, at the steps of the exact solution …
    np.testing.assert_array_equal(spikes, exact[:, 2])
    assert np.count_nonzero(spikes) == 4
    # … and of the platforms that integrate exactly or by Euler at 0.1 ms.
    for name in ("lif_nengo.csv", "lif_norse.csv", "lif_snntorch.csv", "lif_spinnaker2.csv"):
        np.testing.assert_array_equal(spikes, _csv(name)[:, 2], err_msg=name)


def test_task1_from_a_reference_graph():
    graph = nir.read(os.path.join(PAPER, "lif_norse.nir"))
    net = spikeworks.nir.read(graph, dt=1e-4, integration="euler")
    exact = _csv("lif_exact.csv")
    out = _predict(net, {net.inputs["input"]: exact[:, :1]}, net.dt, len(exact))
    np.testing.assert_array_equal(out[net.outputs["output"]][:, 0], _csv("lif_snntorch.csv")[:, 2])


def _exportable_lif():
    return nengo.LIF(tau_rc=0.02, tau_ref=0, min_voltage=-1e30,
                     initial_state={"voltage": nengo.dists.Choice([0])})


def _nef_network():
    """An input, two LIF ensembles and a decoded function between them."""
    with nengo.Network(seed=3) as net:
        stim = nengo.Node(np.zeros(2), label="stim")
        a = nengo.Ensemble(40, 2, neuron_type=_exportable_lif(), label="a")
        b = nengo.Ensemble(30, 1, neuron_type=_exportable_lif(), label="b")
        nengo.Connection(stim, a, synapse=0.005)
        nengo.Connection(a, b, function=lambda x: x[0] * x[1], synapse=0.01)
        nengo.Probe(b.neurons, label="b_spikes")
        nengo.Probe(b, synapse=0.02, label="b_value")
    return net


def test_export_reference_read_round_trip(tmp_path):
    net = _nef_network()
    path = tmp_path / "nef.nir"
    with nengo.Simulator(net, progress_bar=False) as built:
        notes = spikeworks.nir.write(built, path)
    assert notes == []
    graph = nir.read(str(path))  # the reference reads what the engine wrote
    kinds = {type(node).__name__ for node in graph.nodes.values()}
    assert {"Input", "CubaLIF", "Linear", "Output"} <= kinds, kinds
    back = spikeworks.nir.read(graph, dt=0.001)
    assert set(back.inputs) == {"stim"} and set(back.outputs) == {"b_spikes", "b_value"}

    rng = np.random.RandomState(5)
    stim = np.repeat(rng.uniform(-1, 1, size=(4, 2)), 50, axis=0)
    old = _predict(net, {net.nodes[0]: stim}, 0.001, len(stim))
    new = _predict(back, {back.inputs["stim"]: stim}, 0.001, len(stim))
    probes = {p.label: p for p in net.probes}
    # Spike for spike (Nengo's spike is 1/dt, NIR's 1) …
    old_spikes, new_spikes = old[probes["b_spikes"]], new[back.outputs["b_spikes"]]
    np.testing.assert_array_equal(old_spikes != 0, new_spikes != 0)
    np.testing.assert_allclose(old_spikes * 0.001, new_spikes, rtol=1e-6)
    assert np.count_nonzero(old_spikes) > 50
    # … and the decoded value through its synapse.
    np.testing.assert_allclose(new[back.outputs["b_value"]], old[probes["b_value"]], atol=1e-5)


def test_write_returns_a_reference_graph_without_a_path():
    graph = spikeworks.nir.write(_nef_network())
    assert isinstance(graph, nir.NIRGraph)
    assert isinstance(graph.nodes["stim"], nir.Input)


def test_refusals_carry_the_engines_message(tmp_path):
    with nengo.Network() as net:
        a = nengo.Ensemble(5, 1, label="plain")  # Nengo's LIF: tau_ref 2 ms
        nengo.Probe(a)
    with pytest.raises(spikeworks.nir.NIRError,
                       match=r"ensemble 'plain': its neurons have a refractory period \(tau_ref = 0.002 s\)"):
        spikeworks.nir.write(net, tmp_path / "plain.nir")
    assert not (tmp_path / "plain.nir").exists()
    # Approximately: written, with a note naming what was dropped.
    notes = spikeworks.nir.write(net, tmp_path / "plain.nir", approximate=True)
    assert any("plain" in note and "refractory" in note for note in notes), notes
    assert isinstance(nir.read(str(tmp_path / "plain.nir")), nir.NIRGraph)


def test_a_constant_node_becomes_an_input_with_a_note(tmp_path):
    with nengo.Network() as net:
        bias = nengo.Node([0.5], label="bias")
        a = nengo.Ensemble(5, 1, neuron_type=_exportable_lif(), label="a")
        nengo.Connection(bias, a)
    notes = spikeworks.nir.write(net, tmp_path / "const.nir")
    assert len(notes) == 1 and "bias" in notes[0] and "constant output" in notes[0], notes


def test_bad_files_raise_nir_error(tmp_path):
    with pytest.raises(spikeworks.nir.NIRError, match="missing.nir"):
        spikeworks.nir.read(tmp_path / "missing.nir")
    junk = tmp_path / "junk.nir"
    junk.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(200))
    with pytest.raises(spikeworks.nir.NIRError, match="junk.nir"):
        spikeworks.nir.read(junk)
    with pytest.raises(ValueError, match="integration"):
        spikeworks.nir.read(junk, integration="rk4")


def test_a_convolutional_graph_reads_as_a_network():
    """The paper's task 2 (Sinabs CNN): its convolutions reach their
    layers through list slices written in the connections' targets."""
    net = spikeworks.nir.read(os.path.join(PAPER, "cnn_sinabs.nir"), dt=1)
    assert set(net.inputs) == {"input"} and set(net.outputs) == {"output"}
    assert net.inputs["input"].size_out == 2 * 34 * 34
    sliced = [c for c in net.all_connections if isinstance(c.pre, nengo.base.ObjView)
              or isinstance(c.post, nengo.base.ObjView)]
    assert len(sliced) >= 4
    # A layer's output into its neurons one to one is an elementwise
    # transform, not the 4,096 × 4,096 diagonal (which took minutes to
    # hand to the engine): predict on the whole graph is quick.
    into_neurons = [c for c in net.all_connections if isinstance(c.post_obj, nengo.ensemble.Neurons)]
    assert into_neurons and all(c.transform.init.ndim == 1 for c in into_neurons
                                if c.post_obj.size_in > 1)
    inp, out = net.inputs["input"], net.outputs["output"]
    x = (np.random.RandomState(1).uniform(size=(1, 3, inp.size_out)) < 0.1).astype(float)
    with spikeworks.Simulator(net, dt=1, minibatch_size=1, progress_bar=False) as sim:
        assert sim.predict({inp: x})[out].shape == (1, 3, 10)


def _small_cnn():
    """A small convolutional graph as Sinabs writes one: a 2 × 6 × 6 input,
    Conv2d into integrate-and-fire neurons, Flatten, Affine into more."""
    rng = np.random.RandomState(3)
    conv = nir.Conv2d(input_shape=(6, 6), weight=rng.uniform(-1, 1, (3, 2, 3, 3)), stride=1,
                      padding=0, dilation=1, groups=1, bias=rng.uniform(-0.1, 0.1, 3))
    nodes = {
        "input": nir.Input(input_type={"input": np.array([2, 6, 6])}),
        "conv": conv,
        "spk1": nir.IF(r=np.ones((3, 4, 4)), v_threshold=np.full((3, 4, 4), 0.5)),
        "flat": nir.Flatten(input_type={"input": np.array([3, 4, 4])}, start_dim=0),
        "fc": nir.Affine(weight=rng.uniform(-0.5, 0.5, (4, 48)), bias=np.zeros(4)),
        "spk2": nir.IF(r=np.ones(4), v_threshold=np.full(4, 0.5)),
        "output": nir.Output(output_type={"output": np.array([4])}),
    }
    edges = [("input", "conv"), ("conv", "spk1"), ("spk1", "flat"), ("flat", "fc"),
             ("fc", "spk2"), ("spk2", "output")]
    return nir.NIRGraph(nodes=nodes, edges=edges)


def test_predict_runs_a_convolutional_graph():
    """spikeworks.Simulator.predict on a read convolutional graph: its
    layers' list-sliced inputs are written into the engine's model (the
    export indexed a post slice by the layer's output size and failed),
    and the batched run spikes as the backend's run of each row."""
    net = spikeworks.nir.read(_small_cnn(), dt=1)
    inp, out = net.inputs["input"], net.outputs["output"]
    sliced = [c for c in net.all_connections if isinstance(c.post, nengo.base.ObjView)
              and c.post.obj.size_in != c.post.obj.size_out]
    assert sliced, "the graph should reach a layer through a list slice"
    rng = np.random.RandomState(0)
    x = (rng.uniform(size=(2, 8, inp.size_out)) < 0.4).astype(float)
    with spikeworks.Simulator(net, dt=1, minibatch_size=2, progress_bar=False) as sim:
        batched = sim.predict({inp: x})
    assert batched[out].shape == (2, 8, 4)
    for row in range(2):
        alone = _predict(net, {inp: x[row]}, 1, 8)
        assert np.array_equal(batched[out][row], alone[out])
    assert batched[out].any()


@pytest.mark.parametrize("layer,words", [
    ("activation", "its activation has no NIR node"),
    ("kernel", "its kernel is not square"),
])
def test_layer_options_nir_cannot_hold_are_refused(tmp_path, layer, words):
    from spikeworks import layers

    with nengo.Network() as net:
        src = nengo.Node(np.zeros(32), label="src")
        if layer == "activation":
            node = spikeworks.Layer(layers.Dense(3, activation="relu"))(src)
        else:
            node = spikeworks.Layer(layers.Conv2D(2, (2, 3)))(src, shape_in=(4, 4, 2))
        nengo.Probe(node)
    with pytest.raises(spikeworks.nir.NIRError, match=words):
        spikeworks.nir.write(net, tmp_path / "layer.nir")
