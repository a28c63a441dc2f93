# SPDX-License-Identifier: GPL-3.0-or-later
"""NIR graphs (the Neuromorphic Intermediate Representation) in and out of
Python, through the engine's own reader and writer (docs/nir.md).

    import spikeworks.nir
    net = spikeworks.nir.read("lif_norse.nir", dt=1e-4)   # a nengo.Network
    with spikeworks.Simulator(net, dt=net.dt, minibatch_size=1) as sim:
        out = sim.predict({net.inputs["input"]: spikes})  # (1, steps, 1)
    spikes_out = out[net.outputs["output"]]

    notes = spikeworks.nir.write(net_or_sim, "out.nir")  # as export-nir does

read() converts the file as `spikeworks-cli convert` does (checked first in
a child process, since a .nir file comes from outside; the neurons'
equations integrated exactly at dt, or by forward Euler) and returns the
network with its parameters, as spikeworks.load_session(...).network()
does.  Each NIR Input is a Node outputting zeros until it is driven (one
value per step, a spike as 1 in its step), each NIR Output a Probe of that
name.  write() exports a Nengo network or a Simulator's network with the
parameters it runs with, refusing what NIR cannot represent with the
engine's message (NIRError).  When the reference `nir` package is
importable, read() also takes a `nir.NIRGraph` and write() without a path
returns one.
"""

import json
import os
import tempfile
import warnings

import numpy as np

import nengo

from . import _nir
from .model_import import to_network
from .session_save import built_params

try:  # the reference package, when installed (or vendored on sys.path)
    import nir as _reference
except ImportError:  # pragma: no cover - depends on the installation
    _reference = None
# A directory named nir on sys.path imports as an empty namespace package.
if not hasattr(_reference, "NIRGraph"):
    _reference = None

# The release of the vendored reference package (vendor/nir/README).
_VENDORED_VERSION = "1.0.7"

#: The step of the NIR paper's experiments (0.1 ms).
DEFAULT_DT = 1e-4


class NIRError(ValueError):
    """A NIR graph the engine refused to read or a network it refused to
    write; the message names the file or object and what is wrong."""


class NIRWarning(UserWarning):
    """Something write() replaced or approximated (a Node's output by an
    Input, a LIF's refractory period dropped with approximate=True)."""


def _is_graph(obj):
    return _reference is not None and isinstance(obj, _reference.NIRGraph)


def _write_reference(path, graph):
    """nir.write(path, graph).  The reference writes its own version,
    which it only knows when installed as a distribution: a vendored copy
    writes the release it is instead (its nir/__init__.py)."""
    if hasattr(_reference, "version"):
        _reference.write(path, graph)
        return
    _reference.version = _VENDORED_VERSION
    try:
        _reference.write(path, graph)
    finally:
        del _reference.version


def read(source, dt=DEFAULT_DT, integration="exact"):
    """The NIR graph source (a path, or a reference `nir.NIRGraph`) as a
    nengo.Network that spikeworks.Simulator runs at dt.  integration is
    "exact" (the linear parts of the neurons' equations integrated over
    each step, as Nengo's LIF) or "euler" (as snnTorch and Norse step).

    The network carries ``dt`` (the step it was converted for: run it at
    that step), ``inputs`` ({NIR Input name: nengo.Node}), ``outputs``
    ({NIR Output name: nengo.Probe}) and ``by_label`` ({label: object}).
    Raises NIRError naming the node and the problem."""
    if integration not in ("exact", "euler"):
        raise ValueError(f"integration must be 'exact' or 'euler', not {integration!r}")
    if _is_graph(source):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "graph.nir")
            _write_reference(path, source)
            return read(path, dt, integration)
    raw = _nir.read(os.fspath(source), float(dt), integration == "euler", NIRError)
    params = {}
    for key, (values, rows, cols) in raw["params"].items():
        shape = (rows, cols) if cols else (rows,)
        params[key] = np.frombuffer(values, dtype=np.float64).reshape(shape)
    net, objects = to_network(raw["model"], params)
    net.dt = float(dt)
    net.by_label = objects
    net.inputs = {label: obj for label, obj in objects.items()
                  if isinstance(obj, nengo.Node) and obj.size_in == 0}
    net.outputs = {label: obj for label, obj in objects.items() if isinstance(obj, nengo.Probe)}
    return net


def write(net_or_sim, path=None, approximate=False):
    """Writes a Nengo network, or a Simulator's network with the
    parameters it ran with (solved decoders, trained weights), as the NIR
    graph at path, and returns the writer's notes (str each: a Node whose
    output an Input replaces, a neuron detail dropped).  Without a path it
    returns the graph as a reference `nir.NIRGraph` (the notes become
    NIRWarnings).  approximate=True writes LIF neurons without their
    refractory period, voltage floor and random starting voltages, which
    NIR's LIF does not have; otherwise those are refused.  Raises NIRError
    with the engine's message for what NIR cannot represent (and
    spikeworks.ModelExportError for what a model file cannot)."""
    tree, _, params, _ = built_params(net_or_sim)
    text = json.dumps(tree)
    if path is not None:
        return _nir.write(os.fspath(path), text, params, bool(approximate), NIRError)
    if _reference is None:
        raise NIRError("write() without a path returns a nir.NIRGraph, and the reference "
                       "'nir' package is not installed; give a path")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "graph.nir")
        for note in _nir.write(out, text, params, bool(approximate), NIRError):
            warnings.warn(note, NIRWarning, stacklevel=2)
        return _reference.read(out)
