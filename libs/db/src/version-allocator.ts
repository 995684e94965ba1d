import { notFound } from '@fledge/errors';

import { type TxClient } from './transaction.js';

const parents = {
  model: { parent: 'models', children: 'model_versions', key: 'model_id' },
  dataset: { parent: 'datasets', children: 'dataset_versions', key: 'dataset_id' },
} as const;

async function nextVersion(tx: TxClient, kind: keyof typeof parents, parentId: string): Promise<number> {
  const { parent, children, key } = parents[kind];
  // The parent row lock queues concurrent allocations for the same parent until the holder
  // commits; READ COMMITTED then lets the next one see the version just inserted.
  const locked = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM "${parent}" WHERE id = $1::uuid FOR UPDATE`,
    parentId,
  );
  if (locked.length === 0)
    throw notFound(`${kind} ${parentId} does not exist`, { reason: `${kind.toUpperCase()}_NOT_FOUND` });
  const [{ next }] = await tx.$queryRawUnsafe<{ next: number }[]>(
    `SELECT (COALESCE(MAX(version), 0) + 1)::int AS next FROM "${children}" WHERE "${key}" = $1::uuid`,
    parentId,
  );
  return next;
}

/**
 * The next consecutive version number of a model (1, 2, 3, ...). Call it inside the transaction
 * that inserts the version (at READ COMMITTED, Prisma's default): the lock it takes on the model
 * row is held until that transaction ends, so concurrent registrations get distinct, gap-free
 * numbers. The unique (model_id, version) index backs this up.
 */
export function nextModelVersion(tx: TxClient, modelId: string): Promise<number> {
  return nextVersion(tx, 'model', modelId);
}

/** Like {@link nextModelVersion}, for dataset versions. */
export function nextDatasetVersion(tx: TxClient, datasetId: string): Promise<number> {
  return nextVersion(tx, 'dataset', datasetId);
}
