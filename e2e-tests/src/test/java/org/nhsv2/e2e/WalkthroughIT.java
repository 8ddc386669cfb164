package org.nhsv2.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walkthrough that script/server prints and the README gives is a journey too: script/walkthrough
 * makes the same calls, through the gateway, and checks every status. It must pass on the platform
 * as script/server leaves it.
 */
class WalkthroughIT {

    @Test
    void theReadmeWalkthroughPassesThroughTheGateway() throws Exception {
        Path log = Files.createDirectories(Path.of("target")).resolve("walkthrough.log");
        Process walkthrough = new ProcessBuilder(Path.of("..", "script", "walkthrough").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = walkthrough.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            walkthrough.destroyForcibly();
        }
        List<String> output = Files.readAllLines(log);
        String tail = String.join("\n", output.subList(Math.max(0, output.size() - 30), output.size()));

        assertThat(ended).as("script/walkthrough ended within 5 minutes; its output ends:\n%s", tail).isTrue();
        assertThat(walkthrough.exitValue()).as("script/walkthrough's exit code; its output (%s) ends:\n%s", log, tail)
                .isZero();
        assertThat(output).contains("walkthrough: all calls answered as expected");
        assertThat(output).as("every call went to the gateway").filteredOn(line -> line.startsWith("> "))
                .isNotEmpty().allSatisfy(line -> assertThat(line).contains("http://localhost:8080/"));
    }
}
