# Continuum: a thin wrapper over Meson + Ninja. The two commands a newcomer needs:
#   make demo   installs what is missing, builds, loads the demo académie, serves it on :8080
#   make check  installs what is missing, builds with sanitizers and runs every test
BUILD := build
CHECK_BUILD := build-check
DEMO_DB := data/demo.db

.PHONY: all setup build check demo bench lint clean

all: build

setup:
	@scripts/setup.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release -Db_ndebug=false

build: setup $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(CHECK_BUILD)/build.ninja:
	meson setup $(CHECK_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Dwerror=true

check: setup $(CHECK_BUILD)/build.ninja
	ninja -C $(CHECK_BUILD)
	@scripts/check.sh $(CHECK_BUILD)

demo: build
	@mkdir -p data
	$(BUILD)/continuum init --db $(DEMO_DB)
	@if [ ! -f data/.demo-loaded ]; then \
		$(BUILD)/continuum demo-data --db $(DEMO_DB) --scale academie && touch data/.demo-loaded; \
	fi
	$(BUILD)/continuum serve --db $(DEMO_DB) --bind 127.0.0.1 --port 8080

bench: build
	@scripts/setup.sh --bench
	@bench/run.sh $(BUILD)

lint:
	clang-format --dry-run --Werror src/*/*.c src/*/*.h tests/*/*.c
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--suppress=missingIncludeSystem -I src src

clean:
	rm -rf $(BUILD) $(CHECK_BUILD)
