package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/fareflow/fareflow/pricing"
	"github.com/fareflow/fareflow/stream"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

func policyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("policy", "--file FILE [--brokers HOST:PORT --topic TOPIC]", stderr)
	file := fs.String("file", "", "pricing policy YAML `file` to validate (required)")
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
	fmt.Fprintf(stdout, "policy %s is valid (version %s, effective %s)\n", *file, policy.Version(), policy.EffectiveAt().UTC().Format("2006-01-02T15:04:05Z07:00"))
	if *brokerList == "" {
		return nil
	}

	cl, err := kgo.NewClient(kgo.SeedBrokers(splitBrokers(*brokerList)...))
	if err != nil {
		return fmt.Errorf("connect to %s: %w", *brokerList, err)
	}
	defer cl.Close()
	if err := stream.EnsurePolicyTopic(ctx, kadm.NewClient(cl), *topic); err != nil {
		return err
	}
	r := &kgo.Record{Topic: *topic, Key: []byte(stream.PolicyKey), Value: data}
	if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
		return fmt.Errorf("publish policy to %s: %w", *topic, err)
	}
	fmt.Fprintf(stdout, "published version %s to %s at offset %d; engines reading that topic (--policy-topic, default fareflow-policy) apply it now\n", policy.Version(), *topic, r.Offset)
	return nil
}
