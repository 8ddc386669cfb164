package org.nhsv2.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the scripts in script/lib that start, stop and query a server of a test's own
 * (rabbitmq-node, postgres-node), run to its end within two minutes or failed.
 */
final class LocalServerScript {

    private final Path script;

    LocalServerScript(String name) {
        this.script = Path.of("..", "script", "lib", name);
    }

    /** Runs it, its output going to the test's. */
    void run(String... arguments) {
        Process process = start(command(arguments), true);
        finish(process, arguments);
    }

    /** Runs it and answers what it printed. */
    String output(String... arguments) {
        Process process = start(command(arguments), false);
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            finish(process, arguments);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> command(String... arguments) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    private static Process start(List<String> command, boolean inheritOutput) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            if (inheritOutput) {
                builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void finish(Process process, String... arguments) {
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " " + String.join(" ", arguments) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
