import { ModelWithVersionsDocument, type FledgeClient } from '@fledge/client';
import { FledgeError } from '@fledge/errors';

import { required } from '../client/required.js';
import { type VersionRef } from './args.util.js';

/** The version number a ref names, looking an alias up on the model. */
export async function resolveModelVersion(client: FledgeClient, ref: VersionRef): Promise<number> {
  if (ref.version !== undefined) return ref.version;
  const { model: found } = await client.request(ModelWithVersionsDocument, { name: ref.name, first: 1 });
  const model = required(found, 'model', ref.name);
  if (ref.alias === undefined) {
    if (!model.latestVersion) {
      throw new FledgeError('NOT_FOUND', `model ${ref.name} has no versions`, { reason: 'MODEL_VERSION_NOT_FOUND' });
    }
    return model.latestVersion.version;
  }
  const alias = model.aliases.find((a) => a.name === ref.alias);
  if (!alias) {
    throw new FledgeError('NOT_FOUND', `model ${ref.name} has no alias ${ref.alias}`, {
      reason: 'MODEL_ALIAS_NOT_FOUND',
      details: { model: ref.name, alias: ref.alias, aliases: model.aliases.map((a) => a.name) },
    });
  }
  return alias.version;
}
