package pricing

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotCovered is returned by Decide, wrapped with the market and cabin,
// when the policy has no fare ladder for the flight's market and cabin. The
// caller leaves such a cabin unpriced, because it is not a fault of the event.
var ErrNotCovered = errors.New("policy has no fare ladder for this market and cabin")

// Problem is one reason a policy failed validation.
type Problem struct {
	// Path locates the field in the policy document, for example
	// "markets[2].cabins.Y.floor". It is empty for the document as a whole.
	Path string
	// Message says what is wrong with the value and how to fix it.
	Message string
}

// String renders the problem as "path: message".
func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// ValidationError lists every problem found in a policy, in document order,
// so an analyst can fix them all in one pass.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems one per line after a summary line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	if len(e.Problems) == 1 {
		b.WriteString("invalid policy: 1 problem")
	} else {
		fmt.Fprintf(&b, "invalid policy: %d problems", len(e.Problems))
	}
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects validation problems while a policy is compiled.
type problems struct {
	list []Problem
}

// add records a problem once: a default inherited by many cabins is
// reported at the default, not once per cabin.
func (ps *problems) add(path, format string, args ...any) {
	p := Problem{Path: path, Message: fmt.Sprintf(format, args...)}
	for _, seen := range ps.list {
		if seen == p {
			return
		}
	}
	ps.list = append(ps.list, p)
}

// err returns nil when nothing was found, else a *ValidationError.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps.list}
}
