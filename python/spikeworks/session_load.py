# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading a session file (.spkw) that someone else may have written.

    s = spikeworks.load_session("class.spkw")
    s.model                 # the network as model JSON text
    t, data = s.probes["out"]   # sample times, batch × samples × size
    s.history["loss"][3]    # a training metric at epoch 3
    s.params["b/gain"]      # a built parameter (docs/session-format.md)
    net, objects = s.network()  # a nengo.Network running with those parameters

The file is opened through the engine's checked opener: it is read first in
a short-lived child process with a time and memory limit, so a damaged or
hostile file raises SessionError instead of crashing or hanging Python.
"""

import os

import numpy as np

from . import _session


class SessionError(ValueError):
    """A session file was refused: missing, not a session, damaged, or
    from a newer Spikeworks.  The message names the file and the reason."""


class Session:
    """What a session file holds, as plain Python and numpy values."""

    def __init__(self, model, probes, history, params):
        self.model = model
        self.probes = probes
        self.history = history
        self.params = params

    def network(self):
        """The session's network as (nengo.Network, {label: object}), every
        object made with the session's built or trained parameters, so a
        Simulator runs what the workbench ran (spikeworks.model_import)."""
        from .model_import import to_network  # pylint: disable=import-outside-toplevel

        return to_network(self.model, self.params)


def load_session(path):
    """Loads the session at path (str or os.PathLike); raises SessionError."""
    raw = _session.load(os.fspath(path), SessionError)
    probes = {}
    for label, (t, data, batch, n_samples, size) in raw["probes"].items():
        probes[label] = (
            np.frombuffer(t, dtype=np.float64),
            np.frombuffer(data, dtype=np.float32).reshape(batch, n_samples, size),
        )
    params = {}
    for key, (values, rows, cols) in raw["params"].items():
        shape = (rows, cols) if cols else (rows,)
        params[key] = np.frombuffer(values, dtype=np.float64).reshape(shape)
    return Session(raw["model"], probes, raw["history"], params)
