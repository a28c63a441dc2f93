#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The tutorial's autoencoder trained three ways in one sitting, one epoch
each, one thread each: spikeworks.Simulator.fit from Python, the same
training by `spikeworks-cli fit --example autoencoder`, and (--torch) the
same training in PyTorch.  Fashion-MNIST's training images (Debian's
dataset-fashion-mnist), minibatch 50, RMSprop(1e-3), MSE on raw pixels.

Printed: each one's CPU seconds (one thread each, so CPU time is the
work done whatever the machine's load; wall clock on a shared machine
mostly measures waiting) and images per second: the Python fit call
whole (network export, data copy, trainer, the epoch, the trained values
put back), the command line's process whole (it also reads the IDX
files, evaluates the test split and writes the session, so its figure is
an upper bound of the same training), PyTorch's epoch loop only.
The Python layer's cost is the fit call's CPU time minus that of the
engine's fit inside it (the trainer made, the epoch, the trained plan
built — what the command line does too), against the command line's
whole run and against that engine fit alone (the stricter figure: the
command line's run is mostly reading the IDX files).

Usage: tools/bench-python-fit.py [--cli build/app/spikeworks-cli]
           [--torch] [--n 60000] [--repeat 2]
Run with PYTHONPATH=build/python and OPENBLAS_NUM_THREADS=1.
"""

import argparse
import gzip
import os
import re
import resource
import struct
import subprocess
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
    """CPU seconds of the fit call, of the engine's part of it (the
    trainer made, the epoch, the trained plan built: what the command line
    does too) and the epoch's loss."""
    import nengo  # pylint: disable=import-outside-toplevel
    import spikeworks  # pylint: disable=import-outside-toplevel
    from spikeworks import dl_train  # pylint: disable=import-outside-toplevel

    engine_cpu = []
    plain_init = dl_train.EngineNetwork.__init__

    class TimedModel:
        def __init__(self, model):
            self.model = model

        def __getattr__(self, name):
            return getattr(self.model, name)

        def fit(self, *args):
            start = time.process_time()
            out = self.model.fit(*args)
            engine_cpu.append(time.process_time() - start)
            return out

    def timed_init(self, *args):
        plain_init(self, *args)
        self.model = TimedModel(self.model)

    dl_train.EngineNetwork.__init__ = timed_init

    limit1, limit2 = np.sqrt(6 / (784 + 64)), np.sqrt(6 / (64 + 784))
    with nengo.Network(seed=0) as net:
        a = nengo.Node(np.zeros(784))
        b = nengo.Ensemble(64, 1, neuron_type=nengo.RectifiedLinear())
        nengo.Connection(a, b.neurons, transform=nengo.dists.Uniform(-limit1, limit1))
        c = nengo.Ensemble(784, 1, neuron_type=nengo.RectifiedLinear())
        nengo.Connection(b.neurons, c.neurons, transform=nengo.dists.Uniform(-limit2, limit2))
        nengo.Probe(c.neurons)
    for ens in net.all_ensembles:
        ens.gain = nengo.dists.Choice([1])
        ens.bias = nengo.dists.Choice([0])
    for conn in net.all_connections:
        conn.synapse = None
    with spikeworks.Simulator(net, minibatch_size=50, progress_bar=False) as sim:
        sim.compile(optimizer=spikeworks.optimizers.RMSprop(1e-3), loss=spikeworks.losses.mse)
        start = time.process_time()
        history = sim.fit(x, x, epochs=1, verbose=0)
        cpu = time.process_time() - start
    dl_train.EngineNetwork.__init__ = plain_init
    return cpu, sum(engine_cpu), history.history["loss"][0]


def child_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_fit(cli, n):
    start = child_cpu()
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [cli, "fit", "--example", "autoencoder", "--data", "fashion-mnist", "--n", str(n),
             "--epochs", "1", "--batch", "50", "--optimizer", "rmsprop", "--lr", "0.001",
             "--out", os.path.join(tmp, "t.spkw")],
            capture_output=True, text=True, check=True,
        ).stdout
    m = re.search(r"- ([0-9.]+)s - loss: (\S+)", out)
    return child_cpu() - start, float(m.group(2))


def torch_fit(x):
    """The same training in PyTorch (Debian's python3-torch), one thread:
    784-64-784 ReLU, Glorot-uniform weights, zero biases, MSE, RMSprop
    with Keras's rho and epsilon, minibatch 50, shuffled; CPU time of the
    epoch's loop."""
    import torch  # pylint: disable=import-outside-toplevel

    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 64), torch.nn.ReLU(),
                                torch.nn.Linear(64, 784), torch.nn.ReLU())
    for m in model:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    loss_fn = torch.nn.MSELoss()
    data = torch.from_numpy(x[:, 0, :])[torch.randperm(len(x))].contiguous()
    start = time.process_time()
    total = 0.0
    for i in range(0, len(data), 50):
        xb = data[i:i + 50]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), xb)
        loss.backward()
        opt.step()
        total += loss.item()
    return time.process_time() - start, total / (len(data) // 50)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/app/spikeworks-cli")
    ap.add_argument("--torch", action="store_true", help="also train with PyTorch")
    ap.add_argument("--n", type=int, default=60000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    x = load_images(args.n)
    print(f"# load average {os.getloadavg()[0]:.1f}; {args.n} images, 1 epoch, best of {args.repeat}")
    py, engine, cli, torch = [], [], [], []
    for _ in range(args.repeat):
        s, e, py_loss = python_fit(x)
        py.append(s)
        engine.append(e)
        s, cli_loss = cli_fit(args.cli, args.n)
        cli.append(s)
        if args.torch:
            s, torch_loss = torch_fit(x)
            torch.append(s)
    n = args.n
    print(f"python fit call  {min(py):6.2f} s CPU  {n / min(py):8.0f} img/s  (epoch loss {py_loss:.1f})")
    print(f"spikeworks-cli   {min(cli):6.2f} s CPU  {n / min(cli):8.0f} img/s  (epoch loss {cli_loss:.1f})")
    if torch:
        print(f"pytorch          {min(torch):6.2f} s CPU  {n / min(torch):8.0f} img/s  (epoch loss {torch_loss:.1f})")
    layer = min(p - e for p, e in zip(py, engine))
    print(f"python layer (fit call minus the engine's fit): {layer:.2f} s CPU, "
          f"{100 * layer / min(cli):.1f} % of the command line's")
    print(f"python layer against the engine's own fit inside the call (the training alone): "
          f"{100 * layer / min(engine):.1f} %")
    print(f"python / cli: {min(py) / min(cli):.3f}")
    if torch:
        print(f"python / pytorch: {min(py) / min(torch):.3f}")
    print(f"# load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
