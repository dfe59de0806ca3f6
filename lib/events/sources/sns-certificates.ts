/** Getting SNS signing certificates: the port, and a caching adapter that only ever fetches trusted SNS URLs. */
import { X509Certificate } from 'node:crypto';
import type { WebhookRequest } from '../webhook';
import { isSnsCertificateUrl } from './sns-envelope';
import {
  CERTIFICATE_NOT_AVAILABLE,
  snsSigningCertUrl,
  verifySnsMessage,
  type SnsSecrets,
} from './sns-signature';

export interface CertificateFetcher {
  /**
   * The PEM certificate at a SigningCertURL. Rejects with CertificateUrlRejectedError (nothing fetched) for a URL
   * that is not https on an SNS host, and with CertificateFetchError when the download fails: a transient
   * failure, so answer 5xx and let SNS retry rather than 401, which SNS would take as final.
   */
  fetchCertificate(url: string): Promise<string>;
}

export class CertificateUrlRejectedError extends Error {
  override readonly name = 'CertificateUrlRejectedError';
}

export class CertificateFetchError extends Error {
  override readonly name = 'CertificateFetchError';
}

export interface CachingCertificateFetcherOptions {
  /** How long a fetched certificate is reused. SNS rotates its certificate rarely and under a new URL. */
  readonly ttlMs: number;
  /** Upper bound on cached URLs; the least recently used goes first. */
  readonly maxEntries: number;
  /** Clock in epoch ms, for tests. */
  readonly now?: () => number;
}

interface CacheEntry {
  readonly pem: Promise<string>;
  readonly expiresAt: number;
}

/**
 * Caches certificates per URL for `ttlMs`, shares one download among concurrent callers, and forgets failed
 * downloads so that the next request tries again. `fetchText` does the HTTP GET (the handler passes one built on
 * global fetch; tests a fake).
 */
export function createCachingCertificateFetcher(
  fetchText: (url: string) => Promise<string>,
  options: CachingCertificateFetcherOptions,
): CertificateFetcher {
  const { ttlMs, maxEntries, now = Date.now } = options;
  if (!(ttlMs > 0) || !Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError('certificate cache needs ttlMs > 0 and an integer maxEntries >= 1');
  }
  const cache = new Map<string, CacheEntry>();

  function remember(url: string, entry: CacheEntry): void {
    cache.delete(url);
    cache.set(url, entry);
    // A Map iterates in insertion order, so the first key is the least recently used.
    for (const oldest of cache.keys()) {
      if (cache.size <= maxEntries) break;
      cache.delete(oldest);
    }
  }

  return {
    fetchCertificate(url: string): Promise<string> {
      if (!isSnsCertificateUrl(url)) {
        return Promise.reject(new CertificateUrlRejectedError('not an Amazon SNS signing certificate URL'));
      }
      const cached = cache.get(url);
      if (cached !== undefined && cached.expiresAt > now()) {
        remember(url, cached);
        return cached.pem;
      }
      const pem = download(fetchText, url);
      const entry = { pem, expiresAt: now() + ttlMs };
      remember(url, entry);
      pem.catch(() => {
        if (cache.get(url) === entry) cache.delete(url);
      });
      return pem;
    },
  };
}

/**
 * The SnsSecrets to verify `request` with. The certificate is fetched only when the request passes every check
 * short of the signature (allowed topic, fresh timestamp, trusted URL), so forged or stale requests cost no
 * download. Rejects with CertificateFetchError when the download fails.
 */
export async function loadSnsSecrets(
  request: WebhookRequest,
  topicArns: readonly string[],
  fetcher: CertificateFetcher,
  now: Date = new Date(),
): Promise<SnsSecrets> {
  const withoutCertificate: SnsSecrets = { topicArns, certificates: new Map() };
  const precheck = verifySnsMessage(request, withoutCertificate, now);
  const url = snsSigningCertUrl(request);
  if (precheck.ok || precheck.reason !== CERTIFICATE_NOT_AVAILABLE || url === undefined)
    return withoutCertificate;
  return { topicArns, certificates: new Map([[url, await fetcher.fetchCertificate(url)]]) };
}

async function download(fetchText: (url: string) => Promise<string>, url: string): Promise<string> {
  let text: string;
  try {
    text = await fetchText(url);
  } catch (error) {
    throw new CertificateFetchError('could not download the SNS signing certificate', { cause: error });
  }
  if (!isPemCertificate(text))
    throw new CertificateFetchError('the SNS signing certificate URL gave no certificate');
  return text;
}

function isPemCertificate(text: string): boolean {
  if (!text.includes('-----BEGIN CERTIFICATE-----')) return false;
  try {
    new X509Certificate(text);
    return true;
  } catch {
    return false;
  }
}
