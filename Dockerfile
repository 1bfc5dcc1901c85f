# The tagging processor as an image: built with Maven, run on a JRE.
#   docker build -t streamtagger-processor .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -q -B -DskipTests -pl processor -am package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/processor/target/streamtagger-processor.jar /app/
COPY --from=build /src/processor/target/lib /app/lib
# Configuration comes from TAGGER_* environment variables (see README), e.g.
# TAGGER_BOOTSTRAP_SERVERS=kafka:9092; a properties file can be mounted and named with --config.
# ZGC: sub-millisecond pauses keep the tagging latency's p99 low (see docs/BENCHMARKS.md).
# Out of memory, the process exits (code 3) and the orchestrator restarts it.
# Health (/health/live, /health/ready) and Prometheus metrics (/metrics) on port 8080.
ENV TAGGER_HTTP_PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "-Xmx512m", "-XX:+UseZGC", "-XX:+ExitOnOutOfMemoryError", "-cp", "/app/streamtagger-processor.jar:/app/lib/*", \
            "org.streamtagger.processor.cli.RunCommand"]
