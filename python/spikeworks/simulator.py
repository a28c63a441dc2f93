# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.Simulator: Nengo's Simulator API, run by the Spikeworks engine.

Nengo's own builder turns the network into signals and operators (so the
built objects, ``sim.model``, ``sim.signals``, ``Simulator(None,
model=...)`` and ``Builder.register`` extensions are Nengo's), Nengo's
optimizer merges them, and the operators run as one engine plan over the
signal arrays: natively where the engine has the operator, through Nengo's
own step function where it has not (see native.py).  Python code is only
ever called from the thread that called ``run``/``step``.
"""

import numpy as np

import nengo
from nengo.exceptions import SimulatorClosed, ValidationError
from nengo.rc import rc
from nengo.utils.progress import Progress, ProgressTracker

from .native import make_plan


class Simulator(nengo.Simulator):
    """A Nengo simulator backed by the Spikeworks engine.

    Takes the arguments of `nengo.Simulator`; ``dtype`` (``"float64"`` or
    ``"float32"``, default Nengo's ``rc`` precision) sets the precision of
    the signals for this build.  The engine runs float64 models natively;
    float32 models run entirely through Nengo's step functions.
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
    ):
        self.closed = True  # as Nengo: closed until built
        self._plan = None
        self.fallback_ops = []
        self.n_native_ops = 0
        if progress_bar is None:
            progress_bar = True  # Nengo's default: rc decides whether it shows
        if dtype is None:
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
            super().__init__(network, dt, seed, model, progress_bar, optimize)
        finally:
            rc.set("precision", "bits", old)

    def reset(self, seed=None):
        """Reset the simulator state (see `nengo.Simulator.reset`)."""
        super().reset(seed=seed)
        # Nengo has just made fresh step functions (new process states and
        # random streams); the plan is rebuilt around them.
        self._plan, self.fallback_ops = make_plan(
            self._step_order, self._steps, self.signals, self.dt
        )
        # For reports and tests: how many operators run natively, and which
        # ones run as Nengo's own step functions.
        self.n_native_ops = self._plan.n_native

    def step(self):
        """Advance the simulator by 1 step (``dt`` seconds)."""
        if self.closed:
            raise SimulatorClosed("Simulator cannot run because it is closed.")

        old_err = np.seterr(invalid="raise", divide="ignore")
        try:
            self._plan.step()
        finally:
            np.seterr(**old_err)

        self._probe()

    def run_steps(self, steps, progress_bar=None):
        """Simulate for the given number of ``dt`` steps (see
        `nengo.Simulator.run_steps`).  The same as calling `step` that many
        times, with numpy's error settings switched once for the run."""
        if self.closed:
            raise SimulatorClosed("Simulator cannot run because it is closed.")
        if progress_bar is None:
            progress_bar = self.progress_bar

        with ProgressTracker(
            progress_bar, Progress("Simulating", "Simulation", steps)
        ) as pt:
            old_err = np.seterr(invalid="raise", divide="ignore")
            try:
                plan_step, probe, advance = self._plan.step, self._probe, pt.total_progress.step
                for _ in range(steps):
                    if self.closed:  # closed by Python code inside the run
                        raise SimulatorClosed("Simulator cannot run because it is closed.")
                    plan_step()
                    probe()
                    advance()
            finally:
                np.seterr(**old_err)

    def close(self):
        """Close the simulator; any further run raises `SimulatorClosed`."""
        super().close()
        self._plan = None
