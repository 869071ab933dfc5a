import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { gitOpsSchemaErrors } from '../support/gitops-schemas';

const dir = path.resolve(__dirname, '..', '..', 'examples', 'argocd');
const load = (file: string) => parse(fs.readFileSync(path.join(dir, file), 'utf-8'));

// Argo CD's ConfigManagementPlugin file format (argo-cd cmpserver/plugin PluginConfig), closed to unknown fields.
const command = {
  type: 'object',
  additionalProperties: false,
  properties: { command: { type: 'array', items: { type: 'string' }, minItems: 1 }, args: { type: 'array', items: { type: 'string' } } },
  required: ['command'],
};
const pluginSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'argoproj.io/v1alpha1' },
    kind: { const: 'ConfigManagementPlugin' },
    metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[a-z0-9-]+$' } } },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['generate'],
      properties: {
        version: { type: 'string' },
        init: command,
        generate: command,
        discover: {
          type: 'object',
          additionalProperties: false,
          properties: { fileName: { type: 'string' }, find: { type: 'object', properties: { command: { type: 'array' }, args: { type: 'array' }, glob: { type: 'string' } } } },
        },
        parameters: { type: 'object' },
        preserveFileMode: { type: 'boolean' },
        provideGitCreds: { type: 'boolean' },
      },
    },
  },
};

describe('examples/argocd', () => {
  test('plugin.yaml is a valid ConfigManagementPlugin that calls cdk8s-istio-render', () => {
    const plugin = load('plugin.yaml');
    const validate = new Ajv({ allErrors: true, strict: false }).compile(pluginSchema);
    expect(validate(plugin) ? [] : validate.errors).toEqual([]);
    expect(plugin.spec.generate.command).toEqual(['npx', '--no-install', 'cdk8s-istio-render']);
    expect(validate({ ...plugin, spec: { ...plugin.spec, generat: {} } })).toBe(false);
  });

  test('the ConfigMap carries exactly plugin.yaml', () => {
    expect(parse(load('cmp-configmap.yaml').data['plugin.yaml'])).toEqual(load('plugin.yaml'));
  });

  test('the repo-server sidecar runs the CMP server with the plugin file and volumes that exist', () => {
    const patch = load('repo-server-patch.yaml');
    expect(patch).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'argocd-repo-server', namespace: 'argocd' } });
    const [sidecar] = patch.spec.template.spec.containers;
    expect(sidecar.command).toEqual(['/var/run/argocd/argocd-cmp-server']);
    // var-files and plugins are volumes of Argo CD's own repo-server Deployment.
    const volumes = new Set(['var-files', 'plugins', ...patch.spec.template.spec.volumes.map((v: any) => v.name)]);
    expect(sidecar.volumeMounts.filter((m: any) => !volumes.has(m.name))).toEqual([]);
    expect(sidecar.volumeMounts).toContainEqual({ name: 'cdk8s-istio-cmp', mountPath: '/home/argocd/cmp-server/config/plugin.yaml', subPath: 'plugin.yaml' });
    expect(patch.spec.template.spec.volumes).toContainEqual({ name: 'cdk8s-istio-cmp', configMap: { name: load('cmp-configmap.yaml').metadata.name } });
  });

  test('the Application passes the Argo CD schema and names the plugin as Argo CD registers it (<name>-<version>)', () => {
    const application = load('application.yaml');
    expect(gitOpsSchemaErrors([application])).toEqual([]);
    const plugin = load('plugin.yaml');
    expect(application.spec.source.plugin.name).toBe(`${plugin.metadata.name}-${plugin.spec.version}`);
  });
});
