package org.flawmap.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Dataset readers by layout name, and detection of the layout of a folder.
 *
 * <p>Names: {@code mvtec} ({@link MvtecReader}), {@code btad} ({@link BtadReader}),
 * {@code visa} ({@link VisaReader} with the default split CSV), {@code folder}
 * ({@link FolderReader} with {@link FolderReader.Options#defaults()}). Readers that need other
 * settings are created with their constructors.
 */
public final class DatasetReaders {

  /** Layout names, in the order {@link #detect} tries them. */
  public static final List<String> LAYOUTS = List.of("mvtec", "btad", "visa", "folder");

  private DatasetReaders() {}

  /**
   * Returns a reader with default settings for {@code name}, ignoring case.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static DatasetReader forLayout(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "mvtec" -> new MvtecReader();
      case "btad" -> new BtadReader();
      case "visa" -> new VisaReader();
      case "folder" -> new FolderReader();
      default -> throw new IllegalArgumentException(
          "unknown dataset layout " + name + "; known layouts are " + LAYOUTS);
    };
  }

  /**
   * Returns the name of the layout of {@code root} from the folders it contains:
   * {@code train/good} (mvtec), {@code train/ok} (btad), {@value VisaReader#DEFAULT_SPLIT_CSV}
   * (visa), or both {@code normal/} and {@code abnormal/} (folder).
   *
   * @throws DatasetException when none or several match, saying what was looked for
   */
  public static String detect(Path root) {
    if (!Files.isDirectory(root)) {
      throw new DatasetException("dataset folder " + root + " does not exist or is not a folder");
    }
    List<String> matches = new ArrayList<>();
    if (Files.isDirectory(root.resolve("train/good"))) {
      matches.add("mvtec");
    }
    if (Files.isDirectory(root.resolve("train/ok"))) {
      matches.add("btad");
    }
    if (Files.isRegularFile(root.resolve(VisaReader.DEFAULT_SPLIT_CSV))) {
      matches.add("visa");
    }
    if (Files.isDirectory(root.resolve("normal")) && Files.isDirectory(root.resolve("abnormal"))) {
      matches.add("folder");
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    String lookedFor = "train/good/ (mvtec), train/ok/ (btad), " + VisaReader.DEFAULT_SPLIT_CSV
        + " (visa), normal/ and abnormal/ (folder)";
    if (matches.isEmpty()) {
      throw new DatasetException(
          "cannot detect the dataset layout of %s: looked for %s and found none; choose the"
              .formatted(root, lookedFor) + " layout explicitly");
    }
    throw new DatasetException(
        "cannot detect the dataset layout of %s: it matches %s; choose one explicitly"
            .formatted(root, matches));
  }
}
