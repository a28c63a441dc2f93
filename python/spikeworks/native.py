# SPDX-License-Identifier: GPL-3.0-or-later
"""Turns Nengo's ordered operator list into an engine plan.

Each operator Nengo's builder made is either translated into one of the
engine's native operators, over the very numpy arrays that hold Nengo's
signals (so ``sim.signals`` always shows the engine's results), or kept as
the step function Nengo's reference simulator made for it, which the plan
calls back at the same place in the order.  The translation is
conservative: anything not of the model's float type, not laid out as the
engine needs, not of an exactly known class (a subclass may override
``step``) or aliasing its own output falls back to Nengo's step, so the
numbers stay Nengo's.
"""

import numpy as np

import nengo
from nengo.builder.neurons import SimNeurons
from nengo.builder.operator import (
    BsrDotInc,
    Copy,
    DotInc,
    ElementwiseInc,
    Reset,
    SparseDotInc,
    TimeUpdate,
)
from nengo.builder.probe import SimProbe
from nengo.builder.processes import SimProcess
from nengo.builder.transforms import ConvInc, ConvTransposeInc

from . import _engine


class NotNative(Exception):
    """This operator stays with Nengo's own step function."""


# Nengo's neuron classes the engine steps natively (exact classes only), by
# the engine's kind name, with the parameters Nengo gives them.
NATIVE_NEURONS = {
    nengo.LIF: ("LIF", ("tau_rc", "tau_ref", "min_voltage", "amplitude")),
    nengo.LIFRate: ("LIFRate", ("tau_rc", "tau_ref", "amplitude")),
    nengo.RectifiedLinear: ("RectifiedLinear", ("amplitude",)),
    nengo.SpikingRectifiedLinear: ("SpikingRectifiedLinear", ("amplitude",)),
    nengo.Sigmoid: ("Sigmoid", ("tau_ref",)),
    nengo.Tanh: ("Tanh", ("tau_ref",)),
    nengo.AdaptiveLIF: (
        "AdaptiveLIF",
        ("tau_rc", "tau_ref", "min_voltage", "amplitude", "tau_n", "inc_n"),
    ),
    nengo.AdaptiveLIFRate: (
        "AdaptiveLIFRate",
        ("tau_rc", "tau_ref", "amplitude", "tau_n", "inc_n"),
    ),
    nengo.Izhikevich: (
        "Izhikevich",
        ("tau_recovery", "coupling", "reset_voltage", "reset_recovery"),
    ),
}

NATIVE_FILTERS = (nengo.LinearFilter, nengo.Lowpass, nengo.Alpha)

# The largest weight matrix (entries) a convolution becomes to run natively;
# a larger one stays with Nengo's step.
CONV_MATRIX_LIMIT = 1 << 22


def _real(arr, real):
    """arr, if it is an array of the plan's float type."""
    if not isinstance(arr, np.ndarray) or arr.dtype != real:
        raise NotNative(f"not a {real} array")
    return arr


def _view2(arr, real):
    """An array as a view of at most two dimensions (never a copy)."""
    arr = _real(arr, real)
    if arr.ndim <= 2:
        return arr
    if not arr.flags.c_contiguous:
        raise NotNative("a strided array of more than two dimensions")
    return arr.reshape(-1)


def _contiguous(arr, real):
    arr = _real(arr, real)
    if not arr.flags.c_contiguous:
        raise NotNative("not contiguous")
    return arr


def _rows(index, length):
    """A Copy's index list as int64 rows, or None for all rows."""
    if index is None:
        return None
    index = np.asarray(index)
    if index.dtype.kind not in "iu" or index.ndim != 1:
        raise NotNative("boolean or nested indices")
    index = index.astype(np.int64)  # a copy: Nengo's list stays untouched
    index[index < 0] += length
    return index


def _separate(out, *inputs):
    for arr in inputs:
        if np.may_share_memory(out, arr):
            raise NotNative("output overlaps an input")


def _broadcast2(arr, real):
    """Nengo's 2-D broadcast shape for ElementwiseInc, as a view."""
    arr = _real(arr, real)
    if arr.ndim > 2:
        raise NotNative("more than two dimensions")
    return arr.reshape((1,) * (2 - arr.ndim) + arr.shape)


def _time_update(plan, op, signals, dt, real):
    step, time = signals[op.step], signals[op.time]
    # Nengo's int dtype has the float dtype's width.
    if step.dtype != (np.int32 if real == np.float32 else np.int64) or time.dtype != real:
        raise NotNative("not the plan's types")
    plan.add_time_update(step, time)


def _reset(plan, op, signals, dt, real):
    plan.add_reset(_view2(signals[op.dst], real), float(op.value))


def _copy(plan, op, signals, dt, real):
    src, dst = _real(signals[op.src], real), _real(signals[op.dst], real)
    if src.ndim > 2 or dst.ndim > 2 or src.ndim == 0 and op.src_slice is not None:
        raise NotNative("shape")
    _separate(dst, src)
    src_rows = _rows(op.src_slice, len(src) if src.ndim else 1)
    dst_rows = _rows(op.dst_slice, len(dst) if dst.ndim else 1)
    picked_src = src[src_rows] if src_rows is not None else src
    picked_dst = dst[dst_rows] if dst_rows is not None else dst
    if picked_src.size != 1 and picked_src.shape != picked_dst.shape:
        raise NotNative("shapes differ (numpy broadcasting)")
    plan.add_copy(src, src_rows, dst, dst_rows, op.inc)


def _elementwise_inc(plan, op, signals, dt, real):
    a, x, y = (signals[s] for s in (op.A, op.X, op.Y))
    _separate(y, a, x)
    plan.add_elementwise_inc(_broadcast2(a, real), _broadcast2(x, real), _broadcast2(y, real))


def _dot_inc(plan, op, signals, dt, real):
    a, x, y = (signals[s] for s in (op.A, op.X, op.Y))
    # (Nengo's ``reshape`` only turns a 1-element product into Y's shape.)
    if not isinstance(a, np.ndarray) or a.ndim != 2 or _real(x, real).ndim != 1:
        raise NotNative("not a matrix-vector product")
    if _real(y, real).shape != (a.shape[0],):
        raise NotNative("not a matrix-vector product")
    _separate(y, a)
    plan.add_dot_inc(_real(a, real), x, y)


def _sparse_dot_inc(plan, op, signals, dt, real):
    a, x, y = (signals[s] for s in (op.A, op.X, op.Y))
    if op.reshape or getattr(a, "format", None) != "csr":
        raise NotNative("not a CSR matrix")
    if _real(x, real).ndim != 1 or _real(y, real).ndim != 1:
        raise NotNative("not a matrix-vector product")
    _separate(y, a.data)
    plan.add_sparse_dot_inc(
        _contiguous(a.data, real),
        np.ascontiguousarray(a.indices, dtype=np.int64),
        np.ascontiguousarray(a.indptr, dtype=np.int64),
        a.shape[0],
        a.shape[1],
        x,
        y,
    )


def _bsr_dot_inc(plan, op, signals, dt, real):
    blocks, x, y = (_contiguous(signals[s], real) for s in (op.A, op.X, op.Y))
    if blocks.ndim != 3 or x.ndim != 1:
        raise NotNative("shape")
    _separate(y, blocks, x)
    _, r, c = blocks.shape
    plan.add_bsr_dot_inc(
        blocks,
        r,
        c,
        np.ascontiguousarray(op.indices, dtype=np.int64),
        np.ascontiguousarray(op.indptr, dtype=np.int64),
        x.size // c,
        x,
        y,
    )


def _conv_matrix(op, signals, dt):
    """The matrix (size_out × size_in, float64) of a Convolution or
    ConvolutionTranspose operator: Nengo's own step applied to each unit
    input, so padding, strides, channel order and groups are Nengo's.  The
    kernel is a read-only signal (Nengo never changes it), so the matrix
    stays what the step would compute."""
    x = np.zeros(op.X.size)
    y = np.zeros(op.Y.size)
    kernel = np.array(signals[op.W], dtype=np.float64)
    step = op.make_step({op.W: kernel, op.X: x, op.Y: y}, dt, None)
    matrix = np.empty((op.Y.size, op.X.size))
    for j in range(op.X.size):
        x[:] = 0.0
        x[j] = 1.0
        y[:] = 0.0
        step()
        matrix[:, j] = y
    return matrix


def _conv_inc(plan, op, signals, dt, real):
    x, y = signals[op.X], signals[op.Y]
    if type(op) not in (ConvInc, ConvTransposeInc) or not op.W.readonly:
        raise NotNative("not a read-only kernel")
    if _real(x, real).ndim != 1 or _real(y, real).ndim != 1:
        raise NotNative("not a vector")
    if op.X.size * op.Y.size > CONV_MATRIX_LIMIT or op.conv.dimensions > 2:
        raise NotNative("too large as a matrix")
    _separate(y, x)
    plan.add_dot_inc(np.ascontiguousarray(_conv_matrix(op, signals, dt), dtype=real), x, y)


def _sim_neurons(plan, op, signals, dt, real):
    native = NATIVE_NEURONS.get(type(op.neurons))
    if native is None or op.state_extra:
        raise NotNative("neuron type")
    kind, names = native
    params = {name: float(getattr(op.neurons, name)) for name in names}
    states = {name: _contiguous(signals[sig], real) for name, sig in op.state.items()}
    J, out = _contiguous(signals[op.J], real), _contiguous(signals[op.output], real)
    _separate(out, J)
    plan.add_neurons(kind, params, J, out, states)


def _sim_process(plan, op, signals, dt, real):
    process = op.process
    if type(process) not in NATIVE_FILTERS or op.input is None:
        raise NotNative("process type")
    u, y = _contiguous(signals[op.input], real), _contiguous(signals[op.output], real)
    X = _contiguous(signals[op.state["X"]], real)
    if u.shape != y.shape:
        raise NotNative("shape")
    _separate(y, u)
    A, B, C, D = process._get_ss(dt)  # pylint: disable=protected-access
    A = np.ascontiguousarray(A, dtype=np.float64)
    k = A.shape[0]
    if D.size != 1 or X.size != k * u.size:
        raise NotNative("shape")
    B = np.ascontiguousarray(B, dtype=np.float64).reshape(k)
    C = np.ascontiguousarray(C, dtype=np.float64).reshape(k)
    plan.add_linear_filter(A, B, C, float(D.item()), X, u, y, op.mode == "inc")


def _sim_probe(plan, op, signals, dt, real):
    """Nengo's probe operator does nothing in a step (the simulator reads
    probes after it): nothing to add."""


TRANSLATORS = {
    SimProbe: _sim_probe,
    TimeUpdate: _time_update,
    Reset: _reset,
    Copy: _copy,
    ElementwiseInc: _elementwise_inc,
    DotInc: _dot_inc,
    SparseDotInc: _sparse_dot_inc,
    BsrDotInc: _bsr_dot_inc,
    ConvInc: _conv_inc,
    ConvTransposeInc: _conv_inc,
    SimNeurons: _sim_neurons,
    SimProcess: _sim_process,
}


def make_plan(step_order, steps, signals, dt, dtype=np.float64):
    """An engine plan running ``step_order`` (Nengo's operators, sorted) over
    ``signals`` of float type ``dtype`` (float64 or float32, Nengo's ``rc``
    precision at build time), with ``steps`` (Nengo's step functions for
    them) as the fallback.  Returns the plan and the operators left to
    Python."""
    real = np.dtype(dtype)
    # (A float16 model gets a float64 plan in which nothing is native.)
    plan = _engine.Plan(dt, single=real == np.float32)
    fallback = []
    for op, step_fn in zip(step_order, steps):
        translate = TRANSLATORS.get(type(op))
        try:
            if translate is None:
                raise NotNative("no native operator")
            translate(plan, op, signals, dt, real)
        except (NotNative, TypeError, ValueError):
            plan.add_callback(step_fn)
            fallback.append(op)
    return plan, fallback
