package avro

import (
	"errors"
	"testing"
)

// FuzzDecodeEvent checks that no input makes DecodeEvent panic, that every
// failure carries one of the package's sentinel errors, and that whatever
// decodes encodes again.
func FuzzDecodeEvent(f *testing.F) {
	c := newCatalog(f)
	booking, err := c.EncodeEvent(testBooking(f))
	if err != nil {
		f.Fatalf("EncodeEvent: %v", err)
	}
	loadFactor, err := c.EncodeEvent(testLoadFactor(f))
	if err != nil {
		f.Fatalf("EncodeEvent: %v", err)
	}
	quote, err := c.EncodeEvent(testCompetitorFare(f))
	if err != nil {
		f.Fatalf("EncodeEvent: %v", err)
	}
	decision, err := c.EncodeDecision(testDecision(f))
	if err != nil {
		f.Fatalf("EncodeDecision: %v", err)
	}
	for _, seed := range [][]byte{booking, loadFactor, quote, decision, booking[:12], nil, {0xC3, 0x01}, {0x00, 0, 0, 0, 1, 2}} {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, record []byte) {
		e, err := c.DecodeEvent(record)
		if err != nil {
			if !errors.Is(err, ErrNotSingleObject) && !errors.Is(err, ErrUnknownSchema) &&
				!errors.Is(err, ErrWrongRecordType) && !errors.Is(err, ErrInvalidRecord) {
				t.Fatalf("DecodeEvent error %v wraps none of the sentinel errors", err)
			}
			return
		}
		if _, err := c.EncodeEvent(e); err != nil {
			t.Fatalf("EncodeEvent of a decoded event %+v: %v", e, err)
		}
	})
}

// FuzzParseEventJSON checks that no line makes ParseEventJSON panic and that
// every event it accepts is written back and parsed to the same line.
func FuzzParseEventJSON(f *testing.F) {
	f.Add([]byte(bookingLine))
	f.Add([]byte(`{"type":"competitor_fare","event_id":"e","market":{"origin":"JFK","destination":"LHR","departure_date":"2026-12-24"},"cabin":"Y","carrier":"VS","fare":"512.00","currency":"USD","observed_at":"2026-11-01T08:00:00Z","source":"s"}`))
	f.Add([]byte(`{"type":"load_factor"}`))

	f.Fuzz(func(t *testing.T, line []byte) {
		e, err := ParseEventJSON(line)
		if err != nil {
			if !errors.Is(err, ErrInvalidJSON) {
				t.Fatalf("ParseEventJSON error %v does not wrap ErrInvalidJSON", err)
			}
			return
		}
		written, err := EventJSON(e)
		if err != nil {
			t.Fatalf("EventJSON of a parsed event: %v", err)
		}
		again, err := ParseEventJSON(written)
		if err != nil {
			t.Fatalf("ParseEventJSON(%s): %v", written, err)
		}
		rewritten, err := EventJSON(again)
		if err != nil {
			t.Fatalf("EventJSON: %v", err)
		}
		if string(rewritten) != string(written) {
			t.Fatalf("second write\n%s\ndiffers from first\n%s", rewritten, written)
		}
	})
}
