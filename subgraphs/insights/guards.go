package insights

import (
	"time"

	"github.com/cinegraph/cinegraph/internal/depguard"
)

// Guard policies of the insights dependencies (internal/depguard); what
// they leave unset is depguard's default: open after 5 failures in a row or
// 50% of 20 calls in 10 s, refuse for 5 s, close after 3 good probes.
const (
	// sentimentTimeout bounds scoring one message: the lexicon model takes
	// microseconds, and a model served elsewhere must answer within it to
	// be worth waiting for.
	sentimentTimeout = 500 * time.Millisecond
	// sentimentMaxConcurrent messages are scored at once; more wait up to
	// sentimentMaxWait.
	sentimentMaxConcurrent = 64
	sentimentMaxWait       = 50 * time.Millisecond
	// recommendationsTimeout bounds ranking one batch of profiles (two
	// store reads over viewing history).
	recommendationsTimeout = 2 * time.Second
	// recommendationsMaxConcurrent rankings run at once; more wait up to
	// recommendationsMaxWait, then get the popular titles.
	recommendationsMaxConcurrent = 16
	recommendationsMaxWait       = 100 * time.Millisecond
	// detectionTimeout bounds detecting one event's frames (at most
	// insightsservice.MaxFramesPerEvent): about 50 ms a frame on two CPU
	// cores, so a full batch fits with room for a busy machine.
	detectionTimeout = 30 * time.Second
	// detectionMaxConcurrent batches run at once, one per consumer.
	detectionMaxConcurrent = 4
	detectionMaxWait       = time.Minute
)

func sentimentPolicy() depguard.Policy {
	return depguard.Policy{Timeout: sentimentTimeout, MaxConcurrent: sentimentMaxConcurrent, MaxWait: sentimentMaxWait}
}

func detectionPolicy() depguard.Policy {
	return depguard.Policy{Timeout: detectionTimeout, MaxConcurrent: detectionMaxConcurrent, MaxWait: detectionMaxWait}
}

func recommendationsPolicy() depguard.Policy {
	return depguard.Policy{Timeout: recommendationsTimeout, MaxConcurrent: recommendationsMaxConcurrent, MaxWait: recommendationsMaxWait}
}
