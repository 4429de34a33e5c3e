package io.durableops.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.internal.flow.CompiledDefinition;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The declared search attributes of an operation, taken from its globals and stored in clear. */
final class SearchAttributes {
    private static final int MAX_LENGTH = 200;

    private SearchAttributes() {
    }

    static void save(Engine engine, Connection c, UUID operationId, CompiledDefinition definition, ObjectNode globals) throws SQLException {
        if (definition.searchAttributes().isEmpty()) return;
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : definition.searchAttributes()) {
            JsonNode value = globals.get(name);
            if (value != null && !value.isNull()) values.put(name, text(value));
        }
        engine.flow().replaceSearchAttributes(c, operationId, definition.name(), values);
    }

    /** How a value is stored and compared: scalars as their text (42, "42" and 42L alike), others as JSON. */
    static String text(JsonNode value) {
        String text = value.isValueNode() ? value.asText() : value.toString();
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH);
    }
}
