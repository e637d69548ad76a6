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

// TestWrapperLinksNoSpecMachinery: the wrapper's facts about operations are
// generated, so a program importing it links no OpenAPI, YAML or JSON
// Schema library, no drift detector and no spec model.
func TestWrapperLinksNoSpecMachinery(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/glomo-go/glomo-go/wrapper").CombinedOutput()
	require.NoError(t, err, string(out))
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"kin-openapi", "yaml", "jsonschema", "/drift", "/specmodel", "oapi-codegen/v2"} {
			assert.NotContains(t, dep, banned, "wrapper links %s", dep)
		}
	}
}
