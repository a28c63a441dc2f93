# SPDX-License-Identifier: GPL-3.0-or-later
"""Python code in the engine's batched build (NengoDL's predict).

A Node whose output is Python code of its input — a TensorNode whose
function is a Python callable or a layer class of your own, or a
nengo.Node whose output is a function of (t, x) — is written into the
engine's build as a Node the engine computes outside
(model_export.model_dict with callbacks): one operator between the
Node's summed input and its output, ordered as any Node's.  At each step
the engine calls its function here once with the whole minibatch, in the
thread that called predict; there is one build and one batched
simulation, as for any other network.

What the Python code sees is what NengoDL gives it:

- A TensorNode's function is called once per step with the whole
  minibatch: ``t`` a float32 scalar (with ``pass_time``) and ``x`` of
  shape ``(minibatch,) + shape_in``; it returns ``(minibatch,) +
  shape_out`` (tensor_node._Forward checks it).
- A nengo.Node's function ``f(t, x)`` is called once per step for each
  minibatch row, ``t`` the time as the network's precision holds it (a
  Python float, as Nengo passes it) and ``x`` that row's ``(size_in,)``
  values, as NengoDL's SimPyFunc loops over the rows.  (Nodes whose
  output is a function of ``t`` only are evaluated once per step and fed
  to every row: dl_api.NengoDLSimulatorMixin._generated.)
"""

import numpy as np

import nengo
from nengo.exceptions import SimulationError

from .tensor_node import TensorNode, _Forward


def python_code_of_input(node):
    """Whether node runs Python code of its input (so the engine's own
    build cannot hold it, and its batched build leaves it to Python)."""
    if isinstance(node, TensorNode):
        return node._spk_trainable_layer is None
    output = node.output
    return callable(output) and not isinstance(output, nengo.Process) and node.size_in > 0


def callback(node, dtype):
    """The function the engine calls for node (see _train.Model):
    ``(t, x, batch)`` → a C-contiguous float64 array of batch ×
    size_out values, x a bytearray of batch × size_in float64 values (None
    without input), dtype the network's precision."""
    if isinstance(node, TensorNode):
        return _tensor_node_callback(node)
    return _node_callback(node, np.dtype(dtype))


def _tensor_node_callback(node):
    forward = _Forward(node)
    shape_in = None if node.shape_in is None else tuple(node.shape_in)

    def call(t, x, batch):
        if x is not None:
            x = np.frombuffer(x, dtype=np.float64).reshape((batch,) + shape_in)
        t = np.float32(t) if node.pass_time else None
        return np.ascontiguousarray(forward.call(t, x, batch), dtype=np.float64)

    return call


def _node_callback(node, dtype):
    fn = node.output
    size_in, size_out = node.size_in, node.size_out

    def call(t, x, batch):
        # Nengo's SimPyFunc: the time signal's value and a copy of the
        # input, both in the network's precision.
        t = dtype.type(t).item()
        rows = np.frombuffer(x, dtype=np.float64).reshape(batch, size_in).astype(dtype)
        out = np.zeros((batch, size_out))
        for row in range(batch):
            y = fn(t, rows[row].copy())
            if size_out == 0:
                continue
            y = np.ravel(np.asarray(y, dtype=np.float64))
            if y.size != size_out:
                raise SimulationError(
                    f"{node}: its function returned {y.size} values at t={t}, not size_out "
                    f"{size_out}"
                )
            out[row] = y
        return out

    return call
