# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the reference decoders of the solver tests (tests/test-nef.c).

The activities are rectified-linear tuning curves of a small ensemble at
fixed evaluation points, so the system is fully given; Nengo 4.1.0's
solvers (numpy's lstsq, scipy's nnls) solve it in float64 and the
decoders are stored in reference.json.  The numbers are committed; the
tests do not need Nengo.  Run from the repository root:

    PYTHONPATH=vendor/nengo python3 tests/data/solvers/make-reference.py
"""
import json
import os

import numpy as np
import nengo.solvers as s

NOISE_SEEDS = 400
HERE = os.path.dirname(os.path.abspath(__file__))


def activities(m, n):
    x = np.linspace(-1, 1, m)
    gain = np.linspace(1.5, 4.0, n)
    bias = np.linspace(-1.0, 1.2, n)
    enc = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    return np.maximum(0, gain * enc * x[:, None] + bias), np.stack([x, x**2], axis=1)


def case(m, n):
    A, Y = activities(m, n)
    out = {"m": m, "n": n, "A": A.tolist(), "Y": Y.tolist()}
    solvers = {
        "Lstsq": s.Lstsq(rcond=0.01),
        "Lstsq-rcond-0.2": s.Lstsq(rcond=0.2),
        "Nnls": s.Nnls(),
        "NnlsL2": s.NnlsL2(reg=0.1),
        "NnlsL2nz": s.NnlsL2nz(reg=0.1),
        "LstsqDrop": s.LstsqDrop(),
        "LstsqDrop-nnls": s.LstsqDrop(drop=0.5, solver1=s.Nnls(), solver2=s.LstsqL2nz(reg=0.05)),
    }
    if m >= n:
        # Without noise these are nengo's unregularised Cholesky solve.
        # (Nengo 4.1.0 cannot run them on a wide system: its Cholesky
        # subsolver asks the integer sigma = 0 for its size.)
        solvers["LstsqNoise-0"] = s.LstsqNoise(noise=0)
        solvers["LstsqMultNoise-0"] = s.LstsqMultNoise(noise=0)
    for name, solver in solvers.items():
        X, _ = solver(A, Y)
        out[name] = np.asarray(X).reshape(n, 2).tolist()
    if m < n:
        return out
    # The noisy solvers are random: the mean and standard deviation of
    # their decoders over many seeds, for a statistical comparison.
    for name, solver in {"LstsqNoise": s.LstsqNoise(noise=0.1),
                         "LstsqMultNoise": s.LstsqMultNoise(noise=0.2)}.items():
        X = np.array([solver(A, Y, rng=np.random.RandomState(seed))[0] for seed in range(NOISE_SEEDS)])
        out[name + "-mean"] = X.mean(axis=0).tolist()
        out[name + "-std"] = X.std(axis=0).tolist()
    return out


if __name__ == "__main__":
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump({"tall": case(40, 7), "wide": case(5, 9)}, f, indent=None, separators=(",", ":"))
        f.write("\n")
