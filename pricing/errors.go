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
	// Line is the line of the value in the policy file, counted from 1, or
	// 0 when unknown. Only problems found while reading the YAML structure
	// (unknown keys, duplicate keys, values of the wrong kind) have one.
	Line int
	// Message is the problem with the value and how to fix it.
	Message string
}

// String renders the problem as "path (line N): message", leaving out the
// parts that are unknown.
func (p Problem) String() string {
	switch {
	case p.Path != "" && p.Line > 0:
		return fmt.Sprintf("%s (line %d): %s", p.Path, p.Line, p.Message)
	case p.Path != "":
		return p.Path + ": " + p.Message
	case p.Line > 0:
		return fmt.Sprintf("line %d: %s", p.Line, p.Message)
	}
	return p.Message
}

// ValidationError lists every problem found in a policy, so an analyst can
// fix them all in one pass: the YAML structure problems first, in document
// order, then the validator's, which are mostly in document order too.
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
	// reported are the paths whose value the YAML structure check already
	// reported as unreadable, duplicated or misspelt. A later problem at or
	// under such a path follows from that one, so add drops it.
	reported []string
	// dropped counts the problems add dropped as follow-ons.
	dropped int
}

// add records a problem once: a default inherited by many cabins is
// reported at the default, not once per cabin.
func (ps *problems) add(path, format string, args ...any) {
	if ps.follows(path) {
		ps.dropped++
		return
	}
	ps.addLine(0, path, format, args...)
}

// addLine records a problem with the line of the value it is about.
func (ps *problems) addLine(line int, path, format string, args ...any) {
	p := Problem{Path: path, Line: line, Message: fmt.Sprintf(format, args...)}
	for _, seen := range ps.list {
		if seen == p {
			return
		}
	}
	ps.list = append(ps.list, p)
}

// markReported makes later problems at or under path follow-ons.
func (ps *problems) markReported(path string) {
	ps.reported = append(ps.reported, path)
}

// follows reports whether path is at or under a path marked reported. The
// empty path is the whole document.
func (ps *problems) follows(path string) bool {
	for _, r := range ps.reported {
		if r == "" || path == r || strings.HasPrefix(path, r+".") || strings.HasPrefix(path, r+"[") {
			return true
		}
	}
	return false
}

// count returns how many problems were found, including dropped follow-ons.
func (ps *problems) count() int {
	return len(ps.list) + ps.dropped
}

// err returns nil when nothing was found, else a *ValidationError.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps.list}
}
