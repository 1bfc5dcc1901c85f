package org.streamtagger.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.streamtagger.tagging.contract.ModelContract;
import org.streamtagger.tagging.contract.ModelContract.Operator;

/**
 * The words an exported model saw in training, read back from the file itself: the keys of its word
 * look-up plus the rare training words of its metadata. Evaluation uses them to count unseen (OOV)
 * words the same way for every engine.
 */
public final class OnnxVocabularies {
  private OnnxVocabularies() {}

  /** Every training word form of the model in {@code in}. */
  public static Set<String> trainingWords(InputStream in) throws IOException {
    OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(in);
    Set<String> words = new HashSet<>();
    for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
      if (node.getOpType().equals(Operator.LABEL_ENCODER.opType())
          && node.getOutput(0).equals("word_ids")) {
        for (OnnxMl.AttributeProto a : node.getAttributeList()) {
          if (a.getName().equals("keys_strings")) {
            for (ByteString s : a.getStringsList()) {
              words.add(s.toString(StandardCharsets.UTF_8));
            }
          }
        }
      }
    }
    for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
      if (e.getKey().equals(ModelContract.RARE_TRAINING_WORDS) && !e.getValue().isEmpty()) {
        words.addAll(java.util.List.of(e.getValue().split("\n")));
      }
    }
    return words;
  }
}
