package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
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
      parameters:
        - {name: page, in: query, schema: {type: integer}}
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
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - {type: object, properties: {request_id: {type: string}}}
      responses:
        "201":
          description: ok
          content:
            application/json:
              schema: {type: object}
`

const miniAPI = `package api

import (
	"io"
	"net/http"
	"time"
)

type ClientWithResponses struct{}
type Thing struct{ Id string }
type PageMeta struct{}
type PageParam int64
type PerPageParam int64
type GetThingsParams struct {
	Page    *PageParam
	PerPage *PerPageParam
}
type CreateThingBody interface {
	isCreateThingBody()
	RequestID() string
	WithRequestID(id string) CreateThingBody
}
type CreateThingJSONBody = CreateThingBody
type CreateThingJSONRequestBody = CreateThingJSONBody

type GetThings200JSONResponseBody struct {
	Data     []Thing  ` + "`json:\"data\"`" + `
	PageMeta PageMeta ` + "`json:\"page_meta\"`" + `
	At       time.Time
}
type GetThingsResult struct {
	JSON200 *GetThings200JSONResponseBody
}
type CreateThingResult struct {
	JSON201 *Thing
}

func NewGetThingsRequest(server string, params *GetThingsParams) (*http.Request, error) { return nil, nil }
func NewCreateThingRequest(server string, body CreateThingJSONRequestBody) (*http.Request, error) {
	return nil, nil
}
func NewCreateThingRequestWithBody(server string, contentType string, body io.Reader) (*http.Request, error) {
	return nil, nil
}
func (c *ClientWithResponses) GetOrphanWithResponse() {}
`

func writeMini(t *testing.T, spec, api string) (string, string) {
	dir := t.TempDir()
	sp, ap := filepath.Join(dir, "openapi.yaml"), filepath.Join(dir, "api.go")
	require.NoError(t, os.WriteFile(sp, []byte(spec), 0o600))
	require.NoError(t, os.WriteFile(ap, []byte(api), 0o600))
	return sp, ap
}

func TestGenerateSmallSpec(t *testing.T) {
	spec, apiFile := writeMini(t, miniSpec, miniAPI)
	var warn bytes.Buffer
	out, err := Generate(spec, apiFile, "wrapper", &warn)
	require.NoError(t, err)
	src := string(out)
	assert.Contains(t, src, "//meta:operation GET /v1/things\n")
	assert.Contains(t, src, "type GetThingsPage = api.GetThings200JSONResponseBody")
	assert.Contains(t, src, `opGetThings   = operation{id: "getThings", method: "GET", path: "/v1/things", success: []int{200}}`)
	assert.Contains(t, src, `opCreateThing = operation{id: "createThing", method: "POST", path: "/v1/things", idempotent: true, success: []int{201}, lookup: &opGetThings}`)
	assert.Contains(t, src, "func (c *Client) GetThings(ctx context.Context, params *api.GetThingsParams, opts ...Option) (*GetThingsPage, error)")
	assert.Contains(t, src, "func (c *Client) CreateThing(ctx context.Context, body api.CreateThingJSONRequestBody, opts ...Option) (*api.Thing, error)")
	// A oneOf body is a sealed interface: nil refused, request_id set on
	// the method's copy of the branch, encoded once, built by api/.
	assert.Contains(t, src, "if body == nil {\n\t\treturn nil, ErrEmptyBody")
	assert.Contains(t, src, "body = body.WithRequestID(r.chooseRequestID(body.RequestID()))")
	assert.Contains(t, src, "reader, err := r.jsonBody(body)")
	assert.Contains(t, src, `req, err := api.NewCreateThingRequestWithBody(c.cfg.server, "application/json", reader)`)
	assert.Contains(t, src, "return execute[api.Thing](r, req, err)")
	assert.Contains(t, src, "req, err := api.NewGetThingsRequest(c.cfg.server, params)")
	assert.Contains(t, src, "defer r.end()")
	assert.Contains(t, src, "func (c *Client) GetThingsIter(")
	assert.Contains(t, src, "func(it *api.Thing) string { return it.Id }")
	assert.Contains(t, src, "return pg.Data, &pg.PageMeta, nil")
	assert.Contains(t, warn.String(), "GetOrphan")

	_, err = Generate(filepath.Join(filepath.Dir(spec), "nope.yaml"), apiFile, "wrapper", &warn)
	assert.Error(t, err)
	_, err = Generate(spec, filepath.Join(filepath.Dir(spec), "nope.go"), "wrapper", &warn)
	assert.Error(t, err)
}

// TestGenerateFailsOnWhatItCannotGenerate: every operation becomes a
// method or the generator stops, naming the operation.
func TestGenerateFailsOnWhatItCannotGenerate(t *testing.T) {
	cases := map[string]struct{ spec, api, want string }{
		"no builder": {miniSpec, strings.Replace(miniAPI, "func NewGetThingsRequest(", "func NewGetOtherRequest(", 1), "getThings"},
		"two 2xx types": {
			strings.Replace(miniSpec, `schema: {type: object}
`, `schema: {type: object}
        "202":
          description: accepted
          content:
            application/json:
              schema: {type: array}
`, 1),
			strings.Replace(miniAPI, "JSON201 *Thing\n", "JSON201 *Thing\n\tJSON202 *[]Thing\n", 1), "different types"},
		"no request_id to set": {miniSpec, strings.Replace(miniAPI, "type CreateThingJSONBody = CreateThingBody", "type CreateThingJSONBody struct{ Name string }", 1), "request_id"},
		"list without paging":  {miniSpec, strings.Replace(miniAPI, "PerPage *PerPageParam\n", "", 1), "PerPage"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			spec, apiFile := writeMini(t, tc.spec, tc.api)
			_, err := Generate(spec, apiFile, "wrapper", io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestHelpers(t *testing.T) {
	assert.Equal(t, "create a payout", lowerFirst("Create a payout"))
	assert.Equal(t, "LRS banks", lowerFirst("LRS banks"))
	assert.Equal(t, "", lowerFirst(""))
	assert.Equal(t, "GetPayoutById", goName("getPayoutById"))
	assert.Equal(t, "ListBeneficiariesV2", goName("list_beneficiaries-v2"))
}
