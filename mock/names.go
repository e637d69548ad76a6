package mock

import (
	"sort"
	"strings"
)

// Resource names: Count, Objects, Object, Put and the admin state endpoint
// name every resource one way, the plural snake_case noun of its API path
// without version or ids: "payouts", "customers", "payments",
// "payment_links" (the API's /payin), "beneficiaries" (v1 and v2 share
// them), "refunds", "orders", "settlements", "withdrawals",
// "balance_conversions", "internal_transfers", "virtual_accounts",
// "customer_bank_accounts", … Resources lists them all.

// resourceName is the documented name of the store key key (the API path
// without version, ids as {}).
func resourceName(key string) string {
	if key == "payin" {
		return "payment_links"
	}
	var words []string
	for _, seg := range strings.Split(key, "/") {
		if seg != "{}" && seg != "" {
			words = append(words, strings.ReplaceAll(seg, "-", "_"))
		}
	}
	name := strings.Join(words, "_")
	if !strings.HasSuffix(name, "s") {
		name += "s"
	}
	return name
}

// resourceKeys maps every documented name to its store key.
func (m *specModel) resourceKeys() map[string]string {
	out := map[string]string{}
	for _, o := range m.ops {
		if o.resource != "" {
			out[resourceName(o.resource)] = o.resource
		}
	}
	return out
}

// key is the store key of a documented resource name ("" when unknown).
// The API path form ("payin", "customer") is accepted too, as before the
// names were documented.
func (h *handler) key(name string) string {
	if k, ok := h.names[name]; ok {
		return k
	}
	for _, k := range h.names {
		if k == name {
			return k
		}
	}
	return ""
}

// Resources returns the documented resource names the mock stores,
// sorted (see Count).
func Resources() ([]string, error) {
	m, err := loadModel()
	if err != nil {
		return nil, err
	}
	var out []string
	for name := range m.resourceKeys() {
		out = append(out, name)
	}
	sort.Strings(out)
	return out, nil
}
