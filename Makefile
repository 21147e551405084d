# tendon: the two commands are `make demo` and `make test` (see README.md).
BUILD     ?= build
SAN_BUILD ?= build-sanitize
JOBS      ?= $(shell nproc)
DEMO_DB   ?= demo-data/tendon.db
WERROR    := $(if $(filter true,$(CI)),ON,OFF)
CMAKE_GEN := -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON

.PHONY: all deps build test test-sanitize demo bench clean

all: build

deps:
	./scripts/install-deps.sh

# The NHS.UK frontend and the browser-test tools, exactly as package-lock.json pins them.
node_modules/.package-lock.json: package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

build: deps node_modules/.package-lock.json
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTENDON_WERROR=$(WERROR)
	cmake --build $(BUILD) -j $(JOBS)

# Every test: unit, end-to-end over HTTP, the browser tests (Playwright driving Chromium) and the
# module-dependency check. In CI (CI=true) every unit test runs once more under AddressSanitizer and
# UndefinedBehaviorSanitizer.
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
ifeq ($(CI),true)
	$(MAKE) test-sanitize
endif

test-sanitize: deps
	cmake -S . -B $(SAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DTENDON_SANITIZE=ON \
	  -DTENDON_BUILD_BENCH=OFF -DTENDON_WERROR=$(WERROR)
	cmake --build $(SAN_BUILD) -j $(JOBS)
	ctest --test-dir $(SAN_BUILD) --output-on-failure -j $(JOBS) -LE e2e

# Builds, creates the demo database when it is missing, and serves it at http://127.0.0.1:8080,
# printing one demo account per role. Stop it with Ctrl-C.
demo: build
	@mkdir -p $(dir $(DEMO_DB))
	@if [ -f $(DEMO_DB) ]; then echo "demo: using existing $(DEMO_DB)"; \
	 else $(BUILD)/src/cli/tendon demo --db $(DEMO_DB); fi
	$(BUILD)/src/cli/tendon serve --db $(DEMO_DB) --listen 127.0.0.1:8080

bench: build
	./bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
