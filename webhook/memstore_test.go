package webhook_test

import (
	"testing"

	"github.com/glomo-go/glomo-go/webhook"
	"github.com/glomo-go/glomo-go/webhook/internal/storetest"
)

func TestMemoryStore(t *testing.T) {
	storetest.Run(t, func(*testing.T) webhook.Store { return webhook.NewMemoryStore() })
}
