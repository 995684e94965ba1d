import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditEventsDocument, CreateEndpointDocument, EndpointDocument } from '@fledge/client';
import { serverTestEnv, startTestApi, uniqueName, type TestApi } from '@fledge/testing';

import { SnsMessageVerifier } from '../../src/rollout/sns-message.verifier.js';
import { cloudWatchAlarm, createTestPki, FakeSnsHost, signedSnsMessage, type TestPki } from '../support/sns-signing.js';

describe('the SNS webhook accepts only messages signed by a trusted SNS certificate', () => {
  let pki: TestPki;
  let host: FakeSnsHost;
  let stranger: FakeSnsHost;
  let api: TestApi;
  let endpoint: string;

  beforeAll(async () => {
    pki = createTestPki();
    host = await new FakeSnsHost().start();
    stranger = await new FakeSnsHost().start();
    host.files.set('/cert.pem', pki.certPem);
    host.files.set('/stranger.pem', pki.strangerCertPem);
    stranger.files.set('/cert.pem', pki.certPem);
    api = await startTestApi(
      serverTestEnv({ FLEDGE_SNS_CERT_HOSTS: new URL(host.origin).host, FLEDGE_SNS_CA_FILE: pki.caPem }),
    );
    endpoint = uniqueName('sns');
    await api.client('engineer').request(CreateEndpointDocument, { input: { name: endpoint } });
  });

  afterAll(async () => {
    await api?.close();
    await host?.stop();
    await stranger?.stop();
    pki?.cleanup();
  });

  const post = async (body: unknown, key: string | null = api.keys.alerts) => {
    const res = await fetch(`${api.url}/webhooks/sns`, {
      method: 'POST',
      // SNS posts JSON as text/plain, with the credentials of the subscription URL as Basic auth.
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        ...(key ? { authorization: `Basic ${Buffer.from(`sns:${key}`).toString('base64')}` } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const alarms = async () =>
    (await api.client().request(EndpointDocument, { name: endpoint, alarms: 100 })).endpoint!.alarms.map(
      ({ name, state }) => ({ name, state }),
    );
  const alarmAudits = async () =>
    (await api.client().request(AuditEventsDocument, { subjectType: 'alarm', first: 1 })).auditEvents.totalCount;
  const notification = (name: string, signer: { keyPem?: string; certUrl?: string; version?: '1' | '2' } = {}) =>
    signedSnsMessage(
      { Type: 'Notification', Subject: `ALARM: "${name}"`, Message: cloudWatchAlarm(name, endpoint) },
      {
        keyPem: signer.keyPem ?? pki.keyPem,
        certUrl: signer.certUrl ?? `${host.origin}/cert.pem`,
        version: signer.version ?? '2',
      },
    );

  it.each(['1', '2'] as const)('stores a CloudWatch alarm signed with SignatureVersion %s', async (version) => {
    const name = `HighLatency-v${version}`;
    const answer = await post(notification(name, { version }));
    expect(answer).toMatchObject({ status: 200, body: { accepted: 1, alarms: [{ name, state: 'firing' }] } });
    expect((await alarms()).map((a) => a.name)).toContain(name);
  });

  it('verifies a message without a Subject (it is then not part of the signed string)', async () => {
    const message = signedSnsMessage(
      { Type: 'Notification', Message: cloudWatchAlarm('NoSubject', endpoint) },
      { keyPem: pki.keyPem, certUrl: `${host.origin}/cert.pem`, version: '1' },
    );
    expect((await post(message)).status).toBe(200);
  });

  it.each([
    ['unsigned', () => ({ ...notification('Unsigned'), Signature: undefined })],
    [
      'with the message changed after signing',
      () => ({ ...notification('Tampered'), Message: cloudWatchAlarm('Other', 'x') }),
    ],
    ['signed with another key', () => notification('OtherKey', { keyPem: pki.strangerKeyPem })],
    [
      'whose certificate chains to an untrusted CA',
      () => notification('Stranger', { keyPem: pki.strangerKeyPem, certUrl: `${host.origin}/stranger.pem` }),
    ],
    [
      'whose certificate URL is on a host not allow-listed',
      () => notification('OtherHost', { certUrl: `${stranger.origin}/cert.pem` }),
    ],
    [
      'whose certificate URL is https on a loopback port not allow-listed',
      () => notification('Https', { certUrl: 'https://127.0.0.1:1/cert.pem' }),
    ],
    ['whose certificate is missing', () => notification('Missing', { certUrl: `${host.origin}/nothing.pem` })],
    ['with an unknown SignatureVersion', () => ({ ...notification('Version'), SignatureVersion: '3' })],
  ])('refuses a message %s with 403, storing nothing', async (_what, build) => {
    const [before, auditsBefore] = [(await alarms()).length, await alarmAudits()];
    const strangerVisits = stranger.visited.length;
    const answer = await post(build());
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatchObject({ code: 'FORBIDDEN', reason: 'SNS_SIGNATURE_INVALID' });
    expect((await alarms()).length).toBe(before);
    expect(await alarmAudits()).toBe(auditsBefore);
    expect(stranger.visited.length).toBe(strangerVisits);
  });

  it('refuses a signed message from a key without the alerts role (engineer: 403) and without a key (401)', async () => {
    const before = (await alarms()).length;
    expect((await post(notification('Engineer'), api.keys.engineer)).status).toBe(403);
    expect((await post(notification('NoKey'), null)).status).toBe(401);
    expect((await post(notification('Admin'), api.keys.admin)).status).toBe(200);
    expect((await alarms()).length).toBe(before + 1);
  });

  it('confirms a signed subscription by visiting SubscribeURL, and never an unsigned or foreign one', async () => {
    const confirm = `${host.origin}/confirm?Action=ConfirmSubscription&Token=t1`;
    const signed = signedSnsMessage(
      { Type: 'SubscriptionConfirmation', Message: 'You have chosen to subscribe', SubscribeURL: confirm },
      { keyPem: pki.keyPem, certUrl: `${host.origin}/cert.pem`, version: '1' },
    );
    const answer = await post(signed);
    expect(answer).toMatchObject({ status: 200, body: { subscription: 'confirmed' } });
    expect(host.visited).toContain('/confirm?Action=ConfirmSubscription&Token=t1');

    const forged = { ...signed, SubscribeURL: `${host.origin}/confirm?Token=forged` };
    expect((await post(forged)).status).toBe(403);
    const elsewhere = signedSnsMessage(
      { Type: 'SubscriptionConfirmation', Message: 'x', SubscribeURL: `${stranger.origin}/confirm?Token=t2` },
      { keyPem: pki.keyPem, certUrl: `${host.origin}/cert.pem`, version: '2' },
    );
    expect((await post(elsewhere)).status).toBe(403);
    expect(host.visited).not.toContain('/confirm?Token=forged');
    expect(stranger.visited.filter((v) => v.startsWith('/confirm'))).toEqual([]);
  });

  it('fetches a signing certificate once and reuses it', async () => {
    const fetches = () => host.visited.filter((v) => v === '/cert.pem').length;
    await post(notification('Cache1'));
    const after = fetches();
    await post(notification('Cache2'));
    await post(notification('Cache3'));
    expect(fetches()).toBe(after);
  });

  it('refuses a signing certificate outside its validity dates', async () => {
    const caCertificates = [new X509Certificate(readFileSync(pki.caPem, 'utf8'))];
    const trust = { certHosts: [new URL(host.origin).host], caCertificates };
    const message = notification('Expired');
    await expect(new SnsMessageVerifier(trust).verify(message)).resolves.toBe('Notification');
    const inTenDays = () => new Date(Date.now() + 10 * 86_400_000);
    await expect(new SnsMessageVerifier(trust, inTenDays).verify(message)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/expired or not yet valid/),
    });
  });
});
