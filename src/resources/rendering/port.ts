import { IConstruct } from 'constructs';
import { fail, show } from '../../core/errors';
import { checkPort } from '../../core/percent';
import { IstioPort, PortProtocol } from '../port';

/** @internal */
export function renderIstioPort(scope: IConstruct, prop: string, p: IstioPort): any {
  checkPort(scope, `${prop}.number`, p.number);
  checkPort(scope, `${prop}.targetPort`, p.targetPort);
  if (!Object.values(PortProtocol).includes(p.protocol)) {
    fail(scope, `${prop}.protocol must be one of ${Object.values(PortProtocol).join(', ')}, got ${show(p.protocol)}.`);
  }
  return { number: p.number, protocol: p.protocol, name: p.name ?? `${p.protocol.toLowerCase()}-${p.number}`, targetPort: p.targetPort };
}
