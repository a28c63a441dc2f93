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
    with open(os.path.join(out, "not-hdf5.nir"), "w") as f:
        f.write("not HDF5\n")
    with h5py.File(os.path.join(out, "not-nir.nir"), "w") as f:
        f.create_dataset("x", data=np.zeros(3))


if __name__ == "__main__":
    main(sys.argv[1])
