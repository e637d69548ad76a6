# glomo-go: the verbs. `make help` lists them.
GO      ?= go
SPEC    ?=
PKGS    := ./...

.PHONY: help demo test test-short vet fmt-check generate check-generated update-spec build mock lint bench soak fuzz cover

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

demo: ## run the demo against the embedded mock Glomo (no key, no network)
	$(GO) run ./cmd/glomo-demo

test: vet fmt-check lint check-generated ## vet, gofmt, lint, the generated-code check, and every test under -race
	$(GO) test -race -count=1 $(PKGS)

test-short: ## the tests without -race, skipping the long ones
	$(GO) test -short $(PKGS)

vet: ## go vet
	$(GO) vet $(PKGS)

fmt-check: ## fail when a hand-written file is not gofmt-clean
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

generate: ## regenerate api/ from openapi.yaml
	$(GO) generate ./...

check-generated: ## fail with a diff when api/ is not what openapi.yaml generates
	@./.ci/check-generated

update-spec: ## SPEC="glomo-1.0.0.json [newer.json]": re-import Glomo's description, re-apply our fixes, regenerate, test
	@test -n "$(SPEC)" || { echo "usage: make update-spec SPEC='path/to/glomo.json [newer.json]'"; exit 2; }
	$(GO) run ./internal/cmd/specsync -spec openapi.yaml $(SPEC)
	$(MAKE) generate
	$(GO) test -count=1 $(PKGS)
	@git --no-pager diff --stat -- openapi.yaml api/ 2>/dev/null || true

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
ACTIONLINT  := github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

lint: ## staticcheck and actionlint, pinned and run with go run (they never enter go.mod)
	$(GO) run $(STATICCHECK) ./...
	$(GO) run $(ACTIONLINT) .github/workflows/*.yml

build: ## build every package and the binaries
	$(GO) build $(PKGS)

bench: ## benchmarks in bench/ (own module): floor, raw, wrapper, ogen; writes bench/results/ (~9 min)
	cd bench && ./run.sh

soak: ## the long reliability runs (100 x 1,000 concurrent calls, 1,000 payouts with faults)
	$(GO) test -race -count=1 -tags soak ./...

fuzz: ## every native fuzzer for FUZZTIME each (default 30s)
	./scripts/fuzz.sh

cover: ## coverage of wrapper/
	$(GO) test -race -cover ./wrapper/...
