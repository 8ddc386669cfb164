# syntax=docker/dockerfile:1
#
# One image recipe for every deployable module (appointment-service, payment-service,
# notification-service, gateway), chosen with the MODULE build argument; docker-compose.yml builds each
# from here. One parametrised file rather than four copies: the modules build and run the same way, so
# the steps (Maven build, agent, non-root user, healthcheck) are written once and cannot drift apart.
# The build context is the repository root: a module builds with the parent pom and the modules it
# depends on (platform, shared-api).
#
#   docker build --build-arg MODULE=payment-service --build-arg MANAGEMENT_PORT=9082 .
#
# Needs BuildKit (the default of `docker build` and `docker compose` today) for the Maven cache mount.

# --- Build: the module's Spring Boot jar and the OpenTelemetry Java agent, both by Maven -----------------
FROM maven:3.9.16-eclipse-temurin-17 AS build
ARG MODULE
ARG VERSION=0.1.0-SNAPSHOT
ARG OTEL_AGENT_VERSION=2.33.1
WORKDIR /build
COPY . .
# The local repository is a cache shared by the four builds; `locked` lets one build fill it at a time.
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    test -n "${MODULE}" || { echo "build with --build-arg MODULE=<module>" >&2; exit 1; }; \
    mvn -B -q -pl "${MODULE}" -am -DskipTests package \
 && mvn -B -q -N dependency:copy \
        -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:${OTEL_AGENT_VERSION}" \
        -DoutputDirectory=/out -Dmdep.stripVersion=true \
 && cp "${MODULE}/target/${MODULE}-${VERSION}.jar" /out/app.jar

# --- Run: a JRE, the jar and the agent, as a user without a login or a home -----------------------------
FROM eclipse-temurin:17.0.20_8-jre-noble
ARG MODULE
# Each module's actuator port (its application.yml's MANAGEMENT_PORT default: 9080-9083)
ARG MANAGEMENT_PORT
RUN test -n "${MANAGEMENT_PORT}" || { echo "build with --build-arg MANAGEMENT_PORT=<port>" >&2; exit 1; } \
 && groupadd --system --gid 10001 nhsv2 \
 && useradd --system --uid 10001 --gid nhsv2 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nhsv2
WORKDIR /app
COPY --from=build /out/app.jar /out/opentelemetry-javaagent.jar /app/
USER 10001:10001
ENV MANAGEMENT_PORT=${MANAGEMENT_PORT} \
    OTEL_SERVICE_NAME=${MODULE}
# Ready, not merely alive: the readiness group is what callers (the gateway, depends_on) wait for.
# curl comes with the Temurin image. A long start period costs nothing (the first success counts at once)
# and leaves room for four JVMs starting side by side on a small machine.
HEALTHCHECK --interval=10s --timeout=5s --start-period=300s --retries=6 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${MANAGEMENT_PORT}/actuator/health/readiness" || exit 1
# The agent exports traces over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT (docker-compose: Jaeger).
# Heap and other JVM options from JDK_JAVA_OPTIONS (docker-compose.yml sets them).
ENTRYPOINT ["java", "-javaagent:/app/opentelemetry-javaagent.jar", "-jar", "/app/app.jar"]
