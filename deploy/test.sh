#!/usr/bin/env bash
# Runs every test of the repository. When Java and Maven are on PATH and
# KAFKA_BROKERS is not set, it starts a real Kafka broker from the Maven jars
# for the run and stops it afterwards; otherwise the Kafka tests fall back to
# the embedded broker, which CI (CI=true) does not accept.
set -euo pipefail
cd "$(dirname "$0")/.."

go=${GO:-go}
kafka=deploy/kafka-local/kafka.sh

if [[ -z "${KAFKA_BROKERS:-}" ]]; then
  if command -v java >/dev/null && command -v mvn >/dev/null; then
    run_dir=$(mktemp -d /tmp/fareflow-test.XXXXXX)/kafka
    trap '"$kafka" down "$run_dir" >/dev/null 2>&1 || true; rm -rf "$(dirname "$run_dir")"' EXIT
    KAFKA_BROKERS=$("$kafka" up "$run_dir" | tail -n 1)
    export KAFKA_BROKERS
    echo "test.sh: real Kafka broker at $KAFKA_BROKERS"
  else
    echo "test.sh: NOTE: java or mvn not found; the Kafka tests use the embedded kfake broker instead of Apache Kafka" >&2
  fi
fi

"$go" vet ./...
"$go" test -count=1 -timeout 20m "$@" ./...
