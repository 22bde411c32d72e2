package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// settle is how long a burst of file events (an editor's write, rename and
// chmod) must stay quiet before one reload runs.
const settle = 200 * time.Millisecond

// WatchConfig calls reload after any of files changes, and on SIGHUP, until
// ctx is done. It watches the files' directories, so a file an editor or a
// Kubernetes ConfigMap replaces by renaming keeps being watched. A burst of
// events runs reload once. It returns once the watch is set up.
func WatchConfig(ctx context.Context, files []string, logger *slog.Logger, reload func()) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch configuration: %w", err)
	}
	watched := map[string]bool{}
	for _, f := range files {
		if f == "" {
			continue
		}
		abs, err := filepath.Abs(f)
		if err != nil {
			_ = w.Close()
			return fmt.Errorf("watch %s: %w", f, err)
		}
		watched[abs] = true
		if err := w.Add(filepath.Dir(abs)); err != nil {
			_ = w.Close()
			return fmt.Errorf("watch %s: %w", f, err)
		}
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		defer signal.Stop(hup)
		defer w.Close()
		var timer <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if abs, err := filepath.Abs(ev.Name); err == nil && watched[abs] {
					timer = time.After(settle)
				}
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				logger.Warn("watching the configuration", "error", err)
			case <-hup:
				timer = time.After(0)
			case <-timer:
				timer = nil
				reload()
			}
		}
	}()
	return nil
}
