package org.flawmap.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.flawmap.image.ImageDecodeException.Problem;

/**
 * Decodes PNG, JPEG and BMP files into 8-bit RGB with the JDK's ImageIO readers, and rejects
 * files that ImageIO would decode only in part.
 *
 * <p>Supported variants: 1-, 2-, 4-, 8- and 16-bit gray, gray with alpha, RGB and RGBA, and
 * palette images (PNG); baseline and progressive gray or YCbCr/RGB JPEG; 1-, 4-, 8-, 16-, 24-
 * and 32-bit BMP. Values are taken as stored:
 *
 * <ul>
 *   <li>gray becomes three equal channels;
 *   <li>alpha is ignored, not composited on any background, so a transparent pixel keeps the
 *       colour it stores (PNG stores colour and alpha separately);
 *   <li>16-bit samples keep their top 8 bits ({@code value >> 8}), as {@link RgbImage} states;
 *   <li>palette entries are looked up, and palette transparency is ignored;
 *   <li>embedded colour profiles, gamma and EXIF orientation are ignored.
 * </ul>
 *
 * <p>Rejected, with an {@link ImageDecodeException} naming the file: empty files and other
 * formats ({@link Problem#NOT_AN_IMAGE}); GIF, TIFF, WebP and CMYK or YCCK JPEG
 * ({@link Problem#UNSUPPORTED_FORMAT}); files that end early, a PNG without IEND or a JPEG
 * without EOI ({@link Problem#TRUNCATED}); bad PNG chunk checksums and any decoder warning
 * ({@link Problem#CORRUPT}), because ImageIO reports damaged JPEG data only as a warning and then
 * fills the rest with gray.
 *
 * <p>The format comes from the file's leading bytes, not its extension. Methods are thread-safe:
 * each call uses its own reader.
 */
public final class ImageDecoder {

  private ImageDecoder() {}

  /** Reads and decodes {@code file} into RGB. */
  public static RgbImage decode(Path file) throws ImageDecodeException {
    return decode(readAll(file), file);
  }

  /**
   * Decodes an image held in memory.
   *
   * @param data the complete file contents
   * @param source where the bytes came from, used only in error messages
   */
  public static RgbImage decode(byte[] data, Path source) throws ImageDecodeException {
    ImageFormat format = detectFormat(data, source);

    FileStructure.Defect defect = FileStructure.check(format, data);
    if (defect != null) {
      throw new ImageDecodeException(source, defect.problem(), defect.detail());
    }

    BufferedImage image = readWithImageIo(format, data, source);
    try {
      return RasterConverter.toRgb(image);
    } catch (RasterConverter.UnsupportedLayoutException e) {
      throw new ImageDecodeException(source, Problem.UNSUPPORTED_FORMAT, e.getMessage(), e);
    }
  }

  /**
   * Reads a mask file as one 0..255 value per pixel. Any format and variant that
   * {@link #decode(Path)} accepts is allowed. A colour mask takes the maximum of R, G and B at
   * each pixel rather than the luminance, so that a pure red, green or blue marking counts at
   * full strength (the luminance of pure red is only 76).
   */
  public static GrayImage decodeMaskValues(Path file) throws ImageDecodeException {
    RgbImage rgb = decode(file);
    byte[] source = rgb.rgb();
    byte[] values = new byte[rgb.width() * rgb.height()];
    for (int i = 0, p = 0; i < values.length; i++, p += 3) {
      int max = Math.max(source[p] & 0xFF, Math.max(source[p + 1] & 0xFF, source[p + 2] & 0xFF));
      values[i] = (byte) max;
    }
    return new GrayImage(rgb.width(), rgb.height(), values);
  }

  /**
   * Reads the first bytes of {@code file} and returns its format, without decoding. This is the
   * cheap check that a dataset layout validation can afford for every file.
   */
  public static ImageFormat probeFormat(Path file) throws ImageDecodeException {
    byte[] head = new byte[16];
    int length;
    try (var in = Files.newInputStream(file)) {
      length = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw readFailed(file, e);
    }
    return detectFormat(java.util.Arrays.copyOf(head, length), file);
  }

  private static byte[] readAll(Path file) throws ImageDecodeException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw readFailed(file, e);
    }
  }

  private static ImageDecodeException readFailed(Path file, IOException e) {
    String detail = e instanceof NoSuchFileException ? "no such file" : e.toString();
    return new ImageDecodeException(file, Problem.READ_FAILED, detail, e);
  }

  private static ImageFormat detectFormat(byte[] data, Path source) throws ImageDecodeException {
    if (data.length == 0) {
      throw new ImageDecodeException(source, Problem.NOT_AN_IMAGE, "the file is empty");
    }
    Optional<ImageFormat> format = ImageFormat.fromSignature(data, data.length);
    if (format.isPresent()) {
      return format.get();
    }
    Optional<String> other = ImageFormat.describeUnsupported(data, data.length);
    if (other.isPresent()) {
      throw new ImageDecodeException(
          source,
          Problem.UNSUPPORTED_FORMAT,
          other.get() + " files are not supported; convert the file to PNG");
    }
    int prefixLength = Math.min(data.length, ImageFormat.SIGNATURE_LENGTH);
    String head = HexFormat.ofDelimiter(" ").formatHex(data, 0, prefixLength);
    throw new ImageDecodeException(
        source,
        Problem.NOT_AN_IMAGE,
        "its first bytes (%s) match no PNG, JPEG or BMP signature".formatted(head));
  }

  private static BufferedImage readWithImageIo(ImageFormat format, byte[] data, Path source)
      throws ImageDecodeException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name());
    if (!readers.hasNext()) {
      throw new ImageDecodeException(
          source, Problem.UNSUPPORTED_FORMAT, "this JVM has no ImageIO reader for " + format);
    }
    ImageReader reader = readers.next();
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((ignoredReader, warning) -> warnings.add(warning));

    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
      reader.setInput(in, true, true);
      checkDimensions(reader.getWidth(0), reader.getHeight(0), source);
      BufferedImage image = reader.read(0);
      checkWarnings(warnings, source);
      return image;
    } catch (ImageDecodeException e) {
      throw e;
    } catch (EOFException e) {
      throw new ImageDecodeException(source, Problem.TRUNCATED, "the image data ends early", e);
    } catch (IIOException e) {
      throw classifyReaderError(e, format, source);
    } catch (IOException | RuntimeException e) {
      // ImageIO readers throw assorted runtime exceptions (index and negative-size errors) on
      // malformed headers, so every failure of the read is reported as a corrupt file.
      throw new ImageDecodeException(source, Problem.CORRUPT, "ImageIO failed: " + e, e);
    } finally {
      reader.dispose();
    }
  }

  /**
   * Largest image decoded, in pixels: 64 megapixels (8000 × 8000) by default, set with the system
   * property {@code flawmap.maxImagePixels}. Decoding keeps about three copies of the image (ImageIO
   * raster, RGB copy, resized input), so a larger image needs a larger heap too.
   */
  public static final long MAX_PIXELS =
      Long.getLong("flawmap.maxImagePixels", 64_000_000L);

  private static void checkDimensions(int width, int height, Path source)
      throws ImageDecodeException {
    if ((long) width * height > MAX_PIXELS) {
      throw new ImageDecodeException(
          source,
          Problem.UNSUPPORTED_FORMAT,
          ("%d×%d pixels exceed the limit of %d pixels; downscale the image, or raise the limit"
                  + " with FLAWMAP_JAVA_OPTS=\"-Dflawmap.maxImagePixels=N -Xmx8g\"")
              .formatted(width, height, MAX_PIXELS));
    }
    long bytes = 3L * width * height;
    if (width <= 0 || height <= 0 || bytes > Integer.MAX_VALUE - 8) {
      throw new ImageDecodeException(
          source,
          Problem.UNSUPPORTED_FORMAT,
          "%d×%d pixels do not fit in one RGB array of at most 2^31 bytes"
              .formatted(width, height));
    }
  }

  /**
   * Treats decoder warnings as errors, except those that only report ignored metadata, such as
   * "Embedded color profile is invalid; ignored" from the JDK 17 JPEG reader.
   */
  private static void checkWarnings(List<String> warnings, Path source)
      throws ImageDecodeException {
    for (String warning : warnings) {
      String lower = warning.toLowerCase(Locale.ROOT);
      if (lower.endsWith("ignored")) {
        continue;
      }
      boolean truncated = lower.contains("truncated") || lower.contains("premature end");
      Problem problem = truncated ? Problem.TRUNCATED : Problem.CORRUPT;
      throw new ImageDecodeException(source, problem, "decoder warning: " + warning);
    }
  }

  private static ImageDecodeException classifyReaderError(
      IIOException e, ImageFormat format, Path source) {
    String message = String.valueOf(e.getMessage());
    if (format == ImageFormat.JPEG && message.contains("Unsupported Image Type")) {
      return new ImageDecodeException(
          source,
          Problem.UNSUPPORTED_FORMAT,
          "ImageIO cannot convert this JPEG's colour type (usually CMYK or YCCK) to RGB;"
              + " convert the file to RGB",
          e);
    }
    Throwable cause = e.getCause();
    if (cause instanceof EOFException) {
      return new ImageDecodeException(source, Problem.TRUNCATED, "the image data ends early", e);
    }
    String detail = cause == null ? message : message + " (" + cause + ")";
    return new ImageDecodeException(source, Problem.CORRUPT, "ImageIO failed: " + detail, e);
  }
}
