// The page's own state, observable by people (a small panel, shown when the page is opened
// visibly) and by tests (`data-integration` on <html>, one console line per change).
// Every string is rendered as text, never as HTML: it may come from events or settings. Long
// values are cut (an event field can hold a megabyte; the panel is for people).

/** Characters of one status value shown before it is cut. */
export const MAX_VALUE_CHARS = 2000;

function cut(text) {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} characters)` : text;
}

export class PageStatus {
  constructor(doc = document) {
    this.doc = doc;
    this.root = doc.documentElement;
    this.stateNode = doc.getElementById("integration-state");
    this.detailsNode = doc.getElementById("integration-details");
    this.errorNode = doc.getElementById("integration-error");
    this.permanent = false; // set by a failure nothing on this page can recover from
  }

  set(state, text) {
    this.root.dataset.integration = state;
    if (this.stateNode) this.stateNode.textContent = text;
    console.info(`[integration] ${state}: ${text}`);
  }

  loading(text) {
    this.set("loading", text);
  }

  ready(text = "Python integration ready") {
    if (this.permanent) return; // a failure nothing can fix stays visible
    this.set("ready", text);
  }

  /** `permanent`: nothing on this page can recover (e.g. no b+s Connects library). */
  failed(message, permanent = false) {
    this.permanent ||= permanent;
    this.set("failed", "Python integration failed to start");
    if (this.errorNode) {
      this.errorNode.hidden = false;
      this.errorNode.textContent = message;
    }
    console.error(`[integration] ${message}`);
  }

  /** Python's status: a flat object of short strings (or lists of them), shown as a list. */
  details(status) {
    if (!this.detailsNode) return;
    const rows = [];
    for (const [key, value] of Object.entries(status ?? {})) {
      const term = this.doc.createElement("dt");
      term.textContent = cut(key);
      const description = this.doc.createElement("dd");
      const lines = Array.isArray(value) ? value : [value];
      description.textContent = lines.map((line) => cut(String(line))).join("\n");
      rows.push(term, description);
    }
    this.detailsNode.replaceChildren(...rows);
  }
}
