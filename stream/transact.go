package stream

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/fareflow/fareflow/pricing"
	"github.com/fareflow/fareflow/state"
	"github.com/twmb/franz-go/pkg/kgo"
)

// transact processes one poll of records in one Kafka transaction. The
// state changes of every partition it touched are kept when the
// transaction commits and rolled back when it aborts, so the state always
// matches the last committed input offsets.
func (e *Engine) transact(ctx context.Context, sess *kgo.GroupTransactSession, fetches kgo.Fetches) error {
	if err := e.syncAssignment(ctx); err != nil {
		return err
	}
	policy := e.policy.Current()
	e.proc.SetPolicy(policy)
	stale := e.stalePolicy(policy)
	if fetches.NumRecords() == 0 && len(stale) == 0 {
		return nil
	}
	if err := sess.Begin(); err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	began := time.Now()

	// Once begun, a transaction is finished even when ctx is cancelled: a
	// shutdown then commits the poll in hand instead of leaving a
	// transaction open, which would hold back read_committed consumers
	// until the broker times it out.
	txCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.TransactionTimeout)
	defer cancel()

	// Each partition's records go to one worker, in offset order; the
	// partitions' states share nothing, so their workers run in parallel.
	out := &outbox{sess: sess, ctx: txCtx}
	jobs, unowned := e.partitionJobs(fetches, stale)
	var workers sync.WaitGroup
	for _, job := range jobs {
		workers.Go(func() { e.runJob(out, job, policy) })
	}
	workers.Wait()
	touched := make([]*state.Partition, 0, len(jobs))
	for _, job := range jobs {
		touched = append(touched, job.state)
	}

	var ids []int32
	for _, st := range touched {
		ids = append(ids, st.ID())
	}
	commit := !unowned && out.err() == nil
	if commit && e.cfg.Hooks.AbortTransaction != nil && e.cfg.Hooks.AbortTransaction(ids) {
		e.log.Info("test hook aborts the transaction", "partitions", ids)
		commit = false
	}

	if e.cfg.Hooks.BeforeEnd != nil {
		e.cfg.Hooks.BeforeEnd()
	}
	processed := time.Since(began)
	committed, err := sess.End(txCtx, kgo.TransactionEndTry(commit))
	e.log.Debug("transaction ended", "committed", committed, "records", fetches.NumRecords(),
		"partitions", len(ids), "process", processed, "end", time.Since(began)-processed)
	for _, st := range touched {
		if committed {
			st.Commit()
		} else {
			st.Rollback()
		}
	}
	if committed {
		e.cfg.Stats.Commits.Add(1)
	} else {
		e.cfg.Stats.Aborts.Add(1)
		e.log.Info("transaction aborted; state rolled back to the last commit", "partitions", ids, "produce_err", out.err())
	}
	if err != nil {
		return endError(err, time.Since(began), e.cfg.TransactionTimeout)
	}
	return nil
}

// errTransactionTimedOut marks a transaction the broker aborted because it
// stayed open beyond the transaction timeout.
var errTransactionTimedOut = errors.New("transaction timed out")

// endError explains a failed end of a transaction. The broker fences a
// producer both when another instance takes its transactional id and when
// its transaction outlives the timeout. Only the first must stop the
// instance, so a fencing error after the timeout is reported as a timeout.
// The engine recovers from that by redoing the work in a new session.
func endError(err error, open, timeout time.Duration) error {
	if isFatal(err) && open >= timeout {
		return fmt.Errorf("%w after %v (timeout %v), so the broker aborted it: %v", errTransactionTimedOut, open.Round(time.Millisecond), timeout, err)
	}
	return fmt.Errorf("end transaction: %w", err)
}

// stalePolicy returns the owned partitions that have not applied policy,
// in partition order.
func (e *Engine) stalePolicy(policy *pricing.Policy) []*state.Partition {
	var stale []*state.Partition
	for _, st := range e.states {
		if st.Meta().PolicyVersion != policy.Version() {
			stale = append(stale, st)
		}
	}
	slices.SortFunc(stale, func(a, b *state.Partition) int { return cmp.Compare(a.ID(), b.ID()) })
	return stale
}

// job is one partition's share of a transaction.
type job struct {
	state       *state.Partition
	applyPolicy bool          // the partition has not applied the policy in force
	records     []*kgo.Record // in offset order per input topic
}

// partitionJobs groups the fetched records by partition number. It reports
// unowned when a record belongs to a partition this instance has no state
// for: a rebalance is under way and this poll predates it, so the session
// aborts the transaction and the records are fetched again by their owner.
func (e *Engine) partitionJobs(fetches kgo.Fetches, stale []*state.Partition) (jobs []*job, unowned bool) {
	byID := make(map[int32]*job)
	for _, st := range stale {
		j := &job{state: st, applyPolicy: true}
		byID[st.ID()] = j
		jobs = append(jobs, j)
	}
	fetches.EachPartition(func(fp kgo.FetchTopicPartition) {
		// A fetch error (such as a cancelled poll) comes as an entry
		// without records; the poll already logged it.
		if len(fp.Records) == 0 {
			return
		}
		st := e.states[fp.Partition]
		if st == nil {
			unowned = true
			return
		}
		j := byID[fp.Partition]
		if j == nil {
			j = &job{state: st}
			byID[fp.Partition] = j
			jobs = append(jobs, j)
		}
		j.records = append(j.records, fp.Records...)
	})
	return jobs, unowned
}

// runJob applies the policy in force if the partition has not (so its
// repricing is exactly once too), then the partition's records, then
// writes its changed keys to the changelog.
func (e *Engine) runJob(out *outbox, j *job, policy *pricing.Policy) {
	if j.applyPolicy {
		e.publish(context.Background(), out, e.proc.ApplyPolicy(j.state, policy))
	}
	for _, r := range j.records {
		e.handle(out, j.state, r)
	}
	e.writeChangelog(out, j.state)
}

// publish adds price updates to the transaction, keyed by flight. ctx
// carries the trace of the record that caused them, if any.
func (e *Engine) publish(ctx context.Context, out *outbox, decisions []pricing.Decision) {
	for i := range decisions {
		d := &decisions[i]
		value, err := e.catalog.EncodeDecision(d)
		if err != nil {
			out.fail(fmt.Errorf("encode price update of %s cabin %s: %w", d.Flight.Key(), d.Cabin, err))
			continue
		}
		out.add(&kgo.Record{
			Topic: e.cfg.PriceUpdates, Key: []byte(d.Flight.Key()), Value: value, Context: ctx,
			Headers: []kgo.RecordHeader{{Key: CauseHeader, Value: []byte(d.CauseEventID)}},
		})
	}
}

// writeChangelog adds the new value of every key the partition's open
// transaction changed to the changelog partition of the same number.
func (e *Engine) writeChangelog(out *outbox, st *state.Partition) {
	for _, ch := range st.Changes() {
		value, err := e.catalog.EncodeState(stateRecord(ch))
		if err != nil {
			out.fail(fmt.Errorf("encode changelog record %s of partition %d: %w", ch.Key, st.ID(), err))
			continue
		}
		out.add(&kgo.Record{Topic: e.cfg.Changelog, Partition: st.ID(), Key: []byte(ch.Key), Value: value})
	}
}

// outbox produces a transaction's records and remembers the first error.
type outbox struct {
	sess *kgo.GroupTransactSession
	ctx  context.Context

	mu       sync.Mutex // guards firstErr, set from produce callbacks
	firstErr error
}

func (o *outbox) add(r *kgo.Record) {
	o.sess.Produce(o.ctx, r, func(r *kgo.Record, err error) {
		if err != nil {
			o.fail(fmt.Errorf("produce to %s: %w", r.Topic, err))
		}
	})
}

func (o *outbox) fail(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.firstErr == nil {
		o.firstErr = err
	}
}

func (o *outbox) err() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.firstErr
}
