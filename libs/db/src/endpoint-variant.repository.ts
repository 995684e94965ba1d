import { invalidArgument, notFound } from '@fledge/errors';

import { type EndpointVariant, type PrismaClient, type VariantRole } from './generated/prisma/client.js';
import { inTransaction, type TxClient } from './transaction.js';

export interface VariantInput {
  modelVersionId: string;
  role: VariantRole;
  /** Percentage of live traffic (0..100); serving variants must sum to 100. Ignored for shadow. */
  weight: number;
  /** Fraction of requests mirrored to a shadow variant (0..1). */
  shadowSampleRate?: number;
}

/** Endpoint variants; the only writer of traffic weights. */
export class EndpointVariantRepository {
  constructor(private readonly prisma: PrismaClient) {}

  list(endpointId: string): Promise<EndpointVariant[]> {
    return this.prisma.endpointVariant.findMany({ where: { endpointId }, orderBy: { createdAt: 'asc' } });
  }

  /**
   * Makes `variants` the endpoint's complete variant set in one transaction: variants not listed
   * are removed, the others created or updated. The database checks the weight invariant at
   * commit, so a rejected change leaves the previous set untouched.
   */
  async replaceVariants(endpointId: string, variants: readonly VariantInput[]): Promise<EndpointVariant[]> {
    const ids = variants.map((v) => v.modelVersionId);
    if (new Set(ids).size !== ids.length) {
      throw invalidArgument('a model version may appear only once among an endpoint’s variants', {
        reason: 'DUPLICATE_VARIANT',
      });
    }
    return inTransaction(this.prisma, async (tx) => {
      await writeVariants(tx, endpointId, variants);
      return tx.endpointVariant.findMany({ where: { endpointId }, orderBy: { createdAt: 'asc' } });
    });
  }
}

/**
 * Makes `variants` the endpoint's variant set inside the caller's transaction (the endpoint row is
 * locked, so concurrent traffic changes queue up); the weight invariant is checked at its commit.
 */
export async function writeVariants(
  tx: TxClient,
  endpointId: string,
  variants: readonly VariantInput[],
): Promise<void> {
  const ids = variants.map((v) => v.modelVersionId);
  const locked = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM endpoints WHERE id = ${endpointId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw notFound(`endpoint ${endpointId} does not exist`, { reason: 'ENDPOINT_NOT_FOUND' });
  await tx.endpointVariant.deleteMany({ where: { endpointId, modelVersionId: { notIn: ids } } });
  for (const v of variants) {
    const fields = { role: v.role, weight: v.weight, shadowSampleRate: v.shadowSampleRate ?? 0 };
    await tx.endpointVariant.upsert({
      where: { endpointId_modelVersionId: { endpointId, modelVersionId: v.modelVersionId } },
      create: { endpointId, modelVersionId: v.modelVersionId, ...fields },
      update: fields,
    });
  }
}
