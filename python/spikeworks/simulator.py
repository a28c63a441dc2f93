# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.Simulator: Nengo's Simulator API, run by the Spikeworks engine.

Nengo's own builder turns the network into signals and operators (so the
built objects, ``sim.model``, ``sim.signals``, ``Simulator(None,
model=...)`` and ``Builder.register`` extensions are Nengo's; two of its
costliest steps done faster with the same results, see fast_build.py),
Nengo's optimizer merges them, and the operators run as one engine plan over the
signal arrays: natively where the engine has the operator, through Nengo's
own step function where it has not (see native.py).  Python code is only
ever called from the thread that called ``run``/``step``.
"""

import numpy as np

import nengo
from nengo.exceptions import SimulationError, SimulatorClosed, ValidationError
from nengo.rc import rc
from nengo.simulator import SimulationData
from nengo.utils.progress import NoProgressBar, Progress, ProgressTracker

from .dl_api import NengoDLSimulatorMixin
from .fast_build import faster_nengo_build
from .native import make_plan
from .settings import get_setting
from .tensor_node import minibatch_rows


class Simulator(NengoDLSimulatorMixin, nengo.Simulator):
    """A Nengo simulator backed by the Spikeworks engine, with NengoDL's
    API (dl_api.py).

    Takes the arguments of `nengo.Simulator`; ``dtype`` (``"float64"`` or
    ``"float32"``, default Nengo's ``rc`` precision) sets the precision of
    the signals for this build.  The engine runs float64 and float32
    models natively, in the signals' own precision.

    NengoDL's ``minibatch_size`` (default None): None keeps Nengo's probe
    data shapes ``(steps, size)``; a number makes ``sim.data[probe]``
    ``(minibatch_size, steps, size)`` (every row alike: a run without data
    feeds every row the same) and is the batch of predict, evaluate and
    fit.  NengoDL's ``device`` and ``unroll_simulation`` are accepted and
    have no effect (the engine runs on the CPU, step by step).
    """

    def __init__(
        self,
        network,
        dt=0.001,
        seed=None,
        model=None,
        progress_bar=None,
        optimize=True,
        dtype=None,
        minibatch_size=None,
        device=None,
        unroll_simulation=1,
    ):
        self.closed = True  # as Nengo: closed until built
        self._dl_setup(minibatch_size)
        self._plan = None
        self._probe_store = {}
        self._probes_pending = False
        self.fallback_ops = []
        self.n_native_ops = 0
        if progress_bar is None:
            progress_bar = True  # Nengo's default: rc decides whether it shows
        if dtype is None and network is not None:
            # NengoDL's spikeworks.configure_settings(dtype=...) on the network.
            dtype = get_setting(network, "dtype")
        if dtype is None:
            with faster_nengo_build():
                super().__init__(network, dt, seed, model, progress_bar, optimize)
            return
        bits = {np.dtype(np.float32): "32", np.dtype(np.float64): "64"}.get(
            np.dtype(dtype)
        )
        if bits is None:
            raise ValidationError(
                f"dtype must be float32 or float64 (got {dtype!r})", attr="dtype"
            )
        old = rc.get("precision", "bits")
        rc.set("precision", "bits", bits)
        try:
            with faster_nengo_build():
                super().__init__(network, dt, seed, model, progress_bar, optimize)
        finally:
            rc.set("precision", "bits", old)

    def reset(self, seed=None):
        """Reset the simulator state (see `nengo.Simulator.reset`), the
        saved state of stateful predict/evaluate calls included."""
        self._reset_saved_state()
        self._plan = None
        if not isinstance(self.data, _SimulationData):
            self.data = _SimulationData(
                self._sim_data, self._sync_probes,
                self.minibatch_size if self._minibatched else None,
            )
        super().reset(seed=seed)
        # Nengo has just made fresh step functions (new process states and
        # random streams); the plan is rebuilt around them, with trained
        # values (fit, load_params) in place of the built ones.
        if self._trained:
            self._apply_trained()
        else:
            self._rebuild_plan()

    def _rebuild_plan(self):
        """A new plan over the signals as they are now (state kept)."""
        if self._plan is not None:
            self._sync_probes()
            self._plan.stop()
            self._plan = None
        # The model's precision is its time signal's (Nengo's rc precision
        # when it was built, which Simulator(None, model=...) may predate).
        float_dtype = self.signals[self.model.time].dtype
        plan, self.fallback_ops = make_plan(
            self._step_order, self._steps, self.signals, self.dt, float_dtype
        )
        # For reports and tests: how many operators run natively, and which
        # ones run as Nengo's own step functions.
        self.n_native_ops = plan.n_native
        # The probes record in C after each step; Python sees their data
        # only when it asks (sim.data, pickling).
        plan.set_clock(self.signals[self.model.step])
        self._probe_shapes = []
        for probe in self.model.probes:
            signal = self.signals[self.model.sig[probe]["in"]]
            period = 1 if probe.sample_every is None else probe.sample_every / self.dt
            plan.add_probe(signal, period)
            self._probe_shapes.append((signal.dtype, signal.shape))
        self._plan = plan

    def clear_probes(self):
        """Clear all probe histories (see `nengo.Simulator.clear_probes`)."""
        super().clear_probes()
        self._probe_store = {probe: _ProbeStore() for probe in self.model.probes}
        if self._plan is not None:
            self._plan.clear_probes()

    def _sync_probes(self):
        """Moves the samples the engine recorded into the probes' arrays."""
        plan = self._plan
        if plan is None or not self._probes_pending:
            return
        self._probes_pending = False
        for i, probe in enumerate(self.model.probes):
            data, n = plan.take_probe(i)
            if n:
                dtype, shape = self._probe_shapes[i]
                store = self._probe_store[probe]
                store.extend(np.frombuffer(data, dtype=dtype).reshape((n,) + shape))
                self._sim_data[probe] = store.view()

    def _run_plan(self, steps):
        """Runs the plan for `steps` steps with Nengo's numpy error
        settings, and brings the step counter and time up to date."""
        if self._state_steps():
            raise SimulationError(
                "run_steps cannot go on from the state stateful predict/evaluate calls left "
                "(that state is in the engine's batched build, not in this run); call "
                "sim.reset() first"
            )
        plan = self._plan  # holds the plan even if Python code closes us
        # The step counter, not _n_steps: unpickling sets the signals.
        start = self.signals[self.model.step].item()
        old_err = np.seterr(invalid="raise", divide="ignore")
        try:
            # NengoDL's TensorNodes see the whole (here identical) minibatch.
            with minibatch_rows(self.minibatch_size if self._minibatched else 1):
                plan.run(steps)
        finally:
            np.seterr(**old_err)
            # As Nengo: a step that raised is not counted.
            self._n_steps = start + plan.steps_done
            self._time = self._n_steps * self.dt
            self._probes_pending = True
        if self.closed:  # closed by Python code inside the run
            raise SimulatorClosed("Simulator cannot run because it is closed.")

    def step(self):
        """Advance the simulator by 1 step (``dt`` seconds)."""
        if self.closed:
            raise SimulatorClosed("Simulator cannot run because it is closed.")
        self._run_plan(1)

    def run_steps(self, steps, progress_bar=None):
        """Simulate for the given number of ``dt`` steps (see
        `nengo.Simulator.run_steps`).  The steps run in C, with the probes
        recorded there; a visible progress bar is advanced in hundredths."""
        if self.closed:
            raise SimulatorClosed("Simulator cannot run because it is closed.")
        if progress_bar is None:
            progress_bar = self.progress_bar

        with ProgressTracker(
            progress_bar, Progress("Simulating", "Simulation", steps)
        ) as pt:
            shown = not isinstance(pt.progress_bar, NoProgressBar)
            chunk = max(1, steps // 100) if shown else max(1, steps)
            done = 0
            while done < steps:
                n = min(chunk, steps - done)
                self._run_plan(n)
                pt.total_progress.step(n)
                done += n

    def close(self):
        """Close the simulator; any further run raises `SimulatorClosed`."""
        if self._plan is not None:
            self._sync_probes()
            self._plan.stop()
        super().close()
        self._plan = None

    def __getstate__(self):
        self._sync_probes()
        return super().__getstate__()

    def __setstate__(self, state):
        outputs = state["probe_outputs"]
        super().__setstate__(dict(state, probe_outputs={}))
        for probe, value in outputs.items():
            value = np.asarray(value)
            if len(value):
                self._probe_store[probe].extend(value)
                self._sim_data[probe] = self._probe_store[probe].view()


class _SimulationData(SimulationData):
    """Nengo's `SimulationData`, bringing the probes' samples over from
    the engine before it answers."""

    def __init__(self, raw, sync, minibatch_size=None):
        super().__init__(raw)
        self._sync = sync
        self._minibatch_size = minibatch_size

    def _raw(self, key):
        self._sync()
        return super().__getitem__(key)

    def __getitem__(self, key):
        value = self._raw(key)
        if self._minibatch_size is not None and isinstance(key, nengo.Probe):
            # NengoDL's (minibatch, steps, size): every row the same run.
            value = np.asarray(value)
            return np.broadcast_to(value[None], (self._minibatch_size,) + value.shape)
        return value


class _ProbeStore:
    """One probe's samples in a numpy array that grows by doubling, so a
    probe read after every step costs O(1) per sample, not a copy of its
    history.  `view` is a read-only view of the samples so far; later
    samples go past its end and never change it."""

    def __init__(self):
        self._buf = None
        self._n = 0

    def extend(self, rows):
        rows = np.asarray(rows)
        n = self._n + len(rows)
        if self._buf is None or n > len(self._buf) or self._buf.dtype != rows.dtype:
            buf = np.empty((max(n, 2 * self._n, 16),) + rows.shape[1:], dtype=rows.dtype)
            if self._buf is not None:
                buf[: self._n] = self._buf[: self._n]
            self._buf = buf
        self._buf[self._n : n] = rows
        self._n = n

    def view(self):
        out = self._buf[: self._n]
        out.setflags(write=False)
        return out
