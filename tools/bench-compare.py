#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Spikeworks against its peers in one sitting: for each benchmark,
`spikeworks-cli bench --json NAME`, then the same network on Nengo's
reference simulator (the Nengo source tree the Python backend vendors,
vendor/nengo), one right after the other, and the ratios printed at once,
so that nobody compares figures from different days or loads.  With
Debian's python3-torch installed, dense-relu (minibatch 50) and
fit-autoencoder are also run on PyTorch; without it those peers are
skipped, never downloaded.

Usage: tools/bench-compare.py [--cli build/app/spikeworks-cli]
           [--nengo vendor/nengo] [--json OUT.json] [NAME...]
Default names: every benchmark but big-ens and full-weights (name
big-ens to run it: Nengo builds it for minutes and needs ~8 GB).

Nengo's build time is the wall time of nengo.Simulator(net) (builder,
operator merging, make_step) with its decoder cache off; its run time is
run_steps(n).  Spikeworks' figures are `bench`'s (first build with an
empty decoder cache).  The load average is printed before and after: on a
shared machine only the ratios mean anything.
"""

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DT = 0.001


# ---------------------------------------------------------------- Nengo
# The networks of app/bench/spk-bench-nets.c, built as Nengo networks.

def nengo_networks(nengo, np):
    def rate_vs_spiking():
        with nengo.Network() as net:
            a = nengo.Node(lambda t: np.sin(2 * np.pi * t))
            b_rate = nengo.Ensemble(10, 1, neuron_type=nengo.RectifiedLinear(), seed=2)
            nengo.Connection(a, b_rate)
            b_spike = nengo.Ensemble(10, 1, neuron_type=nengo.SpikingRectifiedLinear(), seed=2)
            nengo.Connection(a, b_spike)
            nengo.Probe(a)
            nengo.Probe(b_rate.neurons)
            nengo.Probe(b_spike.neurons)
        return net, 1000

    def nef_sin_x_squared():
        with nengo.Network(seed=0) as net:
            inpt = nengo.Node(nengo.processes.WhiteSignal(1, 5, rms=0.3))
            ens0 = nengo.Ensemble(50, 1)
            ens1 = nengo.Ensemble(50, 1)
            outpt = nengo.Node(size_in=1)
            nengo.Connection(inpt, ens0)
            nengo.Connection(ens0, ens1, function=np.square)
            nengo.Connection(ens1, outpt, function=np.sin)
            nengo.Probe(inpt)
            nengo.Probe(outpt, synapse=0.005)
        return net, 1000

    def chain(n):
        def build():
            with nengo.Network(seed=0) as net:
                prev = nengo.Node(lambda t: np.sin(2 * np.pi * t))
                for _ in range(n):
                    ens = nengo.Ensemble(50, 1, neuron_type=nengo.LIF())
                    nengo.Connection(prev, ens)
                    prev = ens
                nengo.Probe(prev, synapse=0.01)
            return net, 1000
        return build

    def big_ens():
        d = 16
        freqs = np.arange(1, d + 1) * 0.5
        with nengo.Network(seed=0) as net:
            stim = nengo.Node(lambda t: 0.5 * np.sin(2 * np.pi * freqs * t))
            ens = nengo.Ensemble(10000, d, neuron_type=nengo.LIF())
            nengo.Connection(stim, ens)
            nengo.Connection(ens, ens, transform=0.9, synapse=0.1)
            nengo.Probe(ens, synapse=0.01)
        return net, 1000

    def dense_relu():
        # One image per step, as `bench dense-relu` at minibatch 1.
        rng = np.random.RandomState(0)
        images = rng.uniform(0, 1, size=(1000, 784))
        with nengo.Network(seed=0) as net:
            inp = nengo.Node(nengo.processes.PresentInput(images, presentation_time=DT))
            b = nengo.Ensemble(64, 1, neuron_type=nengo.RectifiedLinear(),
                               gain=nengo.dists.Choice([1]), bias=nengo.dists.Choice([0]))
            c = nengo.Ensemble(784, 1, neuron_type=nengo.RectifiedLinear(),
                               gain=nengo.dists.Choice([1]), bias=nengo.dists.Choice([0]))
            limit1, limit2 = np.sqrt(3 / ((784 + 64) / 2)), np.sqrt(3 / ((64 + 784) / 2))
            nengo.Connection(inp, b.neurons, synapse=None,
                             transform=rng.uniform(-limit1, limit1, size=(64, 784)))
            nengo.Connection(b.neurons, c.neurons, synapse=None,
                             transform=rng.uniform(-limit2, limit2, size=(784, 64)))
            nengo.Probe(c.neurons)
        return net, 1000

    return {
        "rate-vs-spiking": rate_vs_spiking,
        "nef-sin-x-squared": nef_sin_x_squared,
        "chain-1": chain(1),
        "chain-10": chain(10),
        "chain-100": chain(100),
        "chain-1000": chain(1000),
        "big-ens": big_ens,
        "dense-relu": dense_relu,
    }


def run_nengo(nengo, make):
    net, steps = make()
    t0 = time.perf_counter()
    sim = nengo.Simulator(net, dt=DT, progress_bar=False)
    t1 = time.perf_counter()
    sim.run_steps(steps, progress_bar=False)
    t2 = time.perf_counter()
    sim.close()
    return {"build_s": t1 - t0, "steps_per_s": steps / (t2 - t1)}


# ---------------------------------------------------------------- PyTorch

def run_torch(torch, name):
    """The 784-64-784 ReLU autoencoder in float32 on one thread:
    inference at minibatch 50 (dense-relu) or one epoch of 60,000 images
    of training, MSE and RMSprop at minibatch 50 (fit-autoencoder)."""
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 64), torch.nn.ReLU(),
                                torch.nn.Linear(64, 784), torch.nn.ReLU())
    if name == "dense-relu":
        x = torch.rand(20000, 784)
        with torch.no_grad():
            t0 = time.perf_counter()
            for i in range(0, 20000, 50):
                model(x[i:i + 50])
            return {"images_per_s": 20000 / (time.perf_counter() - t0)}
    x = torch.rand(60000, 784)
    opt = torch.optim.RMSprop(model.parameters(), lr=0.001)
    loss_fn = torch.nn.MSELoss()
    t0 = time.perf_counter()
    for i in range(0, 60000, 50):
        opt.zero_grad()
        loss = loss_fn(model(x[i:i + 50]), x[i:i + 50])
        loss.backward()
        opt.step()
    return {"train_images_per_s": 60000 / (time.perf_counter() - t0)}


# ---------------------------------------------------------------- Spikeworks

def run_spikeworks(cli, name, batch=None):
    args = [cli, "bench", "--json"] + (["--batch", str(batch)] if batch else []) + [name]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out)[0]


def ratio(a, b):
    return a / b if a and b else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", default=os.path.join(ROOT, "build", "app", "spikeworks-cli"))
    ap.add_argument("--nengo", default=os.path.join(ROOT, "vendor", "nengo"))
    ap.add_argument("--json", default=None)
    ap.add_argument("names", nargs="*",
                    default=["rate-vs-spiking", "nef-sin-x-squared", "chain-1", "chain-10",
                             "chain-100", "chain-1000", "dense-relu", "fit-autoencoder"])
    args = ap.parse_args()

    import numpy as np
    nengo = None
    if os.path.isdir(os.path.join(args.nengo, "nengo")):
        sys.path.insert(0, args.nengo)
        import nengo
        nengo.rc.set("decoder_cache", "enabled", "False")
        nengo.rc.set("progress", "progress_bar", "False")
    else:
        print(f"# no Nengo source tree at {args.nengo}: the Nengo column is left out")
    try:
        import torch
    except ImportError:
        torch = None
        print("# PyTorch (Debian's python3-torch) is not installed: its column is left out")

    nets = nengo_networks(nengo, np) if nengo else {}
    print(f"# load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} processors"
          + (f"; Nengo {nengo.__version__}" if nengo else "")
          + (f"; PyTorch {torch.__version__}" if torch else ""))
    print(f"{'benchmark':<18} {'Spikeworks':>22} {'peer':>28} {'ratio':>8}")
    rows = []

    def row(name, what, ours, peer, peer_name, unit, higher_is_better=True):
        r = ratio(ours, peer) if higher_is_better else ratio(peer, ours)
        rows.append({"name": name, "what": what, "spikeworks": ours, "peer": peer_name,
                     "peer_value": peer, "ratio": r})
        print(f"{name + ' ' + what:<26} {ours:>14.4g} {unit:<6} {peer_name + ' ':>10}{peer:>12.4g} {unit:<6} {r:>7.2f}×",
              flush=True)

    def own(name, ours):
        # Spikeworks' own targets, from the same run: the step against this
        # machine's floor, and the second build against the first.
        rows.append({"name": name, "what": "floor_ratio", "spikeworks": ours["floor_ratio"],
                     "step_s": ours["step_s"], "floor_s": ours["floor_s"]})
        print(f"{'':<26} floor_ratio {ours['floor_ratio']:.2f} (step {ours['step_s'] * 1e6:.1f} µs, "
              f"floor {ours['floor_s'] * 1e6:.1f} µs)", flush=True)
        if ours.get("build_cached_s"):
            rows.append({"name": name, "what": "build_cached", "spikeworks": ours["build_cached_s"],
                         "ratio": ours["build_s"] / ours["build_cached_s"]})
            print(f"{'':<26} second build {ours['build_cached_s']:.3f} s: "
                  f"{ours['build_s'] / ours['build_cached_s']:.0f}× faster than the first", flush=True)

    for name in args.names:
        if name == "fit-autoencoder":
            ours = run_spikeworks(args.cli, name)
            if torch:
                peer = run_torch(torch, name)
                row(name, "train", ours["train_images_per_s"], peer["train_images_per_s"],
                    "PyTorch", "img/s")
            continue
        ours = run_spikeworks(args.cli, name, 1 if name == "dense-relu" else None)
        if name in nets:
            peer = run_nengo(nengo, nets[name])
            if name == "dense-relu":
                row(name, "batch 1", ours["images_per_s"], peer["steps_per_s"], "Nengo", "img/s")
            else:
                row(name, "run", ours["steps_per_s"], peer["steps_per_s"], "Nengo", "step/s")
            row(name, "build", ours["build_s"], peer["build_s"], "Nengo", "s", higher_is_better=False)
            if name == "big-ens":
                print(f"{'':<26} Spikeworks' peak memory {ours['peak_rss_mb']:.0f} MB")
        if ours.get("floor_ratio"):
            own(name, ours)
        if name == "dense-relu" and torch:
            ours50 = run_spikeworks(args.cli, name, 50)
            peer = run_torch(torch, name)
            row(name, "batch 50", ours50["images_per_s"], peer["images_per_s"], "PyTorch", "img/s")
    print(f"# load average after: {os.getloadavg()[0]:.1f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
