package state_test

import (
	"slices"
	"testing"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/state"
)

func TestEditCabinCopiesOnFirstWrite(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *inventory.Cabin) error
	}{
		{"booking", func(c *inventory.Cabin) error {
			_, err := c.ApplyBooking(book("e9", "B9", "Y", 3, hour(2)))
			return err
		}},
		{"snapshot", func(c *inventory.Cabin) error {
			_, err := c.ApplyLoadFactor(snapshot("s9", hour(3), 50))
			return err
		}},
		{"sequence", func(c *inventory.Cabin) error {
			c.Sequence++
			c.LastLadder = 99
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := committedBase(t)
			key := state.CabinKey(flight("100"), "Y")
			original := p.Cabin(key)
			want := canonical(t, p)
			wantSequence := original.Sequence

			edited := p.EditCabin(flight("100"), "Y")
			if edited == original {
				t.Fatalf("EditCabin returned the committed cabin %p, want a copy", original)
			}
			if err := tt.edit(edited); err != nil {
				t.Fatalf("edit: %v", err)
			}
			if again := p.EditCabin(flight("100"), "Y"); again != edited {
				t.Errorf("second EditCabin = %p, want the first copy %p", again, edited)
			}
			if got := p.Cabin(key); got != edited {
				t.Errorf("Cabin after EditCabin = %p, want the copy %p", got, edited)
			}

			// The original must still read as the committed state.
			p.Rollback()
			if got := p.Cabin(key); got != original {
				t.Fatalf("Cabin after Rollback = %p, want the original %p", got, original)
			}
			if got := canonical(t, p); got != want {
				t.Errorf("original changed by the edit:\ngot  %s\nwant %s", got, want)
			}
			if original.Sequence != wantSequence {
				t.Errorf("original Sequence = %d, want %d", original.Sequence, wantSequence)
			}
		})
	}
}

func TestEditBoardCopiesOnFirstWrite(t *testing.T) {
	p := committedBase(t)
	original := p.Board(market, "Y")
	wantQuotes := slices.Clone(original.Quotes)

	edited := p.EditBoard(market, "Y")
	if edited == original {
		t.Fatalf("EditBoard returned the committed board %p, want a copy", original)
	}
	edited.Apply(quote("q2", "BA", "580.00", hour(2)))
	edited.Apply(quote("q3", "AF", "560.00", hour(2)))
	if again := p.EditBoard(market, "Y"); again != edited {
		t.Errorf("second EditBoard = %p, want the first copy %p", again, edited)
	}

	if !slices.Equal(original.Quotes, wantQuotes) {
		t.Errorf("original quotes = %+v, want %+v", original.Quotes, wantQuotes)
	}
}

func TestRollback(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, p *state.Partition)
	}{
		{"changed cabin", func(t *testing.T, p *state.Partition) {
			applyBooking(t, p, "100", book("e3", "B3", "Y", 1, hour(2)))
			applySnapshot(t, p, "100", snapshot("s2", hour(3), 45))
			p.EditCabin(flight("100"), "Y").Sequence++
		}},
		{"created cabin", func(t *testing.T, p *state.Partition) {
			applyBooking(t, p, "050", book("e3", "B3", "Y", 1, hour(2)))
		}},
		{"created cabins around existing", func(t *testing.T, p *state.Partition) {
			applyBooking(t, p, "050", book("e3", "B3", "Y", 1, hour(2)))
			applyBooking(t, p, "150", book("e4", "B4", "Y", 1, hour(2)))
			applyBooking(t, p, "300", book("e5", "B5", "Y", 1, hour(2)))
		}},
		{"created cabin in another cabin", func(t *testing.T, p *state.Partition) {
			p.EditCabin(flight("100"), "J")
		}},
		{"changed board", func(t *testing.T, p *state.Partition) {
			applyQuote(t, p, quote("q2", "BA", "580.00", hour(2)))
			applyQuote(t, p, quote("q3", "AF", "560.00", hour(2)))
		}},
		{"created board", func(t *testing.T, p *state.Partition) {
			q := quote("q2", "BA", "4800.00", hour(2))
			q.Cabin = "J"
			applyQuote(t, p, q)
		}},
		{"meta", func(t *testing.T, p *state.Partition) {
			p.SetMeta(state.Meta{PolicyVersion: "v2", PolicyEffectiveAt: hour(5)})
			p.SetMeta(state.Meta{PolicyVersion: "v3", PolicyEffectiveAt: hour(6)})
		}},
		{"everything", func(t *testing.T, p *state.Partition) {
			applyBooking(t, p, "100", book("e3", "B3", "Y", 1, hour(2)))
			applyBooking(t, p, "200", book("e4", "B4", "Y", 1, hour(2)))
			applyBooking(t, p, "250", book("e5", "B5", "Y", 1, hour(2)))
			applyQuote(t, p, quote("q2", "VS", "590.00", hour(2)))
			p.SetMeta(state.Meta{PolicyVersion: "v2", PolicyEffectiveAt: hour(5)})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := committedBase(t)
			want := viewOf(t, p)
			originals := map[string]*inventory.Cabin{}
			for _, key := range p.CabinKeys() {
				originals[key] = p.Cabin(key)
			}
			originalBoard := p.Board(market, "Y")

			tt.edit(t, p)
			if got := viewOf(t, p); got == want {
				t.Fatalf("the edit changed nothing visible, so the case would test nothing")
			}
			p.Rollback()

			checkView(t, viewOf(t, p), want)
			for key, c := range originals {
				if got := p.Cabin(key); got != c {
					t.Errorf("Cabin(%s) after Rollback = %p, want the original %p", key, got, c)
				}
			}
			if got := p.Board(market, "Y"); got != originalBoard {
				t.Errorf("Board(Y) after Rollback = %p, want the original %p", got, originalBoard)
			}
			if got := p.Board(market, "J"); got != nil {
				t.Errorf("Board(J) after Rollback = %+v, want nil", got)
			}
			if got := p.Len(); got != len(originals) {
				t.Errorf("Len() after Rollback = %d, want %d", got, len(originals))
			}
			if got := p.Changes(); len(got) != 0 {
				t.Errorf("Changes() after Rollback = %v, want none", changeKeys(got))
			}
		})
	}
}

func TestCommitKeeps(t *testing.T) {
	p := committedBase(t)
	applyBooking(t, p, "100", book("e3", "B3", "Y", 1, hour(2)))
	applyBooking(t, p, "300", book("e4", "B4", "Y", 1, hour(2)))
	applyQuote(t, p, quote("q2", "AF", "560.00", hour(2)))
	p.SetMeta(state.Meta{PolicyVersion: "v2", PolicyEffectiveAt: hour(5)})
	want := viewOf(t, p)

	p.Commit()
	checkView(t, viewOf(t, p), want)
	if got := p.Changes(); len(got) != 0 {
		t.Errorf("Changes() after Commit = %v, want none", changeKeys(got))
	}

	// A rollback right after the commit has nothing to undo.
	p.Rollback()
	checkView(t, viewOf(t, p), want)
}

func TestChanges(t *testing.T) {
	cabin100 := "cabin/" + state.CabinKey(flight("100"), "Y")
	cabin200 := "cabin/" + state.CabinKey(flight("200"), "Y")
	cabin300 := "cabin/" + state.CabinKey(flight("300"), "Y")
	quotesY := "quotes/" + state.BoardKey(market, "Y")
	quotesJ := "quotes/" + state.BoardKey(market, "J")

	tests := []struct {
		name string
		edit func(t *testing.T, p *state.Partition)
		want []string
	}{
		{"nothing", func(t *testing.T, p *state.Partition) {}, nil},
		{"reads only", func(t *testing.T, p *state.Partition) {
			p.Cabin(state.CabinKey(flight("100"), "Y"))
			p.Board(market, "Y")
			p.Meta()
		}, nil},
		{"one cabin twice", func(t *testing.T, p *state.Partition) {
			applyBooking(t, p, "200", book("e3", "B3", "Y", 1, hour(2)))
			applyBooking(t, p, "200", book("e4", "B4", "Y", 1, hour(2)))
		}, []string{cabin200}},
		{"created cabin", func(t *testing.T, p *state.Partition) {
			applyBooking(t, p, "300", book("e3", "B3", "Y", 1, hour(2)))
		}, []string{cabin300}},
		{"boards", func(t *testing.T, p *state.Partition) {
			q := quote("q2", "BA", "4800.00", hour(2))
			q.Cabin = "J"
			applyQuote(t, p, q)
			applyQuote(t, p, quote("q3", "AF", "560.00", hour(2)))
		}, []string{quotesJ, quotesY}},
		{"meta", func(t *testing.T, p *state.Partition) {
			p.SetMeta(state.Meta{PolicyVersion: "v2", PolicyEffectiveAt: hour(5)})
		}, []string{state.MetaKey}},
		{"everything", func(t *testing.T, p *state.Partition) {
			p.SetMeta(state.Meta{PolicyVersion: "v2", PolicyEffectiveAt: hour(5)})
			applyQuote(t, p, quote("q2", "AF", "560.00", hour(2)))
			applyBooking(t, p, "300", book("e3", "B3", "Y", 1, hour(2)))
			applyBooking(t, p, "100", book("e4", "B4", "Y", 1, hour(2)))
		}, []string{cabin100, cabin300, state.MetaKey, quotesY}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := committedBase(t)
			tt.edit(t, p)

			changes := p.Changes()
			if got := changeKeys(changes); !slices.Equal(got, tt.want) {
				t.Fatalf("Changes() keys = %q, want %q", got, tt.want)
			}
			for _, ch := range changes {
				checkChangeValue(t, p, ch)
			}
		})
	}
}

// checkChangeValue fails the test unless ch carries exactly one value and
// that value is the partition's current one for its key.
func checkChangeValue(t *testing.T, p *state.Partition, ch state.Change) {
	t.Helper()
	set := 0
	for _, isSet := range []bool{ch.Cabin != nil, ch.Board != nil, ch.Meta != nil} {
		if isSet {
			set++
		}
	}
	if set != 1 {
		t.Errorf("change %s sets %d of Cabin, Board and Meta, want 1", ch.Key, set)
		return
	}
	switch {
	case ch.Cabin != nil:
		key := state.CabinKey(ch.Cabin.Flight, ch.Cabin.Name)
		if ch.Key != "cabin/"+key {
			t.Errorf("change %s carries cabin %s, want the cabin of its key", ch.Key, key)
		}
		if got := p.Cabin(key); ch.Cabin != got {
			t.Errorf("change %s carries cabin %p, want the current %p", ch.Key, ch.Cabin, got)
		}
	case ch.Board != nil:
		key := state.BoardKey(ch.Board.Route, ch.Board.Cabin)
		if ch.Key != "quotes/"+key {
			t.Errorf("change %s carries board %s, want the board of its key", ch.Key, key)
		}
		if got := p.Board(ch.Board.Route, ch.Board.Cabin); ch.Board != got {
			t.Errorf("change %s carries board %p, want the current %p", ch.Key, ch.Board, got)
		}
	case ch.Meta != nil:
		if *ch.Meta != p.Meta() {
			t.Errorf("change %s carries %+v, want the current %+v", ch.Key, *ch.Meta, p.Meta())
		}
	}
}

func changeKeys(changes []state.Change) []string {
	var keys []string
	for _, ch := range changes {
		keys = append(keys, ch.Key)
	}
	return keys
}

func TestRestoreRebuildsState(t *testing.T) {
	// Each step is one transaction. The changes of the committed ones, in
	// order, are what the changelog contains.
	steps := []struct {
		commit bool
		edit   func(t *testing.T, p *state.Partition)
	}{
		{true, func(t *testing.T, p *state.Partition) {
			applySnapshot(t, p, "100", snapshot("s1", hour(0), 40))
			applyBooking(t, p, "100", book("e1", "B1", "M", 2, hour(1)))
			applyBooking(t, p, "200", book("e2", "B2", "Q", 1, hour(1)))
			p.SetMeta(state.Meta{PolicyVersion: "v1", PolicyEffectiveAt: hour(-24)})
		}},
		{true, func(t *testing.T, p *state.Partition) {
			applyQuote(t, p, quote("q1", "BA", "612.00", hour(1)))
			c := p.EditCabin(flight("100"), "Y")
			c.Sequence++
			c.LastLadder = 7
		}},
		{false, func(t *testing.T, p *state.Partition) {
			applyBooking(t, p, "300", book("e3", "B3", "Y", 1, hour(2)))
			applyQuote(t, p, quote("q2", "AF", "560.00", hour(2)))
			p.SetMeta(state.Meta{PolicyVersion: "v9", PolicyEffectiveAt: hour(9)})
		}},
		{true, func(t *testing.T, p *state.Partition) {
			applySnapshot(t, p, "100", snapshot("s2", hour(3), 44))
			applyBooking(t, p, "050", book("e4", "B4", "Y", 1, hour(3)))
			applyQuote(t, p, quote("q3", "VS", "640.00", hour(3)))
			p.SetMeta(state.Meta{PolicyVersion: "v2", PolicyEffectiveAt: hour(3)})
		}},
	}

	p := state.NewPartition(3)
	var changelog []state.Change
	for _, step := range steps {
		step.edit(t, p)
		if !step.commit {
			p.Rollback()
			continue
		}
		changelog = append(changelog, p.Changes()...)
		p.Commit()
	}
	want := viewOf(t, p)

	restored := state.NewPartition(3)
	for _, ch := range changelog {
		restored.Restore(ch)
	}
	checkView(t, viewOf(t, restored), want)
	if got := restored.Changes(); len(got) != 0 {
		t.Errorf("Changes() after Restore = %v, want none: a restore is outside any transaction", changeKeys(got))
	}

	// A restored state is edited and rolled back like any other.
	applyBooking(t, restored, "100", book("e5", "B5", "Y", 1, hour(4)))
	applyBooking(t, restored, "075", book("e6", "B6", "Y", 1, hour(4)))
	restored.Rollback()
	checkView(t, viewOf(t, restored), want)
	checkView(t, viewOf(t, p), want)
}

func TestCabinsOf(t *testing.T) {
	key := func(number string) string { return state.CabinKey(flight(number), "Y") }

	// Each step runs one transaction and names the keys CabinsOf must
	// return after it.
	steps := []struct {
		name   string
		create []string // flight numbers whose Y cabin is edited
		commit bool
		want   []string
	}{
		{"first", []string{"300"}, true, []string{key("300")}},
		{"before and after", []string{"100", "500"}, true, []string{key("100"), key("300"), key("500")}},
		{"rolled back", []string{"050", "200", "400", "600"}, false, []string{key("100"), key("300"), key("500")}},
		{"existing and new", []string{"300", "200"}, true, []string{key("100"), key("200"), key("300"), key("500")}},
		{"rolled back at the end", []string{"900"}, false, []string{key("100"), key("200"), key("300"), key("500")}},
		{"rolled back at the start", []string{"001"}, false, []string{key("100"), key("200"), key("300"), key("500")}},
		{"last", []string{"999", "001"}, true, []string{key("001"), key("100"), key("200"), key("300"), key("500"), key("999")}},
	}

	p := state.NewPartition(0)
	for _, step := range steps {
		before := slices.Clone(p.CabinsOf(market, "Y"))
		returned := p.CabinsOf(market, "Y")
		for _, number := range step.create {
			p.EditCabin(flight(number), "Y")
		}
		if got := p.CabinsOf(market, "Y"); !slices.IsSorted(got) {
			t.Errorf("%s: CabinsOf in the transaction = %q, not sorted", step.name, got)
		}
		if !slices.Equal(returned, before) {
			t.Errorf("%s: a slice CabinsOf returned before the edits changed to %q, want %q", step.name, returned, before)
		}
		if step.commit {
			p.Commit()
		} else {
			p.Rollback()
		}

		if got := p.CabinsOf(market, "Y"); !slices.Equal(got, step.want) {
			t.Errorf("%s: CabinsOf = %q, want %q", step.name, got, step.want)
		}
		if !slices.Equal(returned, before) {
			t.Errorf("%s: a slice CabinsOf returned before the step changed to %q, want %q", step.name, returned, before)
		}
		if got := p.CabinsOf(market, "J"); len(got) != 0 {
			t.Errorf("%s: CabinsOf(J) = %q, want none", step.name, got)
		}
		if got, want := p.CabinKeys(), step.want; !slices.Equal(got, want) {
			t.Errorf("%s: CabinKeys() = %q, want %q", step.name, got, want)
		}
	}
}

func TestCabinsOfOtherMarket(t *testing.T) {
	p := state.NewPartition(0)
	// The flight key leaves out the destination, so the flight to CDG needs
	// its own number.
	other := flight("700")
	other.Destination = "CDG"
	nextDay := flight("100")
	nextDay.Date = departure.AddDate(0, 0, 1)

	p.EditCabin(flight("100"), "Y")
	p.EditCabin(flight("100"), "J")
	p.EditCabin(other, "Y")
	p.EditCabin(nextDay, "Y")
	p.Commit()

	tests := []struct {
		name   string
		market inventory.Market
		cabin  string
		want   []string
	}{
		{"same market Y", market, "Y", []string{state.CabinKey(flight("100"), "Y")}},
		{"same market J", market, "J", []string{state.CabinKey(flight("100"), "J")}},
		{"other destination", other.Market(), "Y", []string{state.CabinKey(other, "Y")}},
		{"next day", nextDay.Market(), "Y", []string{state.CabinKey(nextDay, "Y")}},
		{"no cabin", nextDay.Market(), "J", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.CabinsOf(tt.market, tt.cabin); !slices.Equal(got, tt.want) {
				t.Errorf("CabinsOf(%s, %s) = %q, want %q", tt.market, tt.cabin, got, tt.want)
			}
		})
	}
}

func TestRestoreSameKeyReplaces(t *testing.T) {
	first := inventory.NewCabin(flight("100"), "Y")
	second := first.Clone()
	second.Sequence = 2

	p := state.NewPartition(0)
	p.Restore(state.Change{Key: "cabin/" + state.CabinKey(flight("100"), "Y"), Cabin: first})
	p.Restore(state.Change{Key: "cabin/" + state.CabinKey(flight("100"), "Y"), Cabin: second})

	if got := p.Cabin(state.CabinKey(flight("100"), "Y")); got != second {
		t.Errorf("Cabin after two restores = %p, want the later %p", got, second)
	}
	if got, want := p.CabinsOf(market, "Y"), []string{state.CabinKey(flight("100"), "Y")}; !slices.Equal(got, want) {
		t.Errorf("CabinsOf = %q, want %q", got, want)
	}
	if got := p.Len(); got != 1 {
		t.Errorf("Len() = %d, want 1", got)
	}
}
