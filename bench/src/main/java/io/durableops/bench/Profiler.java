package io.durableops.bench;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JDK Flight Recorder recording around one workload (JFR's "profile" settings, with a CPU sample of the running
 * Java threads every 2 ms) and a summary of where the samples fell: by library of the running frame, by first
 * application-level frame, by thread, and the hottest methods. The .jfr file is kept for {@code jfr print} / JMC.
 */
final class Profiler {
    private static final String[][] LIBRARIES = {
            {"com.mysql.", "MySQL Connector/J"}, {"com.zaxxer.hikari.", "HikariCP"}, {"org.jobrunr.", "JobRunr"},
            {"io.durableops.bench.", "benchmark driver"}, {"io.durableops.", "Durable Ops"}, {"com.fasterxml.jackson.", "Jackson"},
            {"org.flywaydb.", "Flyway"}, {"org.slf4j.", "SLF4J"}, {"com.sun.crypto.", "JDK crypto (AES-GCM)"},
            {"javax.crypto.", "JDK crypto (AES-GCM)"}, {"sun.security.", "JDK crypto (AES-GCM)"},
            {"java.net.", "JDK sockets"}, {"sun.nio.", "JDK sockets"}, {"java.util.concurrent.", "JDK concurrency"},
            {"java.lang.reflect.", "JDK reflection"}, {"jdk.internal.reflect.", "JDK reflection"}, {"jdk.proxy", "JDK reflection"},
            {"java.time.", "JDK time"}, {"java.util.", "JDK collections"}, {"java.lang.", "JDK lang (strings, classes)"},
    };

    private final Path file;
    private Recording recording;

    Profiler(Path file) {
        this.file = file;
    }

    void start() throws IOException, ParseException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        recording = new Recording(Configuration.getConfiguration("profile"));
        recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(2));
        recording.setToDisk(true);
        recording.setDestination(file);
        recording.start();
    }

    void stop() {
        recording.stop();
        recording.close();
    }

    Path file() {
        return file;
    }

    /** The summary as printable lines. */
    List<String> summary(int top) throws IOException {
        Map<String, Integer> byLibrary = new HashMap<>();
        Map<String, Integer> byMethod = new HashMap<>();
        Map<String, Integer> byCaller = new HashMap<>();
        Map<String, Integer> byThread = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) continue;
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) continue;
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            String topClass = frames.get(0).getMethod().getType().getName();
            byLibrary.merge(library(topClass), 1, Integer::sum);
            byMethod.merge(name(frames.get(0)), 1, Integer::sum);
            byCaller.merge(firstApplicationFrame(frames), 1, Integer::sum);
            RecordedThread thread = event.getThread("sampledThread");
            byThread.merge(thread == null ? "?" : threadGroup(thread.getJavaName()), 1, Integer::sum);
        }
        List<String> lines = new ArrayList<>();
        lines.add("JFR " + file + ": " + samples + " CPU samples (jdk.ExecutionSample) during the workload");
        section(lines, "by library of the running (top) frame", byLibrary, samples, top);
        section(lines, "by first non-JDK frame (who made the JDK work)", byCaller, samples, top);
        section(lines, "hottest methods (self)", byMethod, samples, top);
        section(lines, "by thread", byThread, samples, top);
        return lines;
    }

    private static void section(List<String> lines, String title, Map<String, Integer> counts, int samples, int top) {
        lines.add("  " + title + ":");
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.forEach((key, n) -> lines.add(String.format("    %5.1f%%  %6d  %s", 100.0 * n / Math.max(1, samples), n, key)));
    }

    private static String library(String className) {
        for (String[] library : LIBRARIES) {
            if (className.startsWith(library[0])) return library[1];
        }
        if (className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")) return "JDK other";
        return className;
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.");
    }

    private static String firstApplicationFrame(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            if (!isJdk(frame.getMethod().getType().getName())) return name(frame);
        }
        return "(JDK only) " + name(frames.get(frames.size() - 1));
    }

    private static String name(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName() + "  [" + library(type) + "]";
    }

    private static String threadGroup(String name) {
        if (name == null) return "?";
        return name.replaceAll("[-_ ]?\\d+$", "").replaceAll("\\d+", "#");
    }
}
