// The snapshot's packages after a restore. Every module a start imports is already in the restored
// memory, so the wheels are not downloaded and unpacked: with the site index tools/snapshot_wheels.py
// wrote, each file is created where Pyodide would unpack it and read from the stored wheel on demand
// (static/shim/remote_files.mjs). Without a usable index, Pyodide installs them as usual, from wheels
// fetched while the snapshot downloads.

import { patchGlobal } from "./global_patches.mjs";
import { hexToBase64, installOnDemand } from "./remote_files.mjs";

/** The lock's packages that installing `requested` installs (names as the lock keys them). */
export function packagesNeeded(lock, requested) {
  const needed = new Set();
  const visit = (name) => {
    const key = String(name).split(/[<>=!~ ]/)[0].toLowerCase().replaceAll("_", "-");
    const entry = lock.packages?.[key];
    if (!entry || needed.has(key)) return;
    needed.add(key);
    (entry.depends ?? []).forEach(visit);
  };
  requested.forEach(visit);
  return needed;
}

/**
 * Without a usable site index: the wheels PyScript will ask for (`wanted`: its packages and what
 * they depend on), fetched now instead of after the restore, where Pyodide starts downloading them.
 * Pyodide's own request gets the prefetched response only for the same URL and the same integrity
 * (sha256) it asks for; a failed prefetch is fetched again normally. `fetch` is Pyodide's again
 * once every prefetched wheel was handed over, or when the start ends (static/shim/global_patches.mjs);
 * after the end nothing is prefetched.
 */
export function prefetchPackages(lock, wanted, dir) {
  const wheels = [...wanted].map((key) => ({
    url: new URL(String(lock.packages[key].file_name), dir).href,
    integrity: `sha256-${hexToBase64(String(lock.packages[key].sha256))}`,
  }));
  if (!wheels.length) return;
  const plainFetch = globalThis.fetch;
  const prefetched = new Map();
  const restore = patchGlobal(globalThis, "fetch", function (resource, init) {
    const url = resource instanceof Request ? resource.url : String(resource);
    const entry = prefetched.get(url);
    if (!entry || entry.integrity !== init?.integrity) return plainFetch.call(this, resource, init);
    prefetched.delete(url);
    if (!prefetched.size) restore();
    return entry.response.catch(() => plainFetch.call(globalThis, resource, init));
  });
  if (!restore) return;
  for (const { url, integrity } of wheels) {
    prefetched.set(url, { integrity, response: plainFetch.call(globalThis, url, { integrity }) });
  }
}

/**
 * The site index tools/snapshot_wheels.py wrote (where each file lies in each stored wheel), or
 * null if it cannot be had: then the wheels are unpacked.
 */
export async function fetchSiteIndex(entry, dir) {
  try {
    const response = await fetch(new URL(String(entry.file), dir));
    const index = response.ok ? await response.json() : null;
    return index?.packages && typeof index.packages === "object" ? index : null;
  } catch {
    return null;
  }
}

/** Whether the index covers every package of the snapshot's lock, for the wheels it has now. */
export function coversLock(index, lock) {
  const packages = Object.entries(lock?.packages ?? {});
  return Boolean(index) && packages.length > 0 && packages.every(([key, entry]) => {
    const indexed = index.packages[key];
    return indexed?.file === entry.file_name && indexed?.sha256 === entry.sha256 && Array.isArray(indexed.files);
  });
}

/**
 * Install the snapshot's packages after the restore: on demand with the site index (the promise
 * `snapshot.siteIndex`, null when unusable), otherwise, or if that fails, unpacked by Pyodide.
 * Returns a note for the status panel.
 */
export async function installPackages(pyodide, snapshot, packages) {
  const index = await snapshot.siteIndex.catch(() => null);
  let note = "";
  if (index) {
    try {
      installOnDemand(pyodide, index, snapshot.dir);
      return "";
    } catch (error) {
      note = `, wheels unpacked (${error?.message ?? error})`;
    }
  }
  await pyodide.loadPackage(packages, { messageCallback() {} });
  return note || ", wheels unpacked";
}
