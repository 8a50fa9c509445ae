// Globals the pages define or read: the b+s Connects library, the simulator's and the shim's
// scripting handles, and what the plain-JS example integration leaves for its tests.

/** The b+s Connects Integration API object (`cil`): requests and `on<Event>` subscriptions by name. */
interface ConnectsIntegrationApi {
  initIntegration(callback: () => void): void;
  [method: string]: any;
}

/** cnx_connectsIntegrationLibrary.min.js: used as an object or constructed as a class. */
declare var ConnectsIntegrationLibrary: any;

interface Window {
  ConnectsIntegrationLibrary?: any;
  /** The b+s Connects simulator's scripting API (static/simulator/api.js), on the host page. */
  connectsSimulator?: any;
  /** The shim's bridge, watchdog and supervisor, for tests and the console (static/shim/main.js). */
  integrationShim?: object;
  /** static/simulator/examples/plain-js-integration.js, for its tests. */
  received?: object[];
  callbacks?: string[];
  cilCall?: (name: string, ...args: any[]) => Promise<{ ok: boolean; value?: any; error?: string }>;
  showErrorWithCallbacks?: (...args: any[]) => Promise<{ ok: boolean; value?: any; error?: string }>;
}

/** Chromium's non-standard heap figures (absent elsewhere). */
interface Performance {
  memory?: { usedJSHeapSize: number; totalJSHeapSize: number; jsHeapSizeLimit: number };
}
