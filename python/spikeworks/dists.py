# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.dists: NengoDL's weight distributions, for transforms.

    nengo.Connection(a, b.neurons, transform=spikeworks.dists.Glorot())

Nengo samples a distribution given as a transform when it builds the
network (shape ``(size_out, size_in)``); spikeworks.to_model and sessions
write the sampled values, so the engine runs the very same weights.
"""

import numpy as np

from nengo.dists import Distribution
from nengo.params import EnumParam, NumberParam


class TruncatedNormal(Distribution):
    """A normal distribution with values further than ``limit`` from the
    mean drawn again (default limit: two standard deviations)."""

    mean = NumberParam("mean")
    stddev = NumberParam("stddev", low=0)
    limit = NumberParam("limit", low=0, low_open=True)

    def __init__(self, mean=0, stddev=1, limit=None):
        super().__init__()
        self.mean = mean
        self.stddev = stddev
        self.limit = 2 * stddev if limit is None else limit

    def sample(self, n, d=None, rng=np.random):
        shape = self._sample_shape(n, d)
        samples = rng.normal(loc=self.mean, scale=self.stddev, size=shape)
        outside = np.abs(samples - self.mean) > self.limit
        while np.any(outside):
            samples[outside] = rng.normal(self.mean, self.stddev, size=np.sum(outside))
            outside = np.abs(samples - self.mean) > self.limit
        return samples


class VarianceScaling(Distribution):
    """Values whose variance is ``scale`` over the fan-in, the fan-out or
    their average (``mode``), from a uniform or a truncated normal
    distribution.  For a transform of shape (n, d), the fan-out is n and the
    fan-in d, as in NengoDL."""

    scale = NumberParam("scale", low=0)
    mode = EnumParam("mode", values=["fan_in", "fan_out", "fan_avg"])
    distribution = EnumParam("distribution", values=["uniform", "normal"])

    def __init__(self, scale=1, mode="fan_avg", distribution="uniform"):
        super().__init__()
        self.scale = scale
        self.mode = mode
        self.distribution = distribution

    def sample(self, n, d=None, rng=np.random):
        fan_out = n
        fan_in = 1 if d is None else d
        scale = self.scale / {
            "fan_in": fan_in,
            "fan_out": fan_out,
            "fan_avg": (fan_in + fan_out) / 2,
        }[self.mode]
        shape = self._sample_shape(n, d)
        if self.distribution == "uniform":
            limit = np.sqrt(3.0 * scale)
            return rng.uniform(-limit, limit, size=shape)
        return TruncatedNormal(stddev=np.sqrt(scale)).sample(n, d, rng=rng)


class Glorot(VarianceScaling):
    """Glorot (Xavier) initialisation: variance 2 / (fan_in + fan_out),
    uniform by default (Keras's glorot_uniform)."""

    def __init__(self, scale=1, distribution="uniform"):
        super().__init__(scale=scale, mode="fan_avg", distribution=distribution)


class He(VarianceScaling):
    """NengoDL's He initialisation: variance scale² / fan_in, normal by default."""

    def __init__(self, scale=1, distribution="normal"):
        super().__init__(scale=scale**2, mode="fan_in", distribution=distribution)


__all__ = ["Glorot", "He", "TruncatedNormal", "VarianceScaling"]
