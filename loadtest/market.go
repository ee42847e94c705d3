// Package loadtest generates a synthetic airline market (bookings,
// cancellations, load-factor snapshots and competitor fares) and measures
// the engine's throughput and latency against it.
package loadtest

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
)

// Route is one origin-destination pair the market flies.
type Route struct {
	Origin, Destination string
	TimeZone            string // IANA zone of the origin
}

// CabinSpec describes one cabin of every generated flight.
type CabinSpec struct {
	Name       string
	Classes    []string // from the highest base fare down
	Capacity   int      // physical seats
	Authorized int      // seats for sale, with overbooking
	FareFrom   int64    // lowest fare paid, in major units
	FareTo     int64    // highest fare paid, in major units
}

// MarketConfig sizes the synthetic market. Zero fields take the defaults of
// DefaultMarket.
type MarketConfig struct {
	Seed        uint64
	Carrier     string // the airline being priced; default "FF"
	Routes      []Route
	Cabins      []CabinSpec
	Competitors []string  // competitor airline codes
	FlightsPer  int       // flights per route and day; default 2
	Days        int       // departure dates, from the day after Start; default 3
	Start       time.Time // event time of the first event; default 2026-11-01T08:00:00Z
	Step        time.Duration
}

// DefaultMarket returns a small market on the routes and cabins of the
// example policy.
func DefaultMarket(seed uint64) MarketConfig {
	return MarketConfig{
		Seed:    seed,
		Carrier: "FF",
		Routes: []Route{
			{"JFK", "LHR", "America/New_York"},
			{"JFK", "CDG", "America/New_York"},
		},
		Cabins: []CabinSpec{
			{Name: "J", Classes: []string{"J", "C", "D", "I"}, Capacity: 30, Authorized: 30, FareFrom: 2500, FareTo: 6000},
			{Name: "Y", Classes: []string{"Y", "B", "M", "H", "Q", "K", "L", "V"}, Capacity: 180, Authorized: 189, FareFrom: 250, FareTo: 1200},
		},
		Competitors: []string{"BA", "VS", "AF"},
		FlightsPer:  2,
		Days:        3,
		Start:       time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC),
		Step:        time.Second,
	}
}

// Market produces a deterministic stream of valid events: the same config
// always gives the same events. It is not safe for concurrent use.
type Market struct {
	cfg     MarketConfig
	rng     *rand.Rand
	now     time.Time
	cabins  []*genCabin
	pending []inventory.Event // the opening snapshots, sent first
	count   uint64
}

type genCabin struct {
	flight   inventory.Flight
	spec     CabinSpec
	sold     int
	byClass  map[string]int
	bookings []genBooking // open bookings, for cancellations
}

type genBooking struct {
	id    string
	class string
	seats int
}

// NewMarket returns a market generator; cfg's zero fields take defaults.
func NewMarket(cfg MarketConfig) *Market {
	def := DefaultMarket(cfg.Seed)
	if cfg.Carrier == "" {
		cfg.Carrier = def.Carrier
	}
	if len(cfg.Routes) == 0 {
		cfg.Routes = def.Routes
	}
	if len(cfg.Cabins) == 0 {
		cfg.Cabins = def.Cabins
	}
	if len(cfg.Competitors) == 0 {
		cfg.Competitors = def.Competitors
	}
	if cfg.FlightsPer == 0 {
		cfg.FlightsPer = def.FlightsPer
	}
	if cfg.Days == 0 {
		cfg.Days = def.Days
	}
	if cfg.Start.IsZero() {
		cfg.Start = def.Start
	}
	if cfg.Step == 0 {
		cfg.Step = def.Step
	}

	m := &Market{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x5eed)), now: cfg.Start}
	first := time.Date(cfg.Start.Year(), cfg.Start.Month(), cfg.Start.Day()+1, 0, 0, 0, 0, time.UTC)
	number := 100
	for _, r := range cfg.Routes {
		for n := 0; n < cfg.FlightsPer; n++ {
			for d := 0; d < cfg.Days; d++ {
				f := inventory.Flight{
					Carrier: cfg.Carrier, Number: fmt.Sprint(number + n),
					Origin: r.Origin, Destination: r.Destination,
					Date: first.AddDate(0, 0, d), OriginTimeZone: r.TimeZone,
				}
				for _, spec := range cfg.Cabins {
					c := &genCabin{flight: f, spec: spec, byClass: map[string]int{}}
					m.cabins = append(m.cabins, c)
					m.pending = append(m.pending, m.snapshot(c))
				}
			}
		}
		number += 10
	}
	return m
}

// Cabins returns the number of cabins the market generates events for.
func (m *Market) Cabins() int { return len(m.cabins) }

// Next returns the next event.
func (m *Market) Next() inventory.Event {
	if len(m.pending) > 0 {
		ev := m.pending[0]
		m.pending = m.pending[1:]
		return ev
	}
	m.now = m.now.Add(m.cfg.Step)
	c := m.cabins[m.rng.IntN(len(m.cabins))]
	switch n := m.rng.IntN(100); {
	case n < 8:
		return m.snapshot(c)
	case n < 16:
		return m.quote(c)
	case n < 26 && len(c.bookings) > 0:
		return m.cancel(c)
	case c.sold+3 > c.spec.Authorized && len(c.bookings) > 0:
		// A full cabin sells no more and only gets cancellations, as a
		// real one would, so its booking history stays bounded.
		return m.cancel(c)
	default:
		return m.book(c)
	}
}

// eventID returns a UUID-shaped id unique within the seed's stream.
func (m *Market) eventID() string {
	m.count++
	a := m.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(a>>32), uint16(a>>16), m.count>>48&0xfff, m.count>>36&0xfff, m.count&0xffffffffffff)
}

func (m *Market) snapshot(c *genCabin) *inventory.LoadFactor {
	l := &inventory.LoadFactor{
		EventID: m.eventID(), Flight: c.flight, Cabin: c.spec.Name, AsOf: m.now,
		PhysicalCapacity: c.spec.Capacity, AuthorizedCapacity: c.spec.Authorized, SeatsSold: c.sold,
	}
	if m.rng.IntN(2) == 0 {
		for _, class := range c.spec.Classes {
			l.SoldByClass = append(l.SoldByClass, inventory.ClassSeats{Class: class, Seats: c.byClass[class]})
		}
	}
	if m.rng.IntN(2) == 0 {
		left := float64(c.spec.Capacity - c.sold)
		for i, class := range c.spec.Classes {
			mean := max(0, left*float64(i+1)/float64(3*len(c.spec.Classes)))
			l.Forecast = append(l.Forecast, inventory.ClassForecast{Class: class, Mean: mean, StdDev: mean / 3})
		}
	}
	return l
}

func (m *Market) quote(c *genCabin) *inventory.CompetitorFare {
	fare := c.spec.FareFrom + m.rng.Int64N(c.spec.FareTo-c.spec.FareFrom+1)
	return &inventory.CompetitorFare{
		EventID: m.eventID(), Route: c.flight.Market(), Cabin: c.spec.Name,
		Carrier:  m.cfg.Competitors[m.rng.IntN(len(m.cfg.Competitors))],
		Fare:     decimal.New(fare*100+m.rng.Int64N(100), -2),
		Currency: "USD", ObservedAt: m.now, Source: "loadtest",
	}
}

func (m *Market) book(c *genCabin) *inventory.Booking {
	class := c.spec.Classes[m.rng.IntN(len(c.spec.Classes))]
	seats := 1 + m.rng.IntN(3)
	id := m.eventID()
	b := &inventory.Booking{
		EventID: id, BookingID: "B" + id[:8] + id[len(id)-6:], Action: inventory.ActionBook,
		Flight: c.flight, Cabin: c.spec.Name, Class: class, Seats: seats, Channel: "web",
		Fare:     decimal.New((c.spec.FareFrom+m.rng.Int64N(c.spec.FareTo-c.spec.FareFrom+1))*int64(seats)*100, -2),
		Currency: "USD", EventTime: m.now,
	}
	c.bookings = append(c.bookings, genBooking{b.BookingID, class, seats})
	c.sold += seats
	c.byClass[class] += seats
	return b
}

func (m *Market) cancel(c *genCabin) *inventory.Booking {
	i := m.rng.IntN(len(c.bookings))
	held := &c.bookings[i]
	seats := 1 + m.rng.IntN(held.seats)
	b := &inventory.Booking{
		EventID: m.eventID(), BookingID: held.id, Action: inventory.ActionCancel,
		Flight: c.flight, Cabin: c.spec.Name, Class: held.class, Seats: seats, Channel: "web",
		Fare: decimal.Zero, Currency: "USD", EventTime: m.now,
	}
	c.sold -= seats
	c.byClass[held.class] -= seats
	held.seats -= seats
	if held.seats == 0 {
		c.bookings = append(c.bookings[:i], c.bookings[i+1:]...)
	}
	return b
}
