# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.TensorNode and spikeworks.Layer: NengoDL 3's TensorNode API
with numpy functions and Spikeworks' layers in place of TensorFlow.

    with nengo.Network() as net:
        a = nengo.Node([0.5, -0.1])
        b = spikeworks.TensorNode(lambda t, x: t + x, shape_in=(2,), shape_out=(2,))
        nengo.Connection(a, b, synapse=None)
        c = spikeworks.Layer(spikeworks.layers.Dense(units=10))(a)

A TensorNode's function receives ``t`` (the simulation time, a numpy
float32 scalar as NengoDL's default precision gives it, when
``pass_time`` is true) and ``x``, its input with the batch axis
first: shape ``(minibatch,) + shape_in``, called once per step with the
whole minibatch as NengoDL does (predict: each row its own values, in the
engine's batched build, dl_callbacks.py; run_steps: every row the same).  It returns
an array of shape ``(minibatch,) + shape_out``; without ``shape_out``
the node calls it once on zeros to find the shape, as NengoDL does.

With a built-in layer of spikeworks.layers as its function the node is one
of the engine's model-format layers: ``spikeworks.to_model``, sessions and
training write and train it as such (its weights drawn from the node's
seed when first built, Keras's initializers).  With any other function —
a Python callable or a layer class of your own — the node runs forward
through Python callbacks (Nengo's SimPyFunc), and training or a model file
refuse it with a message that says so.
"""

import contextlib
import threading

import numpy as np

import nengo
from nengo.base import NengoObject
from nengo.builder import Builder, Signal
from nengo.builder.operator import Reset, SimPyFunc
from nengo.config import Config
from nengo.exceptions import ValidationError
from nengo.params import BoolParam, Default, ShapeParam

from . import layers as _layers_mod

#: Why a TensorNode that is not a Spikeworks layer cannot train or be saved.
PYTHON_ONLY = (
    "runs only forward, through Python callbacks: training and model files need one of "
    "Spikeworks' layers (spikeworks.layers.Dense, Conv2D, AveragePooling2D, "
    "BatchNormalization, Dropout, Expression) as its function"
)


def _call_shape_probe(node, func):
    """Calls func on zeros to find shape_out (NengoDL's inference)."""
    args = (np.float32(0.0),) if node.pass_time else ()
    if node.shape_in is not None:
        args += (np.zeros((1,) + tuple(node.shape_in)),)
    try:
        if isinstance(func, _layers_mod.Layer):
            result = func(args[0] if len(args) == 1 else list(args))
        else:
            result = func(*args)
    except Exception as e:
        raise ValidationError(
            "Attempting to automatically determine TensorNode output shape by calling "
            f"the TensorNode function produced an error ({type(e).__name__}: {e}). If you "
            "would like to avoid this step, try manually setting `TensorNode(..., shape_out=x)`.",
            attr="tensor_func",
            obj=node,
        ) from e
    result = np.asarray(result)
    if result.ndim < 1 or result.shape[0] != 1:
        raise ValidationError(
            f"TensorNode function must return an array with the batch axis first "
            f"(got shape {result.shape} for a batch of 1)",
            attr="tensor_func",
            obj=node,
        )
    return tuple(result.shape[1:])


class TensorNode(nengo.Node):
    """A Nengo node whose output is computed by a numpy function or a
    Spikeworks layer (NengoDL 3's TensorNode).

    Parameters
    ----------
    tensor_func : callable or spikeworks.layers.Layer
        Maps ``(t, x)`` (or ``x`` without ``pass_time``) to the output.
    shape_in : tuple of int
        The input's shape without the batch axis (None: no input).
    shape_out : tuple of int
        The output's shape; None calls ``tensor_func`` once to find it.
    pass_time : bool
        Whether the function receives the time ``t`` (NengoDL's default True).
    label : str
    """

    shape_in = ShapeParam("shape_in", default=None, low=1, optional=True)
    shape_out = ShapeParam("shape_out", default=None, low=1, optional=True)
    pass_time = BoolParam("pass_time", default=True)

    def __init__(self, tensor_func, shape_in=Default, shape_out=Default, pass_time=Default,
                 label=Default):
        # As NengoDL: bypass Node's constructor, which would validate an output.
        NengoObject.__init__(self, label=label, seed=None)
        self.shape_in = shape_in
        self.shape_out = shape_out
        self.pass_time = pass_time
        if not (self.shape_in or self.pass_time):
            raise ValidationError("Must specify either shape_in or pass_time", "TensorNode")
        if not callable(tensor_func):
            raise ValidationError(
                "TensorNode output must be a function or a spikeworks.layers.Layer",
                attr="tensor_func", obj=self,
            )
        layer = tensor_func if isinstance(tensor_func, _layers_mod._EngineLayer) else None
        #: Why the node runs in Python only although its function is a
        #: built-in layer (an option the engine's layer has not), or None.
        self._spk_python_reason = None
        if layer is not None:
            self._check_layer(layer)
            self._spk_python_reason = layer.engine_refusal(self.shape_in)
            if self._spk_python_reason is not None:
                layer = None
        self.tensor_func = tensor_func
        #: The engine layer this node is (None: a Python function, forward only).
        self._spk_trainable_layer = layer
        if self.shape_out is None:
            if isinstance(tensor_func, _layers_mod._EngineLayer):
                self.shape_out = tensor_func.compute_output_shape(self.shape_in)
            else:
                self.shape_out = _call_shape_probe(self, tensor_func)

    def _check_layer(self, layer):
        if self.shape_in is None:
            raise ValidationError(
                f"{type(layer).__name__} needs an input: give the TensorNode a shape_in",
                attr="shape_in", obj=self,
            )
        if self.pass_time and not isinstance(layer, _layers_mod.Expression):
            raise ValidationError(
                f"spikeworks.layers.{type(layer).__name__} takes only x, not the time: "
                "create the TensorNode with pass_time=False (spikeworks.Layer does)",
                attr="pass_time", obj=self,
            )
        if not self.pass_time and isinstance(layer, _layers_mod.Expression):
            if layer.uses_time(self.shape_in):
                raise ValidationError(
                    f"the expression '{layer.expression}' uses t but pass_time is False",
                    attr="pass_time", obj=self,
                )

    @property
    def output(self):
        """A TensorNode's output is its tensor_func (read-only)."""
        return self.tensor_func

    @property
    def size_in(self):
        """Number of input elements (flattened)."""
        return 0 if self.shape_in is None else int(np.prod(self.shape_in))

    @property
    def size_out(self):
        """Number of output elements (flattened)."""
        return 0 if self.shape_out is None else int(np.prod(self.shape_out))


def _node_seed_rng(model, node):
    return np.random.RandomState(model.seeds[node])


# For a run of the Nengo build (run_steps), how many (identical) rows the
# minibatch has: a TensorNode's function gets x of that many rows.
_local = threading.local()


@contextlib.contextmanager
def minibatch_rows(n_rows):
    """The running thread's run feeds n_rows identical rows (a minibatched
    Simulator's run without data): TensorNodes get x of n_rows rows."""
    old = getattr(_local, "rows", 1)
    _local.rows = n_rows
    try:
        yield
    finally:
        _local.rows = old


class _Forward:
    """What a TensorNode runs as: in the Nengo build, Nengo's SimPyFunc
    (its flat input signal given to the function as every row of the
    minibatch); in the engine's batched build, `call` with the batch
    (dl_callbacks.py).  Checks what the function returns."""

    def __init__(self, node):
        self.node = node

    def __call__(self, *args):
        node = self.node
        args = list(args)
        # NengoDL hands t over as a float32 scalar (its default precision):
        # 0.009 at step 9, not 0.009000000000000001.
        t = np.float32(args[0]) if node.pass_time else None
        x = None
        if node.shape_in is not None:
            x = np.asarray(args[-1]).reshape(tuple(node.shape_in))
        rows = getattr(_local, "rows", 1)
        batch = None if x is None else np.broadcast_to(x, (rows,) + x.shape).copy()
        return self.call(t, batch, rows)[0].reshape(-1)

    def call(self, t, x, rows=None):
        """The function's (rows,) + shape_out output for t and x (rows,) +
        shape_in (None: the node has no input)."""
        node = self.node
        rows = len(x) if x is not None else rows
        args = ([t] if node.pass_time else []) + ([x] if x is not None else [])
        func = node.tensor_func
        if isinstance(func, _layers_mod.Layer):
            out = func(args[0] if len(args) == 1 else args, training=False)
        else:
            out = func(*args)
        out = np.asarray(out, dtype=np.float64)
        if out.size != rows * node.size_out or (out.ndim > 0 and out.shape[0] != rows
                                                and out.size > 1):
            raise ValidationError(
                f"TensorNode output should have shape ({rows},) + {tuple(node.shape_out)} "
                f"(got {out.shape})",
                attr="tensor_func", obj=node,
            )
        return out.reshape(rows, -1)


@Builder.register(TensorNode)
def build_tensor_node(model, node):
    """Builds a TensorNode: an input signal connections add into, an
    output signal, and the function as a Python callback between them.
    A layer draws its starting weights from the node's seed when it is
    first built, so a seeded Simulator starts from the same weights."""
    sig_in = None
    if node.shape_in is not None:
        sig_in = Signal(shape=(node.size_in,), name=f"{node}.in")
        model.add_op(Reset(sig_in))
        func = node.tensor_func
        if isinstance(func, _layers_mod.Layer):
            func._ensure_built((1,) + tuple(node.shape_in), _node_seed_rng(model, node))
    sig_out = Signal(shape=(node.size_out,), name=f"{node}.out")
    model.sig[node]["in"] = sig_in
    model.sig[node]["out"] = sig_out
    model.params[node] = None
    model.add_op(
        SimPyFunc(
            output=sig_out,
            fn=_Forward(node),
            t=model.time if node.pass_time else None,
            x=sig_in,
            tag=f"{node}.tensor_func",
        )
    )


class Layer:
    """NengoDL's Layer: a TensorNode and its input Connection in one call,
    in the style of Keras's functional API.

        b = spikeworks.Layer(spikeworks.layers.Dense(10))(a)
        c = spikeworks.Layer(nengo.LIF())(b)          # an Ensemble's neurons

    ``layer_func`` is a Spikeworks layer, a function of ``x`` or a Nengo
    neuron type.  Calling the Layer with an input object makes the node
    (``pass_time=False``, ``shape_in`` from the input unless given) and a
    Connection into it (``transform``, ``synapse`` None), marked not
    trainable as NengoDL marks it.
    """

    def __init__(self, layer_func):
        self.layer_func = layer_func

    def __call__(self, input, transform=1, shape_in=None, synapse=None, return_conn=False,
                 **layer_args):
        if shape_in is not None and all(x is not None for x in shape_in):
            size_in = int(np.prod(shape_in))
        elif isinstance(transform, np.ndarray) and transform.ndim == 2:
            size_in = transform.shape[0]
        else:
            size_in = input.size_out
        if isinstance(self.layer_func, nengo.neurons.NeuronType):
            obj = nengo.Ensemble(size_in, 1, neuron_type=self.layer_func, **layer_args).neurons
        else:
            obj = TensorNode(
                self.layer_func,
                shape_in=(size_in,) if shape_in is None else shape_in,
                pass_time=False,
                **layer_args,
            )
        conn = nengo.Connection(input, obj, synapse=synapse, transform=transform)
        from .settings import configure_settings  # pylint: disable=import-outside-toplevel

        cfg = Config.context[0][conn]
        if not hasattr(cfg, "trainable"):
            configure_settings(trainable=None)
        cfg.trainable = False
        return (obj, conn) if return_conn else obj

    def __str__(self):
        name = getattr(self.layer_func, "name", getattr(self.layer_func, "__name__", self.layer_func))
        return f"Layer({name})"
