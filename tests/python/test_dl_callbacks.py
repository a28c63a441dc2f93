# SPDX-License-Identifier: GPL-3.0-or-later
"""Python code in NengoDL's batched predict: a Python TensorNode and a
nengo.Node function of (t, x) run inside the engine's one batched
simulation, called by the engine (dl_callbacks.py, spk_build_external).

What is checked: how often and with what the functions are called (a
TensorNode once per step with the whole minibatch, a nengo.Node function
once per step per row, as NengoDL does), the numbers against Nengo's own
simulator run row by row (same seed, so the same decoders: to 1e-9) and
against numpy, a Python function with state of its own across the batch
and across stateful calls, exceptions coming back as themselves, and
what is refused (fit, a network the engine cannot build at all).  Run by
meson (suite "python").
"""

import threading

import numpy as np
import pytest

import nengo
from nengo.exceptions import ValidationError

import spikeworks

nengo.rc.set("decoder_cache", "enabled", "False")
SAME_BUILD = 1e-9  # the engine's build of Nengo's values against Nengo's run


def recorder(func):
    """func, recording each call's (t, x copy, thread)."""
    calls = []

    def wrapped(*args):
        calls.append((args[0], np.array(args[-1]), threading.get_ident()))
        return func(*args)

    return wrapped, calls


def test_a_tensor_node_is_called_once_per_step_with_the_whole_minibatch():
    """N steps of a minibatch: N calls with x of (minibatch, size_in), not
    N × minibatch calls, all in the thread that called predict."""
    func, calls = recorder(lambda t, x: np.tanh(x) * 2 + t)
    with nengo.Network(seed=1) as net:
        a = nengo.Node(np.zeros(3), label="a")
        b = spikeworks.TensorNode(func, shape_in=(3,), shape_out=(3,), label="b")
        nengo.Connection(a, b, synapse=None)
        p = nengo.Probe(b)
    data = np.random.RandomState(0).uniform(-1, 1, (8, 7, 3))
    with spikeworks.Simulator(net, minibatch_size=4) as sim:
        out = sim.predict({a: data})
    # Two minibatches of 7 steps: 14 calls, each with the minibatch's 4 rows.
    assert len(calls) == 14
    assert {c[1].shape for c in calls} == {(4, 3)}
    assert {c[2] for c in calls} == {threading.get_ident()}
    assert all(type(c[0]) is np.float32 for c in calls)
    t = (0.001 * np.arange(1, 8)).astype(np.float32)
    for k, (t_call, x, _) in enumerate(calls):
        mb, step = divmod(k, 7)
        assert t_call == t[step]
        assert np.array_equal(x, data[4 * mb: 4 * mb + 4, step])
    assert np.allclose(out[p], np.tanh(data) * 2 + t[None, :, None], atol=1e-12)


def test_a_nengo_node_function_is_called_once_per_row_as_nengo_dl_does():
    func, calls = recorder(lambda t, x: [x[0] * x[1], t])
    with nengo.Network(seed=1) as net:
        a = nengo.Node(np.zeros(2), label="a")
        b = nengo.Node(func, size_in=2, size_out=2, label="b")
        nengo.Connection(a, b, synapse=None)
        p = nengo.Probe(b)
    calls.clear()  # Nengo's Node calls the function once to check it
    data = np.random.RandomState(1).uniform(-1, 1, (3, 5, 2))
    with spikeworks.Simulator(net, minibatch_size=3) as sim:
        calls.clear()
        out = sim.predict({a: data})
    assert len(calls) == 5 * 3
    assert {c[1].shape for c in calls} == {(2,)}
    assert all(type(c[0]) is float for c in calls)
    t = 0.001 * np.arange(1, 6)
    expected = np.stack([data[..., 0] * data[..., 1], np.broadcast_to(t, (3, 5))], axis=-1)
    assert np.allclose(out[p], expected, atol=1e-12)


def _python_middle_network(tensor_func):
    """Ensemble → Python TensorNode → Ensemble, probed after a synapse."""
    with nengo.Network(seed=4) as net:
        a = nengo.Node(np.zeros(2), label="a")
        e = nengo.Ensemble(40, 2, label="e")
        f = spikeworks.TensorNode(tensor_func, shape_in=(2,), shape_out=(2,), label="f")
        g = nengo.Ensemble(40, 2, label="g")
        nengo.Connection(a, e, synapse=None)
        nengo.Connection(e, f, synapse=0.005)
        nengo.Connection(f, g, synapse=0.005)
        p = nengo.Probe(g, synapse=0.01, label="p")
    return net, a, p


def test_predict_equals_nengo_row_by_row():
    """The engine's batched build with the Python node in it against
    Nengo's own simulator of each row (its input Node fed the row)."""
    net, a, p = _python_middle_network(lambda t, x: np.stack([x[:, 1], -x[:, 0]], axis=1))
    steps = 60
    data = np.random.RandomState(2).uniform(-0.8, 0.8, (4, steps, 2))
    with spikeworks.Simulator(net, minibatch_size=2, seed=7) as sim:
        out = sim.predict({a: data})
    for row in range(4):
        a.output = lambda t, r=row: data[r, min(int(round(t / 0.001)) - 1, steps - 1)]
        with nengo.Simulator(net, seed=7, progress_bar=False) as ref:
            ref.run_steps(steps)
        assert np.allclose(out[p][row], ref.data[p], atol=SAME_BUILD), row
    a.output = np.zeros(2)


class LeakyTrace:
    """A Python function with state of its own, one row per minibatch row:
    trace = 0.9·trace + x, as an RNN cell in NumPy would keep it."""

    def __init__(self):
        self.trace = None
        self.calls = 0

    def __call__(self, t, x):
        self.calls += 1
        if self.trace is None:
            self.trace = np.zeros_like(x)
        self.trace = 0.9 * self.trace + x
        return self.trace


def test_a_python_node_with_state_across_the_batch():
    """Each row of the function's own state follows its row of the data,
    and a stateful predict in two halves equals the whole run (the
    engine's state and the function's go on together)."""
    data = np.random.RandomState(3).uniform(-1, 1, (3, 10, 2))
    expected = np.zeros_like(data)
    trace = np.zeros((3, 2))
    for k in range(10):
        trace = 0.9 * trace + data[:, k]
        expected[:, k] = trace

    def run(halves):
        cell = LeakyTrace()
        with nengo.Network(seed=5) as net:
            a = nengo.Node(np.zeros(2), label="a")
            b = spikeworks.TensorNode(cell, shape_in=(2,), shape_out=(2,), label="b")
            nengo.Connection(a, b, synapse=None)
            p = nengo.Probe(b)
        with spikeworks.Simulator(net, minibatch_size=3) as sim:
            if halves:
                first = sim.predict_on_batch({a: data[:, :4]}, stateful=True)[p]
                second = sim.predict_on_batch({a: data[:, 4:]}, stateful=True)[p]
                assert sim.n_steps == 10
                return np.concatenate([first, second], axis=1), cell
            return sim.predict_on_batch({a: data})[p], cell

    whole, cell = run(False)
    assert cell.calls == 10 and cell.trace.shape == (3, 2)
    assert np.allclose(whole, expected, atol=1e-12)
    halves, cell = run(True)
    assert cell.calls == 10
    assert np.allclose(halves, whole, atol=1e-12)


def test_a_python_exception_comes_back_as_itself():
    class Boom(Exception):
        pass

    def func(t, x):
        if t > 0.0025:
            raise Boom("at step 3")
        return x

    with nengo.Network() as net:
        a = nengo.Node([0.0], label="a")
        b = spikeworks.TensorNode(func, shape_in=(1,), shape_out=(1,))
        nengo.Connection(a, b, synapse=None)
        nengo.Probe(b)
    with spikeworks.Simulator(net, minibatch_size=2) as sim:
        with pytest.raises(Boom, match="at step 3"):
            sim.predict({a: np.zeros((2, 5, 1))})
        # The simulator goes on: a shorter run does not reach step 3.
        assert sim.predict({a: np.ones((2, 2, 1))})[net.probes[0]].shape == (2, 2, 1)


def test_fit_refuses_python_code_with_the_reason():
    net, a, p = _python_middle_network(lambda t, x: x)
    with spikeworks.Simulator(net, minibatch_size=2) as sim:
        sim.compile(optimizer="sgd", loss="mse")
        with pytest.raises(spikeworks.ModelExportError,
                           match="fit trains the engine's build of the network: .*TensorNode 'f'"):
            sim.fit({a: np.zeros((2, 3, 2))}, {p: np.zeros((2, 3, 2))}, epochs=1)


def test_data_for_a_network_the_engine_cannot_build_is_refused():
    """Noise on an ensemble: no engine build, so no batched run with data
    (without data, predict still runs the Nengo build once)."""
    with nengo.Network(seed=1) as net:
        a = nengo.Node([0.0], label="a")
        e = nengo.Ensemble(10, 1, noise=nengo.processes.WhiteNoise(), label="e")
        nengo.Connection(a, e)
        p = nengo.Probe(e)
    with spikeworks.Simulator(net, minibatch_size=2) as sim:
        with pytest.raises(ValidationError, match="predict with data runs the engine's batched "
                                                  "build of the network, which this network has "
                                                  "not: .*noise is set"):
            sim.predict({a: np.zeros((2, 3, 1))})
        assert sim.predict(n_steps=3)[p].shape == (2, 3, 1)
