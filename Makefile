# tendon: the two commands are `make demo` and `make test` (see README.md).
BUILD     ?= build
SAN_BUILD ?= build-sanitize
JOBS      ?= $(shell nproc)
DEMO_DB   ?= demo-data/tendon.db
WERROR    := $(if $(filter true,$(CI)),ON,OFF)
CMAKE_GEN := -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON

.PHONY: all deps build test test-unit test-sanitize demo bench clean

all: build

deps:
	./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTENDON_WERROR=$(WERROR)
	cmake --build $(BUILD) -j $(JOBS)

# Every test: unit, end-to-end and the module-dependency check. In CI (CI=true) every unit test runs
# once more under AddressSanitizer and UndefinedBehaviorSanitizer.
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

# Builds, creates the demo database when it is missing, and (once the server lands) serves it.
demo: build
	@mkdir -p $(dir $(DEMO_DB))
	@if [ -f $(DEMO_DB) ]; then echo "demo: using existing $(DEMO_DB)"; \
	 else $(BUILD)/src/cli/tendon demo --db $(DEMO_DB); fi
	$(BUILD)/src/cli/tendon check --db $(DEMO_DB)

bench: build
	./bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
