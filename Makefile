# glomo-go: the verbs. `make help` lists them.
GO      ?= go
SPEC    ?=
PKGS    := ./...

.PHONY: help demo test test-short vet fmt-check generate check-generated update-spec build mock lint bench soak fuzz cover \
	test-scripts vuln api-compat api-compat-test release-check mutate thin

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

demo: ## run the demo against the embedded mock Glomo (no key, no network)
	$(GO) run ./cmd/glomo-demo

test: vet fmt-check lint test-scripts check-generated ## vet, gofmt, lint, script tests, the generated-code check, and every test under -race
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

thin: ## issue 10's "Done when" figures in one run, as a markdown table for docs/benchmarks.md (~20 s on a warm build cache; THIN_PAIRS=0 skips the pair benchmarks; may fetch modules, so not in test)
	./scripts/thin.sh

soak: ## the long reliability runs (100 x 1,000 concurrent calls, 1,000 payouts with faults)
	$(GO) test -race -count=1 -tags soak ./...

fuzz: ## every native fuzzer for FUZZTIME each (default 30s)
	./scripts/fuzz.sh

cover: ## coverage of wrapper/
	$(GO) test -race -cover ./wrapper/...

GOVULNCHECK := golang.org/x/vuln/cmd/govulncheck@v1.9.0
VULNFLAGS   ?=

vuln: ## govulncheck, pinned, over the module (VULNFLAGS="-db file:///path" for an offline copy of the database)
	$(GO) run $(GOVULNCHECK) $(VULNFLAGS) ./...

BASE ?= origin/main

api-compat: ## BASE=<ref>: apidiff of every public package, BASE vs the working tree; fails on breaks CHANGELOG.md does not name
	./scripts/api-compat.sh $(BASE)

api-compat-test: ## prove the gate: removing a field is refused without a Breaking entry and accepted with one (~3 min)
	./scripts/api-compat_test.sh --e2e

test-scripts: ## the fast tests of scripts/ (release check, Breaking-entry matching, thin's offline part)
	./scripts/release-check_test.sh
	./scripts/api-compat_test.sh
	./scripts/thin.sh --self-check >/dev/null

release-check: ## TAG=vX.Y.Z: refuse a tag that differs from wrapper.Version or has no CHANGELOG.md section
	@test -n "$(TAG)" || { echo "usage: make release-check TAG=vX.Y.Z"; exit 2; }
	./scripts/release-check.sh $(TAG)

mutate: ## mutation testing (gremlins, pinned) of money, internal/quote, webhook, wrapper/retry.go, wrapper/pager.go (755-866 s on 2 shared cores); scores in docs/reliability.md
	./scripts/mutate.sh money quote webhook retry pager
