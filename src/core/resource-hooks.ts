import { IConstruct } from 'constructs';

/**
 * Lets a higher layer act when an Istio resource is created, without the
 * resource layer importing it: the mesh analysis attaches itself to the app of
 * the first Istio object this way (DESIGN.md: each layer depends only downward).
 */
const hooks: Array<(resource: IConstruct) => void> = [];

/** Registers `hook`, called for every Istio resource construct created from now on. @internal */
export function onIstioResourceCreated(hook: (resource: IConstruct) => void): void {
  if (!hooks.includes(hook)) hooks.push(hook);
}

/** Called by the resource base class once a resource exists. @internal */
export function istioResourceCreated(resource: IConstruct): void {
  for (const hook of hooks) hook(resource);
}
