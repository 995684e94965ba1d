import { type PrismaClient } from '@fledge/db';

const signature = {
  inputs: [{ name: 'pixels', datatype: 'FP32', shape: [-1, 784] }],
  outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 10] }],
};

/**
 * Seeds `models` models × `versions` versions, an evaluation per version and a `production`
 * alias per model, with bulk inserts (the registry's own write path is measured elsewhere).
 */
export async function seedRegistry(
  prisma: PrismaClient,
  prefix: string,
  models: number,
  versions: number,
): Promise<void> {
  const dataset = await prisma.dataset.create({ data: { name: `${prefix}-eval`, owner: 'bench' } });
  const datasetVersion = await prisma.datasetVersion.create({
    data: {
      datasetId: dataset.id,
      version: 1,
      uri: 's3://bench/data',
      sha256: '0'.repeat(64),
      sizeBytes: 1n,
      rowCount: 2000,
      format: 'jsonl',
      featureColumns: ['pixels'],
      labelColumn: 'label',
      createdBy: 'bench',
    },
  });
  for (let start = 0; start < models; start += 100) {
    const batch = Array.from({ length: Math.min(100, models - start) }, (_, i) => ({
      name: `${prefix}-${String(start + i).padStart(5, '0')}`,
      task: 'classification' as const,
      modality: 'image' as const,
      owner: 'bench',
    }));
    const created = await prisma.model.createManyAndReturn({ data: batch, select: { id: true } });
    const rows = created.flatMap((m) =>
      Array.from({ length: versions }, (_, v) => ({
        modelId: m.id,
        version: v + 1,
        artifactUri: `s3://bench/${m.id}/${v + 1}`,
        sha256: 'f'.repeat(64),
        sizeBytes: 407_915n,
        signature,
        createdBy: 'bench',
      })),
    );
    const createdVersions = await prisma.modelVersion.createManyAndReturn({
      data: rows,
      select: { id: true, modelId: true, version: true },
    });
    await prisma.evaluation.createMany({
      data: createdVersions.map((v) => ({
        modelVersionId: v.id,
        datasetVersionId: datasetVersion.id,
        status: 'succeeded' as const,
        metrics: { accuracy: 0.9 + v.version / 1000, macroF1: 0.9 },
        rowsDone: 2000,
        rowsTotal: 2000,
        createdBy: 'bench',
      })),
    });
    await prisma.modelAlias.createMany({
      data: createdVersions
        .filter((v) => v.version === versions)
        .map((v) => ({ modelId: v.modelId, name: 'production', versionId: v.id })),
    });
  }
}
