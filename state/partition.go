// Package state holds the authoritative per-partition state: every cabin and
// competitor quote board of the markets that hash to one partition number,
// in plain Go memory owned by that partition's worker. Changes are grouped
// into transactions that either commit (and are written to the changelog)
// or roll back to what the last commit left.
package state

import (
	"slices"
	"sort"
	"time"

	"github.com/fareflow/fareflow/inventory"
)

// Meta is the partition's own record: the pricing policy it has applied.
type Meta struct {
	PolicyVersion     string
	PolicyEffectiveAt time.Time
}

// Partition is the state of one partition number. It is not safe for
// concurrent use: one goroutine owns it.
type Partition struct {
	id int32

	cabins map[string]*inventory.Cabin      // by CabinKey
	boards map[string]*inventory.QuoteBoard // by BoardKey
	// byBoard lists the cabin keys of every flight of a market-day and
	// cabin, sorted, so a competitor quote can reprice them all.
	byBoard map[string][]string
	meta    Meta

	// The open transaction: the value each changed key had when the
	// transaction began (nil when it did not exist), so Rollback can put it
	// back and Changes can list what to write to the changelog.
	undoCabins map[string]*inventory.Cabin
	undoBoards map[string]*inventory.QuoteBoard
	undoMeta   *Meta
}

// NewPartition returns the empty state of partition id.
func NewPartition(id int32) *Partition {
	return &Partition{
		id:         id,
		cabins:     make(map[string]*inventory.Cabin),
		boards:     make(map[string]*inventory.QuoteBoard),
		byBoard:    make(map[string][]string),
		undoCabins: make(map[string]*inventory.Cabin),
		undoBoards: make(map[string]*inventory.QuoteBoard),
	}
}

// ID returns the partition number.
func (p *Partition) ID() int32 { return p.id }

// CabinKey returns the state key of one cabin of one flight-date, for
// example "AA100/2026-12-24/JFK/Y".
func CabinKey(f inventory.Flight, cabin string) string { return f.Key() + "/" + cabin }

// BoardKey returns the state key of one market-day's quotes in one cabin,
// for example "JFK-LHR/2026-12-24/Y".
func BoardKey(m inventory.Market, cabin string) string { return m.String() + "/" + cabin }

// Cabin returns the cabin for reading, or nil when it does not exist.
// Changing it without calling EditCabin first breaks Rollback.
func (p *Partition) Cabin(key string) *inventory.Cabin { return p.cabins[key] }

// EditCabin returns the cabin for changing in the open transaction, creating
// it when missing.
func (p *Partition) EditCabin(f inventory.Flight, cabin string) *inventory.Cabin {
	key := CabinKey(f, cabin)
	c, ok := p.cabins[key]
	if _, saved := p.undoCabins[key]; !saved {
		if ok {
			p.undoCabins[key] = c
		} else {
			p.undoCabins[key] = nil
		}
		// Copy on the first write, so the saved original stays untouched.
		if ok {
			c = c.Clone()
			p.cabins[key] = c
		}
	}
	if c == nil {
		c = inventory.NewCabin(f, cabin)
		p.putCabin(key, c)
	}
	return c
}

// Board returns the quotes of a market-day and cabin for reading, or nil.
func (p *Partition) Board(m inventory.Market, cabin string) *inventory.QuoteBoard {
	return p.boards[BoardKey(m, cabin)]
}

// EditBoard returns the quote board for changing in the open transaction,
// creating it when missing.
func (p *Partition) EditBoard(m inventory.Market, cabin string) *inventory.QuoteBoard {
	key := BoardKey(m, cabin)
	b, ok := p.boards[key]
	if _, saved := p.undoBoards[key]; !saved {
		p.undoBoards[key] = b
		if ok {
			b = b.Clone()
			p.boards[key] = b
		}
	}
	if b == nil {
		b = inventory.NewQuoteBoard(m, cabin)
		p.boards[key] = b
	}
	return b
}

// CabinsOf returns the keys of the cabins of every flight of a market-day in
// one cabin, sorted. The slice is shared with the state and callers must not
// change it, but later creates and rollbacks leave it as it was returned.
func (p *Partition) CabinsOf(m inventory.Market, cabin string) []string {
	return p.byBoard[BoardKey(m, cabin)]
}

// CabinKeys returns the keys of every cabin, sorted.
func (p *Partition) CabinKeys() []string {
	keys := make([]string, 0, len(p.cabins))
	for k := range p.cabins {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Meta returns the partition's record.
func (p *Partition) Meta() Meta { return p.meta }

// SetMeta changes the partition's record in the open transaction.
func (p *Partition) SetMeta(m Meta) {
	if p.undoMeta == nil {
		saved := p.meta
		p.undoMeta = &saved
	}
	p.meta = m
}

// Len returns the number of cabins.
func (p *Partition) Len() int { return len(p.cabins) }

func (p *Partition) putCabin(key string, c *inventory.Cabin) {
	if _, ok := p.cabins[key]; !ok {
		// A new slice, because CabinsOf may have handed out the old one.
		bk := BoardKey(c.Flight.Market(), c.Name)
		keys := p.byBoard[bk]
		i := sort.SearchStrings(keys, key)
		p.byBoard[bk] = slices.Insert(slices.Clip(keys), i, key)
	}
	p.cabins[key] = c
}

func (p *Partition) dropCabin(key string) {
	c, ok := p.cabins[key]
	if !ok {
		return
	}
	delete(p.cabins, key)
	bk := BoardKey(c.Flight.Market(), c.Name)
	keys := p.byBoard[bk]
	i := sort.SearchStrings(keys, key)
	if i < len(keys) && keys[i] == key {
		// A new slice, because CabinsOf may have handed out the old one.
		keys = slices.Delete(slices.Clone(keys), i, i+1)
	}
	if len(keys) == 0 {
		delete(p.byBoard, bk)
	} else {
		p.byBoard[bk] = keys
	}
}
