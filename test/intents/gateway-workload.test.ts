import { EgressGateway, GatewayServiceType, IngressGateway } from '../../src';
import { chart, only, synth } from '../support/synth';

describe('IngressGateway / EgressGateway', () => {
  test('gateway injection Deployment, Service with standard ports, RBAC for secrets, HPA', () => {
    const c = chart('istio-ingress');
    new IngressGateway(c, 'gw', { namespace: 'istio-ingress', revision: '1-31-4' });
    const out = synth(c);
    expect(out.map(o => o.kind)).toEqual(['ServiceAccount', 'Role', 'RoleBinding', 'Deployment', 'Service', 'HorizontalPodAutoscaler']);
    const tpl = only(out, 'Deployment').spec.template;
    expect(tpl.metadata.labels).toEqual({ 'app': 'istio-ingressgateway', 'istio': 'ingressgateway', 'sidecar.istio.io/inject': 'true', 'istio.io/rev': '1-31-4' });
    expect(tpl.metadata.annotations['inject.istio.io/templates']).toBe('gateway');
    expect(tpl.spec.containers[0]).toMatchObject({ name: 'istio-proxy', image: 'auto' });
    expect(tpl.spec.automountServiceAccountToken).toBe(true);
    expect(only(out, 'Deployment').spec.replicas).toBeUndefined();
    const svc = only(out, 'Service');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([['http-status', 15021, 15021], ['http2', 80, 8080], ['https', 443, 8443]]);
    expect(out).toMatchSnapshot();
  });

  test('fixed replicas: no HPA, a PDB', () => {
    const c = chart();
    new EgressGateway(c, 'egw', { replicas: 2, serviceType: GatewayServiceType.CLUSTER_IP });
    const out = synth(c);
    expect(out.map(o => o.kind)).toEqual(['ServiceAccount', 'Role', 'RoleBinding', 'Deployment', 'Service', 'PodDisruptionBudget']);
    expect(only(out, 'Deployment').spec.replicas).toBe(2);
  });

  test('rejects replicas < 1', () => {
    expect(() => new IngressGateway(chart(), 'gw', { replicas: 0 })).toThrow(/IngressGateway 'test\/gw': replicas must be at least 1, got 0/);
  });

  test('rejects an invalid revision', () => {
    expect(() => new IngressGateway(chart(), 'gw', { revision: '1.30.3' })).toThrow(/revision must be a DNS-1123 label/);
  });

  test('rejects min > max', () => {
    expect(() => new IngressGateway(chart(), 'gw', { minReplicas: 3, maxReplicas: 2 })).toThrow(/minReplicas\/maxReplicas must satisfy/);
  });
});
