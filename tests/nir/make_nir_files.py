# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the small NIR files tests/test-nir.c reads, with h5py in the layout
the reference `nir` package writes (nir/serialization.py): good graphs, and
bad ones each broken in one way the converter must name.

Usage: make_nir_files.py OUT_DIR
"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "vendor", "nir"))

import nir  # noqa: E402

if not hasattr(nir, "version"):
    # The vendored copy is not installed, so it has no package metadata.
    nir.version = "1.0.7"


def write_node(group, node):
    group.create_dataset("type", data=node["type"])
    for key, value in node.items():
        if key == "type":
            continue
        if key == "nodes":
            nodes = group.create_group("nodes")
            for name, child in value.items():
                write_node(nodes.create_group(name), child)
        elif key == "edges":
            group.create_dataset("edges", data=np.array(value, dtype=object).reshape(-1, 2),
                                 dtype=h5py.string_dtype())
        else:
            group.create_dataset(key, data=value)


def write(path, nodes, edges):
    with h5py.File(path, "w") as f:
        f.create_dataset("version", data="1.0.7")
        write_node(f.create_group("node"), {"type": "NIRGraph", "nodes": nodes, "edges": edges})


def lif(n, **extra):
    node = {"type": "LIF", "tau": np.full(n, 0.01), "r": np.ones(n), "v_leak": np.zeros(n),
            "v_threshold": np.ones(n), "v_reset": np.zeros(n)}
    node.update(extra)
    return node


def conv2d(x, w, bias, stride, padding, dilation, groups):
    """PyTorch's Conv2d of one C × H × W image (padding: two numbers or 'same')."""
    f, cg, kh, kw = w.shape
    (sh, sw), (dh, dw) = stride, dilation
    c, h, wd = x.shape
    if isinstance(padding, str):
        th, tw = dh * (kh - 1), dw * (kw - 1)
        xp = np.zeros((c, h + th, wd + tw))
        xp[:, th // 2:th // 2 + h, tw // 2:tw // 2 + wd] = x
        oh, ow = h, wd
    else:
        ph, pw = padding
        xp = np.zeros((c, h + 2 * ph, wd + 2 * pw))
        xp[:, ph:ph + h, pw:pw + wd] = x
        oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
        ow = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((f, oh, ow))
    for fo in range(f):
        g = fo // (f // groups)
        for r in range(oh):
            for q in range(ow):
                patch = xp[g * cg:(g + 1) * cg, r * sh:r * sh + dh * (kh - 1) + 1:dh,
                           q * sw:q * sw + dw * (kw - 1) + 1:dw]
                y[fo, r, q] = np.sum(patch * w[fo])
    return y + (0 if bias is None else bias[:, None, None])


def layer_case(out, name, shape, node, apply, rng, steps=3):
    """A graph Input -> node -> Output, with seeded inputs and the outputs
    numpy computes (name.in.f64, name.out.f64: steps × size)."""
    x = rng.normal(size=(steps,) + tuple(shape))
    y = np.array([apply(x[t]) for t in range(steps)])
    write(os.path.join(out, name + ".nir"),
          {"input": {"type": "Input", "shape": np.array(shape)}, "x": node,
           "output": {"type": "Output", "shape": np.array(y.shape[1:])}},
          [("input", "x"), ("x", "output")])
    x.astype(np.float64).tofile(os.path.join(out, name + ".in.f64"))
    y.astype(np.float64).tofile(os.path.join(out, name + ".out.f64"))


def layer_cases(out, rng):
    w = rng.normal(size=(3, 2, 3, 2))
    b = rng.normal(size=3)
    layer_case(out, "conv2d", (2, 7, 6),
               {"type": "Conv2d", "weight": w, "bias": b, "stride": np.array([2, 1]),
                "padding": np.array([1, 0]), "dilation": np.array([1, 2]), "groups": 1,
                "input_shape": np.array([7, 6])},
               lambda x: conv2d(x, w, b, (2, 1), (1, 0), (1, 2), 1), rng)
    wg = rng.normal(size=(4, 2, 3, 3))
    bg = rng.normal(size=4)
    layer_case(out, "conv2d-same", (4, 5, 5),
               {"type": "Conv2d", "weight": wg, "bias": bg, "stride": 1, "padding": "same",
                "dilation": 1, "groups": 2, "input_shape": np.array([5, 5])},
               lambda x: conv2d(x, wg, bg, (1, 1), "same", (1, 1), 2), rng)
    w1 = rng.normal(size=(3, 2, 3))
    b1 = rng.normal(size=3)
    layer_case(out, "conv1d", (2, 9),
               {"type": "Conv1d", "weight": w1, "bias": b1, "stride": 2, "padding": 1, "dilation": 1,
                "groups": 1, "input_shape": 9},
               lambda x: conv2d(x[:, :, None], w1[..., None], b1, (2, 1), (1, 0), (1, 1), 1)[:, :, 0], rng)
    ones = np.ones((3, 1, 2, 3))
    layer_case(out, "sumpool", (3, 6, 5),
               {"type": "SumPool2d", "kernel_size": np.array([2, 3]), "stride": np.array([2, 1]),
                "padding": np.array([1, 0])},
               lambda x: conv2d(x, ones, None, (2, 1), (1, 0), (1, 1), 3), rng)
    quarter = np.full((3, 1, 2, 2), 0.25)
    layer_case(out, "avgpool", (3, 6, 6),
               {"type": "AvgPool2d", "kernel_size": np.array([2, 2]), "stride": np.array([2, 2]),
                "padding": np.array([0, 0])},
               lambda x: conv2d(x, quarter, None, (2, 2), (0, 0), (1, 1), 3), rng)
    # Bad ones: a kernel larger than the input, a padding word NIR does not have.
    write(os.path.join(out, "conv-large.nir"),
          {"input": {"type": "Input", "shape": np.array([2, 3, 3])},
           "x": {"type": "Conv2d", "weight": np.ones((1, 2, 5, 5)), "bias": np.zeros(1), "stride": 1,
                 "padding": 0, "dilation": 1, "groups": 1, "input_shape": np.array([3, 3])},
           "output": {"type": "Output", "shape": np.array([1])}},
          [("input", "x"), ("x", "output")])
    write(os.path.join(out, "conv-padding.nir"),
          {"input": {"type": "Input", "shape": np.array([2, 3, 3])},
           "x": {"type": "Conv2d", "weight": np.ones((1, 2, 3, 3)), "bias": np.zeros(1), "stride": 1,
                 "padding": "full", "dilation": 1, "groups": 1, "input_shape": np.array([3, 3])},
           "output": {"type": "Output", "shape": np.array([1])}},
          [("input", "x"), ("x", "output")])
    write(os.path.join(out, "pool-flat.nir"),
          {"input": {"type": "Input", "shape": np.array([12])},
           "x": {"type": "SumPool2d", "kernel_size": np.array([2, 2]), "stride": np.array([2, 2]),
                 "padding": np.array([0, 0])},
           "output": {"type": "Output", "shape": np.array([3])}},
          [("input", "x"), ("x", "output")])


def nested_cases(out, rng):
    """A two-level nested graph written by the reference package, and the
    same network flattened by hand: the converter must run both alike.
    input(3) -> fc -> layer1 {in -> lif (recurrent through rec) -> inner
    {in -> w -> lif2 (two time constants) -> out} -> out} -> output."""
    def lif_nir(n, tau):
        return nir.LIF(tau=np.asarray(tau, float), r=np.full(n, 2.0), v_leak=np.full(n, 0.1),
                       v_threshold=np.ones(n), v_reset=np.zeros(n))

    fc = nir.Affine(weight=rng.normal(size=(4, 3)) * 3, bias=rng.normal(size=4))
    lif1 = lif_nir(4, np.full(4, 0.02))
    rec = nir.Linear(weight=rng.normal(size=(4, 4)))
    w = nir.Linear(weight=np.abs(rng.normal(size=(2, 4))) * 4)
    lif2 = lif_nir(2, [0.01, 0.03])
    inner = nir.NIRGraph(nodes={"in": nir.Input(input_type=np.array([4])), "w": w, "lif2": lif2,
                                "out": nir.Output(output_type=np.array([2]))},
                         edges=[("in", "w"), ("w", "lif2"), ("lif2", "out")], type_check=False)
    layer1 = nir.NIRGraph(nodes={"in": nir.Input(input_type=np.array([4])), "lif": lif1, "rec": rec,
                                 "inner": inner, "out": nir.Output(output_type=np.array([2]))},
                          edges=[("in", "lif"), ("lif", "rec"), ("rec", "lif"), ("lif", "inner"),
                                 ("inner", "out")], type_check=False)
    top = nir.NIRGraph(nodes={"input": nir.Input(input_type=np.array([3])), "fc": fc, "layer1": layer1,
                              "output": nir.Output(output_type=np.array([2]))},
                       edges=[("input", "fc"), ("fc", "layer1"), ("layer1", "output")], type_check=False)
    nir.write(os.path.join(out, "nested2.nir"), top)
    flat = nir.NIRGraph(nodes={"input": nir.Input(input_type=np.array([3])), "fc": fc, "lif": lif1, "rec": rec,
                               "w": w, "lif2": lif2, "output": nir.Output(output_type=np.array([2]))},
                        edges=[("input", "fc"), ("fc", "lif"), ("lif", "rec"), ("rec", "lif"), ("lif", "w"),
                               ("w", "lif2"), ("lif2", "output")], type_check=False)
    nir.write(os.path.join(out, "flat2.nir"), flat)
    # Graphs nested one deeper than the reader takes.
    node = {"type": "NIRGraph", "nodes": {"in": {"type": "Input", "shape": np.array([2])},
                                          "out": {"type": "Output", "shape": np.array([2])}},
            "edges": [("in", "out")]}
    for depth in range(9):
        node = {"type": "NIRGraph", "nodes": {"in": {"type": "Input", "shape": np.array([2])}, "g": node,
                                              "out": {"type": "Output", "shape": np.array([2])}},
                "edges": [("in", "g"), ("g", "out")]}
    write(os.path.join(out, "deep.nir"),
          {"input": {"type": "Input", "shape": np.array([2])}, "g": node,
           "output": {"type": "Output", "shape": np.array([2])}},
          [("input", "g"), ("g", "output")])
    # 200 neurons, every one with a time constant of its own.
    taus = np.linspace(0.005, 0.05, 200)
    write(os.path.join(out, "taus200.nir"),
          {"input": {"type": "Input", "shape": np.array([200])},
           "x": lif(200, tau=taus, v_reset=np.zeros(200)),
           "output": {"type": "Output", "shape": np.array([200])}},
          [("input", "x"), ("x", "output")])


def main(out):
    rng = np.random.default_rng(5)
    inp = {"type": "Input", "shape": np.array([3])}
    out_node = {"type": "Output", "shape": np.array([2])}
    w = rng.normal(size=(2, 3)).astype(np.float32)
    good = {"input": inp, "fc": {"type": "Affine", "weight": w, "bias": np.zeros(2, np.float32)},
            "lif": lif(2), "output": out_node}
    edges = [("input", "fc"), ("fc", "lif"), ("lif", "output")]
    write(os.path.join(out, "good.nir"), good, edges)

    bad = dict(good, fc={"type": "Convolution3d", "weight": w})
    write(os.path.join(out, "unknown-node.nir"), bad, edges)
    no_tau = lif(2)
    del no_tau["tau"]
    write(os.path.join(out, "missing-param.nir"), dict(good, lif=no_tau), edges)
    write(os.path.join(out, "shapes.nir"), dict(good, lif=lif(5)), edges)
    # A cycle of two linear maps with no neuron in it.
    loop = dict(good, scale={"type": "Scale", "scale": np.ones(2)})
    write(os.path.join(out, "cycle.nir"), loop,
          edges + [("fc", "scale"), ("scale", "fc")])
    write(os.path.join(out, "bad-edge.nir"), good, edges + [("lif", "nowhere")])
    # A recurrent LIF: its cycle holds a neuron, and the edge back waits a step.
    rec = dict(good, rec={"type": "Linear", "weight": np.eye(2, dtype=np.float32)})
    write(os.path.join(out, "recurrent.nir"), rec, edges + [("lif", "rec"), ("rec", "lif")])
    # The same network with the LIF inside a nested graph.
    inner = {"type": "NIRGraph",
             "nodes": {"in": {"type": "Input", "shape": np.array([2])}, "lif": lif(2),
                       "out": {"type": "Output", "shape": np.array([2])}},
             "edges": [("in", "lif"), ("lif", "out")]}
    write(os.path.join(out, "nested.nir"), dict(good, lif=inner), edges)
    # One graph per node type: Input(3) -> node -> Output, with different
    # time constants per element (groups of equal ones).
    n3 = np.array([3])
    kinds = {
        "li": {"type": "LI", "tau": np.array([0.01, 0.02, 0.01]), "r": np.array([1.0, 2.0, 0.5]),
               "v_leak": np.array([0.0, 0.1, -0.2])},
        "cubali": {"type": "CubaLI", "tau_mem": np.array([0.01, 0.02, 0.01]),
                   "tau_syn": np.array([0.005, 0.005, 0.002]), "r": np.array([1.0, 2.0, 0.5]),
                   "v_leak": np.array([0.0, 0.1, -0.2]), "w_in": np.array([1.0, 0.5, 2.0])},
        "if": {"type": "IF", "r": np.array([1.0, 2.0, 0.5]), "v_threshold": np.array([1.0, 1.5, 0.4]),
               "v_reset": np.array([0.0, -0.5, 0.0])},
        "i": {"type": "I", "r": np.array([1.0, 2.0, 0.5])},
        "threshold": {"type": "Threshold", "threshold": np.array([0.5, -0.25, 1.0])},
        "delay": {"type": "Delay", "delay": np.array([0.0, 0.001, 0.003])},
        "delay-long": {"type": "Delay", "delay": np.array([0.02, 0.001, 0.017])},
        "lifs": lif(3, tau=np.array([0.01, 0.02, 0.01]), v_reset=np.array([0.0, -0.5, 0.0])),
        "cubalifs": {"type": "CubaLIF", "tau_mem": np.array([0.01, 0.02, 0.01]),
                     "tau_syn": np.array([0.005, 0.005, 0.002]), "r": np.array([1.0, 2.0, 0.5]),
                     "v_leak": np.array([0.0, 0.1, -0.2]), "v_threshold": np.array([1.0, 1.0, 0.5]),
                     "v_reset": np.zeros(3), "w_in": np.array([1.0, 0.5, 2.0])},
    }
    for name, node in kinds.items():
        write(os.path.join(out, "node-%s.nir" % name),
              {"input": {"type": "Input", "shape": n3}, "x": node, "output": {"type": "Output", "shape": n3}},
              [("input", "x"), ("x", "output")])
    # Numeric names, as the frameworks write them.
    write(os.path.join(out, "numbered.nir"),
          {"input": inp, "0": good["fc"], "1": lif(2), "output": out_node},
          [("input", "0"), ("0", "1"), ("1", "output")])
    # Bad parameters of the new nodes.
    bad_delay = {"type": "Delay", "delay": np.array([0.00015, 0.001, 0.001])}
    long_delay = {"type": "Delay", "delay": np.array([0.0513, 0.001, 0.001])}
    for name, node, size in (("bad-delay", bad_delay, 3), ("long-delay", long_delay, 3),
                             ("bad-if", {"type": "IF", "r": np.ones(3), "v_threshold": np.zeros(3),
                                         "v_reset": np.zeros(3)}, 3),
                             ("bad-li", {"type": "LI", "tau": np.array([0.01, -1, 0.01]), "r": np.ones(3),
                                         "v_leak": np.zeros(3)}, 3),
                             ("bad-threshold", {"type": "Threshold", "limit": np.ones(4)}, 4)):
        write(os.path.join(out, name + ".nir"),
              {"input": {"type": "Input", "shape": np.array([size])}, "x": node,
               "output": {"type": "Output", "shape": np.array([size])}},
              [("input", "x"), ("x", "output")])
    # A file whose group of nodes cannot be read: its B-tree's signature
    # is broken.
    with open(os.path.join(out, "good.nir"), "rb") as f:
        data = bytearray(f.read())
    at = data.find(b"TREE")
    data[at:at + 4] = b"XXXX"
    with open(os.path.join(out, "damaged-group.nir"), "wb") as f:
        f.write(data)
    layer_cases(out, np.random.default_rng(11))
    nested_cases(out, np.random.default_rng(12))
    with open(os.path.join(out, "not-hdf5.nir"), "w") as f:
        f.write("not HDF5\n")
    with h5py.File(os.path.join(out, "not-nir.nir"), "w") as f:
        f.create_dataset("x", data=np.zeros(3))


if __name__ == "__main__":
    main(sys.argv[1])
