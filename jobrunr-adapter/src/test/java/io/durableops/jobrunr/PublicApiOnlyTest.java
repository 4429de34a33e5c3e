package io.durableops.jobrunr;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The adapter is written against core's public API and SPI only, as another job system's adapter would be. */
class PublicApiOnlyTest {
    @Test
    void noSourceOfTheAdapterUsesCoresInternalPackages() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(sources).hasSizeGreaterThan(3);
        for (Path source : sources) {
            assertThat(Files.readString(source)).as(source.toString()).doesNotContain("io.durableops.core.internal");
        }
    }
}
