package org.flawmap.model.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The entries of a model file, a ZIP archive. Arrays are little-endian and stored without
 * compression, because floats barely compress and stored entries load fast. Every entry's
 * SHA-256 goes into the manifest, so a damaged file is detected on load.
 */
public final class ModelArchive {

  private ModelArchive() {}

  /** Writes entries and remembers their checksums for the manifest. */
  public static final class Writer {
    private final ZipOutputStream zip;
    private final Map<String, String> checksums = new LinkedHashMap<>();

    Writer(OutputStream out) {
      this.zip = new ZipOutputStream(out);
    }

    public void putBytes(String name, byte[] bytes) throws IOException {
      ZipEntry entry = new ZipEntry(name);
      entry.setMethod(ZipEntry.STORED);
      entry.setSize(bytes.length);
      CRC32 crc = new CRC32();
      crc.update(bytes);
      entry.setCrc(crc.getValue());
      zip.putNextEntry(entry);
      zip.write(bytes);
      zip.closeEntry();
      checksums.put(name, sha256(bytes));
    }

    public void putFloats(String name, float[] values) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      buffer.asFloatBuffer().put(values);
      putBytes(name, buffer.array());
    }

    public void putInts(String name, int[] values) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      buffer.asIntBuffer().put(values);
      putBytes(name, buffer.array());
    }

    Map<String, String> checksums() {
      return checksums;
    }

    ZipOutputStream zip() {
      return zip;
    }
  }

  /** Reads entries, checking each against the manifest's checksum. */
  public static final class Reader {
    private final Path file;
    private final Map<String, byte[]> entries;
    private final Map<String, String> checksums;

    Reader(Path file, Map<String, byte[]> entries, Map<String, String> checksums) {
      this.file = file;
      this.entries = entries;
      this.checksums = checksums;
    }

    /** Returns the model file being read, for error messages. */
    public Path file() {
      return file;
    }

    /** Returns whether the file has an entry of this name, for entries added in later versions. */
    public boolean has(String name) {
      return entries.containsKey(name);
    }

    public byte[] bytes(String name) {
      byte[] bytes = entries.get(name);
      String expected = checksums.get(name);
      if (bytes == null || expected == null) {
        throw new ModelFileException(
            "model file %s has no entry %s; the file is damaged or incomplete, fit the model again"
                .formatted(file, name));
      }
      if (!expected.equals(sha256(bytes))) {
        throw new ModelFileException(
            "model file %s: entry %s does not match its checksum; the file is damaged, copy it"
                    .formatted(file, name)
                + " again or fit the model again");
      }
      return bytes;
    }

    public float[] floats(String name, int expectedLength) {
      byte[] bytes = bytes(name);
      checkLength(name, bytes.length, expectedLength);
      float[] out = new float[expectedLength];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    }

    public int[] ints(String name, int expectedLength) {
      byte[] bytes = bytes(name);
      checkLength(name, bytes.length, expectedLength);
      int[] out = new int[expectedLength];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
      return out;
    }

    private void checkLength(String name, int byteCount, int expectedLength) {
      if (byteCount != expectedLength * 4L) {
        throw new ModelFileException(
            "model file %s: entry %s has %d bytes, expected %d values of 4 bytes"
                .formatted(file, name, byteCount, expectedLength));
      }
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
