import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { type IJob, Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { type ISecret, Secret } from 'kubernetes-models/v1/Secret';
import { type IService, Service } from 'kubernetes-models/v1/Service';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { parseDuration, parseEnvironment } from '@config/environment';
import { startTestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
const MANIFESTS_DIR = join(ROOT, 'deploy', 'kubernetes');

type Manifest = { apiVersion?: string; kind?: string; metadata?: { name?: string } } & Record<string, unknown>;
type Container = NonNullable<IDeployment['spec']>['template']['spec'] extends infer S
  ? S extends { containers: Array<infer C> }
    ? C
    : never
  : never;

/** The schema of each kind the manifests may contain (Kubernetes' OpenAPI schema, as kubernetes-models ships it). */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'batch/v1 Job': Job,
  'v1 Service': Service,
  'v1 Secret': Secret,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
};

function readManifests(): Array<{ file: string; manifest: Manifest }> {
  return readdirSync(MANIFESTS_DIR)
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(MANIFESTS_DIR, file), 'utf8')).map((document) => {
        if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0].message}`);
        return { file, manifest: document.toJS() as Manifest };
      }),
    );
}

const manifests = readManifests();
const one = <T>(kind: string): T => {
  const found = manifests.filter(({ manifest }) => manifest.kind === kind);
  expect(found).toHaveLength(1);
  return found[0].manifest as T;
};
const deployment = one<IDeployment>('Deployment');
const job = one<IJob>('Job');
const service = one<IService>('Service');
const pdb = one<IPodDisruptionBudget>('PodDisruptionBudget');
const secret = one<ISecret>('Secret');
const server = deployment.spec!.template.spec!.containers[0];
const migrate = job.spec!.template.spec!.containers[0];

const envOf = (container: Container) => container.env ?? [];
const plainEnv = (container: Container) =>
  Object.fromEntries(envOf(container).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value]])));
const secretRefs = (container: Container) =>
  envOf(container).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : []));
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** Every variable the service reads, as `.env.example` lists them. */
const KNOWN_VARIABLES = new Set(
  readFileSync(join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .flatMap((line) => /^([A-Z_]+)=/.exec(line)?.[1] ?? []),
);

describe('Kubernetes manifests', () => {
  it.each(manifests.map(({ file, manifest }) => [file, manifest.kind, manifest]))(
    '%s: its %s is valid against the Kubernetes schema',
    (_file, _kind, manifest) => {
      const model = MODELS[`${manifest.apiVersion} ${manifest.kind}`];
      expect(model).toBeDefined();
      expect(() => new model(manifest as never).validate()).not.toThrow();
    },
  );

  it('lists in the kustomization files that exist, and names the image the containers use', () => {
    const kustomization = parseAllDocuments(
      readFileSync(join(MANIFESTS_DIR, 'kustomization.yaml'), 'utf8'),
    )[0].toJS() as {
      resources: string[];
      images: Array<{ name: string }>;
    };
    for (const file of kustomization.resources) expect(existsSync(join(MANIFESTS_DIR, file))).toBe(true);
    expect(kustomization.images.map((image) => image.name)).toEqual([server.image!.split(':')[0]]);
    expect(migrate.image).toBe(server.image);
  });

  it('probes the routes the app answers, on the port it listens on', async () => {
    const port = server.ports!.find((p) => p.name === 'http')!;
    expect(String(port.containerPort)).toBe(plainEnv(server).PORT);
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(new RegExp(`^EXPOSE ${port.containerPort}$`, 'm'));
    const probes = [server.startupProbe, server.livenessProbe, server.readinessProbe];
    expect(server.livenessProbe!.httpGet!.path).toBe('/health/live');
    expect(server.readinessProbe!.httpGet!.path).toBe('/health/ready');
    const t = await startTestApp();
    try {
      for (const probe of probes) {
        expect(probe!.httpGet!.port).toBe('http');
        await request(t.app.getHttpServer()).get(probe!.httpGet!.path!).expect(200);
      }
    } finally {
      await t.close();
    }
  });

  it('runs replicas that leave migrations to the Job, with a configuration the service accepts', () => {
    const env = plainEnv(server);
    expect(env.DB_RUN_MIGRATIONS).toBe('false');
    for (const name of envOf(server).map((e) => e.name)) {
      // NODE_OPTIONS is Node's own; every other name must be one the service reads.
      if (name !== 'NODE_OPTIONS') expect(KNOWN_VARIABLES).toContain(name);
    }
    const secrets = {
      DATABASE_URL: 'mysql://gateway:pass@mysql:3306/gateway',
      APP_SECRET_KEY: randomBytes(32).toString('base64'),
      ADMIN_API_TOKEN: randomBytes(32).toString('hex'),
    };
    expect(() => parseEnvironment({ ...env, ...secrets })).not.toThrow();
    expect(migrate.command).toEqual(['node', 'dist/cli.js', 'migrate']);
  });

  it('gives the process time to drain: preStop plus SHUTDOWN_TIMEOUT fit in the grace period', () => {
    const preStopSeconds = Number(server.lifecycle!.preStop!.exec!.command!.at(-1));
    const shutdownSeconds = parseDuration(plainEnv(server).SHUTDOWN_TIMEOUT)! / 1000;
    expect(preStopSeconds + shutdownSeconds).toBeLessThan(
      deployment.spec!.template.spec!.terminationGracePeriodSeconds!,
    );
  });

  it('runs every container as non-root on a read-only root file system, with requests and limits', () => {
    for (const pod of [deployment.spec!.template.spec!, job.spec!.template.spec!]) {
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: expect.any(Number) });
      expect(pod.securityContext!.runAsUser).toBeGreaterThan(0);
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources).toMatchObject({
          requests: { cpu: expect.any(String), memory: expect.any(String) },
          limits: { memory: expect.any(String) },
        });
      }
    }
  });

  it('selects the server pods, and only them, from the Service and the disruption budget', () => {
    const selector = deployment.spec!.selector.matchLabels!;
    const serverLabels = deployment.spec!.template.metadata!.labels;
    const jobLabels = job.spec!.template.metadata!.labels;
    expect(matches(selector, serverLabels)).toBe(true);
    for (const other of [service.spec!.selector!, pdb.spec!.selector!.matchLabels!]) {
      expect(other).toEqual(selector);
      expect(matches(other, jobLabels)).toBe(false);
    }
    const targetPort = service.spec!.ports![0].targetPort;
    expect(server.ports!.map((p) => p.name)).toContain(targetPort);
  });

  it('has a Secret example that names exactly the variables the Deployment and the Job read from it', () => {
    const refs = [...secretRefs(server), ...secretRefs(migrate)];
    expect(new Set(refs.map((ref) => ref.name))).toEqual(new Set([secret.metadata!.name]));
    expect(Object.keys(secret.stringData!).sort()).toEqual([...new Set(refs.map((ref) => ref.key))].sort());
    for (const ref of refs) expect(KNOWN_VARIABLES).toContain(ref.key);
  });
});
