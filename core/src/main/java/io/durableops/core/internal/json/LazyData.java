package io.durableops.core.internal.json;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.Data;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** {@link Data} decrypted on first use, so a view can be shown even when its payload cannot be decrypted. */
public final class LazyData implements Data {
    private final Supplier<ObjectNode> source;
    private final JsonCodec codec;
    private final String what;
    private volatile JsonData data;

    public LazyData(Supplier<ObjectNode> source, JsonCodec codec, String what) {
        this.source = source;
        this.codec = codec;
        this.what = what;
    }

    private JsonData data() {
        JsonData d = data;
        if (d == null) {
            d = new JsonData(source.get(), codec, what);
            data = d;
        }
        return d;
    }

    @Override
    public <T> T get(String key, Class<T> type) {
        return data().get(key, type);
    }

    @Override
    public <T> T get(String key, TypeReference<T> type) {
        return data().get(key, type);
    }

    @Override
    public <T> Optional<T> find(String key, Class<T> type) {
        return data().find(key, type);
    }

    @Override
    public boolean has(String key) {
        return data().has(key);
    }

    @Override
    public Set<String> keys() {
        return data().keys();
    }

    @Override
    public Map<String, Object> asMap() {
        return data().asMap();
    }

    @Override
    public String toJson() {
        return data().toJson();
    }

    @Override
    public String toString() {
        return what;
    }
}
