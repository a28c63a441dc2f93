# SPDX-License-Identifier: GPL-3.0-or-later
"""predict with data on a network the engine cannot build (Python code
with an input: a Python TensorNode, a Node whose output is a function of
its input), through Nengo's build of it.

Each minibatch row is a simulator of its own over one shared Nengo build
(the first build's seeds, so every object is what the Simulator built),
its input Nodes fed that row's values at each step.  The rows run side by
side, one thread each, in lockstep at every TensorNode: NengoDL calls a
TensorNode's function once per step with the whole minibatch, so each row
hands its input over and waits, and the last to arrive calls the function
once with ``x`` shaped ``(minibatch,) + shape_in`` and gives every row its
own output row (tensor_node.Lockstep).  The engine plans hold the GIL
while they run, so the threads take turns: this is about the order of the
calls, not speed.  Nodes with a Python function keep being called per
row, as NengoDL calls them.
"""

import contextlib
import threading

import numpy as np

import nengo
from nengo.rc import rc

from . import tensor_node


class _Feed:
    """The input Nodes' data: node → a function of t giving the running
    thread's row of the node's data at t's step."""

    def __init__(self, dt):
        self.dt = dt
        self.local = threading.local()

    def output(self, values):
        local = self.local

        def fed(t):
            step = max(int(round(t / self.dt)) - 1, 0)
            return values[local.row, min(step, values.shape[1] - 1)]

        return fed


@contextlib.contextmanager
def _fed_build(sim, data):
    """A Nengo build of sim's network (same seed, dt and precision) in
    which each Node of data outputs the running row's values; the Nodes get
    their own outputs back at once, before the build is used."""
    feed = _Feed(sim.dt)
    net = sim.model.toplevel
    saved = {node: node.output for node in data}
    try:
        for node, values in data.items():
            node.output = feed.output(values)
        # The first build's seeds, so every object is built as it was, and
        # its precision (the Model makes its time signal at once).
        dtype = sim.signals[sim.model.time].dtype
        old = rc.get("precision", "bits")
        rc.set("precision", "bits", "32" if dtype == np.float32 else "64")
        try:
            model = nengo.builder.Model(dt=sim.dt, label=sim.model.label,
                                        decoder_cache=sim.model.decoder_cache)
        finally:
            rc.set("precision", "bits", old)
        model.seeds.update(sim.model.seeds)
        model.seeded.update(sim.model.seeded)
        first = type(sim)(net, dt=sim.dt, seed=sim.seed, model=model, progress_bar=False,
                          dtype=dtype)
    finally:
        for node, output in saved.items():
            node.output = output
    try:
        yield feed, first
    finally:
        first.close()


def _row_sims(sim, first, n):
    """n simulators over first's build (its signals' own copies)."""
    dtype = first.signals[first.model.time].dtype
    sims = [first]
    for _ in range(n - 1):
        sims.append(type(sim)(None, dt=sim.dt, seed=sim.seed, model=first.model,
                              progress_bar=False, optimize=False, dtype=dtype))
    return sims


def _probe_rows(row_sim, probes):
    # The simulators share the build's probe dict: read one at a time.
    row_sim._sync_probes()
    return {p: np.array(row_sim._probe_store[p].view()) for p in probes}


def run_rows(sim, data, batch, n_steps):
    """[{probe: (n_steps, size)}] of each of batch rows, minibatch by
    minibatch, each row from t = 0 with data {node: (batch, n_steps,
    size)} as its input Nodes' outputs."""
    probes = list(sim.model.probes)
    mb = sim.minibatch_size
    rows = []
    with _fed_build(sim, data) as (feed, first):
        sims = _row_sims(sim, first, mb)
        try:
            for start in range(0, batch, mb):
                rows.extend(_run_minibatch(sims, feed, start, n_steps, probes))
        finally:
            for s in sims[1:]:
                s.close()
    return rows


def _run_minibatch(sims, feed, start, n_steps, probes):
    lockstep = tensor_node.Lockstep(len(sims))
    errors = [None] * len(sims)

    def run(i):
        feed.local.row = start + i
        try:
            with tensor_node.lockstep_row(lockstep, i):
                sims[i].reset()
                sims[i].run_steps(n_steps, progress_bar=False)
        except BaseException as e:  # pylint: disable=broad-except
            errors[i] = e
            lockstep.abort()  # the other rows stop waiting for this one

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(sims))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # The error that broke the lockstep, not the other rows' BrokenBarrierError.
    for e in sorted((e for e in errors if e is not None),
                    key=lambda e: isinstance(e, threading.BrokenBarrierError)):
        raise e
    return [_probe_rows(s, probes) for s in sims]
