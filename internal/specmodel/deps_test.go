package specmodel

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoLibraryImportsTheRootPackage: the root package holds tools.go,
// whose blank import of the code generator would reach the go.mod of every
// module importing a package that imports the root.
func TestNoLibraryImportsTheRootPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	const root = "github.com/glomo-go/glomo-go"
	for _, pkg := range []string{"wrapper", "mock", "webhook", "money", "drift", "api"} {
		out, err := exec.Command("go", "list", "-deps", root+"/"+pkg).CombinedOutput()
		require.NoError(t, err, string(out))
		for _, dep := range strings.Fields(string(out)) {
			assert.NotEqual(t, root, dep, "%s imports the root package", pkg)
		}
	}
}
