# mk/screenshots.mk: `make screenshots`, a PNG of each page of the web
# interface (posyandu-server(8) WEB INTERFACE) at 360 and 1280 px wide in
# doc/screenshots/, taken by tests/e2e/t0900-ui.sh in headless Chromium
# (Debian: chromium, chromium-driver) over its demo district.
SCREENSHOT_DIR = doc/screenshots

.PHONY: screenshots
screenshots: all
	@mkdir -p $(SCREENSHOT_DIR)
	@SCREENSHOTS=$(CURDIR)/$(SCREENSHOT_DIR) POSYANDU_BIN=$(CURDIR)/$(BIN) \
		sh tests/e2e/t0900-ui.sh
	@ls $(SCREENSHOT_DIR)/*.png
