package org.nhsv2.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml, checked without Docker (no engine runs on these machines; script/test also runs
 * {@code docker-compose config}): each service built from this repository gets every variable its main
 * configuration requires (the services run there without the {@code local} profile, which is the only one
 * with fake defaults), with values from .env.example; images are pinned; only the public entries are
 * published; start order waits for health; the Axon services use Axon Server; every application runs the
 * OpenTelemetry agent.
 */
class ComposeStackTest {

    private static final Path ROOT = repositoryRoot();
    private static final Set<String> APPLICATIONS =
            Set.of("appointment-service", "payment-service", "notification-service", "gateway");
    private static final Set<String> PUBLISHED = Set.of("gateway", "keycloak", "jaeger");
    /** A {@code <dependency>} declaration of a pom, its body in group 1. */
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    /** A Spring placeholder: {@code ${NAME}} or {@code ${NAME:default}}. */
    private static final Pattern SPRING_PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(:[^}]*)?}");
    /** A compose interpolation: {@code ${VAR}}, {@code ${VAR:?message}}, {@code ${VAR:-default}} and the like. */
    private static final Pattern COMPOSE_VARIABLE =
            Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");
    /** Names under which a value is a secret: it may only come from .env. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*_(PASSWORD|SECRET|KEY|KEYS)$");
    /** The platform's RequiredSecrets.DEFAULT: the secrets of a service whose configuration names none. */
    private static final List<String> PLATFORM_DEFAULT_SECRETS = List.of("spring.datasource.password",
            "nhsv2.vault.master-key", "nhsv2.idempotency.fingerprint-secret", "spring.rabbitmq.password");

    private final Map<String, Object> compose = yaml(ROOT.resolve("docker-compose.yml"));
    private final Map<String, String> envFile = envFile(ROOT.resolve(".env.example"));

    @Test
    void shouldBuildEachApplicationFromThisRepository() {
        Set<String> built = services().entrySet().stream()
                .filter(service -> map(service.getValue()).containsKey("build"))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());

        assertThat(built).isEqualTo(APPLICATIONS);
        APPLICATIONS.forEach(service -> assertThat(module(service))
                .as("the module %s builds", service).isEqualTo(service));
    }

    @ParameterizedTest
    @ValueSource(strings = {"appointment-service", "payment-service", "notification-service", "gateway"})
    void shouldProvideEveryVariableTheServiceRequiresWhenRunWithoutTheLocalProfile(String service) {
        Map<String, String> environment = resolvedEnvironment(service);
        Map<String, String> properties = mainProperties(module(service));
        Set<String> secrets = requiredSecrets(module(service), environment, properties);

        Map<String, String> missing = new TreeMap<>();
        requiredVariables(properties).forEach((variable, property) -> {
            boolean overridden = environment.containsKey(environmentName(property));
            String value = environment.get(variable);
            if (overridden) {
                return;
            }
            if (value == null) {
                missing.put(variable, property + ": not set");
            } else if (value.isBlank() && secrets.contains(property)) {
                missing.put(variable, property + ": a required secret, but blank");
            }
        });

        assertThat(missing).as("variables %s requires, by the property they give", service).isEmpty();
        assertThat(environment.getOrDefault("SPRING_PROFILES_ACTIVE", ""))
                .as("compose runs without the local profile").doesNotContain("local");
    }

    @Test
    void shouldPinEveryImageToAReleaseWhenPulledOrBuiltFrom() {
        List<String> images = new ArrayList<>();
        services().forEach((name, service) -> {
            Object image = map(service).get("image");
            if (image != null) {
                images.add(image.toString());
            }
        });
        images.addAll(baseImages(dockerfile("gateway")));

        assertThat(images).hasSizeGreaterThan(APPLICATIONS.size());
        assertThat(images).allSatisfy(image -> {
            assertThat(image).as(image).doesNotContain("latest");
            assertThat(image.substring(image.lastIndexOf('/') + 1)).as("%s has a release tag", image)
                    .matches("[a-z0-9._-]+:\\d+(\\.\\d+)+([_-][A-Za-z0-9._-]+)?");
        });
    }

    @Test
    void shouldPublishOnlyTheGatewayKeycloakAndTheJaegerUi() {
        Map<String, List<String>> published = new TreeMap<>();
        services().forEach((name, service) -> {
            List<String> ports = strings(map(service).get("ports"));
            if (!ports.isEmpty()) {
                published.put(name, ports);
            }
        });

        assertThat(published.keySet()).isEqualTo(PUBLISHED);
        assertThat(published.get("gateway")).containsExactly("127.0.0.1:8080:8080");
        assertThat(published.get("keycloak")).containsExactly("127.0.0.1:8180:8180");
        assertThat(published.get("jaeger")).as("the UI only, not the collector").containsExactly("127.0.0.1:16686:16686");
    }

    @Test
    void shouldStartEachServiceOnlyOnceWhatItDependsOnIsHealthy() {
        Map<String, String> problems = new TreeMap<>();
        services().forEach((name, service) -> {
            Object dependsOn = map(service).get("depends_on");
            if (dependsOn == null) {
                return;
            }
            if (!(dependsOn instanceof Map<?, ?> dependencies)) {
                problems.put(name, "depends_on is a list: no condition");
                return;
            }
            dependencies.forEach((dependency, settings) -> {
                if (!"service_healthy".equals(map(settings).get("condition"))) {
                    problems.put(name + " -> " + dependency, "not condition: service_healthy");
                }
                if (!hasHealthcheck(dependency.toString())) {
                    problems.put(name + " -> " + dependency, "the dependency has no healthcheck");
                }
            });
        });

        assertThat(problems).isEmpty();
        assertThat(map(map(services().get("gateway")).get("depends_on")))
                .containsKeys("appointment-service", "payment-service", "notification-service", "keycloak");
        assertThat(services().keySet()).as("every server has a healthcheck").allMatch(this::hasHealthcheck);
    }

    @Test
    void shouldRouteTheAxonServicesThroughAxonServer() {
        Set<String> axonServices = APPLICATIONS.stream()
                .filter(service -> mainProperties(module(service)).containsKey("axon.axonserver.enabled"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(axonServices).containsExactly("appointment-service", "payment-service");

        Map<String, Object> axonServer = map(services().get("axonserver"));
        assertThat(axonServer.get("image")).isEqualTo("docker.axoniq.io/axoniq/axonserver:2025.2.7");
        assertThat(axonServer.get("container_name")).isEqualTo("axonserver");
        assertThat(axonServer.get("hostname")).isEqualTo("axonserver");
        assertThat(resolvedEnvironment("axonserver")).containsEntry("AXONIQ_AXONSERVER_STANDALONE", "true");
        axonServices.forEach(service -> {
            Map<String, String> environment = resolvedEnvironment(service);
            assertThat(environment).as(service)
                    .containsEntry("AXON_SERVER_ENABLED", "true")
                    .containsEntry("AXON_SERVER_ADDRESS", "axonserver:8124");
            assertThat(map(map(services().get(service)).get("depends_on"))).as(service).containsKey("axonserver");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"appointment-service", "payment-service", "notification-service", "gateway"})
    void shouldRunTheOpenTelemetryAgentExportingToJaeger(String service) {
        Map<String, String> environment = resolvedEnvironment(service);
        String dockerfile = dockerfile(service);

        assertThat(environment)
                .containsEntry("OTEL_SERVICE_NAME", service)
                .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318");
        assertThat(dockerfile)
                .contains("io.opentelemetry.javaagent:opentelemetry-javaagent:${OTEL_AGENT_VERSION}")
                .contains("OTEL_AGENT_VERSION=2.33.1")
                .containsPattern("ENTRYPOINT \\[\"java\", \"-javaagent:/app/opentelemetry-javaagent.jar\"");
        assertThat(services()).containsKey("jaeger");
    }

    @Test
    void shouldTakeEverySecretFromTheEnvFileWhichHoldsOnlyFakeOnes() {
        Map<String, String> literalSecrets = new TreeMap<>();
        services().forEach((name, service) -> rawEnvironment(name).forEach((variable, value) -> {
            boolean fromEnvFile = value.isEmpty() || value.matches("\\$\\{[A-Za-z0-9_]+(:?[?][^}]*)?}");
            if (SECRET_NAME.matcher(variable).matches() && !fromEnvFile) {
                literalSecrets.put(name + "." + variable, value);
            }
        }));

        assertThat(literalSecrets).as("secrets written into docker-compose.yml").isEmpty();
        Set<String> referenced = new TreeSet<>();
        Matcher reference = COMPOSE_VARIABLE.matcher(read(ROOT.resolve("docker-compose.yml")).replace("$$", ""));
        while (reference.find()) {
            referenced.add(reference.group(1));
        }
        assertThat(envFile.keySet()).as("every variable docker-compose.yml reads is in .env.example")
                .containsAll(referenced);
        assertThat(envFile).isNotEmpty().allSatisfy((variable, value) ->
                assertThat(looksFake(value)).as("%s=%s is clearly fake", variable, value).isTrue());
    }

    // --- docker-compose.yml ---------------------------------------------------------------------------

    private Map<String, Object> services() {
        return map(compose.get("services"));
    }

    private String module(String service) {
        Object build = map(services().get(service)).get("build");
        return String.valueOf(map(map(build).get("args")).get("MODULE"));
    }

    private String dockerfile(String service) {
        Map<String, Object> build = map(map(services().get(service)).get("build"));
        Path context = ROOT.resolve(String.valueOf(build.getOrDefault("context", ".")));
        return read(context.resolve(String.valueOf(build.getOrDefault("dockerfile", "Dockerfile"))));
    }

    private boolean hasHealthcheck(String service) {
        Map<String, Object> settings = map(services().get(service));
        Object healthcheck = settings.get("healthcheck");
        if (healthcheck != null) {
            return !Boolean.TRUE.equals(map(healthcheck).get("disable")) && map(healthcheck).get("test") != null;
        }
        return settings.containsKey("build") && dockerfile(service).lines().anyMatch(line -> line.startsWith("HEALTHCHECK "));
    }

    /** The service's environment as written: a map, or a list of NAME=value. */
    private Map<String, String> rawEnvironment(String service) {
        Object environment = map(services().get(service)).get("environment");
        Map<String, String> variables = new TreeMap<>();
        if (environment instanceof Map<?, ?> entries) {
            entries.forEach((name, value) -> variables.put(name.toString(), value == null ? "" : value.toString()));
        } else {
            strings(environment).forEach(entry -> {
                int equals = entry.indexOf('=');
                variables.put(equals < 0 ? entry : entry.substring(0, equals), equals < 0 ? "" : entry.substring(equals + 1));
            });
        }
        return variables;
    }

    /** The environment as the container gets it, with .env.example for .env; unresolvable ones left out. */
    private Map<String, String> resolvedEnvironment(String service) {
        Map<String, String> resolved = new TreeMap<>();
        rawEnvironment(service).forEach((name, value) -> interpolate(value).ifPresent(v -> resolved.put(name, v)));
        return resolved;
    }

    private Optional<String> interpolate(String value) {
        Matcher variable = COMPOSE_VARIABLE.matcher(value.replace("$$", "\u0000"));
        StringBuilder result = new StringBuilder();
        while (variable.find()) {
            String set = envFile.get(variable.group(1));
            String operator = variable.group(2);
            boolean emptyCounts = operator == null || !operator.startsWith(":");
            boolean present = set != null && (emptyCounts || !set.isEmpty());
            String replacement;
            if (present) {
                replacement = set;
            } else if (operator != null && operator.endsWith("-")) {
                replacement = variable.group(3);
            } else {
                // ${VAR:?...}: compose refuses to start; ${VAR} unset: compose warns and gives it empty
                return Optional.empty();
            }
            variable.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        variable.appendTail(result);
        return Optional.of(result.toString().replace('\u0000', '$'));
    }

    // --- What a service's main configuration requires ---------------------------------------------------

    /**
     * platform-defaults.properties (for a module on the platform) with the module's application.yml on top:
     * what a service reads without a profile.
     */
    private static Map<String, String> mainProperties(String module) {
        Map<String, String> properties = new TreeMap<>();
        if (runsOnPlatform(module)) {
            Properties defaults = new Properties();
            try (Reader reader = Files.newBufferedReader(
                    ROOT.resolve("platform/src/main/resources/platform-defaults.properties"))) {
                defaults.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            defaults.stringPropertyNames().forEach(name -> properties.put(name, defaults.getProperty(name)));
        }
        flatten("", yaml(ROOT.resolve(module).resolve("src/main/resources/application.yml")), properties);
        return properties;
    }

    /**
     * Whether the module ships with the platform: a dependency on it outside the test scope. (The gateway uses
     * only the platform's test jar, which brings none of its defaults.)
     */
    private static boolean runsOnPlatform(String module) {
        Matcher dependency = DEPENDENCY.matcher(read(ROOT.resolve(module).resolve("pom.xml")));
        while (dependency.find()) {
            String declaration = dependency.group(1);
            if (declaration.contains("<artifactId>platform</artifactId>")
                    && !declaration.contains("<scope>test</scope>")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Each environment variable a placeholder without a default reads, with the property it gives; not those
     * of a feature the service switches off ({@code <prefix>.enabled: false}), which are never read.
     */
    private static Map<String, String> requiredVariables(Map<String, String> properties) {
        List<String> switchedOff = properties.entrySet().stream()
                .filter(property -> property.getKey().endsWith(".enabled") && "false".equals(property.getValue()))
                .map(property -> property.getKey().substring(0, property.getKey().length() - "enabled".length()))
                .toList();
        Map<String, String> required = new TreeMap<>();
        properties.forEach((property, value) -> {
            if (switchedOff.stream().anyMatch(property::startsWith)) {
                return;
            }
            Matcher placeholder = SPRING_PLACEHOLDER.matcher(value);
            while (placeholder.find()) {
                String name = placeholder.group(1);
                if (placeholder.group(2) == null && !properties.containsKey(name)) {
                    required.put(name, property);
                }
            }
        });
        return required;
    }

    /** The properties RequiredSecrets insists on: from the environment, the configuration or the platform. */
    private static Set<String> requiredSecrets(String module, Map<String, String> environment,
            Map<String, String> properties) {
        String fromEnvironment = environment.get(environmentName("nhsv2.secrets.required"));
        if (fromEnvironment != null) {
            return Arrays.stream(fromEnvironment.split(",")).map(String::trim).collect(Collectors.toSet());
        }
        Set<String> configured = properties.entrySet().stream()
                .filter(property -> property.getKey().startsWith("nhsv2.secrets.required["))
                .map(Map.Entry::getValue)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (!configured.isEmpty()) {
            return configured;
        }
        return module.equals("gateway") ? Set.of() : Set.copyOf(PLATFORM_DEFAULT_SECRETS);
    }

    /** Spring Boot's environment variable for a property: upper case, dots to underscores, no dashes. */
    private static String environmentName(String property) {
        return property.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object value, Map<String, String> into) {
        if (value instanceof Map<?, ?> entries) {
            entries.forEach((key, child) -> flatten(prefix.isEmpty() ? key.toString() : prefix + "." + key, child, into));
        } else if (value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                flatten(prefix + "[" + i + "]", items.get(i), into);
            }
        } else {
            into.put(prefix, value == null ? "" : value.toString());
        }
    }

    // --- Files ------------------------------------------------------------------------------------------

    private static List<String> baseImages(String dockerfile) {
        Set<String> stages = new LinkedHashSet<>();
        List<String> images = new ArrayList<>();
        dockerfile.lines().filter(line -> line.startsWith("FROM ")).forEach(line -> {
            String[] words = line.trim().split("\\s+");
            if (!stages.contains(words[1])) {
                images.add(words[1]);
            }
            if (words.length == 4 && words[2].equalsIgnoreCase("AS")) {
                stages.add(words[3]);
            }
        });
        return images;
    }

    private static boolean looksFake(String value) {
        if (value.toLowerCase(Locale.ROOT).contains("fake")) {
            return true;
        }
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)
                    .toLowerCase(Locale.ROOT).contains("fake");
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private static Map<String, String> envFile(Path file) {
        Map<String, String> variables = new LinkedHashMap<>();
        read(file).lines().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .forEach(line -> {
                    int equals = line.indexOf('=');
                    variables.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                });
        return variables;
    }

    private static Map<String, Object> yaml(Path file) {
        return map(new Yaml().load(read(file)));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> items ? items.stream().map(String::valueOf).toList() : List.of();
    }

    /** Surefire runs in system-tests/; an IDE may run in the repository itself. */
    private static Path repositoryRoot() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.isDirectory(directory.resolve("platform"))) {
            directory = directory.getParent();
        }
        assertThat(directory).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return directory;
    }
}
