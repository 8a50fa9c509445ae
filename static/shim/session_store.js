// Where the strings Python persists (`persist` messages, docs/protocol.md) are kept across a reload
// of the page: sessionStorage, under one prefix. Storage that is blocked or full is not an error:
// Python then starts without its memory, or keeps it only for the page's life.

/** Small strings Python keeps across a reload (sessionStorage survives reloading the page). */
export function sessionStore(prefix = "bsc-integration:") {
  const store = globalThis.sessionStorage;
  return {
    load() {
      const values = {};
      try {
        for (let i = 0; i < store.length; i += 1) {
          const key = store.key(i);
          if (key?.startsWith(prefix)) values[key.slice(prefix.length)] = store.getItem(key);
        }
      } catch {
        // storage unavailable (blocked third-party storage): Python starts without memory
      }
      return values;
    },
    save(key, value) {
      try {
        if (value === null || value === undefined) store.removeItem(prefix + key);
        else store.setItem(prefix + key, String(value).slice(0, 100000));
      } catch {
        // quota or blocked storage: the memory only lasts this page's life
      }
    },
  };
}
