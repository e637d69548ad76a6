package specsync

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	yaml "go.yaml.in/yaml/v3"
)

// The regenerate loop (issue 15): `make update-spec` with one complete
// file, with both of Glomo's files, and with a changed file. The fixtures
// are derived at test time from Glomo's files in the reference set (never
// copied into the repository), so these tests skip where it is absent.

// update runs what `make update-spec` runs before generating: Build against
// the committed openapi.yaml, then the loader and validator specsync uses.
func update(t *testing.T, vendor []*yaml.Node) (Result, string, *openapi3.T) {
	t.Helper()
	cur, err := Load("../../openapi.yaml")
	require.NoError(t, err)
	res, err := Build(vendor, cur)
	require.NoError(t, err)
	out := encode(t, res.Doc)
	doc, err := openapi3.NewLoader().LoadFromData([]byte(out))
	require.NoError(t, err, "the result loads")
	require.NoError(t, doc.Validate(context.Background()), "the result validates")
	return res, out, doc
}

// generateGo runs oapi-codegen in-process with the project's configuration
// on a spec, as `make generate` does.
func generateGo(t *testing.T, spec string) string {
	t.Helper()
	raw, err := os.ReadFile("../../oapi-codegen.yaml")
	require.NoError(t, err)
	var cfg struct {
		codegen.Configuration `yaml:",inline"`
		Output                string `yaml:"output"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &cfg))
	path := filepath.Join(t.TempDir(), "openapi.yaml")
	require.NoError(t, os.WriteFile(path, []byte(spec), 0o644))
	swagger, err := util.LoadSwaggerWithOverlay(path, util.LoadSwaggerWithOverlayOpts{
		Path: "../../" + cfg.OutputOptions.Overlay.Path, Strict: true, AllowRemoteRefsFrom: []string{},
	})
	require.NoError(t, err)
	code, err := codegen.Generate(swagger, cfg.Configuration)
	require.NoError(t, err)
	return code
}

// complete checks one operation the way TestEveryOperationIsComplete does.
func complete(t *testing.T, doc *openapi3.T, path, method string) {
	t.Helper()
	item := doc.Paths.Value(path)
	require.NotNil(t, item, path)
	op := item.GetOperation(strings.ToUpper(method))
	require.NotNil(t, op, method+" "+path)
	assert.NotEmpty(t, op.OperationID)
	assert.Len(t, op.Tags, 1)
	assert.NotEmpty(t, op.Summary)
	require.NotNil(t, op.Security)
	for _, code := range []string{"400", "401", "403", "404", "429", "default"} {
		assert.NotNil(t, op.Responses.Value(code), "declares %s", code)
	}
}

// TestUpdateWithOneCompleteFile: Glomo publishing one complete file (here
// the two merged into one document, as JSON) gives the same openapi.yaml.
func TestUpdateWithOneCompleteFile(t *testing.T) {
	vendor := loadVendor(t)
	merged, err := MergeOnly(vendor)
	require.NoError(t, err)
	one := parse(t, encode(t, merged))
	_, out, _ := update(t, []*yaml.Node{one})
	want, err := os.ReadFile("../../openapi.yaml")
	require.NoError(t, err)
	assert.Equal(t, string(want), out, "one complete file reproduces openapi.yaml")
}

// TestUpdateWithEitherFileAlone: a partial file builds a valid description
// too (our docs-only operations keep the vendor components they use); what
// the file lacks is reported as removed.
func TestUpdateWithEitherFileAlone(t *testing.T) {
	vendor := loadVendor(t)
	for i, name := range VendorFiles {
		t.Run(name, func(t *testing.T) {
			res, _, doc := update(t, []*yaml.Node{clone(vendor[i])})
			assert.NotEmpty(t, res.Removed)
			assert.NotNil(t, doc.Paths.Value("/v1/payment/{id}/eligible-payins"), "docs-only operations stay")
		})
	}
}

// TestUpdateWithAChangedFile: the four kinds of vendor change each build,
// validate, generate Go, and show up where they should.
func TestUpdateWithAChangedFile(t *testing.T) {
	vendor := loadVendor(t)
	newer := func() []*yaml.Node { return []*yaml.Node{clone(vendor[0]), clone(vendor[1])} }

	t.Run("field added", func(t *testing.T) {
		v := newer()
		set(at(v[1], "components", "schemas", "Payout", "properties"), "settlement_reference",
			mapping("type", "string", "description", "vendor prose"))
		res, out, _ := update(t, v)
		assert.NotNil(t, at(res.Doc, "components", "schemas", "Payout", "properties", "settlement_reference"))
		assert.Empty(t, res.Removed)
		assert.NotContains(t, out, "vendor prose")
		assert.Contains(t, generateGo(t, out), "SettlementReference")
	})

	t.Run("field removed", func(t *testing.T) {
		v := newer()
		require.True(t, del(at(v[1], "components", "schemas", "CreatePayoutWithoutQuoteRequest", "properties"), "invoice_number"))
		dropFromExamples(v[1], "invoice_number") // as the vendor's own examples would
		res, out, _ := update(t, v)
		assert.Nil(t, at(res.Doc, "components", "schemas", "CreatePayoutWithoutQuoteRequest", "properties", "invoice_number"))
		assert.Contains(t, res.Removed, "components/schemas/CreatePayoutWithoutQuoteRequest/properties/invoice_number",
			"the removal is reported")
		code := generateGo(t, out)
		start := strings.Index(code, "type CreatePayoutWithoutQuoteRequest struct {")
		require.NotEqual(t, -1, start)
		body := code[start : start+strings.Index(code[start:], "\n}\n")]
		assert.NotContains(t, body, "InvoiceNumber", "the Go field goes too (make api-compat reports it)")
	})

	t.Run("field the older file still has removed", func(t *testing.T) {
		v := newer()
		require.True(t, del(at(v[1], "components", "schemas", "Payout", "properties"), "status"))
		cur, err := Load("../../openapi.yaml")
		require.NoError(t, err)
		_, err = Build(v, cur)
		var me *MergeError
		require.ErrorAs(t, err, &me, "a merge may not lose a fact silently")
		assert.Contains(t, me.Unaccounted, "components/schemas/Payout/properties/status")
	})

	t.Run("operation added", func(t *testing.T) {
		v := newer()
		op := mapping(
			"operationId", "retryPayout",
			"summary", "Retry a failed payout",
			"tags", seq(str("Payout")),
			"parameters", seq(mapping("in", "path", "name", "id", "required", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"}, "schema", mapping("type", "string"))),
			"responses", mapping("200", mapping("description", "ok", "content",
				mapping("application/json", mapping("schema", ref("#/components/schemas/Payout"))))),
		)
		set(get(v[1], "paths"), "/payouts/{id}/retry", mapping("post", op))
		res, out, doc := update(t, v)
		complete(t, doc, "/v1/payouts/{id}/retry", "post")
		assert.Equal(t, "Retry a failed payout", doc.Paths.Value("/v1/payouts/{id}/retry").Post.Summary, "the vendor's own summary")
		assert.Empty(t, res.Removed)
		code := generateGo(t, out)
		assert.Contains(t, code, "RetryPayoutWithResponse(ctx context.Context, id PayoutIdParam")
		// The wrapper generator gives it a typed method, as go generate would.
		dir := t.TempDir()
		spec, api, wrapper := filepath.Join(dir, "openapi.yaml"), filepath.Join(dir, "glomo.gen.go"), filepath.Join(dir, "operations.gen.go")
		require.NoError(t, os.WriteFile(spec, []byte(out), 0o644))
		require.NoError(t, os.WriteFile(api, []byte(code), 0o644))
		glue := exec.Command("go", "run", "../cmd/genglue", "-spec", spec, "-config", "../../oapi-codegen.yaml", "-api", api,
			"-out", filepath.Join(dir, "glue.gen.go"), "-branches", filepath.Join(dir, "branches.gen.go"))
		msg, err := glue.CombinedOutput()
		require.NoError(t, err, string(msg))
		cmd := exec.Command("go", "run", "../cmd/genwrapper", "-spec", spec, "-api", api, "-out", wrapper)
		msg, err = cmd.CombinedOutput()
		require.NoError(t, err, string(msg))
		gen, err := os.ReadFile(wrapper)
		require.NoError(t, err)
		assert.Contains(t, string(gen), "func (c *Client) RetryPayout(ctx context.Context, id api.PayoutIdParam")
	})

	t.Run("operation removed", func(t *testing.T) {
		v := newer()
		require.True(t, del(get(v[1], "paths"), "/lrs/banks"))
		res, out, doc := update(t, v)
		assert.Nil(t, doc.Paths.Value("/v1/lrs/banks"))
		assert.Contains(t, res.Removed, "op/getLrsBanks")
		assert.NotContains(t, generateGo(t, out), "GetLrsBanksWithResponse")
	})
}

// dropFromExamples deletes key from every example object in n, as a vendor
// that removes a field also drops it from its examples.
func dropFromExamples(n *yaml.Node, key string) {
	var walk func(n *yaml.Node, inExample bool)
	walk = func(n *yaml.Node, inExample bool) {
		if n.Kind == yaml.MappingNode && inExample {
			del(n, key)
		}
		for i, c := range n.Content {
			ex := inExample
			if n.Kind == yaml.MappingNode && i%2 == 1 {
				k := n.Content[i-1].Value
				ex = ex || k == "example" || k == "examples"
			}
			walk(c, ex)
		}
	}
	walk(n, false)
}
