"""pytest fixtures for seeding tests and making randomness reproducible."""

from .version import version as __version__

__copyright__ = "2019-2019 pytest_rng contributors"
__license__ = "MIT license"
