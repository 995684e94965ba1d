// Checks that the stack's AWS stand-in (moto) does what Fledge relies on, through the AWS SDK v3:
// S3 bucket creation, PutObject/GetObject (buffer and stream bodies, byte-exact), a multipart
// upload through lib-storage, a 404 for a missing key; SageMaker and CloudWatch answer.
// Usage: node scripts/stack-aws-check.mjs   (reads FLEDGE_STACK_S3_ENDPOINT and AWS_* from env)
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ListEndpointsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetMetricDataCommand, PutMetricDataCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';

const endpoint = process.env.FLEDGE_STACK_S3_ENDPOINT;
if (!endpoint) {
  console.error('stack-aws-check: FLEDGE_STACK_S3_ENDPOINT is not set (source .stack/stack.env)');
  process.exit(2);
}
const s3 = new S3Client({ endpoint, forcePathStyle: true, region: process.env.AWS_REGION ?? 'us-east-1' });
const bucket = `stack-check-${randomUUID()}`;
const sha = (buf) => createHash('sha256').update(buf).digest('hex');
const read = async (key) =>
  Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body.transformToByteArray());
const check = (ok, what) => {
  if (!ok) throw new Error(`stack-aws-check: ${what}`);
  console.log(`stack-aws-check: ok ${what}`);
};

const keys = [];
try {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const small = randomBytes(1024);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'small', Body: small }));
  keys.push('small');
  check(sha(await read('small')) === sha(small), 'PutObject/GetObject round trip (buffer body)');

  // A stream body makes the SDK send aws-chunked framing with a trailing checksum; a server that
  // stores the framing verbatim (s3rver does) corrupts the object.
  const framed = randomBytes(200_000);
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: 'framed',
      Body: Readable.from([framed]),
      ContentLength: framed.length,
    }),
  );
  keys.push('framed');
  check(sha(await read('framed')) === sha(framed), 'PutObject with a stream body (aws-chunked) is byte-exact');

  const streamed = randomBytes(300_000);
  await new Upload({ client: s3, params: { Bucket: bucket, Key: 'streamed', Body: Readable.from([streamed]) } }).done();
  keys.push('streamed');
  check(sha(await read('streamed')) === sha(streamed), 'single-part streamed upload is byte-exact');

  const big = randomBytes(12 * 1024 * 1024);
  const chunks = [];
  for (let i = 0; i < big.length; i += 1024 * 1024) chunks.push(big.subarray(i, i + 1024 * 1024));
  const upload = new Upload({
    client: s3,
    partSize: 5 * 1024 * 1024,
    queueSize: 2,
    params: { Bucket: bucket, Key: 'multi', Body: Readable.from(chunks) },
  });
  let parts = 0;
  upload.on('httpUploadProgress', (p) => (parts = Math.max(parts, p.part ?? 0)));
  await upload.done();
  keys.push('multi');
  check(parts >= 3, `multipart upload used ${parts} parts`);
  check(sha(await read('multi')) === sha(big), 'multipart upload (12 MiB streamed) is byte-exact');

  let missing;
  try {
    await read('missing');
  } catch (e) {
    missing = e;
  }
  check(
    missing?.name === 'NoSuchKey' || missing?.$metadata?.httpStatusCode === 404,
    'GetObject of a missing key fails with 404',
  );
} finally {
  for (const Key of keys) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key })).catch(() => {});
  await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => {});
}

const region = process.env.AWS_REGION ?? 'us-east-1';
const endpoints = await new SageMakerClient({ endpoint, region }).send(new ListEndpointsCommand({}));
check(Array.isArray(endpoints.Endpoints), 'SageMaker ListEndpoints answers');
const cw = new CloudWatchClient({ endpoint, region });
const namespace = `StackCheck/${randomUUID()}`;
const now = new Date();
await cw.send(
  new PutMetricDataCommand({ Namespace: namespace, MetricData: [{ MetricName: 'Probe', Value: 42, Timestamp: now }] }),
);
const data = await cw.send(
  new GetMetricDataCommand({
    StartTime: new Date(now.getTime() - 60_000),
    EndTime: new Date(now.getTime() + 60_000),
    MetricDataQueries: [
      { Id: 'p', MetricStat: { Metric: { Namespace: namespace, MetricName: 'Probe' }, Period: 60, Stat: 'Sum' } },
    ],
  }),
);
check(data.MetricDataResults?.[0]?.Values?.[0] === 42, 'CloudWatch PutMetricData/GetMetricData round trip');
