package inventory_test

import (
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
)

func date(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := inventory.ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func TestParseMarketValid(t *testing.T) {
	got, err := inventory.ParseMarket("JFK-LHR/2026-12-24")
	if err != nil {
		t.Fatalf("ParseMarket: got error %v, want nil", err)
	}

	want := inventory.Market{Origin: "JFK", Destination: "LHR", Date: date(t, "2026-12-24")}
	if got != want {
		t.Errorf("ParseMarket: got %+v, want %+v", got, want)
	}
	if s := got.String(); s != "JFK-LHR/2026-12-24" {
		t.Errorf("String: got %q, want %q", s, "JFK-LHR/2026-12-24")
	}
}

func TestParseMarketDirectional(t *testing.T) {
	out, err := inventory.ParseMarket("JFK-LHR/2026-12-24")
	if err != nil {
		t.Fatalf("ParseMarket(JFK-LHR): %v", err)
	}
	back, err := inventory.ParseMarket("LHR-JFK/2026-12-24")
	if err != nil {
		t.Fatalf("ParseMarket(LHR-JFK): %v", err)
	}
	if out == back {
		t.Errorf("JFK-LHR and LHR-JFK: got equal markets %+v, want different", out)
	}
}

func TestParseMarketInvalid(t *testing.T) {
	tests := []struct {
		name string
		key  string
	}{
		{"empty", ""},
		{"lower case origin", "jfk-LHR/2026-12-24"},
		{"lower case destination", "JFK-lhr/2026-12-24"},
		{"missing date", "JFK-LHR"},
		{"empty date", "JFK-LHR/"},
		{"day out of range", "JFK-LHR/2026-02-30"},
		{"day first", "JFK-LHR/24-12-2026"},
		{"date with time", "JFK-LHR/2026-12-24T10:00:00Z"},
		{"trailing slash", "JFK-LHR/2026-12-24/"},
		{"same origin and destination", "JFK-JFK/2026-12-24"},
		{"missing dash", "JFKLHR/2026-12-24"},
		{"four-letter origin", "JFKX-LHR/2026-12-24"},
		{"two-letter destination", "JFK-LH/2026-12-24"},
		{"extra leg", "JFK-LHR-CDG/2026-12-24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := inventory.ParseMarket(tt.key)
			if err == nil {
				t.Errorf("ParseMarket(%q): got %+v and no error, want an error", tt.key, got)
			}
		})
	}
}

func testFlight(t testing.TB) inventory.Flight {
	return inventory.Flight{
		Carrier:        "AA",
		Number:         "100",
		Origin:         "JFK",
		Destination:    "LHR",
		Date:           date(t, "2026-12-24"),
		OriginTimeZone: "America/New_York",
	}
}

func TestFlightKey(t *testing.T) {
	f := testFlight(t)
	if got, want := f.Key(), "AA100/2026-12-24/JFK"; got != want {
		t.Errorf("Key: got %q, want %q", got, want)
	}
	if got, want := f.Market().String(), "JFK-LHR/2026-12-24"; got != want {
		t.Errorf("Market: got %q, want %q", got, want)
	}
}

func TestFlightValidate(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*inventory.Flight)
		wantErr bool
	}{
		{"valid", func(*inventory.Flight) {}, false},
		{"carrier with digit", func(f *inventory.Flight) { f.Carrier = "U2" }, false},
		{"one-digit number", func(f *inventory.Flight) { f.Number = "7" }, false},
		{"four-digit number", func(f *inventory.Flight) { f.Number = "1234" }, false},
		{"UTC zone", func(f *inventory.Flight) { f.OriginTimeZone = "UTC" }, false},
		{"lower case carrier", func(f *inventory.Flight) { f.Carrier = "aa" }, true},
		{"one-letter carrier", func(f *inventory.Flight) { f.Carrier = "A" }, true},
		{"three-letter carrier", func(f *inventory.Flight) { f.Carrier = "AAL" }, true},
		{"carrier with dash", func(f *inventory.Flight) { f.Carrier = "A-" }, true},
		{"empty number", func(f *inventory.Flight) { f.Number = "" }, true},
		{"five-digit number", func(f *inventory.Flight) { f.Number = "12345" }, true},
		{"number with letter", func(f *inventory.Flight) { f.Number = "10A" }, true},
		{"unknown time zone", func(f *inventory.Flight) { f.OriginTimeZone = "Mars/Olympus_Mons" }, true},
		{"empty time zone", func(f *inventory.Flight) { f.OriginTimeZone = "" }, true},
		{"Local time zone", func(f *inventory.Flight) { f.OriginTimeZone = "Local" }, true},
		{"same origin and destination", func(f *inventory.Flight) { f.Destination = "JFK" }, true},
		{"date not midnight", func(f *inventory.Flight) { f.Date = f.Date.Add(time.Hour) }, true},
		{"zero date", func(f *inventory.Flight) { f.Date = time.Time{} }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := testFlight(t)
			tt.change(&f)
			err := f.Validate()
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Errorf("Validate(%+v): got error %v, want error %v", f, err, tt.wantErr)
			}
		})
	}
}

func TestDaysToDeparture(t *testing.T) {
	tests := []struct {
		name      string
		origin    string
		zone      string
		departure string
		event     string
		want      int
	}{
		// It is already 08:30 on 2027-03-10 in Tokyo.
		{"Tokyo next UTC day", "NRT", "Asia/Tokyo", "2027-03-10", "2027-03-09T23:30:00Z", 0},
		// Berlin moves to summer time on 2027-03-28, so the span is 16
		// calendar days but only 15 days and 23 hours.
		{"Berlin across summer time", "BER", "Europe/Berlin", "2027-04-05", "2027-03-20T10:00:00+01:00", 16},
		{"Berlin late evening", "BER", "Europe/Berlin", "2027-04-05", "2027-03-20T23:59:00+01:00", 16},
		// 03:00 UTC on 24 December is 22:00 on 23 December in New York.
		{"New York previous local day", "JFK", "America/New_York", "2026-12-24", "2026-12-24T03:00:00Z", 1},
		{"departure day", "JFK", "America/New_York", "2026-12-24", "2026-12-24T23:59:00-05:00", 0},
		{"day after departure", "JFK", "America/New_York", "2026-12-24", "2026-12-25T00:30:00-05:00", -1},
		{"week after departure", "NRT", "Asia/Tokyo", "2027-03-10", "2027-03-17T01:00:00+09:00", -7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := inventory.Flight{
				Carrier:        "XX",
				Number:         "1",
				Origin:         tt.origin,
				Destination:    "LHR",
				Date:           date(t, tt.departure),
				OriginTimeZone: tt.zone,
			}
			event, err := time.Parse(time.RFC3339, tt.event)
			if err != nil {
				t.Fatalf("time.Parse(%q): %v", tt.event, err)
			}

			got, err := f.DaysToDeparture(event)
			if err != nil {
				t.Fatalf("DaysToDeparture(%s): got error %v, want nil", tt.event, err)
			}
			if got != tt.want {
				t.Errorf("DaysToDeparture(%s) from %s on %s: got %d, want %d", tt.event, tt.origin, tt.departure, got, tt.want)
			}
		})
	}
}

func TestDaysToDepartureUnknownZone(t *testing.T) {
	f := testFlight(t)
	f.OriginTimeZone = "Mars/Olympus_Mons"
	got, err := f.DaysToDeparture(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err == nil {
		t.Errorf("DaysToDeparture with zone %q: got %d and no error, want an error", f.OriginTimeZone, got)
	}
}
