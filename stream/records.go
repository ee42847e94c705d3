package stream

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/state"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel/trace"
)

// Reasons a record is dead-lettered, sent in the ReasonHeader header.
const (
	ReasonMisrouted   = "misrouted"    // partition differs from the key's default partition
	ReasonKeyMismatch = "key_mismatch" // key differs from the event's market key
	ReasonWrongType   = "wrong_type"   // its topic does not carry this event type
	ReasonUndecodable = "undecodable"  // not a valid record of a known schema
	ReasonUnknown     = "unknown_schema"
	ReasonRejected    = "rejected" // valid, but the merge rules or the policy reject it
)

// CauseHeader, on a price update, holds the id of the event that caused the
// decision (also in its body), so consumers can route or trace updates
// without decoding them.
const CauseHeader = "fareflow.cause"

// Headers of a dead-letter record. Its key and value are the original bytes.
const (
	ReasonHeader          = "fareflow.reason"
	ErrorHeader           = "fareflow.error"
	SourceTopicHeader     = "fareflow.source.topic"
	SourcePartitionHeader = "fareflow.source.partition"
	SourceOffsetHeader    = "fareflow.source.offset"
)

// handle checks, decodes and applies one input record, adding its price
// updates or its dead-letter record to the transaction.
func (e *Engine) handle(out *outbox, st *state.Partition, r *kgo.Record) {
	e.cfg.Stats.Events.Add(1)
	ctx := context.Background()
	if e.tracer != nil {
		var span trace.Span
		ctx, span = e.tracer.WithProcessSpan(r)
		defer span.End()
	}

	ev, reason, err := e.check(r)
	if err == nil {
		decisions, applyErr := e.proc.Apply(st, ev)
		if applyErr == nil {
			e.publish(ctx, out, decisions)
			return
		}
		reason, err = ReasonRejected, applyErr
	}
	e.cfg.Stats.DeadLettered.Add(1)
	if ok, suppressed := e.deadLetterLog.allow(reason, time.Now()); ok {
		e.log.Warn("record sent to the dead-letter topic", "topic", r.Topic, "partition", r.Partition, "offset", r.Offset,
			"reason", reason, "err", err, "similar_not_logged", suppressed)
	}
	dead := e.deadLetter(r, reason, err)
	dead.Context = ctx
	out.add(dead)
}

// check returns the record's event, or the reason it cannot be applied.
func (e *Engine) check(r *kgo.Record) (inventory.Event, string, error) {
	if len(r.Key) == 0 {
		return nil, ReasonKeyMismatch, errors.New("record has no key: key every event by its market key, ORIGIN-DESTINATION/YYYY-MM-DD")
	}
	if want := avro.PartitionFor(r.Key, e.partitions); want != r.Partition {
		return nil, ReasonMisrouted, fmt.Errorf("record in partition %d, but Kafka's default partitioner puts key %q in partition %d of %d", r.Partition, r.Key, want, e.partitions)
	}

	ev, err := e.catalog.DecodeEvent(r.Value)
	if err != nil {
		if errors.Is(err, avro.ErrUnknownSchema) {
			return nil, ReasonUnknown, err
		}
		return nil, ReasonUndecodable, err
	}

	if !slices.Contains(e.kinds[r.Topic], ev.Kind()) {
		return nil, ReasonWrongType, fmt.Errorf("topic %s does not carry %s events", r.Topic, ev.Kind())
	}
	if market := ev.Market().String(); string(r.Key) != market {
		return nil, ReasonKeyMismatch, fmt.Errorf("record key %q differs from the event's market key %q", r.Key, market)
	}
	return ev, "", nil
}

func (e *Engine) deadLetter(r *kgo.Record, reason string, err error) *kgo.Record {
	return &kgo.Record{
		Topic: e.cfg.DeadLetters,
		Key:   r.Key,
		Value: r.Value,
		Headers: []kgo.RecordHeader{
			{Key: ReasonHeader, Value: []byte(reason)},
			{Key: ErrorHeader, Value: []byte(err.Error())},
			{Key: SourceTopicHeader, Value: []byte(r.Topic)},
			{Key: SourcePartitionHeader, Value: []byte(strconv.Itoa(int(r.Partition)))},
			{Key: SourceOffsetHeader, Value: []byte(strconv.FormatInt(r.Offset, 10))},
		},
	}
}

// stateRecord converts a state change to its changelog record.
func stateRecord(ch state.Change) avro.StateRecord {
	rec := avro.StateRecord{Cabin: ch.Cabin, Quotes: ch.Board}
	if ch.Meta != nil {
		rec.Meta = &avro.PartitionMeta{PolicyVersion: ch.Meta.PolicyVersion, PolicyEffectiveAt: ch.Meta.PolicyEffectiveAt}
	}
	return rec
}

// stateChange converts a changelog record back to a state change.
func stateChange(key string, rec avro.StateRecord) state.Change {
	ch := state.Change{Key: key, Cabin: rec.Cabin, Board: rec.Quotes}
	if rec.Meta != nil {
		ch.Meta = &state.Meta{PolicyVersion: rec.Meta.PolicyVersion, PolicyEffectiveAt: rec.Meta.PolicyEffectiveAt}
	}
	return ch
}
