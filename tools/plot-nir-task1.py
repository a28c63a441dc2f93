#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Draws task 1 of the NIR paper (one LIF neuron, lif_norse.nir) for
docs/nir.md: the voltage of Spikeworks's converted network beside the
paper's exact solution and the platforms whose voltage is in the same units
(Nengo's divided by the threshold, so multiplied back here; Norse's as is),
and below it every platform's spikes.

The Spikeworks trace comes from the test (tests/test-nir.c writes it when
SPK_NIR_TASK1_OUT names a file: per step the voltage v and the spike):

    SPK_NIR_TASK1_OUT=/tmp/task1.csv build/tests/test-nir -p /spk/nir/paper/task1-lif
    /usr/bin/python3 tools/plot-nir-task1.py /tmp/task1.csv docs/nir-task1.svg
"""
import os
import sys

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "nir")
FIRST, LAST = 420, 800   # the steps around the four spikes
PLATFORMS = ["nengo", "norse", "snntorch", "spinnaker2", "lava_cpu_float", "lava_cpu_fixed",
             "lava_loihi_fixed", "rockpool", "sinabs", "spyx"]


def paper(name):
    return np.loadtxt(os.path.join(DATA, "lif_%s.csv" % name), delimiter=",")


def main(ours_path, out_path):
    ours = np.loadtxt(ours_path, delimiter=",")
    exact = paper("exact")
    steps = np.arange(FIRST, LAST)
    plt.rcParams.update({"font.size": 8, "svg.fonttype": "none"})
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 4.2), sharex=True,
                                      gridspec_kw={"height_ratios": [3, 2]})
    top.plot(steps, exact[FIRST:LAST, 1], color="black", lw=2.2, label="exact (paper)")
    top.plot(steps, paper("nengo")[FIRST:LAST, 1] * 0.1, color="tab:orange", lw=1, label="Nengo")
    top.plot(steps, paper("norse")[FIRST:LAST, 1], color="tab:green", lw=1, ls="--", label="Norse")
    top.plot(steps, ours[FIRST:LAST, 0], color="tab:red", lw=1, ls=":", label="Spikeworks")
    top.axhline(0.1, color="grey", lw=0.5)
    top.set_ylabel("voltage v")
    top.legend(loc="upper left", frameon=False, ncol=4)
    rows = [("exact", exact[:, 2]), ("Spikeworks", ours[:, 1])]
    rows += [(p.replace("_", " "), paper(p)[:, 2]) for p in PLATFORMS]
    for i, (name, spikes) in enumerate(rows):
        at = np.flatnonzero(spikes[FIRST:LAST] != 0) + FIRST
        bottom.scatter(at, np.full(at.shape, -i), marker="|", s=60,
                       color="tab:red" if name == "Spikeworks" else "black")
    bottom.set_yticks([-i for i in range(len(rows))])
    bottom.set_yticklabels([name for name, _ in rows])
    bottom.set_xlabel("step (0.1 ms)")
    bottom.set_xlim(FIRST, LAST)
    fig.tight_layout()
    fig.savefig(out_path, metadata={"Date": None})
    if out_path.endswith(".svg"):
        with open(out_path) as f:
            lines = f.read().split("\n", 1)
        with open(out_path, "w") as f:
            f.write(lines[0] + "\n<!-- SPDX-License-Identifier: GPL-3.0-or-later -->\n" + lines[1])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
