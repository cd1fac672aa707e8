# Cms: `make` lists the targets.
SHELL := /bin/bash
PORT ?= 5080
CMS_DB ?= $(CURDIR)/data/cms.db
CMS_SITE ?= $(CURDIR)/data/site
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.DEFAULT_GOAL := help
.PHONY: help run cluster publish test deps web bench lighthouse reliability openapi fmt clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-9s %s\n", $$1, $$2}'

run: web ## start the API, the publisher and the published portal on data/cms.db with demo content; prints the URLs and, on the first run, an admin key (PORT=, CMS_DB=, CMS_SITE= override)
	@[[ "$(PORT)" =~ ^[0-9]{1,5}$$ ]] && (( $(PORT) >= 1 && $(PORT) <= 65535 )) \
	  || { echo "make run: PORT must be a number from 1 to 65535 (got '$(PORT)')" >&2; exit 2; }
	ASPNETCORE_ENVIRONMENT=Development CMS_DB="$(CMS_DB)" CMS_WEB="$(CURDIR)/web" CMS_SITE="$(CMS_SITE)" \
	  dotnet run --project api -- --urls "http://127.0.0.1:$(PORT)"

cluster: web ## PostgreSQL (a throwaway cluster in data/cluster/pg), three API instances and nginx as the load balancer on loopback, with demo content; prints the URLs, Ctrl-C stops all (CLUSTER_PORT=5090, INSTANCES=3)
	bash scripts/cluster.sh run

publish: web ## rewrite every published page now, with a progress bar (the API of make run must be running; PORT=, CMS_SITE= override)
	node publisher/publish.mjs build --api "http://127.0.0.1:$(PORT)" --out "$(CMS_SITE)"

test: deps web ## build and run every test (API and browser); ends with "N passed, N failed, N skipped"
	bash scripts/test.sh

deps: ## install what the tests need (chromium, CJK fonts) when root, else print the command
	bash scripts/deps.sh

web: web/vendor/purify.es.mjs ## fetch the portal's npm packages and copy DOMPurify into web/vendor/

web/vendor/purify.es.mjs: package.json package-lock.json scripts/web-deps.sh
	bash scripts/web-deps.sh

bench: web ## load-test the API against nginx on generated data (BENCH_N=10000, BENCH_SECONDS=10, STORE=postgres for the PostgreSQL store, INSTANCES=1..9 instances behind nginx with it); writes bench/results/
	bash bench/run.sh

lighthouse: ## Lighthouse (mobile and desktop) on the published pages of a running make run (PORT=); writes bench/results/lighthouse.md
	PORT=$(PORT) bash bench/lighthouse.sh

reliability: deps web ## the hostile tests at full scale (kill -9 rounds, XSS corpus, sweeps, ...); writes bench/results/reliability.md
	dotnet build Cms.sln -c Debug -nologo -v quiet -clp:ErrorsOnly
	CMS_RELIABILITY=full dotnet test tests -c Debug --no-build --nologo --filter Category=Reliability --logger "console;verbosity=minimal"
	@cat bench/results/reliability.md

openapi: ## write openapi.yaml from the app with the Swashbuckle CLI
	dotnet tool restore
	dotnet build api -c Debug
	CMS_OPENAPI_ONLY=1 dotnet swagger tofile --yaml --openapiversion 3.1 --output openapi.yaml api/bin/Debug/net10.0/Cms.Api.dll v1

fmt: ## format the C# code
	dotnet format Cms.sln

clean: ## remove build output and test artifacts (not data/)
	rm -rf api/bin api/obj tests/bin tests/obj TestResults tests/artifacts web/vendor node_modules
