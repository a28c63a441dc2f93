# SPDX-License-Identifier: GPL-3.0-or-later
"""Data as NengoDL's Simulator takes it, checked: inputs keyed by input
Nodes (Nodes without input), targets keyed by Probes, or a single array
for a single input or output, each shaped (batch, n_steps, size).

Every refusal is a nengo ValidationError whose message names what was
given and what was expected; nothing is reshaped or dropped silently
(data not divisible by the minibatch size is truncated with a warning,
as NengoDL does).
"""

import warnings

import numpy as np

import nengo
from nengo.exceptions import ValidationError


def describe(obj):
    label = getattr(obj, "label", None)
    return f"{type(obj).__name__} '{label}'" if label else repr(obj)


def _a(word):
    return f"an {word}" if word[0] in "AEIOUaeiou" else f"a {word}"


def input_nodes(network):
    """The network's input Nodes (no input, an output of their own), in
    network order, as NengoDL's `node_inputs`."""
    return [n for n in network.all_nodes if n.size_in == 0 and n.output is not None]


def standardize(data, objects, kind, attr):
    """data as {object: array}: a dict keyed by objects, a list in the
    order of `objects`, or one array for the first object.  Keys must be
    among `objects` (kind: "input Node" or "Probe")."""
    if data is None:
        return {}
    names = ", ".join(describe(o) for o in objects) or "none"
    article = "an" if kind[0] in "aeiou" else "a"
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if key not in objects:
                if isinstance(key, nengo.Node) and kind == "input Node":
                    why = "is not an input Node (a Node with size_in == 0 and an output) of this network"
                elif isinstance(key, (nengo.Node, nengo.Probe)) and type(key).__name__ in kind:
                    why = f"is not {article} {kind} of this network"
                else:
                    why = f"is {_a(type(key).__name__)}, not {article} {kind}"
                raise ValidationError(
                    f"{describe(key) if hasattr(key, 'label') else repr(key)} {why}; "
                    f"the {kind}s are: {names}",
                    attr=attr,
                )
            out[key] = value
        return out
    if isinstance(data, (list, tuple)):
        if len(data) != len(objects):
            raise ValidationError(
                f"{len(data)} arrays given for {len(objects)} {kind}s ({names}); "
                f"give a dict keyed by {kind}s",
                attr=attr,
            )
        return dict(zip(objects, data))
    if not objects:
        raise ValidationError(f"data given, but the network has no {kind}", attr=attr)
    if len(objects) > 1:
        raise ValidationError(
            f"one array given, but the network has {len(objects)} {kind}s ({names}); "
            f"give a dict keyed by {kind}s",
            attr=attr,
        )
    return {objects[0]: data}


def check_arrays(data, sizes, attr, n_steps=None, exact_steps=True):
    """Each array as float of rank 3 (batch, steps, size) with the size
    `sizes[obj]`, the same batch for all, and (inputs) the same steps as
    each other and as n_steps.  Returns {obj: ndarray}, batch, steps."""
    out = {}
    batch = steps = None
    for obj, value in data.items():
        x = np.asarray(value)
        if x.dtype.kind not in "fiub":
            raise ValidationError(
                f"data for {describe(obj)} must be numbers (got {x.dtype})", attr=attr
            )
        if x.ndim != 3:
            raise ValidationError(
                f"data for {describe(obj)} should have rank 3 (batch_size, n_steps, "
                f"{sizes[obj]}), found rank {x.ndim} with shape {x.shape}",
                attr=attr,
            )
        if x.shape[2] != sizes[obj]:
            raise ValidationError(
                f"data for {describe(obj)} has {x.shape[2]} values per step, expected "
                f"{sizes[obj]} (shape (batch_size, n_steps, {sizes[obj]}), got {x.shape})",
                attr=attr,
            )
        if batch is None:
            batch = x.shape[0]
        elif x.shape[0] != batch:
            raise ValidationError(
                f"data for {describe(obj)} has batch size {x.shape[0]}, expected {batch} "
                f"as the other data",
                attr=attr,
            )
        if exact_steps:
            want = n_steps if n_steps is not None else steps
            if want is not None and x.shape[1] != want:
                raise ValidationError(
                    f"data for {describe(obj)} has {x.shape[1]} steps, expected {want}",
                    attr=attr,
                )
            steps = x.shape[1]
        out[obj] = x
    return out, batch, steps


def truncate(data, batch, minibatch_size, attr):
    """Data cut to a whole number of minibatches (a warning says so), or
    a ValidationError when there is not even one."""
    if batch is None:
        return data, batch
    if batch < minibatch_size:
        raise ValidationError(
            f"batch size of data ({batch}) is less than the Simulator's minibatch_size "
            f"({minibatch_size})",
            attr=attr,
        )
    if batch % minibatch_size:
        keep = batch - batch % minibatch_size
        warnings.warn(
            f"Number of elements in input data ({batch}) is not evenly divisible by "
            f"Simulator.minibatch_size ({minibatch_size}); input data will be truncated "
            f"to {keep}."
        )
        data = {k: v[:keep] for k, v in data.items()}
        batch = keep
    return data, batch
