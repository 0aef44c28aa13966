package org.flawmap.report.html;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs headless Chromium on a local HTML file, to read back the DOM after its scripts ran or to
 * take a screenshot. Each run gets a new, empty profile folder, and the flags turn off the
 * browser's own background requests, so a run sends nothing to the network.
 *
 * <p>Uses only the JDK, so it also runs as a single-file program:
 * {@code java flawmap-core/src/test/java/org/flawmap/report/html/HeadlessChromium.java
 * report.html report.png [1280x2400]}.
 */
public final class HeadlessChromium {

  /** The Debian package's launcher; the system property {@code flawmap.chromium} overrides it. */
  public static final Path EXECUTABLE =
      Path.of(System.getProperty("flawmap.chromium", "/usr/bin/chromium"));

  /** Default screenshot size in CSS pixels: the report's width, about two screens high. */
  public static final int DEFAULT_WIDTH = 1280;
  public static final int DEFAULT_HEIGHT = 2400;

  private static final long TIMEOUT_SECONDS = 120;
  private static final Pattern CHECK_ATTRIBUTE =
      Pattern.compile("<body\\b[^>]*?\\sdata-check=\"([^\"]*)\"");

  private HeadlessChromium() {}

  public static boolean isAvailable() {
    return Files.isExecutable(EXECUTABLE);
  }

  /** Returns the DOM of {@code html} as serialised by Chromium after 10 s of virtual time. */
  public static String dumpDom(Path html) throws IOException, InterruptedException {
    return run(html, List.of("--dump-dom"));
  }

  /** Renders {@code html} at {@code width} × {@code height} CSS pixels into {@code png}. */
  public static void screenshot(Path html, Path png, int width, int height)
      throws IOException, InterruptedException {
    Path target = png.toAbsolutePath();
    Files.deleteIfExists(target);
    run(html, List.of("--hide-scrollbars", "--screenshot=" + target,
        "--window-size=" + width + "," + height));
    if (!Files.isRegularFile(target) || Files.size(target) == 0) {
      throw new IOException("Chromium did not write the screenshot " + target);
    }
  }

  /**
   * Returns the JSON that the report's self-check script wrote into {@code <body data-check>},
   * with the HTML entities of the serialised attribute decoded.
   *
   * @throws IllegalStateException when the attribute is missing, which means the script did not
   *     run or did not finish within the virtual time budget
   */
  public static String checkResult(String dom) {
    Matcher m = CHECK_ATTRIBUTE.matcher(dom);
    if (!m.find()) {
      throw new IllegalStateException("the dumped DOM has no <body data-check=...>: the report's"
          + " check script did not run. DOM starts with: "
          + dom.substring(0, Math.min(300, dom.length())));
    }
    return m.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&#39;", "'").replace("&amp;", "&");
  }

  private static String run(Path html, List<String> modeArguments)
      throws IOException, InterruptedException {
    if (!isAvailable()) {
      throw new IOException(EXECUTABLE + " not found; install Chromium with"
          + " 'apt-get update && apt-get install -y chromium' or set -Dflawmap.chromium=PATH");
    }
    if (!Files.isRegularFile(html)) {
      throw new java.nio.file.NoSuchFileException(html.toString(), null,
          "HTML file to render not found");
    }
    Path profile = Files.createTempDirectory("flawmap-chromium-profile");
    Path stdout = Files.createTempFile("flawmap-chromium", ".out");
    Path stderr = Files.createTempFile("flawmap-chromium", ".err");
    try {
      List<String> command = new ArrayList<>(List.of(EXECUTABLE.toString(), "--headless",
          "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--user-data-dir=" + profile, "--virtual-time-budget=10000"));
      command.addAll(modeArguments);
      command.add(html.toAbsolutePath().toUri().toString());
      Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile()).start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IOException("Chromium timed out after " + TIMEOUT_SECONDS + " s on " + html
            + "; its error output ends with: " + tail(stderr));
      }
      if (process.exitValue() != 0) {
        throw new IOException("Chromium failed with exit code " + process.exitValue() + " on "
            + html + "; its error output ends with: " + tail(stderr));
      }
      return Files.readString(stdout, StandardCharsets.UTF_8);
    } finally {
      deleteRecursively(profile);
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  private static String tail(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return text.substring(Math.max(0, text.length() - 2000));
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /**
   * Renders a report to PNG. Arguments: {@code REPORT.html OUT.png [WIDTHxHEIGHT]}, the size in
   * CSS pixels, 1280x2400 by default.
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: HeadlessChromium REPORT.html OUT.png [WIDTHxHEIGHT]"
          + " (size in CSS pixels, default " + DEFAULT_WIDTH + "x" + DEFAULT_HEIGHT + ")");
      System.exit(2);
    }
    int width = DEFAULT_WIDTH;
    int height = DEFAULT_HEIGHT;
    if (args.length == 3) {
      String[] size = args[2].split("x");
      if (size.length != 2 || !size[0].matches("\\d{2,5}") || !size[1].matches("\\d{2,5}")) {
        System.err.println("invalid size '" + args[2] + "'; expected WIDTHxHEIGHT, e.g. 1280x2400");
        System.exit(2);
      }
      width = Integer.parseInt(size[0]);
      height = Integer.parseInt(size[1]);
    }
    screenshot(Path.of(args[0]), Path.of(args[1]), width, height);
    System.out.println("wrote " + args[1] + " (" + width + "x" + height + ")");
  }
}
