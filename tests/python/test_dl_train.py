# SPDX-License-Identifier: GPL-3.0-or-later
"""Simulator.fit's hand-over to the engine and what NengoDL/Keras accept
beyond the basics.

The hand-over: big transform matrices go to the engine as arrays (not as
model text), so predict must still equal Nengo's own run of the network
to float64 round-off (1e-9), gains other than 1 included; a second fit
with the same compile goes on with the same optimizer state, as Keras's
does, so two one-epoch fits equal one two-epoch fit (same float32
arithmetic: 1e-6 relative).
"""

import numpy as np
import pytest

import nengo
from nengo.exceptions import ValidationError

import spikeworks

ROUNDOFF = 1e-9
nengo.rc.set("decoder_cache", "enabled", "False")


def dense_net(n_in=12, n_hidden=9, n_out=3, seed=0):
    """Input Node → hidden neurons (matrix, gains ≠ 1) → output Node."""
    rng = np.random.RandomState(seed)
    with nengo.Network(seed=seed) as net:
        a = nengo.Node(np.zeros(n_in), label="x")
        h = nengo.Ensemble(n_hidden, 1, neuron_type=nengo.RectifiedLinear(), label="h",
                           gain=nengo.dists.Uniform(0.5, 2.0), bias=nengo.dists.Uniform(-0.1, 0.1))
        nengo.Connection(a, h.neurons, transform=rng.uniform(-0.5, 0.5, (n_hidden, n_in)),
                         synapse=None)
        out = nengo.Node(size_in=n_out, label="out")
        nengo.Connection(h.neurons, out, transform=rng.uniform(-0.5, 0.5, (n_out, n_hidden)),
                         synapse=None)
        p = nengo.Probe(out, label="p")
    return net, a, p


def test_matrices_handed_over_predict_as_nengo():
    net, a, p = dense_net()
    x = np.random.RandomState(3).uniform(-1, 1, (4, 1, 12))
    with spikeworks.Simulator(net, minibatch_size=4) as sim:
        out = sim.predict({a: x})[p]
    for k in range(4):
        a.output = x[k, 0]
        with nengo.Simulator(net, progress_bar=False) as ref:
            ref.run_steps(1)
        assert np.allclose(out[k], ref.data[p], atol=ROUNDOFF, rtol=0)
    a.output = np.zeros(12)


def test_second_fit_goes_on_with_the_optimizer_state():
    x = np.random.RandomState(1).uniform(-1, 1, (40, 1, 12))
    y = np.random.RandomState(2).uniform(-1, 1, (40, 1, 3))
    losses = []
    for split in (False, True):
        net, a, p = dense_net()
        with spikeworks.Simulator(net, minibatch_size=10) as sim:
            sim.compile(optimizer=spikeworks.optimizers.Adam(0.01), loss="mse")
            if split:
                h = [sim.fit(x, y, epochs=1, shuffle=False, verbose=0).history["loss"][0]
                     for _ in range(2)]
            else:
                h = sim.fit(x, y, epochs=2, shuffle=False, verbose=0).history["loss"]
        losses.append(h)
    assert np.allclose(losses[0], losses[1], rtol=1e-6, atol=0), losses


# Keras's updates, written out in numpy ------------------------------------
#
# A linear network y = W x (a Node into a Node, no synapse) trained on one
# minibatch per epoch, so every epoch is one update of W with the exact
# gradient of the loss; the engine trains in float32, the reference runs
# in float64 (relative 1e-4 over the updates).


def linear_net(n_in, n_out, w, n_probes=1):
    with nengo.Network(seed=0) as net:
        a = nengo.Node(np.zeros(n_in), label="x")
        outs, probes = [], []
        for k in range(n_probes):
            out = nengo.Node(size_in=n_out, label=f"y{k}")
            nengo.Connection(a, out, transform=w[k] if n_probes > 1 else w, synapse=None)
            outs.append(out)
            probes.append(nengo.Probe(out, label=f"p{k}"))
    return net, a, probes


def mse_grad(w, x, t):
    """d/dW of mean over batch and values of (W x − t)²."""
    e = x @ w.T - t
    return 2 * e.T @ x / e.size


class KerasRMSprop:
    """tf.keras's RMSprop (OptimizerV2): without momentum ε outside the
    root; with momentum TensorFlow's ApplyRMSProp / ApplyCenteredRMSProp."""

    def __init__(self, lr, rho=0.9, momentum=0.0, centered=False, eps=1e-7):
        self.lr, self.rho, self.mu, self.centered, self.eps = lr, rho, momentum, centered, eps
        self.s = self.a = self.v = 0.0

    def step(self, w, g):
        self.s = self.rho * self.s + (1 - self.rho) * g * g
        d = self.s
        if self.centered:
            self.a = self.rho * self.a + (1 - self.rho) * g
            d = self.s - self.a ** 2
        if self.mu == 0:
            return w - self.lr * g / (np.sqrt(d) + self.eps)
        self.v = self.mu * self.v + self.lr * g / np.sqrt(d + self.eps)
        return w - self.v


class KerasAdam:
    """tf.keras's Adam; amsgrad: TensorFlow's ApplyAdamWithAmsgrad."""

    def __init__(self, lr, b1=0.9, b2=0.999, amsgrad=False, eps=1e-7):
        self.lr, self.b1, self.b2, self.amsgrad, self.eps = lr, b1, b2, amsgrad, eps
        self.m = self.v = self.vhat = 0.0
        self.t = 0

    def step(self, w, g):
        self.t += 1
        lr_t = self.lr * np.sqrt(1 - self.b2 ** self.t) / (1 - self.b1 ** self.t)
        self.m = self.b1 * self.m + (1 - self.b1) * g
        self.v = self.b2 * self.v + (1 - self.b2) * g * g
        self.vhat = np.maximum(self.vhat, self.v) if self.amsgrad else self.v
        return w - lr_t * self.m / (np.sqrt(self.vhat) + self.eps)


OPTIMIZERS = [
    ("rmsprop momentum", lambda: spikeworks.optimizers.RMSprop(0.01, momentum=0.5),
     lambda: KerasRMSprop(0.01, momentum=0.5)),
    ("rmsprop centered", lambda: spikeworks.optimizers.RMSprop(0.01, centered=True),
     lambda: KerasRMSprop(0.01, centered=True)),
    ("rmsprop both", lambda: spikeworks.optimizers.RMSprop(0.01, momentum=0.9, centered=True),
     lambda: KerasRMSprop(0.01, momentum=0.9, centered=True)),
    # beta_2 0.9: v follows the shrinking gradients quickly, so AMSGrad's
    # largest v differs from it early.
    ("adam amsgrad", lambda: spikeworks.optimizers.Adam(0.05, beta_2=0.9, amsgrad=True),
     lambda: KerasAdam(0.05, b2=0.9, amsgrad=True)),
    ("adam", lambda: spikeworks.optimizers.Adam(0.05, beta_2=0.9), lambda: KerasAdam(0.05, b2=0.9)),
]


def _train_linear(optimizer, x, t, w0, epochs):
    net, a, (p,) = linear_net(x.shape[-1], t.shape[-1], w0)
    with spikeworks.Simulator(net, minibatch_size=len(x)) as sim:
        sim.compile(optimizer=optimizer, loss="mse")
        sim.fit({a: x}, {p: t}, epochs=epochs, shuffle=False, verbose=0)
        return sim.get_nengo_params(net.all_connections[0])["transform"]


@pytest.mark.parametrize("name, ours, keras", OPTIMIZERS, ids=[o[0] for o in OPTIMIZERS])
def test_optimizer_options_follow_keras_updates(name, ours, keras):
    rng = np.random.RandomState(5)
    x = rng.uniform(-1, 1, (8, 1, 4))
    t = rng.uniform(-1, 1, (8, 1, 3))
    w0 = rng.uniform(-1, 1, (3, 4))
    ref, w = keras(), w0.copy()
    for _ in range(30):
        w = ref.step(w, mse_grad(w, x[:, 0], t[:, 0]))
    trained = _train_linear(ours(), x, t, w0, 30)
    assert np.allclose(trained, w, rtol=1e-4, atol=1e-5), (name, trained - w)


def test_each_option_changes_the_updates():
    """The references differ by far more than the tolerance, so an option
    the engine ignored would fail the test above."""
    rng = np.random.RandomState(5)
    x, t, w0 = rng.uniform(-1, 1, (8, 1, 4)), rng.uniform(-1, 1, (8, 1, 3)), rng.uniform(-1, 1, (3, 4))
    finals = {}
    for name, _, keras in OPTIMIZERS + [("rmsprop", None, lambda: KerasRMSprop(0.01))]:
        ref, w = keras(), w0.copy()
        for _ in range(30):
            w = ref.step(w, mse_grad(w, x[:, 0], t[:, 0]))
        finals[name] = w
    for a, b in [("adam", "adam amsgrad"), ("rmsprop", "rmsprop momentum"),
                 ("rmsprop", "rmsprop centered"), ("rmsprop centered", "rmsprop both")]:
        assert np.max(np.abs(finals[a] - finals[b])) > 2e-3, (a, b)


# Losses, loss weights, metrics ----------------------------------------------


def keras_sparse_ce_probs(y, c):
    """Keras's sparse_categorical_crossentropy(from_logits=False): clip to
    [1e-7, 1 − 1e-7], then the softmax cross-entropy of log p; gradient
    zero where the clip holds y."""
    p = np.clip(y, 1e-7, 1 - 1e-7)
    loss = np.log(p.sum(axis=-1)) - np.log(p[np.arange(len(c)), c])
    g = 1 / p.sum(axis=-1, keepdims=True) - np.eye(y.shape[-1])[c] / p
    g[(y < 1e-7) | (y > 1 - 1e-7)] = 0
    return loss, g


def test_sparse_categorical_crossentropy_from_probabilities():
    rng = np.random.RandomState(2)
    x = rng.uniform(0.1, 1, (6, 1, 4))
    c = np.array([0, 1, 2, 0, 1, 1])
    w0 = rng.uniform(0.02, 0.2, (3, 4))
    w0[2] = -0.1  # output 2 below 0: clipped, no gradient through it
    y0 = x[:, 0] @ w0.T
    loss, g = keras_sparse_ce_probs(y0, c)
    lr = 0.1
    w1 = w0 - lr * (g.T @ x[:, 0]) / len(c)
    net, a, (p,) = linear_net(4, 3, w0)
    ce = spikeworks.losses.SparseCategoricalCrossentropy(from_logits=False)
    with spikeworks.Simulator(net, minibatch_size=6) as sim:
        sim.compile(optimizer=spikeworks.optimizers.SGD(lr), loss=ce)
        before = sim.evaluate({a: x}, {p: c[:, None, None]}, verbose=0)["loss"]
        h = sim.fit({a: x}, {p: c[:, None, None]}, epochs=1, shuffle=False, verbose=0)
        trained = sim.get_nengo_params(net.all_connections[0])["transform"]
    assert np.isclose(before, loss.mean(), rtol=1e-12)
    assert np.isclose(h.history["loss"][0], loss.mean(), rtol=1e-5)
    assert np.allclose(trained, w1, rtol=1e-5, atol=1e-7)
    assert np.allclose(trained[2], w0[2], rtol=0, atol=1e-7)  # float32 round-off only


def test_loss_weights_scale_the_trained_loss():
    rng = np.random.RandomState(4)
    x = rng.uniform(-1, 1, (5, 1, 3))
    t = [rng.uniform(-1, 1, (5, 1, 2)) for _ in range(2)]
    w0 = [rng.uniform(-1, 1, (2, 3)) for _ in range(2)]
    weights = [0.25, 2.0]
    net, a, probes = linear_net(3, 2, w0, n_probes=2)
    lr = 0.1
    with spikeworks.Simulator(net, minibatch_size=5) as sim:
        sim.compile(optimizer=spikeworks.optimizers.SGD(lr), loss="mse",
                    loss_weights={probes[0]: weights[0], probes[1]: weights[1]})
        ev = sim.evaluate({a: x}, {probes[0]: t[0], probes[1]: t[1]}, verbose=0)
        h = sim.fit({a: x}, {probes[0]: t[0], probes[1]: t[1]}, epochs=1, shuffle=False,
                    verbose=0)
        trained = [sim.get_nengo_params(c)["transform"] for c in net.all_connections]
    own = [np.mean((x[:, 0] @ w.T - tt[:, 0]) ** 2) for w, tt in zip(w0, t)]
    assert np.isclose(ev["loss"], weights[0] * own[0] + weights[1] * own[1], rtol=1e-12)
    assert np.isclose(ev["p0_loss"], own[0], rtol=1e-12)
    assert np.isclose(h.history["loss"][0], ev["loss"], rtol=1e-5)
    for k in range(2):
        want = w0[k] - lr * weights[k] * mse_grad(w0[k], x[:, 0], t[k][:, 0])
        assert np.allclose(trained[k], want, rtol=1e-5, atol=1e-7)


def test_metrics_by_keras_names():
    rng = np.random.RandomState(6)
    x = rng.uniform(0.1, 1, (6, 1, 4))
    w0 = rng.uniform(0.05, 0.3, (3, 4))
    y = x[:, 0] @ w0.T
    t = rng.uniform(0, 1, (6, 1, 3))
    net, a, (p,) = linear_net(4, 3, w0)
    names = ["mse", "mae", "categorical_accuracy", "categorical_crossentropy"]
    with spikeworks.Simulator(net, minibatch_size=6) as sim:
        sim.compile(optimizer="sgd", loss="mse", metrics=names)
        ev = sim.evaluate({a: x}, {p: t}, verbose=0)
    q = np.clip(y / y.sum(axis=1, keepdims=True), 1e-7, 1 - 1e-7)
    want = {
        "mse": np.mean((y - t[:, 0]) ** 2),
        "mae": np.mean(np.abs(y - t[:, 0])),
        "categorical_accuracy": np.mean(np.argmax(y, 1) == np.argmax(t[:, 0], 1)),
        "categorical_crossentropy": np.mean(-np.sum(t[:, 0] * np.log(q), axis=1)),
    }
    for name in names:
        assert np.isclose(ev[name], want[name], rtol=1e-12), name

    c = np.argmax(y, 1)
    c[:2] = (c[:2] + 1) % 3  # two of six wrong
    ce = spikeworks.losses.SparseCategoricalCrossentropy(from_logits=False)
    with spikeworks.Simulator(net, minibatch_size=6) as sim:
        sim.compile(optimizer=spikeworks.optimizers.SGD(1e-12), loss=ce,
                    metrics=["sparse_categorical_accuracy"])
        ev = sim.evaluate({a: x}, {p: c[:, None, None]}, verbose=0)
        h = sim.fit({a: x}, {p: c[:, None, None]}, epochs=1, verbose=0)
    assert np.isclose(ev["sparse_categorical_accuracy"], 4 / 6)
    assert np.isclose(h.history["sparse_categorical_accuracy"][0], 4 / 6)


def test_bad_metrics_and_loss_weights():
    net, a, (p,) = linear_net(2, 2, np.eye(2))
    x = np.zeros((2, 1, 2))
    with spikeworks.Simulator(net, minibatch_size=2) as sim:
        with pytest.raises(ValidationError, match=r"unknown metric 'f1' for Probe 'p0': the metrics are 'mse'"):
            sim.compile(optimizer="sgd", loss="mse", metrics=["f1"])
        with pytest.raises(ValidationError, match=r"metric 'sparse_categorical_accuracy' for Probe 'p0' does not fit its targets"):
            sim.compile(optimizer="sgd", loss="mse", metrics=["sparse_categorical_accuracy"])
        with pytest.raises(ValidationError, match=r"loss weight for Probe 'p0' must be a finite number of at least 0 \(got -1\)"):
            sim.compile(optimizer="sgd", loss="mse", loss_weights={p: -1})
        with pytest.raises(ValidationError, match=r"loss_weights must be a dict keyed by Probes or a list"):
            sim.compile(optimizer="sgd", loss="mse", loss_weights=2.0)
        sim.compile(optimizer="sgd", loss="mse", metrics=["mae"])
        assert "mae" in sim.evaluate(x, x, verbose=0)
        with pytest.raises(ValidationError, match=r"metric 'mae' on Probe 'p0' during fit: fit reports 'accuracy'"):
            sim.fit(x, x, verbose=0)
