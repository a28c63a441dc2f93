#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build and run ratios of spikeworks.Simulator against nengo.Simulator on
the networks of `spikeworks-cli bench`, built as Nengo networks, measured
side by side in one sitting (best of --repeat, alternating), in wall-clock
and in CPU time.

Usage: tools/bench-nengo-backend.py [--repeat N] [chain-1 chain-10 chain-100 chain-1000]
Needs build/python and vendor/nengo on PYTHONPATH (tools/run-nengo-suite.sh
shows how); prints one line per network.
"""

import argparse
import os
import platform
import time

import numpy as np

import nengo
import spikeworks


def chain(n):
    """A sine Node into a chain of n ensembles of 50 LIF neurons (1-D,
    decoded identity connections, default synapse), a probe on the last
    (synapse 0.01): `spikeworks-cli bench`'s chain-N."""
    with nengo.Network(seed=1) as net:
        stim = nengo.Node(lambda t: np.sin(2 * np.pi * t))
        prev = stim
        for _ in range(n):
            ens = nengo.Ensemble(50, 1)
            nengo.Connection(prev, ens)
            prev = ens
        nengo.Probe(prev, synapse=0.01)
    return net


def measure(simulator, net, steps):
    """Wall and CPU seconds of the build and of the run.  On a shared
    machine the CPU time (this process's) is the steadier of the two: it
    leaves out the time other processes held the cores."""
    w0, c0 = time.perf_counter(), time.process_time()
    sim = simulator(net, progress_bar=False)
    w1, c1 = time.perf_counter(), time.process_time()
    sim.run_steps(steps, progress_bar=False)
    w2, c2 = time.perf_counter(), time.process_time()
    data = sim.data[net.probes[0]]
    sim.close()
    return (w1 - w0, c1 - c0), (w2 - w1, c2 - c1), data


def main():
    # Both simulators build with Nengo's builder; its decoder cache would
    # turn every repeat into a cache hit.
    nengo.rc.set("decoder_cache", "enabled", "False")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("nets", nargs="*", default=["chain-10", "chain-100"])
    args = parser.parse_args()
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"numpy {np.__version__}, nengo {nengo.__version__}, best of {args.repeat}, "
        f"{args.steps} steps, load average {os.getloadavg()[0]:.1f} at the start"
    )
    print("network     clock  nengo build  spikeworks build  ratio   nengo run  spikeworks run  ratio  max |diff|")
    for name in args.nets:
        net = chain(int(name.split("-")[1]))
        inf = (np.inf, np.inf)
        best = {nengo.Simulator: [inf, inf], spikeworks.Simulator: [inf, inf]}
        outputs = {}
        for _ in range(args.repeat):
            for simulator in best:
                build, run, data = measure(simulator, net, args.steps)
                old = best[simulator]
                best[simulator] = [np.minimum(build, old[0]), np.minimum(run, old[1])]
                outputs[simulator] = data
        diff = np.abs(outputs[nengo.Simulator] - outputs[spikeworks.Simulator]).max()
        for k, clock in enumerate(("wall", "cpu")):
            (nb, nr), (sb, sr) = ([b[k], r[k]] for b, r in (best[nengo.Simulator], best[spikeworks.Simulator]))
            print(
                f"{name:<11} {clock:<5} {nb:9.3f} s  {sb:14.3f} s  {nb / sb:5.2f}×  {nr:8.3f} s  "
                f"{sr:12.3f} s  {nr / sr:5.2f}×  {diff:.1e}"
            )
    print(f"# load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
