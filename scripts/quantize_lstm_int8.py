#!/usr/bin/env python3
"""Rewrites an exported tagger's LSTM nodes into ONNX Runtime's int8 LSTM.

    python3 scripts/quantize_lstm_int8.py IN.onnx OUT.onnx

Every ai.onnx LSTM becomes a com.microsoft DynamicQuantizeLSTM: its input and recurrent weights
are stored as int8, symmetric, with one scale per gate row (per output channel), and ONNX Runtime
quantizes the activations on the fly. The rest of the graph (embeddings, the output layer, the
ensemble's averaging) stays as it was. Weights stored as float16 behind a Cast (`tagger ensemble
--fp16`) are read through the Cast.

The result runs on ONNX Runtime's CPU provider only (the operator has no CUDA kernel). Needs
Debian's python3-onnx (which brings numpy). Check the result with `./tagger evaluate --model
OUT.onnx --data ...`.
"""
import argparse
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper


def float_weight(name, initializers, producers):
    """The float array behind an LSTM's weight input: an initializer, or a Cast of one."""
    if name in initializers:
        return numpy_helper.to_array(initializers[name]).astype(np.float32)
    node = producers.get(name)
    if node is None or node.op_type != "Cast" or node.input[0] not in initializers:
        sys.exit(f"LSTM weight {name!r} is neither an initializer nor a Cast of one")
    return numpy_helper.to_array(initializers[node.input[0]]).astype(np.float32)


def quantize(weight):
    """[directions, 4*hidden, inputs] float -> int8 transposed to [directions, inputs, 4*hidden],
    and one scale per row (the zero points are 0)."""
    scale = np.abs(weight).max(axis=2) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.round(weight / scale[:, :, None]), -127, 127).astype(np.int8)
    return np.ascontiguousarray(np.transpose(q, (0, 2, 1))), scale.astype(np.float32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="an exported tagger (.onnx)")
    parser.add_argument("out", help="where to write the int8 version")
    args = parser.parse_args()
    if not os.path.isfile(args.model):
        sys.exit(f"{args.model}: no such file")
    model = onnx.load(args.model)
    graph = model.graph
    initializers = {i.name: i for i in graph.initializer}
    producers = {o: n for n in graph.node for o in n.output}

    # A character encoder runs twice (words and their reversals share it): quantize each
    # weight once and let both nodes read it.
    quantized = {}

    def int8_inputs(name):
        if name not in quantized:
            q, scale = quantize(float_weight(name, initializers, producers))
            names = (name + "_int8", name + "_scale", name + "_zero_point")
            graph.initializer.extend(
                [
                    numpy_helper.from_array(q, names[0]),
                    numpy_helper.from_array(scale, names[1]),
                    numpy_helper.from_array(np.zeros(scale.shape, np.int8), names[2]),
                ]
            )
            quantized[name] = names
        return quantized[name]

    nodes = []
    rewritten = 0
    for node in graph.node:
        if node.op_type != "LSTM" or node.domain not in ("", "ai.onnx"):
            nodes.append(node)
            continue
        inputs = list(node.input) + [""] * (8 - len(node.input))
        w, w_scale, w_zero = int8_inputs(inputs[1])
        r, r_scale, r_zero = int8_inputs(inputs[2])
        q = helper.make_node(
            "DynamicQuantizeLSTM",
            [inputs[0], w, r] + inputs[3:8] + [w_scale, w_zero, r_scale, r_zero],
            list(node.output),
            name=(node.name or "lstm") + "_int8",
            domain="com.microsoft",
        )
        q.attribute.extend(node.attribute)
        nodes.append(q)
        rewritten += 1
    if rewritten == 0:
        sys.exit(f"{args.model}: no LSTM node to quantize")
    del graph.node[:]
    graph.node.extend(nodes)
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))

    # The float weights (and their Casts) that only the old LSTMs read go.
    outputs = {o.name for o in graph.output}
    while True:
        read = {i for n in graph.node for i in n.input} | outputs
        dead = [n for n in graph.node if n.op_type == "Cast" and not set(n.output) & read]
        if not dead:
            break
        for n in dead:
            graph.node.remove(n)
    read = {i for n in graph.node for i in n.input} | outputs
    kept = [i for i in graph.initializer if i.name in read]
    del graph.initializer[:]
    graph.initializer.extend(kept)

    onnx.save(model, args.out)
    print(f"{args.out}: {rewritten} LSTM nodes now int8")


if __name__ == "__main__":
    main()
