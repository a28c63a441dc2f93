# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.optimizers: the optimizers `Simulator.compile` takes, with
Keras's names, arguments and defaults, run by the engine's trainer.

    sim.compile(optimizer=spikeworks.optimizers.RMSprop(1e-3), loss="mse")
    sim.compile(optimizer="adam", loss="mse")     # by Keras name, defaults

The updates are tf.keras's (its OptimizerV2 optimizers, which NengoDL 3
trains with): SGD with momentum and Nesterov, Adam with AMSGrad, RMSprop
with momentum and centring (docs/python.md gives the equations).
"""

from nengo.exceptions import ValidationError


class Optimizer:
    """An optimizer: the engine's kind and its hyperparameters."""

    kind = None

    def __init__(self, learning_rate):
        self.learning_rate = _positive("learning_rate", learning_rate)

    def engine_args(self):
        """(name, learning_rate, momentum, nesterov, beta_1, beta_2, rho,
        epsilon, centered, amsgrad) as spikeworks._train.Model.compile
        takes them."""
        return (
            self.kind,
            float(self.learning_rate),
            float(getattr(self, "momentum", 0.0)),
            bool(getattr(self, "nesterov", False)),
            float(getattr(self, "beta_1", 0.9)),
            float(getattr(self, "beta_2", 0.999)),
            float(getattr(self, "rho", 0.9)),
            float(getattr(self, "epsilon", 1e-7)),
            bool(getattr(self, "centered", False)),
            bool(getattr(self, "amsgrad", False)),
        )

    def __repr__(self):
        return f"{type(self).__name__}(learning_rate={self.learning_rate!r})"


def _positive(name, value):
    value = float(value)
    if not value > 0:
        raise ValidationError(f"must be a number greater than 0 (got {value!r})", attr=name)
    return value


class SGD(Optimizer):
    """Stochastic gradient descent, Keras's `SGD` (with momentum and
    Nesterov momentum)."""

    kind = "sgd"

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD"):
        super().__init__(learning_rate)
        self.momentum = _momentum(momentum)
        self.nesterov = bool(nesterov)
        self.name = name


def _momentum(value):
    value = float(value)
    if not 0 <= value < 1:
        raise ValidationError(f"must be in [0, 1) (got {value!r})", attr="momentum")
    return value


class Adam(Optimizer):
    """Adam, Keras's `Adam`; with ``amsgrad=True`` the AMSGrad variant
    (the largest second moment so far in the denominator)."""

    kind = "adam"

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        name="Adam",
    ):
        super().__init__(learning_rate)
        self.amsgrad = bool(amsgrad)
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = _positive("epsilon", epsilon)
        self.name = name


class RMSprop(Optimizer):
    """RMSprop, Keras's `RMSprop`, with momentum and centring (``centered``:
    the gradient's running variance instead of its second moment)."""

    kind = "rmsprop"

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-7,
        centered=False,
        name="RMSprop",
    ):
        super().__init__(learning_rate)
        self.momentum = _momentum(momentum)
        self.centered = bool(centered)
        self.rho = float(rho)
        self.epsilon = _positive("epsilon", epsilon)
        self.name = name


_BY_NAME = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop}


def get(identifier):
    """An optimizer from an Optimizer or its Keras name ("sgd", "adam",
    "rmsprop", any case) with Keras's defaults."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME:
        return _BY_NAME[identifier.lower()]()
    raise ValidationError(
        f"unknown optimizer {identifier!r}: give spikeworks.optimizers.SGD, Adam or "
        f"RMSprop, or their names 'sgd', 'adam', 'rmsprop'",
        attr="optimizer",
    )
