# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.fast_build: the faster steps of Nengo's build give Nengo's
very numbers, are in place only while spikeworks.Simulator builds, and
leave a function someone else patched alone."""
import numpy as np
import pytest

import nengo
import nengo.builder.connection
import nengo.builder.optimizer
from nengo.utils.graphs import transitive_closure as nengo_closure

import spikeworks
from spikeworks import fast_build


@pytest.fixture(autouse=True)
def no_decoder_cache():
    """Every build solves (a cached solve would hide a wrong one)."""
    old = nengo.rc.get("decoder_cache", "enabled")
    nengo.rc.set("decoder_cache", "enabled", "False")
    yield
    nengo.rc.set("decoder_cache", "enabled", old)


@pytest.mark.parametrize("neuron_type", [
    nengo.LIF(), nengo.LIFRate(), nengo.LIF(tau_rc=0.05, tau_ref=0.0, amplitude=0.25),
    nengo.LIFRate(tau_rc=0.01, tau_ref=0.004, amplitude=3.0),
])
def test_lif_rates_are_nengos_bit_for_bit(neuron_type):
    rng = np.random.RandomState(3)
    scratch = fast_build._Scratch()
    for shape in [(750, 50), (2, 3), (40,), (1, 1)]:
        n = shape[1] if len(shape) > 1 else 1
        x = rng.uniform(-2, 2, size=shape)
        gain = rng.uniform(0.5, 40, size=n)
        bias = rng.uniform(-20, 20, size=n)
        # Currents of exactly 1 (j = 0, the threshold) and just above.
        if len(shape) > 1:
            x[0] = (1 - bias) / gain
            x[-1] = np.nextafter((1 - bias) / gain, np.inf)
        expected = neuron_type.rates(x, gain, bias)
        got = fast_build.lif_rates(neuron_type, x, gain, bias, scratch)
        assert got.shape == expected.shape
        assert np.array_equal(got, expected)
    # What Nengo's current() refuses is left to Nengo.
    assert fast_build.lif_rates(neuron_type, np.ones((3, 4)), np.ones(5), np.ones(5), scratch) is None


def test_transitive_closure_is_nengos():
    rng = np.random.RandomState(5)
    for _ in range(20):
        n = rng.randint(1, 60)
        edges = {v: {w for w in range(v + 1, n) if rng.rand() < 0.1} for v in range(n)}
        expected = nengo_closure(edges)
        got = fast_build.transitive_closure(edges)
        assert set(got) == set(expected)
        for v in edges:
            assert set(got[v]) == set(expected[v])
            assert got[v].isdisjoint({-1}) and all(w in got[v] for w in expected[v])


def network():
    with nengo.Network(seed=11) as net:
        stim = nengo.Node(lambda t: [np.sin(6 * t), np.cos(4 * t)])
        a = nengo.Ensemble(80, 2)
        b = nengo.Ensemble(60, 1, neuron_type=nengo.LIFRate(tau_rc=0.03))
        c = nengo.Ensemble(40, 1, neuron_type=nengo.RectifiedLinear())
        nengo.Connection(stim, a)
        nengo.Connection(a, b, function=lambda x: x[0] * x[1])
        nengo.Connection(b, c, solver=nengo.solvers.LstsqL2(weights=True))
        nengo.Connection(c, a[1], transform=-0.5)
        probe = nengo.Probe(a, synapse=0.01)
    return net, probe


def test_built_like_nengo():
    net, probe = network()
    with nengo.Simulator(net, progress_bar=False) as ref, spikeworks.Simulator(net, progress_bar=False) as sim:
        for conn in net.all_connections:
            assert np.array_equal(sim.data[conn].weights, ref.data[conn].weights), conn
        ref.run(0.2)
        sim.run(0.2)
        np.testing.assert_allclose(sim.data[probe], ref.data[probe], atol=1e-12, rtol=0)


def test_only_during_our_build_and_never_over_a_patch(monkeypatch):
    net, _ = network()
    with spikeworks.Simulator(net, progress_bar=False):
        pass
    # Nengo's own functions are back.
    assert nengo.builder.connection.solve_for_decoders is fast_build._NENGO_SOLVE
    assert nengo.builder.optimizer.transitive_closure is fast_build._NENGO_CLOSURE
    calls = []

    def counting(*args, **kwargs):
        calls.append(1)
        return fast_build._NENGO_SOLVE(*args, **kwargs)

    monkeypatch.setattr(nengo.builder.connection, "solve_for_decoders", counting)
    with spikeworks.Simulator(net, progress_bar=False):
        pass
    assert len(calls) == 4   # three decoded connections and the probe on a
    assert nengo.builder.connection.solve_for_decoders is counting
