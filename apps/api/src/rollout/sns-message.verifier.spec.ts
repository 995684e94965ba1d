import { describe, expect, it } from '@jest/globals';

import { snsStringToSign, snsUrlAllowed } from './sns-message.verifier.js';

describe(snsUrlAllowed.name, () => {
  const aws = ['sns.*.amazonaws.com', 'sns.*.amazonaws.com.cn'];
  const allowed = (url: string, hosts = aws) => snsUrlAllowed(new URL(url), hosts);

  it("accepts AWS's SNS hosts over https and nothing that merely looks like them", () => {
    expect(allowed('https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem')).toBe(true);
    expect(allowed('https://sns.cn-north-1.amazonaws.com.cn/cert.pem')).toBe(true);
    for (const url of [
      'http://sns.us-east-1.amazonaws.com/cert.pem',
      'https://sns.us-east-1.amazonaws.com.evil.example/cert.pem',
      'https://evil.example/sns.us-east-1.amazonaws.com/cert.pem',
      'https://sns.a.b.amazonaws.com/cert.pem',
      'https://sns.us-east-1.amazonaws.com:8443/cert.pem',
      'https://user:pw@sns.us-east-1.amazonaws.com/cert.pem',
      'file:///etc/passwd',
    ]) {
      expect(allowed(url)).toBe(false);
    }
  });

  it('takes ports in entries, and http only on loopback hosts', () => {
    expect(allowed('http://127.0.0.1:5055/cert.pem', ['127.0.0.1:5055'])).toBe(true);
    expect(allowed('http://127.0.0.1:5056/cert.pem', ['127.0.0.1:5055'])).toBe(false);
    expect(allowed('http://[::1]:5055/cert.pem', ['[::1]:5055'])).toBe(true);
    expect(allowed('http://localhost/cert.pem', ['localhost'])).toBe(true);
    expect(allowed('http://10.0.0.1:5055/cert.pem', ['10.0.0.1:5055'])).toBe(false);
    expect(allowed('https://10.0.0.1:5055/cert.pem', ['10.0.0.1:5055'])).toBe(true);
  });
});

describe(snsStringToSign.name, () => {
  it("lays out AWS's canonical string, leaving out an absent Subject", () => {
    const message = { Type: 'Notification', Message: 'm', MessageId: 'id', Timestamp: 't', TopicArn: 'arn' };
    expect(snsStringToSign(message, 'Notification')).toBe(
      'Message\nm\nMessageId\nid\nTimestamp\nt\nTopicArn\narn\nType\nNotification\n',
    );
    expect(snsStringToSign({ ...message, Subject: 's' }, 'Notification')).toContain('MessageId\nid\nSubject\ns\n');
    expect(() => snsStringToSign({ ...message, Token: 'x' }, 'SubscriptionConfirmation')).toThrow(/SubscribeURL/);
  });
});
