import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SearchAttributeType } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { stackEnv } from '@fledge/testing';
import { FledgeEndpointAttribute, fledgeSearchAttributes } from '@fledge/workflows';

import { addMissingSearchAttributes } from '../../src/temporal-search-attributes.js';

// The all-in-one process keeps its Temporal dev server's data between runs; one created by an
// earlier Fledge knows only the attributes of its day.
describe(addMissingSearchAttributes.name, () => {
  let dir: string;
  const devServer = (searchAttributes: { name: string; type: SearchAttributeType }[]) =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: stackEnv().temporalCli },
        ip: '127.0.0.1',
        dbFilename: path.join(dir, 'temporal.db'),
        namespace: 'default',
        searchAttributes,
      },
    });
  const registered = async (env: TestWorkflowEnvironment) =>
    Object.keys(
      (await env.connection.operatorService.listSearchAttributes({ namespace: 'default' })).customAttributes ?? {},
    ).filter((name) => name.startsWith('Fledge'));

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fledge-temporal-'));
    const earlier = await devServer([FledgeEndpointAttribute]);
    await earlier.teardown();
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('registers on a server started on earlier data what its start-up flags did not', async () => {
    const env = await devServer([...fledgeSearchAttributes]);
    try {
      expect(await registered(env)).toEqual(['FledgeEndpoint']);
      const others = fledgeSearchAttributes.map((k) => k.name).filter((name) => name !== 'FledgeEndpoint');
      expect((await addMissingSearchAttributes(env.connection, 'default')).sort()).toEqual([...others].sort());
      expect((await registered(env)).sort()).toEqual(fledgeSearchAttributes.map((k) => k.name).sort());
      expect(await addMissingSearchAttributes(env.connection, 'default')).toEqual([]);
    } finally {
      await env.teardown();
    }
  });
});
