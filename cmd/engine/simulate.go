package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/pricing"
	"github.com/fareflow/fareflow/state"
	"github.com/fareflow/fareflow/stream"
)

func simulateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("simulate", "--policy FILE --events FILE [--final-state FILE]", stderr)
	policyPath := fs.String("policy", "", "pricing policy YAML `file` in force at the start (required)")
	eventsPath := fs.String("events", "", "event `file`, one JSON object per line, applied in file order; a line {\"type\":\"policy\",\"policy\":{...}} makes a new policy version take effect (required; - for standard input)")
	finalState := fs.String("final-state", "", "write the final state in its canonical JSON form to this `file`")
	publishAlways := fs.Bool("publish-always", false, "print every decision, not only those whose ladder changed")
	explain := fs.Bool("explain", false, "print each decision as readable text with the rules that fired, instead of JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *policyPath == "" || *eventsPath == "" {
		fmt.Fprintln(stderr, "both --policy and --events are required")
		fs.Usage()
		return errUsage
	}

	policy, err := loadPolicy(*policyPath)
	if err != nil {
		return err
	}
	events, err := openInput(*eventsPath)
	if err != nil {
		return err
	}
	defer events.Close()

	stats := new(stream.Stats)
	sim := &simulation{
		proc:    stream.NewProcessor(policy, *publishAlways, stats, nil),
		state:   state.NewPartition(0),
		out:     bufio.NewWriter(stdout),
		stderr:  stderr,
		explain: *explain,
	}
	if *explain {
		// The explanation needs the decision's input, which only the
		// processor has.
		sim.proc.Observe(func(d *pricing.Decision, in pricing.Input) {
			text := pricing.Explain(d)
			if c, err := pricing.Conditions(sim.proc.Policy(), in); err == nil {
				text = pricing.ExplainWith(d, c)
			}
			fmt.Fprintln(sim.out, text)
		})
	}
	sim.applyPolicy(policy)
	if err := sim.replay(ctx, events); err != nil {
		return err
	}
	if err := sim.out.Flush(); err != nil {
		return fmt.Errorf("write decisions: %w", err)
	}
	fmt.Fprintf(stderr, "%d lines: %d events applied, %d duplicates, %d stale, %d rejected (the stream would dead-letter them), %d policy versions; %d decisions, %d published; %d pricings skipped without a snapshot, %d not covered by the policy\n",
		sim.lines, stats.Applied.Load(), stats.Duplicates.Load(), stats.Stale.Load(), sim.rejected, sim.policies,
		stats.Decisions.Load(), stats.Published.Load(), stats.Unpriced.Load(), stats.NotCovered.Load())
	if *finalState != "" {
		return writeFinalState(*finalState, sim.state)
	}
	return nil
}

// simulation replays an event file through the stream's processor, on one
// partition's state: every event of a market lands in one partition, so a
// single state gives each cabin the same history as the stream does.
type simulation struct {
	proc    *stream.Processor
	state   *state.Partition
	out     *bufio.Writer
	stderr  io.Writer
	explain bool

	lines    int
	rejected int
	policies int
}

func (s *simulation) replay(ctx context.Context, r io.Reader) error {
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for scanner.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.lines++
		line := bytes.TrimSpace(scanner.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if err := s.applyLine(line); err != nil {
			var policyErr *policyLineError
			if errors.As(err, &policyErr) {
				fmt.Fprintf(s.stderr, "line %d: policy rejected, the previous one stays in force: %v\n", s.lines, policyErr.err)
				continue
			}
			s.rejected++
			fmt.Fprintf(s.stderr, "line %d: rejected: %v\n", s.lines, err)
		}
	}
	if err := scanner.Err(); err != nil {
		return fmt.Errorf("read events: %w", err)
	}
	return nil
}

// applyLine applies one event or policy line and prints its decisions.
func (s *simulation) applyLine(line []byte) error {
	var head struct {
		Type   string          `json:"type"`
		Policy json.RawMessage `json:"policy"`
	}
	if err := json.Unmarshal(line, &head); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	if head.Type == "policy" {
		if len(head.Policy) == 0 {
			return &policyLineError{errors.New(`policy line without a "policy" object`)}
		}
		policy, err := pricing.ParsePolicy(head.Policy)
		if err != nil {
			return &policyLineError{err}
		}
		s.policies++
		return s.print(s.proc.ApplyPolicy(s.state, policy))
	}

	ev, err := avro.ParseEventJSON(line)
	if err != nil {
		return err
	}
	decisions, err := s.proc.Apply(s.state, ev)
	if err != nil {
		s.state.Rollback()
		return err
	}
	return s.print(decisions)
}

func (s *simulation) applyPolicy(p *pricing.Policy) {
	_ = s.print(s.proc.ApplyPolicy(s.state, p))
}

// print writes the decisions and commits the state: each event is its own
// transaction here.
func (s *simulation) print(decisions []pricing.Decision) error {
	s.state.Commit()
	if s.explain {
		return nil // printed as decided, by the observer
	}
	for i := range decisions {
		b, err := avro.DecisionJSON(&decisions[i])
		if err != nil {
			return err
		}
		s.out.Write(b)
		s.out.WriteByte('\n')
	}
	return nil
}

func writeFinalState(path string, st *state.Partition) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create final state file: %w", err)
	}
	if err := state.WriteCanonical(f, st.Cabins(), st.Boards()); err != nil {
		f.Close()
		return fmt.Errorf("write final state %s: %w", path, err)
	}
	return f.Close()
}

func openInput(path string) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open events: %w", err)
	}
	return f, nil
}

// policyLineError marks a policy line that failed validation: it is not an
// event, so it is not counted as a rejected event.
type policyLineError struct{ err error }

func (e *policyLineError) Error() string { return e.err.Error() }
func (e *policyLineError) Unwrap() error { return e.err }
