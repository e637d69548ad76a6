package main

import (
	"encoding/json"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// Changes lists what differs between two descriptions, each item as
// "operationId (METHOD /path)" or a schema name. Details holds, for a changed
// operation or schema (keyed by that item), what changed inside it: the
// properties, parameters and responses added, removed or changed, so a
// reviewer sees "removed invoice_number" rather than only the schema name.
type Changes struct {
	OpsAdded, OpsRemoved, OpsChanged             []string
	SchemasAdded, SchemasRemoved, SchemasChanged []string
	Details                                      map[string][]string
}

// Empty reports whether nothing differs.
func (c Changes) Empty() bool {
	return len(c.OpsAdded)+len(c.OpsRemoved)+len(c.OpsChanged)+
		len(c.SchemasAdded)+len(c.SchemasRemoved)+len(c.SchemasChanged) == 0
}

type opEntry struct {
	label string
	body  string
	op    *openapi3.Operation
}

// ops indexes operations by operationId (falling back to method and path),
// with a canonical JSON rendering to compare. Prose is ignored: a reworded
// description is not an API change.
func ops(doc *openapi3.T) map[string]opEntry {
	out := map[string]opEntry{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			key := op.OperationID
			if key == "" {
				key = method + " " + path
			}
			c := *op
			c.Summary, c.Description = "", ""
			b, _ := json.Marshal(&c)
			out[key] = opEntry{label: key + " (" + method + " " + path + ")", body: string(b), op: op}
		}
	}
	return out
}

func schemas(doc *openapi3.T) map[string]*openapi3.SchemaRef {
	if doc.Components == nil {
		return nil
	}
	return doc.Components.Schemas
}

// Diff compares two loaded descriptions.
func Diff(oldDoc, newDoc *openapi3.T) Changes {
	c := Changes{Details: map[string][]string{}}
	oldOps, newOps := ops(oldDoc), ops(newDoc)
	for k, n := range newOps {
		o, ok := oldOps[k]
		switch {
		case !ok:
			c.OpsAdded = append(c.OpsAdded, n.label)
		case o.body != n.body || o.label != n.label:
			c.OpsChanged = append(c.OpsChanged, n.label)
			c.detail(n.label, opDetails(o, n))
		}
	}
	for k, o := range oldOps {
		if _, ok := newOps[k]; !ok {
			c.OpsRemoved = append(c.OpsRemoved, o.label)
		}
	}
	oldS, newS := schemas(oldDoc), schemas(newDoc)
	for k, n := range newS {
		o, ok := oldS[k]
		switch {
		case !ok:
			c.SchemasAdded = append(c.SchemasAdded, k)
		case canon(o) != canon(n):
			c.SchemasChanged = append(c.SchemasChanged, k)
			c.detail(k, schemaDetails(o.Value, n.Value))
		}
	}
	for k := range oldS {
		if _, ok := newS[k]; !ok {
			c.SchemasRemoved = append(c.SchemasRemoved, k)
		}
	}
	for _, s := range [][]string{c.OpsAdded, c.OpsRemoved, c.OpsChanged, c.SchemasAdded, c.SchemasRemoved, c.SchemasChanged} {
		sort.Strings(s)
	}
	return c
}
