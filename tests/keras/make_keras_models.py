# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes Keras 2 HDF5 model files without TensorFlow, for tests/test-keras.c.

Each file follows the layout keras/saving/legacy/hdf5_format.py writes:
root attributes keras_version, backend and model_config (the model's JSON,
as bytes), and model_weights/ with the attribute layer_names and, per layer,
a group with weight_names whose datasets sit at <layer>/<weight>:0.  For
each good model the script also writes a batch of inputs (<name>.x.f64) and
the outputs of a plain numpy forward pass of the same float32 weights
(<name>.y.f64), which the converted rate network must reproduce.  Bad files
(truncated, foreign, unknown layers, shapes that do not chain, missing or
misshapen weights, channels_first) are written beside them.

usage: make_keras_models.py OUTDIR
"""
import json
import sys

import h5py
import numpy as np

rng = np.random.default_rng(20)
BATCH = 4


def glorot(*shape):
    fan = shape[-2] * int(np.prod(shape[:-2])) + shape[-1] if len(shape) > 1 else shape[0]
    lim = np.sqrt(6.0 / fan)
    return rng.uniform(-lim, lim, size=shape).astype(np.float32)


def small(*shape):
    return rng.uniform(-0.5, 0.5, size=shape).astype(np.float32)


# ---- numpy forward pass (Keras semantics, channels_last) ----------------

def same_pad(n, k, s):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return out, total // 2


def pair(v):
    """Keras's int-or-pair (kernel_size, strides): (rows, columns)."""
    return (v, v) if np.isscalar(v) else tuple(v)


def windows(x, k, s, padding, fill):
    (kh, kw), (sh, sw) = pair(k), pair(s)
    b, h, w, c = x.shape
    if padding == "same":
        oh, pt = same_pad(h, kh, sh)
        ow, pl = same_pad(w, kw, sw)
    else:
        oh, ow, pt, pl = (h - kh) // sh + 1, (w - kw) // sw + 1, 0, 0
    padded = np.full((b, h + 2 * kh, w + 2 * kw, c), fill)
    padded[:, pt:pt + h, pl:pl + w, :] = x
    valid = np.zeros((h + 2 * kh, w + 2 * kw))
    valid[pt:pt + h, pl:pl + w] = 1
    for i in range(oh):
        for j in range(ow):
            yield (i, j, padded[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :],
                   valid[i * sh:i * sh + kh, j * sw:j * sw + kw])
    return oh, ow


def out_size(n, k, s, padding):
    return -(-n // s) if padding == "same" else (n - k) // s + 1


def out_hw(x, k, s, padding):
    (kh, kw), (sh, sw) = pair(k), pair(s)
    return out_size(x.shape[1], kh, sh, padding), out_size(x.shape[2], kw, sw, padding)


def conv2d(x, kernel, bias, s, padding):
    f = kernel.shape[3]
    oh, ow = out_hw(x, kernel.shape[:2], s, padding)
    y = np.zeros((x.shape[0], oh, ow, f))
    for i, j, patch, _ in windows(x, kernel.shape[:2], s, padding, 0.0):
        y[:, i, j, :] = np.tensordot(patch, kernel.astype(np.float64), axes=([1, 2, 3], [0, 1, 2]))
    return y + (bias if bias is not None else 0)


def avgpool(x, k, s, padding):
    oh, ow = out_hw(x, k, s, padding)
    y = np.zeros((x.shape[0], oh, ow, x.shape[3]))
    for i, j, patch, valid in windows(x, k, s, padding, 0.0):
        y[:, i, j, :] = patch.sum(axis=(1, 2)) / valid.sum()
    return y


def activation(x, name):
    if name == "linear":
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError(name)


# ---- writing a Keras 2 HDF5 file ----------------------------------------

def save(path, model_config, weights, layer_names, drop=None):
    """weights: layer name → list of (weight name, array)."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b"2.15.0"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.array([n.encode("utf8") for n in layer_names])
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = b"2.15.0"
        for name in layer_names:
            lg = g.create_group(name)
            names = [f"{name}/{w}:0" for w, _ in weights.get(name, [])]
            lg.attrs["weight_names"] = np.array([n.encode("utf8") for n in names]) if names else np.array([])
            for (w, value), full in zip(weights.get(name, []), names):
                if drop == full:
                    continue
                lg.create_dataset(full, data=value)


def layer(cls, name, **config):
    config["name"] = name
    config.setdefault("trainable", True)
    config.setdefault("dtype", "float32")
    return {"class_name": cls, "config": config}


def sequential(name, layers):
    return {"class_name": "Sequential", "config": {"name": name, "layers": layers},
            "keras_version": "2.15.0", "backend": "tensorflow"}


def functional(name, layers, inputs, outputs, cls="Functional"):
    chain = []
    prev = None
    for entry in layers:
        entry = dict(entry)
        entry["name"] = entry["config"]["name"]
        entry["inbound_nodes"] = [] if prev is None else [[[prev, 0, 0, {}]]]
        prev = entry["name"]
        chain.append(entry)
    return {"class_name": cls, "config": {"name": name, "layers": chain,
                                          "input_layers": [[inputs, 0, 0]],
                                          "output_layers": [[outputs, 0, 0]]},
            "keras_version": "2.15.0", "backend": "tensorflow"}


def write_io(out, name, x, y):
    np.ascontiguousarray(x, dtype=np.float64).tofile(f"{out}/{name}.x.f64")
    np.ascontiguousarray(y, dtype=np.float64).tofile(f"{out}/{name}.y.f64")


def f64(a):
    return a.astype(np.float64)


def mlp(out):
    w = {"d1": [("kernel", glorot(20, 16)), ("bias", small(16))],
         "d2": [("kernel", glorot(16, 12)), ("bias", small(12))],
         "d3": [("kernel", glorot(12, 8)), ("bias", small(8))],
         "d4": [("kernel", glorot(8, 5))]}
    layers = [layer("InputLayer", "inp", batch_input_shape=[None, 20], sparse=False, ragged=False),
              layer("Dense", "d1", units=16, activation="relu", use_bias=True),
              layer("Dropout", "drop", rate=0.3),
              layer("Dense", "d2", units=12, activation="sigmoid", use_bias=True),
              layer("Dense", "d3", units=8, activation="tanh", use_bias=True),
              layer("Dense", "d4", units=5, activation="softmax", use_bias=False)]
    config = sequential("mlp", layers)
    names = ["inp", "d1", "drop", "d2", "d3", "d4"]
    save(f"{out}/mlp.h5", config, w, names)
    x = rng.uniform(-1, 1, size=(BATCH, 20))
    h = activation(x @ f64(w["d1"][0][1]) + w["d1"][1][1], "relu")
    h = activation(h @ f64(w["d2"][0][1]) + w["d2"][1][1], "sigmoid")
    h = activation(h @ f64(w["d3"][0][1]) + w["d3"][1][1], "tanh")
    y = activation(h @ f64(w["d4"][0][1]), "softmax")
    write_io(out, "mlp", x, y)

    # The bad ones, each one thing wrong.
    bad = json.loads(json.dumps(config))
    bad["config"]["layers"].insert(2, layer("LSTM", "lstm", units=4))
    save(f"{out}/unknown-layer.h5", bad, w, names)
    bad_w = dict(w)
    bad_w["d2"] = [("kernel", glorot(16, 11)), ("bias", small(12))]
    save(f"{out}/wrong-shape.h5", config, bad_w, names)
    save(f"{out}/weight-dataset-missing.h5", config, w, names, drop="d3/kernel:0")
    save(f"{out}/weights-missing.h5", config, {k: v for k, v in w.items() if k != "d3"},
         [n for n in names if n != "d3"])
    save(f"{out}/no-weights-group.h5", config, {}, [])
    bad = json.loads(json.dumps(config))
    bad["config"]["layers"][3]["config"]["activation"] = "gelu"
    save(f"{out}/unknown-activation.h5", bad, w, names)
    with h5py.File(f"{out}/bad-json.h5", "w") as f:
        f.attrs["model_config"] = b'{"class_name": "Sequential", "config": {"layers": [}'
    with h5py.File(f"{out}/not-keras.h5", "w") as f:
        f.create_dataset("data", data=np.arange(10.0))
    data = open(f"{out}/mlp.h5", "rb").read()
    open(f"{out}/truncated.h5", "wb").write(data[:len(data) // 3])


def cnn(out):
    w = {"c1": [("kernel", glorot(3, 3, 2, 4)), ("bias", small(4))],
         "c2": [("kernel", glorot(3, 3, 4, 6))],
         "bn": [("gamma", rng.uniform(0.5, 1.5, 6).astype(np.float32)), ("beta", small(6)),
                ("moving_mean", small(6)), ("moving_variance", rng.uniform(0.5, 2, 6).astype(np.float32))],
         "d1": [("kernel", glorot(24, 10)), ("bias", small(10))],
         "d2": [("kernel", glorot(10, 3)), ("bias", small(3))]}
    layers = [layer("Conv2D", "c1", batch_input_shape=[None, 9, 9, 2], filters=4, kernel_size=[3, 3],
                    strides=[1, 1], padding="same", data_format="channels_last", dilation_rate=[1, 1],
                    groups=1, activation="relu", use_bias=True),
              layer("Conv2D", "c2", filters=6, kernel_size=[3, 3], strides=[2, 2], padding="valid",
                    data_format="channels_last", dilation_rate=[1, 1], groups=1, activation="linear",
                    use_bias=False),
              layer("BatchNormalization", "bn", axis=[3], momentum=0.99, epsilon=0.001, center=True, scale=True),
              layer("Activation", "act", activation="relu"),
              layer("AveragePooling2D", "pool", pool_size=[2, 2], strides=[2, 2], padding="valid",
                    data_format="channels_last"),
              layer("Flatten", "flat", data_format="channels_last"),
              layer("Dense", "d1", units=10, activation="linear", use_bias=True),
              layer("ReLU", "relu", max_value=None, negative_slope=0.0, threshold=0.0),
              layer("Reshape", "re", target_shape=[5, 2]),
              layer("Flatten", "flat2", data_format="channels_last"),
              layer("Dense", "d2", units=3, activation="linear", use_bias=True)]
    config = sequential("cnn", layers)
    names = [entry["config"]["name"] for entry in layers]
    save(f"{out}/cnn.h5", config, w, names)
    x = rng.uniform(-1, 1, size=(BATCH, 9, 9, 2))
    h = activation(conv2d(x, w["c1"][0][1], w["c1"][1][1], 1, "same"), "relu")
    h = conv2d(h, w["c2"][0][1], None, 2, "valid")
    g, b, m, v = (f64(a) for _, a in w["bn"])
    h = activation(g * (h - m) / np.sqrt(v + np.float32(0.001)) + b, "relu")
    h = avgpool(h, 2, 2, "valid").reshape(BATCH, -1)
    h = activation(h @ f64(w["d1"][0][1]) + w["d1"][1][1], "relu")
    y = h @ f64(w["d2"][0][1]) + w["d2"][1][1]
    write_io(out, "cnn", x.reshape(BATCH, -1), y)

    bad = json.loads(json.dumps(config))
    bad["config"]["layers"][0]["config"]["data_format"] = "channels_first"
    save(f"{out}/channels-first.h5", bad, w, names)
    bad = json.loads(json.dumps(config))
    del bad["config"]["layers"][5]  # no Flatten before the Dense
    save(f"{out}/no-flatten.h5", bad, w, [n for n in names if n != "flat"])
    bad = json.loads(json.dumps(config))
    bad["config"]["layers"][8]["config"]["target_shape"] = [3, 3]
    save(f"{out}/bad-reshape.h5", bad, w, names)


def pooling(out):
    """Max pooling (converted with max_to_avg_pool: the reference averages)
    and "same" average pooling with a stride, whose padding is not counted."""
    w = {"c": [("kernel", glorot(2, 2, 1, 3)), ("bias", small(3))],
         "d": [("kernel", glorot(27, 4)), ("bias", small(4))]}
    layers = [layer("InputLayer", "img", batch_input_shape=[None, 7, 7, 1]),
              layer("Conv2D", "c", filters=3, kernel_size=[2, 2], strides=[1, 1], padding="valid",
                    data_format="channels_last", activation="relu", use_bias=True),
              layer("MaxPooling2D", "mp", pool_size=[2, 2], strides=[2, 2], padding="valid",
                    data_format="channels_last"),
              layer("AveragePooling2D", "ap", pool_size=[2, 2], strides=[1, 1], padding="same",
                    data_format="channels_last"),
              layer("Flatten", "f"),
              layer("Dense", "d", units=4, activation="linear", use_bias=True)]
    config = functional("pooling", layers, "img", "d", cls="Model")
    names = [entry["config"]["name"] for entry in layers]
    save(f"{out}/maxpool.h5", config, w, names)
    x = rng.uniform(0, 1, size=(BATCH, 7, 7, 1))
    h = activation(conv2d(x, w["c"][0][1], w["c"][1][1], 1, "valid"), "relu")
    h = avgpool(h, 2, 2, "valid")
    h = avgpool(h, 2, 1, "same").reshape(BATCH, -1)
    y = h @ f64(w["d"][0][1]) + w["d"][1][1]
    write_io(out, "maxpool", x.reshape(BATCH, -1), y)


def folded(out):
    """Dense → BatchNormalization → relu → Dense: with inference_only the
    normalisation folds into the first Dense."""
    w = {"d1": [("kernel", glorot(8, 6)), ("bias", small(6))],
         "bn": [("gamma", rng.uniform(0.5, 1.5, 6).astype(np.float32)), ("beta", small(6)),
                ("moving_mean", small(6)), ("moving_variance", rng.uniform(0.5, 2, 6).astype(np.float32))],
         "d2": [("kernel", glorot(6, 2)), ("bias", small(2))]}
    layers = [layer("InputLayer", "x", batch_input_shape=[None, 8]),
              layer("Dense", "d1", units=6, activation="linear", use_bias=True),
              layer("BatchNormalization", "bn", axis=-1, epsilon=0.01),
              layer("Activation", "a", activation="relu"),
              layer("Dropout", "drop", rate=0.5),
              layer("Dense", "d2", units=2, activation="linear", use_bias=True)]
    config = functional("folded", layers, "x", "d2")
    names = [entry["config"]["name"] for entry in layers]
    save(f"{out}/folded.h5", config, w, names)
    x = rng.uniform(-1, 1, size=(BATCH, 8))
    h = x @ f64(w["d1"][0][1]) + w["d1"][1][1]
    g, b, m, v = (f64(a) for _, a in w["bn"])
    h = activation(g * (h - m) / np.sqrt(v + np.float32(0.01)) + b, "relu")
    y = h @ f64(w["d2"][0][1]) + w["d2"][1][1]
    write_io(out, "folded", x, y)


def branched(out):
    """A functional model in Keras 3's config format (inbound nodes as
    keras tensors, InputLayer's batch_shape, one output as a bare
    [name, 0, 0]... here two outputs) that branches: x → a (relu) → b, and
    a → c (sigmoid)."""
    w = {"a": [("kernel", glorot(5, 7)), ("bias", small(7))],
         "b": [("kernel", glorot(7, 3)), ("bias", small(3))],
         "c": [("kernel", glorot(7, 2)), ("bias", small(2))]}

    def tensor(name):
        return {"class_name": "__keras_tensor__", "config": {"shape": [None], "dtype": "float32",
                                                              "keras_history": [name, 0, 0]}}

    def entry(cls, name, inbound, **config):
        e = layer(cls, name, **config)
        e["module"] = "keras.layers"
        e["name"] = name
        e["inbound_nodes"] = [] if inbound is None else [{"args": [tensor(inbound)], "kwargs": {}}]
        return e

    layers = [entry("InputLayer", "x", None, batch_shape=[None, 5], sparse=False),
              entry("Dense", "a", "x", units=7, activation="relu", use_bias=True),
              entry("Dense", "b", "a", units=3, activation="linear", use_bias=True),
              entry("Dense", "c", "a", units=2, activation="sigmoid", use_bias=True)]
    config = {"module": "keras", "class_name": "Functional",
              "config": {"name": "branched", "layers": layers, "input_layers": [["x", 0, 0]],
                         "output_layers": [["b", 0, 0], ["c", 0, 0]]}}
    save(f"{out}/branched.h5", config, w, ["x", "a", "b", "c"])
    # Merging two branches is refused.
    merged = json.loads(json.dumps(config))
    merged["config"]["layers"].append(
        {"class_name": "Add", "name": "add", "config": {"name": "add"},
         "inbound_nodes": [[["b", 0, 0, {}], ["c", 0, 0, {}]]]})
    save(f"{out}/merge.h5", merged, w, ["x", "a", "b", "c"])
    x = rng.uniform(-1, 1, size=(BATCH, 5))
    h = activation(x @ f64(w["a"][0][1]) + w["a"][1][1], "relu")
    yb = h @ f64(w["b"][0][1]) + w["b"][1][1]
    yc = activation(h @ f64(w["c"][0][1]) + w["c"][1][1], "sigmoid")
    write_io(out, "branched", x, np.concatenate([yb, yc], axis=1))


def keras3(out):
    """A Keras 3 .keras archive, as keras/src/saving/saving_lib.py writes
    it: a zip of metadata.json, config.json and model.weights.h5, whose
    variables sit at layers/<class in snake_case>[_<k>]/vars/<i>."""
    import io
    import zipfile

    w = {"c": [glorot(3, 3, 1, 4), small(4)],
         "bn": [rng.uniform(0.5, 1.5, 4).astype(np.float32), small(4), small(4),
                rng.uniform(0.5, 2, 4).astype(np.float32)],
         "d1": [glorot(36, 6), small(6)],
         "d2": [glorot(6, 3), small(3)]}

    def entry(cls, name, **config):
        config["name"] = name
        config["dtype"] = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}}
        return {"module": "keras.layers", "class_name": cls, "config": config, "registered_name": None}

    layers = [entry("InputLayer", "input_layer", batch_shape=[None, 6, 6, 1], sparse=False),
              entry("Conv2D", "conv2d", filters=4, kernel_size=[3, 3], strides=[1, 1], padding="same",
                    data_format="channels_last", dilation_rate=[1, 1], groups=1, activation="relu", use_bias=True),
              entry("BatchNormalization", "batch_normalization", axis=-1, momentum=0.99, epsilon=0.001,
                    center=True, scale=True),
              entry("AveragePooling2D", "average_pooling2d", pool_size=[2, 2], strides=[2, 2], padding="valid",
                    data_format="channels_last"),
              entry("Flatten", "flatten", data_format="channels_last"),
              entry("Dense", "dense", units=6, activation="tanh", use_bias=True),
              entry("Dense", "dense_1", units=3, activation="softmax", use_bias=True)]
    config = {"module": "keras", "class_name": "Sequential",
              "config": {"name": "sequential", "trainable": True, "layers": layers}, "registered_name": None}
    h5 = io.BytesIO()
    with h5py.File(h5, "w") as f:
        f.create_group("vars")
        for group, values in (("conv2d", w["c"]), ("batch_normalization", w["bn"]),
                              ("average_pooling2d", []), ("flatten", []),
                              ("dense", w["d1"]), ("dense_1", w["d2"])):
            g = f.create_group(f"layers/{group}/vars")
            for i, v in enumerate(values):
                g[str(i)] = v
    with zipfile.ZipFile(f"{out}/keras3.keras", "w") as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": "3.3.3"}))
        zf.writestr("config.json", json.dumps(config))
        zf.writestr("model.weights.h5", h5.getvalue())
    with zipfile.ZipFile(f"{out}/keras3-no-weights.keras", "w") as zf:
        zf.writestr("config.json", json.dumps(config))
    data = open(f"{out}/keras3.keras", "rb").read()
    open(f"{out}/keras3-truncated.keras", "wb").write(data[:len(data) // 2])
    x = rng.uniform(0, 1, size=(BATCH, 6, 6, 1))
    h = activation(conv2d(x, w["c"][0], w["c"][1], 1, "same"), "relu")
    g, b, m, v = (f64(a) for a in w["bn"])
    h = g * (h - m) / np.sqrt(v + np.float32(0.001)) + b
    h = avgpool(h, 2, 2, "valid").reshape(BATCH, -1)
    h = activation(h @ f64(w["d1"][0]) + w["d1"][1], "tanh")
    y = activation(h @ f64(w["d2"][0]) + w["d2"][1], "softmax")
    write_io(out, "keras3", x.reshape(BATCH, -1), y)


def strided(out):
    """Strides and a kernel that differ by axis: Conv2D 3 × 2 with
    strides (2, 1), "same", then AveragePooling2D 2 × 2 with strides
    (1, 3), "same"; and the bad strides the converter refuses."""
    w = {"c": [("kernel", glorot(3, 2, 2, 3)), ("bias", small(3))],
         "d": [("kernel", glorot(45, 4)), ("bias", small(4))]}
    layers = [layer("InputLayer", "img", batch_input_shape=[None, 9, 8, 2]),
              layer("Conv2D", "c", filters=3, kernel_size=[3, 2], strides=[2, 1], padding="same",
                    data_format="channels_last", dilation_rate=[1, 1], groups=1, activation="relu",
                    use_bias=True),
              layer("AveragePooling2D", "ap", pool_size=[2, 2], strides=[1, 3], padding="same",
                    data_format="channels_last"),
              layer("Flatten", "f"),
              layer("Dense", "d", units=4, activation="linear", use_bias=True)]
    config = functional("strided", layers, "img", "d", cls="Model")
    names = [entry["config"]["name"] for entry in layers]
    save(f"{out}/strided.h5", config, w, names)
    x = rng.uniform(-1, 1, size=(BATCH, 9, 8, 2))
    h = activation(conv2d(x, w["c"][0][1], w["c"][1][1], (2, 1), "same"), "relu")
    h = avgpool(h, 2, (1, 3), "same").reshape(BATCH, -1)
    y = h @ f64(w["d"][0][1]) + w["d"][1][1]
    write_io(out, "strided", x.reshape(BATCH, -1), y)
    for name, strides in (("strides-three", [2, 1, 1]), ("strides-zero", [0, 1]),
                          ("strides-large", [1, 5000])):
        bad = json.loads(json.dumps(config))
        bad["config"]["layers"][1]["config"]["strides"] = strides
        save(f"{out}/{name}.h5", bad, w, names)


if __name__ == "__main__":
    target = sys.argv[1]
    mlp(target)
    cnn(target)
    pooling(target)
    folded(target)
    branched(target)
    keras3(target)
    strided(target)
