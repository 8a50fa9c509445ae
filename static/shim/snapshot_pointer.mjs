// Made from tools/snapshot_pointer.py by `python -m tools.snapshot_pointer`: do not edit.
// The snapshot pointer's format and the keys the restore (interpreter.mjs, snapshot_find.mjs)
// reads, with their JSON types: a model's name is an object of that shape, "[]" an array of
// them, "?" null or absent.

export const FORMAT = 6;

export const SHAPES = {
  SnapshotPointer: { format: "number", pyodide: "string", parts: "Part[]", size: "number", delta: "WasmDelta?", native: "Native[]?", table_size: "number", site_packages: "SitePackages", stdlib_index: "StdlibIndex", integration_bytecode: "string" },
  Part: { file: "string", offset: "number", size: "number" },
  WasmDelta: { offset: "number", size: "number" },
  Native: { file: "string", module: "string", memory: "array", table: "array", handles: "array", delta: "NativeDelta?" },
  SitePackages: { file: "string" },
  StdlibIndex: { file: "string", offset: "number", archive_size: "number" },
  NativeDelta: { size: "number", checksum: "number" },
};
