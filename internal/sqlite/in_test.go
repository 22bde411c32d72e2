package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

func TestInLists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "in.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := Migrate(ctx, db, []string{`CREATE TABLE scores (id INTEGER PRIMARY KEY, title TEXT NOT NULL)`}); err != nil {
		t.Fatal(err)
	}
	// Title "t-0" has three scores; every other title one.
	titles := []string{"t-0", "t-0", "t-0"}
	for i := 1; i < 2*MaxIn; i++ {
		titles = append(titles, fmt.Sprintf("t-%d", i))
	}
	for _, title := range titles {
		if _, err := db.ExecContext(ctx, `INSERT INTO scores (title) VALUES (?)`, title); err != nil {
			t.Fatal(err)
		}
	}
	count := func(t *testing.T, keys []string) map[string]int {
		t.Helper()
		got := map[string]int{}
		err := QueryIn(ctx, db, `SELECT title, COUNT(*) FROM scores WHERE title IN (%s) GROUP BY title`, keys, func(rows *sql.Rows) error {
			var title string
			var n int
			if err := rows.Scan(&title, &n); err != nil {
				return err
			}
			got[title] += n
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	tests := []struct {
		name string
		keys []string
		want map[string]int
	}{
		{"none", nil, map[string]int{}},
		{"copies across chunks count once", repeat("t-0", MaxIn+1), map[string]int{"t-0": 3}},
		{"many keys", append(repeat("t-0", 2), "t-1", fmt.Sprintf("t-%d", 2*MaxIn-1), "t-missing"), map[string]int{"t-0": 3, "t-1": 1, fmt.Sprintf("t-%d", 2*MaxIn-1): 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := count(t, tc.keys); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("counts %v, want %v", got, tc.want)
			}
		})
	}

	all := make([]string, 0, 2*MaxIn)
	for i := range 2 * MaxIn {
		all = append(all, fmt.Sprintf("t-%d", i), fmt.Sprintf("t-%d", i))
	}
	n, err := ExecIn(ctx, db, `DELETE FROM scores WHERE title IN (%s)`, all)
	if err != nil || n != int64(len(titles)) {
		t.Fatalf("ExecIn deleted %d, %v; want %d", n, err, len(titles))
	}
}

func repeat(key string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = key
	}
	return out
}
