import { Chart, Testing } from 'cdk8s';
import { MeshAnalyzer } from '../../src';

/** Synthesizes a chart (schema-checked by the suite setup) and returns its objects. */
export function synth(scope: Chart): any[] {
  return Testing.synth(scope);
}

/** The only object of a kind; fails the test when there are zero or several. */
export function only(objects: any[], kind: string): any {
  const found = objects.filter(o => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}, found ${found.length}`);
  return found[0];
}

/** All objects of a kind. */
export function ofKind(objects: any[], kind: string): any[] {
  return objects.filter(o => o.kind === kind);
}

/** A chart in namespace `default` (so hosts and references are stable). */
export function chart(namespace = 'default'): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}

/**
 * A chart whose app is deliberately partial (e.g. a VirtualService without its
 * DestinationRule): the mesh analysis is off, so a test can look at one resource.
 */
export function partialChart(namespace = 'default'): Chart {
  const c = chart(namespace);
  MeshAnalyzer.of(c).enabled = false;
  return c;
}
