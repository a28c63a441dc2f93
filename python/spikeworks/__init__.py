# SPDX-License-Identifier: GPL-3.0-or-later
"""Spikeworks from Python: the engine as a Nengo backend.

    import nengo, spikeworks
    with spikeworks.Simulator(net) as sim:   # in place of nengo.Simulator
        sim.run(1.0)

    session = spikeworks.load_session("shared.spkw")   # checked opener
    text = spikeworks.to_model(net)                    # a model file
    spikeworks.save_session(sim, "net.spkw")           # opens in the workbench
    net = spikeworks.nir.read("graph.nir")            # NIR in (and nir.write out)
    conv = spikeworks.Converter("model.h5", swap_activations={"relu": "SpikingRectifiedLinear"})
"""

from . import losses, optimizers
from .converter import Converter, ConverterError
from .model_export import ModelExportError, to_model
from .model_import import ModelImportError
from .session_load import Session, SessionError, load_session
from .session_save import save_session
from .simulator import Simulator
from . import datasets, dists, layers, nir
from .settings import configure_settings
from .tensor_node import Layer, TensorNode

__all__ = [
    "Converter",
    "ConverterError",
    "ModelExportError",
    "ModelImportError",
    "Session",
    "SessionError",
    "Simulator",
    "load_session",
    "losses",
    "optimizers",
    "save_session",
    "to_model",
    "configure_settings",
    "datasets",
    "dists",
    "layers",
    "nir",
    "Layer",
    "TensorNode",
]
__version__ = "0.1.0"
