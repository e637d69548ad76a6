package main

import (
	"bytes"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const base = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /v1/a:
    get:
      operationId: getA
      summary: old words
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}
  /v1/b:
    get:
      operationId: getB
      responses:
        "200": {description: ok}
components:
  schemas:
    A: {type: object, properties: {x: {type: string}}}
    Gone: {type: object}
`

const next = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /v1/a:
    get:
      operationId: getA
      summary: new words only
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}
  /v1/c:
    post:
      operationId: createC
      responses:
        "201": {description: ok}
components:
  schemas:
    A: {type: object, properties: {x: {type: string}, y: {type: integer}}}
    New: {type: object}
`

func loadString(t *testing.T, s string) *openapi3.T {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(s))
	require.NoError(t, err)
	return doc
}

func TestDiff(t *testing.T) {
	d := Diff(loadString(t, base), loadString(t, next))
	assert.Equal(t, []string{"createC (POST /v1/c)"}, d.OpsAdded)
	assert.Equal(t, []string{"getB (GET /v1/b)"}, d.OpsRemoved)
	assert.Empty(t, d.OpsChanged, "a reworded summary is not an API change")
	assert.Equal(t, []string{"New"}, d.SchemasAdded)
	assert.Equal(t, []string{"Gone"}, d.SchemasRemoved)
	assert.Equal(t, []string{"A"}, d.SchemasChanged)

	var out bytes.Buffer
	report(&out, d)
	assert.Contains(t, out.String(), "### Operations added (1)\n- createC (POST /v1/c)")

	out.Reset()
	report(&out, Diff(loadString(t, base), loadString(t, base)))
	assert.Equal(t, "No operation or schema changed.\n", out.String())
}
