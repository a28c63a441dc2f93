# SPDX-License-Identifier: GPL-3.0-or-later
"""Task 3 of the NIR paper: runs a braille network through the paper's
reference CubaLIF equations (vendor/nir/paper/nir_reference_impl.py, forward
Euler) on the input tests/test-nir.c generated, and compares the spikes of
both layers with what the converted Spikeworks network produced.

NIR resets a spiking neuron to v_reset; the reference code subtracts the
threshold (snnTorch's choice for one of the two models, which a NIR file
cannot say), so its voltage is set to v_reset after each spike here.

Usage: reference_braille.py GRAPH.nir STEPS INPUT.f64 LIF1.f64 LIF2.f64
(raw float64, steps × size, row-major).  Exits 1 on a difference.
"""
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
vendor = os.path.join(here, "..", "..", "vendor", "nir")
sys.path[:0] = [vendor, os.path.join(vendor, "paper")]

import nir  # noqa: E402
from nir_reference_impl import CubaLIFImplementation  # noqa: E402

DT = 1e-4


class NirReset(CubaLIFImplementation):
    """The reference update, reset to v_reset as NIR defines it."""

    def forward(self, x):
        z, v, current = super().forward(x)
        self.v = np.where(z, self.node.v_reset, self.v)
        return z, self.v, current


def main(path, steps, input_path, lif1_path, lif2_path):
    graph = nir.read(path)
    nodes = graph.nodes
    steps = int(steps)
    x = np.fromfile(input_path).reshape(steps, -1)
    got1 = np.fromfile(lif1_path).reshape(steps, -1)
    got2 = np.fromfile(lif2_path).reshape(steps, -1)

    def affine(node, value):
        out = node.weight @ value
        return out + node.bias if hasattr(node, "bias") else out

    lif1 = NirReset(DT, nodes["lif1.lif"])
    lif2 = NirReset(DT, nodes["lif2"])
    z1 = np.zeros_like(nodes["lif1.lif"].v_threshold)
    want1, want2 = [], []
    for t in range(steps):
        # The recurrent edge carries the spikes of the step before.
        z1, _, _ = lif1.forward(affine(nodes["fc1"], x[t]) + affine(nodes["lif1.w_rec"], z1))
        z1 = z1.astype(float)
        z2, _, _ = lif2.forward(affine(nodes["fc2"], z1))
        want1.append(z1)
        want2.append(z2.astype(float))
    want1, want2 = np.array(want1), np.array(want2)
    n1, n2 = int(want1.sum()), int(want2.sum())
    diff1, diff2 = int((want1 != got1).sum()), int((want2 != got2).sum())
    print(f"{os.path.basename(path)}: reference {n1} + {n2} spikes, "
          f"{diff1} + {diff2} (neuron, step) pairs differ")
    if n1 == 0 or diff1 or diff2:
        sys.exit(1)


if __name__ == "__main__":
    main(*sys.argv[1:])
