package org.streamtagger.processor.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * An input record waiting in the batch buffer, with everything needed to emit its result later:
 * key, value, headers and origin. Stored as bytes in the changelogged buffer store; records that an
 * earlier version stored (without headers) still read.
 */
record BufferedRecord(
    byte[] key,
    byte[] value,
    Headers headers,
    String topic,
    int partition,
    long offset,
    long timestamp) {

  /**
   * Marks the format with headers. The earlier format starts with the key's length as an int, whose
   * first byte is 0x00 or 0xFF for any key a record can have, never this.
   */
  private static final int WITH_HEADERS = 0x7E;

  /** A record without headers. */
  BufferedRecord(
      byte[] key, byte[] value, String topic, int partition, long offset, long timestamp) {
    this(key, value, new RecordHeaders(), topic, partition, offset, timestamp);
  }

  /** What the headers take in a record: each one's key, value and two length prefixes. */
  int headerBytes() {
    return headerBytes(headers);
  }

  static int headerBytes(Headers headers) {
    int n = 0;
    for (Header h : headers) {
      n +=
          h.key().getBytes(StandardCharsets.UTF_8).length
              + (h.value() == null ? 0 : h.value().length)
              + 10;
    }
    return n;
  }

  byte[] toBytes() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + value.length);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(WITH_HEADERS);
      writeBytes(out, key);
      writeBytes(out, value);
      Header[] all = headers.toArray();
      out.writeInt(all.length);
      for (Header h : all) {
        writeBytes(out, h.key().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, h.value());
      }
      out.writeUTF(topic);
      out.writeInt(partition);
      out.writeLong(offset);
      out.writeLong(timestamp);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedRecord fromBytes(byte[] b) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
      boolean withHeaders = b.length > 0 && b[0] == WITH_HEADERS;
      if (withHeaders) {
        in.readByte();
      }
      byte[] key = readBytes(in);
      byte[] value = readBytes(in);
      RecordHeaders headers = new RecordHeaders();
      if (withHeaders) {
        for (int i = in.readInt(); i > 0; i--) {
          headers.add(new String(readBytes(in), StandardCharsets.UTF_8), readBytes(in));
        }
      }
      return new BufferedRecord(
          key, value, headers, in.readUTF(), in.readInt(), in.readLong(), in.readLong());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b == null ? -1 : b.length);
    if (b != null) {
      out.write(b);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
