package io.durableops.core;

import com.fasterxml.jackson.core.type.TypeReference;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only view of JSON data that belongs to an operation: its globals, its results or an attempt's
 * arguments. Values are converted with the configured Jackson {@code ObjectMapper}.
 */
public interface Data {
    /**
     * The value under {@code key} converted to {@code type}.
     *
     * @throws DurableOpsException if there is no such key
     * @throws SerializationException if the stored JSON cannot be read as {@code type}
     */
    <T> T get(String key, Class<T> type);

    /** As {@link #get(String, Class)}, for generic types such as {@code List<Item>}. */
    <T> T get(String key, TypeReference<T> type);

    /** The value under {@code key}, or empty when the key is absent or JSON null. */
    <T> Optional<T> find(String key, Class<T> type);

    boolean has(String key);

    Set<String> keys();

    /** Everything as plain Java values (maps, lists, strings, numbers, booleans). */
    Map<String, Object> asMap();

    /** Everything as a JSON object text. */
    String toJson();
}
