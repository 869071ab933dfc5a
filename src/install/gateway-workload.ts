import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { checkArguments, checkProps } from '../core/arguments';
import { fail } from '../core/errors';
import { checkDns1123Label } from '../core/names';
import { IGatewayWorkload } from '../resources/gateway-workload-reference';

/** How the gateway Service is exposed. */
export enum GatewayServiceType {
  /** Cloud load balancer. */
  LOAD_BALANCER = 'LoadBalancer',
  /** Cluster-internal only. */
  CLUSTER_IP = 'ClusterIP',
  /** A port on every node. */
  NODE_PORT = 'NodePort',
}

/** A Service port of a gateway. */
export interface GatewayServicePort {
  /** Port the Service exposes. */
  readonly port: number;
  /** Port the proxy listens on (unprivileged). */
  readonly targetPort: number;
  /** Port name, `<protocol>[-suffix]` so Istio detects the protocol. */
  readonly name: string;
}

/** Props shared by ingress and egress gateways. */
export interface GatewayWorkloadProps {
  /** Name of the Deployment, Service and ServiceAccount. @default 'istio-ingressgateway' / 'istio-egressgateway' */
  readonly name?: string;
  /** Namespace of the gateway (must exist and allow injection). @default - the chart namespace */
  readonly namespace?: string;
  /** Control-plane revision (or tag) that injects the gateway. @default - the default revision */
  readonly revision?: string;
  /** Service type. @default LOAD_BALANCER for an ingress gateway, CLUSTER_IP for an egress gateway */
  readonly serviceType?: GatewayServiceType;
  /** Service ports. @default - 80→8080 and 443→8443 */
  readonly ports?: GatewayServicePort[];
  /** Fixed replica count (disables the HorizontalPodAutoscaler). @default - autoscaling 1–5 */
  readonly replicas?: number;
  /** Minimum replicas with autoscaling. @default 1 */
  readonly minReplicas?: number;
  /** Maximum replicas with autoscaling. @default 5 */
  readonly maxReplicas?: number;
  /** PodDisruptionBudget minAvailable. @default - no PDB with 1 replica, 1 otherwise */
  readonly pdbMinAvailable?: number;
  /** Extra pod labels. @default - none */
  readonly labels?: { [key: string]: string };
}

// The standard HTTP and HTTPS gateway ports (unprivileged target ports).
const STANDARD_GATEWAY_PORTS: GatewayServicePort[] = [
  { port: 80, targetPort: 8080, name: 'http2' },
  { port: 443, targetPort: 8443, name: 'https' },
];

/**
 * The objects of one Istio gateway using gateway injection (the shape of
 * Istio's `gateway` chart): ServiceAccount, Role + RoleBinding for TLS
 * Secrets, Deployment (proxy injected by istiod, image `auto`), Service,
 * HorizontalPodAutoscaler and PodDisruptionBudget.
 */
export abstract class GatewayWorkload extends Construct implements IGatewayWorkload {
  /** Always true: the gateway is deployed by this app. */
  public readonly managedByApp = true;
  /** Name of the Deployment, Service and ServiceAccount. */
  public readonly name: string;
  /** Namespace the gateway runs in (where credentialName Secrets must live). */
  public readonly namespace?: string;
  /** Pod labels that Gateway resources select. */
  public readonly podLabels: { [key: string]: string };
  /** The gateway Deployment. */
  public readonly deployment: ApiObject;
  /** The gateway Service. */
  public readonly service: ApiObject;
  /** The service account the gateway pods run as (the Deployment's name). */
  public get serviceAccountName(): string | undefined {
    return this.name;
  }

  /** The FQDN of the gateway Service. */
  public get serviceHost(): string | undefined {
    return `${this.name}.${this.namespace ?? Chart.of(this).namespace ?? 'default'}.svc.cluster.local`;
  }

  /** The Service ports. */
  public readonly ports: GatewayServicePort[];
  /** Control-plane revision or tag that injects this gateway (`undefined` = the default revision). */
  public readonly revision?: string;

  protected constructor(
    scope: Construct, id: string, props: GatewayWorkloadProps,
    defaultName: string, istioLabel: string, defaultServiceType: GatewayServiceType,
  ) {
    super(scope, id);
    checkProps(this, new.target.name, props); // IngressGateway or EgressGateway: their props types differ
    const defaults = { name: defaultName, istioLabel, serviceType: defaultServiceType };
    this.name = checkDns1123Label(this, 'name', props.name ?? defaults.name);
    this.namespace = props.namespace === undefined ? undefined : checkDns1123Label(this, 'namespace', props.namespace);
    if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 1)) {
      fail(this, `replicas must be at least 1, got ${props.replicas}.`);
    }
    const min = props.minReplicas ?? 1;
    const max = props.maxReplicas ?? 5;
    if (!Number.isInteger(min) || min < 1 || max < min) fail(this, `minReplicas/maxReplicas must satisfy 1 <= min <= max, got ${min}/${max}.`);
    this.ports = props.ports ?? STANDARD_GATEWAY_PORTS;
    const selectorLabels = { app: this.name, istio: defaults.istioLabel };
    this.podLabels = { ...selectorLabels, ...props.labels };
    const metadata = { name: this.name, namespace: this.namespace, labels: { ...selectorLabels } };

    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata });
    // Gateways read their TLS Secrets (credentialName) through SDS in their own namespace.
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata,
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }],
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    });

    const podLabels: { [key: string]: string } = { ...this.podLabels, 'sidecar.istio.io/inject': 'true' };
    this.revision = props.revision === undefined ? undefined : checkDns1123Label(this, 'revision', props.revision);
    if (this.revision) podLabels['istio.io/rev'] = this.revision;
    this.deployment = new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        // With autoscaling, replicas is owned by the HPA: leaving it out avoids GitOps drift.
        replicas: props.replicas,
        selector: { matchLabels: selectorLabels },
        template: {
          metadata: {
            labels: podLabels,
            annotations: { 'inject.istio.io/templates': 'gateway', 'prometheus.io/scrape': 'true', 'prometheus.io/port': '15020', 'prometheus.io/path': '/stats/prometheus' },
          },
          spec: {
            serviceAccountName: this.name,
            // The token is needed to reach istiod (cdk8s-plus would default this to false).
            automountServiceAccountToken: true,
            securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
            containers: [{
              name: 'istio-proxy',
              image: 'auto', // replaced by istiod's gateway injection template
              ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
              securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
            }],
          },
        },
      },
    });
    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        type: props.serviceType ?? defaults.serviceType,
        selector: selectorLabels,
        ports: [
          { name: 'http-status', port: 15021, targetPort: 15021, protocol: 'TCP' },
          ...this.ports.map(p => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: 'TCP' })),
        ],
      },
    });
    if (props.replicas === undefined) {
      new ApiObject(this, 'HorizontalPodAutoscaler', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
          minReplicas: min,
          maxReplicas: max,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
        },
      });
    }
    const pdbMin = props.pdbMinAvailable ?? ((props.replicas ?? min) > 1 ? 1 : undefined);
    if (pdbMin !== undefined) {
      new ApiObject(this, 'PodDisruptionBudget', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata,
        spec: { minAvailable: pdbMin, selector: { matchLabels: selectorLabels } },
      });
    }
  }

  /** The Service port that forwards to a given Gateway server port (target ports are what Gateway servers listen on). */
  public hasServicePort(port: number): boolean {
    checkArguments(this, 'GatewayWorkload', 'hasServicePort', arguments);
    return this.ports.some(p => p.port === port);
  }

  /** The target port of a Service port (none when the Service has no such port). */
  public podPortsFor(servicePort: number): number[] {
    checkArguments(this, 'GatewayWorkload', 'podPortsFor', arguments);
    return this.ports.filter(p => p.port === servicePort).map(p => p.targetPort);
  }
}

/** Props of an `IngressGateway`. */
export interface IngressGatewayProps extends GatewayWorkloadProps {}

/**
 * An ingress gateway (LoadBalancer by default), labelled `istio: ingressgateway`.
 *
 * @example
 * declare const chart: Chart;
 *
 * const gateway = new IngressGateway(chart, 'ingress', { namespace: 'istio-ingress' });
 * const ingress = new MeshIngress(chart, 'public', { gateway });
 */
export class IngressGateway extends GatewayWorkload {
  constructor(scope: Construct, id: string, props: IngressGatewayProps = {}) {
    super(scope, id, props, 'istio-ingressgateway', 'ingressgateway', GatewayServiceType.LOAD_BALANCER);
  }
}

/** Props of an `EgressGateway`. */
export interface EgressGatewayProps extends GatewayWorkloadProps {}

/**
 * An egress gateway (ClusterIP by default), labelled `istio: egressgateway`.
 *
 * @example
 * declare const chart: Chart;
 *
 * const egressGateway = new EgressGateway(chart, 'egress', { namespace: 'istio-egress' });
 * new MeshEgress(chart, 'external', { egressGateway }).addExternalHost({ host: 'api.example.com' });
 */
export class EgressGateway extends GatewayWorkload {
  constructor(scope: Construct, id: string, props: EgressGatewayProps = {}) {
    super(scope, id, props, 'istio-egressgateway', 'egressgateway', GatewayServiceType.CLUSTER_IP);
  }
}
