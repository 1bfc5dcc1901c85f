package org.streamtagger.processor.serde;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;

/**
 * Walks an Avro binary datum against its writer schema before Avro's decoder reads it, so that no
 * record can make the decoder allocate more than the record's own size allows. Avro's decoder
 * trusts length prefixes: a 35-byte record whose array count claims 2^31 items makes it allocate an
 * array of that size. Here every string, bytes and fixed length must fit in the bytes left, every
 * array or map block may claim at most as many items as bytes are left (and all blocks together at
 * most as many as the datum has bytes), strings must be UTF-8, union branches and enum symbols must
 * exist, and the datum must end exactly where the record does. The walk is linear in the record's
 * length and recurses only as deep as the schema nests.
 */
final class AvroDatumCheck {
  /** Deeper than any schema of ours; a recursive schema cannot make the walk overflow the stack. */
  private static final int MAX_DEPTH = 64;

  private final byte[] buf;
  private final int end;
  private int pos;
  private long itemsLeft;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  private AvroDatumCheck(byte[] buf, int from) {
    this.buf = buf;
    this.pos = from;
    this.end = buf.length;
    this.itemsLeft = buf.length;
  }

  /** A datum that is not a well-formed instance of its schema, and why. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message);
    }
  }

  /**
   * Checks that {@code buf[from..]} holds exactly one datum of {@code schema}.
   *
   * @throws Malformed naming the field and what is wrong with it
   */
  static void check(Schema schema, byte[] buf, int from) throws Malformed {
    AvroDatumCheck c = new AvroDatumCheck(buf, from);
    c.datum(schema, schema.getName(), 0);
    if (c.pos != c.end) {
      throw new Malformed(
          (c.end - c.pos) + " bytes follow the end of the " + schema.getName() + " record");
    }
  }

  private void datum(Schema schema, String path, int depth) throws Malformed {
    if (depth > MAX_DEPTH) {
      throw new Malformed(path + ": nested deeper than " + MAX_DEPTH + " levels");
    }
    switch (schema.getType()) {
      case NULL -> {}
      case BOOLEAN -> skip(1, path);
      case INT -> {
        long n = varLong(path);
        if (n != (int) n) {
          throw new Malformed(path + ": " + n + " does not fit in an int");
        }
      }
      case LONG -> varLong(path);
      case FLOAT -> skip(4, path);
      case DOUBLE -> skip(8, path);
      case FIXED -> skip(schema.getFixedSize(), path);
      case BYTES -> skip(length(path), path);
      case STRING -> string(path);
      case ENUM -> {
        long symbol = varLong(path);
        if (symbol < 0 || symbol >= schema.getEnumSymbols().size()) {
          throw new Malformed(path + ": enum symbol " + symbol + " does not exist");
        }
      }
      case UNION -> {
        long branch = varLong(path);
        if (branch < 0 || branch >= schema.getTypes().size()) {
          throw new Malformed(path + ": union branch " + branch + " does not exist");
        }
        datum(schema.getTypes().get((int) branch), path, depth + 1);
      }
      case RECORD -> {
        for (Schema.Field f : schema.getFields()) {
          datum(f.schema(), path + "." + f.name(), depth + 1);
        }
      }
      case ARRAY -> blocks(schema.getElementType(), null, path, depth);
      case MAP -> blocks(schema.getValueType(), schema, path, depth);
    }
  }

  /** Array or map blocks: a count, then that many items; a negative count has a byte size too. */
  private void blocks(Schema item, Schema map, String path, int depth) throws Malformed {
    while (true) {
      long count = varLong(path);
      if (count == 0) {
        return;
      }
      if (count < 0) {
        count = -count;
        varLong(path); // the block's size in bytes, which a reader may use to skip it
      }
      if (count > end - pos || count > itemsLeft) {
        throw new Malformed(
            path
                + ": a block claims "
                + count
                + " items, but only "
                + (end - pos)
                + " bytes are left");
      }
      itemsLeft -= count;
      for (long i = 0; i < count; i++) {
        if (map != null) {
          string(path + " key");
        }
        datum(item, path, depth + 1);
      }
    }
  }

  private void string(String path) throws Malformed {
    int n = length(path);
    try {
      utf8.reset().decode(ByteBuffer.wrap(buf, pos, n));
    } catch (CharacterCodingException e) {
      throw new Malformed(path + ": the string is not valid UTF-8");
    }
    pos += n;
  }

  /** A length prefix, which must fit in the bytes left. */
  private int length(String path) throws Malformed {
    long n = varLong(path);
    if (n < 0 || n > end - pos) {
      throw new Malformed(
          path + ": a length of " + n + " bytes, but only " + (end - pos) + " bytes are left");
    }
    return (int) n;
  }

  private void skip(int n, String path) throws Malformed {
    if (n > end - pos) {
      throw new Malformed(path + ": the record ends " + (n - (end - pos)) + " bytes too early");
    }
    pos += n;
  }

  /** A zig-zag varint of at most 10 bytes, as Avro writes ints and longs. */
  private long varLong(String path) throws Malformed {
    long raw = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= end) {
        throw new Malformed(path + ": the record ends inside a number");
      }
      int b = buf[pos++] & 0xff;
      raw |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new Malformed(path + ": a number longer than 10 bytes");
  }
}
