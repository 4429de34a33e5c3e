package io.durableops.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One worker node: samples' {@code ReliabilityWorker} in its own JVM; every incarnation logs to its own file. */
final class WorkerProcess {
    static final String MAIN = "io.durableops.samples.reliability.ReliabilityWorker";

    private final String name;
    private List<String> arguments;
    private final Path logDirectory;
    private int incarnation;
    private Process process;
    private Path log;

    WorkerProcess(String name, List<String> arguments, Path logDirectory) {
        this.name = name;
        this.arguments = arguments;
        this.logDirectory = logDirectory;
    }

    String name() {
        return name;
    }

    /** Later incarnations start with {@code more} arguments too (the new build of a rolling deploy). */
    void upgrade(List<String> more) {
        List<String> all = new java.util.ArrayList<>(arguments);
        all.addAll(more);
        arguments = List.copyOf(all);
    }

    void start() throws IOException {
        incarnation++;
        log = logDirectory.resolve(name + "." + incarnation + ".log");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), MAIN, "--name", name));
        command.addAll(arguments);
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until this incarnation printed READY. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!Files.readString(log).contains("READY " + name)) {
            if (!process.isAlive()) throw new IllegalStateException(name + " exited during start-up; see " + log);
            if (Instant.now().isAfter(deadline)) throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
            Thread.sleep(100);
        }
    }

    /** SIGKILL: no shutdown hook, no lease released, no JobRunr job handed back. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and a bounded wait for the orderly shutdown, then SIGKILL. */
    void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) kill();
    }

    /** For the driver's shutdown hook: SIGKILL whatever is still running, without waiting. */
    void destroyQuietly() {
        if (process != null) process.destroyForcibly();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    Path log() {
        return log;
    }
}
