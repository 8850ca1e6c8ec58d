# Two commands for a newcomer: `make demo` runs a hall, `make test` runs every test.
# Both install what they need first (Debian packages via apt-get, Python packages in .venv).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test deps bench clean

# e.g. make demo DEMO_ARGS="--broker-port 1884 --console-port 8081" when those ports are taken
demo: deps
	$(VENV)/bin/yichuang demo $(DEMO_ARGS)

test: deps
	$(PY) -m pytest -q -p no:cacheprovider tests

bench: deps
	$(VENV)/bin/yichuang bench all

deps: $(STAMP)

$(STAMP): setup.py .ci/install-deps .ci/debian-packages.txt
	bash .ci/install-deps $(VENV)
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info
