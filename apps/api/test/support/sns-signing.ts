import { execFileSync } from 'node:child_process';
import { createSign, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestPki {
  dir: string;
  caPem: string;
  /** A signing certificate issued by the CA, and its key. */
  certPem: string;
  keyPem: string;
  /** A certificate and key from another, untrusted CA. */
  strangerCertPem: string;
  strangerKeyPem: string;
  cleanup(): void;
}

/** A private CA and an SNS-like signing certificate, made with Debian's openssl. */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'fledge-sns-pki-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  // Command lines as text: none of the names or values holds a space.
  const run = (command: string, ...extra: string[]) => openssl(...command.split(' '), ...extra);
  const ca = (name: string) =>
    run(
      `req -x509 -newkey rsa:2048 -nodes -keyout ${name}.key -out ${name}.pem -days 2 -subj /CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  const leaf = (name: string, caName: string) => {
    run(`req -newkey rsa:2048 -nodes -keyout ${name}.key -out ${name}.csr -subj /CN=sns.amazonaws.com`);
    run(`x509 -req -in ${name}.csr -CA ${caName}.pem -CAkey ${caName}.key -CAcreateserial -out ${name}.pem -days 1`);
  };
  ca('test-sns-ca');
  leaf('signer', 'test-sns-ca');
  ca('stranger-ca');
  leaf('stranger', 'stranger-ca');
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  return {
    dir,
    caPem: path.join(dir, 'test-sns-ca.pem'),
    certPem: read('signer.pem'),
    keyPem: read('signer.key'),
    strangerCertPem: read('stranger.pem'),
    strangerKeyPem: read('stranger.key'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A loopback server standing in for SNS: serves certificates and records subscription confirmations. */
export class FakeSnsHost {
  readonly files = new Map<string, string>();
  readonly visited: string[] = [];
  private server!: Server;
  origin = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.visited.push(req.url ?? '');
      const file = this.files.get(req.url ?? '');
      if (file !== undefined) {
        res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(file);
      } else if (req.url?.startsWith('/confirm')) {
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<ConfirmSubscriptionResponse/>');
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

type SnsType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/**
 * An SNS HTTP delivery signed as AWS signs it: SignatureVersion 1 = SHA1withRSA, 2 =
 * SHA256withRSA, over `name\nvalue\n` for the type's fields in byte order (Subject only if present).
 */
export function signedSnsMessage(
  fields: { Type: SnsType; Message: string; TopicArn?: string; Subject?: string; SubscribeURL?: string },
  signer: { keyPem: string; certUrl: string; version: '1' | '2' },
): Record<string, string> {
  const message: Record<string, string> = {
    Type: fields.Type,
    MessageId: randomUUID(),
    TopicArn: fields.TopicArn ?? 'arn:aws:sns:us-east-1:123456789012:fledge-alarms',
    Message: fields.Message,
    Timestamp: new Date().toISOString(),
    SignatureVersion: signer.version,
    SigningCertURL: signer.certUrl,
  };
  if (fields.Subject !== undefined) message.Subject = fields.Subject;
  const signed =
    fields.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  if (fields.Type !== 'Notification') {
    message.Token = 'a'.repeat(64);
    message.SubscribeURL = fields.SubscribeURL ?? '';
  }
  const text = signed
    .filter((name) => message[name] !== undefined)
    .map((name) => `${name}\n${message[name]}\n`)
    .join('');
  message.Signature = createSign(signer.version === '1' ? 'RSA-SHA1' : 'RSA-SHA256')
    .update(text, 'utf8')
    .sign(signer.keyPem, 'base64');
  return message;
}

export function cloudWatchAlarm(name: string, endpoint: string, state: 'ALARM' | 'OK' = 'ALARM'): string {
  return JSON.stringify({
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`,
    NewStateValue: state,
    NewStateReason: `Threshold Crossed: ${name}`,
    Trigger: { Dimensions: [{ name: 'EndpointName', value: endpoint }] },
  });
}
