#!/usr/bin/env bash
# Run a single-node Apache Kafka 4.4.0 broker (KRaft, broker and controller in
# one JVM) from the jars on Maven Central, for tests on this machine only.
#
# Usage:
#   kafka.sh fetch              copy the broker and tool jars into the cache
#   kafka.sh up [RUN_DIR]       start a broker, print 127.0.0.1:PORT last
#   kafka.sh down [RUN_DIR]     stop the broker started from RUN_DIR
#   kafka.sh restart [RUN_DIR]  stop it and start it again on the same ports and data
#   kafka.sh status [RUN_DIR]   print the address, exit 1 when not running
#   kafka.sh tool CLASS ARGS... run a Kafka tool class on the same class path
#
# Environment:
#   FAREFLOW_KAFKA_HOME  jar cache (default ~/.cache/fareflow/kafka-4.4.0)
#   FAREFLOW_KAFKA_RUN   default RUN_DIR (default /tmp/fareflow-kafka)
#
# Progress goes to stderr. stdout carries only results (the address), so a
# caller can read the last line of stdout.
set -euo pipefail

readonly kafka_version=4.4.0
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly script_dir
readonly pom="$script_dir/pom.xml"
readonly log4j_config="$script_dir/log4j2.properties"
readonly kafka_home="${FAREFLOW_KAFKA_HOME:-$HOME/.cache/fareflow/kafka-$kafka_version}"
readonly libs_dir="$kafka_home/libs"
# The marker stores the POM's checksum, so editing the POM triggers a new copy.
readonly libs_marker="$kafka_home/libs.complete"
readonly default_run_dir="${FAREFLOW_KAFKA_RUN:-/tmp/fareflow-kafka}"
# A file in every run dir that kafka.sh created. Only such a dir is ever wiped.
readonly run_dir_marker=.fareflow-kafka-run
readonly ready_timeout_s=60
readonly stop_timeout_s=30

say() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Absolute path without requiring the path to exist.
absolute_path() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$PWD" "$1" ;;
  esac
}

pom_checksum() { sha256sum "$pom" | cut -d' ' -f1; }

libs_complete() {
  [[ -f "$libs_marker" && "$(cat "$libs_marker")" == "$(pom_checksum)" ]]
}

cmd_fetch() {
  command -v mvn >/dev/null || die "mvn not found on PATH: install Maven 3.8 or newer"
  mkdir -p "$kafka_home"

  # Two test processes may call up at the same time, so copies are serialized.
  local fetch_lock_fd
  exec {fetch_lock_fd}>"$kafka_home/fetch.lock"
  flock -w 900 "$fetch_lock_fd" || die "timed out after 900 s waiting for another fetch (lock $kafka_home/fetch.lock)"

  if libs_complete; then
    say "jars already in $libs_dir"
    exec {fetch_lock_fd}>&-
    return 0
  fi

  # Copy into a temporary dir and rename it, so an interrupted copy never
  # looks complete and never mixes jars of two POM versions.
  local staging="$kafka_home/libs.partial"
  rm -rf "$staging"
  say "copying the runtime jars of $pom into $libs_dir with Maven (about 55 MB of jars, plus the Maven plugins on a fresh ~/.m2)"
  say "running: mvn -q -B -f $pom dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=$staging"
  local started=$SECONDS
  # mvn prints its errors on stdout, which is reserved for results.
  if ! mvn -q -B -f "$pom" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$staging" >&2; then
    rm -rf "$staging"
    die "Maven failed to copy the jars (output above); check that Maven Central is reachable and rerun: $0 fetch"
  fi
  rm -rf "$libs_dir"
  mv "$staging" "$libs_dir"
  pom_checksum >"$libs_marker"
  say "copied $(find "$libs_dir" -name '*.jar' | wc -l) jars ($(du -sh "$libs_dir" | cut -f1)) in $((SECONDS - started)) s"
  exec {fetch_lock_fd}>&-
}

ensure_java() {
  command -v java >/dev/null || die "java not found on PATH: install Java 17 or newer"
}

java_classpath() { printf '%s/*\n' "$libs_dir"; }

# Print the pid from RUN_DIR/kafka.pid when that process is the broker started
# from RUN_DIR. A pid file left behind by a crash may name a reused pid, so
# the command line must match too.
running_pid() {
  local run_dir=$1 pid
  [[ -f "$run_dir/kafka.pid" ]] || return 1
  pid=$(cat "$run_dir/kafka.pid")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "kafka.Kafka $run_dir/server.properties" || return 1
  printf '%s\n' "$pid"
}

# Print two free TCP ports on 127.0.0.1, one a line. Another process may take
# a port before the broker binds it, and then up fails with the bind error.
free_ports() {
  if command -v python3 >/dev/null; then
    python3 - <<'EOF'
import socket
socks = []
for _ in range(2):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
for s in socks:
    print(s.getsockname()[1])
EOF
    return
  fi

  # Without python3, try random ports from 20000 to 49999 until a connect is
  # refused, which means nothing listens there.
  local found=0 port
  while ((found < 2)); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      found=$((found + 1))
    fi
  done
}

# Print a KRaft cluster id: 16 random bytes as URL-safe base64 without
# padding, the format of `kafka-storage.sh random-uuid`. Like Kafka, skip ids
# that start with '-', because the storage tool would read them as an option.
random_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ "$id" == -* ]] || break
  done
  printf '%s\n' "$id"
}

write_server_properties() {
  local run_dir=$1 port=$2 controller_port=$3
  cat >"$run_dir/server.properties" <<EOF
# Written by kafka.sh up. Single-node KRaft broker for tests on 127.0.0.1.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$run_dir/data

# One node, so every replicated topic gets one replica.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Fast tests: few internal partitions to create and load, no wait before the
# first group rebalance, and timed-out transactions aborted within about 10 s.
offsets.topic.num.partitions=3
transaction.state.log.num.partitions=3
group.initial.rebalance.delay.ms=0
transaction.abort.timed.out.transaction.cleanup.interval.ms=10000
num.network.threads=2
num.io.threads=4

# Tests create their topics explicitly, so a typo fails instead of creating one.
auto.create.topics.enable=false
EOF
}

# Poll until the client port accepts a connection and the broker responds to a
# DescribeCluster request, or until the deadline. Fail at once if the JVM exits.
wait_ready() {
  local run_dir=$1 pid=$2 port=$3
  local deadline=$((SECONDS + ready_timeout_s))

  # The client listener opens only after the broker has caught up with the
  # metadata log and been unfenced.
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { say "broker exited during start-up"; return 1; }
    ((SECONDS < deadline)) || { say "timed out after $ready_timeout_s s waiting for 127.0.0.1:$port to accept connections"; return 1; }
    sleep 0.2
  done

  # One request through a real client confirms the broker serves requests.
  until run_tool org.apache.kafka.tools.ClusterTool cluster-id \
      --bootstrap-server "127.0.0.1:$port" >"$run_dir/logs/ready-check.log" 2>&1; do
    kill -0 "$pid" 2>/dev/null || { say "broker exited during start-up"; return 1; }
    ((SECONDS < deadline)) || { say "timed out after $ready_timeout_s s waiting for a DescribeCluster response; last output:"; cat "$run_dir/logs/ready-check.log" >&2; return 1; }
    sleep 0.5
  done
}

print_log_tail() {
  local run_dir=$1
  say "last 40 lines of $run_dir/logs/server.log:"
  tail -n 40 "$run_dir/logs/server.log" >&2 2>/dev/null || say "(no log written)"
}

# Remove RUN_DIR if kafka.sh created it. Refuse any other non-empty dir, since
# a mistyped RUN_DIR must never delete someone's files.
wipe_run_dir() {
  local run_dir=$1
  [[ -e "$run_dir" ]] || return 0
  if [[ -f "$run_dir/$run_dir_marker" || -z "$(ls -A "$run_dir")" ]]; then
    rm -rf "$run_dir"
    return 0
  fi
  die "$run_dir exists and was not created by kafka.sh; remove it or pick another RUN_DIR"
}

# start_broker starts the JVM on an existing, formatted RUN_DIR and waits
# until it serves requests. setsid puts the broker in its own session, so
# Ctrl-C on a test run and closing the terminal leave it running. The lock fd
# is closed for the JVM, which would otherwise hold the lock for its life.
start_broker() {
  local run_dir=$1 port=$2 run_lock_fd=$3 pid
  say "starting the broker on 127.0.0.1:$port, log $run_dir/logs/server.log"
  setsid java -Xms512m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$log4j_config" -Dkafka.logs.dir="$run_dir/logs" \
    -cp "$(java_classpath)" kafka.Kafka "$run_dir/server.properties" \
    </dev/null >>"$run_dir/logs/server.log" 2>&1 {run_lock_fd}>&- &
  pid=$!
  printf '%s\n' "$pid" >"$run_dir/kafka.pid"

  local started=$SECONDS
  if ! wait_ready "$run_dir" "$pid" "$port"; then
    print_log_tail "$run_dir"
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$run_dir/kafka.pid"
    die "the broker did not become ready; the files are kept in $run_dir"
  fi
  say "broker ready after $((SECONDS - started)) s (pid $pid)"
}

# stop_broker sends SIGTERM to the broker of RUN_DIR, then SIGKILL after
# the stop timeout, and waits until it is gone. The data stays.
stop_broker() {
  local run_dir=$1 pid
  if ! pid=$(running_pid "$run_dir"); then
    say "no broker running from $run_dir"
    return 0
  fi
  say "stopping the broker (pid $pid) with SIGTERM"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + stop_timeout_s))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "broker still running after $stop_timeout_s s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$run_dir/kafka.pid"
  say "broker stopped"
}

cmd_up() {
  local run_dir pid port controller_port cluster_id run_lock_fd
  run_dir=$(absolute_path "${1:-$default_run_dir}")
  ensure_java

  # Serialize up and down on the same RUN_DIR. The lock file sits beside the
  # dir because the dir itself is wiped.
  mkdir -p "$(dirname "$run_dir")"
  exec {run_lock_fd}>"$run_dir.lock"
  flock -w 900 "$run_lock_fd" || die "timed out after 900 s waiting for another kafka.sh on $run_dir (lock $run_dir.lock)"

  if pid=$(running_pid "$run_dir"); then
    say "broker already running from $run_dir (pid $pid)"
    cat "$run_dir/brokers"
    return 0
  fi

  libs_complete || cmd_fetch

  wipe_run_dir "$run_dir"
  mkdir -p "$run_dir/data" "$run_dir/logs"
  : >"$run_dir/$run_dir_marker"
  { read -r port; read -r controller_port; } < <(free_ports)
  write_server_properties "$run_dir" "$port" "$controller_port"

  # --feature share.version=0: a fresh 4.4 format turns share groups on, which
  # adds an internal topic and coordinator the tests do not use.
  cluster_id=$(random_cluster_id)
  say "formatting $run_dir/data with cluster id $cluster_id"
  if ! java -cp "$(java_classpath)" \
      -Dlog4j2.configurationFile="$log4j_config" \
      -Dfareflow.kafka.log.level=WARN \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$run_dir/server.properties" \
      --standalone --feature share.version=0 >"$run_dir/logs/format.log" 2>&1; then
    cat "$run_dir/logs/format.log" >&2
    die "formatting the storage in $run_dir/data failed (output above)"
  fi

  start_broker "$run_dir" "$port" "$run_lock_fd"

  printf '127.0.0.1:%s\n' "$port" >"$run_dir/brokers"
  say "stop it with: $0 down${1:+ $run_dir}"
  cat "$run_dir/brokers"
}

cmd_down() {
  local run_dir pid run_lock_fd
  run_dir=$(absolute_path "${1:-$default_run_dir}")
  mkdir -p "$(dirname "$run_dir")"
  exec {run_lock_fd}>"$run_dir.lock"
  flock -w 900 "$run_lock_fd" || die "timed out after 900 s waiting for another kafka.sh on $run_dir (lock $run_dir.lock)"

  stop_broker "$run_dir"

  # The lock file stays: removing it while another kafka.sh waits on it would
  # let a third one lock a new file and run at the same time.
  wipe_run_dir "$run_dir"
}

# cmd_restart stops the broker of RUN_DIR and starts it again on the same
# ports and data, as a broker restart in production would.
cmd_restart() {
  local run_dir run_lock_fd port
  run_dir=$(absolute_path "${1:-$default_run_dir}")
  exec {run_lock_fd}>"$run_dir.lock"
  flock -w 900 "$run_lock_fd" || die "timed out after 900 s waiting for another kafka.sh on $run_dir (lock $run_dir.lock)"
  [[ -f "$run_dir/brokers" ]] || die "no broker was started from $run_dir; use: $0 up $run_dir"
  port=$(cat "$run_dir/brokers")
  port=${port##*:}
  stop_broker "$run_dir"
  start_broker "$run_dir" "$port" "$run_lock_fd"
  cat "$run_dir/brokers"
}

cmd_status() {
  local run_dir pid
  run_dir=$(absolute_path "${1:-$default_run_dir}")
  if pid=$(running_pid "$run_dir"); then
    say "broker running from $run_dir (pid $pid)"
    cat "$run_dir/brokers"
    return 0
  fi
  say "no broker running from $run_dir"
  return 1
}

# Run a Kafka main class quietly: warnings go to stderr and stdout is left to
# the tool.
run_tool() {
  java -Xmx512m -cp "$(java_classpath)" \
    -Dlog4j2.configurationFile="$log4j_config" \
    -Dfareflow.kafka.log.level=WARN -Dfareflow.kafka.log.target=SYSTEM_ERR \
    "$@"
}

cmd_tool() {
  (($# >= 1)) || die "tool needs a class name, for example: $0 tool org.apache.kafka.tools.ProducerPerformance --help"
  ensure_java
  libs_complete || cmd_fetch
  run_tool "$@"
}

main() {
  (($# >= 1)) || usage
  local command=$1
  shift
  case "$command" in
    fetch) cmd_fetch ;;
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    restart) cmd_restart "$@" ;;
    status) cmd_status "$@" ;;
    tool) cmd_tool "$@" ;;
    -h | --help | help) usage ;;
    *) say "unknown command: $command"; usage ;;
  esac
}

main "$@"
