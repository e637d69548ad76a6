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
  /v1/d:
    delete:
      operationId: deleteD
      responses:
        "204": {description: gone}
components:
  schemas:
    A: {type: object, required: [x], properties: {x: {type: string}, invoice_number: {type: string}}}
    Gone: {type: object}
    Loose: {type: object, required: [z], properties: {z: {type: string}}}
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
  /v1/b:
    get:
      operationId: getB
      parameters:
        - {name: per_page, in: query, schema: {type: integer}}
      responses:
        "200": {description: ok}
        "404": {description: none}
  /v1/c:
    post:
      operationId: createC
      responses:
        "201": {description: ok}
components:
  schemas:
    A: {type: object, required: [x, y], properties: {x: {type: integer}, y: {type: integer}}}
    New: {type: object}
    Loose: {type: [object, "null"], properties: {z: {type: string}}}
`

func loadString(t *testing.T, s string) *openapi3.T {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(s))
	require.NoError(t, err)
	return doc
}

func TestDiff(t *testing.T) {
	d := Diff(loadString(t, base), loadString(t, next))
	assert.Equal(t, []string{"createC (POST /v1/c)"}, d.OpsAdded)
	assert.Equal(t, []string{"deleteD (DELETE /v1/d)"}, d.OpsRemoved)
	assert.Equal(t, []string{"getB (GET /v1/b)"}, d.OpsChanged, "a reworded summary is not an API change; getA is not listed")
	assert.Equal(t, []string{"added parameter `query per_page`", "added response `404`"}, d.Details["getB (GET /v1/b)"])
	assert.Equal(t, []string{"New"}, d.SchemasAdded)
	assert.Equal(t, []string{"Gone"}, d.SchemasRemoved)
	assert.Equal(t, []string{"A", "Loose"}, d.SchemasChanged)
	assert.Equal(t, []string{"no longer required `z`", "type object → object|null"}, d.Details["Loose"])
	assert.Equal(t, []string{
		"removed property `invoice_number`", "added property `y`", "changed property `x`", "now required `y`",
	}, d.Details["A"])

	var out bytes.Buffer
	report(&out, d)
	assert.Contains(t, out.String(), "### Operations added (1)\n- createC (POST /v1/c)")
	assert.Contains(t, out.String(), "- A\n  - removed property `invoice_number`\n  - added property `y`\n")

	out.Reset()
	report(&out, Diff(loadString(t, base), loadString(t, base)))
	assert.Equal(t, "No operation or schema changed.\n", out.String())
}
