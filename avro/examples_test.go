package avro

import (
	"bufio"
	"bytes"
	"os"
	"testing"

	"github.com/fareflow/fareflow/inventory"
)

// TestExampleEvents parses every line of the example event file, checks that
// EventJSON writes each line back unchanged and that the file covers the
// cases it is meant to show.
func TestExampleEvents(t *testing.T) {
	data, err := os.ReadFile("../examples/events.jsonl")
	if err != nil {
		t.Fatalf("read example events: %v", err)
	}
	c := newCatalog(t)
	seen := map[string]int{}
	var cancellations, forecasts, totalOnly int
	scanner := bufio.NewScanner(bytes.NewReader(data))
	scanner.Buffer(nil, 1<<20)
	for n := 1; scanner.Scan(); n++ {
		e, err := ParseEventJSON(scanner.Bytes())
		if err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		again, err := EventJSON(e)
		if err != nil {
			t.Fatalf("line %d: EventJSON: %v", n, err)
		}
		if !bytes.Equal(again, scanner.Bytes()) {
			t.Errorf("line %d written back as\n%s\nwant\n%s", n, again, scanner.Bytes())
		}
		assertAvroKeepsLine(t, c, n, e, scanner.Bytes())
		seen[e.ID()]++
		switch e := e.(type) {
		case *inventory.Booking:
			if e.Action == inventory.ActionCancel {
				cancellations++
			}
		case *inventory.LoadFactor:
			if e.Forecast != nil {
				forecasts++
			}
			if e.SoldByClass == nil {
				totalOnly++
			}
		}
	}
	if err := scanner.Err(); err != nil {
		t.Fatalf("scan example events: %v", err)
	}

	repeated := 0
	for _, count := range seen {
		if count > 1 {
			repeated++
		}
	}
	if repeated != 1 || cancellations == 0 || forecasts == 0 || totalOnly == 0 {
		t.Errorf("example events have %d repeated ids, %d cancellations, %d forecasts, %d total-only snapshots; want 1 repeated and at least 1 of each other",
			repeated, cancellations, forecasts, totalOnly)
	}
}

// assertAvroKeepsLine checks that an event read from a JSON line comes back
// as the same line after a trip through Avro.
func assertAvroKeepsLine(t *testing.T, c *Catalog, n int, e inventory.Event, line []byte) {
	t.Helper()
	record, err := c.EncodeEvent(e)
	if err != nil {
		t.Fatalf("line %d: EncodeEvent: %v", n, err)
	}
	decoded, err := c.DecodeEvent(record)
	if err != nil {
		t.Fatalf("line %d: DecodeEvent: %v", n, err)
	}
	again, err := EventJSON(decoded)
	if err != nil {
		t.Fatalf("line %d: EventJSON: %v", n, err)
	}
	if !bytes.Equal(again, line) {
		t.Errorf("line %d after Avro is\n%s\nwant\n%s", n, again, line)
	}
}
