package rediscache

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/depguard"
)

// entry is what the cache stores for one key: the value and the namespace
// generation and per-key version read before it was loaded.
type entry[V any] struct {
	Gen  int64 `json:"g"`
	Ver  int64 `json:"v"`
	Data V     `json:"d"`
}

// cached answers ids from Redis where it holds a current entry and from
// load for the rest, then stores what load returned. While Redis fails or
// its guard refuses, every id comes from load and the request is marked
// degraded. Entries of a mutable
// kind carry a per-key version, bumped by writes, and are stored even when
// load found nothing (an empty list is an answer too). One MGET reads every
// entry with the counters that validate it, and one pipeline writes back.
func cached[V any](ctx context.Context, s *Store, kind string, ids []string, mutable bool,
	load func(context.Context, []string) (map[string]V, error)) (map[string]V, error) {
	keys := uniq(ids)
	out := make(map[string]V, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	redisKeys := make([]string, 0, 1+2*len(keys))
	redisKeys = append(redisKeys, s.genKey())
	for _, id := range keys {
		redisKeys = append(redisKeys, s.entryKey(kind, id))
	}
	if mutable {
		for _, id := range keys {
			redisKeys = append(redisKeys, s.versionKey(kind, id))
		}
	}
	vals, err := depguard.Do(ctx, s.guard, func(ctx context.Context) ([]any, error) {
		return s.client.MGet(ctx, redisKeys...).Result()
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if depguard.ReasonOf(err) != depguard.CircuitOpen {
			s.log.WarnContext(ctx, "catalog cache: read failed; using the store", "kind", kind, "err", err)
		}
		s.guard.Degraded(ctx, FallbackStore)
		return load(ctx, keys)
	}
	gen := counter(vals[0])
	versions := make([]int64, len(keys))
	var missing []int
	for i := range keys {
		if mutable {
			versions[i] = counter(vals[1+len(keys)+i])
		}
		if raw, ok := vals[1+i].(string); ok {
			var e entry[V]
			if json.Unmarshal([]byte(raw), &e) == nil && e.Gen == gen && e.Ver == versions[i] {
				out[keys[i]] = e.Data
				continue
			}
		}
		missing = append(missing, i)
	}
	if len(missing) == 0 {
		return out, nil
	}
	missingIDs := make([]string, len(missing))
	for j, i := range missing {
		missingIDs[j] = keys[i]
	}
	loaded, err := load(ctx, missingIDs)
	if err != nil {
		return nil, err
	}
	pipe := s.client.Pipeline()
	for _, i := range missing {
		id := keys[i]
		v, found := loaded[id]
		if found {
			out[id] = v
		} else if !mutable {
			// Unknown keys are not remembered: a Replace may add them.
			continue
		}
		raw, err := json.Marshal(entry[V]{Gen: gen, Ver: versions[i], Data: v})
		if err != nil {
			s.log.WarnContext(ctx, "catalog cache: encode failed", "kind", kind, "id", id, "err", err)
			continue
		}
		pipe.Set(ctx, s.entryKey(kind, id), raw, s.ttl)
	}
	if pipe.Len() > 0 {
		_, err := depguard.Do(ctx, s.guard, func(ctx context.Context) ([]redis.Cmder, error) { return pipe.Exec(ctx) })
		if err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "catalog cache: write failed", "kind", kind, "err", err)
		}
	}
	return out, nil
}

// counter reads an INCR counter from an MGET answer; absent is 0.
func counter(v any) int64 {
	str, ok := v.(string)
	if !ok {
		return 0
	}
	n, _ := strconv.ParseInt(str, 10, 64)
	return n
}

// uniq drops repeated keys.
func uniq(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
