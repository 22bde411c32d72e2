package app

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

// TestBackupWhileServingAndRestore: a backup taken while messages are being
// posted restores to a platform that has everything posted before it, and
// tokens issued before the restore still work.
func TestBackupWhileServingAndRestore(t *testing.T) {
	dataDir := t.TempDir()
	in := start(t, dataDir)
	const post = `mutation($room: ID!, $body: String!) { postMessage(roomId: $room, body: $body) { id } }`
	const room = `query($room: ID!) { chatRoom(id: $room) { messageCount } }`
	resp := in.do(t, "", `{ activeRooms(first: 1) { id } }`, nil)
	roomID, _ := dig(resp.Data, "activeRooms", 0, "id").(string)
	if roomID == "" {
		t.Fatalf("no room: %v", resp)
	}
	token := in.token(t, "profile-2")
	count := func(in *instance) int {
		r := in.do(t, "", room, map[string]any{"room": roomID})
		n, _ := dig(r.Data, "chatRoom", "messageCount").(float64)
		return int(n)
	}
	if r := in.do(t, "profile-2", post, map[string]any{"room": roomID, "body": "before the backup"}); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	before := count(in)
	const search = `{ search(query: "protocol", first: 1) { totalCount } }`
	hits := func(in *instance) float64 {
		n, _ := dig(in.do(t, "", search, nil).Data, "search", "totalCount").(float64)
		return n
	}
	wantHits := hits(in)
	if wantHits == 0 {
		t.Fatal("no search hits before the backup")
	}

	// Writes go on while the backup runs.
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			in.do(t, "profile-3", post, map[string]any{"room": roomID, "body": fmt.Sprintf("during %d", i)})
		}
	}()
	backupDir := filepath.Join(t.TempDir(), "backup")
	cfg := in.cfg
	files, err := Backup(context.Background(), cfg, backupDir)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 5 {
		t.Fatalf("backed up %v", files)
	}
	if r := in.do(t, "profile-2", post, map[string]any{"room": roomID, "body": "after the backup"}); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	after := count(in)
	in.stop()

	if _, err := Restore(cfg, backupDir); err != nil {
		t.Fatal(err)
	}
	in = start(t, dataDir)
	defer in.stop()
	got := count(in)
	if got < before || got >= after {
		t.Fatalf("restored %d messages; want at least %d (before the backup) and fewer than %d (after it)", got, before, after)
	}
	// A token from before the restore is still valid: the key came back.
	r := in.doWith(t, token, `{ viewer { id } }`, nil)
	if dig(r.Data, "viewer", "id") != "profile-2" {
		t.Fatalf("viewer with the old token: %v", r)
	}
	// Search works: the index was rebuilt from the restored store.
	if n := hits(in); n != wantHits {
		t.Fatalf("search after restore: %v hits, want %v", n, wantHits)
	}
}
