import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serverTestEnv, startTestApi, uniqueName, type TestApi, type TestRole } from '@fledge/testing';
import { getModel } from '@fledge/trainer';

import { createModel, errorCode, expectData, REGISTER_MODEL_VERSION, upload } from '../support/registry-client.js';

type Caller = TestRole | 'none' | 'revoked';
type Outcome = 'allowed' | 'FORBIDDEN' | 'UNAUTHENTICATED';

interface MutationCase {
  name: string;
  /** The least role allowed. */
  role: TestRole;
  /** Performs the mutation with the given key; returns the GraphQL result. */
  run: (key: string | null) => Promise<{ data?: any; errors?: { extensions?: Record<string, unknown> }[] }>;
  /** The audit action an allowed call writes. */
  audit: string;
}

const rank: Record<TestRole, number> = { viewer: 0, scientist: 1, engineer: 2, admin: 3 };

describe('authorization matrix: every mutation × every caller', () => {
  let api: TestApi;
  let revokedKey: string;
  let model: string;
  let dataset: string;
  let onnx: Uint8Array;

  beforeAll(async () => {
    api = await startTestApi(serverTestEnv());
    onnx = (await getModel('digits-mlp')).onnx;
    model = uniqueName('authz');
    dataset = uniqueName('authz-ds');
    expectData(await createModel(api, api.keys.admin, model));
    expectData(
      await api.graphql('mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }', {
        i: { name: dataset },
      }),
    );
    const up = await upload(api, api.keys.admin, 'model', onnx);
    expectData(await api.graphql(REGISTER_MODEL_VERSION, { input: { model, uploadId: up.id } }));
    const created = expectData(
      await api.graphql<any>(
        'mutation { createApiKey(input: { name: "to-revoke", role: ADMIN }) { apiKey { id } secret } }',
      ),
    ).createApiKey;
    revokedKey = created.secret;
    expectData(
      await api.graphql('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: created.apiKey.id }),
    );
  });

  afterAll(async () => api?.close());

  // Inputs that succeed for an allowed caller, so "allowed" means the call really did its work.
  const cases: MutationCase[] = [
    {
      name: 'createUpload',
      role: 'scientist',
      audit: 'upload.create',
      run: (key) => api.graphql('mutation { createUpload(input: { kind: MODEL }) { id } }', {}, key),
    },
    {
      name: 'createModel',
      role: 'scientist',
      audit: 'model.create',
      run: (key) => createModel(api, key as string, uniqueName('m')),
    },
    {
      name: 'registerModelVersion',
      role: 'scientist',
      audit: 'model_version.register',
      run: async (key) => {
        // An upload of the caller's own when it may make one; otherwise an admin's, which the call must not reach.
        const owner =
          key && [api.keys.scientist, api.keys.engineer, api.keys.admin].includes(key) ? key : api.keys.admin;
        const up = await upload(api, owner, 'model', onnx);
        return api.graphql(REGISTER_MODEL_VERSION, { input: { model, uploadId: up.id } }, key);
      },
    },
    {
      name: 'setModelAlias',
      role: 'scientist',
      audit: 'model_alias.set',
      run: (key) =>
        api.graphql(
          'mutation($m: String!) { setModelAlias(input: { model: $m, alias: "champion", version: 1 }) { name } }',
          { m: model },
          key,
        ),
    },
    {
      name: 'archiveModelVersion',
      role: 'scientist',
      audit: 'model_version.archive',
      run: async (key) => {
        const up = await upload(api, api.keys.admin, 'model', onnx);
        const v = expectData(
          await api.graphql<any>(REGISTER_MODEL_VERSION, { input: { model, uploadId: up.id } }),
        ).registerModelVersion;
        return api.graphql(
          'mutation($m: String!, $v: Int!) { archiveModelVersion(input: { model: $m, version: $v }) { status } }',
          { m: model, v: v.version },
          key,
        );
      },
    },
    {
      name: 'createDataset',
      role: 'scientist',
      audit: 'dataset.create',
      run: (key) =>
        api.graphql(
          'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }',
          { i: { name: uniqueName('d') } },
          key,
        ),
    },
    {
      name: 'registerDatasetVersion',
      role: 'scientist',
      audit: 'dataset_version.register',
      run: async (key) => {
        const owner =
          key && [api.keys.scientist, api.keys.engineer, api.keys.admin].includes(key) ? key : api.keys.admin;
        const up = await upload(api, owner, 'dataset', new TextEncoder().encode('{"x":[1],"y":0}\n{"x":[2],"y":1}\n'));
        return api.graphql(
          'mutation($i: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $i) { version } }',
          { i: { dataset, uploadId: up.id, format: 'JSONL', featureColumns: ['x'], labelColumn: 'y' } },
          key,
        );
      },
    },
    {
      name: 'createApiKey',
      role: 'admin',
      audit: 'api_key.create',
      run: (key) => api.graphql('mutation { createApiKey(input: { name: "k", role: VIEWER }) { secret } }', {}, key),
    },
    {
      name: 'revokeApiKey',
      role: 'admin',
      audit: 'api_key.revoke',
      run: async (key) => {
        const victim = expectData(
          await api.graphql<any>(
            'mutation { createApiKey(input: { name: "victim", role: VIEWER }) { apiKey { id } } }',
          ),
        );
        return api.graphql(
          'mutation($id: ID!) { revokeApiKey(id: $id) { id } }',
          { id: victim.createApiKey.apiKey.id },
          key,
        );
      },
    },
  ];

  const callers: Caller[] = ['none', 'revoked', 'viewer', 'scientist', 'engineer', 'admin'];
  const expected = (c: MutationCase, caller: Caller): Outcome =>
    caller === 'none' || caller === 'revoked'
      ? 'UNAUTHENTICATED'
      : rank[caller] >= rank[c.role]
        ? 'allowed'
        : 'FORBIDDEN';

  it.each(cases.flatMap((c) => callers.map((caller) => [c.name, caller, expected(c, caller), c] as const)))(
    '%s as %s → %s',
    async (_name, caller, outcome, c) => {
      const key = caller === 'none' ? null : caller === 'revoked' ? revokedKey : api.keys[caller];
      const result = await c.run(key);
      if (outcome === 'allowed') {
        expect(result.errors).toBeUndefined();
        const keyName = caller === 'admin' ? 'bootstrap-admin' : `test-${caller}`;
        const audit = expectData(
          await api.graphql<any>(
            'query($a: String!) { auditEvents(actor: $a, first: 100) { edges { node { action } } } }',
            { a: keyName },
          ),
        ).auditEvents.edges.map((e: any) => e.node.action);
        expect(audit).toContain(c.audit);
      } else {
        expect(errorCode(result)).toBe(outcome);
      }
    },
  );

  it('refuses an upload PUT from a viewer (403) and from no key (401)', async () => {
    const created = expectData(
      await api.graphql<any>('mutation { createUpload(input: { kind: MODEL }) { id url } }', {}, api.keys.scientist),
    );
    for (const [key, status] of [
      [api.keys.viewer, 403],
      [null, 401],
    ] as const) {
      const res = await fetch(`${api.url}${created.createUpload.url}`, {
        method: 'PUT',
        headers: key ? { authorization: `Bearer ${key}` } : {},
        body: onnx,
      });
      expect(res.status).toBe(status);
    }
  });

  it('lets every role read, and no key read nothing', async () => {
    for (const role of ['viewer', 'scientist', 'engineer', 'admin'] as const) {
      expect(errorCode(await api.graphql('{ models(first: 1) { totalCount } }', {}, api.keys[role]))).toBeUndefined();
    }
    expect(errorCode(await api.graphql('{ models(first: 1) { totalCount } }', {}, null))).toBe('UNAUTHENTICATED');
    expect(errorCode(await api.graphql('{ health { status } }', {}, null))).toBeUndefined();
  });
});
