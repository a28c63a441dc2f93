# SPDX-License-Identifier: GPL-3.0-or-later
"""NengoDL's stateful=True on spikeworks.Simulator: predict, predict_on_batch
and evaluate go on from the state earlier stateful calls left (neurons,
synapses, time), per minibatch row, and reset() starts over.

The reference is one run of the same total length: with the state carried
the two halves are the whole run cut in two, to float64 round-off (1e-12;
the same operations in the same order).  A non-stateful call starts from
the saved state and leaves it as it was (NengoDL's "begins in state2,
terminates in state3" example).  Run by meson (suite "python").
"""

import warnings

import numpy as np
import pytest

import nengo
from nengo.exceptions import SimulationError, ValidationError

import spikeworks

ROUNDOFF = 1e-12
nengo.rc.set("decoder_cache", "enabled", "False")


def net_with_state():
    """Spiking LIF neurons (voltage and refractory state), a synapse on a
    recurrent connection and a filtered probe: every kind of state."""
    with nengo.Network(seed=3) as net:
        a = nengo.Node(np.zeros(1), label="a")
        e = nengo.Ensemble(30, 1, label="e")
        nengo.Connection(a, e, synapse=0.005)
        nengo.Connection(e, e, synapse=0.05, transform=0.5)
        p = nengo.Probe(e, synapse=0.02, label="p")
        s = nengo.Probe(e.neurons, label="s")
    return net, a, p, s


def data(batch, steps, seed=0):
    rng = np.random.RandomState(seed)
    return np.cumsum(rng.normal(scale=0.1, size=(batch, steps, 1)), axis=1)


def test_two_stateful_halves_equal_the_whole_run():
    net, a, p, s = net_with_state()
    x = data(2, 120)
    with spikeworks.Simulator(net, minibatch_size=2, progress_bar=False) as sim:
        whole = sim.predict({a: x})
        assert sim.n_steps == 0 and sim.time == 0  # not stateful: time stays
        first = sim.predict({a: x[:, :50]}, stateful=True)
        assert sim.n_steps == 50 and sim.time == pytest.approx(0.05)
        second = sim.predict_on_batch({a: x[:, 50:]}, stateful=True)
        assert sim.n_steps == 120 and sim.time == pytest.approx(0.12)
    for probe in (p, s):
        joined = np.concatenate([first[probe], second[probe]], axis=1)
        assert joined.shape == whole[probe].shape
        assert np.allclose(joined, whole[probe], atol=ROUNDOFF, rtol=0)
    # Spikes: the state really went on (the second half is not a fresh start).
    with spikeworks.Simulator(net, minibatch_size=2, progress_bar=False) as sim:
        fresh = sim.predict({a: x[:, 50:]})
    assert not np.allclose(fresh[p], second[p])


def test_each_minibatch_goes_on_from_the_one_before():
    """NengoDL keeps one state per minibatch row: a predict over several
    minibatches runs them one after the other from it, and the time moves
    on by every minibatch's steps (its step counter does)."""
    net, a, p, _ = net_with_state()
    x = data(4, 30, seed=1)
    with spikeworks.Simulator(net, minibatch_size=2, progress_bar=False) as sim:
        out = sim.predict({a: x}, stateful=True)
        assert sim.n_steps == 60
    with spikeworks.Simulator(net, minibatch_size=2, progress_bar=False) as sim:
        whole = sim.predict({a: np.concatenate([x[:2], x[2:]], axis=1)})
    assert np.allclose(out[p][:2], whole[p][:, :30], atol=ROUNDOFF, rtol=0)
    assert np.allclose(out[p][2:], whole[p][:, 30:], atol=ROUNDOFF, rtol=0)


def test_a_call_that_is_not_stateful_starts_from_the_saved_state_and_keeps_it():
    net, a, p, _ = net_with_state()
    x = data(1, 80, seed=2)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        whole = sim.predict({a: x})
        sim.predict({a: x[:, :40]}, stateful=True)
        look = sim.predict({a: x[:, 40:]})  # from state2, leaves it alone
        assert sim.n_steps == 40
        again = sim.predict({a: x[:, 40:]}, stateful=True)
        assert sim.n_steps == 80
    assert np.allclose(look[p], whole[p][:, 40:], atol=ROUNDOFF, rtol=0)
    assert np.array_equal(look[p], again[p])


def test_evaluate_is_stateful_too():
    net, a, p, _ = net_with_state()
    x = data(2, 60, seed=3)
    y = np.zeros((2, 30, 1))
    with spikeworks.Simulator(net, minibatch_size=2, progress_bar=False) as sim:
        whole = sim.predict({a: x})[p]
        sim.compile(loss={p: "mse"})
        sim.evaluate({a: x[:, :30]}, {p: y}, stateful=True, verbose=0)
        assert sim.n_steps == 30
        second = sim.evaluate({a: x[:, 30:]}, {p: y}, stateful=True, verbose=0)
        assert sim.n_steps == 60
    assert second["loss"] == pytest.approx(np.mean(whole[:, 30:] ** 2), rel=1e-12)


def test_reset_starts_over():
    net, a, p, _ = net_with_state()
    x = data(1, 40, seed=4)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        first = sim.predict({a: x}, stateful=True)
        sim.reset()
        assert sim.n_steps == 0 and sim.time == 0
        assert np.array_equal(sim.predict({a: x}, stateful=True)[p], first[p])
        with pytest.warns(DeprecationWarning, match="soft_reset is deprecated"):
            sim.soft_reset()
        assert sim.n_steps == 0
        assert np.array_equal(sim.predict({a: x})[p], first[p])


def test_state_survives_fit():
    """fit trains from the initial state and keeps the saved state (NengoDL
    isolates fit's state): the next stateful call goes on from it."""
    net, a, p, _ = net_with_state()
    x = data(2, 20, seed=5)
    with spikeworks.Simulator(net, minibatch_size=2, progress_bar=False) as sim:
        sim.predict({a: x}, stateful=True)
        sim.compile(optimizer=spikeworks.optimizers.SGD(1e-3), loss={p: "mse"})
        sim.fit({a: x}, {p: np.zeros((2, 20, 1))}, epochs=1, verbose=0)
        assert sim.n_steps == 20
        sim.predict({a: x}, stateful=True)
        assert sim.n_steps == 40


def test_the_stateful_false_setting_ignores_stateful_calls():
    net, a, p, _ = net_with_state()
    with net:
        spikeworks.configure_settings(stateful=False)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        with pytest.warns(UserWarning, match="Ignoring stateful=True"):
            sim.predict({a: data(1, 10)}, stateful=True)
        assert sim.n_steps == 0


def test_mixing_with_run_steps_is_refused():
    """run_steps runs the Nengo build, stateful calls the engine's batched
    build: going on from one in the other is refused with a message."""
    net, a, p, _ = net_with_state()
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.predict({a: data(1, 10)}, stateful=True)
        with pytest.raises(SimulationError, match="run_steps cannot go on from the state"):
            sim.run_steps(5)
        sim.reset()
        sim.run_steps(5)
        with pytest.raises(ValidationError, match="would go on from the 5 steps run_steps ran"):
            sim.predict({a: data(1, 10)}, stateful=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            sim.predict({a: data(1, 10)})  # not stateful: fine


def test_stateful_fit_is_refused():
    net, a, p, _ = net_with_state()
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.compile(loss={p: "mse"})
        with pytest.raises(ValidationError, match="stateful=True is not available in fit"):
            sim.fit({a: data(1, 10)}, {p: np.zeros((1, 10, 1))}, stateful=True)


def test_python_functions_of_time_go_on_from_the_saved_time():
    """A Node whose output is a Python function of t (no data) is called at
    the simulator's time: a stateful second half sees t from 0.05 on."""
    with nengo.Network(seed=1) as net:
        a = nengo.Node(lambda t: np.sin(20 * t))
        e = nengo.Ensemble(20, 1)
        nengo.Connection(a, e)
        p, pa = nengo.Probe(e, synapse=0.01), nengo.Probe(a)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        whole = sim.predict(n_steps=100)
        sim.predict(n_steps=50, stateful=True)
        second = sim.predict(n_steps=50, stateful=True)
    assert np.allclose(second[pa], whole[pa][:, 50:], atol=1e-12)
    assert np.allclose(second[p], whole[p][:, 50:], atol=ROUNDOFF, rtol=0)
