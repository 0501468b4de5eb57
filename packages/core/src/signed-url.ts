import { badRequest } from "./errors";

/** Path segments and query values at least this long are treated as tokens. */
const MIN_TOKEN_CHARS = 16;

/** A signed URL checked before anything is sent. */
export interface CheckedSignedUrl {
  /** The origin, safe to show in the trace. */
  origin: string;
  /** The parts of the URL that are credentials, for the redactor. */
  secrets: string[];
}

/**
 * Checks a signed URL before anything is sent: an absolute http(s) URL, and https when
 * the API itself is https (a signed URL is a credential and its bytes are the user's
 * files: never downgrade them to plain HTTP). Throws `bad_request` that never quotes the
 * URL.
 */
export function checkSignedUrl(url: string, apiBaseUrl: string): CheckedSignedUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest("transfer url must be an absolute http(s) URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw badRequest("transfer url must be an absolute http(s) URL");
  if (parsed.protocol === "http:" && apiBaseUrl.startsWith("https:")) {
    throw badRequest(
      "transfer url is plain http:// while the API is https://; refusing to downgrade a signed URL",
    );
  }
  return { origin: parsed.origin, secrets: signedUrlSecrets(url, parsed) };
}

/**
 * The credential parts of a signed URL, raw and decoded: the whole URL, its path and
 * query, and every long path segment or query value (S3's signature, credential and
 * session token; the fake's blob token).
 */
function signedUrlSecrets(url: string, parsed: URL): string[] {
  const query = parsed.search.slice(1);
  const parts = [
    `${parsed.pathname}${parsed.search}`,
    query,
    ...parsed.pathname.split("/"),
    ...query.split("&").map((pair) => pair.slice(pair.indexOf("=") + 1)),
  ];
  const tokens = [...parts, ...parts.map(safeDecode)].filter(
    (part) => part.length >= MIN_TOKEN_CHARS,
  );
  return [url, ...tokens];
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    return part;
  }
}
