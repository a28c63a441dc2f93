# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads each NIR file named on the command line with the reference `nir`
package (vendor/nir: nir.read, with its type checks) and prints, per file,
its nodes as name:Type and its edges.  Exits non-zero on the first file
the reference cannot read."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "vendor", "nir"))

import nir  # noqa: E402


def main():
    for path in sys.argv[1:]:
        graph = nir.read(path)
        nodes = " ".join(f"{name}:{type(node).__name__} " for name, node in sorted(graph.nodes.items()))
        print(f"{os.path.basename(path)}: {nodes}| {len(graph.edges)} edges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
