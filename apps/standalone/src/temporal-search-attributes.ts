import { type Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { fledgeSearchAttributes } from '@fledge/workflows';

/**
 * Adds the Fledge search attributes the namespace lacks and returns their names. The dev server
 * registers its `--search-attribute`s only when it creates its database, so a data directory from
 * an earlier Fledge lacks the ones added since, and workflows carrying them could not start.
 */
export async function addMissingSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = fledgeSearchAttributes.filter((key) => !(key.name in (customAttributes ?? {})));
  if (missing.length > 0) {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
      ),
    });
  }
  return missing.map((key) => key.name);
}
