// The client side of `npm run bench:judge`, in its own process so its CPU and event loop are not
// the control plane's: steady open-loop traffic of real digits to one endpoint, of which a share
// can be made malformed (a hostile client). Commands on stdin, one per line:
//   hostile <fraction>   from now on, this share of requests is malformed (wrong shape or input name)
//   snapshot             prints {"type":"snapshot","report":…} on stdout
//   stop                 stops, waits for the requests in flight, prints a last snapshot, exits
// Usage: node --import scripts/ts-hooks.mjs apps/standalone/bench/judge-traffic.ts <servingUrl> <endpoint> <ratePerSecond>
import { createInterface } from 'node:readline';

import { OipClient, type OipTensor, TrafficGenerator } from '@fledge/oip-client';
import { DIGITS_WIDTH, loadDigits } from '@fledge/trainer';

const [servingUrl, endpoint, rate] = process.argv.slice(2);
if (!servingUrl || !endpoint || !(Number(rate) > 0)) {
  console.error('usage: judge-traffic.ts <servingUrl> <endpoint> <ratePerSecond>');
  process.exit(2);
}

const digits = loadDigits().test;
const rows: OipTensor[][] = Array.from({ length: digits.rows }, (_, r) => [
  {
    name: 'pixels',
    datatype: 'FP32',
    shape: [1, DIGITS_WIDTH],
    data: Array.from(digits.features.subarray(r * DIGITS_WIDTH, (r + 1) * DIGITS_WIDTH)),
  },
]);
// Refused with 400 by any runtime that checks requests against the model's signature.
const malformed: OipTensor[][] = [
  [{ name: 'pixels', datatype: 'FP32', shape: [1, DIGITS_WIDTH - 1], data: rows[0][0].data.slice(1) as number[] }],
  [{ name: 'image', datatype: 'FP32', shape: [1, DIGITS_WIDTH], data: rows[1][0].data }],
];

let hostileShare = 0;
let hostileSent = 0;
const oip = new OipClient(servingUrl);
const traffic = new TrafficGenerator(oip, {
  endpoint,
  ratePerSecond: Number(rate),
  // Deterministic: request i is malformed when it falls in the hostile share of its block of 100.
  inputs: (i) => {
    if ((i % 100) / 100 < hostileShare) return malformed[hostileSent++ % malformed.length];
    return rows[i % rows.length];
  },
}).start();

const report = () => process.stdout.write(`${JSON.stringify({ type: 'snapshot', report: traffic.snapshot() })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const [command, arg] = line.trim().split(/\s+/);
  if (command === 'hostile') hostileShare = Math.min(1, Math.max(0, Number(arg) || 0));
  else if (command === 'snapshot') report();
  else if (command === 'stop') break;
}
await traffic.stop();
oip.close();
// stdin stays open (the parent owns it): exit once the last snapshot is written.
process.stdout.write(`${JSON.stringify({ type: 'snapshot', report: traffic.snapshot() })}\n`, () => process.exit(0));
