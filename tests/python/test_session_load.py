# SPDX-License-Identifier: GPL-3.0-or-later
"""spikeworks.load_session: sessions read through the checked opener.

Damaged files (the reliability findings' sessions that crashed or hung
libhdf5 in-process, and byte flips, truncations and zeroed blocks of a good
session) must raise spikeworks.SessionError naming the file, never take the
interpreter down.  Run by meson (suite "python") with the build tree on
PYTHONPATH, and under AddressSanitizer from ./test.sh.
"""

import json
import os
import random

import numpy as np
import pytest

import spikeworks

DATA = os.path.join(os.path.dirname(__file__), os.pardir, "data")
GOOD = os.path.join(DATA, "v1", "communication-channel-trained.spkw")
DAMAGED = sorted(
    os.path.join(DATA, "damaged", name)
    for name in os.listdir(os.path.join(DATA, "damaged"))
)


def test_good_session_loads():
    s = spikeworks.load_session(GOOD)
    model = json.loads(s.model)
    assert model["objects"]
    for label, (t, data) in s.probes.items():
        assert t.dtype == np.float64 and data.dtype == np.float32
        assert data.ndim == 3 and data.shape[1] == t.shape[0]
        assert np.all(np.isfinite(data))
    for metric, values in s.history.items():
        assert all(isinstance(e, int) for e in values)


@pytest.mark.parametrize("path", DAMAGED, ids=os.path.basename)
def test_damaged_session_raises(path):
    with pytest.raises(spikeworks.SessionError) as info:
        spikeworks.load_session(path)
    assert os.path.basename(path) in str(info.value)


def test_missing_and_foreign_files(tmp_path):
    with pytest.raises(spikeworks.SessionError, match="nothing.spkw"):
        spikeworks.load_session(tmp_path / "nothing.spkw")
    text = tmp_path / "model.spkw"
    text.write_text('{"objects": []}')
    with pytest.raises(spikeworks.SessionError, match="model.spkw"):
        spikeworks.load_session(text)


def test_random_damage_is_refused_or_loaded(tmp_path):
    """Seeded byte flips, truncations and zeroed blocks of a good session:
    each loads or raises SessionError (anything else fails the test)."""
    good = open(GOOD, "rb").read()
    rng = random.Random(13)
    refused = 0
    for i in range(40):
        data = bytearray(good)
        kind = i % 3
        if kind == 0:
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del data[rng.randrange(len(data)):]
        else:
            at = rng.randrange(len(data))
            data[at:at + rng.randint(1, 512)] = bytes(min(512, len(data) - at))[: len(data[at:at + 512])]
        path = tmp_path / f"damaged-{i}.spkw"
        path.write_bytes(bytes(data))
        try:
            spikeworks.load_session(path)
        except spikeworks.SessionError as error:
            assert path.name in str(error)
            refused += 1
    assert refused > 0
