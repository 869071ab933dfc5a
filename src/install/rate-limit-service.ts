import { ApiObject, Chart, Lazy, Yaml } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkArguments, checkProps } from '../core/arguments';
import { describe, fail, show } from '../core/errors';
import { checkDns1123Label } from '../core/names';
import { IRateLimitService } from '../resources/rate-limit-service-reference';

/** Props of a `RateLimitService`. */
export interface RateLimitServiceProps {
  /** Namespace of the service, Redis and their config. @default - the chart's namespace */
  readonly namespace?: string;
  /** Name of the Deployment and Service (Redis is `<name>-redis`). @default 'ratelimit' */
  readonly name?: string;
  /** Replicas of the rate limit service (Redis keeps the counts, so replicas share them). @default 1 */
  readonly replicas?: number;
  /** Image of the rate limit service. @default 'docker.io/envoyproxy/ratelimit:30a4ce1a' (the one Istio's samples/ratelimit runs) */
  readonly image?: string;
  /** Image of Redis. @default 'docker.io/redis:7.4-alpine' */
  readonly redisImage?: string;
}

const GRPC_PORT = 8081;

/**
 * Envoy's global rate limit service (github.com/envoyproxy/ratelimit) with the Redis
 * that holds its counters, as native objects (like Istio's `samples/ratelimit`). Its
 * configuration is derived from the `RateLimit` intents that use it: one file per
 * domain in one ConfigMap.
 *
 * @see https://istio.io/latest/docs/tasks/policy-enforcement/rate-limit/
 *
 * @example
 * declare const chart: Chart;
 *
 * const limits = new RateLimitService(chart, 'ratelimit', { namespace: 'ratelimit' });
 */
export class RateLimitService extends Construct implements IRateLimitService {
  /** FQDN of its Service. */
  public readonly serviceHost: string;
  /** The gRPC port proxies call. */
  public readonly grpcPort = GRPC_PORT;
  /** Namespace of its objects. */
  public readonly namespace?: string;
  private readonly domains = new Map<string, { owner: IConstruct; descriptors: any[] }>();

  constructor(scope: Construct, id: string, props: RateLimitServiceProps = {}) {
    super(scope, id);
    checkProps(this, 'RateLimitService', props);
    const name = checkDns1123Label(this, 'name', props.name ?? 'ratelimit');
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (namespace !== undefined) checkDns1123Label(this, 'namespace', namespace);
    this.namespace = namespace;
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) fail(this, `replicas must be a whole number of at least 1, got ${show(replicas)}.`);
    this.serviceHost = `${name}.${namespace ?? 'default'}.svc.cluster.local`;
    const redis = `${name}-redis`;
    const meta = (n: string) => ({ name: n, namespace, labels: { app: n } });
    // Pods carry `version` (the image tag) so Istio's telemetry labels them (istioctl validate asks for it).
    const deployment = (n: string, count: number, containers: any[], volumes?: any[]) => new ApiObject(this, `Deployment-${n}`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(n),
      spec: {
        replicas: count,
        selector: { matchLabels: { app: n } },
        template: { metadata: { labels: { app: n, version: versionOf(containers[0].image) } }, spec: { containers, volumes } },
      },
    });
    const service = (n: string, ports: any[]) => new ApiObject(this, `Service-${n}`, {
      apiVersion: 'v1', kind: 'Service', metadata: meta(n), spec: { selector: { app: n }, ports },
    });

    deployment(redis, 1, [{ name: 'redis', image: props.redisImage ?? 'docker.io/redis:7.4-alpine', ports: [{ name: 'redis', containerPort: 6379 }] }]);
    service(redis, [{ name: 'tcp-redis', port: 6379, targetPort: 6379 }]);
    new ApiObject(this, 'ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(`${name}-config`),
      data: Lazy.any({ produce: () => this.configFiles() }),
    });
    const env = {
      LOG_LEVEL: 'info',
      REDIS_SOCKET_TYPE: 'tcp',
      REDIS_URL: `${redis}:6379`,
      USE_STATSD: 'false',
      RUNTIME_ROOT: '/data',
      RUNTIME_SUBDIRECTORY: 'ratelimit',
      RUNTIME_WATCH_ROOT: 'false',
      RUNTIME_IGNOREDOTFILES: 'true',
    };
    deployment(name, replicas, [{
      name: 'ratelimit',
      image: props.image ?? 'docker.io/envoyproxy/ratelimit:30a4ce1a',
      command: ['/bin/ratelimit'],
      env: Object.entries(env).map(([k, value]) => ({ name: k, value })),
      ports: [{ name: 'http', containerPort: 8080 }, { name: 'grpc', containerPort: GRPC_PORT }],
      readinessProbe: { httpGet: { path: '/healthcheck', port: 8080 } },
      volumeMounts: [{ name: 'config', mountPath: '/data/ratelimit/config' }],
    }], [{ name: 'config', configMap: { name: `${name}-config` } }]);
    service(name, [{ name: 'http', port: 8080, targetPort: 8080 }, { name: 'grpc', port: GRPC_PORT, targetPort: GRPC_PORT }]);
    this.node.addValidation({ validate: () => this.domains.size ? [] : [`RateLimitService '${this.node.path}' has no domains: no RateLimit uses it.`] });
  }

  /** Registers a domain's descriptors (called by `RateLimit`). */
  public addDomain(owner: IConstruct, domain: string, descriptors: any[]): void {
    checkArguments(this, 'RateLimitService', 'addDomain', arguments);
    const other = this.domains.get(domain);
    if (other) fail(owner, `rate limit domain ${show(domain)} is already configured by ${describe(other.owner)}; each RateLimit needs its own domain (name).`);
    this.domains.set(domain, { owner, descriptors });
  }

  /** The domains this service serves, for inspection and tests. */
  public get domainNames(): string[] {
    return [...this.domains.keys()].sort();
  }

  private configFiles(): { [file: string]: string } {
    const files: { [file: string]: string } = {};
    for (const domain of this.domainNames) files[`${domain}.yaml`] = Yaml.stringify({ domain, descriptors: this.domains.get(domain)!.descriptors });
    return files;
  }
}

/** The tag of an image as a label value ('docker.io/redis:7.4-alpine' → '7.4-alpine'). */
function versionOf(image: string): string {
  const last = image.split('/').pop()!.split('@')[0];
  const tag = last.includes(':') ? last.split(':').pop()! : 'latest';
  return tag.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '').slice(0, 63) || 'latest';
}
