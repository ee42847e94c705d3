package stream

import (
	"context"
	"log/slog"

	"github.com/twmb/franz-go/pkg/kgo"
)

// slogAdapter passes franz-go's log lines to slog. franz-go logs group and
// transaction lifecycle at info, which our level policy keeps at debug
// unless it is a warning or an error.
type slogAdapter struct{ log *slog.Logger }

func (a slogAdapter) Level() kgo.LogLevel {
	switch {
	case a.log.Enabled(context.Background(), slog.LevelDebug):
		return kgo.LogLevelDebug
	case a.log.Enabled(context.Background(), slog.LevelWarn):
		return kgo.LogLevelWarn
	}
	return kgo.LogLevelError
}

func (a slogAdapter) Log(level kgo.LogLevel, msg string, keyvals ...any) {
	var l slog.Level
	switch level {
	case kgo.LogLevelError:
		l = slog.LevelError
	case kgo.LogLevelWarn:
		l = slog.LevelWarn
	default:
		l = slog.LevelDebug
	}
	a.log.Log(context.Background(), l, "kafka: "+msg, keyvals...)
}
