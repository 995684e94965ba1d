import { createVerify, X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';

import { FledgeError } from '@fledge/errors';

/**
 * Verifies Amazon SNS HTTP deliveries as AWS documents it ("Verifying the signatures of Amazon SNS
 * messages"): the signing certificate comes only from an allow-listed host, must chain to a
 * trusted CA and be within its validity dates, and its key must verify the message's signature
 * (SignatureVersion 1 = SHA1withRSA, 2 = SHA256withRSA) over AWS's canonical string.
 *
 * Hand-written on purpose: the npm validators (`sns-validator`) check the host and the signature
 * but never the certificate chain, fetch over https only and have no configurable trust store, so
 * neither a private CA for tests nor moto on a loopback port could be used with them.
 */
export interface SnsTrust {
  /** Allowed hosts: `sns.*.amazonaws.com` (`*` = one DNS label) or `host:port`. */
  certHosts: readonly string[];
  /** Trust anchors; null = Node's bundled root CAs (real AWS certificates chain to Amazon Root CA). */
  caCertificates: readonly X509Certificate[] | null;
}

export type SnsMessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** The fields signed for each message type, in AWS's order. */
const SIGNED_FIELDS: Record<SnsMessageType, readonly string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
const MAX_CERT_BYTES = 64 * 1024;
const MAX_CACHED = 64;
const FETCH_TIMEOUT_MS = 5000;
const MAX_CHAIN = 5;

export function snsRefused(message: string): FledgeError {
  return new FledgeError('FORBIDDEN', `SNS message refused: ${message}`, { reason: 'SNS_SIGNATURE_INVALID' });
}

/** AWS's string to sign: `name\nvalue\n` for each signed field present (only Subject is optional). */
export function snsStringToSign(message: Record<string, unknown>, type: SnsMessageType): string {
  let text = '';
  for (const field of SIGNED_FIELDS[type]) {
    const value = message[field];
    if (value === undefined && field === 'Subject') continue;
    if (typeof value !== 'string') throw snsRefused(`${field} is missing`);
    text += `${field}\n${value}\n`;
  }
  return text;
}

/** True when `url` may be fetched: an allow-listed host, https (http only on loopback hosts). */
export function snsUrlAllowed(url: URL, hosts: readonly string[]): boolean {
  const host = url.host.toLowerCase();
  const loopback = LOOPBACK.has(url.hostname.toLowerCase());
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return false;
  if (url.username || url.password) return false;
  return hosts.some((entry) => {
    const withPort = /:\d+$/.test(entry) && !entry.endsWith(']');
    const target = withPort ? host : url.port === '' ? url.hostname.toLowerCase() : null;
    if (target === null) return false;
    const pattern = new RegExp(`^${entry.split('*').map(escapeRegExp).join('[a-z0-9-]+')}$`);
    return pattern.test(target);
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

export function parseCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

export class SnsMessageVerifier {
  /** Verified signing certificates by URL, in insertion order (oldest evicted first). */
  private readonly verified = new Map<string, X509Certificate>();
  private anchors: readonly X509Certificate[] | null = null;

  constructor(
    private readonly trust: SnsTrust,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Throws FORBIDDEN (SNS_SIGNATURE_INVALID) unless the message is signed by a trusted SNS certificate. */
  async verify(message: Record<string, unknown>): Promise<SnsMessageType> {
    const type = message.Type;
    if (type !== 'Notification' && type !== 'SubscriptionConfirmation' && type !== 'UnsubscribeConfirmation') {
      throw snsRefused('Type must be Notification, SubscriptionConfirmation or UnsubscribeConfirmation');
    }
    const version = message.SignatureVersion;
    if (version !== '1' && version !== '2') throw snsRefused('SignatureVersion must be "1" or "2"');
    if (typeof message.Signature !== 'string' || message.Signature === '') throw snsRefused('the message is unsigned');
    if (typeof message.SigningCertURL !== 'string') throw snsRefused('SigningCertURL is missing');
    const canonical = snsStringToSign(message, type);
    const certificate = await this.signingCertificate(message.SigningCertURL);
    const verifier = createVerify(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
    verifier.update(canonical, 'utf8');
    let valid = false;
    try {
      valid = verifier.verify(certificate.publicKey, message.Signature, 'base64');
    } catch {
      valid = false;
    }
    if (!valid) throw snsRefused('the signature does not match the message');
    return type;
  }

  /** Visits a SubscribeURL (allow-listed host only) to confirm a subscription. */
  async confirmSubscription(subscribeUrl: string): Promise<void> {
    const url = this.allowedUrl(subscribeUrl, 'SubscribeURL');
    const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) }).catch(
      (error: unknown) => {
        throw new FledgeError('UNAVAILABLE', `could not confirm the SNS subscription: ${(error as Error).message}`, {
          reason: 'SNS_CONFIRMATION_FAILED',
        });
      },
    );
    await res.body?.cancel();
    if (!res.ok) {
      throw new FledgeError('UNAVAILABLE', `SNS answered ${res.status} to the subscription confirmation`, {
        reason: 'SNS_CONFIRMATION_FAILED',
      });
    }
  }

  private allowedUrl(raw: string, field: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw snsRefused(`${field} is not a URL`);
    }
    if (!snsUrlAllowed(url, this.trust.certHosts)) {
      throw snsRefused(`${field} ${url.protocol}//${url.host} is not an allowed SNS host (FLEDGE_SNS_CERT_HOSTS)`);
    }
    return url;
  }

  private async signingCertificate(certUrl: string): Promise<X509Certificate> {
    const url = this.allowedUrl(certUrl, 'SigningCertURL');
    const key = url.href;
    const cached = this.verified.get(key);
    if (cached && this.withinValidity(cached)) return cached;
    this.verified.delete(key);
    const [leaf, ...intermediates] = await this.download(url);
    if (!leaf) throw snsRefused('SigningCertURL holds no certificate');
    this.checkChain(leaf, intermediates);
    if (this.verified.size >= MAX_CACHED) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(key, leaf);
    return leaf;
  }

  private async download(url: URL): Promise<X509Certificate[]> {
    let text: string;
    try {
      const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status}`);
      }
      const declared = Number(res.headers.get('content-length') ?? 0);
      if (declared > MAX_CERT_BYTES) throw new Error('the certificate file is too large');
      text = await res.text();
      if (text.length > MAX_CERT_BYTES) throw new Error('the certificate file is too large');
    } catch (error) {
      throw snsRefused(`the signing certificate could not be fetched (${(error as Error).message})`);
    }
    try {
      return parseCertificates(text);
    } catch {
      throw snsRefused('the signing certificate is not a PEM certificate');
    }
  }

  /** leaf → (intermediates from the same file) → a trust anchor, each link signed and in date. */
  private checkChain(leaf: X509Certificate, intermediates: readonly X509Certificate[]): void {
    const anchors = this.trustAnchors();
    const issuedBy = (child: X509Certificate, parent: X509Certificate) =>
      child.checkIssued(parent) && child.verify(parent.publicKey);
    let current = leaf;
    for (let depth = 0; depth < MAX_CHAIN; depth++) {
      if (!this.withinValidity(current))
        throw snsRefused('a certificate of the signing chain is expired or not yet valid');
      const anchor = anchors.find((a) => issuedBy(current, a));
      if (anchor) {
        if (!this.withinValidity(anchor)) throw snsRefused('the trusted CA certificate is expired or not yet valid');
        return;
      }
      const next = intermediates.find((i) => i.ca && i !== current && issuedBy(current, i));
      if (!next) break;
      current = next;
    }
    throw snsRefused('the signing certificate does not chain to a trusted CA');
  }

  private withinValidity(certificate: X509Certificate): boolean {
    const now = this.now().getTime();
    return new Date(certificate.validFrom).getTime() <= now && now <= new Date(certificate.validTo).getTime();
  }

  private trustAnchors(): readonly X509Certificate[] {
    this.anchors ??= this.trust.caCertificates ?? rootCertificates.map((pem) => new X509Certificate(pem));
    return this.anchors;
  }
}
