import type { Provider, Region } from "./contract/enums";
import { badRequest } from "./errors";

/** The environment variables the client falls back to (docs/arker-api.md §1). */
export const ENV = {
  apiKey: "ARKER_API_KEY",
  region: "ARKER_REGION",
  provider: "ARKER_PROVIDER",
  baseUrl: "ARKER_BASE_URL",
  controlBaseUrl: "ARKER_CONTROL_BASE_URL",
  log: "ARKER_LOG",
} as const;

/** Where compute calls go when no `baseUrl` is given: `https://{provider}-{region}.arker.ai/api`. */
export const DEFAULT_PROVIDER = "aws";
/** The control-plane base URL, which serves the cross-region VM list. */
export const DEFAULT_CONTROL_BASE_URL = "https://arker.ai/api";

/** The connection settings a client needs, before transport concerns. */
export interface ConnectionOptions {
  /** API key (`ark_live_…`). Default: `ARKER_API_KEY`. */
  apiKey?: string;
  /**
   * Region such as `us-west-2`, or the legacy combined `aws-us-west-2` /
   * `aws-burst-us-west-2` (the prefix sets the provider). Default: `ARKER_REGION`.
   */
  region?: Region;
  /** `aws` (default) or `aws-burst`. Default: `ARKER_PROVIDER`, then `aws`. */
  provider?: Provider | (string & {});
  /**
   * Base URL for compute calls, e.g. a dev target or `arker dev`. Control calls go here
   * too unless `controlBaseUrl` is set. Default: `ARKER_BASE_URL`.
   */
  baseUrl?: string;
  /** Base URL for control-plane calls (the VM list). Default: `ARKER_CONTROL_BASE_URL`. */
  controlBaseUrl?: string;
}

/** The resolved hosts and key of a client. */
export interface ResolvedConnection {
  apiKey: string;
  region: string | null;
  provider: string;
  computeBaseUrl: string;
  controlBaseUrl: string;
}

const KNOWN_PROVIDERS = ["aws-burst", "aws"] as const;
const API_KEY_PATTERN = /^[\x21-\x7e]+$/;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Applies env fallbacks and the host rules of docs/arker-api.md §1. Throws `bad_request`
 * for a missing key, or for a missing region when no `baseUrl` is given.
 */
export function resolveConnection(
  options: ConnectionOptions,
  env: Record<string, string | undefined> = readEnv(),
): ResolvedConnection {
  const apiKey = nonEmpty(options.apiKey) ?? nonEmpty(env[ENV.apiKey]);
  if (!apiKey) throw badRequest(`apiKey is required; pass apiKey or set ${ENV.apiKey}`);
  // A CR, LF or NUL would break (or smuggle) the authorization header; the key itself
  // never goes into the message.
  if (!API_KEY_PATTERN.test(apiKey)) {
    throw badRequest(
      "apiKey must be printable ASCII without spaces or control characters (CR, LF, NUL…)",
    );
  }
  const { region, provider } = resolveRegion(
    nonEmpty(options.region) ?? nonEmpty(env[ENV.region]),
    nonEmpty(options.provider) ?? nonEmpty(env[ENV.provider]),
  );
  const baseUrl = nonEmpty(options.baseUrl) ?? nonEmpty(env[ENV.baseUrl]);
  const explicitControl = nonEmpty(options.controlBaseUrl) ?? nonEmpty(env[ENV.controlBaseUrl]);
  if (baseUrl) {
    const computeBaseUrl = normalizeBaseUrl(baseUrl, "baseUrl");
    const controlBaseUrl = explicitControl
      ? normalizeBaseUrl(explicitControl, "controlBaseUrl")
      : computeBaseUrl;
    return { apiKey, region, provider, computeBaseUrl, controlBaseUrl };
  }
  if (!region) {
    throw badRequest(
      `region or baseUrl is required; pass region (e.g. "us-west-2") or set ${ENV.region}`,
    );
  }
  return {
    apiKey,
    region,
    provider,
    computeBaseUrl: `https://${provider}-${region}.arker.ai/api`,
    controlBaseUrl: normalizeBaseUrl(explicitControl ?? DEFAULT_CONTROL_BASE_URL, "controlBaseUrl"),
  };
}

function resolveRegion(
  rawRegion: string | undefined,
  rawProvider: string | undefined,
): { region: string | null; provider: string } {
  let provider = rawProvider?.trim().toLowerCase() ?? DEFAULT_PROVIDER;
  if (!(KNOWN_PROVIDERS as readonly string[]).includes(provider)) {
    throw badRequest(`provider must be one of ${KNOWN_PROVIDERS.join(", ")}; got "${provider}"`);
  }
  if (!rawRegion) return { region: null, provider };
  let region = rawRegion.trim().toLowerCase();
  // Legacy combined form: "aws-us-west-2" or "aws-burst-us-west-2"; longest prefix first.
  for (const known of KNOWN_PROVIDERS) {
    if (region.startsWith(`${known}-`) && REGION_PATTERN.test(region.slice(known.length + 1))) {
      provider = known;
      region = region.slice(known.length + 1);
      break;
    }
  }
  if (!REGION_PATTERN.test(region)) {
    throw badRequest(`region must look like "us-west-2"; got "${rawRegion}"`);
  }
  return { region, provider };
}

function normalizeBaseUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw badRequest(`${name} must be an absolute http(s) URL; got "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw badRequest(`${name} must be an absolute http(s) URL; got "${value}"`);
  }
  return url.toString().replace(/\/+$/, "");
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function readEnv(): Record<string, string | undefined> {
  return typeof process === "undefined" ? {} : process.env;
}
