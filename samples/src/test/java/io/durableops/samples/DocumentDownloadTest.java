package io.durableops.samples;

import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.testing.StepTester;
import io.durableops.core.testing.TestEngine;
import io.durableops.samples.downloads.PrepareDocumentForDownload;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentDownloadTest {
    final PrepareDocumentForDownload.Policy policy = new PrepareDocumentForDownload.Policy() {
        public boolean canRead(String user, String document) {
            return !user.equals("mallory");
        }

        public boolean withinDownloadLimits(String user) {
            return !user.equals("greedy");
        }

        public String scrambledName(String document) {
            return "lorem" + document.substring(document.lastIndexOf('.'));
        }
    };

    @Test
    void eachDecisionIsTestedInIsolation() {
        StepTester steps = StepTester.of(new PrepareDocumentForDownload(policy));
        assertThat(steps.handling("authorised?", Map.of("user", "mallory", "document", "q3.pdf")).nextStep()).hasValue("unauthorised");
        assertThat(steps.handling("within-download-limits?", Map.of("user", "greedy")).nextStep()).hasValue("download-limit-reached");
        assertThat(steps.handling("use-filename-scrambler?", Map.of("useFilenameScrambler", true)).nextStep()).hasValue("scramble-filename");
        assertThat(steps.handling("scramble-filename", Map.of("document", "q3.pdf")).globals().get("filename", String.class)).isEqualTo("lorem.pdf");
    }

    @Test
    void theWholeFlowchartReturnsAFilenameOrFailsWithAReason() {
        try (TestEngine engine = TestEngine.of(new PrepareDocumentForDownload(policy))) {
            OperationId plain = engine.scheduler().enqueue(PrepareDocumentForDownload.NAME, Map.of("user", "ada", "document", "q3.pdf", "useFilenameScrambler", false));
            OperationId scrambled = engine.scheduler().enqueue(PrepareDocumentForDownload.NAME, Map.of("user", "ada", "document", "q3.pdf", "useFilenameScrambler", true));
            OperationId denied = engine.scheduler().enqueue(PrepareDocumentForDownload.NAME, Map.of("user", "mallory", "document", "q3.pdf", "useFilenameScrambler", false));
            OperationId limited = engine.scheduler().enqueue(PrepareDocumentForDownload.NAME, Map.of("user", "greedy", "document", "q3.pdf", "useFilenameScrambler", false));
            engine.runUntilIdle();
            assertThat(engine.scheduler().get(plain).results().get("filename", String.class)).isEqualTo("q3.pdf");
            assertThat(engine.scheduler().get(scrambled).results().get("filename", String.class)).isEqualTo("lorem.pdf");
            assertThat(engine.scheduler().get(denied).status()).isEqualTo(OperationStatus.FAILED);
            assertThat(engine.scheduler().get(denied).failureReason()).hasValue("unauthorised");
            assertThat(engine.scheduler().get(limited).failureReason()).hasValue("download_limit_reached");
        }
    }
}
