# Must be imported in order to register the build functions
from . import (
    connection,
    ensemble,
    learning_rules,
    network,
    neurons,
    node,
    probe,
    processes,
    transforms,
)
from .builder import Builder, Model
from .operator import Operator
from .signal import Signal
