package org.streamtagger.avro;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;

/**
 * Decoders for the records on the wire that read every version of their schema this project has
 * written, not only the current one: the single-object encoding names the writer's schema by its
 * fingerprint, and a reader that does not know that schema cannot read the record. The earlier
 * versions are kept in {@code history/NAME-N.avsc} beside this class; each new version of a schema
 * adds its predecessor there (fields only added, with defaults, so that both ways read).
 */
public final class WireSchemas {
  private WireSchemas() {}

  /** A decoder of tagged sentences of any version. */
  public static BinaryMessageDecoder<TaggedSentence> taggedSentences() {
    return decoder(TaggedSentence.getClassSchema());
  }

  /** A decoder of dead letters of any version. */
  public static BinaryMessageDecoder<TaggingError> taggingErrors() {
    return decoder(TaggingError.getClassSchema());
  }

  /** The earlier versions of a record's schema, oldest first. */
  public static List<Schema> history(String recordName) {
    List<Schema> versions = new ArrayList<>();
    for (int v = 1; ; v++) {
      try (InputStream in =
          WireSchemas.class.getResourceAsStream("history/" + recordName + "-" + v + ".avsc")) {
        if (in == null) {
          return versions;
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static <T> BinaryMessageDecoder<T> decoder(Schema current) {
    SchemaStore.Cache store = new SchemaStore.Cache();
    history(current.getName()).forEach(store::addSchema);
    store.addSchema(current);
    return new BinaryMessageDecoder<>(SpecificData.get(), current, store);
  }
}
