# SPDX-License-Identifier: GPL-3.0-or-later
"""What every make-reference.py below this folder shares: run a network in
Nengo's reference simulator (float64) and write its model and numbers as
one <case>.json the C tests load (tu_reference_run)."""
import json
import os

import numpy as np
import nengo


def simulate(net, steps, dt):
    """Nengo's simulator after steps steps of net."""
    with nengo.Simulator(net, dt=dt, progress_bar=False) as sim:
        sim.run_steps(steps)
    return sim


def model(objects, version, dt):
    """The Spikeworks model of objects, in float64 with seed 0."""
    return {"format": "spikeworks-model", "version": version,
            "network": {"seed": 0, "dt": dt, "dtype": "float64"}, "objects": objects}


def write_json(folder, name, data):
    with open(os.path.join(folder, name + ".json"), "w") as f:
        json.dump(data, f, indent=None, separators=(",", ":"))
        f.write("\n")


def write_probes(folder, name, make, steps, version, dt):
    """make() gives (net, objects, probes by label): every probe's data."""
    net, objects, probes = make()
    sim = simulate(net, steps, dt)
    write_json(folder, name, {
        "about": "Nengo %s reference (float64), written by make-reference.py" % nengo.__version__,
        "steps": steps,
        "model": model(objects, version, dt),
        "probes": {k: np.asarray(sim.data[p]).reshape(steps, -1).tolist() for k, p in probes.items()},
    })
