package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// The README's first command must keep working: the whole story against the
// embedded mock, with the 503 and the lost response, ends in one payout.
func TestDemoAgainstEmbeddedMock(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, &out, "", false), out.String())
	s := out.String()
	for _, want := range []string{
		"embedded mock",
		`reason="status 503"`,
		`reason="transport error"`,
		"glomo duplicate resolved",
		"exactly one payout carries request_id",
		"in_progress -> success",
		"available USD 100000000000 -> 99999970100",
		"verified payout success",
		"1 payout(s) in all",
		"Done:",
	} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, "sk_test_mock", "the key never reaches the output")
}

func TestDemoRefusesLiveKeyWithoutFlag(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), &out, "sk_live_abcdef0123456789", false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-live")
	assert.NotContains(t, err.Error(), "abcdef0123456789")
}
