# SPDX-License-Identifier: GPL-3.0-or-later
"""Spikeworks from Python: the engine as a Nengo backend.

    import nengo, spikeworks
    with spikeworks.Simulator(net) as sim:   # in place of nengo.Simulator
        sim.run(1.0)
"""

from .simulator import Simulator

__all__ = ["Simulator"]
__version__ = "0.1.0"
