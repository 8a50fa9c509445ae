// The shim's one reader of what `cil` answers, the JS twin of integration/sdk/_answers.py.
// The library's promises resolve either to the value itself or, in some versions, to an envelope
// `{success, response, error}`. Every answer the shim sends on to Python (`answerOf`) and every
// answer it reads itself (`readAnswer`: isPrimaryTab, its own dials, alerts) goes through here,
// so both sides read the same answer the same way: `{success: true, response: false}` is false,
// `success: false` or a rejected promise is a failure with its error's text.

/** The error text of a rejection with no readable reason (Python uses the same words). */
export const REJECTED = "request rejected";
/** The error text of `success: false` without an error (Python uses the same words). */
export const UNSUCCESSFUL = "success=false";

/** True for `{success: <boolean>, response?, error?}`: never a real result of any request. */
export function isEnvelope(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  if (typeof value.success !== "boolean") return false;
  return "response" in value || "error" in value || Object.keys(value).length === 1;
}

/** An error as one line of text: a string as it is, an Error's or `{message}`'s message, anything else as JSON. */
export function errorText(error) {
  if (error === null || error === undefined) return "";
  if (typeof error === "string") return error;
  if (typeof error === "object" && typeof error.message === "string") return error.message;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/**
 * Call `call()` (a `cil` request) and settle its answer as the protocol's `response` fields:
 * `{ok: true, result}` with the result as JSON would carry it (undefined becomes null), or
 * `{ok: false, error}` when it threw, rejected, or cannot be carried as JSON. Never rejects.
 */
export async function answerOf(call) {
  try {
    const result = await call();
    return { ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result) ?? "null") };
  } catch (error) {
    return { ok: false, error: errorText(error) || REJECTED };
  }
}

/** A settled answer read as the SDK reads it: `{ok: true, value}` or `{ok: false, error}`. */
export function unwrap(answer) {
  if (!answer.ok) return { ok: false, error: answer.error || REJECTED };
  const result = answer.result;
  if (!isEnvelope(result)) return { ok: true, value: result };
  if (!result.success) return { ok: false, error: errorText(result.error) || UNSUCCESSFUL };
  return { ok: true, value: result.response ?? null };
}

/** Call a `cil` request and read its answer: `{ok: true, value}` or `{ok: false, error}`. Never rejects. */
export async function readAnswer(call) {
  return unwrap(await answerOf(call));
}
