import { Chart, Testing } from 'cdk8s';

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
