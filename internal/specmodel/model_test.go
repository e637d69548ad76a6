package specmodel

import (
	"bytes"
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEmbeddedCopyIsCurrent fails when openapi.yaml here is not the
// repository's: run `go generate .` at the root.
func TestEmbeddedCopyIsCurrent(t *testing.T) {
	root, err := os.ReadFile("../../openapi.yaml")
	require.NoError(t, err)
	assert.True(t, bytes.Equal(root, OpenAPI), "internal/specmodel/openapi.yaml is stale; run go generate . at the repository root")
}

func TestFactsOfKnownOperations(t *testing.T) {
	m, err := Default()
	require.NoError(t, err)
	assert.Equal(t, "/api", m.BasePath)

	create := m.Op("createPayout")
	require.NotNil(t, create)
	assert.Equal(t, "POST", create.Method)
	assert.Equal(t, "/v1/payouts", create.Path)
	assert.True(t, create.Idempotent)
	assert.False(t, create.List)
	assert.Equal(t, 201, create.Success)
	require.NotNil(t, create.Lookup)
	assert.Equal(t, "getPayouts", create.Lookup.ID)

	list := m.Op("getPayouts")
	require.NotNil(t, list)
	assert.True(t, list.List)
	assert.NotNil(t, list.ListItems)
	assert.Nil(t, list.Lookup)

	refund := m.Op("createRefund")
	assert.Equal(t, []int{201, 202}, refund.JSONSuccess)

	get := m.Op("getPayoutById")
	assert.Equal(t, map[string]string{"id": "payout_"}, get.Prefixes)
	assert.False(t, get.Idempotent)

	var idem []string
	for _, o := range m.Ops {
		if o.Idempotent {
			idem = append(idem, o.ID)
		}
	}
	assert.ElementsMatch(t, []string{"createOrder", "createPayment", "createPayout", "createRefund"}, idem)
}

func TestMatchPrefersLiteralSegments(t *testing.T) {
	m, err := Default()
	require.NoError(t, err)
	assert.Equal(t, "mockUpdatePayoutStatus", m.Match("PATCH", "/v1/payouts/mock").ID)
	assert.Equal(t, "cancelPayout", m.Match("PATCH", "/v1/payouts/payout_1/cancel").ID)
	assert.Equal(t, "getPayoutById", m.Match("GET", "/v1/payouts/payout_1/").ID)
	assert.Nil(t, m.Match("GET", "/v1/nothing/here"))
	assert.Nil(t, m.Match("DELETE", "/v1/payouts"))
	assert.Equal(t, "getPayouts", m.Find("GET", "/v1/payouts").ID)
	assert.Nil(t, m.Find("GET", "/v1/payouts/payout_1"))
	assert.Nil(t, m.Match("PATCH", "/v1/payouts//cancel"), "a path parameter is never empty")
	// drift matches every response it checks.
	assert.Zero(t, testing.AllocsPerRun(100, func() { m.Match("GET", "/v1/payouts/payout_1") }))
}

func TestForPathsMatchesLikeTheModel(t *testing.T) {
	m := ForPaths([]*Operation{
		{ID: "getThing", Method: "GET", Path: "/v1/things/{id}"},
		{ID: "getMine", Method: "GET", Path: "/v1/things/mine"},
	})
	assert.Equal(t, "getMine", m.Match("GET", "/v1/things/mine").ID)
	assert.Equal(t, "getThing", m.Match("GET", "/v1/things/t_1").ID)
	assert.Equal(t, "getThing", m.Find("GET", "/v1/things/{id}").ID)
	assert.Equal(t, "getMine", m.Op("getMine").ID)
}

func TestHasPropertyEndsOnRecursiveSchemas(t *testing.T) {
	loop := &openapi3.Schema{}
	ref := &openapi3.SchemaRef{Value: loop}
	loop.AllOf = openapi3.SchemaRefs{ref}
	assert.False(t, HasProperty(ref, "request_id"))

	deep := &openapi3.SchemaRef{Value: &openapi3.Schema{Properties: openapi3.Schemas{"request_id": {Value: &openapi3.Schema{}}}}}
	for range 12 { // deeper than any fixed limit the old copies had (4 and 8)
		deep = &openapi3.SchemaRef{Value: &openapi3.Schema{OneOf: openapi3.SchemaRefs{deep}}}
	}
	assert.True(t, HasProperty(deep, "request_id"))
	assert.False(t, HasProperty(nil, "x"))
}

func TestIDPrefixAndSplitPath(t *testing.T) {
	assert.Equal(t, "payout_", IDPrefix("^payout_[A-Za-z0-9]+$"))
	assert.Equal(t, "", IDPrefix("[a-z]+"))
	assert.Equal(t, []string{"v1", "payouts", "{id}"}, SplitPath("/v1/payouts/{id}/"))
	assert.Equal(t, "First line", oneLine("  First line.\nsecond"))
}

func TestLoadRefusesJunkAndRouterMatches(t *testing.T) {
	_, err := Load([]byte("{not yaml"))
	require.Error(t, err)

	m, err := Default()
	require.NoError(t, err)
	r, err := m.Router()
	require.NoError(t, err)
	assert.NotNil(t, r)
	assert.NotEmpty(t, m.Doc.Servers, "Router must not clear the shared document's servers")
}

func TestPropertiesYieldsTheOutermostDeclarationFirst(t *testing.T) {
	decl := func() *openapi3.SchemaRef { return &openapi3.SchemaRef{Value: &openapi3.Schema{}} }
	own, first, second, only := decl(), decl(), decl(), decl()
	s := &openapi3.SchemaRef{Value: &openapi3.Schema{
		Properties: openapi3.Schemas{"a": own},
		AllOf: openapi3.SchemaRefs{
			{Value: &openapi3.Schema{Properties: openapi3.Schemas{"a": decl(), "b": first}}},
		},
		AnyOf: openapi3.SchemaRefs{
			{Value: &openapi3.Schema{Properties: openapi3.Schemas{"b": second, "c": only}}},
		},
	}}
	firstDecl := map[string]*openapi3.SchemaRef{}
	count := 0
	for name, p := range Properties(s) {
		count++
		if _, ok := firstDecl[name]; !ok {
			firstDecl[name] = p
		}
	}
	assert.Equal(t, 5, count, "every declaration is yielded")
	assert.Same(t, own, firstDecl["a"])
	assert.Same(t, first, firstDecl["b"])
	assert.Same(t, only, firstDecl["c"])
}
