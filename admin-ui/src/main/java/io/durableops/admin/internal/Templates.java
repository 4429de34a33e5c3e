package io.durableops.admin.internal;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Pebble templates from {@code io/durableops/admin/templates/*.peb}. Auto-escaping for HTML is on (Pebble's default,
 * stated here so it can never be turned off by accident): every {@code {{ value }}} is escaped; no template uses
 * {@code |raw}. Filters of our own:
 * <ul>
 *   <li>{@code |t}: user-provided text, escaped, isolated and with control characters shown ({@link Text#html})</li>
 *   <li>{@code |plain}: the same marks without markup, for an {@code <option>}</li>
 *   <li>{@code |clip(n)}: at most n characters, saying how many more there are</li>
 *   <li>{@code |when}: an instant as UTC text in a {@code <time>}, with how long ago (or from now) beside it</li>
 * </ul>
 */
final class Templates {
    private final PebbleEngine engine;

    Templates(Clock clock) {
        ClasspathLoader loader = new ClasspathLoader(Templates.class.getClassLoader());
        loader.setPrefix("io/durableops/admin/templates");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder()
                .loader(loader)
                .autoEscaping(true)
                .defaultEscapingStrategy("html")
                .strictVariables(false)
                .newLineTrimming(true)
                .extension(new Filters(clock))
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

    /** "3 min ago", "in 2 h", "just now". */
    static String relative(Instant at, Instant now) {
        Duration d = Duration.between(at, now);
        boolean future = d.isNegative();
        long s = Math.abs(d.getSeconds());
        if (s < 5) return "just now";
        String amount = s < 60 ? s + " s" : s < 3600 ? s / 60 + " min" : s < 172_800 ? s / 3600 + " h" : s / 86_400 + " days";
        return future ? "in " + amount : amount + " ago";
    }

    private static final class Filters extends AbstractExtension {
        private final Clock clock;

        Filters(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Map<String, Filter> getFilters() {
            return Map.of("t", filter(List.of(), (v, args) -> new SafeString(Text.html(v.toString()))),
                    "plain", filter(List.of(), (v, args) -> Text.plain(v.toString())),
                    "clip", filter(List.of("max"), (v, args) -> Text.clip(v.toString(), ((Number) args.get("max")).intValue())),
                    "when", filter(List.of(), (v, args) -> when((Instant) v)));
        }

        private SafeString when(Instant at) {
            String utc = Views.time(at);
            return new SafeString("<time datetime=\"" + at + "\">" + utc + "</time> <span class=\"ago\">("
                    + relative(at, clock.instant()) + ")</span>");
        }

        private static Filter filter(List<String> names, java.util.function.BiFunction<Object, Map<String, Object>, Object> f) {
            return new Filter() {
                @Override
                public List<String> getArgumentNames() {
                    return names;
                }

                @Override
                public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int line) {
                    return input == null ? null : f.apply(input, args);
                }
            };
        }
    }
}
