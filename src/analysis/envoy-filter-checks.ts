import { FindingSeverity } from './finding';
import { MeshIndex, Report } from './mesh-index';

const { ERROR, WARNING } = FindingSeverity;
const ROUTE_TARGETS = ['ROUTE_CONFIGURATION', 'HTTP_ROUTE'];
const REPLACEABLE = ['NETWORK_FILTER', 'HTTP_FILTER', 'VIRTUAL_HOST'];

/**
 * istioctl's EnvoyFilter analyzer, with its semantics: IST0151 (warning) a
 * relative operation (REMOVE, REPLACE, INSERT_BEFORE, INSERT_AFTER) without a
 * priority, whose result depends on the order other EnvoyFilters apply in;
 * IST0152 / IST0153 ADD / REMOVE on a route configuration or HTTP route, which
 * do nothing; IST0154 REPLACE outside filters and virtual hosts, which does nothing.
 * @internal
 */
export function checkEnvoyFilters(index: MeshIndex, report: Report): void {
  for (const ef of index.of('EnvoyFilter')) {
    const priority = ef.json.spec?.priority ?? 0;
    (ef.json.spec?.configPatches ?? []).forEach((patch: any, i: number) => {
      const operation = patch?.patch?.operation;
      const applyTo = patch?.applyTo;
      const where = `configPatches[${i}] (${operation} on ${applyTo})`;
      let relative = operation === 'INSERT_BEFORE' || operation === 'INSERT_AFTER';
      if (operation === 'ADD' && ROUTE_TARGETS.includes(applyTo)) {
        report(ef, 'IST0152', ERROR, `${where}: ADD does nothing on ${applyTo}; use MERGE.`);
      } else if (operation === 'REMOVE') {
        if (ROUTE_TARGETS.includes(applyTo)) report(ef, 'IST0153', ERROR, `${where}: REMOVE does nothing on ${applyTo}; use MERGE.`);
        else relative = true;
      } else if (operation === 'REPLACE') {
        if (!REPLACEABLE.includes(applyTo)) report(ef, 'IST0154', ERROR, `${where}: REPLACE only works on ${REPLACEABLE.join(', ')}; use MERGE.`);
        else relative = true;
      }
      if (relative && priority === 0) {
        report(ef, 'IST0151', WARNING, `${where} is a relative operation and priority is unset: its result depends on the order other EnvoyFilters apply in. Set a non-zero priority.`);
      }
    });
  }
}
