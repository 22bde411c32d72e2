package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Token returns a demo bearer token for profile, signed with the data
// directory's key as the router verifies it.
func (c *Cluster) Token(ctx context.Context, profile string) (string, error) {
	cmd := exec.CommandContext(ctx, c.opts.Bin, "token", "--profile", profile, "--data-dir", c.data)
	cmd.Env = environ()
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// subscriber is one websocket client of the router subscribed to a room.
type subscriber struct {
	conn *websocket.Conn
	done chan struct{}

	mu  sync.Mutex
	ids []string
	// end is how the subscription ended before the client closed it:
	// "" while it runs, else the error or "complete".
	end string
}

func subscribe(ctx context.Context, routerURL, room string) (*subscriber, error) {
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second, Subprotocols: []string{"graphql-transport-ws"}}
	conn, _, err := d.DialContext(ctx, "ws"+strings.TrimPrefix(routerURL, "http"), nil)
	if err != nil {
		return nil, err
	}
	send := func(v any) error { return conn.WriteJSON(v) }
	if err := send(map[string]any{"type": "connection_init", "payload": map[string]any{}}); err != nil {
		conn.Close()
		return nil, err
	}
	var ack struct{ Type string }
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := conn.ReadJSON(&ack); err != nil || ack.Type != "connection_ack" {
		conn.Close()
		return nil, fmt.Errorf("connection_ack: %v %q", err, ack.Type)
	}
	_ = conn.SetReadDeadline(time.Time{})
	err = send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query":     `subscription($room: ID!) { messageAdded(roomId: $room) { id body } }`,
		"variables": map[string]any{"room": room},
	}})
	if err != nil {
		conn.Close()
		return nil, err
	}
	s := &subscriber{conn: conn, done: make(chan struct{})}
	go s.read()
	return s, nil
}

func (s *subscriber) read() {
	defer close(s.done)
	for {
		var m struct {
			Type    string          `json:"type"`
			Payload json.RawMessage `json:"payload"`
		}
		if err := s.conn.ReadJSON(&m); err != nil {
			s.ended("connection: " + err.Error())
			return
		}
		switch m.Type {
		case "next":
			var p struct {
				Data struct {
					MessageAdded struct{ ID string } `json:"messageAdded"`
				} `json:"data"`
				Errors []struct{ Message string } `json:"errors"`
			}
			if err := json.Unmarshal(m.Payload, &p); err != nil || len(p.Errors) > 0 {
				s.ended(fmt.Sprintf("error result: %s", m.Payload))
				continue
			}
			s.mu.Lock()
			s.ids = append(s.ids, p.Data.MessageAdded.ID)
			s.mu.Unlock()
		case "error":
			s.ended(fmt.Sprintf("error: %s", m.Payload))
			return
		case "complete":
			s.ended("complete")
			return
		case "ping":
			_ = s.conn.WriteJSON(map[string]string{"type": "pong"})
		}
	}
}

func (s *subscriber) ended(how string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.end == "" {
		s.end = how
	}
}

func (s *subscriber) close() (ids []string, end string) {
	s.mu.Lock()
	ids, end = slices.Clone(s.ids), s.end
	s.mu.Unlock()
	_ = s.conn.Close()
	<-s.done
	return ids, end
}

// SubscriptionReport is KillUpstream's report.
type SubscriptionReport struct {
	Clients int
	// Posted are the ids of the messages whose postMessage succeeded, in
	// order; PostFailed counts those that failed.
	Posted     []string
	PostFailed int
	PostErrors map[string]int
	// Missing, Duplicated and OutOfOrder count, over every client, posted
	// messages it never got, messages it got twice, and messages it got
	// before one posted earlier. Unknown counts messages it got that are
	// not in Posted (a post that failed after it was stored).
	Missing, Duplicated, OutOfOrder, Unknown int
	// Ended counts the clients whose subscription ended before they left.
	Ended   int
	Endings map[string]int
	Kills   []string
	Elapsed time.Duration
	// Resumes counts the router's attempts to reopen a lost upstream
	// subscription (its log lines).
	Resumes int
}

// Print writes the report.
func (r *SubscriptionReport) Print(w interface{ Write([]byte) (int, error) }) {
	fmt.Fprintf(w, "\n== chat instances killed under a subscription load (%s)\n", strings.Join(r.Kills, ", "))
	fmt.Fprintf(w, "%d clients on one room through the router; %d messages posted (%d posts failed) in %s\n", r.Clients, len(r.Posted), r.PostFailed, round(r.Elapsed))
	for msg, n := range r.PostErrors {
		fmt.Fprintf(w, "  post failed %d times: %s\n", n, msg)
	}
	fmt.Fprintf(w, "the router reopened a lost upstream subscription %d times (attempts)\n", r.Resumes)
	fmt.Fprintf(w, "over all clients: missing %d, duplicated %d, out of order %d, unknown %d; subscriptions ended %d %v\n", r.Missing, r.Duplicated, r.OutOfOrder, r.Unknown, r.Ended, r.Endings)
}

// KillUpstream holds clients subscribed to one room through the router
// while messages are posted at rate per second, and kills each chat
// instance in turn (restarting the first before killing the second), so
// that whichever instance serves the router's upstream subscription dies
// under it. Clients should see every message once, in order, and no
// subscription end.
func KillUpstream(ctx context.Context, c *Cluster, clients, rate int, phase time.Duration) (*SubscriptionReport, error) {
	const room = "room-t0001"
	token, err := c.Token(ctx, "profile-1")
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"chat-1", "chat-2"} {
		if !c.Process(name).Running() {
			if err := c.Restart(ctx, name); err != nil {
				return nil, err
			}
		}
	}
	rep := &SubscriptionReport{Clients: clients, Endings: map[string]int{}}
	const resuming = "upstream subscription lost; resuming"
	resumedBefore := strings.Count(c.Process("router").Log(), resuming)
	var subs []*subscriber
	defer func() {
		for _, s := range subs {
			_ = s.conn.Close()
		}
	}()
	for range clients {
		s, err := subscribe(ctx, c.RouterURL, room)
		if err != nil {
			return nil, err
		}
		subs = append(subs, s)
	}
	time.Sleep(300 * time.Millisecond) // the upstream subscription opens

	pubCtx, stopPub := context.WithCancel(ctx)
	pubDone := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(pubDone)
		client := &http.Client{Timeout: 10 * time.Second}
		tick := time.NewTicker(time.Second / time.Duration(max(rate, 1)))
		defer tick.Stop()
		for n := 0; ; n++ {
			select {
			case <-pubCtx.Done():
				return
			case <-tick.C:
			}
			id, err := post(ctx, client, c.RouterURL, token, room, fmt.Sprintf("message %d", n))
			if err != nil {
				rep.PostFailed++
				if rep.PostErrors == nil {
					rep.PostErrors = map[string]int{}
				}
				rep.PostErrors[err.Error()]++
				continue
			}
			rep.Posted = append(rep.Posted, id)
		}
	}()
	sleep(ctx, phase)
	for _, name := range []string{"chat-1", "chat-2"} {
		if err := c.Process(name).Kill(); err != nil {
			stopPub()
			<-pubDone
			return nil, err
		}
		rep.Kills = append(rep.Kills, "SIGKILL "+name)
		sleep(ctx, phase)
		if name == "chat-1" {
			if err := c.Restart(ctx, name); err != nil {
				stopPub()
				<-pubDone
				return nil, err
			}
			rep.Kills = append(rep.Kills, "restart "+name)
			sleep(ctx, phase)
		}
	}
	stopPub()
	<-pubDone
	rep.Elapsed = time.Since(start)
	// Cross-process delivery polls the shared event log twice a second.
	sleep(ctx, 2*time.Second)
	rep.Resumes = strings.Count(c.Process("router").Log(), resuming) - resumedBefore

	order := make(map[string]int, len(rep.Posted))
	for i, id := range rep.Posted {
		order[id] = i
	}
	for _, s := range subs {
		ids, end := s.close()
		if end != "" {
			rep.Ended++
			rep.Endings[end]++
		}
		seen := map[string]bool{}
		prev := -1
		for _, id := range ids {
			if seen[id] {
				rep.Duplicated++
				continue
			}
			seen[id] = true
			i, known := order[id]
			if !known {
				rep.Unknown++
				continue
			}
			if i < prev {
				rep.OutOfOrder++
			}
			prev = max(prev, i)
		}
		for _, id := range rep.Posted {
			if !seen[id] {
				rep.Missing++
			}
		}
	}
	subs = nil
	return rep, nil
}

// post sends postMessage and returns the new message's id.
func post(ctx context.Context, client *http.Client, url, token, room, body string) (string, error) {
	payload, _ := json.Marshal(map[string]any{
		"query":     `mutation($room: ID!, $body: String!) { postMessage(roomId: $room, body: $body) { id } }`,
		"variables": map[string]any{"room": room, "body": body},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(string(payload)))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			PostMessage struct{ ID string } `json:"postMessage"`
		} `json:"data"`
		Errors []struct{ Message string } `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", err
	}
	if len(out.Errors) > 0 || out.Data.PostMessage.ID == "" {
		return "", fmt.Errorf("postMessage: %+v", out.Errors)
	}
	return out.Data.PostMessage.ID, nil
}
