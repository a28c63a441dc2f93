# SPDX-License-Identifier: GPL-3.0-or-later
"""Spikeworks from Python: the engine as a Nengo backend.

    import nengo, spikeworks
    with spikeworks.Simulator(net) as sim:   # in place of nengo.Simulator
        sim.run(1.0)

    session = spikeworks.load_session("shared.spkw")   # checked opener
"""

from .session_load import Session, SessionError, load_session
from .simulator import Simulator

__all__ = ["Session", "SessionError", "Simulator", "load_session"]
__version__ = "0.1.0"
