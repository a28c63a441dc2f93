# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.tf, the numpy subset of TensorFlow that the tutorial calls:
Keras's functional API on Spikeworks' layers (predict equals the layers
themselves, fit trains in the engine with Keras's update rule), tf.print's
format, the data sets, and errors for everything outside the subset."""

import logging
import sys

import numpy as np
import pytest

import spikeworks
import spikeworks.tf as tf
from spikeworks.datasets import DatasetError
from spikeworks.model_export import ModelExportError


def _regression(n=256, seed=1):
    """Inputs and targets a 8-16-4 ReLU network can learn."""
    rng = np.random.RandomState(seed)
    x = rng.uniform(-1, 1, size=(n, 8))
    w = rng.normal(size=(8, 4))
    return x, np.maximum(x @ w, 0)


def _mlp(seed=0):
    np.random.seed(seed)
    a = tf.keras.Input(shape=(8,))
    b = spikeworks.layers.Dense(16, activation=tf.nn.relu,
                                kernel_initializer=tf.initializers.glorot_uniform())(a)
    c = tf.keras.layers.Dense(4)(b)
    return a, b, c, tf.keras.Model(inputs=a, outputs=c)


def test_layers_on_symbolic_inputs_build_a_graph():
    a, b, c, model = _mlp()
    assert a.shape == (None, 8) and b.shape == (None, 16) and c.shape == (None, 4)
    assert tf.keras.layers.Dense is spikeworks.layers.Dense
    assert tf.keras.layers.Layer is spikeworks.layers.Layer
    # Built at the call, Keras's Glorot-uniform kernels, zero biases.
    dense = b.layer
    assert dense.built and dense.kernel.shape == (8, 16) and not dense.bias.any()
    assert np.abs(dense.kernel).max() <= np.sqrt(6 / 24)
    assert dense.activation == "relu"  # the engine's own ReLU
    assert model.layers == [b.layer, c.layer]


def test_predict_equals_the_layers_called_on_the_data(capsys):
    a, b, c, model = _mlp()
    x = np.random.RandomState(2).uniform(-1, 1, size=(70, 8))
    expected = c.layer(b.layer(x.astype(np.float32)))
    out = model.predict(x)
    # Keras: float32, in batches of 32 (70 examples: 3 steps).
    assert out.dtype == np.float32 and out.shape == (70, 4)
    assert capsys.readouterr().out.startswith("3/3 [==============================] - ")
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)
    by_hand = np.maximum(x.astype(np.float32) @ b.layer.kernel, 0) @ c.layer.kernel
    np.testing.assert_allclose(out, by_hand, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(model.predict(x, batch_size=7, verbose=0), out)
    np.testing.assert_array_equal(model(x), out)


def test_fit_reduces_the_loss_and_writes_the_weights_back(capsys):
    x, y = _regression()
    a, b, c, model = _mlp()
    model.compile(optimizer=tf.optimizers.RMSprop(1e-2), loss=tf.losses.mse)
    before = model.evaluate(x, y, verbose=0)
    kernel = b.layer.kernel.copy()
    history = model.fit(x, y, epochs=5, batch_size=50)
    losses = history.history["loss"]
    assert len(losses) == 5 and losses[-1] < 0.5 * losses[0], losses
    after = model.evaluate(x, y)
    assert after < 0.5 * before
    # Trained values are the layers' own: predict and the layers use them.
    assert not np.array_equal(kernel, b.layer.kernel)
    np.testing.assert_allclose(after, np.mean((model.predict(x, verbose=0) - y) ** 2),
                               rtol=1e-5)
    out = capsys.readouterr().out.splitlines()
    # 256 examples in minibatches of 50: the last one smaller, as in Keras.
    assert out[0] == "Epoch 1/5" and out[1].startswith("6/6 [")
    assert out[-1].startswith("8/8 [") and f"loss: {after:.4f}" in out[-1]
    # A second fit goes on from there (the optimizer's state kept).
    again = model.fit(x, y, epochs=1, batch_size=50, verbose=0).history["loss"]
    assert again[0] < losses[0]


def test_fit_takes_keras_sgd_step():
    """One full-batch SGD step is W − lr · ∂mse/∂W, as Keras computes it."""
    rng = np.random.RandomState(3)
    x, y = rng.normal(size=(20, 3)), rng.normal(size=(20, 2))
    a = tf.keras.Input(shape=(3,))
    dense = spikeworks.layers.Dense(2, kernel_initializer=tf.initializers.GlorotUniform(seed=5))
    model = tf.keras.Model(inputs=a, outputs=dense(a))
    w0, b0 = dense.kernel.copy(), dense.bias.copy()
    model.compile(optimizer=tf.optimizers.SGD(0.1), loss="mse")
    model.fit(x, y, batch_size=20, epochs=1, shuffle=False, verbose=0)
    x32, y32 = x.astype(np.float32), y.astype(np.float32)
    err = x32 @ w0 + b0 - y32
    grad_w = 2 * x32.T @ err / err.size
    grad_b = 2 * err.sum(axis=0) / err.size
    np.testing.assert_allclose(dense.kernel, w0 - 0.1 * grad_w, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(dense.bias, b0 - 0.1 * grad_b, rtol=1e-5, atol=1e-6)


def test_classifier_with_sparse_crossentropy_and_accuracy():
    rng = np.random.RandomState(4)
    labels = rng.randint(0, 3, size=300)
    x = rng.normal(scale=0.3, size=(300, 6))
    x[np.arange(300), labels] += 2.0
    inp = tf.keras.Input(shape=(6,))
    out = spikeworks.layers.Dense(3)(inp)
    model = tf.keras.Model(inp, out)
    model.compile(optimizer=tf.keras.optimizers.Adam(0.05),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(x, labels, epochs=4, verbose=0)
    assert history.history["accuracy"][-1] > 0.9
    loss, accuracy = model.evaluate(x, labels, verbose=0)
    assert accuracy > 0.9 and loss < history.history["loss"][0]


def test_custom_layer_predicts_but_does_not_train():
    class Double(tf.keras.layers.Layer):
        def call(self, inputs):
            return 2 * inputs

    a = tf.keras.Input(shape=(2,))
    model = tf.keras.Model(inputs=a, outputs=Double()(a))
    np.testing.assert_array_equal(model.predict(np.ones((3, 2)), verbose=0), 2 * np.ones((3, 2)))
    model.compile(optimizer="rmsprop", loss="mse")
    with pytest.raises(ModelExportError, match="runs only forward, through Python"):
        model.fit(np.ones((4, 2)), np.ones((4, 2)), verbose=0)


def test_model_errors_name_what_was_expected():
    a, _, c, model = _mlp()
    with pytest.raises(ValueError, match=r"expected shape=\(None, 8\), found shape=\(5, 3\)"):
        model.predict(np.ones((5, 3)))
    with pytest.raises(RuntimeError, match="You must compile your model before calling fit"):
        model.fit(np.ones((5, 8)), np.ones((5, 4)))
    model.compile(optimizer=tf.optimizers.Adam(), loss=tf.losses.mse)
    with pytest.raises(ValueError, match=r"targets for output '.*' have shape \(5, 3\)"):
        model.fit(np.ones((5, 8)), np.ones((5, 3)))
    with pytest.raises(TypeError, match="sample_weight: Keras's, not in spikeworks.tf"):
        model.fit(np.ones((5, 8)), np.ones((5, 4)), sample_weight=np.ones(5))
    other = tf.keras.Input(shape=(8,))
    with pytest.raises(ValueError, match="Graph disconnected"):
        tf.keras.Model(inputs=other, outputs=c)


def test_names_outside_the_subset_are_attribute_errors():
    with pytest.raises(AttributeError) as info:
        tf.constant  # noqa: B018
    assert "tf.constant is not in spikeworks.tf, a numpy subset of TensorFlow" in str(info.value)
    assert "keras, losses, matmul, nn, optimizers, print" in str(info.value)
    with pytest.raises(AttributeError, match="tf.keras.layers.Flatten is not in spikeworks.tf.*"
                                             "AveragePooling2D, BatchNormalization, Conv2D, Dense"):
        tf.keras.layers.Flatten  # noqa: B018
    with pytest.raises(AttributeError, match="tf.nn.gelu .* tf.nn has relu, sigmoid, softmax, tanh"):
        tf.nn.gelu  # noqa: B018
    with pytest.raises(AttributeError, match="tf.keras.datasets.cifar10 .* fashion_mnist, mnist"):
        tf.keras.datasets.cifar10  # noqa: B018


def test_mnist_is_read_from_keras_file_only(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(DatasetError) as info:
        tf.keras.datasets.mnist.load_data()
    message = str(info.value)
    assert "MNIST is not installed" in message and "downloads nothing" in message
    assert "spikeworks.datasets.fashion_mnist.load_data()" in message
    (tmp_path / "datasets").mkdir()
    images = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    np.savez(tmp_path / "datasets" / "mnist.npz", x_train=images, y_train=np.array([3, 4]),
             x_test=images[:1], y_test=np.array([5]))
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    np.testing.assert_array_equal(x_train, images)
    assert list(y_train) == [3, 4] and x_test.shape == (1, 28, 28) and list(y_test) == [5]
    assert tf.keras.datasets.fashion_mnist is spikeworks.datasets.fashion_mnist


def test_print_writes_tensorflow_format_to_stderr(capsys):
    assert tf.print("t:", np.float32(0.006)) is None
    tf.print("x:", np.array([[0.5, -0.1]]))
    tf.print(np.arange(12).reshape(2, 6), output_stream=sys.stdout)
    tf.print(np.arange(1, 11), np.array(True), sep=", ", output_stream=sys.stdout)
    captured = capsys.readouterr()
    assert captured.err == "t: 0.006\nx: [[0.5 -0.1]]\n"
    assert captured.out == "[[0 1 2 3 4 5]\n [6 7 8 9 10 11]]\n[1 2 3 ... 8 9 10], 1\n"


def test_plain_functions():
    with tf.control_dependencies([None]):
        total = tf.add(np.float32(0.25), np.array([[0.5, -0.1]]))
    np.testing.assert_allclose(total, [[0.75, 0.15]])
    np.testing.assert_array_equal(tf.matmul(np.eye(2), [[1, 2], [3, 4]], transpose_b=True),
                                  [[1, 3], [2, 4]])
    np.testing.assert_array_equal(tf.nn.relu(np.array([-1.0, 2.0])), [0.0, 2.0])
    np.testing.assert_allclose(tf.nn.softmax(np.zeros(4)), np.full(4, 0.25))
    logger = tf.get_logger()
    assert isinstance(logger, logging.Logger) and logger.name == "tensorflow"
    init = tf.initializers.glorot_uniform(seed=7)
    w = init((30, 10))
    assert np.abs(w).max() <= np.sqrt(6 / 40)
    np.testing.assert_array_equal(tf.keras.initializers.GlorotUniform(seed=7)((30, 10)), w)
    assert tf.losses.mse is spikeworks.losses.mse
    assert tf.optimizers.RMSprop is spikeworks.optimizers.RMSprop
