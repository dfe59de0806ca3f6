import {
  CertificateFetchError,
  CertificateUrlRejectedError,
  createCachingCertificateFetcher,
  loadSnsSecrets,
} from '../../../lib/events/sources/sns-certificates';
import { verifySnsMessage } from '../../../lib/events/sources/sns-signature';
import {
  signedNotification,
  snsRequest,
  TEST_CERT_PEM,
  TEST_CERT_URL,
  TEST_NOW,
  TEST_TOPIC_ARN,
} from '../../support/sns-envelopes';

const urlFor = (n: number) => `https://sns.us-east-1.amazonaws.com/SimpleNotificationService-${n}.pem`;

/** A fake download that counts calls per URL and answers the test certificate. */
function fakeFetch(answer: (url: string) => Promise<string> = async () => TEST_CERT_PEM) {
  const calls: string[] = [];
  const fetchText = (url: string) => {
    calls.push(url);
    return answer(url);
  };
  return { fetchText, calls };
}

describe('createCachingCertificateFetcher', () => {
  it('downloads a certificate once per URL within the TTL and again after it', async () => {
    let clock = 1_000;
    const { fetchText, calls } = fakeFetch();
    const fetcher = createCachingCertificateFetcher(fetchText, {
      ttlMs: 60_000,
      maxEntries: 10,
      now: () => clock,
    });

    await expect(fetcher.fetchCertificate(urlFor(1))).resolves.toBe(TEST_CERT_PEM);
    clock += 59_999;
    await expect(fetcher.fetchCertificate(urlFor(1))).resolves.toBe(TEST_CERT_PEM);
    expect(calls).toEqual([urlFor(1)]);

    clock += 1;
    await fetcher.fetchCertificate(urlFor(1));
    expect(calls).toEqual([urlFor(1), urlFor(1)]);
  });

  it('shares one download among concurrent callers', async () => {
    const { fetchText, calls } = fakeFetch();
    const fetcher = createCachingCertificateFetcher(fetchText, { ttlMs: 60_000, maxEntries: 10 });

    const pems = await Promise.all([1, 2, 3].map(() => fetcher.fetchCertificate(urlFor(1))));

    expect(pems).toEqual([TEST_CERT_PEM, TEST_CERT_PEM, TEST_CERT_PEM]);
    expect(calls).toHaveLength(1);
  });

  it.each([
    'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem',
    'https://sns.us-east-1.amazonaws.com.evil.com/SimpleNotificationService-1.pem',
    'https://sns.us-east-1.amazonaws.com@evil.com/SimpleNotificationService-1.pem',
    'https://evil.com/SimpleNotificationService-1.pem',
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.txt',
  ])('refuses %s without fetching it', async (url) => {
    const { fetchText, calls } = fakeFetch();
    const fetcher = createCachingCertificateFetcher(fetchText, { ttlMs: 60_000, maxEntries: 10 });

    await expect(fetcher.fetchCertificate(url)).rejects.toBeInstanceOf(CertificateUrlRejectedError);
    expect(calls).toEqual([]);
  });

  it('keeps at most maxEntries certificates, dropping the least recently used', async () => {
    const { fetchText, calls } = fakeFetch();
    const fetcher = createCachingCertificateFetcher(fetchText, { ttlMs: 60_000, maxEntries: 2 });

    await fetcher.fetchCertificate(urlFor(1));
    await fetcher.fetchCertificate(urlFor(2));
    await fetcher.fetchCertificate(urlFor(1)); // 1 is now the most recently used
    await fetcher.fetchCertificate(urlFor(3)); // evicts 2
    await fetcher.fetchCertificate(urlFor(1)); // cached
    await fetcher.fetchCertificate(urlFor(2)); // fetched again

    expect(calls).toEqual([urlFor(1), urlFor(2), urlFor(3), urlFor(2)]);
  });

  it('stays bounded however many distinct URLs come in', async () => {
    const { fetchText, calls } = fakeFetch();
    const fetcher = createCachingCertificateFetcher(fetchText, { ttlMs: 60_000, maxEntries: 3 });

    for (let n = 0; n < 50; n += 1) await fetcher.fetchCertificate(urlFor(n));
    for (const n of [47, 48, 49, 0]) await fetcher.fetchCertificate(urlFor(n));

    // 47..49 were still cached; 0 had been evicted long ago.
    expect(calls).toHaveLength(51);
    expect(calls.at(-1)).toBe(urlFor(0));
  });

  it('reports a failed download as CertificateFetchError and retries it next time', async () => {
    let attempt = 0;
    const { fetchText, calls } = fakeFetch(async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('ECONNRESET');
      return TEST_CERT_PEM;
    });
    const fetcher = createCachingCertificateFetcher(fetchText, { ttlMs: 60_000, maxEntries: 10 });

    await expect(fetcher.fetchCertificate(urlFor(1))).rejects.toBeInstanceOf(CertificateFetchError);
    await expect(fetcher.fetchCertificate(urlFor(1))).resolves.toBe(TEST_CERT_PEM);
    expect(calls).toHaveLength(2);
  });

  it('refuses and does not cache an answer that is not a PEM certificate', async () => {
    const { fetchText, calls } = fakeFetch(async () => '<html>404 Not Found</html>');
    const fetcher = createCachingCertificateFetcher(fetchText, { ttlMs: 60_000, maxEntries: 10 });

    await expect(fetcher.fetchCertificate(urlFor(1))).rejects.toBeInstanceOf(CertificateFetchError);
    await expect(fetcher.fetchCertificate(urlFor(1))).rejects.toBeInstanceOf(CertificateFetchError);
    expect(calls).toHaveLength(2);
  });

  it('refuses a PEM header around garbage', async () => {
    const garbage = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    const fetcher = createCachingCertificateFetcher(fakeFetch(async () => garbage).fetchText, {
      ttlMs: 60_000,
      maxEntries: 10,
    });

    await expect(fetcher.fetchCertificate(urlFor(1))).rejects.toBeInstanceOf(CertificateFetchError);
  });

  it('rejects nonsensical options', () => {
    const { fetchText } = fakeFetch();

    expect(() => createCachingCertificateFetcher(fetchText, { ttlMs: 0, maxEntries: 1 })).toThrow(RangeError);
    expect(() => createCachingCertificateFetcher(fetchText, { ttlMs: 1, maxEntries: 0 })).toThrow(RangeError);
  });
});

describe('loadSnsSecrets', () => {
  const record = { eventType: 'Open' };

  it('fetches the certificate of a request that passes every other check, enough to verify it', async () => {
    const { fetchText, calls } = fakeFetch();
    const fetcher = createCachingCertificateFetcher(fetchText, { ttlMs: 60_000, maxEntries: 10 });
    const request = snsRequest(signedNotification(record));

    const secrets = await loadSnsSecrets(request, [TEST_TOPIC_ARN], fetcher, TEST_NOW);

    expect(calls).toEqual([TEST_CERT_URL]);
    expect(verifySnsMessage(request, secrets, TEST_NOW)).toEqual({ ok: true });
  });

  it.each([
    [
      'a topic outside the allowlist',
      signedNotification(record, { topicArn: 'arn:aws:sns:us-east-1:1:other' }),
    ],
    ['a stale message', signedNotification(record, { timestamp: '2027-01-15T08:00:00.000Z' })],
    [
      'an untrusted certificate URL',
      { ...signedNotification(record), SigningCertURL: 'https://evil.com/c.pem' },
    ],
  ])('fetches nothing for %s', async (_name, envelope) => {
    const { fetchText, calls } = fakeFetch();
    const fetcher = createCachingCertificateFetcher(fetchText, { ttlMs: 60_000, maxEntries: 10 });

    const secrets = await loadSnsSecrets(snsRequest(envelope), [TEST_TOPIC_ARN], fetcher, TEST_NOW);

    expect(calls).toEqual([]);
    expect(secrets.certificates.size).toBe(0);
  });

  it('lets a failed download surface as CertificateFetchError (answer 5xx so SNS retries)', async () => {
    const fetcher = createCachingCertificateFetcher(
      fakeFetch(async () => {
        throw new Error('timeout');
      }).fetchText,
      { ttlMs: 60_000, maxEntries: 10 },
    );

    await expect(
      loadSnsSecrets(snsRequest(signedNotification(record)), [TEST_TOPIC_ARN], fetcher, TEST_NOW),
    ).rejects.toBeInstanceOf(CertificateFetchError);
  });
});
