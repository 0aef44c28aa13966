package org.flawmap.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Rewrites a model file's manifest, to make files that a newer or damaged writer would. */
final class ModelFileTestSupport {

  private ModelFileTestSupport() {}

  static void rewriteManifest(Path source, Path target, String from, String to)
      throws IOException {
    try (ZipFile zip = new ZipFile(source.toFile());
        OutputStream file = Files.newOutputStream(target);
        ZipOutputStream out = new ZipOutputStream(file)) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      boolean replaced = false;
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
          bytes = in.readAllBytes();
        }
        if (entry.getName().equals("manifest.json")) {
          String text = new String(bytes, StandardCharsets.UTF_8);
          replaced = text.contains(from);
          bytes = text.replace(from, to).getBytes(StandardCharsets.UTF_8);
        }
        out.putNextEntry(new ZipEntry(entry.getName()));
        out.write(bytes);
        out.closeEntry();
      }
      if (!replaced) {
        throw new IllegalStateException("manifest of " + source + " has no '" + from + "'");
      }
    }
  }
}
