# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.layers: Spikeworks' own layers, in place of Keras layers.

    with nengo.Network() as net:
        a = nengo.Node(np.zeros(784))
        b = spikeworks.Layer(spikeworks.layers.Dense(units=10))(a)
        c = spikeworks.Layer(spikeworks.layers.BatchNormalization(momentum=0.9))(b)

Each built-in layer (Dense, Conv2D, AveragePooling2D, BatchNormalization,
Dropout, Expression) is one of the engine's model-format layers
(docs/model-format.md, "layer"): a Simulator runs it through the engine's
own kernels, a model file or session holds it as a layer object with its
weights, and training changes those weights.  Shapes and weights are
Keras's (channels-last images, Dense kernels ``n_in × units``, Conv2D
kernels ``kh × kw × C × filters``, Glorot-uniform kernels and zero
biases).  Arrays carry a batch axis first, as in Keras.

`Layer` is also the base class for layers of your own (NengoDL's custom
Keras layer): write ``build(input_shape)`` creating weights with
``add_weight`` and ``call(inputs)`` on numpy arrays.  Such a layer runs
forward in a Simulator through Python callbacks; training needs the
built-in layers and refuses it with a message saying so.
"""

import numpy as np

from nengo.exceptions import ValidationError

from . import _layers

_names = {}


def _auto_name(layer):
    base = "".join("_" + c.lower() if c.isupper() else c for c in type(layer).__name__)
    base = base.lstrip("_")
    n = _names.get(base, 0)
    _names[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def _pair(value, what):
    """Keras's int-or-pair arguments (kernel_size, strides, pool_size)."""
    if isinstance(value, (int, np.integer)):
        return int(value), int(value)
    pair = tuple(int(v) for v in value)
    if len(pair) != 2:
        raise ValidationError(f"{what} must be an int or a pair of ints (got {value!r})", attr=what)
    return pair


def _initial(initializer, shape, rng, fans=None):
    """Keras's named initializers for add_weight, drawn from rng."""
    if callable(initializer):
        return np.asarray(initializer(shape), dtype=np.float64).reshape(shape)
    name = str(initializer).lower()
    if name == "zeros":
        return np.zeros(shape)
    if name == "ones":
        return np.ones(shape)
    if name in ("glorot_uniform", "glorotuniform"):
        if fans is None:
            fan_in, fan_out = _fans(shape)
        else:
            fan_in, fan_out = fans
        limit = np.sqrt(6.0 / max(fan_in + fan_out, 1))
        return rng.uniform(-limit, limit, size=shape)
    raise ValidationError(
        f"initializer {initializer!r} is not known: use 'glorot_uniform', 'zeros', 'ones' "
        "or a function of the shape",
        attr="initializer",
    )


def _fans(shape):
    """Keras's fan-in and fan-out of a weight shape."""
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


class Layer:
    """A layer on numpy arrays (the base of every Spikeworks layer).

    For a layer of your own, override ``build(input_shape)`` (create the
    weights with ``add_weight``) and ``call(inputs)``.  ``input_shape``
    includes the batch axis first, as in Keras.  ``seed`` makes the drawn
    starting weights repeatable; a layer inside a TensorNode without one
    draws them from the Simulator's seed when it is first built.
    """

    #: The engine's layer type, for the built-in layers (None: Python only).
    layer_type = None

    def __init__(self, trainable=True, name=None, seed=None, dtype=None):
        if dtype not in (None, "float32", "float64", np.float32, np.float64):
            raise ValidationError(
                f"dtype must be float32 or float64 (got {dtype!r})", attr="dtype"
            )
        self.trainable = bool(trainable)
        self.name = name if name is not None else _auto_name(self)
        self.seed = seed
        self.built = False
        self._weights = []  # (name, array, trainable), in creation order
        self._rng = None

    # Weights ---------------------------------------------------------------

    def _random(self):
        if self._rng is None:
            self._rng = np.random.RandomState(self.seed)
        return self._rng

    def add_weight(self, name=None, shape=(), dtype=None, initializer=None, trainable=True, **_):
        """Creates a weight (a float64 numpy array the layer keeps) and
        returns it; Keras's default initializer, Glorot uniform."""
        shape = tuple(int(s) for s in np.atleast_1d(shape)) if shape != () else ()
        value = _initial(
            "glorot_uniform" if initializer is None else initializer, shape, self._random()
        )
        value = np.array(value, dtype=np.float64)
        self._weights.append((name or f"weight{len(self._weights)}", value, bool(trainable)))
        return value

    @property
    def weights(self):
        """The layer's weights, in creation order (the arrays themselves)."""
        return [w for _, w, _ in self._weights]

    def get_weights(self):
        """Copies of the weights, as Keras's get_weights."""
        return [w.copy() for w in self.weights]

    def set_weights(self, values):
        """Sets the weights in place from a list in get_weights' order."""
        if len(values) != len(self._weights):
            raise ValidationError(
                f"{self.name}: expected {len(self._weights)} weights, got {len(values)}",
                attr="weights",
            )
        for (name, w, _), v in zip(self._weights, values):
            v = np.asarray(v, dtype=np.float64)
            if v.shape != w.shape:
                raise ValidationError(
                    f"{self.name}: weight '{name}' has shape {w.shape}, got {v.shape}",
                    attr="weights",
                )
            w[...] = v

    # Running ---------------------------------------------------------------

    def build(self, input_shape):
        """Creates the weights for inputs of input_shape (batch axis first)."""

    def call(self, inputs, training=False):
        """The layer's output for a batch of inputs."""
        raise NotImplementedError(f"{type(self).__name__} must define call(inputs)")

    def _ensure_built(self, input_shape, rng=None):
        if not self.built:
            if rng is not None and self.seed is None and self._rng is None:
                self._rng = rng
            self.build(tuple(input_shape))
            self.built = True

    def __call__(self, inputs, training=False):
        if getattr(inputs, "_spikeworks_symbolic", False):
            # A symbolic tensor (spikeworks.tf's Keras functional API, tf_model.py).
            return inputs._apply_layer(self)
        shape = np.shape(inputs[-1] if isinstance(inputs, (list, tuple)) else inputs)
        self._ensure_built(shape)
        if _takes_training(self.call):
            return self.call(inputs, training=training)
        return self.call(inputs)

    def compute_output_shape(self, input_shape):
        """The output's shape (without the batch axis) for an input shape
        (without it); found by calling the layer on zeros unless a
        built-in layer knows it."""
        x = np.zeros((1,) + tuple(input_shape))
        return np.shape(self(x))[1:]

    def model_entry(self, shape_in):
        """The keys of the model-format layer object (built-in layers)."""
        return None

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r})"


def _takes_training(call):
    try:
        return "training" in call.__code__.co_varnames[: call.__code__.co_argcount]
    except AttributeError:
        return False


def _softmax(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


#: Keras's activations by name, in numpy.
ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "tanh": np.tanh,
    "softmax": _softmax,
}


def _known_function(activation):
    """The ACTIVATIONS name of one of our own activation functions (those of
    ACTIVATIONS and spikeworks.tf.nn), or None: recognised by identity, so a
    function of your own named "relu" still runs as written."""
    from . import tf_ops
    known = {tf_ops.relu: "relu", tf_ops.sigmoid: "sigmoid", tf_ops.tanh: "tanh",
             tf_ops.softmax: "softmax"}
    known.update((f, name) for name, f in ACTIVATIONS.items())
    try:
        return known.get(activation)
    except TypeError:   # an unhashable callable
        return None


class _PythonActivation(str):
    """The name of an activation function of your own: runs in Python only,
    whatever it is called."""


def _activation(layer, activation):
    """Keras's ``activation=`` argument: None, a name of ACTIVATIONS or a
    function of a numpy array.  Returns (name or None, function); the name
    of a function of your own is a _PythonActivation."""
    if activation is None:
        return None, ACTIVATIONS["linear"]
    if callable(activation):
        name = _known_function(activation)
        if name is not None:
            return (None if name == "linear" else name), activation
        return _PythonActivation(getattr(activation, "__name__", "function")), activation
    name = str(activation).lower()
    if name not in ACTIVATIONS:
        raise ValidationError(
            f"{type(layer).__name__}: activation {activation!r} is not known: use one of "
            + ", ".join(repr(n) for n in ACTIVATIONS) + " or a function of a numpy array",
            attr="activation",
        )
    return (None if name == "linear" else name), ACTIVATIONS[name]


class _EngineLayer(Layer):
    """A built-in layer: one of the engine's model-format layers."""

    def engine_refusal(self, shape_in):
        """None when the engine's layer object computes this layer on inputs
        of shape_in; else why not (the layer then runs forward in Python
        only, as a layer of your own does)."""
        return None

    def _flat(self, inputs):
        x = np.ascontiguousarray(inputs, dtype=np.float64)
        return x, x.shape[0]

    def params(self):
        """{name: array} as the engine names and shapes its parameters
        (`<layer>/weights`, …): 2-D matrices, vectors for one column."""
        out = {}
        for name, w, _ in self._weights:
            m = w.reshape(-1, w.shape[-1]) if w.ndim > 1 else w
            out[name] = np.ascontiguousarray(m[:, 0] if m.ndim == 2 and m.shape[1] == 1 else m)
        return out

    def set_params(self, params):
        """Takes the engine's parameters back ({name: array}, as params())."""
        for name, w, _ in self._weights:
            if name in params:
                w[...] = np.asarray(params[name], dtype=np.float64).reshape(w.shape)


class Dense(_EngineLayer):
    """Keras's Dense: ``x · kernel + bias`` (the engine's "dense" layer)."""

    layer_type = "dense"

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.activation, self._activate = _activation(self, activation)
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        if int(units) < 1:
            raise ValidationError(f"units must be at least 1 (got {units})", attr="units")
        self.units = int(units)
        self.use_bias = bool(use_bias)

    def build(self, input_shape):
        n_in = int(np.prod(input_shape[1:]))
        self.kernel = self.add_weight("weights", (n_in, self.units),
                                      initializer=self.kernel_initializer)
        if self.use_bias:
            self.bias = self.add_weight("bias", (self.units,), initializer=self.bias_initializer)

    def call(self, inputs):
        x, batch = self._flat(inputs)
        n_in = x.size // batch
        y = _layers.dense(x, batch, n_in, self.kernel, self.units,
                          self.bias if self.use_bias else None)
        return self._activate(np.frombuffer(y).reshape(batch, self.units))

    def compute_output_shape(self, input_shape):
        return (self.units,)

    def engine_refusal(self, shape_in):
        return _activation_refusal(self)

    def model_entry(self, shape_in):
        return dict({"layer_type": "dense", "units": self.units, "use_bias": self.use_bias},
                    **_activation_entry(self))


def _activation_refusal(layer):
    """The engine computes Keras's activations by name; a function of your
    own runs in Python only."""
    if layer.activation is None or (layer.activation in ACTIVATIONS
                                    and not isinstance(layer.activation, _PythonActivation)):
        return None
    return (f"its activation {layer.activation!r} is a Python function: the engine's layers "
            f"compute Keras's activations by name ({', '.join(ACTIVATIONS)})")


def _activation_entry(layer):
    return {} if layer.activation is None else {"activation": layer.activation}


class _Windowed(_EngineLayer):
    def _image(self, shape_in):
        if len(shape_in) != 3:
            raise ValidationError(
                f"{type(self).__name__} needs an image input (height, width, channels); "
                f"got shape_in {tuple(shape_in)}",
                attr="shape_in",
            )
        return tuple(int(s) for s in shape_in)

    def _window_args(self, shape_in):
        """The engine's window: image, kernel (kh, kw), strides (sh, sw), "same"."""
        return self._image(shape_in) + (
            self.kernel_size[0], self.kernel_size[1], self.strides[0], self.strides[1],
            self.padding == "same"
        )

    def _check(self, padding):
        if padding not in ("valid", "same"):
            raise ValidationError(f"padding must be 'valid' or 'same' (got {padding!r})",
                                  attr="padding")

    def _strides_entry(self):
        """The model file's "strides": one number, or [rows, columns] when
        they differ (docs/model-format.md, "layer")."""
        sh, sw = self.strides
        return sh if sh == sw else [sh, sw]

    def _out_hw(self, shape_in):
        what = f"{type(self).__name__} '{self.name}'"
        try:
            return _layers.window(*self._window_args(shape_in), what)
        except ValueError as e:
            raise ValidationError(str(e), attr="shape_in") from None


class Conv2D(_Windowed):
    """Keras's Conv2D over channels-last images (the engine's "conv2d")."""

    layer_type = "conv2d"

    def __init__(self, filters, kernel_size, strides=1, padding="valid", activation=None,
                 use_bias=True, data_format=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.activation, self._activate = _activation(self, activation)
        if data_format not in (None, "channels_last"):
            raise ValidationError("only channels_last images are supported", attr="data_format")
        self.filters = int(filters)
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.strides = _pair(strides, "strides")
        self.padding = padding
        self.use_bias = bool(use_bias)
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self._check(padding)

    def build(self, input_shape):
        c = int(input_shape[-1])
        self.kernel = self.add_weight("weights", self.kernel_size + (c, self.filters),
                                      initializer=self.kernel_initializer)
        if self.use_bias:
            self.bias = self.add_weight("bias", (self.filters,), initializer=self.bias_initializer)

    def call(self, inputs):
        x, batch = self._flat(inputs)
        shape_in = x.shape[1:]
        out_h, out_w = self._out_hw(shape_in)
        bias = self.bias if self.use_bias else None
        y = _layers.conv2d(x, batch, *self._window_args(shape_in), self.kernel, self.filters, bias)
        y = np.frombuffer(y).reshape(batch, out_h, out_w, self.filters)
        return self._activate(y)

    def compute_output_shape(self, input_shape):
        return tuple(self._out_hw(input_shape)) + (self.filters,)

    def engine_refusal(self, shape_in):
        return _activation_refusal(self)

    def model_entry(self, shape_in):
        entry = {"layer_type": "conv2d", "filters": self.filters,
                 "kernel_size": self.kernel_size[0], "strides": self._strides_entry(),
                 "padding": self.padding, "use_bias": self.use_bias}
        if self.kernel_size[1] != self.kernel_size[0]:
            entry["kernel_width"] = self.kernel_size[1]
        return dict(entry, **_activation_entry(self))


class AveragePooling2D(_Windowed):
    """Keras's AveragePooling2D (padding cells are not counted)."""

    layer_type = "average-pooling2d"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last"):
            raise ValidationError("only channels_last images are supported", attr="data_format")
        self.kernel_size = _pair(pool_size, "pool_size")
        self.strides = self.kernel_size if strides is None else _pair(strides, "strides")
        self.padding = padding
        self._check(padding)

    def call(self, inputs):
        x, batch = self._flat(inputs)
        shape_in = x.shape[1:]
        out_h, out_w = self._out_hw(shape_in)
        y = _layers.avgpool(x, batch, *self._window_args(shape_in))
        return np.frombuffer(y).reshape(batch, out_h, out_w, shape_in[-1])

    def compute_output_shape(self, input_shape):
        return tuple(self._out_hw(input_shape)) + (int(input_shape[-1]),)

    def engine_refusal(self, shape_in):
        if self.kernel_size[0] != self.kernel_size[1]:
            return (f"its window {self.kernel_size} is not square: the engine's pooling layer "
                    "takes one window size")
        return None

    def model_entry(self, shape_in):
        return {"layer_type": "average-pooling2d", "kernel_size": self.kernel_size[0],
                "strides": self._strides_entry(), "padding": self.padding}


class BatchNormalization(_EngineLayer):
    """Keras's BatchNormalization over one axis (``axis``, counted with the
    batch axis first; default the last).  A Simulator run is inference (the
    moving statistics); training normalises by the batch."""

    layer_type = "batch-normalization"

    def __init__(self, axis=-1, momentum=0.99, epsilon=0.001, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axis, (int, np.integer)) or axis == 0:
            raise ValidationError(
                f"axis must be one axis of the input other than the batch axis 0 (got {axis!r})",
                attr="axis",
            )
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)

    def _axis(self, ndim):
        axis = self.axis + ndim if self.axis < 0 else self.axis
        if not 1 <= axis < ndim:
            raise ValidationError(
                f"BatchNormalization '{self.name}': axis {self.axis} is not an axis of an input "
                f"of {ndim - 1} dimensions (and a batch axis)",
                attr="axis",
            )
        return axis

    def build(self, input_shape):
        c = int(input_shape[self._axis(len(input_shape))])
        self.gamma = self.add_weight("gamma", (c,), initializer="ones")
        self.beta = self.add_weight("beta", (c,), initializer="zeros")
        self.moving_mean = self.add_weight("moving_mean", (c,), initializer="zeros",
                                           trainable=False)
        self.moving_var = self.add_weight("moving_var", (c,), initializer="ones", trainable=False)

    def call(self, inputs):
        x, batch = self._flat(inputs)
        axis = self._axis(x.ndim)
        # The engine normalises the last axis: bring the chosen one there.
        moved = np.ascontiguousarray(np.moveaxis(x, axis, -1))
        c = moved.shape[-1]
        y = _layers.batchnorm(moved, moved.size // c, c, self.gamma, self.beta, self.moving_mean,
                              self.moving_var, self.epsilon)
        return np.moveaxis(np.frombuffer(y).reshape(moved.shape), -1, axis)

    def compute_output_shape(self, input_shape):
        self._axis(len(input_shape) + 1)
        return tuple(input_shape)

    def engine_refusal(self, shape_in):
        if self._axis(len(shape_in) + 1) != len(shape_in) and len(shape_in) != 3:
            return (f"it normalises axis {self.axis} of a {len(shape_in)}-dimensional input: "
                    "the engine's batch-normalization layer takes an axis of an image "
                    "(height, width, channels) or of a vector")
        return None

    def model_entry(self, shape_in):
        entry = {"layer_type": "batch-normalization", "momentum": self.momentum,
                 "epsilon": self.epsilon}
        axis = self._axis(len(shape_in) + 1)
        if axis != len(shape_in):
            entry["axis"] = axis
        return entry


class Dropout(_EngineLayer):
    """Keras's Dropout: the identity in a Simulator run, drops ``rate`` of
    its inputs (scaling the rest) while training."""

    layer_type = "dropout"

    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= float(rate) < 1:
            raise ValidationError(f"rate must be in [0, 1) (got {rate})", attr="rate")
        self.rate = float(rate)

    def call(self, inputs):
        return np.array(inputs, dtype=np.float64)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def model_entry(self, shape_in):
        return {"layer_type": "dropout", "rate": self.rate}


class Expression(_EngineLayer):
    """An expression of ``t`` and ``x`` in the engine's language
    (docs/expressions.md), e.g. ``Expression("max(x, 0)")``: Keras's
    Lambda/Activation layers written as the engine computes them."""

    layer_type = "expression"

    def __init__(self, expression, **kwargs):
        super().__init__(**kwargs)
        self.expression = str(expression)
        self._compiled = {}

    def _expr(self, size_in):
        expr = self._compiled.get(size_in)
        if expr is None:
            try:
                expr = _layers.expr_compile(self.expression, size_in)
            except ValueError as e:
                raise ValidationError(f"Expression '{self.name}': {e}", attr="expression") from None
            self._compiled[size_in] = expr
        return expr

    def uses_time(self, shape_in):
        return _layers.expr_info(self._expr(int(np.prod(shape_in))))[1]

    def call(self, inputs):
        if isinstance(inputs, (list, tuple)):
            t, x = inputs
        else:
            t, x = 0.0, inputs
        x, batch = self._flat(x)
        expr = self._expr(x.size // batch)
        size_out = _layers.expr_info(expr)[0]
        y = _layers.expr_eval(expr, float(np.asarray(t)), x, batch)
        return np.frombuffer(y).reshape(batch, size_out)

    def compute_output_shape(self, input_shape):
        return (_layers.expr_info(self._expr(int(np.prod(input_shape))))[0],)

    def model_entry(self, shape_in):
        return {"layer_type": "expression", "expression": self.expression}


__all__ = ["Layer", "Dense", "Conv2D", "AveragePooling2D", "BatchNormalization", "Dropout",
           "Expression"]
