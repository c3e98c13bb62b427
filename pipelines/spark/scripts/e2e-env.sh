#!/bin/bash
# Helpers for a manual end-to-end check of the Spark jobs against a real single-node Kafka (KRaft) broker.
# Usage: source pipelines/spark/scripts/e2e-env.sh [workdir]; then e2e_broker_start, e2e_topics <prefix>, ...
# Ports default to 39092/39093 (override E2E_PORT / E2E_CTRL_PORT). Needs pipelines/kafka/target/kafka.classpath
# and pipelines/spark/target/{telcobench-spark-0.1.0.jar,spark.classpath} (mvn -pl spark -am package).
E2E_DIR=${1:-/tmp/telcobench-spark-e2e}
E2E_PORT=${E2E_PORT:-39092}
E2E_CTRL_PORT=${E2E_CTRL_PORT:-39093}
E2E_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
E2E_BOOTSTRAP=127.0.0.1:$E2E_PORT
mkdir -p "$E2E_DIR"
echo "-cp $(cat "$E2E_REPO/pipelines/kafka/target/kafka.classpath")" > "$E2E_DIR/kafka.args"
cat > "$E2E_DIR/log4j2.properties" <<'L4J'
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = stdout
appender.stdout.type = Console
appender.stdout.name = stdout
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = %d %p %c{1}: %m%n
L4J

e2e_kafka_tool() { # <MainClass> args...
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$E2E_DIR/log4j2.properties" \
    @"$E2E_DIR/kafka.args" "$@"
}

e2e_broker_start() {
  cat > "$E2E_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$E2E_CTRL_PORT
listeners=PLAINTEXT://127.0.0.1:$E2E_PORT,CONTROLLER://127.0.0.1:$E2E_CTRL_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$E2E_PORT,CONTROLLER://127.0.0.1:$E2E_CTRL_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$E2E_DIR/kdata
num.partitions=4
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
num.network.threads=2
num.io.threads=4
PROPS
  local id
  id=$(e2e_kafka_tool kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
  e2e_kafka_tool kafka.tools.StorageTool format --standalone -t "$id" -c "$E2E_DIR/server.properties" --ignore-formatted >/dev/null
  java -Xms256m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$E2E_DIR/log4j2.properties" \
    @"$E2E_DIR/kafka.args" kafka.Kafka "$E2E_DIR/server.properties" > "$E2E_DIR/broker.log" 2>&1 &
  echo $! > "$E2E_DIR/broker.pid"
  for _ in $(seq 1 60); do
    if e2e_kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$E2E_BOOTSTRAP" --list >/dev/null 2>&1; then
      echo "broker up (pid $(cat "$E2E_DIR/broker.pid")) on $E2E_BOOTSTRAP"; return 0
    fi
    sleep 1
  done
  echo "broker did not start, see $E2E_DIR/broker.log" >&2; return 1
}

e2e_broker_stop() {
  [ -f "$E2E_DIR/broker.pid" ] && kill -TERM "$(cat "$E2E_DIR/broker.pid")" 2>/dev/null
  rm -f "$E2E_DIR/broker.pid"
}

e2e_topics() { # <prefix>
  for t in cdr pm alarms rated bills alerts dlq progress; do
    e2e_kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$E2E_BOOTSTRAP" --create --if-not-exists \
      --topic "$1$t" --partitions 4 --replication-factor 1 >/dev/null
  done
}

e2e_produce() { # <topic> < lines "key|json"
  e2e_kafka_tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$E2E_BOOTSTRAP" --topic "$1" \
    --reader-property parse.key=true --reader-property key.separator='|' 2>/dev/null
}

e2e_consume() { # <topic>: every committed record (read_committed) as "key<TAB>value", then exit
  e2e_kafka_tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$E2E_BOOTSTRAP" --topic "$1" \
    --from-beginning --timeout-ms 6000 --isolation-level read_committed --formatter-property print.key=true 2>/dev/null
}

e2e_spark() { # <MainClass> args...  (the launch the harness uses)
  local m="$E2E_REPO/pipelines/spark"
  java -Xmx2g -XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector \
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
    --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
    --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true \
    --enable-native-access=ALL-UNNAMED \
    -cp "$m/target/telcobench-spark-0.1.0.jar:$(cat "$m/target/spark.classpath")" "$@"
}
