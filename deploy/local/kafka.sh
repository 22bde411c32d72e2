#!/usr/bin/env bash
# Apache Kafka for Cinegraph's cluster mode: Kafka 4.x in KRaft mode (one
# process is broker and controller, no ZooKeeper), from the Maven Central
# jars, run through java -cp. Broker on 127.0.0.1:59092, controller on
# 127.0.0.1:59093; data, log and pid file under .data/engines/kafka.
#   deploy/local/kafka.sh up|down|status
ENGINE=kafka
source "$(dirname "$0")/lib.sh"

VERSION="${CINEGRAPH_KAFKA_VERSION:-4.4.0}"
PORT="${CINEGRAPH_KAFKA_PORT:-59092}"
CONTROLLER_PORT="${CINEGRAPH_KAFKA_CONTROLLER_PORT:-59093}"
HEAP="${CINEGRAPH_KAFKA_HEAP:-384m}"
LIBS="$ENGINES_CACHE/kafka-$VERSION"
LOGGING_LIBS="$ENGINES_CACHE/kafka-$VERSION-logging"
DIR="$(engine_dir kafka)"
CONF="$DIR/server.properties"
LOG4J="$DIR/log4j2.properties"
PIDFILE="$DIR/kafka.pid"
LOGFILE="$DIR/kafka.log"

classpath() { echo "$LIBS/*:$LOGGING_LIBS/*"; }

# answers: a Metadata request (v4, all topics) gets a reply naming at least
# one broker, so the broker is up and the controller has registered it. The
# request is written by hand: the Kafka jars ship no small probe command.
answers() (
	# A subshell, so the descriptor and redirections stay local.
	exec 2>/dev/null 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
	# size 17 | api_key 3 | version 4 | correlation id 7 | client id "cg" |
	# topics null (-1) | allow_auto_topic_creation false
	printf '\x00\x00\x00\x11\x00\x03\x00\x04\x00\x00\x00\x07\x00\x02cg\xff\xff\xff\xff\x00' >&3
	local reply
	reply="$(timeout 3 head -c 16 <&3 | od -An -tx1 | tr -d ' \n')" || true
	exec 3<&-
	# size | correlation id | throttle time | broker count
	[[ "${reply:8:8}" == "00000007" && "${reply:24:8}" != "00000000" && ${#reply} -eq 32 ]]
)

write_config() {
	cat >"$CONF" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DIR/data
num.partitions=6
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
num.network.threads=2
num.io.threads=2
log.retention.hours=168
log.segment.bytes=67108864
CONF
	cat >"$LOG4J" <<LOG
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
appender.file.type=File
appender.file.name=file
appender.file.fileName=$LOGFILE
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
logger.kafka.name=kafka
logger.kafka.level=INFO
logger.apache.name=org.apache.kafka
logger.apache.level=INFO
LOG
}

fetch() {
	command -v java >/dev/null || apt_install openjdk-17-jre-headless
	command -v mvn >/dev/null || apt_install maven
	maven_fetch "$LIBS" "org.apache.kafka:kafka_2.13:$VERSION"
	# The slf4j binding, so the broker's log reaches log4j2 and the log file;
	# only the binding is kept, the rest is already in $LIBS.
	if [[ ! -f "$LOGGING_LIBS/.complete" ]]; then
		maven_fetch "$LOGGING_LIBS" "org.apache.logging.log4j:log4j-slf4j-impl:2.25.5"
		find "$LOGGING_LIBS" -name '*.jar' ! -name 'log4j-slf4j-impl-*' -delete
	fi
}

format_storage() {
	[[ -f "$DIR/data/meta.properties" ]] && return 0
	local id
	id="$(java -Xmx64m -cp "$(classpath)" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
	[[ -n "$id" ]] || die "could not generate a cluster id"
	log "formatting storage with cluster id $id"
	java -Xmx128m -Dlog4j2.configurationFile="$LOG4J" -cp "$(classpath)" kafka.tools.StorageTool \
		format -t "$id" -c "$CONF" >>"$LOGFILE" 2>&1 \
		|| die "storage format failed, see $LOGFILE"
}

up() {
	local start=$SECONDS
	if pid_alive "$PIDFILE" && answers; then
		log "already running on 127.0.0.1:$PORT (log: $LOGFILE)"
		return 0
	fi
	port_open "$PORT" && die "127.0.0.1:$PORT is taken by another process"
	fetch
	write_config
	format_storage
	nohup java -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
		-Djava.awt.headless=true -Dlog4j2.configurationFile="$LOG4J" \
		-cp "$(classpath)" kafka.Kafka "$CONF" >>"$DIR/kafka.out" 2>&1 &
	echo $! >"$PIDFILE"
	wait_until 120 "Kafka on 127.0.0.1:$PORT" answers \
		|| die "no answer on 127.0.0.1:$PORT, see $LOGFILE and $DIR/kafka.out"
	log "up in $(( SECONDS - start ))s: 127.0.0.1:$PORT (log: $LOGFILE)"
}

down() {
	if pid_alive "$PIDFILE"; then
		stop_pid "$PIDFILE" 60
		log "stopped"
	else
		rm -f "$PIDFILE"
		log "not running"
	fi
}

status() {
	if pid_alive "$PIDFILE" && answers; then
		log "running on 127.0.0.1:$PORT (data: $DIR, log: $LOGFILE)"
	else
		log "not running"
		return 1
	fi
}

case "${1:-}" in
up) up ;;
down) down ;;
status) status ;;
*) die "usage: $0 up|down|status" ;;
esac
