# Fareflow developer targets. `make run` needs only Go; `make test` also
# starts a real Apache Kafka broker when Java 17 and Maven are installed.

GO      ?= go
BIN     := bin/engine
KAFKA   := deploy/kafka-local/kafka.sh

.PHONY: build run test unit kafka-up kafka-down bench clean

build:
	$(GO) build -o $(BIN) ./cmd/engine

# The engine on the embedded broker, fed by the synthetic demo market.
run: build
	./$(BIN) demo

# Every test. With Java and Maven, the Kafka tests run against a real broker
# that this target starts and stops; without them they fall back to the
# embedded broker and say so (under CI=true that fallback fails).
test:
	./deploy/test.sh

# The unit tests only: no broker.
unit:
	$(GO) test -race -count=1 ./inventory/ ./pricing/ ./avro/ ./state/

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./pricing/ ./avro/ ./inventory/

kafka-up:
	$(KAFKA) up

kafka-down:
	$(KAFKA) down

clean:
	rm -rf bin
