package org.flawmap.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.flawmap.image.ImageFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File listing shared by the readers.
 *
 * <p>Rule for files that are not images: hidden and system files (names starting with a dot,
 * {@code Thumbs.db}, {@code desktop.ini}, {@code ehthumbs.db}, {@code __MACOSX} folders) are
 * ignored and logged at DEBUG, because file managers create them without the user's knowledge.
 * Every other file whose extension is not png, jpg, jpeg or bmp (in any case), and every
 * unexpected subfolder, is a layout problem. A stray file could be an image in a format that is
 * not supported, and skipping it would silently change the dataset.
 */
final class DatasetFiles {

  private static final Logger LOG = LoggerFactory.getLogger(DatasetFiles.class);

  private static final Set<String> SYSTEM_FILES =
      Set.of("thumbs.db", "ehthumbs.db", "desktop.ini", "__macosx", "icon\r");

  /** Extensions accepted for images and masks, as listed in messages. */
  static final String EXTENSIONS = "png, jpg, jpeg, bmp";

  private DatasetFiles() {}

  static boolean isHiddenOrSystem(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(".") || SYSTEM_FILES.contains(name.toLowerCase(Locale.ROOT));
  }

  static boolean isImageName(Path file) {
    return ImageFormat.fromFileName(file.getFileName().toString()).isPresent();
  }

  /** Returns the file name without its last extension. */
  static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** Returns the name of the folder {@code root}, the default product name. */
  static String folderName(Path root) {
    Path name = root.toAbsolutePath().normalize().getFileName();
    return name != null ? name.toString() : root.toAbsolutePath().toString();
  }

  /** Returns the path of {@code file} relative to {@code root}, with forward slashes. */
  static String relativeId(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  /** Lists the entries of {@code dir} except hidden and system files, sorted by name. */
  static List<Path> listVisible(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> visible = new ArrayList<>();
      for (Path entry : (Iterable<Path>) entries::iterator) {
        if (isHiddenOrSystem(entry)) {
          LOG.debug("Ignoring hidden or system file {}", entry);
        } else {
          visible.add(entry);
        }
      }
      visible.sort(null);
      return visible;
    }
  }

  /** Lists the visible subfolders of {@code dir}, sorted by name. */
  static List<Path> listFolders(Path dir) throws IOException {
    List<Path> folders = new ArrayList<>();
    for (Path entry : listVisible(dir)) {
      if (Files.isDirectory(entry)) {
        folders.add(entry);
      }
    }
    return folders;
  }

  /**
   * Lists the image files directly in {@code dir}, sorted by name. Other visible files and any
   * subfolder are added to {@code problems}, named relative to {@code root}.
   */
  static List<Path> listImages(Path dir, Path root, LayoutProblems problems) throws IOException {
    List<Path> images = new ArrayList<>();
    for (Path entry : listVisible(dir)) {
      String id = relativeId(root, entry);
      if (Files.isDirectory(entry)) {
        problems.add("unexpected folder " + id + "/: image folders must not contain folders");
      } else if (!isImageName(entry)) {
        problems.add("%s is not an image file; convert it to one of %s, or remove it"
            .formatted(id, EXTENSIONS));
      } else {
        images.add(entry);
      }
    }
    return images;
  }

  /**
   * The mask files of one folder, looked up by the image stem plus one of several suffixes.
   * Stems match exactly; extensions match any of png, jpg, jpeg, bmp in any case.
   */
  static final class MaskFolder {
    private final Path dir;
    private final Map<String, List<Path>> byStem = new HashMap<>();
    private final Map<Path, String> usedBy = new HashMap<>();

    MaskFolder(Path dir, Path root, LayoutProblems problems) throws IOException {
      this.dir = dir;
      if (!Files.isDirectory(dir)) {
        return;
      }
      for (Path mask : listImages(dir, root, problems)) {
        byStem.computeIfAbsent(stem(mask), key -> new ArrayList<>()).add(mask);
      }
    }

    Path dir() {
      return dir;
    }

    /**
     * Returns the mask for the image {@code imageId}, trying the image stem plus each suffix in
     * order, or null when there is none. Two masks with the same stem and different extensions,
     * and a mask claimed by two images, are problems.
     */
    Path find(String imageId, List<String> suffixes, Path root, LayoutProblems problems) {
      String imageStem = stem(Path.of(imageId));
      for (String suffix : suffixes) {
        List<Path> candidates = byStem.get(imageStem + suffix);
        if (candidates == null) {
          continue;
        }
        if (candidates.size() > 1) {
          List<String> ids = candidates.stream().map(p -> relativeId(root, p)).toList();
          problems.add("ambiguous masks " + String.join(" and ", ids) + ": keep only one");
        }
        Path mask = candidates.get(0);
        String previous = usedBy.putIfAbsent(mask, imageId);
        if (previous != null) {
          problems.add("mask %s matches both %s and %s; give each image its own mask"
              .formatted(relativeId(root, mask), previous, imageId));
        }
        return mask;
      }
      return null;
    }

    /** Returns the masks that no image looked up, sorted. */
    List<Path> unused() {
      List<Path> unused = new ArrayList<>();
      for (List<Path> masks : byStem.values()) {
        for (Path mask : masks) {
          if (!usedBy.containsKey(mask)) {
            unused.add(mask);
          }
        }
      }
      unused.sort(null);
      return unused;
    }
  }

  /** Describes the mask names tried for {@code imageStem}, for a missing-mask message. */
  static String expectedMaskNames(
      Path maskDir, Path root, String imageStem, List<String> suffixes) {
    List<String> names = new ArrayList<>();
    for (String suffix : suffixes) {
      names.add(relativeId(root, maskDir.resolve(imageStem + suffix)) + ".<png|jpg|jpeg|bmp>");
    }
    return String.join(" or ", names);
  }
}
