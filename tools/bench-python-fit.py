#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The tutorial's autoencoder trained three ways in one sitting, one epoch
each, one thread each: spikeworks.Simulator.fit from Python, the same
training by `spikeworks-cli fit --example autoencoder`, and PyTorch (a
script given with --torch, e.g. one that prints its figures as JSON with
"epochs": [{"train_s": …}]).  Fashion-MNIST's training images (Debian's
dataset-fashion-mnist), minibatch 50, RMSprop(1e-3), MSE on raw pixels.

Printed: each one's training seconds for the epoch and images per second,
the Python call's whole time (network export, data copy, trainer, the
epoch), and the Python layer's cost against the command line's epoch.
On a shared machine only the ratios of one sitting mean anything.

Usage: tools/bench-python-fit.py [--cli build/app/spikeworks-cli]
           [--torch SCRIPT.py] [--n 60000] [--repeat 2]
Run with PYTHONPATH=build/python and OPENBLAS_NUM_THREADS=1.
"""

import argparse
import gzip
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np

DATA = "/usr/share/datasets/fashion-mnist"


def load_images(n):
    with gzip.open(os.path.join(DATA, "train-images-idx3-ubyte.gz"), "rb") as f:
        raw = f.read()
    count = struct.unpack(">I", raw[4:8])[0]
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, 784)
    return pixels[:n].astype(np.float32)[:, None, :]


def python_fit(x):
    import nengo  # pylint: disable=import-outside-toplevel
    import spikeworks  # pylint: disable=import-outside-toplevel

    limit1, limit2 = np.sqrt(6 / (784 + 64)), np.sqrt(6 / (64 + 784))
    with nengo.Network(seed=0) as net:
        a = nengo.Node(np.zeros(784))
        b = nengo.Ensemble(64, 1, neuron_type=nengo.RectifiedLinear())
        nengo.Connection(a, b.neurons, transform=nengo.dists.Uniform(-limit1, limit1))
        c = nengo.Ensemble(784, 1, neuron_type=nengo.RectifiedLinear())
        nengo.Connection(b.neurons, c.neurons, transform=nengo.dists.Uniform(-limit2, limit2))
        p = nengo.Probe(c.neurons)
    for ens in net.all_ensembles:
        ens.gain = nengo.dists.Choice([1])
        ens.bias = nengo.dists.Choice([0])
    for conn in net.all_connections:
        conn.synapse = None
    with spikeworks.Simulator(net, minibatch_size=50, progress_bar=False) as sim:
        sim.compile(optimizer=spikeworks.optimizers.RMSprop(1e-3), loss=spikeworks.losses.mse)
        start = time.perf_counter()
        history = sim.fit(x, x, epochs=1, verbose=0)
        whole = time.perf_counter() - start
    return history.seconds[0], whole, history.history["loss"][0]


def cli_fit(cli, n):
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [cli, "fit", "--example", "autoencoder", "--data", "fashion-mnist", "--n", str(n),
             "--epochs", "1", "--batch", "50", "--optimizer", "rmsprop", "--lr", "0.001",
             "--out", os.path.join(tmp, "t.spkw")],
            capture_output=True, text=True, check=True,
        ).stdout
    m = re.search(r"- ([0-9.]+)s - loss: (\S+)", out)
    return float(m.group(1)), float(m.group(2))


def torch_fit(script):
    out = subprocess.run(
        [sys.executable, script, "--epochs", "1", "--threads", "1"],
        capture_output=True, text=True, check=True,
    ).stdout
    epoch = json.loads(out.strip().splitlines()[-1])["epochs"][0]
    return epoch["train_s"], epoch["keras_style_epoch_loss"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/app/spikeworks-cli")
    ap.add_argument("--torch", help="a PyTorch script of the same training")
    ap.add_argument("--n", type=int, default=60000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    x = load_images(args.n)
    print(f"# load average {os.getloadavg()[0]:.1f}; {args.n} images, 1 epoch, best of {args.repeat}")
    py, whole, cli, torch = [], [], [], []
    for _ in range(args.repeat):
        s, w, py_loss = python_fit(x)
        py.append(s)
        whole.append(w)
        s, cli_loss = cli_fit(args.cli, args.n)
        cli.append(s)
        if args.torch:
            s, torch_loss = torch_fit(args.torch)
            torch.append(s)
    n = args.n
    print(f"python fit   epoch {min(py):6.2f} s  {n / min(py):8.0f} img/s  (loss {py_loss:.1f}); "
          f"whole call {min(whole):.2f} s")
    print(f"cli fit      epoch {min(cli):6.2f} s  {n / min(cli):8.0f} img/s  (loss {cli_loss:.1f})")
    if torch:
        print(f"pytorch      epoch {min(torch):6.2f} s  {n / min(torch):8.0f} img/s  (loss {torch_loss:.1f})")
    print(f"python epoch / cli epoch: {min(py) / min(cli):.3f}; "
          f"python whole call / cli epoch: {min(whole) / min(cli):.3f}")
    if torch:
        print(f"python epoch / pytorch epoch: {min(py) / min(torch):.3f}")
    print(f"# load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
