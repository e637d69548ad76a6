package specsync

import yaml "go.yaml.in/yaml/v3"

// Fix and the registry that orders the fixes. Each fix lives in the
// fixes_*.go file named for what it corrects.

// Fix is one named, re-appliable correction of Glomo's published
// description. Every fix is idempotent: applying it to its own output changes
// nothing, so `make update-spec` can run all of them on any new vendor file.
// docs/spec-changes.md lists each ID with its evidence.
type Fix struct {
	ID    string
	Title string
	Apply func(doc *yaml.Node) []string // what it changed, one line each
}

// Fixes returns the fixes in the order they are applied.
func Fixes() []Fix {
	return []Fix{
		{"GG-01", "drop the synthetic RecursiveProbe test schema", dropInternalSchemas},
		{"GG-02", "one server at /api; paths carry their /v1 or /v2 version", versionedPaths},
		{"GG-03", "define the JWT bearer scheme and require it on every operation", bearerSecurity},
		{"GG-04", "amounts are integer minor units (int64), never numbers", integerAmounts},
		{"GG-05", "an enum that lists null has null in its type too", nullableEnums},
		{"GG-06", "enum values the API sends but the files omit", enumAdditions},
		{"GG-07", "error bodies: one open Error schema, no enum/const on error strings", openErrorBodies},
		{"GG-08", "every operation declares 400/401/403/404/429 and 5xx with the error schema", declareErrorResponses},
		{"GG-09", "ID path parameters shared once, with their prefixes as patterns", idPathParameters},
		{"GG-10", "stale ID prefixes in examples", staleIDExamples},
		{"GG-11", "examples outside their enum", examplesInsideEnums},
		{"GG-21", "property names with a typo'd trailing ?", typoProperties},
		{"GG-22", "an allOf that only restates its base's examples is the base", plainAllOf},
		{"GG-22", "untyped overrides and enums take their type", typedOverrides},
		{"GG-23", "open objects (metadata, notes) are named schemas", openObjects},
		// Before the response fixes: request copies keep the vendor's strictness.
		{"GG-24", "request bodies get their own copy of schemas answers use", splitRequests},
		{"GG-12", "responses stay open: no additionalProperties:false on response schemas", openResponses},
		{"GG-13", "optional response fields are nullable", nullableOptionals},
		{"GG-14", "page_meta also carries total", pageMetaTotal},
		{"GG-15", "customer pincode is required only for some countries", optionalPincode},
		{"GG-16", "prefixed IDs are not UUIDs", prefixedIDsAreNotUUIDs},
		{"GG-17", "refunds: 202 while in progress, 422 with the refund, reason as the docs echo it", refundAnswers},
		{"GG-18", "response fields the docs show absent are not required", relaxRequired},
		{"GG-19", "lists of idempotent resources filter by request_id", requestIDFilters},
		{"GG-20", "union request bodies keep their JSON methods in Go", namedUnionBodies},
		{"GG-25", "enums the docs document: settlement status, merchant category, mock refund status, authorized filter", documentedEnums},
		{"GG-26", "per_page at least 1 and clamped at 100, before/after are date-times", listParameters},
		{"GG-24", "required request properties never accept null", requiredRefuseNull},
		{"GG-24", "request copies identical to their original are merged back", mergeIdenticalRequests},
	}
}

// Apply runs every fix on doc and returns a report line per change.
func Apply(doc *yaml.Node) []string {
	var out []string
	for _, f := range Fixes() {
		for _, c := range f.Apply(doc) {
			out = append(out, f.ID+": "+c)
		}
	}
	return out
}
