package avro

import "testing"

func BenchmarkEncodeEvent(b *testing.B) {
	c := newCatalog(b)
	booking := testBooking(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.EncodeEvent(booking); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeEvent(b *testing.B) {
	c := newCatalog(b)
	record, err := c.EncodeEvent(testBooking(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(record)))
	for b.Loop() {
		if _, err := c.DecodeEvent(record); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseEventJSON(b *testing.B) {
	line := []byte(bookingLine)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseEventJSON(line); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPartitionFor(b *testing.B) {
	key := []byte("JFK-LHR/2026-12-24")
	for b.Loop() {
		PartitionFor(key, 12)
	}
}
