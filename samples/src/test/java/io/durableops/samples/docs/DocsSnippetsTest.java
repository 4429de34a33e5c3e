package io.durableops.samples.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the docs' code honest: every code block in README.md and docs/*.md preceded by {@code <!-- snippet: path#tag -->} must be
 * exactly the region between {@code // tag::tag[]} and {@code // end::tag[]} of that compiled, tested source file
 * (indentation removed).
 */
class DocsSnippetsTest {
    private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyMarkedSnippetMatchesItsSource() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> checked = new ArrayList<>();
        try (Stream<Path> docs = Stream.concat(Files.list(root.resolve("docs")), Stream.of(root.resolve("README.md")))) {
            for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
                Matcher m = SNIPPET.matcher(Files.readString(doc));
                while (m.find()) {
                    String region = region(root.resolve(m.group(1)), m.group(2));
                    assertThat(m.group(3)).as("%s: snippet %s#%s", doc.getFileName(), m.group(1), m.group(2)).isEqualTo(region);
                    checked.add(doc.getFileName() + ":" + m.group(2));
                }
            }
        }
        assertThat(checked).as("snippets checked").contains("testing.md:engine-test", "writing-operations.md:definition", "README.md:readme",
                "spring-boot.md:transactional-enqueue", "spring-boot.md:definition-beans");
    }

    static String region(Path source, String tag) throws IOException {
        List<String> lines = Files.readAllLines(source);
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals("// tag::" + tag + "[]")) start = i + 1;
            if (lines.get(i).trim().equals("// end::" + tag + "[]")) end = i;
        }
        assertThat(start).as("tag %s in %s", tag, source).isPositive();
        List<String> region = lines.subList(start, end);
        int indent = region.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : region) out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        return out.toString();
    }
}
