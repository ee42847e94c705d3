package state

import (
	"cmp"
	"encoding/json"
	"io"
	"slices"
	"time"

	"github.com/fareflow/fareflow/inventory"
)

// The canonical form of a state is what every interleaving of the same
// records must agree on: holdings, snapshots, settled and pending deltas
// (as a set) and quotes. Sequence numbers and the last ladder are left
// out, because how many updates were published depends on the order in
// which the input topics were read.
type canonicalState struct {
	Cabins []canonicalCabin      `json:"cabins"`
	Quotes []canonicalQuoteBoard `json:"quotes"`
}

type canonicalCabin struct {
	Key      string           `json:"key"`
	Snapshot *canonicalSnap   `json:"snapshot"`
	Holdings []canonicalHold  `json:"holdings"`
	Settled  []canonicalSeats `json:"settled"`
	Pending  []canonicalDelta `json:"pending"`
	Seen     []string         `json:"seen_event_ids"`
}

type canonicalSnap struct {
	EventID            string              `json:"event_id"`
	AsOf               string              `json:"as_of"`
	PhysicalCapacity   int                 `json:"physical_capacity"`
	AuthorizedCapacity int                 `json:"authorized_capacity"`
	SeatsSold          int                 `json:"seats_sold"`
	SoldByClass        []canonicalSeats    `json:"sold_by_class"`
	Forecast           []canonicalForecast `json:"forecast"`
}

type canonicalForecast struct {
	Class  string  `json:"class"`
	Mean   float64 `json:"mean"`
	StdDev float64 `json:"std_dev"`
}

type canonicalHold struct {
	BookingID string `json:"booking_id"`
	Class     string `json:"class"`
	Seats     int    `json:"seats"`
}

type canonicalSeats struct {
	Class string `json:"class"`
	Seats int    `json:"seats"`
}

type canonicalDelta struct {
	EventTime string `json:"event_time"`
	Class     string `json:"class"`
	Seats     int    `json:"seats"`
}

type canonicalQuoteBoard struct {
	Key    string           `json:"key"`
	Quotes []canonicalQuote `json:"quotes"`
}

type canonicalQuote struct {
	Carrier    string `json:"carrier"`
	EventID    string `json:"event_id"`
	Fare       string `json:"fare"`
	Currency   string `json:"currency"`
	ObservedAt string `json:"observed_at"`
}

// WriteCanonical writes the canonical JSON form of the cabins and quote
// boards to w, indented, sorted by key.
func WriteCanonical(w io.Writer, cabins []*inventory.Cabin, boards []*inventory.QuoteBoard) error {
	var s canonicalState
	s.Cabins = make([]canonicalCabin, 0, len(cabins))
	for _, c := range cabins {
		s.Cabins = append(s.Cabins, canonicalizeCabin(c))
	}
	slices.SortFunc(s.Cabins, func(a, b canonicalCabin) int { return cmp.Compare(a.Key, b.Key) })

	s.Quotes = make([]canonicalQuoteBoard, 0, len(boards))
	for _, b := range boards {
		qb := canonicalQuoteBoard{Key: BoardKey(b.Route, b.Cabin), Quotes: []canonicalQuote{}}
		for _, q := range b.Quotes {
			qb.Quotes = append(qb.Quotes, canonicalQuote{q.Carrier, q.EventID, q.Fare.String(), q.Currency, stamp(q.ObservedAt)})
		}
		s.Quotes = append(s.Quotes, qb)
	}
	slices.SortFunc(s.Quotes, func(a, b canonicalQuoteBoard) int { return cmp.Compare(a.Key, b.Key) })

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// Cabins returns every cabin of the partition.
func (p *Partition) Cabins() []*inventory.Cabin {
	out := make([]*inventory.Cabin, 0, len(p.cabins))
	for _, key := range p.CabinKeys() {
		out = append(out, p.cabins[key])
	}
	return out
}

// Boards returns every quote board of the partition.
func (p *Partition) Boards() []*inventory.QuoteBoard {
	out := make([]*inventory.QuoteBoard, 0, len(p.boards))
	for _, b := range p.boards {
		out = append(out, b)
	}
	return out
}

func canonicalizeCabin(c *inventory.Cabin) canonicalCabin {
	cc := canonicalCabin{
		Key:      CabinKey(c.Flight, c.Name),
		Holdings: []canonicalHold{},
		Settled:  []canonicalSeats{},
		Pending:  []canonicalDelta{},
		Seen:     []string{},
	}
	if s := c.Snapshot; s != nil {
		cc.Snapshot = &canonicalSnap{s.EventID, stamp(s.AsOf), s.PhysicalCapacity, s.AuthorizedCapacity, s.SeatsSold, nil, nil}
		for _, cs := range s.SoldByClass {
			cc.Snapshot.SoldByClass = append(cc.Snapshot.SoldByClass, canonicalSeats{cs.Class, cs.Seats})
		}
		for _, f := range s.Forecast {
			cc.Snapshot.Forecast = append(cc.Snapshot.Forecast, canonicalForecast{f.Class, f.Mean, f.StdDev})
		}
	}
	for id, h := range c.Holdings {
		cc.Holdings = append(cc.Holdings, canonicalHold{id, h.Class, h.Seats})
	}
	slices.SortFunc(cc.Holdings, func(a, b canonicalHold) int { return cmp.Compare(a.BookingID, b.BookingID) })
	for class, n := range c.Settled {
		if n != 0 {
			cc.Settled = append(cc.Settled, canonicalSeats{class, n})
		}
	}
	slices.SortFunc(cc.Settled, func(a, b canonicalSeats) int { return cmp.Compare(a.Class, b.Class) })
	for _, d := range c.Pending {
		cc.Pending = append(cc.Pending, canonicalDelta{stamp(d.EventTime), d.Class, d.Seats})
	}
	slices.SortFunc(cc.Pending, func(a, b canonicalDelta) int {
		return cmp.Or(cmp.Compare(a.EventTime, b.EventTime), cmp.Compare(a.Class, b.Class), cmp.Compare(a.Seats, b.Seats))
	})
	for id := range c.Seen {
		cc.Seen = append(cc.Seen, id)
	}
	slices.Sort(cc.Seen)
	return cc
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
