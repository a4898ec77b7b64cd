package logtest

import "log/slog"

// Untimed returns handler options that leave out slog's time attribute: a
// timestamp's digits (nanoseconds included) could hold a secret a test looks
// for in the output, and fail it by chance.
func Untimed() *slog.HandlerOptions {
	return &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
}
