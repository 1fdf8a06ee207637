# jianfu — `make demo` runs the main job on a built-in demo school, `make test` runs the tests.
# Both create .venv and install what they need on a fresh machine.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DEMO   := demo-out

.PHONY: demo test test-all bench clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/jianfu generate school --preset nine-year --classes-per-grade 2 --seed 1 -o $(DEMO)/school.yaml
	$(VENV)/bin/jianfu solve $(DEMO)/school.yaml --time-limit 30 -o $(DEMO)
	$(VENV)/bin/jianfu check $(DEMO)/school.yaml $(DEMO)/timetable.json
	$(VENV)/bin/jianfu homework plan $(DEMO)/school.yaml --timetable $(DEMO)/timetable.json -o $(DEMO)/quotas.csv
	$(VENV)/bin/jianfu export $(DEMO) --format all
	@echo
	@$(PY) -m jianfu.instances.outputs $(DEMO)
	@echo "演示完成 demo done: 打开 open $(DEMO)/site/index.html 或 or $(DEMO)/timetable.xlsx；" \
	      "日历 calendars: $(DEMO)/calendars/*.ics（学期按今天推定 term assumed from today;" \
	      "给出你们的校历 give your own: jianfu export $(DEMO) --format ics --calendar 校历.yaml）"

test: $(STAMP)
	$(PY) -m pytest

test-all: $(STAMP)
	$(PY) -m pytest -m ''

bench: $(STAMP)
	$(PY) -m pytest benchmarks --benchmark-enable -m ''

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .benchmarks
