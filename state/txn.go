package state

import (
	"sort"

	"github.com/fareflow/fareflow/inventory"
)

// Change is one record for the changelog: the new value of one key that the
// committed transaction changed. Exactly one of Cabin, Board and Meta is set.
type Change struct {
	Key   string
	Cabin *inventory.Cabin
	Board *inventory.QuoteBoard
	Meta  *Meta
}

// MetaKey is the changelog key of the partition's own record.
const MetaKey = "meta"

// Changes returns the current value of every key the open transaction
// changed, sorted by key, for the caller to write to the changelog inside
// the same Kafka transaction.
func (p *Partition) Changes() []Change {
	changes := make([]Change, 0, len(p.undoCabins)+len(p.undoBoards)+1)
	for key := range p.undoCabins {
		changes = append(changes, Change{Key: "cabin/" + key, Cabin: p.cabins[key]})
	}
	for key := range p.undoBoards {
		changes = append(changes, Change{Key: "quotes/" + key, Board: p.boards[key]})
	}
	if p.undoMeta != nil {
		m := p.meta
		changes = append(changes, Change{Key: MetaKey, Meta: &m})
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Key < changes[j].Key })
	return changes
}

// Commit ends the open transaction, keeping its changes. Call it only once
// the Kafka transaction that carried Changes has committed.
func (p *Partition) Commit() {
	clear(p.undoCabins)
	clear(p.undoBoards)
	p.undoMeta = nil
}

// Rollback ends the open transaction, putting back every value it changed,
// so the state is again what the last commit left.
func (p *Partition) Rollback() {
	for key, old := range p.undoCabins {
		if old == nil {
			p.dropCabin(key)
		} else {
			p.cabins[key] = old
		}
	}
	for key, old := range p.undoBoards {
		if old == nil {
			delete(p.boards, key)
		} else {
			p.boards[key] = old
		}
	}
	if p.undoMeta != nil {
		p.meta = *p.undoMeta
	}
	p.Commit()
}

// Restore puts one changelog record's value into the state, outside any
// transaction. A later record of the same key replaces an earlier one.
func (p *Partition) Restore(ch Change) {
	switch {
	case ch.Cabin != nil:
		p.putCabin(CabinKey(ch.Cabin.Flight, ch.Cabin.Name), ch.Cabin)
	case ch.Board != nil:
		p.boards[BoardKey(ch.Board.Route, ch.Board.Cabin)] = ch.Board
	case ch.Meta != nil:
		p.meta = *ch.Meta
	}
}
