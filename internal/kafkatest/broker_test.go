package kafkatest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TestTransactionRoundTrip checks that a read_committed consumer reads the
// records of a committed transaction and none of an aborted one, on
// whichever broker Brokers picks.
func TestTransactionRoundTrip(t *testing.T) {
	b := Brokers(t)
	t.Logf("broker kind: %s", b.Kind)
	topic := NewTopic(t, b, 4, nil)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// The topic name is unique, so no other run can fence this producer.
	producer := NewClient(t, b,
		kgo.TransactionalID(topic+"-txn"),
		kgo.DefaultProduceTopic(topic),
	)

	// The aborted records use the same keys as the committed ones, so they
	// sit before them in the same partitions. A consumer that has read every
	// committed record has therefore passed every aborted one.
	const count = 10
	produceTransaction(ctx, t, producer, "aborted", count, kgo.TryAbort)
	produceTransaction(ctx, t, producer, "committed", count, kgo.TryCommit)

	consumer := NewClient(t, b,
		kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	)

	seen := make(map[string]int)
	partitions := make(map[int32]bool)
	for received := 0; received < count; {
		fetches := consumer.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("timed out after %d of %d committed records: got %v", received, count, seen)
		}
		fetches.EachError(func(topic string, partition int32, err error) {
			t.Fatalf("fetch %s/%d: %v", topic, partition, err)
		})
		fetches.EachRecord(func(r *kgo.Record) {
			seen[string(r.Value)]++
			partitions[r.Partition] = true
			if strings.HasPrefix(string(r.Value), "committed-") {
				received++
			}
		})
	}

	for i := range count {
		value := fmt.Sprintf("committed-%d", i)
		if got := seen[value]; got != 1 {
			t.Errorf("record %q read %d times, want 1", value, got)
		}
		aborted := fmt.Sprintf("aborted-%d", i)
		if got := seen[aborted]; got != 0 {
			t.Errorf("aborted record %q read %d times, want 0", aborted, got)
		}
	}
	if len(seen) != count {
		t.Errorf("read %d distinct values, want %d: %v", len(seen), count, seen)
	}
	if len(partitions) < 2 {
		t.Errorf("records landed in %d partition(s), want at least 2 of 4 so the test covers more than one", len(partitions))
	}
}

// produceTransaction produces count records with values "prefix-i" and keys
// "key-i" in one transaction and ends it with commit.
func produceTransaction(ctx context.Context, t *testing.T, producer *kgo.Client, prefix string, count int, commit kgo.TransactionEndTry) {
	t.Helper()

	if err := producer.BeginTransaction(); err != nil {
		t.Fatalf("begin %s transaction: %v", prefix, err)
	}
	records := make([]*kgo.Record, count)
	for i := range records {
		records[i] = &kgo.Record{
			Key:   fmt.Appendf(nil, "key-%d", i),
			Value: fmt.Appendf(nil, "%s-%d", prefix, i),
		}
	}
	if err := producer.ProduceSync(ctx, records...).FirstErr(); err != nil {
		t.Fatalf("produce %s records: %v", prefix, err)
	}
	if err := producer.EndTransaction(ctx, commit); err != nil {
		t.Fatalf("end %s transaction: %v", prefix, err)
	}
}

func TestParseBrokerList(t *testing.T) {
	tests := []struct {
		list string
		want []string
	}{
		{"127.0.0.1:9092", []string{"127.0.0.1:9092"}},
		{" a:1 , b:2,", []string{"a:1", "b:2"}},
		{" , ", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := parseBrokerList(tt.list)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("parseBrokerList(%q) = %q, want %q", tt.list, got, tt.want)
		}
	}
}

func TestTopicPrefix(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"TestFoo", "TestFoo"},
		{"TestFoo/sub_case-1", "TestFoo-sub_case-1"},
		{"TestFoo/a.b c#ü", "TestFoo-a-b-c--"},
		{"", "test"},
		{strings.Repeat("x", 300), strings.Repeat("x", maxTopicPrefix)},
	}
	for _, tt := range tests {
		if got := topicPrefix(tt.name); got != tt.want {
			t.Errorf("topicPrefix(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
