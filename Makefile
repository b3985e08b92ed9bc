# NetCanvas: the two commands a newcomer needs.
#   make run    install missing Debian packages, build, open the editor on the Standard CNN
#   make test   install missing Debian packages, build, run every test through CTest
# Also: make build, make package, make fuzz, make sanitize, make bench, make bench-pytorch,
# make screenshots, make format, make clean.

BUILD_DIR   ?= build
BUILD_TYPE  ?= RelWithDebInfo
JOBS        ?= $(shell nproc)
EXAMPLE     ?= resources/examples/mnist_cnn.json
FUZZ_SECONDS ?= 60

CMAKE_FLAGS := -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DNETCANVAS_WERROR=ON

DEPS_FLAGS  ?=

.PHONY: deps configure build run test package fuzz fuzz-build sanitize bench bench-pytorch screenshots format clean

deps:
	@scripts/install-deps.sh $(DEPS_FLAGS)

configure: deps
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The editor, on a copy of the Standard CNN (Save asks where, so the example stays as it is).
run: build
	@$(BUILD_DIR)/app/netcanvas --example $(basename $(notdir $(EXAMPLE)))

test: DEPS_FLAGS += --test
test: build
	@cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS)

# A .deb and a .tar.gz in build/ (portable builds: BUILD_DIR=build-release
# CMAKE_FLAGS+=-DNETCANVAS_NATIVE=OFF).
package: build
	@cd $(BUILD_DIR) && cpack

# One libFuzzer target per parser of outside input, each run FUZZ_SECONDS on a seed corpus
# kept in $(BUILD_DIR)-fuzz/corpus/NAME (it grows between runs); a crash stops with the input
# saved as $(BUILD_DIR)-fuzz/fuzz_NAME-crash-*.
FUZZERS := graph_json safetensors checkpoint idx csv onnx_import
FUZZ_SEEDS_graph_json  := resources/examples tests/graph_model/malformed
FUZZ_SEEDS_safetensors := tests/fuzz/corpus/safetensors
FUZZ_SEEDS_checkpoint  := tests/fuzz/corpus/safetensors
FUZZ_SEEDS_idx         := tests/fuzz/corpus/idx
FUZZ_SEEDS_csv         := tests/fuzz/corpus/csv
FUZZ_SEEDS_onnx_import := tests/engine/fixtures/onnx tests/fuzz/corpus/onnx_import

fuzz: $(addprefix fuzz-run-,$(FUZZERS))

fuzz-build:
	@scripts/install-deps.sh --fuzz
	@cmake -S . -B $(BUILD_DIR)-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DCMAKE_CXX_COMPILER=clang++ -DNETCANVAS_FUZZ=ON -DNETCANVAS_GUI=OFF >/dev/null
	@cmake --build $(BUILD_DIR)-fuzz -j $(JOBS) --target $(addprefix fuzz_,$(FUZZERS))

fuzz-run-%: fuzz-build
	@mkdir -p $(BUILD_DIR)-fuzz/corpus/$*
	@cp -n $(addsuffix /*,$(FUZZ_SEEDS_$*)) $(BUILD_DIR)-fuzz/corpus/$*/ 2>/dev/null || true
	@echo "fuzz_$*: $(FUZZ_SECONDS) s"
	@$(BUILD_DIR)-fuzz/tests/fuzz/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
	    -rss_limit_mb=2048 -artifact_prefix=$(BUILD_DIR)-fuzz/fuzz_$*- -print_final_stats=1 \
	    $(BUILD_DIR)-fuzz/corpus/$*

# The CLI's hostile-input suites (bad files, outputs over inputs, links and names in run
# folders) against a netcanvas-cli built with AddressSanitizer and UBSan: any memory error or
# undefined behaviour fails them.
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
SANITIZE_SUITES := tst_clibadinput|tst_clioutputs|tst_clirunfolder|tst_clifinetune
sanitize: DEPS_FLAGS += --test
sanitize: build
	@cmake -S . -B $(BUILD_DIR)-asan -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	    -DNETCANVAS_GUI=OFF -DNETCANVAS_CUDA=OFF -DNETCANVAS_TESTS=OFF \
	    "-DCMAKE_CXX_FLAGS=$(SANITIZE_FLAGS)" "-DCMAKE_EXE_LINKER_FLAGS=$(SANITIZE_FLAGS)" >/dev/null
	@cmake --build $(BUILD_DIR)-asan -j $(JOBS) --target netcanvas-cli
	@cd $(BUILD_DIR) && NETCANVAS_TEST_CLI=$(abspath $(BUILD_DIR)-asan)/app/netcanvas-cli \
	    NETCANVAS_TEST_NO_ADDRESS_LIMIT=1 ASAN_OPTIONS=detect_leaks=1 QT_QPA_PLATFORM=offscreen \
	    ctest --output-on-failure -R "$(SANITIZE_SUITES)"

bench: build
	@$(BUILD_DIR)/bench/bench_shape_inference
	@xvfb-run -a -s "-screen 0 1600x1000x24" $(BUILD_DIR)/bench/bench_editor
	@xvfb-run -a -s "-screen 0 1600x1000x24" $(BUILD_DIR)/bench/bench_training_gui
	@$(BUILD_DIR)/app/netcanvas-cli bench

# Speed and accuracy against PyTorch on this machine (needs Debian's python3-torch).
bench-pytorch: DEPS_FLAGS += --test
bench-pytorch: build
	@/usr/bin/python3 bench/compare_pytorch.py --cli $(BUILD_DIR)/app/netcanvas-cli
	@/usr/bin/python3 bench/accuracy_pytorch.py --cli $(BUILD_DIR)/app/netcanvas-cli

# The pictures in docs/screenshots, from the real window under a virtual X display.
screenshots: build
	@cmake --build $(BUILD_DIR) --target docscreenshots
	@xvfb-run -a -s "-screen 0 1600x1000x24" $(BUILD_DIR)/tests/docscreenshots docs/screenshots

format:
	@find app graph_model engine ui tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	@rm -rf $(BUILD_DIR) $(BUILD_DIR)-fuzz $(BUILD_DIR)-asan
