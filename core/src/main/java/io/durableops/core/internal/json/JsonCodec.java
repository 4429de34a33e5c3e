package io.durableops.core.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.durableops.core.DecryptionException;
import io.durableops.core.Encryptor;
import io.durableops.core.SerializationException;
import io.durableops.core.internal.Limits;

import java.io.IOException;
import java.util.Map;

/** Turns user data into encrypted JSON bytes and back. */
public final class JsonCodec {
    private final ObjectMapper mapper;
    private final Encryptor encryptor;

    public JsonCodec(ObjectMapper mapper, Encryptor encryptor) {
        this.mapper = NotData.refusedBy(mapper);
        this.encryptor = encryptor;
    }

    /** The mapper Durable Ops uses unless one is configured: Java time as ISO-8601 text. */
    public static ObjectMapper defaultMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public ObjectNode emptyObject() {
        return mapper.createObjectNode();
    }

    /** Converts a map of user values to a JSON object, naming the first key whose value cannot be written. */
    public ObjectNode toObject(Map<String, ?> values, String what) {
        ObjectNode node = mapper.createObjectNode();
        if (values == null) return node;
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            if (entry.getKey() == null) throw new SerializationException(what + " has a null key", null);
            node.set(entry.getKey(), toNode(entry.getValue(), what + " '" + entry.getKey() + "'"));
        }
        return node;
    }

    /**
     * {@code value} as JSON, as it will read back from storage. Refused with a {@link SerializationException} that says
     * why: a value that is not data ({@link NotData}), one nested deeper than {@link Limits#DEPTH} levels, or one larger
     * than {@link Limits#DOCUMENT_BYTES} once written, so that whatever is accepted can be read back.
     */
    public JsonNode toNode(Object value, String what) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SerializationException(what + " (" + (value == null ? "null" : value.getClass().getName())
                    + ") cannot be written as JSON: " + rootMessage(e), e);
        } catch (StackOverflowError e) {
            throw new SerializationException(what + " is nested too deeply to be written as JSON (at most " + Limits.DEPTH
                    + " levels)", null);
        }
        requireSize(json.length, what);
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new SerializationException(what + " cannot be read back as JSON: " + rootMessage(e), e);
        }
    }

    private static void requireSize(int bytes, String what) {
        if (bytes > Limits.DOCUMENT_BYTES) {
            throw new SerializationException(what + " is " + bytes + " bytes as JSON; Durable Ops stores at most "
                    + Limits.DOCUMENT_BYTES + " bytes (4 MiB) per document: keep large data elsewhere and store a reference", null);
        }
    }

    public <T> T fromNode(JsonNode node, Class<T> type, String what) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SerializationException(what + " cannot be read as " + type.getName() + ": " + rootMessage(e), e);
        }
    }

    public <T> T fromNode(JsonNode node, com.fasterxml.jackson.core.type.TypeReference<T> type, String what) {
        try {
            return mapper.readerFor(type).readValue(node);
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException(what + " cannot be read as " + type.getType() + ": " + rootMessage(e), e);
        }
    }

    /** {@code node} as it reads back from storage (numbers and text in their stored form), for comparisons. */
    public ObjectNode normalize(ObjectNode node) {
        try {
            return (ObjectNode) mapper.readTree(mapper.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new SerializationException("cannot write JSON: " + rootMessage(e), e);
        }
    }

    /** Encrypted JSON bytes of {@code node}, or null for null. */
    public byte[] seal(JsonNode node) {
        return seal(node, "a JSON document");
    }

    /**
     * Encrypted JSON bytes of {@code node} ({@code what}, for the error), or null for null; refused if larger than
     * {@link Limits#DOCUMENT_BYTES}, each value of which may be below the limit while the whole is not (globals).
     */
    public byte[] seal(JsonNode node, String what) {
        if (node == null) return null;
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write " + what + " as JSON: " + rootMessage(e), e);
        }
        requireSize(json.length, what);
        return encryptor.encrypt(json);
    }

    public byte[] sealText(String text) {
        return text == null ? null : encryptor.encrypt(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The JSON object in {@code sealed}; an empty object for null. */
    public ObjectNode open(byte[] sealed, String what) {
        if (sealed == null) return mapper.createObjectNode();
        byte[] plain = decrypt(sealed, what);
        try {
            JsonNode node = mapper.readTree(plain);
            if (!(node instanceof ObjectNode object)) throw new SerializationException(what + " is not a JSON object", null);
            return object;
        } catch (IOException e) {
            throw new SerializationException(what + " is not valid JSON after decryption: " + rootMessage(e), e);
        }
    }

    public String openText(byte[] sealed, String what) {
        return sealed == null ? null : new String(decrypt(sealed, what), java.nio.charset.StandardCharsets.UTF_8);
    }

    private byte[] decrypt(byte[] sealed, String what) {
        try {
            return encryptor.decrypt(sealed);
        } catch (DecryptionException e) {
            throw new DecryptionException("cannot decrypt " + what + ": " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }
}
