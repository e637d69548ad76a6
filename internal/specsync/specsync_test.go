package specsync

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	yaml "go.yaml.in/yaml/v3"
)

func parse(t *testing.T, src string) *yaml.Node {
	t.Helper()
	n, err := Parse([]byte(src))
	require.NoError(t, err)
	return n
}

func encode(t *testing.T, n *yaml.Node) string {
	t.Helper()
	b, err := Encode(n)
	require.NoError(t, err)
	return string(b)
}

// tiny is a vendor-shaped document with one instance of most defects.
const tiny = `{
 "openapi": "3.1.0",
 "info": {"title": "Vendor", "version": "1", "description": "vendor prose"},
 "servers": [{"url": "https://api.glomopay.com/api/v1"}],
 "paths": {
  "/payouts/{id}": {"get": {
    "operationId": "getPayoutById", "summary": "vendor summary",
    "parameters": [{"in": "path", "name": "id", "required": true, "schema": {"type": "string"}, "example": "pout_X1"}],
    "responses": {
      "200": {"description": "vendor", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payout"}}}},
      "404": {"description": "nf", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EntityNotFound"}}}}
    }}},
  "/v2/beneficiaries": {"post": {"operationId": "createBeneficiaryV2",
    "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}},
    "responses": {"201": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "properties": {"id": {"type": "string"}}}}}}}}}
 },
 "components": {"schemas": {
  "Payout": {"type": "object", "required": ["id"], "properties": {
    "id": {"type": "string"},
    "source_amount": {"type": "number", "example": 1000},
    "rate": {"type": "number"},
    "payment_rail": {"type": "string", "enum": ["swift", null]},
    "status": {"type": "string", "enum": ["success"], "example": "done"},
    "product": {"type": "object", "properties": {"description": {"type": "string"}}, "example": {"description": "kept: data"}}
  }},
  "EntityNotFound": {"type": "object", "properties": {"error": {"type": "string", "enum": ["Not found"]}}},
  "RecursiveProbe": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/RecursiveProbe"}}}
 }}
}`

func TestFixesCorrectEachDefect(t *testing.T) {
	doc := parse(t, tiny)
	res, err := Build([]*yaml.Node{doc}, nil)
	require.NoError(t, err)
	out := encode(t, res.Doc)

	assert.Contains(t, out, "url: https://api.glomopay.com/api\n", "GG-02 server")
	assert.Contains(t, out, "/v1/payouts/{id}:", "GG-02 v1 prefix")
	assert.Contains(t, out, "/v2/beneficiaries:", "GG-02 v2 untouched")
	assert.NotContains(t, out, "/v1/v2/")
	assert.Contains(t, out, "JWT:", "GG-03 scheme")
	payout := at(res.Doc, "components", "schemas", "Payout", "properties")
	assert.True(t, hasType(get(payout, "source_amount"), "integer"), "GG-04")
	assert.False(t, hasType(get(payout, "source_amount"), "number"), "GG-04")
	assert.Equal(t, "int64", get(get(payout, "source_amount"), "format").Value, "GG-04")
	assert.True(t, hasType(get(payout, "rate"), "number"), "rates stay numbers")
	assert.True(t, hasType(get(payout, "payment_rail"), "null"), "GG-05")
	assert.Equal(t, "success", get(get(payout, "status"), "example").Value, "GG-11")
	assert.Nil(t, at(res.Doc, "components", "schemas", "EntityNotFound", "properties", "error", "enum"), "GG-07")
	assert.NotNil(t, at(res.Doc, "components", "schemas", "Error"), "GG-07")
	assert.NotNil(t, at(res.Doc, "paths", "/v1/payouts/{id}", "get", "responses", "429"), "GG-08")
	assert.Nil(t, at(res.Doc, "paths", "/v1/payouts/{id}", "get", "responses", "409"), "GG-08: reads never conflict")
	assert.NotNil(t, at(res.Doc, "paths", "/v2/beneficiaries", "post", "responses", "409"), "GG-08")
	assert.Equal(t, "^payout_", at(res.Doc, "components", "parameters", "PayoutIdParam", "schema", "pattern").Value, "GG-09")
	assert.Nil(t, at(res.Doc, "components", "schemas", "RecursiveProbe"), "GG-01")
	assert.NotContains(t, out, "additionalProperties: false", "GG-12")
	assert.NotContains(t, out, "pout_", "GG-10")

	// Prose is gone, data is not. An operation we have no summary for
	// keeps the vendor's (issue 15: a new operation must be complete).
	assert.NotContains(t, out, "vendor prose")
	assert.Contains(t, out, "summary: vendor summary")
	assert.Contains(t, out, "kept: data")
	assert.NotNil(t, at(payout, "product", "properties", "description"), "a property named description is a schema, not prose")
}

func TestFixesAreIdempotent(t *testing.T) {
	doc := parse(t, tiny)
	first := Apply(doc)
	require.NotEmpty(t, first)
	assert.Empty(t, Apply(doc), "a second pass must change nothing")
}

func TestCarryOverKeepsOurProseAndAdditions(t *testing.T) {
	doc := parse(t, tiny)
	res, err := Build([]*yaml.Node{doc}, nil)
	require.NoError(t, err)
	cur := res.Doc
	op := at(cur, "paths", "/v1/payouts/{id}", "get")
	set(op, "summary", str("Get a payout"))
	set(at(cur, "components", "schemas", "Payout"), "description", str("Our words."))
	set(get(cur, "paths"), "/v1/rfis", mapping("get", mapping(SourceKey, "docs", "operationId", "getRfis")))
	set(at(cur, "components", "schemas"), "Rfi", mapping(SourceKey, "docs", "type", "object"))
	set(get(cur, "info"), "description", str("Ours."))
	before := encode(t, cur)

	next, err := Build([]*yaml.Node{parse(t, tiny)}, parse(t, before))
	require.NoError(t, err)
	after := encode(t, next.Doc)
	assert.Equal(t, before, after, "a round trip with the same vendor file is a no-op")
	assert.Contains(t, after, "Get a payout")
	assert.Contains(t, after, "getRfis")
	assert.Contains(t, after, "Rfi:")
}

// TestOpenAPIYamlRoundTrips: re-importing Glomo's files must reproduce the
// committed openapi.yaml exactly (nothing hand-edited into vendor-derived
// structure that the next `make update-spec` would silently undo).
func TestOpenAPIYamlRoundTrips(t *testing.T) {
	vendor := loadVendor(t)
	cur, err := Load("../../openapi.yaml")
	require.NoError(t, err)
	res, err := Build(vendor, cur)
	require.NoError(t, err)
	got := encode(t, res.Doc)
	want, err := os.ReadFile("../../openapi.yaml")
	require.NoError(t, err)
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("openapi.yaml differs from a fresh import at line %d:\n  file:   %q\n  import: %q\n(run make update-spec with Glomo's files and review the diff)", i+1, wl[i], gl[i])
			}
		}
		t.Fatalf("openapi.yaml and a fresh import differ in length: %d vs %d lines", len(wl), len(gl))
	}
}

// loadVendor loads Glomo's two published files, or skips the test when the
// reference set is not beside the checkout.
func loadVendor(t *testing.T) []*yaml.Node {
	t.Helper()
	dir := VendorDir()
	if dir == "" {
		t.Skip("Glomo's vendor files are not beside the repository (set " + VendorEnv + ")")
	}
	var vendor []*yaml.Node
	for _, f := range VendorFiles {
		n, err := Load(filepath.Join(dir, f))
		require.NoError(t, err)
		vendor = append(vendor, n)
	}
	return vendor
}

// TestMergeDecisionsAreRecorded: docs/spec-changes.md lists every merge
// decision, so the record and the code cannot drift apart.
func TestMergeDecisionsAreRecorded(t *testing.T) {
	doc, err := os.ReadFile("../../docs/spec-changes.md")
	require.NoError(t, err)
	for _, d := range Decisions() {
		assert.Contains(t, string(doc), "| `"+d.Where+"` |", "docs/spec-changes.md lacks the merge decision")
	}
}

// TestEveryMergeDecisionIsUsed: each decision still matches a loss when
// Glomo's two files merge; a stale one would hide a future loss.
func TestEveryMergeDecisionIsUsed(t *testing.T) {
	vendor := loadVendor(t)
	old := clone(vendor[0])
	merged := clone(vendor[0])
	MergeVendor(merged, vendor[1])
	losses := MergeLosses(old, merged)
	for _, d := range Decisions() {
		used := false
		for _, l := range losses {
			if l == d.Where || strings.HasPrefix(l, d.Where+"/") {
				used = true
			}
		}
		assert.True(t, used, "decision %s matches no loss", d.Where)
	}
}

// TestMergeRefusesAnUnaccountedLoss: a newer file that silently drops a
// property the older one states stops the merge, naming the property; a
// decision lets it through, keeping or dropping it.
func TestMergeRefusesAnUnaccountedLoss(t *testing.T) {
	older := parse(t, `{"openapi":"3.1.0","paths":{},"components":{"schemas":{"Payment":{"type":"object","properties":{"id":{"type":"string"},"error_message":{"type":"string"}}}}}}`)
	newer := parse(t, `{"openapi":"3.1.0","paths":{},"components":{"schemas":{"Payment":{"type":"object","properties":{"id":{"type":"string"},"paid_at":{"type":"string"}}}}}}`)
	_, _, err := Merge([]*yaml.Node{older, newer}, nil)
	var me *MergeError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, []string{"components/schemas/Payment/properties/error_message"}, me.Unaccounted)

	keep := []Decision{{Where: "components/schemas/Payment/properties/error_message", Keep: true}}
	doc, report, err := Merge([]*yaml.Node{older, newer}, keep)
	require.NoError(t, err)
	assert.NotNil(t, at(doc, "components", "schemas", "Payment", "properties", "error_message"))
	assert.NotNil(t, at(doc, "components", "schemas", "Payment", "properties", "paid_at"))
	assert.Len(t, report, 1)

	drop := []Decision{{Where: "components/schemas/Payment/properties/error_message"}}
	doc, _, err = Merge([]*yaml.Node{older, newer}, drop)
	require.NoError(t, err)
	assert.Nil(t, at(doc, "components", "schemas", "Payment", "properties", "error_message"))
}
