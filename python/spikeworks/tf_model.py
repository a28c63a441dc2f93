# SPDX-License-Identifier: GPL-3.0-or-later
"""Keras's functional API in spikeworks.tf (tf.py): ``tf.keras.Input``,
layers called on symbolic tensors, and ``tf.keras.Model`` with predict,
compile, fit and evaluate, for Spikeworks' own layers.

    a = tf.keras.Input(shape=(784,))
    b = spikeworks.layers.Dense(64, activation=tf.nn.relu)(a)   # builds the layer
    model = tf.keras.Model(inputs=a, outputs=b)
    model.predict(x)                                            # the layers on x
    model.compile(optimizer=tf.optimizers.RMSprop(1e-3), loss=tf.losses.mse)
    model.fit(x, y, epochs=2)                                   # the engine trains

A layer called on a symbolic tensor (Layer.__call__ hands it to
`SymbolicTensor._apply_layer`) is built at once, its weights drawn as
Keras draws them, and returns the symbolic output.  predict runs the
layers themselves (their engine kernels, inference mode) in batches.
fit trains through the engine's trainer, the same as Simulator.fit and
``spikeworks-cli fit``: the graph becomes a Nengo network of one input
Node per Input and one spikeworks.Layer per layer call (synapse None),
built by the engine with the input Nodes as placeholders, each example a
one-step run; Keras's minibatches (a last, smaller one included),
shuffling and optimizer state from fit to fit.  The trained values go
back into the layers, so predict and the layers themselves use them.
Keras semantics kept: float32 inputs and outputs, batch_size 32,
evaluate's mean loss over every example, its scalar result without
metrics, progress lines.
"""

import time

import numpy as np

import nengo

from . import dl_metrics as _metrics
from . import losses as _losses
from . import optimizers as _optimizers
from .model_export import ModelExportError, layer_params


class SymbolicTensor:
    """The output of tf.keras.Input or of a layer called on one: a shape
    (batch axis None first, as Keras's ``shape``) and how it is computed."""

    # Layer.__call__ hands tensors with this mark to _apply_layer.
    _spikeworks_symbolic = True
    dtype = "float32"

    def __init__(self, shape, layer=None, parent=None, name=None):
        self.shape = (None,) + tuple(int(s) for s in shape)
        self.layer = layer
        self.parent = parent
        self.name = name

    def _apply_layer(self, layer):
        """layer(self): builds the layer for this input and returns its
        symbolic output."""
        layer._ensure_built(self.shape)
        try:
            out_shape = layer.compute_output_shape(self.shape[1:])
        except Exception as e:  # a layer of one's own: its message, with the layer named
            raise ValueError(f"{layer.name}: cannot compute its output shape for an input of "
                             f"shape {self.shape}: {e}") from e
        return SymbolicTensor(out_shape, layer=layer, parent=self, name=layer.name)

    def __repr__(self):
        made = "Input" if self.layer is None else type(self.layer).__name__
        return f"<SymbolicTensor shape={self.shape} from {made} '{self.name}'>"


_input_count = [0]


def Input(shape=None, batch_size=None, name=None, dtype=None, **kwargs):  # pylint: disable=invalid-name
    """tf.keras.Input: a symbolic input of the given shape (without the
    batch axis)."""
    if kwargs:
        raise TypeError(f"Input() got arguments spikeworks.tf does not take: "
                        f"{', '.join(sorted(kwargs))} (it takes shape, batch_size, name, dtype)")
    if shape is None:
        raise ValueError("Input needs a shape (the shape of one example, without the batch axis)")
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if not shape or any(s is None or int(s) < 1 for s in shape):
        raise ValueError(f"Input shape must be whole numbers of at least 1 (got {shape!r})")
    _input_count[0] += 1
    n = _input_count[0]
    return SymbolicTensor(shape, name=name or ("input_1" if n == 1 else f"input_{n}"))


def _as_list(value, what):
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if not isinstance(item, SymbolicTensor):
            raise TypeError(f"Model {what} must be tensors from tf.keras.Input or from layers "
                            f"called on them (got {item!r})")
    return items


class Model:
    """tf.keras.Model(inputs, outputs): the layers between inputs and
    outputs, run by predict and trained by fit (see the module text)."""

    def __init__(self, inputs=None, outputs=None, name=None):
        self._single_out = not isinstance(outputs, (list, tuple))
        self.inputs = _as_list(inputs, "inputs")
        self.outputs = _as_list(outputs, "outputs")
        self.name = name or "model"
        self._order = []  # computed tensors, parents first
        seen = set(map(id, self.inputs))
        for out in self.outputs:
            chain = []
            t = out
            while id(t) not in seen:
                if t.layer is None:
                    raise ValueError(
                        f"Graph disconnected: cannot obtain value for tensor {t!r}: it is not "
                        f"one of the Model's inputs ({', '.join(i.name for i in self.inputs)})"
                    )
                chain.append(t)
                seen.add(id(t))
                t = t.parent
            self._order.extend(reversed(chain))
        self.layers = list(dict.fromkeys(t.layer for t in self._order))
        self.stop_training = False
        self.optimizer = None
        self.loss = None
        self.history = None
        self._compiled = None
        self._engine = None
        self._engine_weights = None

    # Running -----------------------------------------------------------

    def _data(self, x, tensors, what, dtype=np.float32):
        """x as a list of arrays, one per tensor, checked against their shapes."""
        if isinstance(x, dict):
            missing = [t.name for t in tensors if t.name not in x]
            if missing:
                raise ValueError(f"{what}: no data for {', '.join(missing)}")
            arrays = [x[t.name] for t in tensors]
        elif isinstance(x, (list, tuple)) and len(tensors) > 1:
            arrays = list(x)
        else:
            arrays = [x]
        if len(arrays) != len(tensors):
            raise ValueError(f"{what}: expected {len(tensors)} arrays, got {len(arrays)}")
        out = []
        for i, (a, t) in enumerate(zip(arrays, tensors)):
            a = np.asarray(a, dtype=dtype)
            if a.shape[1:] != t.shape[1:]:
                raise ValueError(
                    f"{what} {i} of model \"{self.name}\" is incompatible: expected "
                    f"shape={t.shape}, found shape={a.shape}"
                )
            out.append(a)
        if len({len(a) for a in out}) > 1:
            raise ValueError(f"{what}: the arrays have different numbers of examples "
                             f"({', '.join(str(len(a)) for a in out)})")
        return out

    def _forward(self, xs):
        """The outputs (float64) of the layers on inputs xs (inference)."""
        values = {id(t): np.asarray(x, dtype=np.float64) for t, x in zip(self.inputs, xs)}
        for t in self._order:
            values[id(t)] = np.asarray(t.layer(values[id(t.parent)]), dtype=np.float64)
        return [values[id(o)] for o in self.outputs]

    def _batched(self, xs, batch_size):
        n = len(xs[0])
        parts = [[] for _ in self.outputs]
        for start in range(0, n, batch_size):
            for part, y in zip(parts, self._forward([x[start:start + batch_size] for x in xs])):
                part.append(y)
        return [np.concatenate(p) if p else np.zeros((0,) + o.shape[1:])
                for p, o in zip(parts, self.outputs)]

    def __call__(self, inputs, training=False):
        """The model on arrays (one forward pass), as Keras's model(x)."""
        if isinstance(inputs, SymbolicTensor):
            raise TypeError("calling a Model on a symbolic tensor (a nested model) is not "
                            "in spikeworks.tf: call its layers on the tensor instead")
        outs = [y.astype(np.float32) for y in self._forward(self._data(inputs, self.inputs, "Input"))]
        return outs[0] if self._single_out else outs

    def predict(self, x, batch_size=None, verbose="auto", **kwargs):
        """tf.keras.Model.predict: the outputs for x (float32), computed in
        batches of batch_size (32)."""
        _refuse(kwargs, "predict", ("steps", "callbacks", "max_queue_size", "workers",
                                    "use_multiprocessing"))
        batch_size = _batch_size(batch_size)
        xs = self._data(x, self.inputs, "Input")
        start = time.perf_counter()
        outs = [y.astype(np.float32) for y in self._batched(xs, batch_size)]
        _report(verbose, -(-len(xs[0]) // batch_size), time.perf_counter() - start, {})
        return outs[0] if self._single_out else outs

    def get_weights(self):
        """Every layer's weights, in layer order (copies)."""
        return [w for layer in self.layers for w in layer.get_weights()]

    # Training ----------------------------------------------------------

    def compile(self, optimizer="rmsprop", loss=None, metrics=None, **kwargs):
        """tf.keras.Model.compile: an optimizer (tf.optimizers.X(...) or a
        Keras name), a loss (tf.losses.mse, a Loss, a name; or one per
        output in a list) and metrics (Keras names)."""
        _refuse(kwargs, "compile", ("loss_weights", "run_eagerly", "steps_per_execution",
                                    "jit_compile", "weighted_metrics"))
        from .dl_api import _Compiled  # pylint: disable=import-outside-toplevel

        opt = _optimizers.get(optimizer)
        if loss is None:
            raise ValueError("compile needs a loss (e.g. loss=tf.losses.mse)")
        losses = list(loss) if isinstance(loss, (list, tuple)) else [loss] * len(self.outputs)
        if len(losses) != len(self.outputs):
            raise ValueError(f"compile: {len(losses)} losses for {len(self.outputs)} outputs")
        losses = [_losses.get(item) for item in losses]
        names = [] if metrics is None else [metrics] if isinstance(metrics, str) else list(metrics)
        for name in names:
            for out, item in zip(self.outputs, losses):
                _metrics.check(name, item, f"output '{out.name}'")
        self.optimizer, self.loss = opt, loss
        self._compiled = _Compiled(opt, dict(zip(self.outputs, losses)),
                                   {o: list(names) for o in self.outputs},
                                   {o: 1.0 for o in self.outputs})

    def _require_compiled(self, func):
        if self._compiled is None:
            raise RuntimeError(f"You must compile your model before calling {func}: "
                               "model.compile(optimizer=..., loss=...)")
        return self._compiled

    def _targets(self, y, n):
        """y as a list of float32 arrays (n, size), one per output; class
        indices (n, 1) for a sparse loss."""
        compiled = self._compiled
        arrays = list(y) if isinstance(y, (list, tuple)) and len(self.outputs) > 1 else [y]
        if len(arrays) != len(self.outputs):
            raise ValueError(f"targets: expected {len(self.outputs)} arrays, got {len(arrays)}")
        out = []
        for a, o in zip(arrays, self.outputs):
            a = np.asarray(a, dtype=np.float32)
            if compiled.losses[o].sparse:
                a = a.reshape(len(a), 1)
            elif a.shape[1:] != o.shape[1:]:
                raise ValueError(f"targets for output '{o.name}' have shape {a.shape}, the "
                                 f"output {o.shape}")
            if len(a) != n:
                raise ValueError(f"targets have {len(a)} examples, the inputs {n}")
            out.append(a.reshape(n, -1))
        return out

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", return_dict=False,
                 **kwargs):
        """tf.keras.Model.evaluate: the loss (the mean over every example)
        and the metrics of predict's outputs against y; a scalar loss
        without metrics, else [loss, metric, …] (a dict with
        return_dict=True)."""
        _refuse(kwargs, "evaluate", ("sample_weight", "steps", "callbacks", "max_queue_size",
                                     "workers", "use_multiprocessing"))
        compiled = self._require_compiled("evaluate")
        batch_size = _batch_size(batch_size)
        xs = self._data(x, self.inputs, "Input")
        targets = self._targets(y, len(xs[0]))
        start = time.perf_counter()
        outs = self._batched(xs, batch_size)
        logs = {"loss": 0.0}
        several = len(self.outputs) > 1
        for o, t, out in zip(self.outputs, targets, outs):
            value = float(np.mean(compiled.losses[o](t, out)))
            logs["loss"] += value
            if several:
                logs[f"{o.name}_loss"] = value
            for name in compiled.metrics[o]:
                logs[f"{o.name}_{name}" if several else name] = _metrics.compute(name, t, out)
        _report(verbose, -(-len(xs[0]) // batch_size), time.perf_counter() - start, logs)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def _engine_network(self):
        """The graph as the engine builds it (made once; weights changed
        since the last fit, e.g. by set_weights, are handed over)."""
        # pylint: disable=import-outside-toplevel
        from .dl_train import EngineNetwork
        from .simulator import Simulator
        from .tensor_node import Layer

        if self._engine is None:
            with nengo.Network(label=self.name) as net:
                objs = {}
                for t in self.inputs:
                    objs[id(t)] = nengo.Node(np.zeros(int(np.prod(t.shape[1:]))), label=t.name)
                for t in self._order:
                    objs[id(t)] = Layer(t.layer)(objs[id(t.parent)], shape_in=t.parent.shape[1:])
                probes = [nengo.Probe(objs[id(o)]) for o in self.outputs]
            nodes = [objs[id(t)] for t in self.inputs]
            try:
                with Simulator(net, progress_bar=False) as sim:
                    engine = EngineNetwork(sim, set(nodes), {})
            except ModelExportError as e:
                raise ModelExportError(f"fit trains the model in the engine: {e}") from None
            self._engine = (engine, nodes, probes)
        engine = self._engine[0]
        now = layer_params(engine.labels)
        if self._engine_weights is not None and any(
            not np.array_equal(v, self._engine_weights.get(k)) for k, v in now.items()
        ):
            engine.model.set_params(now)
        return self._engine

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, **kwargs):
        """tf.keras.Model.fit: trains the layers on x and y in the
        engine (minibatches of batch_size, 32; the last one smaller when
        they do not divide the data), printing Keras's progress lines;
        returns a History (``history.history["loss"]``)."""
        _refuse(kwargs, "fit", ("class_weight", "sample_weight", "initial_epoch",
                                "steps_per_epoch", "validation_steps", "validation_batch_size",
                                "validation_freq", "max_queue_size", "workers",
                                "use_multiprocessing"))
        # pylint: disable=import-outside-toplevel
        from .dl_api import History, _Progress

        compiled = self._require_compiled("fit")
        batch_size = _batch_size(batch_size)
        epochs = int(epochs)
        if epochs < 1:
            raise ValueError(f"epochs must be at least 1 (got {epochs})")
        for o, loss in compiled.losses.items():
            if loss.engine_name is None:
                raise ValueError(f"fit: the engine cannot train the loss {loss!r}")
            for name in compiled.metrics[o]:
                if name not in _metrics.FIT_METRICS or not loss.sparse:
                    raise ValueError(
                        f"metric '{name}' during fit: fit reports 'accuracy' with a sparse "
                        "categorical cross-entropy loss (the engine scores it while it "
                        "trains); evaluate computes every metric"
                    )
        xs = self._data(x, self.inputs, "Input")
        ys = self._targets(y, len(xs[0]))
        if validation_data is None and validation_split:
            keep = int(len(xs[0]) * (1 - float(validation_split)))
            validation_data = ([a[keep:] for a in xs], [a[keep:] for a in ys])
            xs, ys = [a[:keep] for a in xs], [a[:keep] for a in ys]
        engine, nodes, probes = self._engine_network()
        feed_x, feed_y = self._feed(engine, nodes, probes, xs, ys)
        val_x = val_y = None
        if validation_data is not None:
            if not isinstance(validation_data, (list, tuple)) or len(validation_data) != 2:
                raise ValueError("validation_data must be (x_val, y_val)")
            vx = self._data(validation_data[0], self.inputs, "validation Input")
            vy = self._targets(validation_data[1], len(vx[0]))
            val_x, val_y = self._feed(engine, nodes, probes, vx, vy)
        losses = [(engine.label(p), compiled.losses[o].engine_name, 1.0)
                  for p, o in zip(probes, self.outputs)]
        engine.compile(compiled, compiled.optimizer.engine_args(), losses, 0.0)
        verbose = 1 if verbose == "auto" else int(verbose)
        history = History({"epochs": epochs, "steps": -(-len(xs[0]) // batch_size),
                           "verbose": verbose})
        progress = _Progress(self, history, callbacks or [], verbose,
                             _ByProbe(compiled, probes, self.outputs))
        progress.begin()
        seed = int(np.random.randint(2**31 - 1))
        engine.model.fit(feed_x, feed_y, epochs, batch_size, bool(shuffle), seed, val_x, val_y,
                         progress)
        trained = engine.trained_params()
        from .dl_train import write_layers  # pylint: disable=import-outside-toplevel

        write_layers(engine.labels, trained)
        self._engine_weights = layer_params(engine.labels)
        progress.end()
        self.history = history
        return history

    @staticmethod
    def _feed(engine, nodes, probes, xs, ys):
        """{label: float32 (n, 1, size)}: every example is a one-step run."""
        feed_x = {engine.label(node): np.ascontiguousarray(a.reshape(len(a), 1, -1))
                  for node, a in zip(nodes, xs)}
        feed_y = {engine.label(p): np.ascontiguousarray(a.reshape(len(a), 1, -1))
                  for p, a in zip(probes, ys)}
        return feed_x, feed_y

    def __repr__(self):
        return f"<spikeworks.tf.keras.Model '{self.name}': {len(self.layers)} layers>"


class _ByProbe:
    """compile's settings keyed as the progress lines look them up."""

    def __init__(self, compiled, probes, outputs):
        self.metrics = {p: compiled.metrics[o] for p, o in zip(probes, outputs)}


def _batch_size(value):
    size = 32 if value is None else int(value)
    if size < 1:
        raise ValueError(f"batch_size must be at least 1 (got {value!r})")
    return size


def _report(verbose, steps, seconds, logs):
    """Keras's one-line progress report of predict and evaluate."""
    if verbose == 0:
        return
    per_step = seconds / max(steps, 1)
    unit = f"{per_step * 1e3:.0f}ms/step" if per_step >= 1e-3 else f"{per_step * 1e6:.0f}us/step"
    text = "".join(f" - {k}: {v:.4f}" for k, v in logs.items())
    print(f"{steps}/{steps} [==============================] - {seconds:.0f}s {unit}{text}",
          flush=True)


def _refuse(kwargs, func, known):
    """Keras arguments this subset does not take: a TypeError naming them."""
    if kwargs:
        names = ", ".join(sorted(kwargs))
        other = [k for k in kwargs if k in known]
        why = (f" ({', '.join(other)}: Keras's, not in spikeworks.tf's numpy subset)"
               if other else "")
        raise TypeError(f"{func}() got arguments it does not take: {names}{why}")
