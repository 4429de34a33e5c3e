package io.durableops.core.internal.json;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.Data;
import io.durableops.core.DurableOpsException;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link Data} over a Jackson object node. */
public final class JsonData implements Data {
    private final ObjectNode node;
    private final JsonCodec codec;
    private final String what;

    public JsonData(ObjectNode node, JsonCodec codec, String what) {
        this.node = node;
        this.codec = codec;
        this.what = what;
    }

    @Override
    public <T> T get(String key, Class<T> type) {
        return codec.fromNode(required(key), type, what + " '" + key + "'");
    }

    @Override
    public <T> T get(String key, TypeReference<T> type) {
        return codec.fromNode(required(key), type, what + " '" + key + "'");
    }

    @Override
    public <T> Optional<T> find(String key, Class<T> type) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) return Optional.empty();
        return Optional.of(codec.fromNode(value, type, what + " '" + key + "'"));
    }

    @Override
    public boolean has(String key) {
        return node.has(key);
    }

    @Override
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap() {
        return codec.mapper().convertValue(node, Map.class);
    }

    @Override
    public String toJson() {
        return node.toString();
    }

    @Override
    public String toString() {
        return what + " " + keys();
    }

    private JsonNode required(String key) {
        JsonNode value = node.get(key);
        if (value == null) {
            throw new DurableOpsException(what + " has no '" + key + "'; it has " + keys());
        }
        return value;
    }
}
