package inventory

import "maps"

// Clone returns a deep copy of the cabin that shares nothing mutable with
// it. The stream keeps the original of every cabin a transaction changes, so
// an aborted transaction can put it back. Snapshots are shared: a cabin
// replaces its snapshot and never changes one in place.
func (c *Cabin) Clone() *Cabin {
	out := *c
	out.Holdings = maps.Clone(c.Holdings)
	out.Settled = maps.Clone(c.Settled)
	out.Seen = maps.Clone(c.Seen)
	out.Pending = append([]Delta(nil), c.Pending...)
	return &out
}

// Clone returns a copy of the board that shares nothing mutable with it.
func (q *QuoteBoard) Clone() *QuoteBoard {
	out := *q
	out.Quotes = append([]CompetitorFare(nil), q.Quotes...)
	return &out
}
