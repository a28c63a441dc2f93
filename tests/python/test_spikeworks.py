# SPDX-License-Identifier: GPL-3.0-or-later
"""The spikeworks Python package: spikeworks.Simulator against Nengo's
reference simulator, callbacks, closing and bad input.

Run by meson (suite "python") with the build tree and the vendored Nengo on
PYTHONPATH; Nengo's own test suite runs separately (tools/run-nengo-suite.sh).
Tolerances: float64 round-off.  The engine sums dot products and filter
states in its own order, so results differ from numpy's by a few ulps per
step; 1e-9 over a few hundred steps leaves room for that and for nothing
else (a wrong time constant or a dropped term differs by 1e-3 or more).
"""

import pickle
import traceback

import numpy as np
import pytest

import nengo
from nengo.builder.neurons import SimNeurons
from nengo.builder.processes import SimProcess
from nengo.exceptions import (
    BuildError,
    SimulationError,
    SimulatorClosed,
    ValidationError,
)

import spikeworks

ROUNDOFF = 1e-9

# Nengo's decoder cache would write to the user's home: off, as Nengo's own
# test suite has it.
nengo.rc.set("decoder_cache", "enabled", "False")


def run_both(net, seconds=0.3, **kwargs):
    with nengo.Simulator(net, progress_bar=False) as ref:
        ref.run(seconds)
    with spikeworks.Simulator(net, progress_bar=False, **kwargs) as sim:
        sim.run(seconds)
    return ref, sim


def test_issue_example():
    with nengo.Network(seed=0) as net:
        a = nengo.Node(lambda t: np.sin(2 * np.pi * t))
        b = nengo.Ensemble(100, 1)
        nengo.Connection(a, b)
        p = nengo.Probe(b, synapse=0.01)
    ref, sim = run_both(net, 1.0)
    assert sim.trange().shape == (1000,)
    assert sim.data[p].shape == (1000, 1)
    assert np.array_equal(sim.data[b].encoders, ref.data[b].encoders)
    assert np.allclose(sim.data[p], ref.data[p], atol=ROUNDOFF, rtol=0)
    # Everything but the Python lambda ran in the engine.
    assert [type(op).__name__ for op in sim.fallback_ops] == ["SimPyFunc"]
    assert sim.n_native_ops > 5


@pytest.mark.parametrize(
    "neuron_type",
    [
        nengo.LIF(),
        nengo.LIF(tau_rc=0.03, tau_ref=0.001, min_voltage=-1, amplitude=0.5),
        nengo.LIFRate(),
        nengo.RectifiedLinear(),
        nengo.SpikingRectifiedLinear(),
        nengo.Sigmoid(),
        nengo.Tanh(),
        nengo.AdaptiveLIF(),
        nengo.AdaptiveLIFRate(),
        nengo.Izhikevich(),
        nengo.Izhikevich(tau_recovery=0.03, coupling=0.25, reset_voltage=-55),
    ],
)
def test_neurons_match_reference(neuron_type):
    with nengo.Network(seed=3) as net:
        u = nengo.Node(nengo.processes.WhiteSignal(1.0, high=5, seed=1))
        ens = nengo.Ensemble(50, 1, neuron_type=neuron_type)
        out = nengo.Node(size_in=1)
        nengo.Connection(u, ens)
        nengo.Connection(ens, out, synapse=nengo.Alpha(0.01))
        p_out = nengo.Probe(out, synapse=0.02)
        p_spk = nengo.Probe(ens.neurons)
        p_v = [
            nengo.Probe(ens.neurons, name)
            for name in neuron_type.state
            if name in ("voltage", "adaptation", "refractory_time", "recovery")
        ]
    ref, sim = run_both(net)
    ops = {type(op) for op in sim.fallback_ops}
    assert SimNeurons not in ops
    assert SimProcess in ops  # the white signal is Nengo's process
    assert np.allclose(sim.data[p_out], ref.data[p_out], atol=ROUNDOFF, rtol=0)
    assert np.allclose(sim.data[p_spk], ref.data[p_spk], atol=ROUNDOFF, rtol=0)
    for p in p_v:
        assert np.allclose(sim.data[p], ref.data[p], atol=ROUNDOFF, rtol=0)


def test_network_matches_reference():
    """Recurrence, slicing, neuron-to-neuron weights, sparse transforms,
    general linear filters, a learning rule (Nengo's step) and a custom
    Python process, together."""
    with nengo.Network(seed=7) as net:
        stim = nengo.Node([0.5, -0.3])
        a = nengo.Ensemble(80, 2)
        integ = nengo.Ensemble(100, 1)
        b = nengo.Ensemble(40, 1, neuron_type=nengo.LIFRate())
        nengo.Connection(stim, a)
        nengo.Connection(a[0], integ, transform=0.1, synapse=0.1)
        nengo.Connection(integ, integ, synapse=0.1)
        nengo.Connection(
            a.neurons,
            b.neurons,
            transform=nengo.Sparse(
                (40, 80), indices=[[i, 2 * i] for i in range(40)], init=0.01
            ),
        )
        nengo.Connection(
            a[1], b, synapse=nengo.LinearFilter([1], [0.001, 0.05, 1]), function=abs
        )
        err = nengo.Node(size_in=1)
        learned = nengo.Connection(
            integ, b, learning_rule_type=nengo.PES(), function=lambda x: 0
        )
        nengo.Connection(b, err)
        nengo.Connection(stim[0], err, transform=-1)
        nengo.Connection(err, learned.learning_rule)
        probes = [
            nengo.Probe(x, synapse=0.01) for x in (a, integ, b, err)
        ] + [nengo.Probe(learned, "weights")]
    ref, sim = run_both(net, 0.5)
    for p in probes:
        assert np.allclose(sim.data[p], ref.data[p], atol=ROUNDOFF, rtol=0), p
    names = {type(op).__name__ for op in sim.fallback_ops}
    assert "SimPES" in names  # learning rules run as Nengo's steps
    assert "SimNeurons" not in names


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_convolutions_run_natively(dtype):
    """Convolution (strides, "same" padding, channels first, groups) and
    ConvolutionTranspose (a given output shape) on connections: Nengo's
    numbers, with their operators in the engine's plan, none left to
    Nengo's step."""
    rng = np.random.RandomState(3)
    with nengo.Network(seed=3) as net:
        stim = nengo.Node(lambda t: np.sin(np.arange(48) * 0.3 + 7 * t))
        convs = [
            nengo.Convolution(3, (4, 6, 2), kernel_size=(3, 2), strides=(2, 1),
                              padding="same", init=rng.uniform(-1, 1, (3, 2, 2, 3))),
            nengo.Convolution(4, (2, 4, 6), channels_last=False, groups=2,
                              init=rng.uniform(-1, 1, (3, 3, 1, 4))),
            nengo.Convolution(2, (8, 6), kernel_size=(3,), strides=(1,), init=rng.uniform(-1, 1, (3, 6, 2))),
            nengo.ConvolutionTranspose(2, (4, 6, 2), output_shape=(8, 12, 2), kernel_size=(3, 3),
                                       strides=(2, 2), padding="same",
                                       init=rng.uniform(-1, 1, (3, 3, 2, 2))),
        ]
        probes = []
        for conv in convs:
            out = nengo.Node(size_in=conv.size_out)
            nengo.Connection(stim, out, transform=conv, synapse=0.005)
            probes.append(nengo.Probe(out))
        ens = nengo.Ensemble(convs[0].size_out, 1)
        nengo.Connection(stim, ens.neurons, transform=convs[0])
        probes.append(nengo.Probe(ens.neurons, "input"))
    with nengo.Simulator(net, progress_bar=False) as ref:
        ref.run(0.05)
    with spikeworks.Simulator(net, progress_bar=False, dtype=np.dtype(dtype).name) as sim:
        sim.run(0.05)
    names = {type(op).__name__ for op in sim.fallback_ops}
    assert not names & {"ConvInc", "ConvTransposeInc"}, names
    tol = ROUNDOFF if dtype == np.float64 else 1e-4
    for p in probes:
        assert np.allclose(sim.data[p], ref.data[p], atol=tol * np.abs(ref.data[p]).max(), rtol=0), p


def test_exception_in_callback_reaches_caller():
    def fail_later(t):
        if t > 0.005:
            raise RuntimeError("node failed at t=%g" % t)
        return t

    with nengo.Network() as net:
        node = nengo.Node(fail_later)
        p = nengo.Probe(node)
    sim = spikeworks.Simulator(net, progress_bar=False)
    with pytest.raises(RuntimeError, match="node failed at t=0.006") as info:
        sim.run(0.1)
    frames = [f.name for f in traceback.extract_tb(info.value.__traceback__)]
    assert "fail_later" in frames
    assert len(sim.data[p]) == 5  # the steps before the failing one
    assert not sim.closed
    sim.close()
    with pytest.raises(SimulatorClosed):
        sim.run(0.01)


def test_python_runs_on_the_calling_thread():
    import threading

    seen = set()

    def record(t):
        seen.add(threading.get_ident())
        return t

    with nengo.Network() as net:
        nengo.Node(record)
        nengo.Ensemble(10, 1)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(20)
    assert seen == {threading.get_ident()}


def test_closed_simulator():
    with nengo.Network() as net:
        nengo.Ensemble(10, 1)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(3)
    for call in (sim.step, lambda: sim.run(0.01), lambda: sim.run_steps(2), sim.reset):
        with pytest.raises(SimulatorClosed):
            call()
    assert sim.n_steps == 3


def test_reset_repeats_the_run():
    with nengo.Network(seed=1) as net:
        noise = nengo.Node(nengo.processes.WhiteNoise())
        ens = nengo.Ensemble(30, 1)
        nengo.Connection(noise, ens)
        p = nengo.Probe(ens, synapse=0.01)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run(0.1)
        first = sim.data[p].copy()
        sim.reset()
        sim.run(0.1)
        assert np.array_equal(sim.data[p], first)
        sim.reset(seed=5)
        sim.run(0.1)
        assert not np.array_equal(sim.data[p], first)


def test_model_and_signals_are_nengos():
    with nengo.Network(seed=2) as net:
        ens = nengo.Ensemble(20, 1)
        p = nengo.Probe(ens.neurons, "voltage")
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(4)
        voltage = sim.signals[sim.model.sig[ens.neurons]["voltage"]]
        assert np.array_equal(voltage, sim.data[p][-1])
        # Built again from the same model, as Nengo allows.
        with spikeworks.Simulator(None, model=sim.model, progress_bar=False) as again:
            again.run_steps(4)


def test_pickle_round_trip():
    with nengo.Network(seed=4) as net:
        ens = nengo.Ensemble(20, 1)
        p = nengo.Probe(ens, synapse=0.01)
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(10)
        clone = pickle.loads(pickle.dumps(sim))
    with clone:
        assert isinstance(clone, spikeworks.Simulator)
        # The clone has its own copies of the network's objects.
        (p_clone,) = clone.model.probes
        assert np.array_equal(clone.data[p_clone], sim.data[p])
        clone.run_steps(5)
        assert clone.n_steps == 15


def test_float32():
    """A float32 model (Nengo's rc precision 32, or dtype="float32") runs in
    the engine in float32: everything but the Python function is native,
    and the output is nengo.Simulator's in float32 to float32 round-off
    (the engine's float32 LIF kernel computes expm1 and log1p as
    polynomials a few float ulps from numpy's)."""
    with nengo.Network(seed=0) as net:
        u = nengo.Node(lambda t: np.sin(2 * np.pi * t))
        ens = nengo.Ensemble(60, 1)
        out = nengo.Ensemble(40, 1)
        nengo.Connection(u, ens)
        nengo.Connection(ens, out, function=np.square, synapse=nengo.Alpha(0.005))
        p = nengo.Probe(out, synapse=0.01)
    old = nengo.rc.get("precision", "bits")
    nengo.rc.set("precision", "bits", "32")
    try:
        with nengo.Simulator(net, progress_bar=False) as ref:
            ref.run(0.3)
        with spikeworks.Simulator(net, progress_bar=False) as from_rc:
            from_rc.run(0.3)
    finally:
        nengo.rc.set("precision", "bits", old)
    with spikeworks.Simulator(net, progress_bar=False, dtype="float32") as sim:
        sim.run(0.3)
        assert sim.data[p].dtype == np.float32
        assert [type(op).__name__ for op in sim.fallback_ops] == ["SimPyFunc"]
        assert sim.signals[sim.model.step].dtype == np.int32
    assert nengo.rc.float_dtype == np.float64  # the global setting is left alone
    assert np.array_equal(from_rc.data[p], sim.data[p])
    assert np.allclose(sim.data[p], ref.data[p], atol=1e-5, rtol=0)


def test_bad_input():
    with nengo.Network() as net:
        nengo.Ensemble(10, 1)
    with pytest.raises(ValidationError, match="dtype must be float32 or float64"):
        spikeworks.Simulator(net, dtype="int8")
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        with pytest.raises(ValidationError, match="Must be positive"):
            sim.run(-1)

    # Parameters the builder cannot use: refused at build time, naming the
    # object.
    with nengo.Network() as net:
        nengo.Ensemble(5, 1, intercepts=[1.5] * 5, label="too-high")
    with pytest.raises(BuildError, match="too-high"):
        spikeworks.Simulator(net)

    # A Node whose function returns a wrong value: Nengo's SimulationError
    # from the step, and the simulator still closes.
    with nengo.Network() as net:
        nengo.Node(lambda t: [1, 2, 3], size_out=2, label="wrong")
    sim = spikeworks.Simulator(net, progress_bar=False)
    with pytest.raises(SimulationError, match="invalid type"):
        sim.run_steps(1)
    sim.close()

    # A value that turns non-finite in a Python step is Nengo's SimulationError.
    with nengo.Network() as net:
        node = nengo.Node(lambda t: np.nan)
        nengo.Connection(node, nengo.Node(size_in=1))
    with spikeworks.Simulator(net, progress_bar=False) as sim:
        with pytest.raises(SimulationError, match="non-finite value"):
            sim.run_steps(2)


def test_bad_input_items():
    """The issue's bad input, each with Nengo's exception and message: an
    unusable parameter or an unknown object at build time, a closed
    simulator, wrong-shaped data."""
    with nengo.Network() as net:
        nengo.Ensemble(5, 1, intercepts=[1.5] * 5, label="too-high")
    with pytest.raises(BuildError, match=r"intercepts for <Ensemble 'too-high'>"):
        spikeworks.Simulator(net, progress_bar=False)

    with nengo.Network() as net:
        pass
    net.nodes.append("not a Nengo object")
    with pytest.raises(BuildError, match="Cannot build object of type 'str'"):
        spikeworks.Simulator(net, progress_bar=False)

    with nengo.Network() as net:
        nengo.Ensemble(5, 1)
    sim = spikeworks.Simulator(net, progress_bar=False)
    sim.run_steps(2)
    sim.close()
    for use in (
        lambda: sim.run(0.01),
        lambda: sim.run_steps(1),
        lambda: sim.step(),
        lambda: sim.reset(),
        lambda: sim.__enter__(),
    ):
        with pytest.raises(SimulatorClosed):
            use()
    assert sim.data is not None and sim.n_steps == 2  # data stays readable

    with nengo.Network() as net:
        a = nengo.Ensemble(5, 2, label="a")
        b = nengo.Ensemble(5, 3, label="b")
        with pytest.raises(ValidationError, match=r"\(2, 2\) does not match expected shape \(3, 2\)"):
            nengo.Connection(a, b, transform=np.ones((2, 2)))
        with pytest.raises(ValidationError, match=r"Ensemble.eval_points: shape\[1\] should be 2"):
            nengo.Ensemble(5, 2, eval_points=np.ones((10, 3)))
        with pytest.raises(ValidationError, match="'voltage' is not probeable"):
            nengo.Probe(nengo.Node(size_in=2), "voltage")

    # A float32 plan refuses float64 arrays (and the reverse, above).
    from spikeworks import _engine

    plan32 = _engine.Plan(0.001, single=True)
    assert plan32.single
    with pytest.raises(TypeError, match="float32"):
        plan32.add_reset(np.zeros(3), 0.0)
    with pytest.raises(TypeError, match="step must be one int32"):
        plan32.add_time_update(np.zeros((), dtype=np.int64), np.zeros((), dtype=np.float32))
    with pytest.raises(TypeError, match="clock"):
        plan32.set_clock(np.zeros(2, dtype=np.int32))
    with pytest.raises(ValueError, match="period"):
        plan32.add_probe(np.zeros(3, dtype=np.float32), 0.0)
    with pytest.raises(IndexError, match="there are 0 probes"):
        plan32.take_probe(0)


def test_engine_plan_refuses_bad_arrays():
    """The extension checks every array it is given: wrong shapes, types
    and layouts are Python exceptions, never a crash."""
    from spikeworks import _engine

    plan = _engine.Plan(0.001)
    y = np.zeros(3)
    with pytest.raises(ValueError, match="do not fit"):
        plan.add_dot_inc(np.ones((3, 4)), np.ones(3), y)
    with pytest.raises(TypeError, match="float64"):
        plan.add_reset(np.zeros(3, dtype=np.float32), 0.0)
    with pytest.raises(TypeError, match="at most 2 dimensions"):
        plan.add_reset(np.zeros((2, 2, 2)), 0.0)
    with pytest.raises(ValueError, match="read-only"):
        ro = np.zeros(3)
        ro.setflags(write=False)
        plan.add_reset(ro, 1.0)
    with pytest.raises(ValueError, match="source index 7"):
        plan.add_copy(np.ones(3), np.array([7]), y, np.array([0]), False)
    with pytest.raises(ValueError, match="repeated destination"):
        plan.add_copy(np.ones(2), None, y, np.array([1, 1]), False)
    with pytest.raises(ValueError, match="inconsistent CSR"):
        plan.add_sparse_dot_inc(
            np.ones(2), np.zeros(2, dtype=np.int64), np.array([0, 5]), 1, 3, y, y[:1]
        )
    with pytest.raises(TypeError, match="not a native neuron type"):
        plan.add_neurons("Izhikevich2", {}, y, y.copy(), {})
    with pytest.raises(TypeError, match="needs parameter tau_ref"):
        plan.add_neurons("LIFRate", {"tau_rc": 0.02, "amplitude": 1.0}, y, y.copy(), {})
    with pytest.raises(TypeError, match="state refractory_time is missing"):
        params = {"tau_rc": 0.02, "tau_ref": 0.002, "min_voltage": 0.0, "amplitude": 1.0}
        plan.add_neurons("LIF", params, y, y.copy(), {"voltage": y.copy(), "x": y.copy()})
    with pytest.raises(ValueError, match="tau_rc must be positive"):
        params = {"tau_rc": -1.0, "tau_ref": 0.002, "amplitude": 1.0}
        plan.add_neurons("LIFRate", params, y, y.copy(), {})
    with pytest.raises(ValueError, match="inconsistent shapes"):
        one = np.ones(1)
        plan.add_linear_filter(one, one, one, 0.0, np.zeros(2), y, y.copy(), False)
    with pytest.raises(TypeError, match="not callable"):
        plan.add_callback(3)
    assert plan.n_ops == 0
    assert plan.run(3) == 3  # an empty plan steps


def test_merged_operators_run_natively():
    """Nengo's optimizer merges the encoders and decoders of many ensembles
    into block-sparse products and their neurons into one update: all of
    them run in the engine."""
    with nengo.Network(seed=5) as net:
        prev = nengo.Node(np.sin)
        for _ in range(6):
            ens = nengo.Ensemble(30, 1)
            nengo.Connection(prev, ens)
            prev = ens
        p = nengo.Probe(prev, synapse=0.01)
    ref, sim = run_both(net, 0.2)
    assert np.allclose(sim.data[p], ref.data[p], atol=ROUNDOFF, rtol=0)
    assert "BsrDotInc" in {type(op).__name__ for op in sim.step_order}
    assert [type(op).__name__ for op in sim.fallback_ops] == ["SimPyFunc"]


def test_probes_recorded_in_c():
    """Probes are recorded by the engine and reach Python on access: the
    same samples as Nengo's, with sample_every, read after every step, or
    after a run stopped by an exception."""
    with nengo.Network(seed=6) as net:
        u = nengo.Node(lambda t: np.sin(8 * t))
        ens = nengo.Ensemble(30, 2)
        nengo.Connection(u, ens[0])
        p_all = nengo.Probe(ens, synapse=0.01)
        p_every = nengo.Probe(ens.neurons, "voltage", sample_every=0.0035)
        p_spikes = nengo.Probe(ens.neurons)
    ref, sim = run_both(net, 0.05)
    for p in (p_all, p_every, p_spikes):
        assert sim.data[p].shape == ref.data[p].shape
        assert np.allclose(sim.data[p], ref.data[p], atol=ROUNDOFF, rtol=0)
    assert not sim.data[p_all].flags.writeable
    # Read after every step: each read sees every sample so far, and an
    # earlier array is not changed by later steps.
    with spikeworks.Simulator(net, progress_bar=False) as step_sim:
        seen = []
        for i in range(20):
            step_sim.step()
            assert len(step_sim.data[p_all]) == i + 1
            seen.append(step_sim.data[p_all])
        assert np.array_equal(seen[-1], ref.data[p_all][:20])
        assert len(seen[4]) == 5
        step_sim.clear_probes()
        assert len(step_sim.data[p_all]) == 0
        step_sim.run_steps(3)
        assert len(step_sim.data[p_all]) == 3

    def run_until_failure(simulator):
        calls = []

        def fails_on_fourth_call(t):
            calls.append(t)  # (Nengo calls it once while building, too)
            if len(calls) == 4:
                raise RuntimeError("stop here")
            return 0.0

        with nengo.Network(seed=6) as net2:
            n = nengo.Node(fails_on_fourth_call)
            e = nengo.Ensemble(10, 1)
            nengo.Connection(n, e)
            p = nengo.Probe(e)
        with simulator(net2, progress_bar=False) as sim2:
            with pytest.raises(RuntimeError, match="stop here"):
                sim2.run_steps(10)
            return sim2.n_steps, sim2.time, sim2.data[p].copy()

    # As Nengo: the steps before the failing one were counted and recorded.
    n_ref, t_ref, data_ref = run_until_failure(nengo.Simulator)
    n_sim, t_sim, data_sim = run_until_failure(spikeworks.Simulator)
    assert n_ref > 0 and (n_sim, t_sim) == (n_ref, t_ref)
    assert np.allclose(data_sim, data_ref, atol=ROUNDOFF, rtol=0)
