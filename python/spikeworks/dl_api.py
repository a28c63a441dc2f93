# SPDX-License-Identifier: GPL-3.0-or-later
"""NengoDL's Simulator API on spikeworks.Simulator: predict,
predict_on_batch, evaluate, compile, fit, save_params, load_params,
freeze_params and get_nengo_params (NengoDL 3's names and defaults).

Runs go through the engine's own build of the network (dl_train.py): a
minibatch is one batched simulation, and fit trains through the neurons'
rate functions with the engine's trainer.  Python code of a Node's input
(a Python TensorNode, a Node whose output is a function of (t, x)) runs in
that build, called by the engine once per step with the whole minibatch
(dl_callbacks.py); such a network predicts and evaluates but does not
train.  A network the engine cannot build at all (a noise process, a
neuron type of its own…) still predicts without input data, through the
Nengo build the Simulator runs.
"""

import sys
import time
import warnings

import numpy as np

import nengo
from nengo.exceptions import SimulationError, ValidationError

from . import dl_metrics as _metrics
from . import losses as _losses
from . import optimizers as _optimizers
from .dl_data import check_arrays, describe, input_nodes, standardize, truncate
from .dl_train import EngineNetwork, engine_to_nengo, nengo_params, write_layers, write_signals
from .model_export import ModelExportError, model_dict


class History:
    """What fit returns, as Keras's History: ``history`` maps metric names
    ("loss", "val_loss", "accuracy", …) to one value per epoch; ``epoch``
    lists the epochs (0-based)."""

    def __init__(self, params):
        self.history = {}
        self.epoch = []
        self.params = params
        # Beyond Keras: each epoch's training time in the engine (seconds,
        # minibatches only), as the progress line shows it.
        self.seconds = []

    def __repr__(self):
        return f"History({self.history!r})"


class _Compiled:
    def __init__(self, optimizer, losses, metrics, weights):
        self.optimizer = optimizer
        self.losses = losses  # {probe: Loss}
        self.metrics = metrics  # {probe: [name]}
        self.weights = weights  # {probe: float}


class NengoDLSimulatorMixin:
    """The NengoDL methods of spikeworks.Simulator (see the module text).
    Expects the Nengo build (self.model) and `self.minibatch_size`."""

    def _dl_setup(self, minibatch_size):
        if minibatch_size is not None:
            if int(minibatch_size) != minibatch_size or minibatch_size < 1:
                raise ValidationError(
                    f"must be a whole number of at least 1 (got {minibatch_size!r})",
                    attr="minibatch_size",
                )
            minibatch_size = int(minibatch_size)
        self._minibatched = minibatch_size is not None
        self.minibatch_size = 1 if minibatch_size is None else minibatch_size
        self._engines = {}
        # The engine build holding NengoDL's saved state (stateful=True).
        self._state_engine = None
        self._trained = {}
        self._compiled = None
        self._history = None
        self.stop_training = False

    # Data --------------------------------------------------------------

    def _input_nodes(self):
        return input_nodes(self.model.toplevel)

    def _probes(self):
        return list(self.model.probes)

    def _inputs(self, x, n_steps, attr="x"):
        """({node: (batch, n_steps, size) float64}, batch, n_steps) for
        the input Nodes given data, and for Nodes whose output is a Python
        function (called at each step, as NengoDL does)."""
        nodes = self._input_nodes()
        data = standardize(x, nodes, "input Node", attr)
        data, batch, steps = check_arrays(
            data, {n: n.size_out for n in nodes}, attr, n_steps=n_steps
        )
        if n_steps is None:
            if steps is None:
                raise ValidationError("Must specify either input data or n_steps", attr)
            n_steps = steps
        n_steps = int(n_steps)
        if n_steps < 1:
            raise ValidationError(f"must be at least 1 (got {n_steps})", attr="n_steps")
        return data, batch, n_steps

    def _generated(self, n_steps, batch, given, start=0):
        """Values of the input Nodes with a Python function as output and
        no data, called at each step's time (NengoDL's rule), the run
        starting after step `start` (a saved state's)."""
        out = {}
        for node in self._input_nodes():
            if node in given or not callable(node.output) or isinstance(node.output, nengo.Process):
                continue
            rows = np.zeros((n_steps, node.size_out))
            for i in range(n_steps):
                rows[i] = np.ravel(node.output((start + i + 1) * self.dt))
            out[node] = np.broadcast_to(rows, (batch, n_steps, node.size_out))
        return out

    def _engine(self, fed):
        key = frozenset(fed)
        if key not in self._engines:
            self._engines[key] = EngineNetwork(self, key, self._trained)
        return self._engines[key]

    def _check_stateful(self, stateful):
        """Whether this call is stateful: NengoDL ignores stateful=True,
        with a warning, on a network configured stateful=False."""
        if stateful and not _setting(self, "stateful", True):
            warnings.warn(
                "Ignoring stateful=True, since the model was created with the "
                "stateful=False config setting."
            )
            return False
        return bool(stateful)

    def _state_steps(self):
        """Steps of the saved state stateful calls left (0: none)."""
        engine = self._state_engine
        return engine.state_steps() if engine is not None else 0

    def _check_state_engine(self, engine, stateful):
        """Every predict/evaluate starts from the saved state, which lives
        in one engine build (one set of fed input Nodes); the Nengo build's
        run (run_steps) is a state of its own."""
        held = self._state_engine
        if held is not None and held is not engine and held.state_steps():
            raise ValidationError(
                "the simulator's saved state (from earlier stateful calls) was made with "
                "data for other input Nodes; give data for the same Nodes, or call "
                "sim.reset() first",
                attr="x",
            )
        if stateful and self._state_steps() == 0 and self._nengo_steps():
            raise ValidationError(
                f"stateful=True would go on from the {self._nengo_steps()} steps run_steps "
                f"ran, but predict and evaluate run the engine's batched build, not that run; "
                f"call sim.reset() first",
                attr="stateful",
            )

    def soft_reset(self, include_trainable=False, include_probes=False):
        """NengoDL's (deprecated) soft_reset: the simulation state back to
        the initial one (the saved state of stateful calls and the Nengo
        build's run), keeping the probe data unless include_probes and the
        trained values unless include_trainable."""
        warnings.warn(
            "Simulator.soft_reset is deprecated, use Simulator.reset("
            "include_trainable=False, include_probes=False, include_processes=False) "
            "instead",
            DeprecationWarning,
        )
        self._check_open()
        if include_trainable:
            self._trained = {}
            self._engines = {}
            self._state_engine = None
        self._sync_probes()
        kept = None if include_probes else (dict(self._probe_store), dict(self._sim_data))
        self.reset()
        if kept is not None:
            self._probe_store.update(kept[0])
            for probe in self.model.probes:
                if probe in kept[1]:
                    self._sim_data[probe] = kept[1][probe]

    def _nengo_steps(self):
        return int(self.signals[self.model.step].item())

    def _reset_saved_state(self):
        """NengoDL's reset: predict starts from the initial state again."""
        for engine in self._engines.values():
            engine.reset_state()
        self._state_engine = None

    def _batch_size_kwarg(self, kwargs, func):
        size = kwargs.pop("batch_size", None)
        if size is not None and size != self.minibatch_size:
            warnings.warn(
                "Batch size is determined statically via Simulator.minibatch_size "
                f"({self.minibatch_size}); ignoring value passed to `{func}`"
            )

    def _run_batches(self, data, batch, n_steps, on_batch, stateful=False):
        """Probe outputs of data in minibatches, each one batched run of the
        engine from the saved state, minibatch after minibatch (stateful:
        each leaves its final state as the saved state, and the simulator's
        time goes on); the Nengo build's own run when the engine cannot
        build the network."""
        self._check_open()
        generated = self._generated(n_steps, batch or self.minibatch_size, data)
        fed = set(data) | set(generated)
        try:
            engine = self._engine(fed)
        except ModelExportError as e:
            if stateful:
                raise ValidationError(
                    f"stateful=True runs the engine's build of the network, which this "
                    f"network has not: {e}",
                    attr="stateful",
                ) from None
            if data:
                raise ValidationError(
                    f"predict with data runs the engine's batched build of the network, which "
                    f"this network has not: {e}",
                    attr="x",
                ) from None
            return self._nengo_predict(n_steps)
        self._check_state_engine(engine, stateful)
        if batch is None:
            batch = self.minibatch_size
            data = {}
        data, batch = truncate(data, batch, self.minibatch_size, "x")
        if on_batch and batch != self.minibatch_size:
            raise ValidationError(
                f"predict_on_batch takes one minibatch: batch size of data ({batch}) must "
                f"be the Simulator's minibatch_size ({self.minibatch_size})",
                attr="x",
            )
        feed = dict(data)
        feed.update(
            {n: np.broadcast_to(v[:1], (batch,) + v.shape[1:]) for n, v in generated.items()}
        )
        probes = self._probes()
        parts = {p: [] for p in probes}
        mb = self.minibatch_size
        for start in range(0, batch, mb):
            chunk = {n: v[start : start + mb] for n, v in feed.items()}
            if generated and engine.state_steps():
                # Python functions of time go on from the saved state's time.
                chunk.update(self._generated(n_steps, mb, data, start=engine.state_steps()))
            out = engine.predict(chunk, n_steps, mb, probes, stateful)
            for p in probes:
                parts[p].append(out[p])
            if stateful:
                # NengoDL's time: every minibatch's steps (as its step signal).
                self._state_engine = engine
                self._n_steps = engine.state_steps()
                self._time = self._n_steps * self.dt
        return self._kept({p: np.concatenate(parts[p]) for p in probes})

    def _kept(self, out):
        """Probes whose keep_history setting is False keep only their last
        step, (batch, 1, size), as in NengoDL."""
        config = self.model.toplevel.config
        for probe in out:
            try:
                keep = getattr(config[probe], "keep_history", True)
            except (AttributeError, KeyError, nengo.exceptions.ConfigError):
                keep = True
            if keep is False:
                out[probe] = out[probe][:, -1:]
        return out

    def _nengo_predict(self, n_steps):
        """Probe outputs through the Nengo build the Simulator runs (the
        engine cannot build the network), without data: every minibatch
        row is the same single run from t = 0, the simulator reset after."""
        run = self._nengo_run(n_steps)
        out = {}
        for probe in self._probes():
            out[probe] = np.broadcast_to(run[probe][None],
                                         (self.minibatch_size,) + run[probe].shape).copy()
        return self._kept(out)

    def _nengo_run(self, n_steps):
        """{probe: (n_steps, size)} of a run from t = 0, reset after."""
        if self.n_steps:
            self.reset()
        self.run_steps(n_steps, progress_bar=False)
        out = {probe: np.array(self.data._raw(probe)) for probe in self._probes()}
        self.reset()
        return out

    def _check_open(self):
        if self.closed:
            raise SimulationError("Simulator is closed")

    # Predict and evaluate ------------------------------------------------

    def predict(self, x=None, n_steps=None, stateful=False, **kwargs):
        """Probe outputs for the input data, as NengoDL's predict:
        ``{probe: (batch, n_steps, size)}``.  x: a dict keyed by input
        Nodes, or one array for a single input Node, each
        ``(batch, n_steps, node.size_out)``; Nodes without data give their
        own output.  Without x, n_steps says how long to run.  Runs in
        minibatches of ``minibatch_size``, each one batched simulation
        from the saved state (the initial one until a stateful call);
        stateful=True keeps each minibatch's final state as the saved
        state and moves ``sim.n_steps``/``sim.time`` on, as NengoDL
        does; ``sim.reset()`` goes back to the initial state."""
        stateful = self._check_stateful(stateful)
        self._batch_size_kwarg(kwargs, "predict")
        kwargs.pop("verbose", None)
        _no_more(kwargs, "predict")
        data, batch, n_steps = self._inputs(x, n_steps)
        return self._run_batches(data, batch, n_steps, on_batch=False, stateful=stateful)

    def predict_on_batch(self, x=None, n_steps=None, stateful=False, **kwargs):
        """predict for exactly one minibatch of data (batch size
        ``minibatch_size``); stateful as in predict."""
        stateful = self._check_stateful(stateful)
        _no_more(kwargs, "predict_on_batch")
        data, batch, n_steps = self._inputs(x, n_steps)
        return self._run_batches(data, batch, n_steps, on_batch=True, stateful=stateful)

    def evaluate(self, x=None, y=None, n_steps=None, stateful=False, verbose=1, **kwargs):
        """Loss and metrics of the network's own run (spiking neurons
        spike) against targets y, as NengoDL's evaluate: a dict with
        "loss" (the sum over probes), and per probe "<probe>_loss" and
        "<probe>_<metric>" when several probes have losses, else the
        metrics by name ("accuracy").  stateful as in predict."""
        stateful = self._check_stateful(stateful)
        self._batch_size_kwarg(kwargs, "evaluate")
        _no_more(kwargs, "evaluate")
        compiled = self._require_compiled("evaluate")
        data, batch, n_steps = self._inputs(x, n_steps)
        targets = self._targets(y, compiled, n_steps, batch)
        start = time.perf_counter()
        out = self._run_batches(data, batch, n_steps, on_batch=False, stateful=stateful)
        n = len(next(iter(out.values()))) if out else 0
        results = {"loss": 0.0}
        several = len(compiled.losses) > 1
        for probe, loss in compiled.losses.items():
            t = _broadcast(targets[probe][:n], out[probe])
            value = float(np.mean(loss(t, out[probe])))
            # Keras: the loss is the weighted sum, each probe's own unweighted.
            results["loss"] += compiled.weights[probe] * value
            name = self._engine_label(probe)
            if several:
                results[f"{name}_loss"] = value
            for metric in compiled.metrics.get(probe, []):
                key = f"{name}_{metric}" if several else metric
                results[key] = _metrics.compute(metric, t, out[probe])
        if verbose:
            line = " - ".join(f"{k}: {v:.4f}" for k, v in results.items())
            steps = max(1, n // self.minibatch_size)
            print(f"{steps}/{steps} [==============================] - "
                  f"{time.perf_counter() - start:.0f}s - {line}")
        return results

    # Training ------------------------------------------------------------

    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None, **kwargs):
        """The optimizer, losses and metrics for fit and evaluate, as
        NengoDL's compile: optimizer an Optimizer (spikeworks.optimizers)
        or its Keras name; loss one loss for every probe, a list in the
        order of ``sim.model.probes`` or a dict keyed by Probes; metrics
        likewise (Keras's names, spikeworks.dl_metrics); loss_weights a
        dict keyed by Probes or a list (the loss trained and reported is
        the weighted sum)."""
        self._check_open()
        _no_more(kwargs, "compile")
        probes = self._probes()
        opt = _optimizers.get(optimizer)
        if loss is None:
            raise ValidationError(
                "no loss: give loss=spikeworks.losses.mse (or a dict keyed by Probes)",
                attr="loss",
            )
        if isinstance(loss, (dict, list, tuple)):
            loss_map = standardize(loss, probes, "Probe", "loss")
        else:
            loss_map = {p: loss for p in probes}
        loss_map = {p: _losses.get(v) for p, v in loss_map.items()}
        metric_map = {}
        if metrics is not None:
            if isinstance(metrics, dict):
                metric_map = standardize(metrics, probes, "Probe", "metrics")
            elif isinstance(metrics, (list, tuple)) and all(isinstance(m, str) for m in metrics):
                metric_map = {p: list(metrics) for p in loss_map}
            elif isinstance(metrics, str):
                metric_map = {p: [metrics] for p in loss_map}
            else:
                metric_map = standardize(metrics, probes, "Probe", "metrics")
            for p, names in list(metric_map.items()):
                names = [names] if isinstance(names, str) else list(names)
                metric_map[p] = [_metrics.check(n, loss_map.get(p), describe(p)) for n in names]
        self._compiled = _Compiled(opt, loss_map, metric_map,
                                   _loss_weights(loss_weights, loss_map, probes))

    def _require_compiled(self, func):
        if self._compiled is None:
            raise ValidationError(
                f"{func} before compile: call sim.compile(optimizer=..., loss=...) first",
                attr="compile",
            )
        return self._compiled

    def _engine_label(self, probe):
        try:
            return self._engine(set()).label(probe)
        except ModelExportError:
            return probe.label or "probe"

    def _targets(self, y, compiled, n_steps, batch):
        """{probe: (batch, steps, size)} targets for the probes with
        losses: sparse categorical ones 1 value per step, others the
        probe's size; one step stands for every step."""
        probes = self._probes()
        if y is None:
            raise ValidationError("no targets: give y (a dict keyed by Probes)", attr="y")
        targets = standardize(y, probes if isinstance(y, dict) else list(compiled.losses),
                              "Probe", "y")
        for probe in targets:
            if probe not in compiled.losses:
                raise ValidationError(
                    f"targets for {describe(probe)}, which has no loss; compile gave losses "
                    f"for: {', '.join(map(describe, compiled.losses))}",
                    attr="y",
                )
        missing = [describe(p) for p in compiled.losses if p not in targets]
        if missing:
            raise ValidationError(
                f"no targets for {', '.join(missing)}, which compile gave a loss", attr="y"
            )
        sizes = {
            p: 1 if isinstance(compiled.losses[p], _losses.SparseCategoricalCrossentropy)
            else p.size_in
            for p in targets
        }
        targets, t_batch, _ = check_arrays(targets, sizes, "y", exact_steps=False)
        for probe, t in targets.items():
            if t.shape[1] not in (1, n_steps):
                raise ValidationError(
                    f"targets for {describe(probe)} have {t.shape[1]} steps, expected "
                    f"{n_steps} or 1",
                    attr="y",
                )
        if batch is not None and t_batch != batch:
            raise ValidationError(
                f"targets have batch size {t_batch}, but the input data {batch}", attr="y"
            )
        return targets

    def fit(
        self,
        x=None,
        y=None,
        n_steps=None,
        stateful=False,
        epochs=1,
        batch_size=None,
        validation_data=None,
        callbacks=None,
        verbose=1,
        shuffle=True,
        **kwargs,
    ):
        """Trains the network on inputs x and targets y, as NengoDL's fit:
        spiking neurons train through their rate functions (LIF with
        NengoDL's SoftLIFRate smoothing), the engine's trainer runs the
        minibatches (``minibatch_size`` examples each), Keras-style
        progress lines are printed (verbose=1) and a History returned
        (``history.history["loss"]``).  validation_data=(x_val, y_val)
        adds "val_loss" each epoch; callbacks are Keras-style objects
        (on_epoch_end(epoch, logs) …; setting ``sim.stop_training`` ends
        the fit).  The saved state of stateful predicts is kept (fit
        trains from the initial state; stateful=True is refused)."""
        if self._check_stateful(stateful):
            raise ValidationError(
                "stateful=True is not available in fit: the engine's trainer starts every "
                "minibatch from the initial state (the saved state of stateful predict and "
                "evaluate calls is kept through fit)",
                attr="stateful",
            )
        self._batch_size_kwarg(dict(kwargs, batch_size=batch_size), "fit")
        _no_more(kwargs, "fit")
        compiled = self._require_compiled("fit")
        if _setting(self, "inference_only", False):
            raise SimulationError(
                "Network was created with inference_only=True, cannot be run in training mode"
            )
        for probe, loss in compiled.losses.items():
            for metric in compiled.metrics.get(probe, []):
                if metric not in _metrics.FIT_METRICS or not loss.sparse:
                    raise ValidationError(
                        f"metric '{metric}' on {describe(probe)} during fit: fit reports "
                        f"'accuracy' / 'sparse_categorical_accuracy' on a probe with a sparse "
                        f"categorical cross-entropy loss (the engine scores those while it "
                        f"trains); evaluate computes every metric",
                        attr="metrics",
                    )
        epochs = int(epochs)
        if epochs < 1:
            raise ValidationError(f"must be at least 1 (got {epochs})", attr="epochs")
        x_data, batch, n_steps = self._inputs(x, n_steps)
        if batch is None:
            raise ValidationError("fit needs input data x", attr="x")
        targets = self._targets(y, compiled, n_steps, batch)
        x_data, batch = truncate(x_data, batch, self.minibatch_size, "x")
        targets = {p: t[:batch] for p, t in targets.items()}
        generated = self._generated(n_steps, batch, x_data)
        fed = set(x_data) | set(generated)
        try:
            engine = self._engine(fed)
            if engine.refusal is not None:
                raise ModelExportError(engine.refusal)
        except ModelExportError as e:
            raise ModelExportError(f"fit trains the engine's build of the network: {e}") from None
        x_all = dict(x_data, **generated)
        feed_x, feed_y = self._training_data(engine, x_all, targets, n_steps)
        val_x = val_y = None
        if validation_data is not None:
            if not isinstance(validation_data, (list, tuple)) or len(validation_data) != 2:
                raise ValidationError(
                    "validation_data must be (x_val, y_val)", attr="validation_data"
                )
            vx, v_batch, _ = self._inputs(validation_data[0], n_steps, "validation_data")
            vt = self._targets(validation_data[1], compiled, n_steps, v_batch)
            vx = dict(vx, **self._generated(n_steps, v_batch, vx))
            missing = fed - set(vx)
            if missing:
                raise ValidationError(
                    f"validation data has no values for {', '.join(map(describe, missing))}",
                    attr="validation_data",
                )
            val_x, val_y = self._training_data(engine, vx, vt, n_steps)
        losses = [
            (engine.label(p), loss.engine_name, compiled.weights[p])
            for p, loss in compiled.losses.items()
        ]
        engine.compile(compiled, compiled.optimizer.engine_args(), losses, self._lif_smoothing())
        history = History({"epochs": epochs, "steps": batch // self.minibatch_size,
                           "verbose": verbose})
        progress = _Progress(self, history, callbacks or [], verbose, compiled)
        progress.begin()
        seed = 0 if self.seed is None else int(self.seed)
        loss_hist, val_hist, _ = engine.model.fit(
            feed_x, feed_y, epochs, self.minibatch_size, bool(shuffle), seed, val_x, val_y,
            progress,
        )
        self._take_trained(engine)
        progress.end()
        self._history = history  # save_session writes it with the trained values
        return history

    def _training_data(self, engine, x, targets, n_steps):
        feed_x = {
            engine.label(n): np.ascontiguousarray(v, dtype=np.float32) for n, v in x.items()
        }
        feed_y = {}
        for probe, t in targets.items():
            if t.shape[1] == 1 and n_steps > 1:
                # Keras compares a one-step target with every step.
                t = np.broadcast_to(t, (t.shape[0], n_steps, t.shape[2]))
            feed_y[engine.label(probe)] = np.ascontiguousarray(t, dtype=np.float32)
        return feed_x, feed_y

    def _lif_smoothing(self):
        value = _setting(self, "lif_smoothing", None)
        return 0.0 if value is None else float(value)

    def _take_trained(self, engine):
        """The trained values become the Simulator's: the engine builds
        made before are dropped, and the Nengo build's signals get them."""
        self._trained = engine.trained_params()
        self._engines = {k: v for k, v in self._engines.items() if v is engine}
        if self._state_engine is not None and self._state_engine is not engine:
            # Its build goes: the saved state starts over with the new values.
            self._state_engine = None
            self._n_steps, self._time = 0, 0.0
        self._apply_trained()

    def _apply_trained(self):
        if not self._trained:
            return
        labels = self._engine_labels()
        self._sync_probes()
        write_layers(labels, self._trained)
        write_signals(self, engine_to_nengo(self, labels, self._trained))
        self._rebuild_plan()

    def _engine_labels(self):
        if self._engines:
            return next(iter(self._engines.values())).labels
        return model_dict(self)[1]

    # Parameters ------------------------------------------------------------

    def _current_params(self):
        """{key: array} of the trainable parameters now (trained, loaded or
        as built)."""
        if self._trained:
            return dict(self._trained)
        try:
            return self._engine(set()).trained_params()
        except ModelExportError as e:
            raise SimulationError(f"the parameters need the engine's build: {e}") from None

    def save_params(self, path, include_state=False, include_non_trainable=None):
        """Writes the trainable parameters (connection weights, encoders,
        biases) to ``path + ".npz"``, as NengoDL does (include_state: the
        simulation state is not saved; True is refused)."""
        self._check_open()
        if include_state or include_non_trainable:
            raise ValidationError(
                "include_state is not available: only the trainable parameters are saved",
                attr="include_state",
            )
        params = self._current_params()
        np.savez_compressed(str(path) + ".npz", **params)

    def load_params(self, path, include_state=False, include_non_trainable=None):
        """Reads parameters save_params wrote (``path + ".npz"``); every
        saved name must be a parameter of this network with the same
        shape."""
        self._check_open()
        if include_state or include_non_trainable:
            raise ValidationError(
                "include_state is not available: only the trainable parameters are saved",
                attr="include_state",
            )
        current = self._current_params()
        with np.load(str(path) + ".npz") as saved:
            loaded = {k: saved[k] for k in saved.files}
        if set(loaded) != set(current):
            raise SimulationError(
                f"Number of saved parameters in {path} ({len(loaded)}) != number of "
                f"variables in the model ({len(current)}), or their names differ: "
                f"missing {sorted(set(current) - set(loaded))}, unknown "
                f"{sorted(set(loaded) - set(current))}"
            )
        for key, value in loaded.items():
            if value.shape != current[key].shape:
                raise SimulationError(
                    f"saved parameter '{key}' has shape {value.shape}, the model's "
                    f"{current[key].shape}"
                )
        self._trained = {k: np.asarray(v, dtype=np.float64) for k, v in loaded.items()}
        self._engines = {}
        if self._state_engine is not None:
            # The builds go: the saved state starts over with the new values.
            self._state_engine = None
            self._n_steps, self._time = 0, 0.0
        self._apply_trained()

    def get_nengo_params(self, nengo_objs, as_dict=False):
        """Keyword arguments that make new Ensembles and Connections with
        these objects' (trained) parameters, as NengoDL's
        get_nengo_params: Ensembles get encoders, normalize_encoders=False,
        gain, bias and default max_rates/intercepts; decoded Connections a
        NoSolver of the weights; others the weights as transform."""
        scalar = not isinstance(nengo_objs, (list, tuple))
        objs = [nengo_objs] if scalar else list(nengo_objs)
        objs = [o.ensemble if isinstance(o, nengo.ensemble.Neurons) else o for o in objs]
        per_object = {}
        if self._trained:
            per_object = engine_to_nengo(self, self._engine_labels(), self._trained)
        params = [nengo_params(self, o, per_object.get(o, {})) for o in objs]
        if scalar:
            return params[0]
        if as_dict:
            out = {}
            for obj, p in zip(objs, params):
                if obj.label in out:
                    raise ValueError(
                        f"Duplicate label ('{obj.label}') detected; cannot return parameters "
                        f"with as_dict=True"
                    )
                out[obj.label] = p
            return out
        return params

    def freeze_params(self, objs):
        """Writes the (trained) parameters back into the network's objects
        (a Network: all its Ensembles and Connections), so that any
        simulator built from it runs with them."""
        self._check_open()
        if not isinstance(objs, (list, tuple)):
            objs = [objs]
        members = [self.model.toplevel] + self.model.toplevel.all_objects
        for obj in objs:
            if obj not in members:
                raise ValueError(
                    f"{obj} is not a member of the Network used to initialize the Simulator"
                )
            if not isinstance(obj, (nengo.Network, nengo.Ensemble, nengo.Connection)):
                raise TypeError(f"Objects of type {type(obj)} do not have parameters to store")
            todo = obj.all_ensembles + obj.all_connections if isinstance(obj, nengo.Network) else [obj]
            for o, params in zip(todo, self.get_nengo_params(todo)):
                for k, v in params.items():
                    setattr(o, k, v)


class _Progress:
    """fit's progress callable: Keras-style lines, History and callbacks."""

    def __init__(self, sim, history, callbacks, verbose, compiled):
        self.sim = sim
        self.history = history
        self.callbacks = list(callbacks)
        self.verbose = verbose
        self.tty = verbose == 1 and sys.stdout.isatty()
        names = [m for ms in compiled.metrics.values() for m in ms]
        # The engine scores one accuracy over the sparse targets: logged
        # under the name compile was given.
        self.accuracy = names[0] if names else None
        self.last_print = 0.0
        self.epoch_shown = 0

    def _call(self, name, *args):
        for cb in self.callbacks:
            fn = getattr(cb, name, None)
            if fn is not None:
                fn(*args)

    def begin(self):
        self.sim.stop_training = False
        for cb in self.callbacks:
            if hasattr(cb, "set_model"):
                cb.set_model(self.sim)
            else:
                cb.model = self.sim
            if hasattr(cb, "set_params"):
                cb.set_params(self.history.params)
        self._call("on_train_begin", {})

    def end(self):
        self._call("on_train_end", {})

    def logs(self, loss, val_loss, accuracy, val_accuracy):
        logs = {"loss": loss}
        if self.accuracy and not np.isnan(accuracy):
            logs[self.accuracy] = accuracy
        if not np.isnan(val_loss):
            logs["val_loss"] = val_loss
        if self.accuracy and not np.isnan(val_accuracy):
            logs[f"val_{self.accuracy}"] = val_accuracy
        return logs

    def line(self, batch, n_batches, seconds, logs):
        done = int(30 * batch / n_batches)
        bar = "=" * done + (">" if done < 30 else "") + "." * max(0, 29 - done)
        per_step = seconds / max(batch, 1)
        unit = f"{per_step * 1e3:.0f}ms/step" if per_step >= 1e-3 else f"{per_step * 1e6:.0f}us/step"
        text = " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())
        return f"{batch}/{n_batches} [{bar}] - {seconds:.0f}s {unit} - {text}"

    def __call__(self, epoch, n_epochs, batch, n_batches, loss, val_loss, seconds, epoch_done,
                 accuracy, val_accuracy):
        if self.epoch_shown != epoch:
            self.epoch_shown = epoch
            self._call("on_epoch_begin", epoch - 1, {})
            if self.verbose:
                print(f"Epoch {epoch}/{n_epochs}", flush=True)
        logs = self.logs(loss, val_loss, accuracy, val_accuracy)
        self._call("on_train_batch_end", batch - 1, {"loss": loss})
        if not epoch_done:
            now = time.monotonic()
            if self.tty and now - self.last_print > 0.1:
                self.last_print = now
                print("\r" + self.line(batch, n_batches, seconds, logs), end="", flush=True)
            return True
        if self.verbose:
            print(("\r" if self.tty else "") + self.line(batch, n_batches, seconds, logs),
                  flush=True)
        self.history.epoch.append(epoch - 1)
        self.history.seconds.append(seconds)
        for key, value in logs.items():
            self.history.history.setdefault(key, []).append(value)
        self._call("on_epoch_end", epoch - 1, logs)
        return not self.sim.stop_training


def _loss_weights(weights, loss_map, probes):
    """{probe: weight} for the probes with losses (1 unless given), from
    Keras's loss_weights: a dict keyed by Probes or a list in the order of
    the Simulator's probes."""
    out = {p: 1.0 for p in loss_map}
    if weights is None:
        return out
    if not isinstance(weights, (dict, list, tuple)):
        raise ValidationError(
            f"loss_weights must be a dict keyed by Probes or a list (got {weights!r})",
            attr="loss_weights",
        )
    given = standardize(weights, probes, "Probe", "loss_weights")
    for probe, w in given.items():
        if probe not in loss_map:
            raise ValidationError(
                f"loss weight for {describe(probe)}, which has no loss", attr="loss_weights"
            )
        try:
            w = float(w)
        except (TypeError, ValueError):
            w = float("nan")
        if not np.isfinite(w) or w < 0:
            raise ValidationError(
                f"loss weight for {describe(probe)} must be a finite number of at least 0 "
                f"(got {given[probe]!r})",
                attr="loss_weights",
            )
        out[probe] = w
    return out


def _setting(sim, name, default):
    from .settings import get_setting  # pylint: disable=import-outside-toplevel

    return get_setting(sim.model.toplevel, name, default)


def _broadcast(target, output):
    """A one-step target against every step of the output (Keras's
    broadcasting)."""
    if target.shape[1] == 1 and output.shape[1] != 1:
        return np.broadcast_to(target, (target.shape[0], output.shape[1], target.shape[2]))
    return target


def _no_more(kwargs, func):
    if kwargs:
        raise ValidationError(
            f"{func}() got arguments it does not take here: {', '.join(sorted(kwargs))}",
            attr=next(iter(kwargs)),
        )
