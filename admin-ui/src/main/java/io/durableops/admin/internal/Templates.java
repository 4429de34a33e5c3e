package io.durableops.admin.internal;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Pebble templates from {@code io/durableops/admin/templates/*.peb}. Auto-escaping for HTML is on (Pebble's default,
 * stated here so it can never be turned off by accident): every {@code {{ value }}} is escaped; no template uses
 * {@code |raw}.
 */
final class Templates {
    private final PebbleEngine engine;

    Templates() {
        ClasspathLoader loader = new ClasspathLoader(Templates.class.getClassLoader());
        loader.setPrefix("io/durableops/admin/templates");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder()
                .loader(loader)
                .autoEscaping(true)
                .defaultEscapingStrategy("html")
                .strictVariables(false)
                .newLineTrimming(true)
                .build();
    }

    String render(String name, Map<String, Object> model) {
        PebbleTemplate template = engine.getTemplate(name);
        StringWriter out = new StringWriter();
        try {
            template.evaluate(out, model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
