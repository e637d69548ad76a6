package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const root = "../../.."

// TestCommittedOutputIsCurrent fails when wrapper/operations.gen.go is not
// what openapi.yaml and api/ generate: run `go generate ./wrapper/`.
func TestCommittedOutputIsCurrent(t *testing.T) {
	var warn bytes.Buffer
	got, err := Generate(filepath.Join(root, "openapi.yaml"), filepath.Join(root, "api", "glomo.gen.go"), "wrapper", &warn)
	require.NoError(t, err)
	want, err := os.ReadFile(filepath.Join(root, "wrapper", "operations.gen.go"))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "wrapper/operations.gen.go is stale; run go generate ./wrapper/")
	assert.NotContains(t, warn.String(), "not in api/", "api/ is stale; run go generate ./...")
}

const miniSpec = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /v1/things:
    get:
      operationId: getThings
      summary: List things.
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: object}}
                  page_meta: {type: object}
    post:
      operationId: createThing
      responses:
        "201":
          description: ok
          content:
            application/json:
              schema: {type: object}
  /v1/missing:
    get:
      operationId: getMissing
      responses:
        "200": {description: ok}
`

const miniAPI = `package api

import (
	"context"
	"net/http"
	"time"
)

type RequestEditorFn func(ctx context.Context, req *http.Request) error
type ClientWithResponses struct{}
type Thing struct{ Id *string }
type PageMeta struct{}
type CreateThingJSONBody struct{ union []byte }
type CreateThingJSONRequestBody CreateThingJSONBody

type GetThingsResult struct {
	JSON200 *struct {
		Data     *[]Thing  ` + "`json:\"data\"`" + `
		PageMeta *PageMeta ` + "`json:\"page_meta\"`" + `
		At       time.Time
	}
}
type CreateThingResult struct {
	JSON201 *Thing
	JSON202 *map[string]interface{}
}
type GetOrphanResult struct{}

// GetThingsWithResponse performs a GET /v1/things (the ` + "`GetThings`" + ` operationId) request.
func (c *ClientWithResponses) GetThingsWithResponse(ctx context.Context, reqEditors ...RequestEditorFn) (*GetThingsResult, error) {
	return nil, nil
}

// CreateThingWithBodyWithResponse performs a POST /v1/things (the ` + "`CreateThing`" + ` operationId) request.
func (c *ClientWithResponses) CreateThingWithBodyWithResponse(ctx context.Context, contentType string, reqEditors ...RequestEditorFn) (*CreateThingResult, error) {
	return nil, nil
}

// CreateThingWithResponse performs a POST /v1/things (the ` + "`CreateThing`" + ` operationId) request.
func (c *ClientWithResponses) CreateThingWithResponse(ctx context.Context, body CreateThingJSONRequestBody, reqEditors ...RequestEditorFn) (*CreateThingResult, error) {
	return nil, nil
}

// GetOrphanWithResponse Corresponds with GET /v1/orphan (the ` + "`GetOrphan`" + ` operationId).
func (c *ClientWithResponses) GetOrphanWithResponse(ctx context.Context, reqEditors ...RequestEditorFn) (*GetOrphanResult, error) {
	return nil, nil
}
`

func TestGenerateSmallSpec(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "openapi.yaml")
	apiFile := filepath.Join(dir, "api.go")
	require.NoError(t, os.WriteFile(spec, []byte(miniSpec), 0o600))
	require.NoError(t, os.WriteFile(apiFile, []byte(miniAPI), 0o600))
	var warn bytes.Buffer
	out, err := Generate(spec, apiFile, "wrapper", &warn)
	require.NoError(t, err)
	src := string(out)
	assert.Contains(t, src, "//meta:operation GET /v1/things\n")
	assert.Contains(t, src, "type GetThingsPage = struct {")
	assert.Contains(t, src, "func (c *Client) GetThings(ctx context.Context, opts ...RequestOption) (*GetThingsPage, error)")
	assert.Contains(t, src, "func (c *Client) CreateThing(ctx context.Context, body api.CreateThingJSONRequestBody, opts ...RequestOption) (*api.CreateThingResult, error)")
	assert.Contains(t, src, "call.jsonBody(api.CreateThingJSONBody(body))")
	assert.Contains(t, src, "c.api.CreateThingWithBodyWithResponse(ctx, \"application/json\", reader, call.editors...)")
	// A single-type 2xx body is decoded from the bytes the transport read;
	// the generated parser handles any other answer.
	assert.Contains(t, src, "rsp, err := c.api.GetThings(ctx, call.editors...)")
	assert.Contains(t, src, "decodeOK[GetThingsPage](call, rsp, 200); ok {")
	assert.Contains(t, src, "res, err := api.ParseGetThingsResult(rsp)")
	assert.Contains(t, src, "defer call.done()")
	assert.Contains(t, src, `"time"`)
	assert.Contains(t, warn.String(), "getMissing")
	assert.Contains(t, warn.String(), "GetOrphan")
	assert.Contains(t, warn.String(), "GetThings: list operation without a Params struct")
	assert.NotContains(t, src, "GetThingsIter")

	_, err = Generate(filepath.Join(dir, "nope.yaml"), apiFile, "wrapper", &warn)
	assert.Error(t, err)
	_, err = Generate(spec, filepath.Join(dir, "nope.go"), "wrapper", &warn)
	assert.Error(t, err)
}

func TestHelpers(t *testing.T) {
	assert.Equal(t, "create a payout", lowerFirst("Create a payout"))
	assert.Equal(t, "LRS banks", lowerFirst("LRS banks"))
	assert.Equal(t, "", lowerFirst(""))
}
