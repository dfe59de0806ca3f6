/**
 * A self-signed X.509 certificate for an RSA key, written out in DER by hand (Node can parse and check
 * certificates but not make them): what the local stack's SNS signing certificate is. For local use only.
 */
import { randomBytes, sign, type KeyObject } from 'node:crypto';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
const ORGANIZATION = '2.5.4.10';

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const length = body.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), body]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), body]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, ...items);

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      base128.unshift(0x80 | (value & 0x7f));
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280, 4.1.2.5). */
function time(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(text.slice(2))) : tlv(0x18, Buffer.from(text));
}

function name(organization: string, commonName: string): Buffer {
  const attribute = (type: string, value: string) =>
    tlv(0x31, sequence(oid(type), tlv(0x0c, Buffer.from(value, 'utf8'))));
  return sequence(attribute(ORGANIZATION, organization), attribute(COMMON_NAME, commonName));
}

export interface CertificateRequest {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly organization: string;
  readonly commonName: string;
  readonly validFrom: Date;
  readonly validTo: Date;
}

/** A v1 certificate (no extensions: nothing checks it but its key and dates), signed SHA-256 with RSA, as PEM. */
export function selfSignedCertificate(request: CertificateRequest): string {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x3f) | 0x40; // positive, and no leading zero byte to drop
  const algorithm = sequence(oid(SHA256_WITH_RSA), Buffer.from([0x05, 0x00]));
  const subject = name(request.organization, request.commonName);
  const toBeSigned = sequence(
    tlv(0x02, serial),
    algorithm,
    subject,
    sequence(time(request.validFrom), time(request.validTo)),
    subject,
    request.publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', toBeSigned, request.privateKey);
  const der = sequence(toBeSigned, algorithm, tlv(0x03, Buffer.from([0]), signature));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
