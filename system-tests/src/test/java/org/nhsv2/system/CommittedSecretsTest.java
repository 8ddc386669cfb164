package org.nhsv2.system;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret is committed: every file git tracks is searched for the shapes real keys have (the
 * repository holds only clearly fake values, which are written so that they do not have them, e.g.
 * {@code whsec_fake_local_...}). Fails the build naming the file, the line and the kind of key.
 */
class CommittedSecretsTest {

    /** Kinds of key, by the shape the issuer gives them; fakes here are marked and break the shape. */
    private static final Map<String, Pattern> KEY_SHAPES = Map.of(
            "private key", Pattern.compile("-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----\\r?\\n[A-Za-z0-9+/=]{40,}"),
            "Stripe secret or restricted key", Pattern.compile("\\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,}"),
            "Stripe webhook signing secret", Pattern.compile("\\bwhsec_[0-9A-Za-z+/]{24,}"),
            "SendGrid API key", Pattern.compile("\\bSG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}"),
            "Google API key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}"),
            "AWS access key id", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),
            "GitHub token", Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{36,}"),
            "JSON web token", Pattern.compile("\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}"));

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void shouldFindNoKeyShapedStringInAnyTrackedFile() {
        List<String> tracked = trackedFiles();
        List<String> found = new ArrayList<>();
        for (String file : tracked) {
            String text = textOf(ROOT.resolve(file));
            if (text != null) {
                found.addAll(keysIn(file, text));
            }
        }

        System.out.printf("secrets: %d tracked files searched for %d kinds of key, %d found%n",
                tracked.size(), KEY_SHAPES.size(), found.size());
        assertThat(tracked).as("git ls-files").hasSizeGreaterThan(100).contains("pom.xml", ".env.example");
        assertThat(found).as("key-shaped strings in tracked files (use a clearly fake value, from the environment "
                + "in real use)").isEmpty();
    }

    /** The search can fail: a real-looking key of each kind, built here so this file holds none, is caught. */
    @Test
    void shouldRecogniseEveryKindOfKey() {
        String base64 = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7".repeat(2);
        String alnum = "4eC39HqLyjWDarjtT1zdp7dc";
        List<String> examples = List.of(
                "-----BEGIN " + "PRIVATE KEY-----\n" + base64,
                "-----BEGIN RSA " + "PRIVATE KEY-----\n" + base64,
                "key: s" + "k_live_" + alnum,
                "r" + "k_test_" + alnum,
                "wh" + "sec_" + alnum + alnum,
                "S" + "G." + "abcdefghijklmnopqrstuv" + "." + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",
                "AI" + "za" + "SyA1234567890abcdefghijklmnopqrstuv",
                "AK" + "IA" + "IOSFODNN7EXAMPLE",
                "gh" + "p_" + "abcdefghijklmnopqrstuvwxyz0123456789",
                "ey" + "JhbGciOiJSUzI1NiJ9.ey" + "JzdWIiOiJwYXQub25lIn0.c2lnbmF0dXJlc2lnbmF0dXJl");

        assertThat(examples).allSatisfy(example -> assertThat(keysIn("example", example)).as(example).hasSize(1));
        assertThat(keysIn("fakes", "whsec_fake_local_webhook_secret_000000000 sk_test_fake_for_wiremock"))
                .as("the repository's marked fakes").isEmpty();
    }

    private static List<String> keysIn(String file, String text) {
        List<String> found = new ArrayList<>();
        KEY_SHAPES.forEach((kind, shape) -> {
            Matcher matcher = shape.matcher(text);
            while (matcher.find()) {
                long line = text.substring(0, matcher.start()).chars().filter(c -> c == '\n').count() + 1;
                found.add(file + ":" + line + ": " + kind);
            }
        });
        return found;
    }

    private static List<String> trackedFiles() {
        try {
            Process git = new ProcessBuilder("git", "ls-files", "-z").directory(ROOT.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(git.waitFor(60, TimeUnit.SECONDS)).as("git ls-files ended").isTrue();
            assertThat(git.exitValue()).as("git ls-files in " + ROOT).isZero();
            return Arrays.stream(out.split("\0")).filter(name -> !name.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The file as text, or null for a binary one (a NUL byte) or one deleted but not yet committed. */
    private static String textOf(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            for (byte b : bytes) {
                if (b == 0) {
                    return null;
                }
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
