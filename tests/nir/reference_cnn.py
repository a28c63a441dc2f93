# SPDX-License-Identifier: GPL-3.0-or-later
"""Task 2 of the NIR paper: runs the Sinabs CNN (cnn_sinabs.nir: Conv2d, IF,
SumPool2d, Flatten, Affine) through a numpy implementation of the NIR
equations, step by step at dt = 1 (Sinabs's IAF adds its input once per
step: v += R·I, a spike when v > v_threshold, then v = v_reset), on the
event frames tests/test-nir.c generated, and compares every layer with
what the converted Spikeworks network produced.

Usage: reference_cnn.py GRAPH.nir STEPS DIR
DIR holds input.f64 and one <node>.f64 per node (raw float64, steps × size,
the node's NIR shape flattened in C order).  Exits 1 on a difference.
"""
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(here, "..", "..", "vendor", "nir")]

import nir  # noqa: E402

DT = 1.0


def pair(value):
    value = np.atleast_1d(np.asarray(value)).astype(int)
    return (int(value[0]), int(value[-1]))


def conv2d(x, node):
    """PyTorch's Conv2d (cross-correlation) of one C × H × W image."""
    w = np.asarray(node.weight, dtype=np.float64)
    sh, sw = pair(node.stride)
    ph, pw = pair(node.padding)
    dh, dw = pair(node.dilation)
    f, cg, kh, kw = w.shape
    groups = int(node.groups)
    c, h, wd = x.shape
    xp = np.zeros((c, h + 2 * ph, wd + 2 * pw))
    xp[:, ph:ph + h, pw:pw + wd] = x
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((f, oh, ow))
    fg = f // groups
    for fo in range(f):
        g = fo // fg
        for r in range(oh):
            for q in range(ow):
                patch = xp[g * cg:(g + 1) * cg, r * sh:r * sh + dh * (kh - 1) + 1:dh,
                           q * sw:q * sw + dw * (kw - 1) + 1:dw]
                y[fo, r, q] = np.sum(patch * w[fo])
    return y + np.asarray(node.bias, dtype=np.float64)[:, None, None]


def sumpool2d(x, node):
    kh, kw = pair(node.kernel_size)
    sh, sw = pair(node.stride)
    c, h, w = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    y = np.zeros((c, oh, ow))
    for r in range(oh):
        for q in range(ow):
            y[:, r, q] = x[:, r * sh:r * sh + kh, q * sw:q * sw + kw].sum(axis=(1, 2))
    return y


class IF:
    def __init__(self, node):
        self.node = node
        self.v = np.zeros_like(np.asarray(node.v_threshold, dtype=np.float64))

    def __call__(self, x):
        self.v = self.v + DT * np.asarray(self.node.r) * x.reshape(self.v.shape)
        z = self.v > np.asarray(self.node.v_threshold)
        self.v = np.where(z, np.asarray(self.node.v_reset), self.v)
        return z.astype(np.float64)


def order(graph):
    """The nodes from the input along the chain of edges."""
    nxt = {src: dst for src, dst in graph.edges}
    names, at = [], "input"
    while at in nxt:
        at = nxt[at]
        names.append(at)
    return names


def main(path, steps, folder):
    graph = nir.read(path)
    names = [n for n in order(graph) if n != "output"]
    frames = np.fromfile(os.path.join(folder, "input.f64")).reshape(steps, 2, 34, 34)
    state = {n: IF(graph.nodes[n]) for n in names if isinstance(graph.nodes[n], nir.IF)}
    worst = 0.0
    spikes = {}
    for n in names:
        got = np.fromfile(os.path.join(folder, n + ".f64")).reshape(steps, -1)
        spikes[n] = (got, [])
    for t in range(steps):
        x = frames[t]
        for n in names:
            node = graph.nodes[n]
            if isinstance(node, nir.Conv2d):
                x = conv2d(x, node)
            elif isinstance(node, nir.IF):
                x = state[n](x)
            elif isinstance(node, nir.SumPool2d):
                x = sumpool2d(x, node)
            elif isinstance(node, nir.Flatten):
                x = x.reshape(-1)
            elif isinstance(node, nir.Affine):
                x = np.asarray(node.weight, dtype=np.float64) @ x.reshape(-1) + node.bias
            else:
                raise SystemExit("unexpected node %s" % type(node).__name__)
            got = spikes[n][0][t]
            want = x.reshape(-1)
            if got.shape != want.shape:
                raise SystemExit("%s: %d values, expected %d" % (n, got.size, want.size))
            if isinstance(node, nir.IF):
                if not np.array_equal(got, want):
                    bad = np.flatnonzero(got != want)
                    raise SystemExit("%s (IF): step %d: %d neurons differ, first %d" % (n, t, bad.size, bad[0]))
                spikes[n][1].append(int(want.sum()))
            else:
                err = np.max(np.abs(got - want)) / max(1.0, np.max(np.abs(want)))
                worst = max(worst, err)
                if err > 1e-9:
                    raise SystemExit("%s (%s): step %d: relative error %g" % (n, type(node).__name__, t, err))
    counts = ", ".join("%s %d" % (n, sum(c)) for n, (_, c) in spikes.items() if c)
    print("task 2: %d steps, every layer equal (largest relative error %.2g); spikes: %s"
          % (steps, worst, counts))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
