# 四下基层工作平台 — the two commands a newcomer needs:
#   make run    install, migrate, load the demo data and serve on http://127.0.0.1:$(PORT) (SQLite)
#   make test   install what the tests need (chromium, CJK fonts, LibreOffice) and run the whole suite
#               on SQLite and on PostgreSQL ($(PG_URL))
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run accounts test test-sqlite test-postgres lint test-deps fonts demo clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	-@$(MAKE) -s fonts || echo "未能安装中文字体 fonts-noto-cjk：导出的图表中文会显示为方框。"
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo --if-empty
	@if $(BIN)/python manage.py retrain_textcore --check; then echo "智能建议模型已就绪。"; else \
		echo "智能建议模型在后台训练（约 1–2 分钟，完成前页面上暂无建议），日志：var/retrain.log"; \
		$(BIN)/python manage.py retrain_textcore --if-missing > var/retrain.log 2>&1 & fi
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --noreload

# The demo logins (also printed by every `make run`).
accounts: $(VENV)/.run-deps
	@$(BIN)/python manage.py seed_demo --accounts

demo: $(VENV)/.run-deps
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo --reset

# Charts drawn on the server (Word reports, Excel) need a Chinese font, or every label is a box.
fonts:
	@if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "Installing Debian's fonts-noto-cjk for the Chinese labels of server-drawn charts"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	fi

# What the tests drive for real: Chromium for the browser flows, LibreOffice and poppler to print
# the Word and Excel exports as an office suite would, and the CJK fonts for both.
TEST_PACKAGES := chromium fonts-noto-cjk libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils
test-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/soffice ] || [ ! -x /usr/bin/pdftoppm ] \
		|| ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "Installing Debian's $(TEST_PACKAGES) for the tests"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(TEST_PACKAGES) >/dev/null; \
	fi

# Fonts first: the lint's URL checks import the chart module, and matplotlib lists the fonts it
# finds then into a cache it keeps.
lint: test-deps $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check -q .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0

test-sqlite: $(VENV)/.dev-deps test-deps
	$(BIN)/pytest

test-postgres: $(VENV)/.dev-deps test-deps
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

test: lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
