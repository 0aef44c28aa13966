package org.flawmap.model;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.flawmap.model.padim.PadimType;
import org.flawmap.model.patchcore.PatchcoreType;

/** The model types on the class path: the built-in ones and those found by ServiceLoader. */
public final class ModelTypes {

  private static volatile Map<String, ModelType> types;

  private ModelTypes() {}

  /** Returns every known type by name, loading the service providers once. */
  public static Map<String, ModelType> all() {
    Map<String, ModelType> known = types;
    if (known == null) {
      known = load();
      types = known;
    }
    return known;
  }

  private static synchronized Map<String, ModelType> load() {
    Map<String, ModelType> found = new TreeMap<>();
    found.put(PadimType.NAME, new PadimType());
    found.put(PatchcoreType.NAME, new PatchcoreType());
    for (ModelType type : ServiceLoader.load(ModelType.class, ModelTypes.class.getClassLoader())) {
      ModelType earlier = found.putIfAbsent(type.name(), type);
      if (earlier != null && earlier.getClass() != type.getClass()) {
        throw new IllegalStateException(
            "two model types are named '%s': %s and %s; remove one module from the class path"
                .formatted(type.name(), earlier.getClass().getName(), type.getClass().getName()));
      }
    }
    return Collections.unmodifiableMap(found);
  }

  /**
   * Returns the type called {@code name}.
   *
   * @throws IllegalArgumentException listing the known types when none has that name
   */
  public static ModelType byName(String name) {
    ModelType type = all().get(name);
    if (type == null) {
      throw new IllegalArgumentException(
          "unknown model type '%s'; this flawmap knows: %s (the trainable models come with the"
              .formatted(name, String.join(", ", all().keySet()))
              + " flawmap-djl module)");
    }
    return type;
  }
}
