package io.durableops.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Combining step options keeps every part; a factory called on options does not compile. */
class StepOptionsTest {
    @TempDir
    Path out;

    private static final RetryPolicy POLICY = RetryPolicy.fixed(3, Duration.ofSeconds(2));

    /** Each part, added by its {@code and...} method. */
    private static final List<UnaryOperator<StepOptions>> PARTS = List.of(
            o -> o.andThen("send-receipt"),
            o -> o.andDelay(Duration.ofMinutes(10)),
            o -> o.andRetry(POLICY),
            StepOptions::andTransactional,
            o -> o.andTimeout(Duration.ofSeconds(30)));

    /** The same parts, as the factory that starts with each. */
    private static final List<StepOptions> FACTORIES = List.of(
            StepOptions.then("send-receipt"),
            StepOptions.delay(Duration.ofMinutes(10)),
            StepOptions.retry(POLICY),
            StepOptions.transactional(),
            StepOptions.timeout(Duration.ofSeconds(30)));

    @Test
    void startingFromAnyFactoryAndAddingTheRestKeepsEveryPart() {
        for (int first = 0; first < FACTORIES.size(); first++) {
            StepOptions forward = FACTORIES.get(first);
            StepOptions backward = FACTORIES.get(first);
            for (int i = 0; i < PARTS.size(); i++) {
                if (i != first) forward = PARTS.get(i).apply(forward);
                int j = PARTS.size() - 1 - i;
                if (j != first) backward = PARTS.get(j).apply(backward);
            }
            assertHasEveryPart(forward);
            assertHasEveryPart(backward);
        }
    }

    @Test
    void theJavadocExampleKeepsItsNextStepAndItsPolicy() {
        StepOptions options = StepOptions.then("send-receipt").andRetry(RetryPolicy.exponential(8));

        assertThat(options.next()).isEqualTo("send-receipt");
        assertThat(options.retryPolicy().maxAttempts()).isEqualTo(8);
    }

    @Test
    void addingAPartLeavesTheOptionsItStartedFromAsTheyWere() {
        StepOptions base = StepOptions.then("a");

        StepOptions delayed = base.andDelay(Duration.ofSeconds(1));

        assertThat(base.startDelay()).isZero();
        assertThat(delayed.next()).isEqualTo("a");
        assertThat(StepOptions.defaults()).isEqualTo(StepOptions.defaults().andDelay(Duration.ZERO));
    }

    @Test
    void nonsenseIsRejectedWhenTheOptionsAreMade() {
        assertThatThrownBy(() -> StepOptions.then(" ")).isInstanceOf(ConfigurationException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> StepOptions.retry(POLICY).andDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> StepOptions.transactional().andTimeout(Duration.ZERO))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("must be positive");
    }

    @Test
    void aFactoryCalledOnOptionsDoesNotCompile() throws IOException {
        String combined = "StepOptions.then(\"x\").andRetry(RetryPolicy.exponential(8))";
        String dropping = "StepOptions.then(\"x\").retry(RetryPolicy.exponential(8))";

        assertThat(compile(combined)).as("the and... form compiles").isEmpty();
        assertThat(compile(dropping)).extracting(Diagnostic::getCode).containsExactly("compiler.err.illegal.static.intf.meth.call");
    }

    private static void assertHasEveryPart(StepOptions options) {
        assertThat(options.next()).isEqualTo("send-receipt");
        assertThat(options.startDelay()).isEqualTo(Duration.ofMinutes(10));
        assertThat(options.retryPolicy()).isSameAs(POLICY);
        assertThat(options.isTransactional()).isTrue();
        assertThat(options.stepTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    /** Compiles {@code Object o = <expression>;} against core's classes; returns the errors. */
    private List<Diagnostic<? extends JavaFileObject>> compile(String expression) throws IOException {
        String source = "import io.durableops.core.*;\nclass Uses { Object o = " + expression + "; }\n";
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Uses.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Path classes = Path.of(URI.create(StepOptions.class.getProtectionDomain().getCodeSource().getLocation().toString()));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
            compiler.getTask(null, files, diagnostics, List.of("-classpath", classes.toString(), "-d", out.toString()), null, List.of(file)).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
    }
}
