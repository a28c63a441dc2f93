# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.configure_settings: NengoDL's settings on a network's config.

    with nengo.Network() as net:
        spikeworks.configure_settings(trainable=False, stateful=False)
        ...
        net.config[ens].trainable = True      # per object, as in NengoDL

As in NengoDL the settings live on the network's config: ``trainable`` on
the nearest enclosing network's Ensembles, Connections and Neurons (and
per object), ``keep_history`` on its Probes, the others on the top-level
network.  `get_setting` and `is_trainable` read them back for the
Simulator.  What each setting means here (docs/python.md, "Settings"):

- ``trainable``: which ensembles' and connections' parameters ``fit``
  changes (None: the defaults; a Spikeworks layer's own ``trainable``
  decides for a TensorNode).
- ``lif_smoothing``: the ``sigma`` of the SoftLIFRate curve LIF neurons
  train through.
- ``dtype``: the precision the Simulator builds with ("float32" or
  "float64", or numpy's dtypes), when its own ``dtype`` is not given.
- ``stateful``: True (NengoDL's default) lets predict/evaluate with
  ``stateful=True`` keep their final state; False makes the Simulator
  ignore ``stateful=True`` with NengoDL's warning.
- ``keep_history=True``, ``learning_phase=None`` or ``False``,
  ``inference_only``: what the Simulator always does here (probes keep
  every step, predict runs in inference mode; ``fit`` stays available).
  ``keep_history=False`` and ``learning_phase=True`` ask for behaviour
  the Simulator does not have and raise ConfigError saying so, rather
  than being ignored.
- ``use_loop``, ``planner``, ``sorter``, ``simplifications``: accepted
  and recorded, with no effect: the engine always runs its own compiled
  plan step by step (no TensorFlow graph to unroll, plan or simplify).
"""

import numpy as np

from nengo import Connection, Ensemble, Network, Probe, ensemble
from nengo.exceptions import ConfigError, NetworkContextError
from nengo.params import BoolParam, Parameter

#: Settings kept on the top-level network's config.
NETWORK_SETTINGS = (
    "planner",
    "sorter",
    "simplifications",
    "inference_only",
    "lif_smoothing",
    "dtype",
    "stateful",
    "use_loop",
    "learning_phase",
)

#: Settings with no effect here (accepted so NengoDL code runs unchanged).
NO_EFFECT = ("use_loop", "planner", "sorter", "simplifications")


#: Values asking for behaviour the Simulator does not have, and why.
_UNAVAILABLE = {
    ("keep_history", False): "probes keep every step here; use keep_history=True and read the "
    "last step (sim.data[probe][-1])",
    ("learning_phase", True): "predict and evaluate always run in inference mode here; use "
    "learning_phase=None",
}


def _params(config, cls):
    try:
        return config[cls]
    except ConfigError:
        config.configures(cls)
        return config[cls]


def configure_settings(**kwargs):
    """Sets NengoDL settings (keyword arguments) on the network being
    built; must be called inside ``with net:``.  An unknown setting raises
    ConfigError naming the settings there are."""
    if len(Network.context) == 0:
        raise NetworkContextError(
            "`configure_settings` must be called within a Network context "
            "(`with nengo.Network(): ...`)"
        )
    config = Network.context[0].config
    params = _params(config, Network)
    for attr, val in kwargs.items():
        why = _UNAVAILABLE.get((attr, val)) if isinstance(val, bool) else None
        if why is not None:
            raise ConfigError(f"{attr}={val} is not available: {why}")
        if attr == "dtype" and val is not None:
            try:
                name = np.dtype(val).name
            except TypeError:
                name = None
            if name not in ("float32", "float64"):
                raise ConfigError(f"dtype must be float32 or float64 (got {val!r})")
            val = name
        if attr == "trainable":
            # On the nearest enclosing network, as NengoDL does.
            sub_config = Network.context[-1].config
            for obj in (Ensemble, Connection, ensemble.Neurons):
                _params(sub_config, obj).set_param(
                    "trainable", BoolParam("trainable", val, optional=True)
                )
        elif attr == "keep_history":
            _params(config, Probe).set_param("keep_history", BoolParam("keep_history", val))
        elif attr in NETWORK_SETTINGS:
            params.set_param(attr, Parameter(attr, val))
        else:
            raise ConfigError(
                f"{attr} is not a valid config parameter (valid: trainable, keep_history, "
                + ", ".join(NETWORK_SETTINGS) + ")"
            )


def get_setting(net, name, default=None):
    """The value of a network-level setting (or default when not set)."""
    if net is None:
        return default
    try:
        return getattr(net.config[Network], name, default)
    except (ConfigError, AttributeError):
        return default


def is_trainable(net, obj):
    """Whether fit may change obj (an Ensemble, Connection or Neurons) of
    net: its own config's ``trainable`` where set, else that of the
    networks around it (the innermost wins), else True."""
    chain = _enclosing(net, obj)
    for network in reversed(chain):
        try:
            value = getattr(network.config[obj], "trainable", None)
        except (ConfigError, KeyError):
            value = None
        if value is not None:
            return bool(value)
    return True


def _enclosing(net, obj):
    """The networks from net down to the one that holds obj."""
    def search(network, path):
        path = path + [network]
        if obj in network.objects.get(type(obj), ()) or any(
            obj in objs for objs in network.objects.values()
        ):
            return path
        for sub in network.networks:
            found = search(sub, path)
            if found:
                return found
        return None

    if isinstance(obj, ensemble.Neurons):
        obj = obj.ensemble
    return search(net, []) or [net]
