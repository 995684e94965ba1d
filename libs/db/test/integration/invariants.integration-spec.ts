import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import {
  createPrismaClient,
  EndpointVariantRepository,
  type FledgeDatabase,
  inTransaction,
  nextModelVersion,
  type PrismaClient,
  withDbErrors,
} from '@fledge/db';
import { FledgeError } from '@fledge/errors';
import { testDatabaseUrl } from '@fledge/testing';

jest.setTimeout(60_000);

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function rejection(promise: Promise<unknown>): Promise<FledgeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof FledgeError)) throw new Error(`expected a FledgeError, got ${String(error)}`);
  return error;
}

async function modelWithVersions(prisma: PrismaClient, count: number) {
  const model = await prisma.model.create({
    data: { name: unique('model'), task: 'classification', modality: 'tabular', owner: 'alice' },
  });
  const versions = [];
  for (let version = 1; version <= count; version++) {
    versions.push(
      await prisma.modelVersion.create({
        data: {
          modelId: model.id,
          version,
          artifactUri: `s3://bucket/models/${model.id}/${version}`,
          sha256: 'a'.repeat(64),
          sizeBytes: 1024n,
          signature: { inputs: [], outputs: [] },
          createdBy: 'alice',
        },
      }),
    );
  }
  return { model, versions };
}

const backends: [string, () => Promise<FledgeDatabase>][] = [
  ['PostgreSQL', () => createPrismaClient({ databaseUrl: testDatabaseUrl(), poolMax: 10 })],
  ['embedded PGlite', () => createPrismaClient({ embeddedDataDir: 'memory://' })],
];

describe.each(backends)('database invariants on %s', (_name, open) => {
  let db: FledgeDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await open();
    prisma = db.prisma;
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('consecutive model versions', () => {
    it('20 concurrent allocations get 1..20', async () => {
      const { model } = await modelWithVersions(prisma, 0);
      const register = () =>
        inTransaction(prisma, async (tx) => {
          const version = await nextModelVersion(tx, model.id);
          await tx.modelVersion.create({
            data: {
              modelId: model.id,
              version,
              artifactUri: `s3://bucket/${version}`,
              sha256: 'b'.repeat(64),
              sizeBytes: 1n,
              signature: {},
              createdBy: 'bob',
            },
          });
          return version;
        });

      const allocated = await Promise.all(Array.from({ length: 20 }, register));

      const expected = Array.from({ length: 20 }, (_, i) => i + 1);
      expect([...allocated].sort((a, b) => a - b)).toEqual(expected);
      const stored = await prisma.modelVersion.findMany({ where: { modelId: model.id }, orderBy: { version: 'asc' } });
      expect(stored.map((v) => v.version)).toEqual(expected);
    });

    it('the database rejects a duplicate version number', async () => {
      const { model, versions } = await modelWithVersions(prisma, 1);
      const duplicate = withDbErrors(() =>
        prisma.modelVersion.create({
          data: {
            ...versions[0],
            id: undefined,
            sizeBytes: 1n,
            signature: {},
            prediction: undefined,
            metadata: {},
            modelId: model.id,
          },
        }),
      );
      expect(await rejection(duplicate)).toMatchObject({ code: 'CONFLICT', reason: 'MODEL_VERSION_TAKEN' });
    });

    it('allocating for a missing model is NOT_FOUND', async () => {
      const missing = inTransaction(prisma, (tx) => nextModelVersion(tx, '00000000-0000-7000-8000-000000000000'));
      expect(await rejection(missing)).toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('one active rollout per endpoint', () => {
    it('rejects a second active rollout at the database and allows one after the first ends', async () => {
      const { versions } = await modelWithVersions(prisma, 3);
      const endpoint = await prisma.endpoint.create({ data: { name: unique('endpoint') } });
      const start = (candidate: number) =>
        withDbErrors(() =>
          prisma.rollout.create({
            data: {
              endpointId: endpoint.id,
              candidateVersionId: versions[candidate].id,
              baselineVersionId: versions[0].id,
              policy: {},
              createdBy: 'carol',
            },
          }),
        );

      const first = await start(1);
      await prisma.rollout.update({ where: { id: first.id }, data: { status: 'CANARY' } });

      const second = await rejection(start(2));
      expect(second).toMatchObject({ code: 'CONFLICT', reason: 'ROLLOUT_ALREADY_ACTIVE' });

      await prisma.rollout.update({ where: { id: first.id }, data: { status: 'ROLLED_BACK', finishedAt: new Date() } });
      const third = await start(2);
      expect(third.status).toBe('PENDING');
      // Another endpoint is independent.
      const other = await prisma.endpoint.create({ data: { name: unique('endpoint') } });
      await expect(
        prisma.rollout.create({
          data: { endpointId: other.id, candidateVersionId: versions[1].id, policy: {}, createdBy: 'carol' },
        }),
      ).resolves.toMatchObject({ status: 'PENDING' });
    });
  });

  describe('variant weights', () => {
    async function endpointWith(count: number) {
      const { versions } = await modelWithVersions(prisma, count);
      const endpoint = await prisma.endpoint.create({ data: { name: unique('endpoint') } });
      return { endpoint, versions, repo: new EndpointVariantRepository(prisma) };
    }
    const weights = async (endpointId: string) =>
      Object.fromEntries(
        (await prisma.endpointVariant.findMany({ where: { endpointId } })).map((v) => [v.modelVersionId, v.weight]),
      );

    it('90/10 → 75/25 in one transaction passes; a change leaving ≠ 100 is rejected at commit and changes nothing', async () => {
      const { endpoint, versions, repo } = await endpointWith(2);
      const [a, b] = versions.map((v) => v.id);
      await repo.replaceVariants(endpoint.id, [
        { modelVersionId: a, role: 'primary', weight: 90 },
        { modelVersionId: b, role: 'canary', weight: 10 },
      ]);

      await repo.replaceVariants(endpoint.id, [
        { modelVersionId: a, role: 'primary', weight: 75 },
        { modelVersionId: b, role: 'canary', weight: 25 },
      ]);
      expect(await weights(endpoint.id)).toEqual({ [a]: 75, [b]: 25 });

      const bad = await rejection(
        repo.replaceVariants(endpoint.id, [
          { modelVersionId: a, role: 'primary', weight: 70 },
          { modelVersionId: b, role: 'canary', weight: 25 },
        ]),
      );
      expect(bad).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'VARIANT_WEIGHTS_NOT_100' });
      expect(bad.message).toContain('sum to 95');
      expect(await weights(endpoint.id)).toEqual({ [a]: 75, [b]: 25 });

      // Statement by statement inside one transaction: intermediate sums (50 + 25) are fine.
      await inTransaction(prisma, async (tx) => {
        await tx.endpointVariant.update({
          where: { endpointId_modelVersionId: { endpointId: endpoint.id, modelVersionId: a } },
          data: { weight: 50 },
        });
        await tx.endpointVariant.update({
          where: { endpointId_modelVersionId: { endpointId: endpoint.id, modelVersionId: b } },
          data: { weight: 50 },
        });
      });
      expect(await weights(endpoint.id)).toEqual({ [a]: 50, [b]: 50 });

      // The same single change outside a transaction commits on its own and is refused.
      const lone = await rejection(
        withDbErrors(() =>
          prisma.endpointVariant.update({
            where: { endpointId_modelVersionId: { endpointId: endpoint.id, modelVersionId: a } },
            data: { weight: 60 },
          }),
        ),
      );
      expect(lone.reason).toBe('VARIANT_WEIGHTS_NOT_100');
      expect(await weights(endpoint.id)).toEqual({ [a]: 50, [b]: 50 });
    });

    it("a shadow variant's weight is not counted; removing every serving variant is allowed", async () => {
      const { endpoint, versions, repo } = await endpointWith(3);
      const [a, b, c] = versions.map((v) => v.id);

      const set = await repo.replaceVariants(endpoint.id, [
        { modelVersionId: a, role: 'primary', weight: 80 },
        { modelVersionId: b, role: 'canary', weight: 20 },
        { modelVersionId: c, role: 'shadow', weight: 30, shadowSampleRate: 0.5 },
      ]);
      expect(set).toHaveLength(3);

      const shadowCounted = await rejection(
        repo.replaceVariants(endpoint.id, [
          { modelVersionId: a, role: 'primary', weight: 70 },
          { modelVersionId: c, role: 'shadow', weight: 30, shadowSampleRate: 0.5 },
        ]),
      );
      expect(shadowCounted.reason).toBe('VARIANT_WEIGHTS_NOT_100');

      await repo.replaceVariants(endpoint.id, [{ modelVersionId: c, role: 'shadow', weight: 0, shadowSampleRate: 1 }]);
      expect(await repo.list(endpoint.id)).toHaveLength(1);
      await repo.replaceVariants(endpoint.id, []);
      expect(await repo.list(endpoint.id)).toEqual([]);
    });

    it('CHECKs reject a weight of 101 and a shadow sample rate above 1', async () => {
      const { endpoint, versions, repo } = await endpointWith(2);
      const [a, b] = versions.map((v) => v.id);

      const over = await rejection(
        repo.replaceVariants(endpoint.id, [{ modelVersionId: a, role: 'primary', weight: 101 }]),
      );
      expect(over).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'VARIANT_WEIGHT_OUT_OF_RANGE' });

      const negative = await rejection(
        repo.replaceVariants(endpoint.id, [
          { modelVersionId: a, role: 'primary', weight: 101 },
          { modelVersionId: b, role: 'canary', weight: -1 },
        ]),
      );
      expect(negative.reason).toBe('VARIANT_WEIGHT_OUT_OF_RANGE');

      const rate = await rejection(
        repo.replaceVariants(endpoint.id, [
          { modelVersionId: a, role: 'primary', weight: 100 },
          { modelVersionId: b, role: 'shadow', weight: 0, shadowSampleRate: 1.5 },
        ]),
      );
      expect(rate.reason).toBe('SHADOW_SAMPLE_RATE_OUT_OF_RANGE');
      expect(await repo.list(endpoint.id)).toEqual([]);
    });

    it('replacing the variants of a missing endpoint is NOT_FOUND', async () => {
      const repo = new EndpointVariantRepository(prisma);
      const missing = await rejection(repo.replaceVariants('00000000-0000-7000-8000-000000000000', []));
      expect(missing.code).toBe('NOT_FOUND');
    });
  });
});
