# NetCanvas: the two commands a newcomer needs.
#   make run    install missing Debian packages, build, check and train the default example
#   make test   install missing Debian packages, build, run every test through CTest
# Also: make build, make fuzz, make bench, make bench-pytorch, make format, make clean.

BUILD_DIR   ?= build
BUILD_TYPE  ?= RelWithDebInfo
JOBS        ?= $(shell nproc)
EXAMPLE     ?= resources/examples/mnist_cnn.json
FUZZ_SECONDS ?= 60

CMAKE_FLAGS := -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DNETCANVAS_WERROR=ON

DEPS_FLAGS  ?=

.PHONY: deps configure build run test fuzz bench bench-pytorch format clean

deps:
	@scripts/install-deps.sh $(DEPS_FLAGS)

configure: deps
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Until the editor window lands: the example's shapes, then a short training run on the
# built-in synthetic digits (the run folder is build/run).
run: build
	@$(BUILD_DIR)/app/netcanvas-cli check $(EXAMPLE)
	@$(BUILD_DIR)/app/netcanvas-cli train $(EXAMPLE) --epochs 3 --out $(BUILD_DIR)/run

test: DEPS_FLAGS += --test
test: build
	@cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS)

fuzz:
	@scripts/install-deps.sh --fuzz
	@cmake -S . -B $(BUILD_DIR)-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DCMAKE_CXX_COMPILER=clang++ -DNETCANVAS_FUZZ=ON -DNETCANVAS_GUI=OFF >/dev/null
	@cmake --build $(BUILD_DIR)-fuzz -j $(JOBS) --target fuzz_graph_json
	@mkdir -p $(BUILD_DIR)-fuzz/corpus
	@cp -n resources/examples/*.json tests/graph_model/malformed/* $(BUILD_DIR)-fuzz/corpus/ 2>/dev/null || true
	@$(BUILD_DIR)-fuzz/tests/fuzz/fuzz_graph_json -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=16384 $(BUILD_DIR)-fuzz/corpus

bench: build
	@$(BUILD_DIR)/bench/bench_shape_inference
	@$(BUILD_DIR)/app/netcanvas-cli bench

# Speed and accuracy against PyTorch on this machine (needs Debian's python3-torch).
bench-pytorch: DEPS_FLAGS += --test
bench-pytorch: build
	@/usr/bin/python3 bench/compare_pytorch.py --cli $(BUILD_DIR)/app/netcanvas-cli
	@/usr/bin/python3 bench/accuracy_pytorch.py --cli $(BUILD_DIR)/app/netcanvas-cli

format:
	@find app graph_model engine ui tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	@rm -rf $(BUILD_DIR) $(BUILD_DIR)-fuzz
