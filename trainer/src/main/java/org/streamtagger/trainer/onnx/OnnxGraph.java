package org.streamtagger.trainer.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.streamtagger.tagging.contract.ModelContract.Operator;

/**
 * A thin layer over the protobuf builders of ONNX's {@code GraphProto}: named initializers, nodes
 * with typed attributes, graph inputs and outputs, and fresh value names.
 */
final class OnnxGraph {
  private final GraphProto.Builder graph = GraphProto.newBuilder();

  /** Smaller tensors stay float: too small to matter, and one node fewer each. */
  private static final int HALF_MIN_VALUES = 1024;

  private int counter;
  private String scope = "";

  OnnxGraph(String name) {
    graph.setName(name);
  }

  /**
   * Prefixes the names of the initializers made from now on, so that several models (an ensemble's
   * members) fit in one graph; {@code ""} ends it.
   */
  void scope(String prefix) {
    scope = prefix;
  }

  /** A new unique value name with the given stem. */
  String fresh(String stem) {
    return stem + "_" + counter++;
  }

  /**
   * A float initializer, stored little-endian as raw data; a large one whose values all are
   * binary16 values (weights rounded with {@code ensemble --fp16}) is stored as FLOAT16, in half
   * the bytes, and cast back to float in the graph (ONNX Runtime folds the cast when it loads).
   */
  String floats(String name, float[] values, long... dims) {
    name = scope + name;
    if (values.length >= HALF_MIN_VALUES && Half.exact(values)) {
      ByteBuffer half = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : values) {
        half.putShort(Half.bits(v));
      }
      graph.addInitializer(
          TensorProto.newBuilder()
              .setName(name + "_fp16")
              .setDataType(TensorProto.DataType.FLOAT16.getNumber())
              .addAllDims(boxed(dims))
              .setRawData(ByteString.copyFrom(half.array())));
      node(
          Operator.CAST,
          List.of(name + "_fp16"),
          List.of(name),
          attr("to", TensorProto.DataType.FLOAT.getNumber()));
      return name;
    }
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT.getNumber())
            .addAllDims(boxed(dims))
            .setRawData(ByteString.copyFrom(buf.array())));
    return name;
  }

  /** An int64 initializer. */
  String int64s(String name, long[] values, long... dims) {
    name = scope + name;
    ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(values);
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.INT64.getNumber())
            .addAllDims(boxed(dims))
            .setRawData(ByteString.copyFrom(buf.array())));
    return name;
  }

  /** A node; returns its first output. */
  String node(Operator op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
    NodeProto.Builder n =
        NodeProto.newBuilder()
            .setOpType(op.opType())
            .setDomain(op.domain())
            .setName(fresh(op.opType()))
            .addAllInput(inputs)
            .addAllOutput(outputs);
    for (AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    graph.addNode(n);
    return outputs.get(0);
  }

  /** A one-output node whose output gets a fresh name. */
  String op(Operator op, List<String> inputs, AttributeProto... attrs) {
    return node(op, inputs, List.of(fresh(op.opType().toLowerCase(Locale.ROOT))), attrs);
  }

  /** Declares a graph input or output: {@code dims} entries are fixed sizes or symbolic names. */
  ValueInfoProto value(String name, TensorProto.DataType type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof Number n) {
        dim.setDimValue(n.longValue());
      } else {
        dim.setDimParam(d.toString());
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
        .build();
  }

  void input(ValueInfoProto v) {
    graph.addInput(v);
  }

  void output(ValueInfoProto v) {
    graph.addOutput(v);
  }

  GraphProto build() {
    return graph.build();
  }

  static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  static AttributeProto attr(String name, String value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8))
        .build();
  }

  static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  static AttributeProto strings(String name, List<String> values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
    for (String v : values) {
      a.addStrings(ByteString.copyFrom(v, StandardCharsets.UTF_8));
    }
    return a.build();
  }

  private static List<Long> boxed(long[] dims) {
    return java.util.Arrays.stream(dims).boxed().toList();
  }
}
