package avro

import (
	"errors"
	"runtime"
	"testing"
	"time"
)

// TestHugeArrayClaimRejected decodes a load-factor record whose
// sold_by_class array claims 2^30 items in a few bytes. It must fail to
// decode without allocating for the claim.
func TestHugeArrayClaimRejected(t *testing.T) {
	c := newCatalog(t)
	w := binaryWriter{buf: SingleObject{}.AppendHeader(nil, c.loadFactor)}
	w.string("ev-1")
	for _, s := range []string{"AA", "100", "JFK", "LHR"} {
		w.string(s)
	}
	w.date(time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC))
	w.string("America/New_York")
	w.string("Y")
	w.timestamp(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	w.int(180)
	w.int(185)
	w.int(10)
	w.long(1)       // sold_by_class: the array branch of the union
	w.long(1 << 30) // a block of 2^30 items, and none follows

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.DecodeEvent(w.buf)
	runtime.ReadMemStats(&after)

	if !errors.Is(err, ErrInvalidRecord) {
		t.Errorf("DecodeEvent error = %v, want ErrInvalidRecord", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
		t.Errorf("decoding allocated %d MiB for the claim, want under 64 MiB", grew>>20)
	}
}
