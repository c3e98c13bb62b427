# telcobench as an image: the CLI with its JVM pipelines, running the embedded runtime (a Kafka broker and the
# Spark jobs as child JVMs) inside the container.
#   docker build -t telcobench .
#   docker run --rm -v "$PWD/results:/opt/telcobench/results" telcobench run scenarios/quickstart.yaml
# Three build stages and the runtime stage; base images are pinned to exact versions (README "Docker").

# 1. The JVM pipelines: Maven resolves the Kafka and Spark jars and builds the Spark jobs, as `telcobench setup` does.
FROM maven:3.9.11-eclipse-temurin-17 AS jvm
WORKDIR /opt/telcobench
COPY pipelines/pom.xml pipelines/
COPY pipelines/kafka/pom.xml pipelines/kafka/
COPY pipelines/spark/pom.xml pipelines/spark/
COPY pipelines/spark/src pipelines/spark/src
COPY pipelines/contracts pipelines/contracts
# The classpath files name jars by absolute path, so the repository sits where the runtime stage puts it (/opt/m2).
# The stamp is what `telcobench setup` writes after a good build: the runtime stage then never looks for Maven.
# Only the jars the classpaths name are kept (the Maven plugins are not needed to run).
RUN mvn -B -q -Dmaven.repo.local=/opt/m2 -DskipTests -f pipelines/pom.xml package \
 && mkdir -p pipelines/target /opt/classpath-jars \
 && date -u +%Y-%m-%dT%H:%M:%SZ > pipelines/target/telcobench-build.stamp \
 && cat pipelines/kafka/target/kafka.classpath pipelines/spark/target/spark.classpath | tr ':' '\n' | sort -u \
    | xargs cp --parents -t /opt/classpath-jars

# 2. The CLI: esbuild bundles the TypeScript (npm run build), then the development packages are dropped.
FROM node:20.20.2-bookworm-slim AS cli
WORKDIR /opt/telcobench
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts scripts
COPY bin bin
COPY api api
COPY cli cli
COPY generators generators
COPY harness harness
COPY reports reports
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# 3. A Java 17 runtime to copy into the Node image.
FROM eclipse-temurin:17.0.15_6-jre-noble AS jre

# The runtime: Node 20 + JRE 17, the bundled CLI, the scenarios and suites, the built jobs and the jars they need.
FROM node:20.20.2-bookworm-slim
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
WORKDIR /opt/telcobench
COPY --from=cli /opt/telcobench/package.json ./
COPY --from=cli /opt/telcobench/node_modules node_modules
COPY --from=cli /opt/telcobench/dist dist
COPY --from=cli /opt/telcobench/bin bin
COPY scenarios scenarios
COPY suites suites
COPY --from=jvm /opt/classpath-jars/opt/m2 /opt/m2
COPY --from=jvm /opt/telcobench/pipelines/target/telcobench-build.stamp pipelines/target/
COPY --from=jvm /opt/telcobench/pipelines/kafka/target/kafka.classpath pipelines/kafka/target/
COPY --from=jvm /opt/telcobench/pipelines/spark/target/spark.classpath /opt/telcobench/pipelines/spark/target/telcobench-spark-0.1.0.jar pipelines/spark/target/
# Runs write results/<run-id>/ under the working directory; the image's user owns it (mount a folder over it to keep them).
RUN mkdir results && chown node:node results
USER node
ENTRYPOINT ["node", "bin/telcobench.js"]
CMD ["--help"]
