package org.vqlab.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Binds a config section to a record, once, with the checks a user needs before heavy work starts:
 * every key of the section must be a component (snake_case of the component name), every component
 * must have a value (the marker {@value #MISSING} means "required, no default"), and each value must
 * have the component's type. Errors name the full key, its origin, and the expected and given type.
 *
 * <p>Supported component types: primitives and their boxes, String, enums (matched ignoring case),
 * {@code List<String|Integer|Long|Double|Boolean>}, nested records and {@link Section} (kept raw).
 * A {@code null} value binds to null for reference types.
 */
public final class ConfigBinder {
  /** Hydra's marker for a required value that has no default. */
  public static final String MISSING = "???";

  private ConfigBinder() {}

  public static <R extends Record> R bind(Section section, Class<R> type) {
    RecordComponent[] components = type.getRecordComponents();
    Set<String> known = new LinkedHashSet<>();
    for (RecordComponent c : components) {
      known.add(snake(c.getName()));
    }
    Config config = section.config();
    for (String key : config.root().keySet()) {
      if (!known.contains(key) && !key.equals("type")) {
        ConfigValue v = config.root().get(key);
        List<String> full = new ArrayList<>();
        known.forEach(k -> full.add(section.fullKey(k)));
        throw new ConfigError("unknown key '" + section.fullKey(key) + "' (from "
            + v.origin().description() + ")" + Suggestions.didYouMean(section.fullKey(key), full)
            + "; keys of " + type.getSimpleName() + ": " + known);
      }
    }
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      args[i] = value(section, snake(c.getName()), c.getType(), c.getGenericType());
    }
    try {
      Constructor<R> ctor = type.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConfigError ce) {
        throw ce;
      }
      if (cause instanceof IllegalArgumentException iae) {
        String where = section.path().isEmpty() ? "config" : "'" + section.path() + "'";
        throw new ConfigError("invalid " + where + ": " + iae.getMessage(), iae);
      }
      throw new IllegalStateException("cannot build " + type.getName(), cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getName(), e);
    }
  }

  private static Object value(Section section, String key, Class<?> type, Type generic) {
    Config config = section.config();
    String full = section.fullKey(key);
    if (type == Section.class) {
      return section.child(key);
    }
    if (!config.hasPathOrNull(key)) {
      throw new ConfigError("missing required value '" + full + "' (expected " + describe(type)
          + "); set it in the config or on the command line with " + full + "=...");
    }
    if (config.getIsNull(key)) {
      if (type.isPrimitive()) {
        throw new ConfigError("missing required value '" + full + "' (expected " + describe(type)
            + ", got null from " + config.getValue(key).origin().description() + ")");
      }
      return null;
    }
    ConfigValue raw = config.getValue(key);
    if (raw.valueType() == ConfigValueType.STRING && MISSING.equals(raw.unwrapped())) {
      throw new ConfigError("missing required value '" + full + "' (" + describe(type)
          + ", marked " + MISSING + " in " + raw.origin().description() + "); set it with " + full
          + "=...");
    }
    try {
      if (type == int.class || type == Integer.class) {
        return config.getInt(key);
      } else if (type == long.class || type == Long.class) {
        return config.getLong(key);
      } else if (type == double.class || type == Double.class) {
        return config.getDouble(key);
      } else if (type == float.class || type == Float.class) {
        return (float) config.getDouble(key);
      } else if (type == boolean.class || type == Boolean.class) {
        return config.getBoolean(key);
      } else if (type == String.class) {
        if (raw.valueType() == ConfigValueType.OBJECT || raw.valueType() == ConfigValueType.LIST) {
          throw wrongType(full, "a string", raw);
        }
        return config.getString(key);
      } else if (type.isEnum()) {
        return enumValue(full, type, raw, config.getString(key));
      } else if (type == List.class) {
        Type arg = ((ParameterizedType) generic).getActualTypeArguments()[0];
        if (arg == String.class) {
          return List.copyOf(config.getStringList(key));
        } else if (arg == Integer.class) {
          return List.copyOf(config.getIntList(key));
        } else if (arg == Long.class) {
          return List.copyOf(config.getLongList(key));
        } else if (arg == Double.class) {
          return List.copyOf(config.getDoubleList(key));
        } else if (arg == Boolean.class) {
          return List.copyOf(config.getBooleanList(key));
        }
        throw new IllegalArgumentException("unsupported list element type " + arg + " for " + full);
      } else if (type.isRecord()) {
        if (raw.valueType() != ConfigValueType.OBJECT) {
          throw wrongType(full, "an object", raw);
        }
        @SuppressWarnings("unchecked")
        Class<? extends Record> rt = (Class<? extends Record>) type;
        return bind(section.child(key), rt);
      }
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw wrongType(full, describe(type), raw);
    }
    throw new IllegalArgumentException("unsupported config type " + type + " for " + full);
  }

  private static Object enumValue(String full, Class<?> type, ConfigValue raw, String s) {
    List<String> names = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      String name = ((Enum<?>) constant).name().toLowerCase(Locale.ROOT);
      names.add(name);
      if (name.equalsIgnoreCase(s)) {
        return constant;
      }
    }
    throw new ConfigError("invalid value '" + s + "' for '" + full + "' (from "
        + raw.origin().description() + "); expected one of " + names);
  }

  private static ConfigError wrongType(String full, String expected, ConfigValue raw) {
    return new ConfigError("wrong type for '" + full + "': expected " + expected + " but got "
        + raw.valueType().name().toLowerCase(Locale.ROOT) + " " + raw.render() + " (from "
        + raw.origin().description() + ")");
  }

  private static String describe(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    } else if (type == double.class || type == Double.class || type == float.class
        || type == Float.class) {
      return "a number";
    } else if (type == boolean.class || type == Boolean.class) {
      return "a boolean";
    } else if (type == String.class) {
      return "a string";
    } else if (type == List.class) {
      return "a list";
    } else if (type.isEnum()) {
      List<String> names = new ArrayList<>();
      for (Object c : type.getEnumConstants()) {
        names.add(((Enum<?>) c).name().toLowerCase(Locale.ROOT));
      }
      return "one of " + names;
    }
    return "an object";
  }

  /** {@code numCodes} -> {@code num_codes}. */
  public static String snake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        sb.append('_').append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }
}
