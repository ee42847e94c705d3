// Command engine runs Fareflow: the streaming pricing engine, its demo, an
// offline replay of event files, and tools to write and read its topics.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	// The origin time zones of flights must load on machines without a
	// zone database.
	_ "time/tzdata"
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = []command{
	{"run", "process events from Kafka (--brokers) or an embedded broker (--embedded)", runCmd},
	{"demo", "run the engine on an embedded broker with a synthetic market and show prices as they move", demoCmd},
	{"simulate", "replay an event file offline through the same pricing code; decisions as JSON lines", simulateCmd},
	{"produce", "write JSON-line events to a Kafka topic as Avro records", produceCmd},
	{"tail", "read price updates or events from a Kafka topic and print them as JSON lines", tailCmd},
	{"loadtest", "write synthetic events, run the engine over them and report its throughput", loadtestCmd},
	{"policy", "validate a pricing policy file and optionally publish it to the policy topic", policyCmd},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// dispatch runs the command named by args[0] and returns the exit code:
// 0 on success, 1 when the command failed, 2 on a usage error.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	if args[0] == "help" && len(args) > 1 {
		args = []string{args[1], "--help"}
	}
	if wantsHelp(args[:1]) || args[0] == "help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		// Help that was asked for goes to standard output, so it can be
		// paged; usage errors stay on standard error.
		errOut := stderr
		if wantsHelp(args[1:]) {
			errOut = stdout
		}
		err := c.run(ctx, args[1:], stdout, errOut)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		}
		fmt.Fprintf(stderr, "engine %s: %v\n", c.name, err)
		return 1
	}
	fmt.Fprintf(stderr, "engine: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: engine COMMAND [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'engine COMMAND --help' for the flags of a command.")
}

// errUsage marks a flag error that the flag package already printed.
var errUsage = errors.New("usage error")

// newFlags returns a flag set that prints its usage to stderr.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("engine "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: engine %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
		fmt.Fprintln(fs.Output(), "\nDurations are written like 500ms, 2s or 1m30s; flags take -name or --name.")
	}
	return fs
}

// parseFlags parses args, turning a flag error into errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

// newLogger returns a text logger on stderr at the named level.
func newLogger(stderr io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("invalid log level %q: want debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: l})), nil
}

// wantsHelp reports whether args ask for help.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help":
			return true
		case "--":
			return false
		}
	}
	return false
}
