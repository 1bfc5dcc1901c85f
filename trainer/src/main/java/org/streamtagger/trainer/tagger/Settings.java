package org.streamtagger.trainer.tagger;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The settings records ({@link ModelSettings}, {@link TrainingSettings}) by key: each component's
 * name in snake case ({@code charHidden} is {@code char_hidden}), its value of the component's
 * type. What checkpoints, metrics and {@code --set} read and write, with no list of fields written
 * twice.
 */
final class Settings {
  private Settings() {}

  /** The record's values by key, in declaration order. */
  static Map<String, Object> asMap(Record settings) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (RecordComponent c : settings.getClass().getRecordComponents()) {
      m.put(key(c), read(c, settings));
    }
    return m;
  }

  /** Whether {@code type} has a component for {@code key}. */
  static boolean has(Class<? extends Record> type, String key) {
    for (RecordComponent c : type.getRecordComponents()) {
      if (key(c).equals(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A copy of {@code settings} with the values of {@code values} whose keys it has; a value may be
   * of the component's type, a number or boolean read from JSON, or text (from the command line).
   *
   * @throws IllegalArgumentException naming the key, the value and the type expected
   */
  @SuppressWarnings("unchecked")
  static <R extends Record> R with(R settings, Map<String, ?> values) {
    RecordComponent[] components = settings.getClass().getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      String key = key(c);
      args[i] =
          values.containsKey(key) ? convert(key, values.get(key), c.getType()) : read(c, settings);
    }
    try {
      return (R) settings.getClass().getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object convert(String key, Object value, Class<?> type) {
    if (value instanceof String text && type != String.class) {
      return parse(key, text.trim(), type);
    }
    if (type == int.class && value instanceof Number n && n.doubleValue() == n.intValue()) {
      return n.intValue();
    }
    if (type == long.class && value instanceof Number n && n.doubleValue() == n.longValue()) {
      return n.longValue();
    }
    if (type == float.class && value instanceof Number n) {
      return n.floatValue();
    }
    if ((type == boolean.class && value instanceof Boolean)
        || (type == String.class && value instanceof String)) {
      return value;
    }
    throw new IllegalArgumentException(
        key
            + "="
            + value
            + ": expected "
            + describe(type)
            + ", found "
            + value.getClass().getSimpleName());
  }

  private static Object parse(String key, String text, Class<?> type) {
    try {
      if (type == int.class) {
        return Integer.parseInt(text);
      }
      if (type == long.class) {
        return Long.parseLong(text);
      }
      if (type == float.class) {
        float f = Float.parseFloat(text);
        if (Float.isFinite(f)) {
          return f;
        }
      }
      if (type == boolean.class && (text.equals("true") || text.equals("false"))) {
        return Boolean.parseBoolean(text);
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(key + "=" + text + ": expected " + describe(type));
  }

  private static String describe(Class<?> type) {
    if (type == int.class || type == long.class) {
      return "an integer";
    }
    if (type == float.class) {
      return "a number";
    }
    if (type == boolean.class) {
      return "true or false";
    }
    return "text";
  }

  private static Object read(RecordComponent c, Record r) {
    try {
      return c.getAccessor().invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code charHidden} → {@code char_hidden}. */
  static String key(RecordComponent c) {
    return c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  static void positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
  }

  static void unitInterval(String name, float v) {
    if (!(v >= 0f && v < 1f)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
    }
  }
}
