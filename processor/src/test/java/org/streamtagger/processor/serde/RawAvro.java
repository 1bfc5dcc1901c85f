package org.streamtagger.processor.serde;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.avro.SchemaNormalization;
import org.streamtagger.avro.Sentence;

/**
 * A {@code Sentence} in single-object encoding, written by hand field by field, so that a test can
 * make it lie (counts, lengths, bytes that are not UTF-8).
 */
public final class RawAvro {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** The header: marker and the current {@code Sentence} schema's fingerprint. */
  public RawAvro() {
    out.write(0xC3);
    out.write(0x01);
    long fingerprint = SchemaNormalization.parsingFingerprint64(Sentence.getClassSchema());
    out.writeBytes(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(fingerprint).array());
  }

  /** An int or long: zig-zag varint. */
  public RawAvro varint(long n) {
    long z = (n << 1) ^ (n >> 63);
    while ((z & ~0x7FL) != 0) {
      out.write((int) ((z & 0x7F) | 0x80));
      z >>>= 7;
    }
    out.write((int) z);
    return this;
  }

  /** A string (or bytes) field: its length, then the bytes as given. */
  public RawAvro string(byte[] utf8) {
    varint(utf8.length);
    out.writeBytes(utf8);
    return this;
  }

  public RawAvro string(String s) {
    return string(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Bytes as given. */
  public RawAvro bytes(int... raw) {
    for (int b : raw) {
      out.write(b);
    }
    return this;
  }

  /** A whole sentence of raw text bytes: id, text, no tokens, no language, no metadata. */
  public static byte[] text(String id, byte[] text) {
    return new RawAvro().string(id).varint(1).string(text).varint(0).varint(0).varint(0).done();
  }

  public byte[] done() {
    return out.toByteArray();
  }
}
