package inventory

import "time"

// Cabin is the merged state of one cabin of one flight-date. Its exported
// fields are its whole state: the changelog stores them and a restore sets
// them back, so nothing here may be derived from the process (pointers to
// shared data, caches, clocks).
type Cabin struct {
	Flight Flight
	Name   string // cabin code, for example "Y" or "J"

	// Snapshot is the newest applied load-factor snapshot; nil until the
	// first one, and a cabin without one is not priced.
	Snapshot *Snapshot

	// Holdings maps each booking id to the seats it still holds.
	Holdings map[string]Holding

	// Settled is the net seats per class of the deltas with an event time at
	// or before Snapshot.AsOf. A total-only snapshot attributes its seats to
	// classes with it.
	Settled map[string]int

	// Pending holds the deltas with an event time after Snapshot.AsOf (all
	// deltas before the first snapshot), in the order they were applied.
	Pending []Delta

	// Seen holds the ids of the booking and cancellation events applied, so
	// a repeated event changes nothing.
	// NOTE: Seen grows with every booking event of the flight-date and is
	// dropped only with the cabin itself.
	Seen map[string]struct{}

	// Sequence is the number of price updates published for this cabin; the
	// next one carries Sequence+1.
	Sequence int64

	// LastLadder is a fingerprint of the last published ladder, so an
	// unchanged ladder need not be published again; zero before the first.
	LastLadder uint64
}

// Snapshot is the part of a load-factor event a cabin keeps.
type Snapshot struct {
	EventID            string
	AsOf               time.Time
	PhysicalCapacity   int
	AuthorizedCapacity int
	SeatsSold          int
	SoldByClass        []ClassSeats    // nil when the snapshot gave only a total
	Forecast           []ClassForecast // nil when the snapshot carried none
}

// Holding is the seats one booking holds in one class.
type Holding struct {
	Class string
	Seats int
}

// Delta is the change in seats sold that one booking event made: positive
// for a booking, negative for a cancellation.
type Delta struct {
	EventTime time.Time
	Class     string
	Seats     int
}

// QuoteBoard holds the latest competitor quote per carrier for one
// market-day and cabin.
type QuoteBoard struct {
	Route  Market
	Cabin  string
	Quotes []CompetitorFare // one per carrier, sorted by carrier
}

// Seats is the part of a merged cabin that pricing reads: capacity, seats sold
// per class and the remaining-demand forecast.
type Seats struct {
	PhysicalCapacity   int
	AuthorizedCapacity int
	SoldTotal          int
	SoldByClass        map[string]int
	Forecast           []ClassForecast // nil when there is none
	// ForecastID names the forecast (the snapshot's event id), so derived
	// values such as protection levels can be cached per forecast.
	ForecastID string
}
