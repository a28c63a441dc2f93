# SPDX-License-Identifier: GPL-3.0-or-later
"""Nengo's builder, faster, with the same numbers.

spikeworks.Simulator builds with Nengo's own builder and optimizer (so
``sim.model``, ``sim.signals`` and builder extensions are Nengo's).  Two of
their steps cost far more than their arithmetic, and during our build they
are replaced by equivalents that give bit-for-bit the same results:

- **LIF rates for the decoders.**  ``LIF.rates``/``LIFRate.rates`` compute
  a few hundred kilobytes of temporaries per connection (the current, the
  shifted current, the masked values, …).  Each fresh array larger than
  malloc's mmap threshold is new memory that page-faults on first touch,
  and on a virtual machine a page fault is dear: measured here, 88 % of
  the rates' time was page faults, 40 % of a chain network's whole build.
  `lif_rates` does Nengo's very operations, in the same order, on the same
  numpy kernels (so the same roundings; log1p, whose vector and scalar
  kernels may differ by an ulp, gets the separate, contiguous input and
  output that Nengo's expression gives it), in buffers reused from one
  connection to the next.
- **The optimizer's transitive closure.**  Nengo builds each operator's
  set of dependents as a FrozenOrderedSet, whose hash and equality are
  Python loops; the optimizer only asks for membership, iteration into
  sets, and disjointness, none of which depends on order, so Python's
  frozenset (hashed in C) answers every question the same way.

Both replacements are put in place only for the duration of our build, and
only where Nengo's original is in place (a test or an extension that
patched the same function keeps its patch); `nengo.Simulator` is never
affected.
"""

import contextlib

import numpy as np

import nengo
import nengo.builder.connection as _connection
import nengo.builder.optimizer as _optimizer
from nengo.utils.graphs import toposort

_NENGO_SOLVE = _connection.solve_for_decoders
_NENGO_CLOSURE = _optimizer.transitive_closure


class _Scratch:
    """Flat float64 buffers reused from call to call (their pages stay
    mapped), handed out as views of the size asked."""

    def __init__(self):
        self._buffers = {}

    def get(self, name, shape):
        size = int(np.prod(shape))
        buf = self._buffers.get(name)
        if buf is None or buf.size < size:
            buf = np.empty(max(size, 1024))
            self._buffers[name] = buf
        return buf[:size].reshape(shape)


def lif_rates(neuron_type, x, gain, bias, scratch):
    """``neuron_type.rates(x, gain, bias)`` for exactly nengo.LIF or
    nengo.LIFRate: NeuronType.current then LIFRate.step, operation by
    operation, with the temporaries in scratch.  Returns None (the caller
    then asks Nengo) for anything current() would refuse."""
    x = np.asarray(np.atleast_1d(x), dtype=float)
    gain = np.asarray(np.atleast_1d(gain), dtype=float)
    bias = np.asarray(np.atleast_1d(bias), dtype=float)
    if x.ndim == 1:
        x = x[:, np.newaxis]
    elif x.ndim >= 3 or gain.ndim != 1 or x.shape[1] != gain.shape[0]:
        return None
    try:
        shape = np.broadcast_shapes(gain.shape, x.shape, bias.shape)
    except ValueError:
        return None
    # current: gain * x + bias
    j = scratch.get("J", shape)
    np.multiply(gain, x, out=j)
    np.add(j, bias, out=j)
    # LIFRate.step: j = J - 1; output[j > 0] = amplitude / (tau_ref +
    # tau_rc * log1p(1 / j[j > 0])), zero elsewhere.
    np.subtract(j, 1, out=j)
    out = np.zeros(shape)
    positive = j > 0
    n = int(np.count_nonzero(positive))
    picked = scratch.get("picked", (n,))
    np.compress(positive.ravel(), j.ravel(), out=picked)
    np.divide(1.0, picked, out=picked)
    logs = scratch.get("log1p", (n,))
    np.log1p(picked, out=logs)
    np.multiply(neuron_type.tau_rc, logs, out=logs)
    np.add(neuron_type.tau_ref, logs, out=logs)
    np.divide(neuron_type.amplitude, logs, out=logs)
    out[positive] = logs
    return out


def _fast_solve(scratch):
    def solve_for_decoders(conn, gain, bias, x, targets, rng):
        """Nengo's solve_for_decoders with lif_rates for the activities."""
        neuron_type = conn.pre_obj.neuron_type
        activities = None
        if type(neuron_type) in (nengo.LIF, nengo.LIFRate):
            activities = lif_rates(neuron_type, x, gain, bias, scratch)
        if activities is None:
            return _NENGO_SOLVE(conn, gain, bias, x, targets, rng)
        if np.count_nonzero(activities) == 0:
            # Nengo's own message.
            return _NENGO_SOLVE(conn, gain, bias, x, targets, rng)
        return conn.solver(activities, targets, rng=rng)

    return solve_for_decoders


def transitive_closure(edges, topo_sorted=None):
    """nengo.utils.graphs.transitive_closure with frozensets: for each
    vertex, the vertices that depend on it directly or indirectly; equal
    sets shared, as Nengo shares them."""
    if topo_sorted is None:
        topo_sorted = toposort(edges)
    shared = {}
    reachable = {}
    for vertex in reversed(topo_sorted):
        found = set(edges[vertex])
        for edge in edges[vertex]:
            found |= reachable[edge]
        found = frozenset(found)
        reachable[vertex] = shared.setdefault(found, found)
    return reachable


@contextlib.contextmanager
def faster_nengo_build():
    """Within: Nengo's builder and optimizer with the replacements above
    (where Nengo's originals are in place)."""
    swapped = []
    for module, name, original, replacement in (
        (_connection, "solve_for_decoders", _NENGO_SOLVE, _fast_solve(_Scratch())),
        (_optimizer, "transitive_closure", _NENGO_CLOSURE, transitive_closure),
    ):
        if getattr(module, name) is original:
            setattr(module, name, replacement)
            swapped.append((module, name, original))
    try:
        yield
    finally:
        for module, name, original in swapped:
            setattr(module, name, original)
