package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/fareflow/fareflow/pricing"
	"github.com/fareflow/fareflow/stream"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.yaml.in/yaml/v3"
)

func policyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("policy", "--file FILE [--json-line | --brokers HOST:PORT [--topic TOPIC]]", stderr)
	file := fs.String("file", "", "pricing policy YAML `file` to validate (required)")
	jsonLine := fs.Bool("json-line", false, "print the policy as one {\"type\":\"policy\",...} line for an event file of engine simulate")
	brokerList := fs.String("brokers", "", "Kafka bootstrap `brokers`; when set, a valid policy is published to --topic")
	topic := fs.String("topic", "fareflow-policy", "compacted policy `topic` to publish to (created when missing)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *file == "" {
		fmt.Fprintln(stderr, "--file is required")
		fs.Usage()
		return errUsage
	}

	data, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("read policy: %w", err)
	}
	policy, err := pricing.ParsePolicy(data)
	if err != nil {
		return err
	}
	if *jsonLine {
		line, err := policyLine(data)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, string(line))
		return nil
	}
	fmt.Fprintf(stdout, "policy %s is valid (version %s, effective %s)\n", *file, policy.Version(), policy.EffectiveAt().UTC().Format(time.RFC3339))
	if *brokerList == "" {
		return nil
	}
	return publishPolicy(ctx, splitBrokers(*brokerList), *topic, policy, data, stdout)
}

// policyLine turns a policy's YAML into a line of a simulate event file.
// Times become RFC 3339 strings, as the policy format expects.
func policyLine(data []byte) ([]byte, error) {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	return json.Marshal(map[string]any{"type": "policy", "policy": doc})
}

// publishPolicy writes the policy to the topic, unless the topic's newest
// version has the same name: with the same text that is a repeat, and with
// another text engines would ignore it, so both are refused.
func publishPolicy(ctx context.Context, brokers []string, topic string, policy *pricing.Policy, data []byte, stdout io.Writer) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		return fmt.Errorf("connect to %v: %w", brokers, err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	if err := stream.EnsurePolicyTopic(ctx, adm, topic); err != nil {
		return err
	}

	latest, err := latestRecord(ctx, cl, adm, topic)
	if err != nil {
		return err
	}
	if latest != nil {
		if current, err := pricing.ParsePolicy(latest.Value); err == nil && current.Version() == policy.Version() {
			if bytes.Equal(latest.Value, data) {
				fmt.Fprintf(stdout, "version %s is already the newest in %s; nothing published\n", policy.Version(), topic)
				return nil
			}
			return fmt.Errorf("version %s is already in %s with another text, and engines would ignore this one: give the changed policy a new version", policy.Version(), topic)
		}
	}

	r := &kgo.Record{Topic: topic, Key: []byte(stream.PolicyKey), Value: data}
	if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
		return fmt.Errorf("publish policy to %s: %w", topic, err)
	}
	fmt.Fprintf(stdout, "published version %s to %s at offset %d; engines reading that topic (--policy-topic, default fareflow-policy) apply it now\n", policy.Version(), topic, r.Offset)
	return nil
}

// latestRecord returns the last record of the one-partition topic, or nil
// when it is empty.
func latestRecord(ctx context.Context, cl *kgo.Client, adm *kadm.Client, topic string) (*kgo.Record, error) {
	ends, err := adm.ListEndOffsets(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("list end offset of %s: %w", topic, err)
	}
	end, ok := ends.Lookup(topic, 0)
	if !ok || end.Err != nil {
		return nil, fmt.Errorf("end offset of %s partition 0 unavailable: %v", topic, end.Err)
	}
	if end.Offset == 0 {
		return nil, nil
	}

	cl.AddConsumePartitions(map[string]map[int32]kgo.Offset{topic: {0: kgo.NewOffset().At(end.Offset - 1)}})
	readCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		fetches := cl.PollFetches(readCtx)
		if err := readCtx.Err(); err != nil {
			return nil, fmt.Errorf("read the newest policy in %s: %w", topic, err)
		}
		var fetchErr error
		fetches.EachError(func(_ string, _ int32, err error) { fetchErr = err })
		if fetchErr != nil && !errors.Is(fetchErr, context.Canceled) {
			return nil, fmt.Errorf("read the newest policy in %s: %w", topic, fetchErr)
		}
		if records := fetches.Records(); len(records) > 0 {
			return records[len(records)-1], nil
		}
	}
}
