package main

import (
	"bytes"
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/internal/kafkatest"
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/stream"
	"github.com/shopspring/decimal"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestBadRecordsDeadLettered writes one record of each kind of bad input
// and checks that each lands in the dead-letter topic with its reason, its
// source and its original bytes, while the valid records around it apply.
func TestBadRecordsDeadLettered(t *testing.T) {
	e := newE2E(t, func(b kafkatest.Broker) stream.Topics {
		return stream.Topics{
			Bookings:        kafkatest.NewTopic(t, b, 4, nil),
			LoadFactors:     kafkatest.NewTopic(t, b, 4, nil),
			CompetitorFares: kafkatest.NewTopic(t, b, 4, nil),
		}
	})
	flight := inventory.Flight{Carrier: "FF", Number: "100", Origin: "JFK", Destination: "LHR",
		Date: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC), OriginTimeZone: "America/New_York"}
	other := inventory.Market{Origin: "JFK", Destination: "CDG", Date: flight.Date}
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	snapshot := &inventory.LoadFactor{EventID: "lf-1", Flight: flight, Cabin: "Y", AsOf: at,
		PhysicalCapacity: 180, AuthorizedCapacity: 185, SeatsSold: 0}
	booking := func(id string, action inventory.BookingAction, seats int) *inventory.Booking {
		return &inventory.Booking{EventID: id, BookingID: "B1", Action: action, Flight: flight, Cabin: "Y",
			Class: "Q", Seats: seats, Channel: "web", Fare: decimal.RequireFromString("450.00"), Currency: "USD", EventTime: at.Add(time.Minute)}
	}

	key := flight.Market().String()
	home := avro.PartitionFor([]byte(key), 4)
	otherKey := other.String()
	encode := func(ev inventory.Event) []byte {
		b, err := e.catalog.EncodeEvent(ev)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	unknownSchema := append([]byte{0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8}, 0x02)

	type input struct {
		topic      string
		partition  int32
		key        string
		value      []byte
		wantReason string // "" when the record must apply
	}
	inputs := []input{
		{e.inputs.LoadFactors, home, key, encode(snapshot), ""},
		{e.inputs.Bookings, home, key, encode(booking("bk-1", inventory.ActionBook, 2)), ""},
		{e.inputs.Bookings, home, key, encode(booking("cx-1", inventory.ActionCancel, 1)), ""},
		{e.inputs.Bookings, home, key, encode(booking("cx-1", inventory.ActionCancel, 1)), ""}, // a repeat: ignored
		{e.inputs.Bookings, home, key, encode(booking("cx-2", inventory.ActionCancel, 3)), stream.ReasonRejected},
		{e.inputs.LoadFactors, (home + 1) % 4, key, encode(snapshot), stream.ReasonMisrouted},
		{e.inputs.LoadFactors, avro.PartitionFor([]byte(otherKey), 4), otherKey, encode(snapshot), stream.ReasonKeyMismatch},
		{e.inputs.LoadFactors, home, key, encode(booking("bk-2", inventory.ActionBook, 1)), stream.ReasonWrongType},
		{e.inputs.Bookings, home, key, []byte("not an avro record"), stream.ReasonUndecodable},
		{e.inputs.Bookings, home, key, unknownSchema, stream.ReasonUnknown},
	}

	e.start("only", nil)
	cl := kafkatest.NewClient(t, e.broker, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	type source struct {
		topic     string
		partition int32
		offset    int64
	}
	wantDead := map[source]input{}
	for _, in := range inputs {
		r := &kgo.Record{Topic: in.topic, Partition: in.partition, Key: []byte(in.key), Value: in.value}
		if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
			t.Fatal(err)
		}
		if in.wantReason != "" {
			wantDead[source{r.Topic, r.Partition, r.Offset}] = in
		}
	}
	e.waitCaughtUp(90 * time.Second)

	dead := e.readCommitted(e.deadLetters)
	if len(dead) != len(wantDead) {
		t.Errorf("dead-letter topic holds %d records, want %d", len(dead), len(wantDead))
	}
	for _, r := range dead {
		h := headers(r)
		partition, _ := strconv.Atoi(h[stream.SourcePartitionHeader])
		offset, _ := strconv.ParseInt(h[stream.SourceOffsetHeader], 10, 64)
		src := source{h[stream.SourceTopicHeader], int32(partition), offset}
		in, ok := wantDead[src]
		if !ok {
			t.Errorf("unexpected dead letter from %v: reason %s: %s", src, h[stream.ReasonHeader], h[stream.ErrorHeader])
			continue
		}
		if got := h[stream.ReasonHeader]; got != in.wantReason {
			t.Errorf("dead letter from %v: reason %q, want %q (error %s)", src, got, in.wantReason, h[stream.ErrorHeader])
		}
		if h[stream.ErrorHeader] == "" {
			t.Errorf("dead letter from %v has no error text", src)
		}
		if !bytes.Equal(r.Value, in.value) || string(r.Key) != in.key {
			t.Errorf("dead letter from %v changed the original key or value", src)
		}
	}

	// The rejected cancellation released nothing: B1 still holds 1 seat.
	var holding *inventory.Holding
	for _, r := range e.readCommitted(e.changelog) {
		rec, err := e.catalog.DecodeState(r.Value)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Cabin != nil && rec.Cabin.Flight.Key() == flight.Key() && rec.Cabin.Name == "Y" {
			h, ok := rec.Cabin.Holdings["B1"]
			holding = &h
			if !ok {
				holding = nil
			}
		}
	}
	if holding == nil || holding.Seats != 1 {
		t.Errorf("booking B1 holds %+v after the rejected cancellation, want 1 seat", holding)
	}
}

func headers(r *kgo.Record) map[string]string {
	m := make(map[string]string, len(r.Headers))
	for _, h := range r.Headers {
		m[h.Key] = string(h.Value)
	}
	return m
}
