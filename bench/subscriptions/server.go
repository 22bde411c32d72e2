package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// server is the cinegraph process under test.
type server struct {
	cmd  *exec.Cmd
	url  string
	dir  string
	pid  int
	logs strings.Builder
}

var servingAt = regexp.MustCompile(`graphql=(http://127\.0\.0\.1:\d+)/graphql`)

func startServer(ctx context.Context, bin, parent string) (*server, error) {
	dir, err := os.MkdirTemp(parent, "cinegraph-bench-subs-*")
	if err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	s := &server{dir: dir}
	s.cmd = exec.CommandContext(ctx, bin, "serve", "--listen", "127.0.0.1:0", "--data-dir", dir)
	s.cmd.Cancel = func() error { return s.cmd.Process.Signal(os.Interrupt) }
	s.cmd.WaitDelay = 20 * time.Second
	// Rate limits off: thousands of clients connect from one address.
	s.cmd.Env = append(os.Environ(), "GOMAXPROCS=2", "CINEGRAPH_ROUTER_RATE_LIMIT_ENABLED=false")
	logs, err := s.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s.pid = s.cmd.Process.Pid
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(logs)
		for sc.Scan() {
			if m := servingAt.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, logs)
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			return nil, fmt.Errorf("cinegraph serve exited before serving")
		}
		s.url = u
	case <-time.After(90 * time.Second):
		return nil, fmt.Errorf("cinegraph serve did not start within 90 s")
	}
	return s, nil
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	_ = s.cmd.Wait()
	_ = os.RemoveAll(s.dir)
}

// rssBytes reads the process's resident set from /proc.
func rssBytes(pid int) (int64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS for pid %d", pid)
}

// cpuSeconds reads user+system CPU time of a process from /proc.
func cpuSeconds(pid int) (float64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses.
	rest := string(raw[strings.LastIndexByte(string(raw), ')')+2:])
	f := strings.Fields(rest)
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	const ticks = 100 // USER_HZ on Linux
	return (utime + stime) / ticks, nil
}
