// Files a restored interpreter reads on demand instead of downloading and unpacking them at
// start: the stdlib archive and the snapshot's stored wheels, each file's bytes fetched by range
// (synchronous requests: Python's reads are synchronous, and this runs in a worker) the first
// time Python reads them. Used by static/shim/interpreter.mjs after a snapshot restore only.

const EIO = 29; // Emscripten's errno: what Python sees when a file's bytes cannot be fetched

/**
 * The stdlib archive, downloaded only where Python reads it. A restored interpreter
 * already holds every stdlib module a start imports, so Pyodide is given an empty archive to
 * install, replaced here, before the restore, by a file whose bytes are fetched on first read:
 * a module the snapshot lacks, a stdlib source line for a traceback. The archive's index, which
 * every start reads, comes with the snapshot (`index`: its offset and bytes, or null).
 */
export function stdlibOnDemand(FS, index, url) {
  const name = FS.readdir("/lib").find((entry) => /^python\d+\.zip$/.test(entry));
  if (!name) throw new Error("no stdlib archive in /lib to replace");
  FS.unlink(`/lib/${name}`);
  const node = FS.createLazyFile("/lib", name, url, true, false);
  node.contents = new RemoteBytes(url, () => new FS.ErrnoError(EIO), { tail: index });
  readInBulk(node);
}

/**
 * Emscripten reads a lazy file one byte per call of its `get` (a call per byte of the stdlib
 * index every start reads); the files here copy the bytes a read asks for at once.
 */
function readInBulk(node) {
  const read = (stream, buffer, offset, length, position) => {
    const { contents } = stream.node;
    if (position >= contents.length) return 0;
    const size = Math.min(contents.length - position, length);
    contents.copyTo(new Uint8Array(buffer.buffer, buffer.byteOffset + offset, size), position);
    return size;
  };
  node.stream_ops = { ...node.stream_ops, read };
}

export function hexToBase64(hex) {
  return btoa(String.fromCharCode(...hex.match(/../g).map((byte) => parseInt(byte, 16))));
}

/** Pyodide's name for where its own packages come from (it skips a package loaded from there). */
const DEFAULT_CHANNEL = "default channel";

export function installOnDemand(pyodide, index, baseUrl) {
  const { FS } = pyodide;
  const loader = pyodide._api?.package_loader;
  if (typeof loader?.get_install_dir !== "function") throw new Error("Pyodide's package loader not found");
  const created = [];
  const wheels = new Map();
  // A wheel lists its files folder by folder: each folder is made once, not once per file
  // (mkdirTree walks the whole path, the slowest step of this install).
  const folders = new Set();
  try {
    for (const entry of Object.values(index.packages)) {
      const folder = String(loader.get_install_dir(entry.install_dir));
      const wheel = new RemoteBytes(new URL(String(entry.file), baseUrl).href, () => new FS.ErrnoError(EIO),
        { size: Number(entry.size) });
      wheels.set(String(entry.name), { bytes: wheel, integrity: `sha256-${hexToBase64(String(entry.sha256))}` });
      const distInfo = new Set();
      for (const [name, offset, size] of entry.files) {
        const path = `${folder}/${name}`;
        const slash = path.lastIndexOf("/");
        if (!folders.has(path.slice(0, slash))) {
          FS.mkdirTree(path.slice(0, slash));
          folders.add(path.slice(0, slash));
        }
        const node = FS.createLazyFile(path.slice(0, slash), path.slice(slash + 1), wheel.url, true, false);
        node.contents = new RemoteSlice(wheel, Number(offset), Number(size));
        readInBulk(node);
        created.push(path);
        const top = name.split("/")[0];
        if (top.endsWith(".dist-info")) distInfo.add(`${folder}/${top}`);
      }
      // What Pyodide's unpacking adds to a wheel's metadata.
      for (const folderPath of distInfo) {
        for (const [file, text] of [["INSTALLER", "pyodide.loadPackage"], ["PYODIDE_SOURCE", "pyodide"]]) {
          FS.writeFile(`${folderPath}/${file}`, text);
          created.push(`${folderPath}/${file}`);
        }
      }
    }
  } catch (error) {
    for (const path of created) FS.unlink(path); // Pyodide's own install writes them instead
    throw error;
  }
  for (const entry of Object.values(index.packages)) pyodide.loadedPackages[entry.name] = DEFAULT_CHANNEL;
  pyodide._api.importlib.invalidate_caches();
  globalThis.bscWheels = new WheelsOnDemand(wheels);
}

/**
 * Python's handle on the wheels installed on demand (integration/sdk/_packages.py): a feature
 * that reads many of a package's files (the dial rules read phonenumbers' data of some 25 regions
 * for one +1 number) has its wheel downloaded whole, compressed, in the background. Its files are
 * then read from memory; until then, and if the download fails, by range as before.
 */
class WheelsOnDemand {
  constructor(wheels) {
    this.wheels = wheels; // package name -> { bytes: RemoteBytes, integrity }
    this.downloads = new Map();
  }

  has(name) {
    return this.wheels.has(String(name));
  }

  /** Resolves to "" once the wheel is in memory, or to why it is not; never rejects. */
  download(name) {
    const key = String(name);
    const wheel = this.wheels.get(key);
    if (!wheel) return Promise.resolve(`${key} is not installed on demand`);
    if (!this.downloads.has(key)) {
      this.downloads.set(key, fetch(wheel.bytes.url, { integrity: wheel.integrity })
        .then((response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return response.arrayBuffer();
        })
        .then((buffer) => (wheel.bytes.adopt(new Uint8Array(buffer)) ? "" : "not the recorded size"))
        .catch((error) => {
          this.downloads.delete(key); // the next call tries again
          return String(error?.message ?? error);
        }));
    }
    return this.downloads.get(key);
  }
}

/** One file of a stored wheel: bytes `offset` to `offset + length` of the wheel's RemoteBytes. */
class RemoteSlice {
  constructor(bytes, offset, length) {
    this.bytes = bytes;
    this.offset = offset;
    this.size = length;
  }

  get length() {
    return this.size;
  }

  get(index) {
    return index < 0 || index >= this.size ? undefined : this.bytes.get(this.offset + index);
  }

  copyTo(target, start) {
    this.bytes.copyTo(target, this.offset + start);
  }
}

/**
 * A file's bytes as Emscripten's lazy files read them (`length`, `get(index)`), fetched in 64 kB
 * ranges with synchronous requests (allowed in a worker; Python's reads are synchronous).
 * Emscripten's own reader fetches 1 MB ranges. `tail` (offset, size, bytes), when known, is the
 * file's end already at hand, and its size. A failed request is an I/O error to Python (a JS
 * exception would abort the interpreter): that import raises OSError, everything else keeps
 * working.
 */
class RemoteBytes {
  static CHUNK = 64 * 1024;

  constructor(url, ioError, { tail = null, size = tail?.size } = {}) {
    this.url = url;
    this.ioError = ioError;
    this.chunks = [];
    this.tail = tail;
    this.size = size;
  }

  get length() {
    try {
      return this.fetchLength();
    } catch (error) {
      console.warn(`[integration] ${error?.message ?? error}`);
      throw this.ioError();
    }
  }

  fetchLength() {
    if (this.size === undefined) {
      const request = this.request("HEAD");
      const size = Number(request.getResponseHeader("Content-Length") ?? NaN);
      if (!Number.isFinite(size) || request.getResponseHeader("Content-Encoding")) {
        throw new Error(`${this.url}: no usable length`);
      }
      this.size = size;
    }
    return this.size;
  }

  get(index) {
    if (index < 0 || index >= this.length) return undefined;
    if (this.tail && index >= this.tail.offset) return this.tail.bytes[index - this.tail.offset];
    const number = Math.floor(index / RemoteBytes.CHUNK);
    return this.chunk(number)[index - number * RemoteBytes.CHUNK];
  }

  /** Fill `target` with the bytes from `start` on, fetching the chunks they are in. */
  copyTo(target, start) {
    for (let done = 0; done < target.length;) {
      const index = start + done;
      const wanted = target.length - done;
      let piece;
      if (this.tail && index >= this.tail.offset) {
        piece = this.tail.bytes.subarray(index - this.tail.offset, index - this.tail.offset + wanted);
      } else {
        const number = Math.floor(index / RemoteBytes.CHUNK);
        const from = index - number * RemoteBytes.CHUNK;
        piece = this.chunk(number).subarray(from, from + wanted);
      }
      if (!piece.length) throw this.ioError(); // past the end: the caller's length is wrong
      target.set(piece, done);
      done += piece.length;
    }
  }

  chunk(number) {
    try {
      this.chunks[number] ??= this.fetchChunk(number);
    } catch (error) {
      console.warn(`[integration] ${error?.message ?? error}`);
      throw this.ioError();
    }
    return this.chunks[number];
  }

  fetchChunk(number) {
    const from = number * RemoteBytes.CHUNK;
    const to = Math.min(from + RemoteBytes.CHUNK, this.length) - 1;
    const request = this.request("GET", `bytes=${from}-${to}`);
    const bytes = new Uint8Array(request.response);
    if (request.status === 206 && bytes.length === to - from + 1) return bytes;
    // No range support: the whole file came; keep all of it.
    if (request.status === 200 && this.adopt(bytes)) return this.chunks[number];
    throw new Error(`${this.url}: bytes ${from}-${to} not received (HTTP ${request.status})`);
  }

  /** Keep the whole file, got some other way, for every later read; false if its size is wrong. */
  adopt(bytes) {
    if (bytes.length !== this.length) return false;
    for (let start = 0, n = 0; start < bytes.length; start += RemoteBytes.CHUNK, n += 1) {
      this.chunks[n] ??= bytes.subarray(start, start + RemoteBytes.CHUNK);
    }
    return true;
  }

  request(method, range) {
    const request = new XMLHttpRequest();
    request.open(method, this.url, false);
    if (range) request.setRequestHeader("Range", range);
    if (method === "GET") request.responseType = "arraybuffer";
    request.send(null);
    if (request.status < 200 || request.status >= 300) throw new Error(`${this.url}: HTTP ${request.status}`);
    return request;
  }
}
