#!/usr/bin/env bash
# Apache Cassandra for Cinegraph's cluster mode: the cassandra-all jars from
# Maven Central run CassandraDaemon as a single node on 127.0.0.1 (CQL on
# 59042, storage on 59070), with a cassandra.yaml this script writes into
# .data/engines/cassandra. Chat messages and viewing history live here.
#   deploy/local/cassandra.sh up|down|status
ENGINE=cassandra
source "$(dirname "$0")/lib.sh"

VERSION="${CINEGRAPH_CASSANDRA_VERSION:-5.0.9}"
PORT="${CINEGRAPH_CASSANDRA_PORT:-59042}"
STORAGE_PORT="${CINEGRAPH_CASSANDRA_STORAGE_PORT:-59070}"
JMX_PORT="${CINEGRAPH_CASSANDRA_JMX_PORT:-59199}"
HEAP="${CINEGRAPH_CASSANDRA_HEAP:-1G}"
DIR="$(engine_dir cassandra)"
LIB="$ENGINES_CACHE/cassandra-$VERSION"
CONF="$DIR/conf"
LOGDIR="$DIR/logs"
LOGFILE="$LOGDIR/system.log"
OUTFILE="$LOGDIR/stdout.log"
PIDFILE="$DIR/cassandra.pid"

# answers: a CQL native-protocol (v4) client says STARTUP, then runs a query
# against system.local and expects a Rows result. python3 only, no driver.
answers() {
	python3 - "$PORT" <<'PY'
import socket, struct, sys

def frame(stream, opcode, body):
    return struct.pack(">BBhBi", 4, 0, stream, opcode, len(body)) + body

def read_frame(sock):
    head = b""
    while len(head) < 9:
        chunk = sock.recv(9 - len(head))
        if not chunk:
            raise SystemExit("connection closed")
        head += chunk
    _, _, _, opcode, length = struct.unpack(">BBhBi", head)
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            raise SystemExit("connection closed")
        body += chunk
    return opcode, body

def string(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b

sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
sock.sendall(frame(1, 0x01, struct.pack(">H", 1) + string("CQL_VERSION") + string("3.0.0")))
opcode, body = read_frame(sock)
if opcode != 0x02:  # READY
    raise SystemExit("startup answered opcode %d" % opcode)
query = b"SELECT release_version FROM system.local"
sock.sendall(frame(2, 0x07, struct.pack(">i", len(query)) + query + struct.pack(">HB", 0x0001, 0)))
opcode, body = read_frame(sock)
if opcode != 0x08 or struct.unpack(">i", body[:4])[0] != 2:  # RESULT, kind Rows
    raise SystemExit("query answered opcode %d" % opcode)
PY
}

write_config() {
	mkdir -p "$CONF" "$LOGDIR" "$DIR/data" "$DIR/commitlog" "$DIR/saved_caches" "$DIR/hints" "$DIR/cdc_raw"
	# One node, one token, nothing that waits for peers; auto_snapshot off
	# because tests create and drop a keyspace per run.
	cat >"$CONF/cassandra.yaml" <<YAML
cluster_name: cinegraph-local
num_tokens: 1
initial_token: 0
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
role_manager: CassandraRoleManager
network_authorizer: AllowAllNetworkAuthorizer
data_file_directories:
  - $DIR/data
commitlog_directory: $DIR/commitlog
saved_caches_directory: $DIR/saved_caches
hints_directory: $DIR/hints
cdc_raw_directory: $DIR/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_segment_size: 32MiB
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:$STORAGE_PORT"
listen_address: 127.0.0.1
rpc_address: 127.0.0.1
storage_port: $STORAGE_PORT
native_transport_port: $PORT
start_native_transport: true
endpoint_snitch: SimpleSnitch
auto_snapshot: false
snapshot_before_compaction: false
concurrent_reads: 8
concurrent_writes: 8
concurrent_counter_writes: 8
concurrent_compactors: 1
memtable_heap_space: 128MiB
memtable_offheap_space: 128MiB
key_cache_size: 16MiB
hinted_handoff_enabled: false
dynamic_snitch: false
user_defined_functions_enabled: false
materialized_views_enabled: false
sasi_indexes_enabled: false
read_request_timeout: 5000ms
write_request_timeout: 5000ms
truncate_request_timeout: 60000ms
cas_contention_timeout: 2000ms
batch_size_warn_threshold: 64KiB
batch_size_fail_threshold: 1024KiB
YAML
	cat >"$CONF/logback.xml" <<XML
<configuration scan="false">
  <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender">
    <file>$LOGFILE</file>
    <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
      <fileNamePattern>$LOGFILE.%i</fileNamePattern>
      <minIndex>1</minIndex><maxIndex>3</maxIndex>
    </rollingPolicy>
    <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
      <maxFileSize>20MB</maxFileSize>
    </triggeringPolicy>
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
XML
}

# jvm_options: what Cassandra's distribution passes on Java 17
# (conf/jvm-server.options, conf/jvm17-server.options, cassandra-env.sh),
# with a small heap and the start-up waits a single node does not need.
# TieredStopAtLevel=1 (C1 only) more than halves start-up on two cores;
# a local test engine does not need C2's peak throughput.
jvm_options() {
	local opts=(
		"-Xms$HEAP" "-Xmx$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=300 -XX:+ParallelRefProcEnabled
		-XX:+HeapDumpOnOutOfMemoryError -XX:+ExitOnOutOfMemoryError -XX:+AlwaysPreTouch
		-XX:+UseTLAB -XX:+ResizeTLAB -XX:+PerfDisableSharedMem -XX:StringTableSize=1000003
		-XX:TieredStopAtLevel=1 -Xss256k -Djava.net.preferIPv4Stack=true -Djdk.attach.allowAttachSelf=true
		-Dio.netty.tryReflectionSetAccessible=true
		"-javaagent:$LIB/jamm-0.4.0.jar"
		--add-exports java.base/jdk.internal.misc=ALL-UNNAMED
		--add-exports java.base/jdk.internal.ref=ALL-UNNAMED
		--add-exports java.base/sun.nio.ch=ALL-UNNAMED
		--add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
		--add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
		--add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
		--add-exports java.sql/java.sql=ALL-UNNAMED
		--add-exports java.base/java.lang.ref=ALL-UNNAMED
		--add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
		--add-opens java.base/java.lang.module=ALL-UNNAMED
		--add-opens java.base/jdk.internal.loader=ALL-UNNAMED
		--add-opens java.base/jdk.internal.ref=ALL-UNNAMED
		--add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
		--add-opens java.base/jdk.internal.math=ALL-UNNAMED
		--add-opens java.base/jdk.internal.module=ALL-UNNAMED
		--add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
		--add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
		--add-opens java.base/sun.nio.ch=ALL-UNNAMED
		--add-opens java.base/java.io=ALL-UNNAMED
		--add-opens java.base/java.nio=ALL-UNNAMED
		--add-opens java.base/java.util.concurrent=ALL-UNNAMED
		--add-opens java.base/java.util=ALL-UNNAMED
		--add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED
		--add-opens java.base/java.lang=ALL-UNNAMED
		--add-opens java.base/java.math=ALL-UNNAMED
		--add-opens java.base/java.lang.reflect=ALL-UNNAMED
		--add-opens java.base/java.net=ALL-UNNAMED
		"-Dcassandra.config=file://$CONF/cassandra.yaml"
		"-Dlogback.configurationFile=file://$CONF/logback.xml"
		"-Dcassandra.storagedir=$DIR"
		"-Dcassandra.logdir=$LOGDIR"
		"-Dcassandra.jmx.local.port=$JMX_PORT"
		-Dcassandra.initial_token=0
		-Dcassandra.skip_wait_for_gossip_to_settle=0
		-Dcassandra.ring_delay_ms=100
		-Dcassandra.load_ring_state=false
		-Dcassandra.superuser_setup_delay_ms=0
		-Dcassandra.migration_task_wait_in_seconds=1
	)
	printf '%s\n' "${opts[@]}"
}

up() {
	local start=$SECONDS
	if answers 2>/dev/null; then
		log "already running on 127.0.0.1:$PORT (log: $LOGFILE)"
		return 0
	fi
	command -v java >/dev/null || apt_install openjdk-17-jre-headless
	command -v python3 >/dev/null || apt_install python3
	if ! pid_alive "$PIDFILE"; then
		command -v mvn >/dev/null || apt_install maven
		maven_fetch "$LIB" "org.apache.cassandra:cassandra-all:$VERSION"
		write_config
		local opts=()
		mapfile -t opts < <(jvm_options)
		log "starting Cassandra $VERSION"
		nohup java "${opts[@]}" -cp "$LIB/*" org.apache.cassandra.service.CassandraDaemon >"$OUTFILE" 2>&1 </dev/null &
		echo $! >"$PIDFILE"
	fi
	if ! wait_until 180 "Cassandra CQL on 127.0.0.1:$PORT" answers; then
		if ! pid_alive "$PIDFILE"; then
			log "the JVM exited; last lines of $OUTFILE:"
			tail -n 20 "$OUTFILE" >&2 || true
		fi
		die "no CQL answer on 127.0.0.1:$PORT, see $LOGFILE"
	fi
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
	if answers 2>/dev/null; then
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
