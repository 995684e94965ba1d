import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { OipClient } from './oip-client.js';
import { TrafficGenerator } from './traffic.js';

describe(OipClient.name, () => {
  let server: Server;
  let client: OipClient;
  const seen: { url: string; body: string; key: string | undefined }[] = [];
  /** Resolved once the server has received `count` requests in all. */

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ url: req.url!, body, key: req.headers['fledge-routing-key'] as string | undefined });
        if (req.url!.includes('missing')) {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"endpoint missing does not exist"}');
          return;
        }
        res
          .writeHead(200, {
            'content-type': 'application/json',
            'fledge-variant': 'digits-v1',
            'fledge-model-version': '1',
          })
          .end('{"model_name":"digits","outputs":[{"name":"label","datatype":"INT64","shape":[1],"data":[7]}]}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new OipClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts OIP JSON tensors and reads outputs and the answering variant', async () => {
    const result = await client.infer('digits', [{ name: 'pixels', datatype: 'FP32', shape: [1, 2], data: [0, 1] }], {
      version: 3,
      routingKey: 'user-1',
    });
    expect(result).toMatchObject({ status: 200, variant: 'digits-v1', modelVersion: '1', error: null });
    expect(result.outputs[0].data).toEqual([7]);
    expect(seen.at(-1)).toEqual({
      url: '/v2/models/digits/versions/3/infer',
      body: '{"inputs":[{"name":"pixels","datatype":"FP32","shape":[1,2],"data":[0,1]}]}',
      key: 'user-1',
    });
  });

  it('returns HTTP errors as results, with the OIP error message', async () => {
    const result = await client.infer('missing', []);
    expect(result).toMatchObject({ status: 404, error: 'endpoint missing does not exist', variant: null });
  });

  it('generates steady traffic and counts outcomes by variant and status', async () => {
    const traffic = new TrafficGenerator(client, {
      endpoint: 'digits',
      ratePerSecond: 400,
      inputs: () => [{ name: 'pixels', datatype: 'FP32', shape: [1, 1], data: [1] }],
    }).start();
    await traffic.answered(50);
    const report = await traffic.stop();
    expect(report.sent).toBeGreaterThanOrEqual(50);
    expect(report.ok).toBe(report.sent);
    expect(report.byVariant).toEqual({ 'digits-v1': report.sent });
    expect(TrafficGenerator.failures(report)).toBe(0);
  });
});
